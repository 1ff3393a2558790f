"""The audit log, for admins: logins, views of content, exports, status and role changes, newest
first, with its filter in the address (action, who, from, to). An entry's details are what the
action recorded (counts, filters, codes), never the content of a report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Mapping

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from dashboard.filters import day_of
from dashboard.web import Visit, page
from storage import audit_repo
from storage.audit_repo import AuditFilter

PAGE_SIZE = 50


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/audit", audit_page)


@dataclass(frozen=True)
class AuditView:
    """The audit filter as the address gives it; values that are not valid are dropped."""

    action: str | None = None
    actor: int | None = None
    since: date | None = None
    until: date | None = None  # the last day shown, included

    @classmethod
    def read(cls, query: Mapping[str, str], actions: list[str]) -> AuditView:
        actor = query.get("actor", "").strip().lstrip("#")
        return cls(action=query.get("action") if query.get("action") in actions else None,
                   actor=int(actor) if actor.isdecimal() and len(actor) < 12 else None,
                   since=day_of(query.get("since")), until=day_of(query.get("until")))

    def for_query(self, visit: Visit) -> AuditFilter:
        def start(day: date | None) -> datetime | None:
            return datetime.combine(day, time(), visit.zone) if day else None

        return AuditFilter(action=self.action, actor_id=self.actor, since=start(self.since),
                           until=start(self.until + timedelta(days=1)) if self.until else None)

    def as_query(self, **changes: Any) -> dict[str, str]:
        values = {"action": self.action, "actor": self.actor, "since": self.since, "until": self.until, **changes}
        return {name: value.isoformat() if isinstance(value, date) else str(value)
                for name, value in values.items() if value not in (None, "")}


@page("audit.html", admin=True)
async def audit_page(visit: Visit, session: AsyncSession) -> dict[str, object]:
    actions = await audit_repo.audit_actions(session)
    wanted = AuditView.read(visit.request.query, actions)
    asked = visit.request.query.get("page", "1")
    number = max(1, int(asked)) if asked.isdecimal() and len(asked) < 7 else 1
    entries, total = await audit_repo.audit_entries(session, wanted.for_query(visit), offset=(number - 1) * PAGE_SIZE,
                                                    limit=PAGE_SIZE)
    rows = [
        {"at": visit.local(entry.at, "%d.%m.%Y %H:%M:%S"), "actor": entry.actor_id, "action": entry.action,
         "target": entry.target or "", "details": details_of(entry.details)}
        for entry in entries
    ]
    return {"audit": wanted, "actions": actions, "rows": rows, "total": total, "page_number": number,
            "pages": max(1, -(-total // PAGE_SIZE))}


def details_of(details: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """An entry's details as (key, value) text: lists joined, mappings as key=value."""
    return [(str(key), _text(value)) for key, value in (details or {}).items()]


def _text(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{key}={_text(item)}" for key, item in value.items()) or "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(item) for item in value) or "—"
    return "—" if value is None else str(value)
