"""The one runner of guided dialogs (content/forms/*.yaml): it asks each field in turn, checks
the answer, skips what `when:` hides, keeps an encrypted draft after every step (so a restart or
a wandering person loses nothing), shows a summary where any answer can be changed, and hands the
finished answers to the feature that files them (the event "form.sent").

The runner knows no field type: each type's buttons, parsing and display are its object in
`handlers/form_fields.py`; where a step leads is pure logic in `content/form_steps.py`. The
dialog's states are drawn in `handlers/forms.mmd`, and each form's path in
`content/forms/<form>.mmd`."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.actions import encode
from core.context import Context, StaleAction
from core.messages import Button
from core.router import Router
from content import form_steps
from content.form_steps import FormDraft
from content.forms_model import Form, FormField
from handlers import reporting
from handlers.directory import emergency_block
from handlers.form_fields import KINDS, Answer, Facts, Refused, kind_of
from handlers.reporting import Reader
from handlers.common import back_home, button, in_rows
from storage import evidence
from storage import reports_repo

router = Router("forms")
logger = logging.getLogger("tynchtyk.forms")

STATE = "form"
SUMMARY_TEXT_LIMIT = 160


# ---------------------------------------------------------------- starting


async def open_form(ctx: Context, form_id: str, extra: dict[str, Any] | None = None) -> None:
    """Start a dialog, or offer back the draft she left."""
    form = _form(ctx, form_id)
    draft = await reports_repo.load_draft(ctx.session, ctx.cipher, ctx.user, form.id)
    if draft is not None:
        started = datetime.fromisoformat(draft.started).astimezone(ZoneInfo(ctx.settings.timezone))
        rows = [
            [button(ctx, "form-continue", "f:resume", form.id)],
            [button(ctx, "form-start-over", "f:new", form.id)],
            back_home(ctx),
        ]
        ctx.reply(ctx.t("form-draft-found", form=form.title.get(ctx.language), date=started.strftime("%d.%m.%Y")), rows, edit=True)
        return
    await _begin(ctx, form, extra)


@router.action("f:resume", arity=1)
async def resume(ctx: Context, form_id: str) -> None:
    form = _form(ctx, form_id)
    draft = await reports_repo.load_draft(ctx.session, ctx.cipher, ctx.user, form.id)
    if draft is None:
        raise StaleAction("no draft")
    await _ask(ctx, form, draft)


@router.action("f:new", arity=1)
async def start_over(ctx: Context, form_id: str) -> None:
    form = _form(ctx, form_id)
    draft = await reports_repo.load_draft(ctx.session, ctx.cipher, ctx.user, form.id)
    await discard_draft(ctx, form.id)
    await _begin(ctx, form, draft.extra if draft else None)


async def _begin(ctx: Context, form: Form, extra: dict[str, Any] | None) -> None:
    ctx.reply(form.intro.get(ctx.language))
    await _ask(ctx, form, FormDraft.begin(form, extra, ctx.now))


# ---------------------------------------------------------------- asking


async def _ask(ctx: Context, form: Form, draft: FormDraft) -> None:
    await reports_repo.save_draft(ctx.session, ctx.cipher, ctx.user, draft, ctx.now)
    field = form.field(draft.current) if draft.current else None
    if field is None:
        await _summary(ctx, form, draft)
        return
    kind = kind_of(field)
    ctx.go(STATE, form=form.id, field_type=field.type)
    answer = draft.answers.get(field.id)
    rows = kind.buttons(ctx, field, answer)
    navigation = []
    if draft.history and not draft.editing:
        navigation.append(button(ctx, "form-back", "f:back"))
    if field.optional and kind.has_skip_button:
        navigation.append(button(ctx, "button-skip", "f:skip", field.id))
    if navigation:
        rows.append(navigation)
    rows.append([button(ctx, "form-cancel", "f:cancel")])
    step = ctx.t("form-step", number=form_steps.step_number(form, draft, field), total=form_steps.step_total(form, draft.answers))
    parts = [step, field.question.get(ctx.language)]
    if field.hint:
        parts.append(field.hint.get(ctx.language))
    if answer not in (None, [], "") and kind.repeats_answer:
        parts.append(ctx.t("form-current-answer", value=shown_value(ctx, form, field, answer)))
    ctx.reply("\n\n".join(parts), rows)


# ---------------------------------------------------------------- answers


def _pressed(code: str) -> Any:
    async def press(ctx: Context, field_id: str, value: str) -> None:
        found = await _current(ctx, field_id, code)
        if found is None:
            return
        form, draft, field = found
        await _take(ctx, form, draft, field, lambda: kind_of(field).press(field, value, draft.answers.get(field.id), _facts(ctx)))

    return press


for _code in sorted({kind.code for kind in KINDS.values() if kind.code}):  # f:c, f:d, f:m, f:y
    router.action(_code, arity=2)(_pressed(_code))


@router.action("f:done", arity=1)
async def done(ctx: Context, field_id: str) -> None:
    found = await _current(ctx, field_id, None)
    if found is None:
        return
    form, draft, field = found
    await _take(ctx, form, draft, field, lambda: kind_of(field).done(field, draft.answers.get(field.id)))


@router.action("f:skip", arity=1)
async def skip(ctx: Context, field_id: str) -> None:
    found = await _current(ctx, field_id, None)
    if found is None:
        return
    form, draft, field = found
    if not field.optional:
        raise StaleAction(field_id)
    draft.answers.pop(field.id, None)
    form_steps.answered(draft, form, field)
    await _ask(ctx, form, draft)


def _takes_text(ctx: Context) -> bool:
    kind = KINDS.get(str(ctx.data.get("field_type")))
    return kind is not None and kind.takes_text


@router.state(STATE, accepts_text=_takes_text)
async def answer(ctx: Context) -> None:
    """A typed, sent or shared answer to the question she is at."""
    form, draft = await _draft(ctx)
    field = form.field(draft.current) if draft.current else None
    if field is None:
        ctx.reply(ctx.t("form-use-buttons"))
        await _summary(ctx, form, draft)
        return
    try:
        taken = await kind_of(field).receive(ctx, field, draft.answers.get(field.id), _facts(ctx))
    except Refused as refusal:
        await _again(ctx, form, draft, refusal)
        return
    await _take(ctx, form, draft, field, lambda: taken)


async def _take(ctx: Context, form: Form, draft: FormDraft, field: FormField, take: Any) -> None:
    """Apply an answer (`take()` gives it, or says why not): move on, or ask again with it."""
    try:
        taken: Answer = take()
    except Refused as refusal:
        await _again(ctx, form, draft, refusal)
        return
    if not taken.final:
        draft.answers[field.id] = taken.value
        await _ask(ctx, form, draft)
        return
    if taken.value == "no" and field.stop_when_no is not None:  # only yes/no fields have these (forms_model)
        await _pause_for_safety(ctx, form, draft, field)
        return
    if taken.value == "no" and field.must_be_yes is not None:
        ctx.reply(field.must_be_yes.get(ctx.language))
        await _ask(ctx, form, draft)
        return
    draft.answers[field.id] = taken.value
    form_steps.answered(draft, form, field)
    await _ask(ctx, form, draft)


async def _again(ctx: Context, form: Form, draft: FormDraft, refusal: Refused) -> None:
    ctx.reply(ctx.t(refusal.key, **refusal.values))
    await _ask(ctx, form, draft)


# ---------------------------------------------------------------- moving through the form


@router.action("f:back")
async def back(ctx: Context) -> None:
    form, draft = await _draft(ctx)
    if not form_steps.go_back(draft):
        raise StaleAction("nothing before")
    await _ask(ctx, form, draft)


@router.action("f:again", arity=1)
async def ask_again(ctx: Context, field_id: str) -> None:
    form, draft = await _draft(ctx) if ctx.state == STATE else await _paused_draft(ctx, field_id)
    await _ask(ctx, form, draft)


async def _pause_for_safety(ctx: Context, form: Form, draft: FormDraft, field: FormField) -> None:
    await reports_repo.save_draft(ctx.session, ctx.cipher, ctx.user, draft, ctx.now)
    ctx.go(None)
    rows = [
        [button(ctx, "form-safe-now", "f:again", field.id)],
        [button(ctx, "settings-wipe-chat", "priv:wipe")],
        back_home(ctx),
    ]
    text = "\n\n".join([field.stop_when_no.get(ctx.language) if field.stop_when_no else "", emergency_block(ctx)])
    ctx.reply(text.strip(), rows)


# ---------------------------------------------------------------- summary, send, cancel


async def _summary(ctx: Context, form: Form, draft: FormDraft) -> None:
    ctx.go(STATE, form=form.id, field_type="summary")
    lines = [ctx.t("form-summary", form=form.title.get(ctx.language))]
    editable = form_steps.shown_fields(form, draft.answers)
    for number, field in enumerate(editable, start=1):
        value = draft.answers.get(field.id)
        shown = shown_value(ctx, form, field, value) if value not in (None, [], "") else ctx.t("form-not-given")
        lines.append(f"{number}. {field.label.get(ctx.language)}: {shown}")
    edit_buttons = [Button(f"✏️ {number}", encode("f:edit", field.id)) for number, field in enumerate(editable, start=1)]
    # The edit buttons come first, so that where a menu is a numbered text (WhatsApp, the
    # console) typing 3 changes answer 3, as the summary says.
    rows = in_rows(edit_buttons, 4)
    rows.append([button(ctx, "form-send", "f:send")])
    rows.append([button(ctx, "form-later", "f:later"), button(ctx, "form-cancel", "f:cancel")])
    ctx.reply(ctx.fit_text("\n".join(lines)), rows)


@router.action("f:edit", arity=1)
async def edit(ctx: Context, field_id: str) -> None:
    form, draft = await _draft(ctx)
    if not form_steps.start_editing(draft, form, field_id):
        raise StaleAction(field_id)
    await _ask(ctx, form, draft)


@router.action("f:send")
async def send(ctx: Context) -> None:
    form, draft = await _draft(ctx)
    if not form_steps.ready_to_send(draft, form):
        ctx.reply(ctx.t("form-not-finished"))
        await _ask(ctx, form, draft)
        return
    answers = form_steps.visible_answers(form, draft.answers)
    await ctx.emit("form.sent", form, answers, draft.extra)  # the reports feature files it
    await reports_repo.delete_draft(ctx.session, ctx.user, form.id)
    for stored in form_steps.hidden_files(draft, form, answers):
        evidence.delete(ctx.settings.data_dir, stored["path"])


@router.action("f:later")
async def later(ctx: Context) -> None:
    await _draft(ctx)
    ctx.go(None)
    ctx.reply(ctx.t("form-draft-kept"), [back_home(ctx)])


@router.action("f:cancel")
async def cancel(ctx: Context) -> None:
    await _draft(ctx)
    rows = [[button(ctx, "form-cancel-confirm", "f:cancel_ok")], [button(ctx, "form-cancel-keep", "f:keep")]]
    ctx.reply(ctx.t("form-cancel-question"), rows)


@router.action("f:keep")
async def keep_going(ctx: Context) -> None:
    form, draft = await _draft(ctx)
    await _ask(ctx, form, draft)


@router.action("f:cancel_ok")
async def cancel_confirmed(ctx: Context) -> None:
    form, _ = await _draft(ctx)
    await discard_draft(ctx, form.id)
    ctx.go(None)
    ctx.reply(ctx.t("form-cancelled"), [back_home(ctx)])


async def discard_draft(ctx: Context, form_id: str) -> None:
    """Delete her draft of this form with the evidence files it holds."""
    draft = await reports_repo.load_draft(ctx.session, ctx.cipher, ctx.user, form_id)
    if draft is None:
        return
    for stored in draft.files():
        evidence.delete(ctx.settings.data_dir, stored["path"])
    await reports_repo.delete_draft(ctx.session, ctx.user, form_id)


# ---------------------------------------------------------------- helpers


async def _paused_draft(ctx: Context, field_id: str) -> tuple[Form, FormDraft]:
    """The draft a safety pause left: the form whose current field this is."""
    for form in ctx.content.forms.values():
        draft = await reports_repo.load_draft(ctx.session, ctx.cipher, ctx.user, form.id)
        if draft is not None and draft.current == field_id:
            return form, draft
    raise StaleAction(field_id)


def _form(ctx: Context, form_id: str) -> Form:
    form = ctx.content.forms.get(form_id)
    if form is None:
        raise StaleAction(form_id)
    return form


async def _draft(ctx: Context) -> tuple[Form, FormDraft]:
    form_id = ctx.data.get("form") if ctx.state == STATE else None
    if form_id is None:
        raise StaleAction("no form open")
    form = _form(ctx, str(form_id))
    draft = await reports_repo.load_draft(ctx.session, ctx.cipher, ctx.user, form.id)
    if draft is None:
        raise StaleAction("no draft")
    return form, draft


async def _current(ctx: Context, field_id: str, code: str | None) -> tuple[Form, FormDraft, FormField] | None:
    """The open form and its current field (whose buttons carry `code`, when given). A button of
    another field is from an old question: she is shown the question she is at, and None is
    returned."""
    form, draft = await _draft(ctx)
    field = form.field(field_id)
    if field is None or draft.current != field.id or (code and kind_of(field).code != code):
        await _ask(ctx, form, draft)
        return None
    return form, draft, field


def _facts(ctx: Context) -> Facts:
    return Facts(today=_today(ctx), regions=ctx.content.regions)


def shown_value(ctx: Context, form: Form, field: FormField, value: Any) -> str:
    return reporting.shown_value(Reader.of(ctx), field, value, limit=SUMMARY_TEXT_LIMIT)


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(ZoneInfo(ctx.settings.timezone)).date()
