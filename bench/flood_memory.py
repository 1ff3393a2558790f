"""What flood control keeps in memory per person, and for how long.

10,000 people each send one update; tracemalloc measures what the guard holds then, and again
after everyone has been quiet for a whole window (one more update arrives to let it sweep). The
baseline, in the same process: a plain dict of the same keys to one float, the least any per-person
tracker can keep. With `--against REV` the guard of an earlier commit (read with `git show`) is
measured the same way beside this one.

    .venv/bin/python bench/flood_memory.py [--people 10000] [--against REV] [--quick]
"""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
import types
from pathlib import Path

from common import banner, parser, write_json

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import flood  # noqa: E402 (after the project's folder is on the path)


def guard_at(revision: str) -> types.ModuleType:
    source = subprocess.check_output(["git", "show", f"{revision}:core/flood.py"], cwd=ROOT, text=True)
    module = types.ModuleType(f"flood_at_{revision}")
    module.__dict__["__name__"] = module.__name__
    sys.modules[module.__name__] = module  # dataclasses look their module up by name
    exec(compile(source, f"{revision}:core/flood.py", "exec"), module.__dict__)
    return module


def traced_total() -> int:
    return sum(stat.size for stat in tracemalloc.take_snapshot().statistics("filename"))


def measure(module: types.ModuleType, people: int) -> tuple[float, float]:
    """Bytes per person after one update each, and after a quiet window (the next update sweeps)."""
    now = [0.0]
    tracemalloc.start()
    before = traced_total()
    guard = module.FloodGuard(max_updates=20, window_seconds=10, mute_seconds=30, clock=lambda: now[0])
    for person in range(people):
        guard.check(f"telegram:{1_000_000 + person}")
    busy = traced_total() - before
    now[0] = 11.0
    guard.check("telegram:1")
    quiet = traced_total() - before
    tracemalloc.stop()
    return busy / people, quiet / people


def bare_dict(people: int) -> float:
    tracemalloc.start()
    before = traced_total()
    kept = {f"telegram:{1_000_000 + person}": 0.0 for person in range(people)}
    size = traced_total() - before
    tracemalloc.stop()
    del kept
    return size / people


def main() -> None:
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--people", type=int, default=10_000)
    arguments.add_argument("--against", default=None, help="also measure the guard of this commit")
    args = arguments.parse_args()
    people = 1_000 if args.quick else args.people
    banner(f"flood control's memory with {people:,} people")
    bare = bare_dict(people)
    print(f"   bare dict of floats   {bare:7.0f} bytes a person")
    figures = {"bare": round(bare)}
    guards = [("this tree", flood)] + ([(args.against, guard_at(args.against))] if args.against else [])
    for name, module in guards:
        busy, quiet = measure(module, people)
        figures[name] = {"after one update": round(busy), "after a quiet window": round(quiet)}
        print(f"   guard, {name:14} {busy:7.0f} bytes a person after one update (x{busy / bare:.1f} the bare dict), "
              f"{quiet:7.0f} after a quiet window")
    write_json(args.json, figures)


if __name__ == "__main__":
    main()
