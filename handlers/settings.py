"""Settings: language, region, and the doors to the privacy actions."""

from __future__ import annotations

from core.context import Context
from core.router import Router
from handlers.common import button, checked_language, checked_region, language_rows, region_rows

router = Router("settings")


@router.action("set")
async def settings_menu(ctx: Context) -> None:
    ctx.go(None)
    await show_settings(ctx, edit=True)


@router.screen("settings")
async def show_settings(ctx: Context, edit: bool = False) -> None:
    region = ctx.content.region_name(ctx.language, ctx.user.region) if ctx.user.region else ctx.t("region-none")
    rows = [
        [button(ctx, "settings-language", "lang")],
        [button(ctx, "settings-region", "region")],
        [button(ctx, "settings-alerts-on" if ctx.user.alerts_muted else "settings-alerts-off", "set:mute")],
        [button(ctx, "settings-wipe-chat", "priv:wipe")],
        [button(ctx, "settings-delete-data", "priv:del")],
        [button(ctx, "button-main-menu", "home")],
    ]
    text = ctx.t(
        "settings",
        language=ctx.content.catalog.text(ctx.language, "language-name"),
        region=region,
        alerts=ctx.t("settings-alerts-muted" if ctx.user.alerts_muted else "settings-alerts-active"),
    )
    ctx.reply(text, rows, edit=edit)


@router.action("lang")
async def language_picker(ctx: Context) -> None:
    ctx.reply(ctx.t("choose-language"), language_rows(ctx, "lang:set", ctx.user.language), edit=True)


@router.action("lang:set", arity=1)
async def language_changed(ctx: Context, code: str) -> None:
    ctx.user.language = checked_language(code)
    ctx.reply(ctx.t("language-changed"))
    await ctx.home()


@router.action("region")
async def region_picker(ctx: Context) -> None:
    rows = region_rows(ctx, "region:set", ctx.user.region)
    rows.append([button(ctx, "region-clear", "region:set", "none")])
    rows.append([button(ctx, "button-back", "set")])
    ctx.reply(ctx.t("choose-region"), rows, edit=True)


@router.action("region:set", arity=1)
async def region_changed(ctx: Context, code: str) -> None:
    ctx.user.region = None if code == "none" else checked_region(ctx, code)
    await show_settings(ctx, edit=True)
