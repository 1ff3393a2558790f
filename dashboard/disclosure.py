"""Which numbers of the public figures may be shown: the disclosure control, as pure functions.

The figures are breakdowns of the same reports by month: one row per region, one row per
category, one column per whole month, with each month's total (the same in every breakdown), a
total over the months for each row, and a grand total. The rule:

1. No count from 1 to 4 is shown, be it a cell or a total: such a small number could point at
   the person who reported. A 0 is shown: it tells nothing about anyone.
2. In each month of each breakdown, if exactly one number is hidden, the smallest shown non-zero
   cell of that month is hidden too (ties: the first key in sorted order), so that it cannot be
   worked out as the month's total minus the shown cells. The month's total itself is hidden only
   when it is small: it is shared by every breakdown, so it must read the same in all of them.
   (There is always such a cell: a total of 5 or more minus one cell under 5 leaves at least 1.)
3. A total over months (a row's total, the grand total) is shown only when every number it adds
   up is shown: then it tells nothing that the row does not.
4. A month is decided from that month's counts alone. A filed report keeps its month, region and
   category and is never deleted, so a whole month reads the same in every snapshot, and two
   snapshots cannot be subtracted from each other either.

Then no hidden number can be worked out from the shown ones by adding and subtracting rows,
columns and totals, alone or together (tests/test_dashboard_data.py checks this with exact linear
algebra on random tables). What remains: a reader knows that a hidden number is not negative and
that it is at most the total it is part of, so a small total gives a small range. That is why a
page shows every hidden number with the same mark: a mark for "1 to 4" beside another for
"hidden with it" would say which of two hidden cells is the small one, and a month total of 6
with two hidden cells would then give them away as 1 and 5.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SMALLEST_SHOWN = 5


def is_small(count: int) -> bool:
    """A count that is never shown."""
    return 0 < count < SMALLEST_SHOWN


def protect_month(cells: Mapping[str, int], total: int) -> tuple[dict[str, int | None], int | None]:
    """One month of one breakdown: its cells (by key) and its total, with None for each hidden
    number (rules 1 and 2)."""
    if sum(cells.values()) != total or any(count < 0 for count in cells.values()):
        raise ValueError("the cells of a month must be counts that add up to its total")
    hidden = {key for key, count in cells.items() if is_small(count)}
    total_hidden = is_small(total)
    if len(hidden) + total_hidden == 1:
        shown = sorted((count, key) for key, count in cells.items() if key not in hidden and count > 0)
        hidden.add(shown[0][1])  # never empty: see rule 2
    return ({key: None if key in hidden else count for key, count in cells.items()},
            None if total_hidden else total)


def total_if_all_shown(shown: Sequence[int | None]) -> int | None:
    """A total over months (rule 3): their sum when every one is shown, else hidden."""
    return None if any(count is None for count in shown) else sum(count for count in shown if count is not None)


@dataclass(frozen=True)
class Protected:
    """A breakdown as it may be published: None for each hidden number."""

    rows: dict[str, list[int | None]]  # row key -> one count per month
    row_totals: dict[str, int | None]
    month_totals: list[int | None]
    total: int | None


def protect(breakdowns: Sequence[Mapping[str, Sequence[int]]], months: int) -> list[Protected]:
    """Breakdowns of the same reports (row key -> a count per month), with the rule applied to
    all of them. Each month's cells must add up to the same total in every breakdown."""
    month_totals = [sum(row[month] for row in breakdowns[0].values()) for month in range(months)] if breakdowns else []
    for breakdown in breakdowns:
        if any(len(row) != months for row in breakdown.values()) or [
                sum(row[month] for row in breakdown.values()) for month in range(months)] != month_totals:
            raise ValueError("every breakdown must count the same reports, month by month")
    shown_totals = [None if is_small(total) else total for total in month_totals]
    grand_total = total_if_all_shown(shown_totals)
    published = []
    for breakdown in breakdowns:
        rows: dict[str, list[int | None]] = {key: [] for key in breakdown}
        for month, total in enumerate(month_totals):
            cells, _ = protect_month({key: row[month] for key, row in breakdown.items()}, total)
            for key, count in cells.items():
                rows[key].append(count)
        published.append(Protected(rows=rows, row_totals={key: total_if_all_shown(row) for key, row in rows.items()},
                                   month_totals=list(shown_totals), total=grand_total))
    return published
