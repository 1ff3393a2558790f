"""Onboarding (language, then region), the main menu, and the commands that work from anywhere."""

from __future__ import annotations

from core.context import Context, StaleAction
from core.router import Router
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

SECTIONS_NOT_OPEN: tuple[str, ...] = ()


@router.command("start")
async def start(ctx: Context, payload: str) -> None:
    if payload.lower().startswith("coord-"):
        from handlers.admin import redeem_invite

        await redeem_invite(ctx, payload[len("coord-") :])
    if payload.lower().startswith("join-") and ctx.user.language is not None:
        from handlers.monitoring import join_group

        await join_group(ctx, payload[len("join-") :])
        return
    if ctx.user.language is None:
        await ask_language(ctx)
    else:
        ctx.go(None)
        await show_main_menu(ctx)


async def ask_language(ctx: Context) -> None:
    ctx.go("onboarding.language")
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
    ctx.go("onboarding.region")
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
    ctx.go(None)
    ctx.reply(ctx.t("welcome"))
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


@router.action("soon", arity=1)
async def section_not_open(ctx: Context, section: str) -> None:
    if section not in SECTIONS_NOT_OPEN:
        raise StaleAction(section)
    ctx.reply(ctx.t("section-not-open", section=ctx.t(f"menu-{section}")), [back_home(ctx)], edit=True)


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


def command_menu(language: str, catalog_text) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The commands a channel registers (Telegram's setMyCommands), described in `language`."""
    return [(name, catalog_text(language, f"command-{name}")) for name in ("menu", "help", "language", "cancel", "start")]


