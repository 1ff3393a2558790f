"""Turning report rows into files for coordinators: CSV, XLSX and a PNG chart.

Everything here is pure: the caller loads the reports, decrypts and formats the answers, picks the
language of the labels and decides whether contact details may be included. These functions only
lay the rows out.

Safety rules that hold for every format:
- a contact column appears only when `include_contacts` is true (never an empty one otherwise);
- any text cell that a spreadsheet could take for a formula (starting with = + - @, a tab or a
  carriage return) gets a leading apostrophe, in CSV and in XLSX alike.

A file may carry a second header row of HXL hashtags (the Humanitarian Exchange Language,
hxlstandard.org), so that humanitarian data tools know each column without reading its
language: `#date+reported` is when a report was received, `#adm1+name` its oblast or city.
"""

from __future__ import annotations

import asyncio
import csv
import functools
import io
import multiprocessing
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

BISHKEK = ZoneInfo("Asia/Bishkek")

FIXED_COLUMNS = ("reference", "kind", "created", "status", "category", "region", "event_date", "evidence")
CONTACT_COLUMN = "contact"

# The HXL hashtag of each column, from HXL's core hashtags and attributes. A report's category
# names what happened, so it is `#event+type` (HXL's `#sector` is a sector or cluster of the
# humanitarian response, such as protection or health, which a report does not name); `+num`
# marks a number, and attributes HXL leaves free (`+kind`, `+evidence`, `+answer`) say the rest.
HXL_TAGS = {
    "reference": "#meta+id",
    "kind": "#meta+kind",
    "created": "#date+reported",
    "status": "#status",
    "category": "#event+type",
    "region": "#adm1+name",
    "event_date": "#date+occurred",
    "evidence": "#meta+evidence+num",
    "contact": "#contact",
}
ANSWER_HXL_TAG = "#meta+answer"
COUNT_HXL_TAG = "#meta+count"  # what HXL's own tools name a count of rows

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel: at most 31 characters, none of : \ / ? * [ ], and no apostrophe at either end.
_SHEET_FORBIDDEN = re.compile(r"[:\\/?*\[\]\x00-\x1f]")
_SHEET_TITLE_MAX = 31
_XLSX_CELL_MAX = 32767
_XLSX_WIDTH_MIN = 8
_XLSX_WIDTH_MAX = 60

DEFAULT_EMPTY_TEXT = "Кабарлар жок · Нет сообщений · No reports"


@dataclass(frozen=True)
class ReportRow:
    reference: str  # "R-7K3F9Q"
    kind: str  # "incident" | "monitoring"
    created_at: datetime  # aware UTC
    status: str  # "new" | "in_review" | "needs_info" | "referred" | "closed"
    category: str | None  # option id, e.g. "family_violence"
    category_label: str  # human label in the export's language
    region: str | None  # code, e.g. "naryn"
    region_label: str  # human label
    event_date: str | None  # "YYYY-MM-DD"
    answers: dict[str, str]  # field label -> answer as text (decrypted and formatted by the caller)
    evidence_count: int
    contact: str | None  # e.g. "telegram:12345"; only filled when the caller allows contact columns


# --- shared table layout ---------------------------------------------------------------------


async def built_apart(build: Callable[..., bytes], *arguments: Any, **options: Any) -> bytes:
    """A chart or a spreadsheet (`chart_png`, `to_xlsx`), built in a process of its own that ends
    once it is done: the event loop answers everyone else meanwhile, and matplotlib's or openpyxl's
    tens of megabytes go back to the system instead of staying with the bot for the rest of its
    life. The rows reach that process through a pipe, never a file."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(build, *arguments, **options))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def escape_cell(value: str) -> str:
    """Neutralise spreadsheet formula injection: prefix risky text with an apostrophe."""
    if value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def format_created(moment: datetime) -> str:
    """"YYYY-MM-DD HH:MM" in Bishkek time. A naive datetime is taken to be UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(BISHKEK).strftime("%Y-%m-%d %H:%M")


def answer_labels(rows: Sequence[ReportRow]) -> list[str]:
    """Every answer label, in the order it is first seen across the rows."""
    seen: dict[str, None] = {}
    for row in rows:
        for label in row.answers:
            seen.setdefault(label, None)
    return list(seen)


def column_keys(include_contacts: bool) -> tuple[str, ...]:
    return FIXED_COLUMNS + ((CONTACT_COLUMN,) if include_contacts else ())


def header_row(
    rows: Sequence[ReportRow], headers: Mapping[str, str], include_contacts: bool
) -> list[str]:
    return [headers.get(key, key) for key in column_keys(include_contacts)] + answer_labels(rows)


def hxl_row(rows: Sequence[ReportRow], include_contacts: bool) -> list[str]:
    """The hashtags under `header_row`, column for column."""
    return [HXL_TAGS[key] for key in column_keys(include_contacts)] + [ANSWER_HXL_TAG] * len(answer_labels(rows))


def _row_values(
    row: ReportRow, labels: Sequence[str], include_contacts: bool
) -> list[str | int]:
    values: list[str | int] = [
        row.reference,
        row.kind,
        format_created(row.created_at),
        row.status,
        row.category_label,
        row.region_label,
        row.event_date or "",
        row.evidence_count,
    ]
    if include_contacts:
        values.append(row.contact or "")
    values.extend(row.answers.get(label, "") for label in labels)
    return values


def _table(
    rows: Sequence[ReportRow], headers: Mapping[str, str], include_contacts: bool
) -> tuple[list[str], list[list[str | int]], int]:
    """Header, body (unescaped) and the index of the first answer column."""
    labels = answer_labels(rows)
    header = header_row(rows, headers, include_contacts)
    body = [_row_values(row, labels, include_contacts) for row in rows]
    return header, body, len(header) - len(labels)


# --- CSV ---------------------------------------------------------------------------------------


def to_csv(rows: list[ReportRow], headers: dict[str, str], include_contacts: bool, *, hxl: bool = False) -> bytes:
    """UTF-8 CSV with a BOM (so that Excel shows Cyrillic), comma-separated, minimal quoting;
    with `hxl`, a second header row of HXL hashtags."""
    header, body, _ = _table(rows, headers, include_contacts)
    return table_csv(header, body, hxl_row(rows, include_contacts) if hxl else None)


def table_csv(header: Sequence[str], body: Sequence[Sequence[str | int]], hxl: Sequence[str] | None = None) -> bytes:
    """Any table as CSV by the same rules: BOM, minimal quoting, formulas neutralised; `hxl` is
    a row of hashtags under the header."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([escape_cell(text) for text in header])
    if hxl is not None:
        writer.writerow(list(hxl))
    for values in body:
        writer.writerow([escape_cell(v) if isinstance(v, str) else v for v in values])
    return buffer.getvalue().encode("utf-8-sig")


# --- XLSX --------------------------------------------------------------------------------------


def sheet_title_safe(title: str, fallback: str = "Reports") -> str:
    """A sheet name Excel accepts: forbidden characters replaced, ≤31 characters, not blank."""
    cleaned = _SHEET_FORBIDDEN.sub(" ", title)
    cleaned = re.sub(r"\s+", " ", cleaned).strip().strip("'").strip()
    cleaned = cleaned[:_SHEET_TITLE_MAX].strip().strip("'").strip()
    if not cleaned or cleaned.lower() == "history":  # "History" is reserved by Excel
        return fallback
    return cleaned


def _xlsx_text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = escape_cell(value)
    return value[:_XLSX_CELL_MAX]


def _display_width(value: object) -> int:
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def to_xlsx(
    rows: list[ReportRow],
    headers: dict[str, str],
    include_contacts: bool,
    sheet_title: str,
    *,
    hxl: bool = False,
    about: Sequence[tuple[str, str]] = (),
    about_title: str = "About",
    author: str | None = None,
    created: datetime | None = None,
) -> bytes:
    """One sheet: bold frozen header, sensible column widths, answers wrapped. With `hxl`, a
    second header row of HXL hashtags; `about` (label, value) pairs fill a second sheet, and
    `author` and `created` the workbook's properties (who exported it, and when)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header, body, first_answer = _table(rows, headers, include_contacts)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title_safe(sheet_title)
    if author is not None:
        workbook.properties.creator = workbook.properties.lastModifiedBy = author
    if created is not None:
        moment = (created if created.tzinfo else created.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        workbook.properties.created = workbook.properties.modified = moment.replace(tzinfo=None)

    bold = Font(bold=True)
    header_alignment = Alignment(vertical="top", wrap_text=True)
    for column, text in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column, value=_xlsx_text(text))
        cell.font = bold
        cell.alignment = header_alignment
    tags = hxl_row(rows, include_contacts) if hxl else []
    for column, tag in enumerate(tags, start=1):
        cell = sheet.cell(row=2, column=column, value=tag)
        cell.data_type = "s"
        cell.font = Font(italic=True, color="555555")
    first_row = 3 if hxl else 2

    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for row_index, values in enumerate(body, start=first_row):
        for column, value in enumerate(values, start=1):
            cell_value = _xlsx_text(value) if isinstance(value, str) else value
            cell = sheet.cell(row=row_index, column=column, value=cell_value)
            if isinstance(cell_value, str):
                cell.data_type = "s"  # never let openpyxl read text as a formula
            cell.alignment = wrap if column > first_answer else top

    for column, text in enumerate(header, start=1):
        longest = max(
            [_display_width(text)] + [_display_width(values[column - 1]) for values in body]
        )
        width = min(max(longest + 2, _XLSX_WIDTH_MIN), _XLSX_WIDTH_MAX)
        sheet.column_dimensions[get_column_letter(column)].width = width

    sheet.freeze_panes = f"A{first_row}"
    if about:
        notes = workbook.create_sheet(sheet_title_safe(about_title, "About"))
        for row_index, (label, value) in enumerate(about, start=1):
            notes.cell(row=row_index, column=1, value=_xlsx_text(label)).font = bold
            notes.cell(row=row_index, column=2, value=_xlsx_text(value)).data_type = "s"
        notes.column_dimensions["A"].width = min(max([_display_width(label) for label, _ in about] + [10]) + 2, 40)
        notes.column_dimensions["B"].width = _XLSX_WIDTH_MAX
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- chart -------------------------------------------------------------------------------------


def chart_counts(
    rows: Sequence[ReportRow], now: datetime, days: int = 90
) -> dict[str, dict[str, int]]:
    """Reports created at or after `now - days`, counted as {category_label: {region_label: n}}.

    Categories are ordered by total (largest first), regions within a category likewise; ties keep
    first-seen order. Naive datetimes are taken to be UTC.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    cutoff = now - timedelta(days=days)
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        created = row.created_at
        if created.tzinfo is None:
            created = created.replace(tzinfo=timezone.utc)
        if created < cutoff:
            continue
        by_region = counts.setdefault(row.category_label, {})
        by_region[row.region_label] = by_region.get(row.region_label, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: -sum(item[1].values()))
    return {
        category: dict(sorted(regions.items(), key=lambda item: -item[1]))
        for category, regions in ordered
    }


_CHART_FONT = "DejaVu Sans"  # ships with matplotlib and covers Cyrillic


def chart_png(
    rows: list[ReportRow],
    title: str,
    now: datetime,
    days: int = 90,
    *,
    empty_text: str = DEFAULT_EMPTY_TEXT,
) -> bytes:
    """Horizontal stacked bars: one bar per category, stacked by region, for the last `days` days.

    Built on a private `Figure` with the Agg canvas (no pyplot, no global state), so it is safe to
    call from several threads. `empty_text` is shown when there is nothing to count; pass it in
    the user's language.
    """
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import MaxNLocator

    counts = chart_counts(rows, now, days)
    font = FontProperties(family=_CHART_FONT, size=11)
    small = FontProperties(family=_CHART_FONT, size=10)
    title_font = FontProperties(family=_CHART_FONT, size=14, weight="bold")

    wrapped = [textwrap.fill(category, 24) for category in counts]
    legend_rows = -(-len({r for by_region in counts.values() for r in by_region}) // 4)
    label_lines = sum(label.count("\n") + 1 for label in wrapped)
    # 8x5 inches at 100 dpi by default; taller when many categories or regions need room.
    height = min(max(5.0, 1.6 + 0.32 * label_lines + 0.15 * len(wrapped) + 0.3 * legend_rows), 16.0)
    figure = Figure(figsize=(8, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    figure.patch.set_facecolor("white")

    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    local_now = now.astimezone(BISHKEK)
    start = (now - timedelta(days=days)).astimezone(BISHKEK)
    total = sum(sum(regions.values()) for regions in counts.values())
    period = f"{start:%d.%m.%Y} – {local_now:%d.%m.%Y} · Σ {total}"
    figure.suptitle(title, fontproperties=title_font)

    axes = figure.add_subplot()
    if not counts:
        axes.set_axis_off()
        axes.text(0.5, 0.62, empty_text, ha="center", va="center", transform=axes.transAxes,
                  fontproperties=FontProperties(family=_CHART_FONT, size=18), color="#444444",
                  wrap=True)
        axes.text(0.5, 0.45, period, ha="center", va="center", transform=axes.transAxes,
                  fontproperties=small, color="#666666")
        return _png(figure)

    axes.set_title(period, fontproperties=small, color="#555555")
    categories = list(counts)
    regions: dict[str, int] = {}
    for by_region in counts.values():
        for region, n in by_region.items():
            regions[region] = regions.get(region, 0) + n
    region_order = [r for r, _ in sorted(regions.items(), key=lambda item: -item[1])]
    palette = colormaps["tab10" if len(region_order) <= 10 else "tab20"]
    positions = list(range(len(categories)))
    lefts = [0] * len(categories)
    for index, region in enumerate(region_order):
        widths = [counts[category].get(region, 0) for category in categories]
        axes.barh(positions, widths, left=lefts, label=region, height=0.65,
                  color=palette(index % palette.N), edgecolor="white", linewidth=0.8)
        lefts = [a + b for a, b in zip(lefts, widths)]

    for position, bar_total in zip(positions, lefts):
        axes.text(bar_total, position, f" {bar_total}", va="center", ha="left",
                  fontproperties=font, color="#222222")

    axes.set_yticks(positions, wrapped)
    for label in axes.get_yticklabels():
        label.set_fontproperties(font)
    axes.tick_params(axis="x", labelfontfamily=_CHART_FONT, labelsize=10)
    axes.invert_yaxis()  # largest category on top
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(0, max(lefts) * 1.12 + 0.5)
    axes.grid(axis="x", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)

    columns = min(len(region_order), 4)
    figure.legend(loc="outside lower center", ncols=columns, prop=small, frameon=False)
    return _png(figure)


def _png(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, facecolor="white")  # type: ignore[attr-defined]
    return buffer.getvalue()
