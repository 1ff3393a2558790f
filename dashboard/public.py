"""Public figures: counts of the reports by region and by category, month by month, that an admin
reviews and publishes; served to everyone, without a login, at a stable address, as a page and
as CSV. Only whole months are counted, no day and no free text, and the small numbers are
hidden by `dashboard.disclosure` before a snapshot is stored, so the database holds no small
public number either."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from content import Content
from dashboard import disclosure
from dashboard.exports import attachment
from dashboard.inbox import reader
from dashboard.web import Visit, page, redirect
from handlers.reporting import category_label
from storage import export, people_repo, public_repo, reports_repo
from storage.models import PublicSnapshot, Report
from storage.reports_repo import ReportFilter

FIGURES_VERSION = 1
NO_VALUE = "-"  # the key of "region not given" and "category not given"
HIDDEN_IN_CSV = "hidden"
CSV_HXL = ("#meta+table", "#date+reported", "#adm1+name", "#meta+kind", "#event+type", export.COUNT_HXL_TAG)


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/public", public_page)
    web_app.router.add_get("/public.csv", public_csv)
    web_app.router.add_get("/public/new", preview_page)
    web_app.router.add_post("/public/new", publish)


@page("public.html", login=False)
async def public_page(visit: Visit, session: AsyncSession) -> dict[str, object]:
    snapshot = await public_repo.newest(session)
    return {"preview": False, "published_at": visit.local(snapshot.published_at, "%d.%m.%Y") if snapshot else None,
            "tables": tables(visit, snapshot.figures) if snapshot else [], "digest": "", "changed": False}


@page("message.html", login=False)
async def public_csv(visit: Visit, session: AsyncSession) -> web.StreamResponse:
    snapshot = await public_repo.newest(session)
    if snapshot is None:
        raise web.HTTPNotFound(text=visit.t("dashboard-public-none"))
    header = [visit.t(f"dashboard-public-csv-{name}") for name in ("table", "month", "region", "kind", "category", "count")]
    name = f"tynchtyk-public-figures-{visit.local(snapshot.published_at, '%Y%m%d')}.csv"
    return attachment(export.table_csv(header, csv_rows(visit, snapshot), CSV_HXL), name, "text/csv; charset=utf-8")


@page("public.html", admin=True)
async def preview_page(visit: Visit, session: AsyncSession) -> dict[str, object]:
    figures = await current_figures(session, visit.app.content, visit.now, visit.zone)
    return _preview(visit, figures, changed=False)


@page("public.html", admin=True)
async def publish(visit: Visit, session: AsyncSession) -> dict[str, object] | web.StreamResponse:
    """Publish the figures the admin reviewed: if they changed since her preview (a month has
    ended), she sees the new ones first."""
    figures = await current_figures(session, visit.app.content, visit.now, visit.zone)
    form = await visit.request.post()
    if not figures["months"] or form.get("digest") != digest(figures):
        return _preview(visit, figures, changed=bool(figures["months"]))
    assert visit.user is not None
    snapshot = await public_repo.publish(session, figures, visit.user, visit.now)
    await people_repo.audit(session, visit.user, "public.published", target=str(snapshot.id),
                            months=f"{figures['months'][0]}..{figures['months'][-1]}",
                            total=figures["regions"]["total"])
    return redirect(visit.url("public"))


async def current_figures(session: AsyncSession, content: Content, now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    """The figures of every report received before this month began (Bishkek time), by region
    and by category for each whole month, with the small numbers already hidden."""
    local = now.astimezone(zone)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    found = await reports_repo.report_counts(session, None, ReportFilter(until=month_start), Report.region,
                                             Report.kind, Report.category, Report.created_at)
    by_region: Counter[tuple[str, str]] = Counter()
    by_category: Counter[tuple[str, str]] = Counter()
    for region, kind, category, created, count in found:
        month = created.astimezone(zone).strftime("%Y-%m")
        by_region[(month, region or NO_VALUE)] += count
        by_category[(month, f"{kind}:{category or NO_VALUE}")] += count
    months = _months_between(min((month for month, _ in by_region), default=None), month_start)
    counted = {key for _, key in by_region}
    region_keys = list(content.regions) + sorted(counted - set(content.regions) - {NO_VALUE}) + (
        [NO_VALUE] if NO_VALUE in counted else [])
    category_keys = _category_keys(content, {key for _, key in by_category})
    breakdowns = [{key: [counts[(month, key)] for month in months] for key in keys}
                  for counts, keys in ((by_region, region_keys), (by_category, category_keys))]
    regions, categories = disclosure.protect(breakdowns, len(months))
    return {"version": FIGURES_VERSION, "months": months, "regions": _stored(regions), "categories": _stored(categories)}


def digest(figures: dict[str, Any]) -> str:
    """What the admin saw: the publish form carries it, so that she publishes what she reviewed."""
    return hashlib.sha256(json.dumps(figures, sort_keys=True).encode()).hexdigest()


def tables(visit: Visit, figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The two breakdowns as the page shows them, each hidden number as the same mark."""
    months = [f"{month[5:]}.{month[:4]}" for month in figures.get("months", [])]
    result = []
    for name in ("regions", "categories"):
        stored = figures[name]
        rows = [{"label": _row_label(visit, name, row["key"]), "kind": _kind_label(visit, name, row["key"]), "span": 0,
                 "cells": [_shown(visit, count) for count in row["cells"]], "total": _shown(visit, row["total"])}
                for row in stored["rows"]]
        for index, row in enumerate(rows):  # a kind's name once, beside all its categories
            if index == 0 or rows[index - 1]["kind"] != row["kind"]:
                row["span"] = next((after for after, later in enumerate(rows[index:]) if later["kind"] != row["kind"]),
                                   len(rows) - index)
        result.append({"name": name, "title": visit.t(f"dashboard-public-by-{name}"), "months": months, "rows": rows,
                       "all_label": visit.t(f"dashboard-public-all-{name}"),
                       "month_totals": [_shown(visit, count) for count in stored["month_totals"]],
                       "total": _shown(visit, stored["total"])})
    return result


def csv_rows(visit: Visit, snapshot: PublicSnapshot) -> list[list[str | int]]:
    """One line per number of the page: the table, the month, the region, or the kind and the
    category (an "all" label for a total), and the count."""
    figures = snapshot.figures
    months, all_months = figures["months"], visit.t("dashboard-public-all-months")
    lines: list[list[str | int]] = []
    for name in ("regions", "categories"):
        stored, title = figures[name], visit.t(f"dashboard-public-by-{name}")
        every = visit.t(f"dashboard-public-all-{name}")
        for row in stored["rows"]:
            where = _csv_where(visit, name, row["key"])
            lines += [[title, month, *where, _csv_count(count)] for month, count in zip(months, row["cells"])]
            lines.append([title, all_months, *where, _csv_count(row["total"])])
        where = [every, "", ""] if name == "regions" else ["", "", every]
        lines += [[title, month, *where, _csv_count(count)] for month, count in zip(months, stored["month_totals"])]
        lines.append([title, all_months, *where, _csv_count(stored["total"])])
    return lines


def _preview(visit: Visit, figures: dict[str, Any], changed: bool) -> dict[str, object]:
    return {"preview": True, "published_at": None, "tables": tables(visit, figures),
            "digest": digest(figures) if figures["months"] else "", "changed": changed}


def _stored(protected: disclosure.Protected) -> dict[str, Any]:
    return {"rows": [{"key": key, "cells": cells, "total": protected.row_totals[key]}
                     for key, cells in protected.rows.items()],
            "month_totals": protected.month_totals, "total": protected.total}


def _months_between(first: str | None, month_start: datetime) -> list[str]:
    """Every month from the first one with a report to the last whole one, empty ones too."""
    if first is None:
        return []
    year, month = int(first[:4]), int(first[5:])
    months = []
    while (year, month) < (month_start.year, month_start.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _category_keys(content: Content, counted: set[str]) -> list[str]:
    """`kind:category` of every category the forms offer, in their order, and of those counted that
    they no longer offer (or "not given"), each after the others of its kind."""
    known: list[str] = []
    for form in content.forms.values():
        field = form.field(form.category_field) if form.category_field else None
        for option in field.options if field else []:
            if f"{form.kind}:{option.id}" not in known:
                known.append(f"{form.kind}:{option.id}")
    kinds = list(dict.fromkeys(key.partition(":")[0] for key in known))

    def place(key: str) -> tuple[int, int, str]:
        kind = key.partition(":")[0]
        return (kinds.index(kind) if kind in kinds else len(kinds), known.index(key) if key in known else len(known), key)

    return sorted(set(known) | counted, key=place)


def _row_label(visit: Visit, name: str, key: str) -> str:
    if name == "regions":
        return visit.t("dashboard-public-region-none") if key == NO_VALUE else visit.region_name(key)
    kind, _, category = key.partition(":")
    if category == NO_VALUE:
        return visit.t("dashboard-public-category-none")
    form = next((form for form in visit.app.content.forms.values() if form.kind == kind), None)
    return category_label(reader(visit), form, category)


def _kind_label(visit: Visit, name: str, key: str) -> str:
    return visit.t(f"report-kind-{key.partition(':')[0]}") if name == "categories" else ""


def _csv_where(visit: Visit, name: str, key: str) -> list[str]:
    if name == "regions":
        return [_row_label(visit, name, key), "", ""]
    return ["", _kind_label(visit, name, key), _row_label(visit, name, key)]


def _shown(visit: Visit, count: int | None) -> dict[str, Any]:
    return {"hidden": True, "text": visit.t("dashboard-public-hidden")} if count is None else {"hidden": False, "text": str(count)}


def _csv_count(count: int | None) -> str | int:
    return HIDDEN_IN_CSV if count is None else count
