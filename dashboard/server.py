"""The dashboard's web application: its routes, joined under DASHBOARD_PATH, and the login pages.
The bot's run process serves it on its own aiohttp server (see `bot/run.py`)."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from core.actions import encode
from core.messages import Button
from core.services import App
from dashboard import audit, exports, figures, inbox, public, report
from dashboard.web import APP_KEY, COOKIE, LANGUAGE_COOKIE, HERE, Visit, notify, page, secure_cookies, send_queued, \
    language_of, redirect, security_headers, setup_templates, transaction, visit_of
from storage import dashboard_repo, people_repo

ROUTE_MODULES = (inbox, report, figures, exports, audit, public)


def build(app: App) -> web.Application:
    """The dashboard as an aiohttp application, to be added under DASHBOARD_PATH."""
    web_app = web.Application(middlewares=[security_headers], client_max_size=64 * 1024)
    web_app[APP_KEY] = app
    setup_templates(web_app)
    web_app.router.add_get("/login/{token}", login_page)
    web_app.router.add_post("/login/{token}", log_in)
    web_app.router.add_post("/logout", log_out)
    web_app.router.add_post("/sessions/end", end_sessions)
    web_app.router.add_get("/language/{code}", choose_language)
    web_app.router.add_get("/logged-out", logged_out)
    web_app.router.add_static("/static", HERE / "static", append_version=False)
    for module in ROUTE_MODULES:
        module.add_routes(web_app)
    return web_app


def mount(root: web.Application, app: App) -> None:
    root.add_subapp(app.settings.dashboard_path.rstrip("/") or "/dashboard", build(app))


@page("login.html", login=False)
async def login_page(visit: Visit, session: AsyncSession) -> dict[str, object]:
    """The page a link opens: nothing is spent by opening it (a link preview, a scanner), only
    the Continue button's POST logs her in."""
    token = visit.request.match_info["token"]
    owner = await dashboard_repo.link_owner(session, visit.app.hasher, token, visit.now)
    if owner is not None:
        visit.language = language_of(visit.request, owner, visit.app)
    return {"valid": owner is not None, "token": token}


async def log_in(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    token = request.match_info["token"]
    async with transaction(app) as session:
        visit = await visit_of(request, session)
        spent = await dashboard_repo.spend_link(session, app.hasher, token, visit.now)
        if spent is None:
            await people_repo.audit(session, None, "dashboard.login.refused")
            raise web.HTTPGone(text=visit.t("dashboard-link-spent"))
        user, cookie = spent
        await people_repo.audit(session, user, "dashboard.login")
        when = visit.local(visit.now, "%H:%M")
        not_me = Button(app.content.catalog.text(user.language or app.settings.default_language, "dashboard-not-me"),
                        encode("dash:end"))
        queued = await notify(app, session, user, "dashboard-login-notice", [[not_me]], as_staff=True, time=when)
    await send_queued(app, queued)
    response = redirect(visit.url(""))
    response.set_cookie(COOKIE, cookie, httponly=True, secure=secure_cookies(app), samesite="Strict",
                        path=app.settings.dashboard_path, max_age=int(dashboard_repo.SESSION_LIMIT.total_seconds()))
    if LANGUAGE_COOKIE not in request.cookies:  # her language, also once the session has ended
        _language_cookie(response, app, language_of(request, user, app))
    return response


@page("message.html")
async def log_out(visit: Visit, session: AsyncSession) -> web.StreamResponse:
    cookie = visit.request.cookies.get(COOKIE, "")
    await dashboard_repo.end_session(session, visit.app.hasher, cookie)
    response = redirect(visit.url("logged-out"))
    response.del_cookie(COOKIE, path=visit.app.settings.dashboard_path)
    return response


@page("message.html")
async def end_sessions(visit: Visit, session: AsyncSession) -> web.StreamResponse:
    assert visit.user is not None
    ended = await dashboard_repo.end_all(session, visit.user.id)
    await people_repo.audit(session, visit.user, "dashboard.sessions.ended", count=ended)
    response = redirect(visit.url("logged-out"))
    response.del_cookie(COOKIE, path=visit.app.settings.dashboard_path)
    return response


@page("message.html", login=False)
async def logged_out(visit: Visit, session: AsyncSession) -> dict[str, object]:
    return {"title": visit.t("dashboard-logged-out-title"), "message": visit.t("dashboard-logged-out")}


async def choose_language(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    code = request.match_info["code"]
    back = app.settings.dashboard_path.rstrip("/") + "/"
    response = redirect(back)
    if code in app.content.catalog.languages:
        _language_cookie(response, app, code)
    return response


def _language_cookie(response: web.StreamResponse, app: App, code: str) -> None:
    response.set_cookie(LANGUAGE_COOKIE, code, httponly=True, secure=secure_cookies(app), samesite="Strict",
                        path=app.settings.dashboard_path, max_age=365 * 24 * 3600)
