"""Admins keep the legal-aid directory in the chat: add an entry, edit any field, hide or show it.
Every change names its public source, is stored in the database, is seen by people at once, and
is written to the audit log."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from core.actions import encode
from core.context import Context, StaleAction
from core.messages import Button
from core.router import Router
from content.legal_aid_model import Entry, check_entry, valid_phone
from content.locales import LANGUAGES
from handlers.common import button, in_rows, marked_rows
from handlers.directory import describe
from storage import legal_aid_repo
from storage.models import Role

router = Router("legal_aid_admin")

TEXT_FIELDS = ("name", "about", "address", "hours")  # in three languages each
VALUE_FIELDS = ("phones", "website", "email")
CHOICE_FIELDS = ("regions", "topics")
NEW_ENTRY_STEPS = [
    *(f"name.{language}" for language in LANGUAGES),
    *(f"about.{language}" for language in LANGUAGES),
    "phones",
    "website",
    "regions",
    "topics",
    "source",
]
REMOVE = "-"


@router.action("dir")
async def directory_list(ctx: Context) -> None:
    ctx.require_role(Role.ADMIN)
    ctx.go(None)
    entries = await legal_aid_repo.entries(ctx.session, ctx.content.directory, include_hidden=True)
    rows = [
        [Button(entry.name.get(ctx.language) + (f" {ctx.t('dir-hidden-mark')}" if hidden else ""), encode("dir:e", entry.id))]
        for entry, hidden in entries
    ]
    rows.append([button(ctx, "dir-add", "dir:new")])
    rows.append([button(ctx, "button-back", "coord")])
    ctx.reply(ctx.t("dir-title", count=len(entries)), rows, edit=True)


@router.action("dir:e", arity=1)
async def entry_page(ctx: Context, entry_id: str) -> None:
    ctx.require_role(Role.ADMIN)
    entry, hidden = await _entry(ctx, entry_id)
    ctx.go(None)
    await _show_entry(ctx, entry, hidden)


@router.action("dir:edit", arity=2)
async def edit_field(ctx: Context, entry_id: str, field: str) -> None:
    ctx.require_role(Role.ADMIN)
    entry, _ = await _entry(ctx, entry_id)
    if field in TEXT_FIELDS:
        steps = [f"{field}.{language}" for language in LANGUAGES]
    elif field in VALUE_FIELDS or field in CHOICE_FIELDS:
        steps = [field]
    else:
        raise StaleAction(field)
    ctx.go("dir.step", entry=entry.id, draft=entry.model_dump(mode="json", exclude_none=True), steps=[*steps, "source"])
    await _ask(ctx)


@router.action("dir:new")
async def new_entry(ctx: Context) -> None:
    ctx.require_role(Role.ADMIN)
    ctx.go("dir.step", entry=None, draft={"regions": [], "topics": []}, steps=list(NEW_ENTRY_STEPS))
    await _ask(ctx)


@router.action("dir:hide", arity=2)
async def hide_or_show(ctx: Context, entry_id: str, hide: str) -> None:
    ctx.require_role(Role.ADMIN)
    entry, _ = await _entry(ctx, entry_id)
    hidden = hide == "1"
    await legal_aid_repo.set_hidden(ctx.session, entry.id, hidden, ctx.user.id, ctx.now)
    await ctx.audit("directory.hidden" if hidden else "directory.shown", target=entry.id)
    await _show_entry(ctx, entry, hidden)


@router.action("dir:pick", arity=1)
async def toggle_choice(ctx: Context, code: str) -> None:
    ctx.require_role(Role.ADMIN)
    step = _step(ctx)
    if step not in CHOICE_FIELDS:
        raise StaleAction(code)
    valid = [*ctx.content.regions, "all"] if step == "regions" else ctx.content.directory.topic_ids()
    if code not in valid:
        raise StaleAction(code)
    current = ctx.data["draft"].get(step)
    chosen = set(current) if isinstance(current, list) else set()
    if code == "all":
        ctx.data["draft"][step] = "all" if current != "all" else []
    else:
        ctx.data["draft"][step] = sorted(chosen ^ {code})
    await _ask(ctx)


@router.action("dir:done")
async def choice_done(ctx: Context) -> None:
    ctx.require_role(Role.ADMIN)
    step = _step(ctx)
    if step not in CHOICE_FIELDS:
        raise StaleAction("no choice open")
    if not ctx.data["draft"].get(step):
        ctx.reply(ctx.t("dir-choose-one"))
        await _ask(ctx)
        return
    await _advance(ctx)


@router.action("dir:skip")
async def skip_value(ctx: Context) -> None:
    ctx.require_role(Role.ADMIN)
    if _step(ctx) not in VALUE_FIELDS:
        raise StaleAction("nothing to skip")
    await _advance(ctx)


@router.state("dir.step")
async def answer(ctx: Context) -> None:
    ctx.require_role(Role.ADMIN)
    step = _step(ctx)
    text = (ctx.incoming.text or "").strip()
    if not text or step in CHOICE_FIELDS:
        ctx.reply(ctx.t("dir-send-text"))
        await _ask(ctx)
        return
    draft: dict[str, Any] = ctx.data["draft"]
    error = _apply(ctx, draft, step, text)
    if error:
        ctx.reply(error)
        await _ask(ctx)
        return
    if step == "source":
        await _save(ctx)
        return
    await _advance(ctx)


def _apply(ctx: Context, draft: dict[str, Any], step: str, text: str) -> str | None:
    """Put one answer into the draft; a message for her when it is not acceptable."""
    if len(text) > 1000:
        return ctx.t("dir-too-long")
    if "." in step:
        field, language = step.split(".")
        localized = dict(draft.get(field) or {})
        if text == REMOVE and field in ("address", "hours"):
            draft.pop(field, None)
            return None
        localized[language] = text
        draft[field] = localized
    elif step == "phones":
        phones = [] if text == REMOVE else [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]
        bad = next((phone for phone in phones if not valid_phone(phone)), None)
        if bad:
            return ctx.t("dir-bad-phone", phone=bad)
        draft["phones"] = phones
    elif step == "website":
        if text == REMOVE:
            draft.pop("website", None)
        elif not re.fullmatch(r"https?://\S+\.\S+", text):
            return ctx.t("dir-bad-website")
        else:
            draft["website"] = text
    elif step == "email":
        if text == REMOVE:
            draft.pop("email", None)
        elif not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
            return ctx.t("dir-bad-email")
        else:
            draft["email"] = text
    elif step == "source":
        if len(text) < 5:
            return ctx.t("dir-bad-source")
        draft["source"] = text
        draft["checked"] = ctx.now.astimezone(ZoneInfo(ctx.settings.timezone)).strftime("%Y-%m-%d")
    return None


async def _advance(ctx: Context) -> None:
    ctx.data["steps"] = ctx.data["steps"][1:]
    await _ask(ctx)


async def _ask(ctx: Context) -> None:
    step = _step(ctx)
    draft = ctx.data["draft"]
    cancel = [button(ctx, "dir-cancel", "dir:e", ctx.data["entry"]) if ctx.data["entry"] else button(ctx, "dir-cancel", "dir")]
    if "." in step:
        field, language = step.split(".")
        current = (draft.get(field) or {}).get(language)
        text = ctx.t("dir-ask-text", field=ctx.t(f"dir-field-{field}"), language=ctx.content.catalog.text(language, "language-name"))
        if current:
            text += "\n\n" + ctx.t("dir-current", value=current)
        ctx.reply(text, [cancel])
    elif step in VALUE_FIELDS:
        current = draft.get(step)
        text = ctx.t(f"dir-ask-{step}")
        if current:
            text += "\n\n" + ctx.t("dir-current", value=", ".join(current) if isinstance(current, list) else current)
        ctx.reply(text, [[button(ctx, "button-skip", "dir:skip")], cancel])
    elif step in CHOICE_FIELDS:
        await _ask_choice(ctx, step, cancel)
    else:
        ctx.reply(ctx.t("dir-ask-source"), [cancel])


async def _ask_choice(ctx: Context, step: str, cancel: list[Button]) -> None:
    chosen = ctx.data["draft"].get(step)
    if step == "regions":
        codes = [*ctx.content.regions, "all"]
        names = {code: ctx.content.region_name(ctx.language, code) for code in ctx.content.regions}
        names["all"] = ctx.t("legal-region-all")
    else:
        codes = ctx.content.directory.topic_ids()
        names = {code: ctx.t(f"topic-{code}") for code in codes}
    ticked = {"all"} if chosen == "all" else set(chosen) if isinstance(chosen, list) else set()
    rows = marked_rows([(code, names[code]) for code in codes], ticked, "dir:pick")
    rows.append([button(ctx, "dir-done", "dir:done")])
    rows.append(cancel)
    ctx.reply(ctx.t(f"dir-choose-{step}"), rows, edit=True)


async def _save(ctx: Context) -> None:
    draft = dict(ctx.data["draft"])
    entry_id = ctx.data["entry"]
    if entry_id is None:
        existing = {entry.id for entry, _ in await legal_aid_repo.entries(ctx.session, ctx.content.directory, include_hidden=True)}
        entry_id = next(f"added_{number}" for number in range(1, 10_000) if f"added_{number}" not in existing)
    draft["id"] = entry_id
    try:
        entry = Entry.model_validate(draft)
    except ValidationError as error:
        ctx.reply(ctx.t("dir-invalid", problem=error.errors()[0]["msg"]))
        ctx.go(None)
        return
    problems = check_entry(entry, ctx.content.regions, ctx.content.directory.topic_ids())
    if problems:
        ctx.reply(ctx.t("dir-invalid", problem=problems[0]))
        ctx.go(None)
        return
    await legal_aid_repo.save_entry(ctx.session, entry, ctx.user.id, ctx.now)
    await ctx.audit("directory.saved", target=entry.id, new=ctx.data["entry"] is None, source=entry.source)
    ctx.go(None)
    ctx.reply(ctx.t("dir-saved"))
    await _show_entry(ctx, entry, hidden=False)


async def _show_entry(ctx: Context, entry: Entry, hidden: bool) -> None:
    fields = [*TEXT_FIELDS, *VALUE_FIELDS, *CHOICE_FIELDS]
    buttons = [button(ctx, f"dir-edit-{field}", "dir:edit", entry.id, field) for field in fields]
    rows = in_rows(buttons)
    rows.append([button(ctx, "dir-show" if hidden else "dir-hide", "dir:hide", entry.id, "0" if hidden else "1")])
    rows.append([button(ctx, "button-back", "dir")])
    status = ctx.t("dir-hidden-mark") if hidden else ""
    ctx.reply(f"{describe(ctx, entry)}\n{status}".strip(), rows, edit=True)


async def _entry(ctx: Context, entry_id: str) -> tuple[Entry, bool]:
    for entry, hidden in await legal_aid_repo.entries(ctx.session, ctx.content.directory, include_hidden=True):
        if entry.id == entry_id:
            return entry, hidden
    raise StaleAction(entry_id)


def _step(ctx: Context) -> str:
    if ctx.state != "dir.step" or not ctx.data.get("steps"):
        raise StaleAction("no directory edit in progress")
    return str(ctx.data["steps"][0])
