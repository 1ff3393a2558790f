"""Pieces several handlers share: the buttons and pickers people see in more than one place."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from core.actions import encode
from core.context import Context, StaleAction
from core.messages import Button
from storage.models import Role
from content.locales import LANGUAGES

MARK = "✓ "


def button(ctx: Context, key: str, route: str, *args: object) -> Button:
    return Button(ctx.t(key), encode(route, *args))


# Where a main-menu section, or a lesson's link to it, leads. Sections still being built say so.
MENU_ACTIONS = {
    "lessons": ("les",),
    "legal": ("la",),
    "report": ("rep:new",),
    "monitor": ("mon",),
}


def menu_action(section: str) -> str:
    route, *args = MENU_ACTIONS[section]
    return encode(route, *args)


def back_home(ctx: Context) -> list[Button]:
    return [button(ctx, "button-main-menu", "home")]


def in_rows(buttons: list[Button], per_row: int = 2) -> list[list[Button]]:
    """Buttons laid out `per_row` to a row (two fit a phone's width with their labels)."""
    return [buttons[index : index + per_row] for index in range(0, len(buttons), per_row)]


def marked(label: str, on: bool) -> str:
    """The label, ticked when `on` (a chosen option, the current language, a done lesson)."""
    return (MARK if on else "") + label


def marked_rows(
    choices: Iterable[tuple[str, str]], chosen: Container[str | None], route: str, *args: object, per_row: int = 2
) -> list[list[Button]]:
    """A button for each (value, label) of `choices`, ticked when its value is in `chosen`; each
    leads to `route` with `args` and then its value. Laid out `per_row` to a row."""
    buttons = [Button(marked(label, value in chosen), encode(route, *args, value)) for value, label in choices]
    return in_rows(buttons, per_row)


def staff_regions(ctx: Context) -> list[str] | None:
    """The regions whose data she may read as staff: None (all) for an admin, her own for a
    coordinator. Raises AccessDenied for anyone else: the check is made where the data is read."""
    ctx.require_role(Role.COORDINATOR, Role.ADMIN)
    return None if ctx.user.role == Role.ADMIN else list(ctx.user.coordinator_regions)


def staff_region_codes(ctx: Context) -> list[str]:
    """Her regions (every region for an admin), in the content's order."""
    allowed = staff_regions(ctx)
    return [code for code in ctx.content.regions if allowed is None or code in allowed]


def language_rows(ctx: Context, route: str, current: str | None) -> list[list[Button]]:
    """The three languages, each named in itself; the current one ticked."""
    names = [(code, ctx.content.catalog.text(code, "language-name")) for code in LANGUAGES]
    return marked_rows(names, [current], route, per_row=1)


def region_rows(ctx: Context, route: str, current: str | None, per_row: int = 2) -> list[list[Button]]:
    names = [(code, ctx.content.region_name(ctx.language, code)) for code in ctx.content.regions]
    return marked_rows(names, [current], route, per_row=per_row)


def typed_text(ctx: Context, length_key: str, longest: int, shortest: int = 1) -> str | None:
    """What she typed, without the spaces around it; None, and the `length_key` message told,
    when it is shorter than `shortest` or longer than `longest` characters."""
    text = (ctx.incoming.text or "").strip()
    if not shortest <= len(text) <= longest:
        ctx.reply(ctx.t(length_key))
        return None
    return text


def checked_language(code: str) -> str:
    if code not in LANGUAGES:
        raise StaleAction(code)
    return code


def checked_region(ctx: Context, code: str) -> str:
    if code not in ctx.content.regions:
        raise StaleAction(code)
    return code


def parse_local_datetime(text: str, timezone: str, time_separators: str = ":") -> datetime | None:
    """ "25.11.2026 18:00" typed by a person, in local time; None when it is no such moment."""
    pattern = rf"\s*(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}})\s+(\d{{1,2}})[{re.escape(time_separators)}](\d{{2}})\s*"
    match = re.fullmatch(pattern, text)
    if match is None:
        return None
    day, month, year, hour, minute = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(timezone))
    except ValueError:
        return None
