"""The way into the coordinators' web dashboard from the chat: a one-time login link, and "Not
me: end all sessions" under the notice of each login. The dashboard itself is served by the shell
(`dashboard/`); this feature only issues and revokes, through `storage.dashboard_repo`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.context import Context
from core.router import Router
from handlers.common import button
from storage import dashboard_repo
from storage.models import Role

if TYPE_CHECKING:
    from bot.settings import Settings

router = Router("dashboard_access")


def login_address(settings: Settings, token: str) -> str:
    """The public address of a login link (DASHBOARD_URL, else this machine's dashboard port)."""
    base = settings.dashboard_url or f"http://{settings.dashboard_host}:{settings.dashboard_port}"
    return f"{base.rstrip('/')}{settings.dashboard_path.rstrip('/')}/login/{token}"


@router.action("dash")
async def send_login_link(ctx: Context) -> None:
    ctx.require_role(Role.COORDINATOR, Role.ADMIN)
    assert ctx.hasher is not None
    token = await dashboard_repo.issue_link(ctx.session, ctx.hasher, ctx.user, ctx.now)
    await ctx.audit("dashboard.link")
    minutes = int(dashboard_repo.LINK_LIFETIME.total_seconds() // 60)
    ctx.reply(ctx.t("dashboard-link", link=login_address(ctx.settings, token), minutes=minutes),
              [[button(ctx, "button-back", "coord")]])


@router.action("dash:end")
async def end_all_sessions(ctx: Context) -> None:
    """"Not me": every dashboard session and unused link of hers ends now."""
    ended = await dashboard_repo.end_all(ctx.session, ctx.user.id)
    await ctx.audit("dashboard.sessions.ended", count=ended)
    ctx.toast(ctx.t("dashboard-sessions-ended", count=ended))
