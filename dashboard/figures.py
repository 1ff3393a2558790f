"""The map and the charts: the reports the filter keeps, counted per region on a tile map of the
nine (no boundary file has a clear licence to ship, and no map tiles come from the internet), and
per month, category and status as bars; then the monitoring reports' women and men, the lesson
figures and the campaign alerts, each counted as the chat counts them. Every number is written as
text: the shades and bars only repeat it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from dashboard.filters import ViewFilter
from dashboard.inbox import filter_choices, reader, view_filter
from dashboard.web import Visit, page
from handlers.broadcast import alert_preview, alert_progress, alerts_seen_by
from handlers.lessons import shown_average
from handlers.reporting import category_label
from storage import lessons_repo, people_repo, reports_repo
from storage.crypto import DecryptionError
from storage.models import Report
from storage.reports_repo import ReportFilter

# Where each region's tile sits, roughly as on a map: (row, column, columns it spans). Each city
# stands at the west of its oblast, as Bishkek in Chui and Osh in Osh oblast do.
TILES: dict[str, tuple[int, int, int]] = {
    "talas": (1, 1, 1), "bishkek": (1, 2, 1), "chui": (1, 3, 1), "issyk_kul": (1, 4, 1),
    "jalal_abad": (2, 1, 2), "naryn": (2, 3, 2),
    "batken": (3, 1, 1), "osh_city": (3, 2, 1), "osh_oblast": (3, 3, 2),
}
SHADES = 4  # shades of a tile with reports; a tile with none has shade 0
MONTHS_AT_MOST = 36  # bars of the months chart; a longer period shows its latest months
# The monitoring form's number fields that count people (content/forms/monitoring.yaml).
GENDER_FIELDS = ("women", "men")
# Their answers are encrypted: this many of the newest monitoring reports the filter keeps are
# opened per page view (0.15 s of a 0.3 s page with 10,000 reports here); the page says so when
# the filter keeps more.
MONITORING_OPENED_AT_MOST = 2000


def add_routes(web_app: web.Application) -> None:
    web_app.router.add_get("/map", map_page)
    web_app.router.add_get("/charts", charts_page)


@page("map.html")
async def map_page(visit: Visit, session: AsyncSession) -> dict[str, object]:
    wanted = view_filter(visit)
    counts = dict(await reports_repo.report_counts(session, visit.regions, wanted.for_query(visit.zone), Report.region))
    shown = her_regions(visit)
    highest = max((counts.get(code, 0) for code in shown), default=0)
    tiles = [_tile(visit, wanted, code, counts.get(code, 0), highest, index) for index, code in enumerate(shown)]
    return {
        "filter": wanted, "choices": filter_choices(visit), "tiles": tiles, "legend": legend(highest),
        "total": sum(counts.values()), "elsewhere": sum(count for code, count in counts.items() if code not in shown),
    }


@page("charts.html")
async def charts_page(visit: Visit, session: AsyncSession) -> dict[str, object]:
    wanted = view_filter(visit)
    query = wanted.for_query(visit.zone)
    assert visit.user is not None
    await people_repo.audit(session, visit.user, "dashboard.charts", regions=["all"] if visit.regions is None else visit.regions)
    months, months_cut = month_span(wanted, visit.now.astimezone(visit.zone).date())
    _, total = await reports_repo.find_reports(session, visit.regions, wanted=query, limit=0)
    return {
        "filter": wanted, "choices": filter_choices(visit),
        "total": total,
        "months": await _month_bars(visit, session, wanted, query, months), "months_cut": months_cut,
        "first_month": _month_label(visit, months[0]) if months else "",
        "last_month": _month_label(visit, months[-1]) if months else "",
        "categories": await _category_bars(visit, session, wanted, query),
        "statuses": await _status_bars(visit, session, wanted, query),
        "gender": await gender_figures(visit, session, query),
        "courses": await course_tables(visit, session),
        "alerts": await alert_rows(visit, session),
    }


def her_regions(visit: Visit) -> list[str]:
    """The regions she may see, in the content's order: a coordinator only hers."""
    allowed = visit.regions
    return [code for code in visit.app.content.regions if allowed is None or code in allowed]


def shade(count: int, highest: int) -> int:
    """0 for no report, else 1 to SHADES by the share of the highest count, rounded up."""
    return 0 if count <= 0 or highest <= 0 else min(SHADES, -(-SHADES * count // highest))


def legend(highest: int) -> list[tuple[int, int, int]]:
    """(shade, lowest count, highest count) of each shade in use; shade 0 is zero."""
    steps = [(0, 0, 0)]
    for step in range(1, SHADES + 1):
        low, high = (step - 1) * highest // SHADES + 1, step * highest // SHADES
        if low <= high:
            steps.append((step, low, high))
    return steps


def month_span(wanted: ViewFilter, today: date) -> tuple[list[date], bool]:
    """The first days of the months the chart shows: the filter's period, else the last 12
    months; at most MONTHS_AT_MOST of them (the latest), and whether some were left out."""
    last = (wanted.until or today).replace(day=1)
    first = (wanted.since.replace(day=1) if wanted.since else _add_months(last, -11))
    months = []
    while first <= last:
        months.append(first)
        first = _add_months(first, 1)
    return months[-MONTHS_AT_MOST:], len(months) > MONTHS_AT_MOST


@dataclass(frozen=True)
class Bar:
    key: str  # for the row's id
    label: str
    count: int
    width: float  # of 100: the highest bar is 100
    link: str  # the inbox with these reports


def bars(visit: Visit, items: list[tuple[str, str, int, dict[str, Any]]]) -> list[Bar]:
    """(key, label, count, changes to the filter's address) as bars, the highest as wide as the row."""
    highest = max((count for _, _, count, _ in items), default=0)
    return [Bar(key, label, count, max(0.5, round(100 * count / highest, 1)) if count else 0, visit.url("", **query))
            for key, label, count, query in items]


@dataclass
class GenderRow:
    key: str
    label: str
    reports: int = 0
    women: int = 0
    men: int = 0

    @property
    def women_percent(self) -> int | None:
        people = self.women + self.men
        return round(100 * self.women / people) if people else None

    def add(self, women: int | None, men: int | None) -> None:
        self.reports += 1
        self.women += women or 0
        self.men += men or 0


async def gender_figures(visit: Visit, session: AsyncSession, query: ReportFilter) -> dict[str, object]:
    """The women and men the monitoring reports count, summed per subject and per region."""
    rows, kept = await reports_repo.answers_of_kind(session, visit.regions, query, "monitoring", MONITORING_OPENED_AT_MOST)
    forms, read = visit.app.content.forms, reader(visit)
    by_subject: dict[str, GenderRow] = {}
    by_region: dict[str, GenderRow] = {}
    overall = GenderRow("all", visit.t("figures-total"))
    unreadable = 0
    for form_id, category, region, token in rows:
        try:
            answers = visit.app.cipher.decrypt_json(token)
        except DecryptionError:
            unreadable += 1
            continue
        women, men = (_people(answers.get(name)) for name in GENDER_FIELDS)
        if women is None and men is None:
            continue  # a form version without these questions
        subject = by_subject.setdefault(category or "", GenderRow(
            f"{form_id}-{category}", category_label(read, forms.get(form_id), category)))
        place = by_region.setdefault(region or "", GenderRow(region or "none", visit.region_name(region)))
        for row in (subject, place, overall):
            row.add(women, men)
    order = {code: index for index, code in enumerate(visit.app.content.regions)}
    return {
        "subjects": sorted(by_subject.values(), key=lambda row: (-row.reports, row.label)),
        "regions": sorted(by_region.values(), key=lambda row: order.get(row.key, len(order))),
        "overall": overall, "kept": kept, "opened": len(rows), "unreadable": unreadable,
    }


async def course_tables(visit: Visit, session: AsyncSession) -> list[dict[str, object]]:
    """Each course's figures over her regions and per region, as the chat's lesson statistics
    give them: an average only where at least 3 people have a score."""
    tables = []
    for course in visit.app.content.courses.values():
        overall, per_region = await lessons_repo.course_figures(session, course.id, visit.regions)
        rows = [_course_row(visit.t("figures-total"), "all", overall)]
        rows += [_course_row(visit.region_name(figures.region) if figures.region else visit.t("region-none"),
                             figures.region or "none", figures) for figures in per_region]
        tables.append({"id": course.id, "title": course.title.get(visit.language), "rows": rows})
    return tables


async def alert_rows(visit: Visit, session: AsyncSession) -> list[dict[str, object]]:
    """The recent alerts she may follow (an admin all, a coordinator her own, as in the chat)."""
    assert visit.user is not None
    rows = []
    for broadcast in await alerts_seen_by(session, visit.user):
        rows.append({
            "id": broadcast.id, "status": visit.t(f"bc-status-{broadcast.status}"),
            "time": visit.local(broadcast.send_at), "text": alert_preview(visit.app.cipher, broadcast, visit.language),
            "progress": await alert_progress(session, broadcast),
        })
    return rows


# ---------------------------------------------------------------- helpers


def _tile(visit: Visit, wanted: ViewFilter, code: str, count: int, highest: int, index: int) -> dict[str, object]:
    row, column, span = TILES.get(code, (4 + index // 4, 1 + index % 4, 1))
    return {
        "code": code, "name": visit.region_name(code), "count": count, "shade": shade(count, highest),
        "row": row, "column": column, "span": span, "link": visit.url("", **wanted.as_query(region=code)),
    }


async def _month_bars(visit: Visit, session: AsyncSession, wanted: ViewFilter, query: ReportFilter,
                      months: list[date]) -> list[Bar]:
    if not months:
        return []
    starts = [*months, _add_months(months[-1], 1)]
    bounds = [datetime.combine(day, time(), visit.zone) for day in starts]
    counts = await reports_repo.report_counts_per_period(session, visit.regions, query, bounds)
    items = []
    for start, end, count in zip(starts, starts[1:], counts):
        since = max(start, wanted.since) if wanted.since else start
        until = min(end - timedelta(days=1), wanted.until) if wanted.until else end - timedelta(days=1)
        items.append((start.strftime("%Y-%m"), _month_label(visit, start), count,
                      wanted.as_query(since=since, until=until)))
    return bars(visit, items)


async def _category_bars(visit: Visit, session: AsyncSession, wanted: ViewFilter, query: ReportFilter) -> list[Bar]:
    """Per category of each form: two forms may share a category's code ("other")."""
    forms, read = visit.app.content.forms, reader(visit)
    counted = await reports_repo.report_counts(session, visit.regions, query, Report.form_id, Report.category)
    items = []
    for form_id, category, count in sorted(counted, key=lambda row: -row[2]):
        form = forms.get(form_id)
        kind = form.kind if form else None
        items.append((f"{kind or form_id}-{category}", category_label(read, form, category), count,
                      wanted.as_query(category=category, kind=kind or wanted.kind)))
    return bars(visit, items)


async def _status_bars(visit: Visit, session: AsyncSession, wanted: ViewFilter, query: ReportFilter) -> list[Bar]:
    counted = dict(await reports_repo.report_counts(session, visit.regions, query, Report.status))
    return bars(visit, [(status, label, counted.get(status, 0), wanted.as_query(status=status))
                        for status, label in filter_choices(visit)["status"]])


def _course_row(label: str, key: str, figures: lessons_repo.CourseFigures) -> dict[str, object]:
    return {"key": key, "label": label, "started": figures.started, "finished": figures.finished,
            "average": shown_average(figures)}


def _people(value: object) -> int | None:
    """A count of people as the form keeps it (a whole number from 0); anything else is no answer."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _month_label(visit: Visit, month: date) -> str:
    return visit.t("figures-month", month=visit.t(f"figures-month-{month.month}"), year=str(month.year))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
