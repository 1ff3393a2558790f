"""What every dashboard page shares: the visit (who is logged in, in which language, the form
token), the security headers, the database session of one request, and notices to a chat.

Pages are server-rendered Jinja templates with autoescaping. Each request reads its login from
the database (`storage.dashboard_repo`), so a session ends at once everywhere when her role or
regions change. GET never changes anything; every POST carries the session's CSRF token."""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import aiohttp_jinja2
import jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from content.locales import LANGUAGES
from core.logs import log_event
from core.messages import Button, Notify
from core.services import App
from storage import dashboard_repo, outbox_repo
from storage.models import Role, User

logger = logging.getLogger("tynchtyk.dashboard")

HERE = Path(__file__).parent
COOKIE = "tynchtyk_session"
LANGUAGE_COOKIE = "tynchtyk_language"
APP_KEY: web.AppKey[App] = web.AppKey("tynchtyk", App)
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Visit:
    """One request's reader: her login (None on the public pages), language and form token."""

    app: App
    request: web.Request
    language: str
    user: User | None = None
    csrf: str = ""
    queued: list[int] = field(default_factory=list)  # outbox rows to send once the view's changes commit

    def t(self, key: str, /, **args: Any) -> str:
        return self.app.content.catalog.text(self.language, key, **args)

    @property
    def now(self) -> datetime:
        return self.app.engine.clock()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.app.settings.timezone)

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.role == Role.ADMIN

    @property
    def regions(self) -> list[str] | None:
        """The regions whose reports she may read: None for an admin (all of them)."""
        if self.user is None:
            return []
        return None if self.user.role == Role.ADMIN else list(self.user.coordinator_regions or [])

    def url(self, path: str = "", **query: Any) -> str:
        """An address inside the dashboard, with the query's non-empty values."""
        base = self.app.settings.dashboard_path.rstrip("/") + "/" + path.lstrip("/")
        pairs = [(key, str(value)) for key, value in query.items() if value not in (None, "")]
        return base + ("?" + urlencode(pairs) if pairs else "")

    def local(self, moment: datetime | None, pattern: str = "%d.%m.%Y %H:%M") -> str:
        return moment.astimezone(self.zone).strftime(pattern) if moment else "—"

    def region_name(self, code: str | None) -> str:
        content = self.app.content
        return content.region_name(self.language, code) if code in content.regions else "—"


@dataclass(frozen=True)
class AfterCommit:
    """What a view returns for a response made once the page's transaction has committed: a file
    built in a process of its own. The transaction has written (her session's last visit, the
    audit row), and on SQLite a transaction that has written holds the one write lock: every
    chat's update would wait for as long as the file takes to build."""

    make: Callable[[], Awaitable[web.StreamResponse]]


def page(template: str, *, login: bool = True, admin: bool = False) -> Callable[[Callable[..., Awaitable[Any]]], Handler]:
    """A page handler: `view(visit, session)` returns the template's values, a response, or an
    `AfterCommit`; the visit is checked first (logged in, an admin where asked) and the page
    rendered in her language."""

    def wrap(view: Callable[..., Awaitable[Any]]) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            app = request.app[APP_KEY]
            async with transaction(app) as session:
                visit = await visit_of(request, session)
                if login and visit.user is None:
                    return _to_login_needed(visit)
                if admin and not visit.is_admin:
                    raise web.HTTPForbidden(text=visit.t("dashboard-admins-only"))
                if request.method == "POST":
                    await _check_csrf(request, visit)
                result = await view(visit, session)
            await send_queued(app, visit.queued)  # the chat messages the view queued, now committed
            if isinstance(result, AfterCommit):
                return await result.make()
            if isinstance(result, web.StreamResponse):
                return result
            values = {"visit": visit, "t": visit.t, **(result or {})}
            response = aiohttp_jinja2.render_template(template, request, values)
            return response

        return handler

    return wrap


@asynccontextmanager
async def transaction(app: App) -> AsyncIterator[AsyncSession]:
    async with app.sessions() as session, session.begin():
        yield session


async def visit_of(request: web.Request, session: AsyncSession) -> Visit:
    """Who is visiting: her session when its cookie is live (on public pages too, for her language)."""
    app = request.app[APP_KEY]
    visit = Visit(app, request, language_of(request, None, app))
    cookie = request.cookies.get(COOKIE)
    if cookie:
        found = await dashboard_repo.session_of(session, app.hasher, cookie, visit.now)
        if found is not None:
            visit.user = found.user
            visit.csrf = dashboard_repo.csrf_token(app.hasher, cookie)
            visit.language = language_of(request, found.user, app)
    return visit


def language_of(request: web.Request, user: User | None, app: App) -> str:
    """The language she chose here, else her bot language, else the bot's default."""
    chosen = request.query.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    if user is not None and user.language in LANGUAGES:
        return user.language
    return app.settings.default_language


async def _check_csrf(request: web.Request, visit: Visit) -> None:
    form = await request.post()
    sent = str(form.get("csrf", ""))
    if not visit.csrf or not hmac.compare_digest(sent, visit.csrf):
        raise web.HTTPForbidden(text=visit.t("dashboard-form-expired"))


def _to_login_needed(visit: Visit) -> web.StreamResponse:
    response = aiohttp_jinja2.render_template(
        "message.html", visit.request, {"visit": visit, "t": visit.t, "title": visit.t("dashboard-login-needed-title"),
                                        "message": visit.t("dashboard-login-needed")})
    response.set_status(401)
    return response


async def notify(app: App, session: AsyncSession, user: User, key: str, buttons: list[list[Button]] | None = None,
                 as_staff: bool = False, **args: Any) -> list[int]:
    """Queue a message to her chat in this transaction, in her language; send the ids returned
    with `send_queued` once it has committed."""
    if not user.active or not user.external_id:
        return []
    text = app.content.catalog.text(user.language or app.settings.default_language, key, **args)
    notice = Notify.to(user, text, buttons, default_language=app.settings.default_language, as_staff=as_staff)
    return await outbox_repo.queue_notices(session, app.cipher, [notice], app.engine.clock(), app.settings.default_language)


async def send_queued(app: App, row_ids: list[int]) -> None:
    if row_ids:
        await app.sender.send_now(row_ids)


def redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        _harden(request, error)
        raise
    except Exception:  # never a traceback on a page
        log_event(logger, "dashboard page failed", logging.ERROR, exc_info=True)
        response = web.Response(status=500, text="500")
    _harden(request, response)
    return response


def _harden(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    if not request.path.startswith(request.app[APP_KEY].settings.dashboard_path.rstrip("/") + "/static/"):
        response.headers["Cache-Control"] = "no-store"


def setup_templates(web_app: web.Application) -> None:
    aiohttp_jinja2.setup(
        web_app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def secure_cookies(app: App) -> bool:
    """Cookies are Secure except for a plain http address on this machine (a demo, a tunnel)."""
    url = app.settings.dashboard_url or ""
    return not (url == "" or url.startswith("http://127.0.0.1") or url.startswith("http://localhost"))
