"""The step logic of a guided dialog, beside the form model: which field comes next, which is
missing, what a step's number is, and where "back", "edit" and "send" lead. Pure functions on a
`FormDraft`; asking, buttons and storage are the runner's (`handlers/forms.py`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from content.forms_model import Form, FormField


@dataclass
class FormDraft:
    """Her answers so far, kept encrypted after every step (as this dict, in `drafts.data`)."""

    form: str
    version: int
    started: str  # ISO time the dialog began, shown when the draft is offered back
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # the fields answered, in order, for "back"
    current: str | None = None  # the field being asked; None at the summary
    editing: bool = False  # changing one answer from the summary: after it, back to the summary
    extra: dict[str, Any] = field(default_factory=dict)  # what the opener passed (a task, a group)

    @classmethod
    def begin(cls, form: Form, extra: dict[str, Any] | None, now: datetime) -> FormDraft:
        draft = cls(form=form.id, version=form.version, started=now.isoformat(), extra=dict(extra or {}))
        draft.current = next_field(form, draft.answers, after=None)
        return draft

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> FormDraft:
        return cls(
            form=str(data["form"]),
            version=int(data.get("version", 1)),
            started=str(data["started"]),
            answers=dict(data.get("answers") or {}),
            history=list(data.get("history") or []),
            current=data.get("current"),
            editing=bool(data.get("editing", False)),
            extra=dict(data.get("extra") or {}),
        )

    def stored(self) -> dict[str, Any]:
        return asdict(self)

    def files(self) -> list[dict[str, Any]]:
        """Every evidence file the answers hold (media answers are lists of file records)."""
        return [
            item
            for value in self.answers.values() if isinstance(value, list)
            for item in value if isinstance(item, dict) and "path" in item
        ]


def next_field(form: Form, answers: dict[str, Any], after: str | None) -> str | None:
    """The first field after `after` (from the start when None) that the answers show."""
    ids = [item.id for item in form.fields]
    start = ids.index(after) + 1 if after in ids else 0
    return next((item.id for item in form.fields[start:] if item.shown(answers)), None)


def first_unanswered(form: Form, answers: dict[str, Any]) -> str | None:
    """The first shown, required field with no answer: what keeps the form from being sent."""
    return next(
        (item.id for item in form.fields if item.shown(answers) and not item.optional and item.id not in answers),
        None,
    )


def visible_answers(form: Form, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers of the fields the final answers show; hidden ones are dropped."""
    return {item.id: answers[item.id] for item in form.fields if item.id in answers and item.shown(answers)}


def shown_fields(form: Form, answers: dict[str, Any]) -> list[FormField]:
    return [item for item in form.fields if item.shown(answers)]


def step_number(form: Form, draft: FormDraft, current: FormField) -> int:
    shown = [item.id for item in shown_fields(form, draft.answers)]
    return shown.index(current.id) + 1 if current.id in shown else len(draft.history) + 1


def step_total(form: Form, answers: dict[str, Any]) -> int:
    return len(shown_fields(form, answers))


def answered(draft: FormDraft, form: Form, current: FormField) -> None:
    """Move on after `current` was answered or skipped: to the next shown field, or, when one
    answer was being changed from the summary, to the first still missing (None: the summary)."""
    if draft.editing:
        draft.editing = False
        draft.current = first_unanswered(form, draft.answers)
        return
    if current.id not in draft.history:
        draft.history.append(current.id)
    draft.current = next_field(form, draft.answers, after=current.id)


def go_back(draft: FormDraft) -> bool:
    """To the field answered last; False when there is none."""
    if not draft.history:
        return False
    draft.current, draft.editing = draft.history.pop(), False
    return True


def start_editing(draft: FormDraft, form: Form, field_id: str) -> bool:
    """Ask one shown field again from the summary; False when the form has no such field shown."""
    chosen = form.field(field_id)
    if chosen is None or not chosen.shown(draft.answers):
        return False
    draft.current, draft.editing = chosen.id, True
    return True


def ready_to_send(draft: FormDraft, form: Form) -> bool:
    """Whether every required answer is there; if not, `current` becomes the field to ask."""
    missing = first_unanswered(form, draft.answers)
    if missing is None and draft.current is None:
        return True
    draft.current = missing or draft.current
    return False


def hidden_files(draft: FormDraft, form: Form, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """Files of media answers that later answers hid: they are not part of the report."""
    return [
        stored
        for each in form.fields
        if each.type == "media" and each.id in draft.answers and each.id not in sent
        for stored in draft.answers[each.id]
    ]
