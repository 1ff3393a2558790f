"""What a change costs per update: `engine_menus.py` run on this tree and on an earlier commit,
interleaved round by round so that both see the same machine.

The earlier commit is checked out into a temporary git worktree (nothing of it is kept). Each
run's own ratio to its "bare" SQLite transaction is compared, which cancels most of the machine's
noise; the one-at-a-time p50 is compared too, and the CPU time per update (the process's, its
database threads included: the steadiest figure on a shared machine) when both scripts report it.
`--this-bench` runs this tree's bench/ scripts on the earlier commit's code too (copied into its
worktree), so that both are measured the same way.

    .venv/bin/python bench/versus_commit.py --baseline 278794b [--rounds 3] [--users 300] [--this-bench]
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, banner, parser


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--baseline", required=True, help="the commit to compare with")
    arguments.add_argument("--rounds", type=int, default=3)
    arguments.add_argument("--users", type=int, default=300)
    arguments.add_argument("--this-bench", action="store_true",
                           help="measure the earlier commit with this tree's bench/ scripts")
    options = arguments.parse_args()
    if options.quick:
        options.rounds, options.users = 1, 40
    banner(f"this tree versus {options.baseline}, engine_menus.py, {options.rounds} rounds")
    with tempfile.TemporaryDirectory(prefix="tynchtyk-baseline-") as folder:
        baseline = Path(folder) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(baseline), options.baseline],
                       cwd=ROOT, check=True, capture_output=True)
        if options.this_bench:
            shutil.copytree(ROOT / "bench", baseline / "bench", dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        try:
            runs: dict[str, list[dict]] = {"baseline": [], "ours": []}
            for round_number in range(options.rounds):
                for name, tree in (("baseline", baseline), ("ours", ROOT)):
                    figures = run_engine_menus(tree, options.users, Path(folder) / f"{name}-{round_number}.json")
                    runs[name].append(figures)
                    cpu = f", CPU {figures['cpu_ms_per_update']:.2f} ms/update" if "cpu_ms_per_update" in figures else ""
                    print(f"round {round_number + 1} {name:8} {figures['updates_per_s']:7.0f} updates/s, "
                          f"ratio to bare {figures['ratio_to_bare']:.3f}, "
                          f"one at a time p50 {figures['serial']['p50_ms']:.2f} ms{cpu}")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, capture_output=True)
    ours = statistics.median(run["ratio_to_bare"] for run in runs["ours"])
    before = statistics.median(run["ratio_to_bare"] for run in runs["baseline"])
    ours_ms = statistics.median(run["serial"]["p50_ms"] for run in runs["ours"])
    before_ms = statistics.median(run["serial"]["p50_ms"] for run in runs["baseline"])
    print(f"throughput, ours / baseline (each as a ratio to its bare transaction): {ours / before:.2f}")
    print(f"one update at a time, p50: {ours_ms:.2f} ms against {before_ms:.2f} ms = x{ours_ms / before_ms:.2f}")
    figures = {"throughput_ratio": ours / before, "p50_ratio": ours_ms / before_ms}
    for key, label in (("cpu_ms_per_update", "CPU per update, many at a time"),
                       ("serial_cpu_ms_per_update", "CPU per update, one at a time")):
        if all(key in run for run in runs["ours"] + runs["baseline"]):
            ours_cpu = statistics.median(run[key] for run in runs["ours"])
            before_cpu = statistics.median(run[key] for run in runs["baseline"])
            print(f"{label}: {ours_cpu:.2f} ms against {before_cpu:.2f} ms = x{ours_cpu / before_cpu:.2f}"
                  f" (updates per CPU second x{before_cpu / ours_cpu:.2f})")
            figures[f"{key}_ratio"] = ours_cpu / before_cpu
    if options.json:
        options.json.write_text(json.dumps({**figures, "runs": runs}, indent=2, default=str), encoding="utf-8")


def run_engine_menus(tree: Path, users: int, output: Path) -> dict:
    subprocess.run(
        [sys.executable, str(tree / "bench" / "engine_menus.py"), "--users", str(users), "--json", str(output)],
        cwd=tree, check=True, capture_output=True, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )
    return json.loads(output.read_text())


if __name__ == "__main__":
    main()
