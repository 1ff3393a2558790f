"""Unit tests for storage/export.py: CSV, XLSX and chart rendering, no database involved."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from storage.export import (
    ReportRow,
    chart_counts,
    chart_png,
    escape_cell,
    sheet_title_safe,
    to_csv,
    to_xlsx,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BOM = b"\xef\xbb\xbf"

HEADERS = {
    "reference": "Номер",
    "kind": "Түрү",
    "created": "Түзүлгөн",
    "status": "Абалы",
    "category": "Категория",
    "region": "Аймак",
    "event_date": "Окуянын күнү",
    "evidence": "Далилдер",
    "contact": "Байланыш",
}
FIXED = ["Номер", "Түрү", "Түзүлгөн", "Абалы", "Категория", "Аймак", "Окуянын күнү", "Далилдер"]
FORMULA = '=HYPERLINK("http://evil.example","click")'


def make_row(
    reference: str = "R-7K3F9Q",
    *,
    created_at: datetime = datetime(2026, 11, 20, 18, 30, tzinfo=timezone.utc),
    category_label: str = "Үй-бүлөдөгү зомбулук",
    region_label: str = "Нарын облусу",
    answers: dict[str, str] | None = None,
    contact: str | None = "telegram:12345",
    evidence_count: int = 2,
) -> ReportRow:
    return ReportRow(
        reference=reference,
        kind="incident",
        created_at=created_at,
        status="new",
        category="family_violence",
        category_label=category_label,
        region="naryn",
        region_label=region_label,
        event_date="2026-11-19",
        answers=answers if answers is not None else {},
        evidence_count=evidence_count,
        contact=contact,
    )


def sample_rows() -> list[ReportRow]:
    return [
        make_row("R-AAAAAA", answers={"Эмне болду?": "Коркутушту", "Кайда?": "Нарын"}),
        make_row(
            "R-BBBBBB",
            answers={"Кайда?": "Ош", "Кошумча": FORMULA},
            contact=None,
            created_at=datetime(2026, 11, 1, 3, 5, tzinfo=timezone.utc),
        ),
        make_row("R-CCCCCC", answers={"Эмне болду?": "Угрозы, «давление»\nвторая строка"}),
    ]


ANSWER_LABELS = ["Эмне болду?", "Кайда?", "Кошумча"]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_layout_without_contacts() -> None:
    table = read_csv(to_csv(sample_rows(), HEADERS, include_contacts=False))
    assert table[0] == FIXED + ANSWER_LABELS
    assert "Байланыш" not in table[0]
    assert len(table) == 4
    assert all(len(line) == len(table[0]) for line in table)
    # no contact leaks anywhere, even though the rows carry one
    assert not any("telegram:12345" in cell for line in table for cell in line)

    first, second, third = table[1:]
    assert first[:8] == [
        "R-AAAAAA", "incident", "2026-11-21 00:30", "new",  # 18:30 UTC = 00:30 next day in Bishkek
        "Үй-бүлөдөгү зомбулук", "Нарын облусу", "2026-11-19", "2",
    ]
    assert first[8:] == ["Коркутушту", "Нарын", ""]
    assert second[2] == "2026-11-01 09:05"
    assert second[8:] == ["", "Ош", "'" + FORMULA]
    assert third[8:] == ["Угрозы, «давление»\nвторая строка", "", ""]


def test_csv_layout_with_contacts() -> None:
    table = read_csv(to_csv(sample_rows(), HEADERS, include_contacts=True))
    assert table[0] == FIXED + ["Байланыш"] + ANSWER_LABELS
    assert [line[8] for line in table[1:]] == ["telegram:12345", "", "telegram:12345"]
    assert table[2][11] == "'" + FORMULA


def test_csv_with_no_rows_has_only_the_header() -> None:
    table = read_csv(to_csv([], HEADERS, include_contacts=False))
    assert table == [FIXED]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 700 000", "'+7 700 000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Нарын", "Нарын"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_escape_cell(value: str, expected: str) -> None:
    assert escape_cell(value) == expected


def test_csv_escapes_header_labels_too() -> None:
    rows = [make_row(answers={"=cmd|' /C calc'!A0": "x"})]
    table = read_csv(to_csv(rows, HEADERS, include_contacts=False))
    assert table[0][-1] == "'=cmd|' /C calc'!A0"


# --- XLSX --------------------------------------------------------------------------------------


def load_sheet(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def sheet_values(sheet) -> list[list[object]]:
    return [[("" if v is None else v) for v in line] for line in sheet.iter_rows(values_only=True)]


def test_xlsx_layout_without_contacts() -> None:
    sheet = load_sheet(to_xlsx(sample_rows(), HEADERS, include_contacts=False, sheet_title="Кабарлар"))
    assert sheet.title == "Кабарлар"
    table = sheet_values(sheet)
    assert table[0] == FIXED + ANSWER_LABELS
    assert len(table) == 4
    assert not any("telegram" in str(cell) for line in table for cell in line)
    assert table[1][:8] == [
        "R-AAAAAA", "incident", "2026-11-21 00:30", "new",
        "Үй-бүлөдөгү зомбулук", "Нарын облусу", "2026-11-19", 2,
    ]
    assert table[1][8:] == ["Коркутушту", "Нарын", ""]
    assert table[2][8:] == ["", "Ош", "'" + FORMULA]
    assert table[3][8] == "Угрозы, «давление»\nвторая строка"

    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    # the formula-like answer is stored as text, not as a formula
    assert sheet.cell(row=3, column=11).data_type == "s"
    # answer cells wrap
    assert sheet.cell(row=2, column=9).alignment.wrap_text
    for letter, dimension in sheet.column_dimensions.items():
        assert 0 < dimension.width <= 60, letter


def test_xlsx_layout_with_contacts() -> None:
    sheet = load_sheet(to_xlsx(sample_rows(), HEADERS, include_contacts=True, sheet_title="R"))
    table = sheet_values(sheet)
    assert table[0] == FIXED + ["Байланыш"] + ANSWER_LABELS
    assert [line[8] for line in table[1:]] == ["telegram:12345", "", "telegram:12345"]
    assert table[2][11] == "'" + FORMULA


def test_xlsx_long_answers_cap_width_and_control_characters_are_dropped() -> None:
    rows = [make_row(answers={"Узун": "ж" * 500 + "\x07"})]
    sheet = load_sheet(to_xlsx(rows, HEADERS, include_contacts=False, sheet_title="x"))
    assert sheet.column_dimensions["I"].width == 60
    assert sheet["I2"].value == "ж" * 500


def test_xlsx_with_no_rows() -> None:
    sheet = load_sheet(to_xlsx([], HEADERS, include_contacts=True, sheet_title="Бош"))
    assert sheet_values(sheet) == [FIXED + ["Байланыш"]]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Кабарлар", "Кабарлар"),
        ("Отчёт: 2026/11 [Нарын]?*", "Отчёт 2026 11 Нарын"),
        ("'quoted'", "quoted"),
        ("", "Reports"),
        ("///", "Reports"),
        ("History", "Reports"),
        ("а" * 40, "а" * 31),
    ],
)
def test_sheet_title_safe(title: str, expected: str) -> None:
    assert sheet_title_safe(title) == expected
    assert len(sheet_title_safe(title)) <= 31


def test_xlsx_sanitises_sheet_title() -> None:
    sheet = load_sheet(to_xlsx([], HEADERS, False, "Отчёт: 2026/11 [Нарын] — очень длинное имя листа"))
    assert len(sheet.title) <= 31
    assert not set(sheet.title) & set(":\\/?*[]")


# --- chart -------------------------------------------------------------------------------------


def chart_rows() -> list[ReportRow]:
    return [
        make_row("R-1", created_at=NOW - timedelta(days=1)),
        make_row("R-2", created_at=NOW - timedelta(days=10), region_label="Ош шаары"),
        make_row("R-3", created_at=NOW - timedelta(days=89), region_label="Ош шаары"),
        make_row("R-4", created_at=NOW - timedelta(days=90)),  # exactly on the edge: counted
        make_row("R-5", created_at=NOW - timedelta(days=30), category_label="Насилие в семье",
                 region_label="Бишкек"),
        make_row("R-6", created_at=NOW - timedelta(days=90, seconds=1)),  # too old
        make_row("R-7", created_at=NOW - timedelta(days=200), category_label="Старое"),
    ]


def test_chart_counts_window_and_grouping() -> None:
    counts = chart_counts(chart_rows(), NOW, 90)
    assert counts == {
        "Үй-бүлөдөгү зомбулук": {"Нарын облусу": 2, "Ош шаары": 2},
        "Насилие в семье": {"Бишкек": 1},
    }
    assert list(counts) == ["Үй-бүлөдөгү зомбулук", "Насилие в семье"]  # largest first
    assert chart_counts(chart_rows(), NOW, 7) == {"Үй-бүлөдөгү зомбулук": {"Нарын облусу": 1}}
    assert chart_counts([], NOW, 90) == {}


def test_chart_png_with_data() -> None:
    data = chart_png(chart_rows(), "Кабарлар категория жана аймак боюнча", NOW)
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 5 * 1024


def test_chart_png_without_rows() -> None:
    data = chart_png([], "Кабарлар", NOW)
    assert data.startswith(PNG_SIGNATURE)
    old_only = chart_png([make_row(created_at=NOW - timedelta(days=400))], "Кабарлар", NOW,
                         empty_text="Кабарлар жок")
    assert old_only.startswith(PNG_SIGNATURE)


def test_chart_png_many_categories_and_regions() -> None:
    rows = [
        make_row(f"R-{i}", created_at=NOW - timedelta(days=i % 80),
                 category_label=f"Категория {i % 12} с довольно длинным названием",
                 region_label=f"Аймак {i % 13}")
        for i in range(200)
    ]
    assert chart_png(rows, "Много данных", NOW).startswith(PNG_SIGNATURE)
