"""Onboarding (language, then region), the main menu, and the commands that work from anywhere."""

from __future__ import annotations

from core.context import Context, StaleAction
from core.router import Handler, Router
from content.locales import LANGUAGES
from core.messages import Button
from handlers.common import (
    back_home,
    button,
    checked_language,
    checked_region,
    language_rows,
    menu_action,
    region_rows,
)

router = Router("start")

MAX_PAYLOAD = 64  # Telegram's limit for a start link's parameter: no longer one is kept
ONBOARDING = ("onboarding.language", "onboarding.region")

@router.command("start")
async def start(ctx: Context, payload: str) -> None:
    if ctx.user.language is None:
        # A link tapped before she chose a language: kept through onboarding, used at its end.
        kept = payload if len(payload) <= MAX_PAYLOAD and _payload_handler(ctx, payload) else None
        await ask_language(ctx, pending=kept)
        return
    if not await _follow_link(ctx, payload):
        ctx.go(None)
        await show_main_menu(ctx)


async def ask_language(ctx: Context, pending: str | None = None) -> None:
    ctx.go("onboarding.language", **_pending(ctx, pending))
    hint = (ctx.incoming.language_hint or "").split("-")[0].lower()
    preselected = hint if hint in LANGUAGES else ctx.settings.default_language
    greeting = "\n".join(ctx.content.catalog.text(code, "choose-language") for code in LANGUAGES)
    ctx.reply(greeting, language_rows(ctx, "ob:lang", preselected))


@router.state("onboarding.language", accepts_text=False)
async def language_expected(ctx: Context) -> None:
    await ask_language(ctx)


@router.action("ob:lang", arity=1)
async def language_chosen(ctx: Context, code: str) -> None:
    ctx.user.language = checked_language(code)
    await ask_region(ctx)


async def ask_region(ctx: Context) -> None:
    ctx.go("onboarding.region", **_pending(ctx))
    rows = region_rows(ctx, "ob:reg", ctx.user.region)
    rows.append([button(ctx, "button-skip", "ob:reg", "skip")])
    ctx.reply(ctx.t("choose-region"), rows, edit=True)


@router.state("onboarding.region", accepts_text=False)
async def region_expected(ctx: Context) -> None:
    await ask_region(ctx)


@router.action("ob:reg", arity=1)
async def region_chosen(ctx: Context, code: str) -> None:
    if ctx.user.language is None:
        raise StaleAction("region before language")
    if code != "skip":
        ctx.user.region = checked_region(ctx, code)
    pending = ctx.data.get("payload") if ctx.state in ONBOARDING else None
    ctx.go(None)
    ctx.reply(ctx.t("welcome"))
    if not (isinstance(pending, str) and await _follow_link(ctx, pending)):
        await show_main_menu(ctx, edit=False)


@router.action("home")
async def home(ctx: Context) -> None:
    ctx.go(None)
    await show_main_menu(ctx, edit=True)


async def show_main_menu(ctx: Context, edit: bool = False) -> None:
    if ctx.user.language is None:
        await ask_language(ctx)
        return
    rows = [
        [Button(ctx.t(f"menu-{section}"), menu_action(section))] for section in ("lessons", "legal", "report", "monitor")
    ]
    rows.append([button(ctx, "menu-status", "rep:status")])
    rows.append([button(ctx, "menu-settings", "set")])
    if ctx.is_staff:
        rows.append([button(ctx, "menu-coordinator", "coord")])
    ctx.reply(ctx.t("main-menu"), rows, edit=edit)


@router.command("menu")
async def menu_command(ctx: Context, _payload: str) -> None:
    ctx.go(None)
    await show_main_menu(ctx)


@router.command("help")
async def help_command(ctx: Context, _payload: str) -> None:
    ctx.reply(ctx.t("help"), [back_home(ctx)])


@router.command("cancel")
async def cancel_command(ctx: Context, _payload: str) -> None:
    ctx.go(None)
    ctx.reply(ctx.t("cancelled"))
    await show_main_menu(ctx)


@router.command("language")
async def language_command(ctx: Context, _payload: str) -> None:
    ctx.reply(ctx.t("choose-language"), language_rows(ctx, "lang:set", ctx.user.language))


async def not_understood(ctx: Context) -> None:
    ctx.reply(ctx.t("not-understood"))
    await show_main_menu(ctx)


async def onboarding(ctx: Context) -> None:
    await ask_language(ctx)


async def _follow_link(ctx: Context, payload: str) -> bool:
    """Do what a start link asks; False when the payload is no link of ours."""
    found = _payload_handler(ctx, payload)
    if found is None:
        return False
    prefix, handler = found
    await handler(ctx, payload[len(prefix) :])
    return True


def _payload_handler(ctx: Context, payload: str) -> tuple[str, Handler] | None:
    """The feature that registered this start link's prefix (a group's invite, a coordinator's)."""
    for prefix, handler in ctx.routes.start_links.items():
        if payload.lower().startswith(prefix):
            return prefix, handler
    return None


def _pending(ctx: Context, payload: str | None = None) -> dict[str, str]:
    """The start link waiting for onboarding to end: a new one, or the one kept so far."""
    kept = payload or (ctx.data.get("payload") if ctx.state in ONBOARDING else None)
    return {"payload": kept} if isinstance(kept, str) else {}

