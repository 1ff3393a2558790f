"""Run every benchmark in turn (each in its own process) and print a short summary table.

    .venv/bin/python bench/run_all.py            # default sizes, about 2-3 minutes on 2 cores
    .venv/bin/python bench/run_all.py --quick    # tiny sizes: checks that everything runs
    .venv/bin/python bench/run_all.py engine_menus memory_users   # only these
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

Row = tuple[str, str, str, str]  # figure, value, aim, verdict


def ok(flag: bool) -> str:
    return "ok" if flag else "MISSED"


def engine_rows(figures: dict[str, Any]) -> list[Row]:
    aim, aim_concurrent = figures["aim_p99_ms"], figures["aim_concurrent_p99_ms"]
    concurrent, serial = figures["concurrent"], figures["serial"]
    return [
        ("updates/s (engine + SQLite)", f"{figures['updates_per_s']:,.0f}", "", ""),
        ("p99 per update, 1 at a time", f"{serial['p99_ms']:.1f} ms", f"< {aim:.0f} ms", ok(serial["p99_ms"] < aim)),
        ("p99 per update, concurrent", f"{concurrent['p99_ms']:.1f} ms", f"< {aim_concurrent:.0f} ms",
         ok(concurrent["p99_ms"] < aim_concurrent)),
        ("ours / bare SQLite txn rate", f"{figures['ratio_to_bare']:.2f}", "", ""),
    ]


def telegram_rows(figures: dict[str, Any]) -> list[Row]:
    aim = figures["aim_ratio"]
    return [
        ("ours, typed (updates/s)", f"{figures['ours_text']['updates_per_s']:,.0f}", "", ""),
        ("echo bot (updates/s)", f"{figures['echo']['updates_per_s']:,.0f}", "", ""),
        ("ours / echo", f"{figures['ratio']:.2f}", f">= {aim}", ok(figures["ratio"] >= aim)),
        ("echo + 1 SQLite txn (upd/s)", f"{figures['echo_db']['updates_per_s']:,.0f}", "", ""),
        ("ours / (echo + 1 txn)",
         f"{figures['ours_text']['updates_per_s'] / figures['echo_db']['updates_per_s']:.2f}", "", ""),
        ("ours mixed (updates/s)", f"{figures['ours_mixed']['updates_per_s']:,.0f}", "", ""),
    ]


def memory_rows(figures: dict[str, Any]) -> list[Row]:
    aim = figures["aim_mb"]
    return [
        (f"peak RSS, {figures['users']:,} users", f"{figures['peak_mb']:.0f} MB", f"< {aim:.0f} MB",
         ok(figures["peak_mb"] < aim)),
        ("import aiogram+sqlalchemy", f"{figures['baseline_mb']:.0f} MB", "", ""),
        ("peak - that baseline", f"{figures['over_baseline_mb']:.0f} MB", "", ""),
    ]


def broadcast_rows(figures: dict[str, Any]) -> list[Row]:
    fast, steady = figures["fast"], figures["steady"]
    return [
        (f"{fast['recipients']:,} alerts at 1,000/s (msg/s)", f"{fast['achieved_rate']:,.0f}", "", ""),
        ("achieved / set rate", f"{figures['fast_ratio']:.2f}", ">= 0.95", ok(figures["fast_ratio"] >= 0.95)),
        ("busiest second at 30/s", f"{steady['busiest_second']}", "<= 30", ok(steady["busiest_second"] <= 30)),
    ]


def reminder_rows(figures: dict[str, Any]) -> list[Row]:
    burst, idle = figures["burst"], figures["idle"]
    return [
        (f"{burst['reminders']:,} due at once (msg/s)", f"{burst['achieved_rate']:,.0f}", "", ""),
        ("achieved / set rate (1,000/s)", f"{figures['burst_ratio']:.2f}", ">= 0.95", ok(figures["burst_ratio"] >= 0.95)),
        (f"idle CPU, {idle['reminders']:,} future", f"{100 * idle['share_of_a_core']:.1f}%", "< 5%",
         ok(idle["share_of_a_core"] < 0.05)),
    ]


def whatsapp_rows(figures: dict[str, Any]) -> list[Row]:
    return [
        ("ours (updates/s)", f"{figures['ours']['updates_per_s']:,.0f}", "", ""),
        ("echo webhook (updates/s)", f"{figures['echo']['updates_per_s']:,.0f}", "", ""),
        ("ours / echo", f"{figures['ratio']:.2f}", ">= 0.35", ok(figures["ratio"] >= 0.35)),
        ("echo + 1 SQLite txn (upd/s)", f"{figures['echo_txn']['updates_per_s']:,.0f}", "", ""),
        ("ours / (echo + 1 txn)", f"{figures['ratio_to_echo_txn']:.2f}", "", ""),
        ("sends refused for limits", f"{figures['ours']['rejected']}", "0", ok(figures["ours"]["rejected"] == 0)),
    ]


def dashboard_rows(figures: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for name, page in figures["pages"].items():
        if name == "static file":
            rows.append(("static file, p50", f"{page['p50_ms']:.1f} ms", "", ""))
        else:
            rows.append((f"{name}, p50", f"{page['p50_ms']:.0f} ms", f"{page['ratio']:.1f} x", ""))
    return rows


def worker_rows(figures: dict[str, Any]) -> list[Row]:
    return [(f"{run['workers']} process(es) (updates/s)", f"{run['updates_per_s']:,.0f}",
             f"{run['ratio']:.2f} x", "") for run in figures["runs"]]


BENCHMARKS: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "engine_menus": engine_rows,
    "telegram_vs_echo": telegram_rows,
    "whatsapp_webhook": whatsapp_rows,
    "memory_users": memory_rows,
    "broadcast_rate": broadcast_rows,
    "reminders": reminder_rows,
    "dashboard_pages": dashboard_rows,
    "workers": worker_rows,  # only with a PostgreSQL server: BENCH_POSTGRES_URL or TEST_POSTGRES_URL
}


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--quick", action="store_true", help="tiny sizes")
    arguments.add_argument("only", nargs="*", choices=[[], *BENCHMARKS], help="run only these")
    options = arguments.parse_args()
    names = options.only or list(BENCHMARKS)

    table: list[tuple[str, Row, float]] = []
    failed: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tynchtyk-bench-") as directory:
        for name in names:
            if name == "workers" and not (os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")):
                print("\n(workers skipped: set BENCH_POSTGRES_URL to a PostgreSQL role that may create databases)")
                continue
            out = Path(directory) / f"{name}.json"
            command = [sys.executable, str(HERE / f"{name}.py"), "--json", str(out)]
            if options.quick:
                command.append("--quick")
            print(f"\n$ {' '.join(Path(part).name if part.endswith('.py') else part for part in command[1:])}",
                  flush=True)
            began = time.perf_counter()
            code = subprocess.run(command, cwd=ROOT).returncode
            seconds = time.perf_counter() - began
            if code != 0 or not out.exists():
                failed.append(name)
                table.append((name, ("FAILED", f"exit code {code}", "", ""), seconds))
                continue
            for row in BENCHMARKS[name](json.loads(out.read_text())):
                table.append((name, row, seconds))

    total = time.perf_counter() - started
    print(f"\n== summary{' (--quick: tiny sizes, not comparable)' if options.quick else ''} ==")
    header = ("benchmark", "figure", "value", "aim", "", "time")
    widths = (17, 30, 11, 9, 7, 6)
    print("  ".join(text.ljust(width) for text, width in zip(header, widths)))
    print("  ".join("-" * width for width in widths))
    shown: set[str] = set()
    for name, (figure, value, aim, verdict), seconds in table:
        first = name not in shown
        shown.add(name)
        cells = (name if first else "", figure, value, aim, verdict, f"{seconds:.0f} s" if first else "")
        print("  ".join(text.ljust(width) for text, width in zip(cells, widths)).rstrip())
    print(f"total {total:.0f} s")
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
