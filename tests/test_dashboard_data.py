"""The dashboard's exports, audit log and public figures: a file holds exactly what the inbox
shows, of her regions only, with contacts for admins alone, its HXL row and a name that says who
and when; every export is audited; the audit page is for admins; the public figures need no login
and show no number from 1 to 4, and their disclosure control holds for random tables."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

from aiohttp.test_utils import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App
from dashboard import disclosure, public
from storage import reports_repo
from storage.models import AuditEntry, PublicSnapshot, Report, Role, User
from tests.dashboard_helpers import csrf_of, link_from_bot, log_in
from tests.helpers import file_report, new_staff

HXL_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\s*\+[a-z][a-z0-9_]*)*$")  # HXL's syntax of a hashtag with attributes
COUNT_CELL = re.compile(r'<td class="count[^"]*">([^<]*)</td>')


async def add_reports(app: App, region: str | None, count: int = 1, *, at: datetime | None = None,
                      category: str | None = "family_violence", kind: str = "incident", status: str = "new") -> list[str]:
    """Reports put straight into the database (as the chat stores them, answers encrypted); their codes."""
    at = at or app.engine.clock()
    references = []
    async with app.sessions() as session, session.begin():
        for _ in range(count):
            reference = await reports_repo.new_reference(session)
            session.add(Report(reference=reference, kind=kind, form_id=kind, form_version=1, category=category,
                               region=region, status=status, answers=app.cipher.encrypt_json({}),
                               created_at=at, updated_at=at))
            await session.flush()
            references.append(reference)
    return references


async def logged_in(app: App, make_user, browser: TestClient, key: str, role: Role,  # type: ignore[no-untyped-def]
                    regions: list[str] | None = None) -> int:
    staff = await new_staff(app, make_user, key, role, regions)
    await log_in(browser, await link_from_bot(staff))
    async with app.sessions() as session:
        return (await session.scalar(select(User.id).where(User.external_id == key))) or 0


def read_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


async def inbox_references(browser: TestClient, query: str = "") -> list[str]:
    """Every code the inbox lists for a filter, page after page."""
    found, number = [], 1
    while True:
        page = await (await browser.get(f"/dashboard/?{query}&page={number}")).text()
        found += re.findall(r'<td class="code"><a href="/dashboard/reports/\d+[^"]*">(R-[A-Z0-9]+)</a></td>', page)
        if 'rel="next"' not in page:
            return found
        number += 1


async def audit_of(app: App, action: str) -> list[AuditEntry]:
    async with app.sessions() as session:
        return list(await session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


# ------------------------------------------------------------------ exports


async def test_the_export_holds_exactly_what_the_inbox_shows_on_all_its_pages(
        app: App, make_user, channel, browser: TestClient) -> None:
    await add_reports(app, "naryn", 40, status="new")
    await add_reports(app, "talas", 20, status="new", at=app.engine.clock() - timedelta(days=3))
    await add_reports(app, "talas", 5, status="closed")
    await add_reports(app, "osh_oblast", 4, status="new")
    await logged_in(app, make_user, browser, "800", Role.COORDINATOR, ["naryn", "talas"])
    for query in ("status=new", "region=talas", "", "status=new&region=osh_oblast"):
        shown = await inbox_references(browser, query)
        exported = read_csv(await (await browser.get(f"/dashboard/export.csv?{query}")).read())
        assert [row[0] for row in exported[2:]] == shown, query  # the same reports, in the same order
    assert len(await inbox_references(browser, "status=new")) == 60  # two pages of the inbox, one file


async def test_a_coordinators_export_has_only_her_regions_and_no_contact_column(
        app: App, make_user, channel, browser: TestClient) -> None:
    naryn = await file_report(app, make_user, "810", "naryn")
    osh = await file_report(app, make_user, "811", "osh_oblast")
    staff_id = await logged_in(app, make_user, browser, "812", Role.COORDINATOR, ["naryn"])
    for address in ("/dashboard/export.csv", "/dashboard/export.csv?region=osh_oblast"):
        response = await browser.get(address)
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
        header, tags, *rows = read_csv(await response.read())
        assert [row[0] for row in rows] == [naryn.reference] and osh.reference not in str(rows)
        assert "Reporter's account" not in header and "#contact" not in tags
        assert all(HXL_TAG.match(tag) for tag in tags) and len(tags) == len(header)
        assert tags[:8] == ["#meta+id", "#meta+kind", "#date+reported", "#status", "#event+type", "#adm1+name",
                            "#date+occurred", "#meta+evidence+num"]
        assert set(tags[8:]) == {"#meta+answer"}
        assert "Naryn region" in rows[0] and "Kochkor district" in rows[0]
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="tynchtyk-reports-20261123-1500-staff{staff_id}.csv"')  # 09:00 UTC is 15:00 in Bishkek

    workbook = load_workbook(io.BytesIO(await (await browser.get("/dashboard/export.xlsx")).read()))
    sheet, about = workbook.worksheets
    assert [cell.value for cell in sheet[2]][:3] == ["#meta+id", "#meta+kind", "#date+reported"]
    assert sheet["A3"].value == naryn.reference and sheet.max_row == 3 and sheet.freeze_panes == "A3"
    assert "#contact" not in [cell.value for cell in sheet[2]]
    facts = {row[0].value: row[1].value for row in about.iter_rows()}
    assert about.title == "About" and facts["Exported by"] == f"Coordinator #{staff_id}"
    assert facts["Exported at"] == "2026-11-23 15:00 (Asia/Bishkek)" and facts["Reports"] == "1"
    assert facts["Reporters' accounts included"] == "no"
    assert workbook.properties.creator == f"Coordinator #{staff_id}"


async def test_an_admins_export_has_the_contacts_the_reporters_allowed(
        app: App, make_user, channel, browser: TestClient) -> None:
    allowed = await file_report(app, make_user, "820", "naryn", contact="contact")
    anonymous = await file_report(app, make_user, "821", "talas", contact="anonymous")
    staff_id = await logged_in(app, make_user, browser, "822", Role.ADMIN)
    response = await browser.get("/dashboard/export.csv?since=2026-11-01")
    header, tags, *rows = read_csv(await response.read())
    contact = header.index("Reporter's account")
    assert tags[contact] == "#contact"
    by_reference = {row[0]: row for row in rows}
    assert by_reference[allowed.reference][contact].endswith(":820")
    assert by_reference[anonymous.reference][contact] == ""
    assert f"-staff{staff_id}.csv" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(await (await browser.get("/dashboard/export.xlsx?region=naryn")).read()))
    facts = {row[0].value: row[1].value for row in workbook["About"].iter_rows()}
    assert facts["Exported by"] == f"Admin #{staff_id}" and facts["Reporters' accounts included"] == "yes"
    assert facts["Filter"] == "Region: Naryn region"
    assert "#contact" in [cell.value for cell in workbook.worksheets[0][2]]


async def test_every_export_is_written_to_the_audit_log_with_its_filter_and_count(
        app: App, make_user, channel, browser: TestClient) -> None:
    await add_reports(app, "naryn", 3)
    await add_reports(app, "batken", 2)
    staff_id = await logged_in(app, make_user, browser, "830", Role.COORDINATOR, ["naryn", "batken"])
    await browser.get("/dashboard/export.csv?region=naryn")
    await browser.get("/dashboard/export.xlsx")
    await browser.get("/dashboard/counts.csv?status=new")
    entries = await audit_of(app, "report.export")
    assert [(entry.actor_id, entry.target, entry.details["count"], entry.details["filter"]) for entry in entries] == [
        (staff_id, "csv", 3, {"region": "naryn"}), (staff_id, "xlsx", 5, {}), (staff_id, "counts.csv", 5, {"status": "new"})]
    assert entries[0].details["regions"] == ["naryn", "batken"] and entries[0].details["via"] == "dashboard"


async def test_the_counts_for_analysts_follow_the_filter_and_carry_their_hxl_row(
        app: App, make_user, channel, clock, browser: TestClient) -> None:
    october = datetime(2026, 10, 31, 20, 0, tzinfo=timezone.utc)  # 1 November in Bishkek
    await add_reports(app, "naryn", 3, at=october)
    await add_reports(app, "naryn", 2, at=october - timedelta(days=5))
    await add_reports(app, "naryn", 1, category="early_marriage", status="closed")
    await add_reports(app, "osh_city", 4)
    await logged_in(app, make_user, browser, "840", Role.COORDINATOR, ["naryn"])
    response = await browser.get("/dashboard/counts.csv")
    header, tags, *rows = read_csv(await response.read())
    assert header == ["Region", "Month received", "Kind", "Category", "Status", "Reports"]
    assert tags == ["#adm1+name", "#date+reported", "#meta+kind", "#event+type", "#status", "#meta+count"]
    assert rows == [
        ["Naryn region", "2026-10", "incident report", "Family violence", "New", "2"],
        ["Naryn region", "2026-11", "incident report", "Bride kidnapping, early/forced marriage", "Closed", "1"],
        ["Naryn region", "2026-11", "incident report", "Family violence", "New", "3"],
    ]
    assert sum(int(row[-1]) for row in rows) == 6
    assert "tynchtyk-counts-20261123-1500-staff" in response.headers["Content-Disposition"]
    closed = read_csv(await (await browser.get("/dashboard/counts.csv?status=closed")).read())
    assert [row[-1] for row in closed[2:]] == ["1"]


# ------------------------------------------------------------------ audit log


async def test_the_audit_log_is_for_admins_and_its_filters_are_in_the_address(
        app: App, make_user, channel, browser: TestClient) -> None:
    await logged_in(app, make_user, browser, "850", Role.COORDINATOR, ["naryn"])
    assert (await browser.get("/dashboard/audit")).status == 403
    browser.session.cookie_jar.clear()
    assert (await browser.get("/dashboard/audit")).status == 401

    admin_id = await logged_in(app, make_user, browser, "851", Role.ADMIN)
    async with app.sessions() as session, session.begin():
        session.add_all([
            AuditEntry(at=datetime(2026, 9, 1, 4, 0, tzinfo=timezone.utc), actor_id=77, action="report.opened",
                       target="R-AAAAAA", details={}),
            AuditEntry(at=datetime(2026, 10, 2, 4, 0, tzinfo=timezone.utc), actor_id=77, action="report.export",
                       target="csv", details={"count": 12, "filter": {"region": "naryn"}, "regions": ["naryn"]}),
            AuditEntry(at=datetime(2026, 10, 20, 4, 0, tzinfo=timezone.utc), actor_id=78, action="report.status",
                       target="R-BBBBBB", details={"status": "closed"}),
        ])
    page = await (await browser.get("/dashboard/audit")).text()
    assert '<option value="report.export">report.export</option>' in page and "dashboard.login" in page
    assert page.index("R-BBBBBB") < page.index("R-AAAAAA")  # newest first
    assert "count: 12" in page and "filter: region=naryn" in page and "regions: naryn" in page
    assert f'href="/dashboard/audit?actor={admin_id}"' in page

    exports = await (await browser.get("/dashboard/audit?action=report.export")).text()
    assert "count: 12" in exports and "R-AAAAAA" not in exports and "R-BBBBBB" not in exports
    by_actor = await (await browser.get("/dashboard/audit?actor=78")).text()
    assert "R-BBBBBB" in by_actor and "R-AAAAAA" not in by_actor and "One entry" in by_actor
    october = await (await browser.get("/dashboard/audit?since=2026-10-01&until=2026-10-02")).text()
    assert "count: 12" in october and "R-BBBBBB" not in october and "R-AAAAAA" not in october
    forged = await (await browser.get("/dashboard/audit?action=<script>&actor=x&since=nonsense")).text()
    assert "R-AAAAAA" in forged and "<script>" not in forged  # values that are not valid are dropped


# ------------------------------------------------------------------ public figures


async def test_the_public_figures_need_no_login_and_show_no_number_under_five(
        app: App, make_user, channel, browser: TestClient) -> None:
    september, october = datetime(2026, 9, 10, 6, tzinfo=timezone.utc), datetime(2026, 10, 10, 6, tzinfo=timezone.utc)
    await add_reports(app, "naryn", 7, at=september)
    await add_reports(app, "talas", 2, at=september, category="early_marriage")
    await add_reports(app, "osh_city", 6, at=september, category="work")
    await add_reports(app, "naryn", 3, at=october)
    await add_reports(app, "bishkek", 9, at=october, category="quota", kind="monitoring")
    await add_reports(app, "bishkek", 8)  # this month: not whole yet, so not counted
    assert "No figures have been published yet." in await (await browser.get("/dashboard/public?lang=en")).text()

    await logged_in(app, make_user, browser, "860", Role.COORDINATOR, ["naryn"])
    assert (await browser.get("/dashboard/public/new")).status == 403
    browser.session.cookie_jar.clear()
    admin_id = await logged_in(app, make_user, browser, "861", Role.ADMIN)
    preview = await (await browser.get("/dashboard/public/new")).text()
    assert "check them before you publish" in preview and "from 09.2026 to 10.2026" in preview
    published = await browser.post("/dashboard/public/new", allow_redirects=False,
                                   data={"csrf": csrf_of(preview), "digest": re.search(r'name="digest" value="(\w+)"', preview).group(1)})
    assert published.status == 303 and published.headers["Location"] == "/dashboard/public"
    [entry] = await audit_of(app, "public.published")
    assert entry.actor_id == admin_id and entry.details == {"months": "2026-09..2026-10", "total": 27}

    browser.session.cookie_jar.clear()
    response = await browser.get("/dashboard/public?lang=en")
    page = await response.text()
    assert response.status == 200 and "Reports by region and month" in page and "Published on 23.11.2026" in page
    assert "reports that people sent through the Tynchtyk chatbot" in page and "no number from 1 to 4 is shown" in page
    shown = COUNT_CELL.findall(page)
    assert shown and all(text == "hidden" or text == "0" or int(text) >= 5 for text in shown)
    naryn = re.search(r'<th scope="row">Naryn region</th>(.*?)</tr>', page, re.S).group(1)
    assert COUNT_CELL.findall(naryn) == ["7", "hidden", "hidden"]  # 3 in October, so its total is hidden too
    osh_city = re.search(r'<th scope="row">Osh city</th>(.*?)</tr>', page, re.S).group(1)
    assert COUNT_CELL.findall(osh_city) == ["hidden", "0", "hidden"]  # hidden with Talas's 2: else 15 - 7 - 6
    every = re.search(r'<th scope="row">All regions</th>(.*?)</tr>', page, re.S).group(1)
    assert COUNT_CELL.findall(every) == ["15", "12", "27"]

    public_csv = await browser.get("/dashboard/public.csv?lang=en")
    header, tags, *rows = read_csv(await public_csv.read())
    assert header == ["Table", "Month", "Region", "Kind", "Category", "Reports"]
    assert all(HXL_TAG.match(tag) for tag in tags) and tags[-1] == "#meta+count"
    assert [row[-1] for row in rows] == shown  # the same numbers, in the page's order
    assert ["Reports by region and month", "2026-09", "Naryn region", "", "", "7"] in rows
    assert 'filename="tynchtyk-public-figures-20261123.csv"' in public_csv.headers["Content-Disposition"]
    async with app.sessions() as session:
        stored = (await session.scalar(select(PublicSnapshot))).figures
    assert stored.pop("version") == 1
    assert not any(disclosure.is_small(value) for value in numbers_in(stored))  # nothing small is even stored


async def test_figures_that_changed_since_the_preview_are_shown_again_not_published(
        app: App, make_user, channel, clock, browser: TestClient) -> None:
    clock.now = datetime(2026, 11, 30, 17, 50, tzinfo=timezone.utc)  # 23:50 in Bishkek
    await add_reports(app, "naryn", 6, at=datetime(2026, 10, 5, tzinfo=timezone.utc))
    await add_reports(app, "naryn", 6)
    await logged_in(app, make_user, browser, "870", Role.ADMIN)
    preview = await (await browser.get("/dashboard/public/new")).text()
    assert "from 10.2026 to 10.2026" in preview and "to 11.2026" not in preview
    digest = re.search(r'name="digest" value="(\w+)"', preview).group(1)
    clock.now += timedelta(minutes=20)  # November has ended meanwhile
    again = await browser.post("/dashboard/public/new", data={"csrf": csrf_of(preview), "digest": digest})
    page = await again.text()
    assert again.status == 200 and "The figures have changed" in page and "to 11.2026" in page
    async with app.sessions() as session:
        assert await session.scalar(select(PublicSnapshot)) is None
    assert "Открытые данные" in await (await browser.get("/dashboard/public?lang=ru")).text()


async def test_reports_without_a_region_or_a_category_are_counted_in_rows_of_their_own(app: App) -> None:
    early = datetime(2026, 8, 20, tzinfo=timezone.utc)
    await add_reports(app, None, 5, at=early, category=None)
    await add_reports(app, "naryn", 6, at=early)
    async with app.sessions() as session:
        figures = await public.current_figures(session, app.content, app.engine.clock(), ZoneInfo("Asia/Bishkek"))
    assert figures["months"] == ["2026-08", "2026-09", "2026-10"]  # empty months too, up to the last whole one
    regions = {row["key"]: row["cells"] for row in figures["regions"]["rows"]}
    categories = {row["key"]: row["cells"] for row in figures["categories"]["rows"]}
    assert list(regions)[-1] == "-" and regions["-"] == [5, 0, 0] and regions["naryn"] == [6, 0, 0]
    assert categories["incident:-"] == [5, 0, 0] and categories["incident:family_violence"] == [6, 0, 0]
    assert figures["regions"]["month_totals"] == [11, 0, 0] and figures["regions"]["total"] == 11


def numbers_in(value: object) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, dict):
        return [number for item in value.values() for number in numbers_in(item)]
    if isinstance(value, list):
        return [number for item in value for number in numbers_in(item)]
    return []


# ------------------------------------------------------------------ the disclosure control


@st.composite
def breakdowns(draw: st.DrawFn) -> tuple[list[dict[str, list[int]]], int]:
    """Two breakdowns of the same reports (think: by region, by category), month by month, with
    many small counts."""
    months = draw(st.integers(1, 4))
    count = st.one_of(st.integers(0, 4), st.integers(0, 12))
    first = {f"r{index}": draw(st.lists(count, min_size=months, max_size=months)) for index in range(draw(st.integers(1, 4)))}
    totals = [sum(row[month] for row in first.values()) for month in range(months)]
    parts = draw(st.integers(1, 4))
    second: dict[str, list[int]] = {f"c{index}": [] for index in range(parts)}
    for total in totals:
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
        for key, low, high in zip(second, [0] + cuts, cuts + [total]):
            second[key].append(high - low)
    return [first, second], months


def published_entries(tables: list[dict[str, list[int]]], months: int, result: list[disclosure.Protected]
                      ) -> tuple[dict[str, int], dict[str, int | None], list[dict[str, int]]]:
    """Every number of the publication by name, as it is and as it is shown, and the equations
    (name -> coefficient, summing to 0) that hold between them."""
    true: dict[str, int] = {}
    shown: dict[str, int | None] = {}
    equations: list[dict[str, int]] = []
    totals = [sum(row[month] for row in tables[0].values()) for month in range(months)]
    for month, total in enumerate(totals):
        true[f"T{month}"], shown[f"T{month}"] = total, result[0].month_totals[month]
    true["G"], shown["G"] = sum(totals), result[0].total
    equations.append({"G": 1, **{f"T{month}": -1 for month in range(months)}})
    for index, (table, protected) in enumerate(zip(tables, result)):
        assert protected.month_totals == result[0].month_totals and protected.total == result[0].total
        for key, row in table.items():
            for month, count in enumerate(row):
                true[f"{index}.{key}.{month}"], shown[f"{index}.{key}.{month}"] = count, protected.rows[key][month]
            true[f"{index}.{key}"], shown[f"{index}.{key}"] = sum(row), protected.row_totals[key]
            equations.append({f"{index}.{key}": 1, **{f"{index}.{key}.{month}": -1 for month in range(months)}})
        for month in range(months):
            equations.append({f"T{month}": 1, **{f"{index}.{key}.{month}": -1 for key in table}})
    return true, shown, equations


def determinable(equations: list[dict[str, int]], hidden: set[str]) -> set[str]:
    """The hidden numbers that the equations fix once every shown number is known: those whose
    unit vector is a row of the reduced row echelon form, by exact elimination on their columns."""
    names = sorted(hidden)
    rows = [[Fraction(equation.get(name, 0)) for name in names] for equation in equations]
    rows = [row for row in rows if any(row)]
    pivots: list[int] = []
    for column in range(len(names)):
        pivot = next((index for index in range(len(pivots), len(rows)) if rows[index][column] != 0), None)
        if pivot is None:
            continue
        top = len(pivots)
        rows[top], rows[pivot] = rows[pivot], rows[top]
        rows[top] = [value / rows[top][column] for value in rows[top]]
        for index, row in enumerate(rows):
            if index != top and row[column] != 0:
                rows[index] = [value - row[column] * lead for value, lead in zip(row, rows[top])]
        pivots.append(column)
    return {names[column] for top, column in enumerate(pivots) if sum(value != 0 for value in rows[top]) == 1}


@settings(max_examples=300, deadline=None)
@given(breakdowns())
def test_no_hidden_number_can_be_worked_out_from_the_shown_ones(drawn: tuple[list[dict[str, list[int]]], int]) -> None:
    tables, months = drawn
    result = disclosure.protect(tables, months)
    true, shown, equations = published_entries(tables, months, result)
    hidden = {name for name, value in shown.items() if value is None}
    assert all(shown[name] is None for name, value in true.items() if 0 < value < 5)  # no count from 1 to 4
    assert all(shown[name] == value for name, value in true.items() if name not in hidden)  # the rest as it is
    for equation in equations:  # by subtraction within one row or column: never exactly one unknown
        assert sum(name in hidden for name in equation) != 1, equation
    assert determinable(equations, hidden) == set()  # nor by adding and subtracting them together
    assert disclosure.protect([{key: row[:1] for key, row in table.items()} for table in tables], 1) == [
        disclosure.Protected(rows={key: row[:1] for key, row in protected.rows.items()},
                             row_totals={key: row[0] for key, row in protected.rows.items()},
                             month_totals=protected.month_totals[:1], total=protected.month_totals[0])
        for protected in result]  # a month reads the same whatever other months are published with it


def test_one_small_cell_takes_the_smallest_other_with_it_and_its_total_over_months() -> None:
    [protected] = disclosure.protect([{"naryn": [2, 9], "talas": [7, 0], "osh": [6, 5]}], 2)
    assert protected.rows == {"naryn": [None, 9], "osh": [None, 5], "talas": [7, 0]}
    assert protected.row_totals == {"naryn": None, "osh": None, "talas": 7}
    assert protected.month_totals == [15, 14] and protected.total == 29
    # Why one mark for both: with a mark for "1 to 4" and another for "hidden with it", a month of
    # total 6 with a 1 and a 5 hidden would give both away (the small one is at most 6 - 5).
    assert disclosure.protect_month({"a": 1, "b": 5, "c": 0}, 6) == ({"a": None, "b": None, "c": 0}, 6)
    assert disclosure.protect_month({"a": 3, "b": 0}, 3) == ({"a": None, "b": 0}, None)
