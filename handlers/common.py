"""Pieces several handlers share: the buttons and pickers people see in more than one place."""

from __future__ import annotations

from bot.actions import encode
from bot.context import Context, StaleAction
from bot.messages import Button
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


def language_rows(ctx: Context, route: str, current: str | None) -> list[list[Button]]:
    """The three languages, each named in itself; the current one ticked."""
    return [
        [
            Button(
                (MARK if code == current else "") + ctx.content.catalog.text(code, "language-name"),
                encode(route, code),
            )
        ]
        for code in LANGUAGES
    ]


def region_rows(ctx: Context, route: str, current: str | None, per_row: int = 2) -> list[list[Button]]:
    buttons = [
        Button(
            (MARK if code == current else "") + ctx.content.region_name(ctx.language, code),
            encode(route, code),
        )
        for code in ctx.content.regions
    ]
    return [buttons[index : index + per_row] for index in range(0, len(buttons), per_row)]


def checked_language(code: str) -> str:
    if code not in LANGUAGES:
        raise StaleAction(code)
    return code


def checked_region(ctx: Context, code: str) -> str:
    if code not in ctx.content.regions:
        raise StaleAction(code)
    return code
