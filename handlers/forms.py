"""The one runner of guided dialogs (content/forms/*.yaml): it asks each field in turn, checks
the answer, skips what `when:` hides, keeps an encrypted draft after every step (so a restart or
a wandering person loses nothing), shows a summary where any answer can be changed, and hands the
finished answers to the feature that files them."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.actions import encode
from core.context import Context, StaleAction
from core.messages import Button, IncomingKind
from core.router import Router
from content.forms_model import Form, FormField
from handlers import reporting
from handlers.directory import emergency_block
from handlers.reporting import Reader
from handlers.common import MARK, back_home, button, in_rows
from storage import evidence
from storage import reports_repo

router = Router("forms")
logger = logging.getLogger("tynchtyk.forms")

STATE = "form"
SUMMARY_TEXT_LIMIT = 160
TEXT_TYPES = ("text", "number")


# ---------------------------------------------------------------- starting


async def open_form(ctx: Context, form_id: str, extra: dict[str, Any] | None = None) -> None:
    """Start a dialog, or offer back the draft she left."""
    form = _form(ctx, form_id)
    draft = await reports_repo.load_draft(ctx.session, ctx.cipher, ctx.user, form.id)
    if draft is not None:
        started = datetime.fromisoformat(draft["started"]).astimezone(ZoneInfo(ctx.settings.timezone))
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
    extra = draft.get("extra") if draft else None
    await discard_draft(ctx, form.id)
    await _begin(ctx, form, extra)


async def _begin(ctx: Context, form: Form, extra: dict[str, Any] | None) -> None:
    draft: dict[str, Any] = {
        "form": form.id,
        "version": form.version,
        "answers": {},
        "history": [],
        "current": None,
        "editing": False,
        "extra": extra or {},
        "started": ctx.now.isoformat(),
    }
    draft["current"] = _next_field(form, draft["answers"], after=None)
    ctx.reply(form.intro.get(ctx.language))
    await _ask(ctx, form, draft)


# ---------------------------------------------------------------- asking


async def _ask(ctx: Context, form: Form, draft: dict[str, Any]) -> None:
    await reports_repo.save_draft(ctx.session, ctx.cipher, ctx.user, form.id, draft, ctx.now)
    field = form.field(draft["current"]) if draft["current"] else None
    if field is None:
        await _summary(ctx, form, draft)
        return
    ctx.go(STATE, form=form.id, field_type=field.type)
    rows = _answer_buttons(ctx, form, field, draft)
    navigation = []
    if draft["history"] and not draft["editing"]:
        navigation.append(button(ctx, "form-back", "f:back"))
    if field.optional and field.type != "media":
        navigation.append(button(ctx, "button-skip", "f:skip", field.id))
    if navigation:
        rows.append(navigation)
    rows.append([button(ctx, "form-cancel", "f:cancel")])
    parts = [ctx.t("form-step", number=_step_number(form, draft, field), total=_step_total(form, draft["answers"])),
             field.question.get(ctx.language)]
    if field.hint:
        parts.append(field.hint.get(ctx.language))
    current = draft["answers"].get(field.id)
    if current not in (None, [], "") and field.type in ("text", "number", "date"):
        parts.append(ctx.t("form-current-answer", value=shown_value(ctx, form, field, current)))
    ctx.reply("\n\n".join(parts), rows)


def _answer_buttons(ctx: Context, form: Form, field: FormField, draft: dict[str, Any]) -> list[list[Button]]:
    answer = draft["answers"].get(field.id)
    if field.type == "choice":
        return [[Button(reporting.option_label(Reader.of(ctx), field, option), encode("f:c", field.id, option))] for option in field.option_ids(ctx.content.regions)]
    if field.type == "multi":
        chosen = set(answer or [])
        rows = [
            [Button((MARK if option in chosen else "") + reporting.option_label(Reader.of(ctx), field, option), encode("f:m", field.id, option))]
            for option in field.option_ids(ctx.content.regions)
        ]
        rows.append([button(ctx, "form-done", "f:done", field.id)])
        return rows
    if field.type == "yesno":
        return [[button(ctx, "button-yes", "f:y", field.id, "yes"), button(ctx, "button-no", "f:y", field.id, "no")]]
    if field.type == "date":
        return [[button(ctx, "form-today", "f:d", field.id, "0"), button(ctx, "form-yesterday", "f:d", field.id, "1")]]
    if field.type == "media" and answer:
        return [[button(ctx, "form-done", "f:done", field.id)]]
    if field.type == "media" and field.optional:  # nothing sent yet: the Skip its question promises
        return [[button(ctx, "button-skip", "f:skip", field.id)]]
    return []


# ---------------------------------------------------------------- answers by button


@router.action("f:c", arity=2)
async def choose(ctx: Context, field_id: str, option: str) -> None:
    found = await _current(ctx, field_id, "choice")
    if found is None:
        return
    form, draft, field = found
    if option not in field.option_ids(ctx.content.regions):
        raise StaleAction(option)
    await _accept(ctx, form, draft, field, option)


@router.action("f:m", arity=2)
async def toggle(ctx: Context, field_id: str, option: str) -> None:
    found = await _current(ctx, field_id, "multi")
    if found is None:
        return
    form, draft, field = found
    if option not in field.option_ids(ctx.content.regions):
        raise StaleAction(option)
    chosen = set(draft["answers"].get(field.id) or [])
    chosen ^= {option}
    if len(chosen) > field.max_items:
        ctx.reply(ctx.t("form-too-many", limit=field.max_items))
    else:
        draft["answers"][field.id] = sorted(chosen)
    await _ask(ctx, form, draft)


@router.action("f:y", arity=2)
async def yes_or_no(ctx: Context, field_id: str, value: str) -> None:
    found = await _current(ctx, field_id, "yesno")
    if found is None:
        return
    form, draft, field = found
    if value not in ("yes", "no"):
        raise StaleAction(value)
    await _accept(ctx, form, draft, field, value)


@router.action("f:d", arity=2)
async def relative_date(ctx: Context, field_id: str, days_ago: str) -> None:
    found = await _current(ctx, field_id, "date")
    if found is None:
        return
    form, draft, field = found
    if days_ago not in ("0", "1"):
        raise StaleAction(days_ago)
    await _accept(ctx, form, draft, field, (_today(ctx) - timedelta(days=int(days_ago))).isoformat())


@router.action("f:done", arity=1)
async def done(ctx: Context, field_id: str) -> None:
    found = await _current(ctx, field_id, None)
    if found is None:
        return
    form, draft, field = found
    value = draft["answers"].get(field.id)
    if field.type not in ("media", "multi"):
        raise StaleAction(field_id)
    if not value and not field.optional:
        ctx.reply(ctx.t("form-need-one"))
        await _ask(ctx, form, draft)
        return
    await _accept(ctx, form, draft, field, value or [])


@router.action("f:skip", arity=1)
async def skip(ctx: Context, field_id: str) -> None:
    found = await _current(ctx, field_id, None)
    if found is None:
        return
    form, draft, field = found
    if not field.optional:
        raise StaleAction(field_id)
    draft["answers"].pop(field.id, None)
    await _move_on(ctx, form, draft, field)


@router.action("f:back")
async def back(ctx: Context) -> None:
    form, draft = await _draft(ctx)
    if not draft["history"]:
        raise StaleAction("nothing before")
    draft["current"] = draft["history"].pop()
    draft["editing"] = False
    await _ask(ctx, form, draft)


@router.action("f:again", arity=1)
async def ask_again(ctx: Context, field_id: str) -> None:
    form, draft = await _draft(ctx) if ctx.state == STATE else await _paused_draft(ctx, field_id)
    await _ask(ctx, form, draft)


# ---------------------------------------------------------------- typed, sent or shared answers


def _takes_text(ctx: Context) -> bool:
    return ctx.data.get("field_type") in TEXT_TYPES


@router.state(STATE, accepts_text=_takes_text)
async def answer(ctx: Context) -> None:
    form, draft = await _draft(ctx)
    field = form.field(draft["current"]) if draft["current"] else None
    if field is None:
        ctx.reply(ctx.t("form-use-buttons"))
        await _summary(ctx, form, draft)
        return
    incoming = ctx.incoming
    if field.type == "media":
        await _media(ctx, form, draft, field)
        return
    if field.type == "location":
        if incoming.kind is IncomingKind.LOCATION and incoming.location is not None:
            await _accept(ctx, form, draft, field, [incoming.location.latitude, incoming.location.longitude])
            return
        await _again(ctx, form, draft, "form-need-location")
        return
    if incoming.kind is not IncomingKind.TEXT or not (incoming.text or "").strip():
        await _again(ctx, form, draft, f"form-need-{field.type}")
        return
    value, problem = _parse(ctx, field, incoming.text or "")
    if problem is not None:
        ctx.reply(problem)
        await _ask(ctx, form, draft)
        return
    await _accept(ctx, form, draft, field, value)


def _parse(ctx: Context, field: FormField, text: str) -> tuple[Any, str | None]:
    """A typed answer as the field's value, or a message saying what to do instead."""
    text = text.strip()
    if field.type == "text":
        if len(text) < field.min_length:
            return None, ctx.t("form-text-too-short", minimum=field.min_length)
        if len(text) > field.max_length:
            return None, ctx.t("form-text-too-long", maximum=field.max_length, length=len(text))
        return text, None
    if field.type == "number":
        try:
            number = float(text.replace(",", ".").replace(" ", ""))
        except ValueError:
            return None, ctx.t("form-need-number")
        if (field.minimum is not None and number < field.minimum) or (field.maximum is not None and number > field.maximum):
            return None, ctx.t("form-number-range", minimum=_plain(field.minimum or 0), maximum=_plain(field.maximum or 0))
        return _plain(number), None
    if field.type == "date":
        day = parse_date(text)
        if day is None:
            return None, ctx.t("form-need-date")
        if field.not_future and day > _today(ctx):
            return None, ctx.t("form-date-future")
        if day.year < 1990:
            return None, ctx.t("form-need-date")
        return day.isoformat(), None
    options = field.option_ids(ctx.content.regions)
    if text.isdecimal() and 1 <= int(text) <= len(options) and field.type in ("choice", "multi"):
        return (options[int(text) - 1] if field.type == "choice" else [options[int(text) - 1]]), None
    if field.type == "yesno" and text.isdecimal() and text in ("1", "2"):
        return ("yes" if text == "1" else "no"), None
    return None, ctx.t("form-choice-unknown")


def parse_date(text: str) -> date | None:
    text = text.strip()
    for pattern, order in ((r"(\d{1,2})[./\-](\d{1,2})[./\-](\d{4})", "dmy"), (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd")):
        match = re.fullmatch(pattern, text)
        if match:
            first, second, third = (int(part) for part in match.groups())
            day, month, year = (first, second, third) if order == "dmy" else (third, second, first)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


async def _media(ctx: Context, form: Form, draft: dict[str, Any], field: FormField) -> None:
    incoming = ctx.incoming
    files: list[dict[str, Any]] = list(draft["answers"].get(field.id) or [])
    or_skip = "-or-skip" if not files and field.optional else ""  # the button shown is Skip, not Done
    if incoming.kind is not IncomingKind.MEDIA or incoming.media is None:
        await _again(ctx, form, draft, f"form-need-media{or_skip}")
        return
    limit = int(field.max_megabytes * 1024 * 1024)
    if len(files) >= field.max_items:
        await _again(ctx, form, draft, "form-too-many", limit=field.max_items)
        return
    if incoming.media.size is not None and incoming.media.size > limit:
        await _again(ctx, form, draft, "form-file-too-big", megabytes=_plain(field.max_megabytes))
        return
    if ctx.download is None:
        await _again(ctx, form, draft, f"form-no-files-here{or_skip}")
        return
    try:
        content = await ctx.download(incoming.media)
    except Exception:  # the channel's download failed: she may simply send it again
        logger.warning("evidence download failed", exc_info=True)
        await _again(ctx, form, draft, "form-file-failed")
        return
    if len(content) > limit:
        await _again(ctx, form, draft, "form-file-too-big", megabytes=_plain(field.max_megabytes))
        return
    stored = evidence.store(ctx.cipher, ctx.settings.data_dir, content)
    files.append(
        {"path": stored.path, "sha256": stored.sha256, "size": stored.size,
         "kind": incoming.media.kind, "mime": incoming.media.mime_type}
    )
    draft["answers"][field.id] = files
    ctx.reply(ctx.t("form-file-received", count=len(files), limit=field.max_items))
    await _ask(ctx, form, draft)


async def _again(ctx: Context, form: Form, draft: dict[str, Any], key: str, **args: Any) -> None:
    ctx.reply(ctx.t(key, **args))
    await _ask(ctx, form, draft)


# ---------------------------------------------------------------- moving through the form


async def _accept(ctx: Context, form: Form, draft: dict[str, Any], field: FormField, value: Any) -> None:
    if field.type == "yesno" and value == "no" and field.stop_when_no is not None:
        await _pause_for_safety(ctx, form, draft, field)
        return
    if field.type == "yesno" and value == "no" and field.must_be_yes is not None:
        ctx.reply(field.must_be_yes.get(ctx.language))
        await _ask(ctx, form, draft)
        return
    draft["answers"][field.id] = value
    await _move_on(ctx, form, draft, field)


async def _move_on(ctx: Context, form: Form, draft: dict[str, Any], field: FormField) -> None:
    answers = draft["answers"]
    if draft["editing"]:
        draft["editing"] = False
        draft["current"] = _first_unanswered(form, answers)
    else:
        if field.id not in draft["history"]:
            draft["history"].append(field.id)
        draft["current"] = _next_field(form, answers, after=field.id)
    await _ask(ctx, form, draft)


async def _pause_for_safety(ctx: Context, form: Form, draft: dict[str, Any], field: FormField) -> None:
    await reports_repo.save_draft(ctx.session, ctx.cipher, ctx.user, form.id, draft, ctx.now)
    ctx.go(None)
    rows = [
        [button(ctx, "form-safe-now", "f:again", field.id)],
        [button(ctx, "settings-wipe-chat", "priv:wipe")],
        back_home(ctx),
    ]
    text = "\n\n".join([field.stop_when_no.get(ctx.language) if field.stop_when_no else "", emergency_block(ctx)])
    ctx.reply(text.strip(), rows)


def _next_field(form: Form, answers: dict[str, Any], after: str | None) -> str | None:
    ids = [field.id for field in form.fields]
    start = ids.index(after) + 1 if after in ids else 0
    for field in form.fields[start:]:
        if field.shown(answers):
            return field.id
    return None


def _first_unanswered(form: Form, answers: dict[str, Any]) -> str | None:
    for field in form.fields:
        if field.shown(answers) and not field.optional and field.id not in answers:
            return field.id
    return None


def visible_answers(form: Form, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers of the fields the final answers show; hidden ones are dropped."""
    return {field.id: answers[field.id] for field in form.fields if field.id in answers and field.shown(answers)}


def _step_number(form: Form, draft: dict[str, Any], field: FormField) -> int:
    shown = [item.id for item in form.fields if item.shown(draft["answers"])]
    return shown.index(field.id) + 1 if field.id in shown else len(draft["history"]) + 1


def _step_total(form: Form, answers: dict[str, Any]) -> int:
    return sum(field.shown(answers) for field in form.fields)


# ---------------------------------------------------------------- summary, send, cancel


async def _summary(ctx: Context, form: Form, draft: dict[str, Any]) -> None:
    ctx.go(STATE, form=form.id, field_type="summary")
    answers = draft["answers"]
    lines = [ctx.t("form-summary", form=form.title.get(ctx.language))]
    editable = []
    for field in form.fields:
        if not field.shown(answers):
            continue
        editable.append(field)
        value = answers.get(field.id)
        shown = shown_value(ctx, form, field, value) if value not in (None, [], "") else ctx.t("form-not-given")
        lines.append(f"{len(editable)}. {field.label.get(ctx.language)}: {shown}")
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
    field = form.field(field_id)
    if field is None or not field.shown(draft["answers"]):
        raise StaleAction(field_id)
    draft["current"], draft["editing"] = field.id, True
    await _ask(ctx, form, draft)


@router.action("f:send")
async def send(ctx: Context) -> None:
    form, draft = await _draft(ctx)
    missing = _first_unanswered(form, draft["answers"])
    if missing is not None or draft["current"] is not None:
        draft["current"] = missing or draft["current"]
        ctx.reply(ctx.t("form-not-finished"))
        await _ask(ctx, form, draft)
        return
    answers = visible_answers(form, draft["answers"])
    await ctx.emit("form.sent", form, answers, draft.get("extra") or {})  # the reports feature files it
    await reports_repo.delete_draft(ctx.session, ctx.user, form.id)
    for field in form.fields:  # files of answers that were later hidden are not part of the report
        if field.type == "media" and field.id in draft["answers"] and field.id not in answers:
            for item in draft["answers"][field.id]:
                evidence.delete(ctx.settings.data_dir, item["path"])


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
    draft = await reports_repo.load_draft(ctx.session, ctx.cipher, ctx.user, form_id)
    if draft is None:
        return
    for value in draft.get("answers", {}).values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and "path" in item:
                    evidence.delete(ctx.settings.data_dir, item["path"])
    await reports_repo.delete_draft(ctx.session, ctx.user, form_id)


# ---------------------------------------------------------------- helpers


async def _paused_draft(ctx: Context, field_id: str) -> tuple[Form, dict[str, Any]]:
    """The draft a safety pause left: the form whose current field this is."""
    for form in ctx.content.forms.values():
        draft = await reports_repo.load_draft(ctx.session, ctx.cipher, ctx.user, form.id)
        if draft is not None and draft.get("current") == field_id:
            return form, draft
    raise StaleAction(field_id)


def _form(ctx: Context, form_id: str) -> Form:
    form = ctx.content.forms.get(form_id)
    if form is None:
        raise StaleAction(form_id)
    return form


async def _draft(ctx: Context) -> tuple[Form, dict[str, Any]]:
    form_id = ctx.data.get("form") if ctx.state == STATE else None
    if form_id is None:
        raise StaleAction("no form open")
    form = _form(ctx, str(form_id))
    draft = await reports_repo.load_draft(ctx.session, ctx.cipher, ctx.user, form.id)
    if draft is None:
        raise StaleAction("no draft")
    return form, draft


async def _current(
    ctx: Context, field_id: str, field_type: str | None
) -> tuple[Form, dict[str, Any], FormField] | None:
    """The open form and its current field. A button of another field is from an old question:
    she is shown the question she is at, and None is returned."""
    form, draft = await _draft(ctx)
    field = form.field(field_id)
    if field is None or draft["current"] != field.id or (field_type and field.type != field_type):
        await _ask(ctx, form, draft)
        return None
    return form, draft, field


def shown_value(ctx: Context, form: Form, field: FormField, value: Any) -> str:
    return reporting.shown_value(Reader.of(ctx), field, value, limit=SUMMARY_TEXT_LIMIT)


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(ZoneInfo(ctx.settings.timezone)).date()


def _plain(number: float) -> int | float:
    return int(number) if float(number).is_integer() else number
