"""The filter of a dashboard view, read from the address (`?since=2026-01-01&region=osh&...`) so
that a view can be shared with a colleague with the same rights. Values that are not valid are
dropped, never passed to a query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from content import Content
from storage.models import ReportStatus
from storage.reports_repo import ReportFilter

KINDS = ("incident", "monitoring")
STATUSES = tuple(status.value for status in ReportStatus)
FIELDS = ("since", "until", "region", "category", "status", "kind")


@dataclass(frozen=True)
class ViewFilter:
    since: date | None = None
    until: date | None = None  # the last day shown, included
    region: str | None = None
    category: str | None = None
    status: str | None = None
    kind: str | None = None

    @classmethod
    def read(cls, query: Mapping[str, str], content: Content, regions: list[str] | None) -> ViewFilter:
        """The filter in an address; a region she may not see is dropped like any unknown value."""
        categories = {option.id for form in content.forms.values() if form.category_field
                      for option in (form.field(form.category_field).options if form.field(form.category_field) else [])}
        region = query.get("region")
        allowed_regions = content.regions if regions is None else tuple(code for code in content.regions if code in regions)
        return cls(
            since=day_of(query.get("since")),
            until=day_of(query.get("until")),
            region=region if region in allowed_regions else None,
            category=query.get("category") if query.get("category") in categories else None,
            status=query.get("status") if query.get("status") in STATUSES else None,
            kind=query.get("kind") if query.get("kind") in KINDS else None,
        )

    def for_query(self, zone: ZoneInfo) -> ReportFilter:
        """The storage filter: her days as times in the bot's time zone."""
        def start(day: date | None) -> datetime | None:
            return datetime.combine(day, time(), zone) if day else None

        return ReportFilter(
            status=self.status, region=self.region, category=self.category, kind=self.kind,
            since=start(self.since), until=start(self.until + timedelta(days=1)) if self.until else None,
        )

    def as_query(self, **changes: Any) -> dict[str, str]:
        """The filter as address values, with some changed (None removes one)."""
        values = {name: getattr(self, name) for name in FIELDS}
        values.update(changes)
        return {name: value.isoformat() if isinstance(value, date) else str(value)
                for name, value in values.items() if value not in (None, "")}

    @property
    def is_empty(self) -> bool:
        return not self.as_query()


def day_of(text: str | None) -> date | None:
    """A day given as YYYY-MM-DD in an address; None for anything else."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
