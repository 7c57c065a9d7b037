"""The cost of `planner plan --fhir` at start-up, next to `import icalendar` in the same run.

`.venv/bin/python bench/fhir_start.py [--runs N] [--before DIR]` runs each command N times
(default 10), interleaved, each in a fresh interpreter with a warm bytecode cache, and prints
the medians in milliseconds. ``--before DIR`` adds the same --fhir plan with an older copy of
the package first on the path (``git archive <commit> planner | tar -x -C DIR``).
Figures are in docs/fhir.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RX = ROOT / "tests" / "data" / "fhir" / "valid" / "doxycycline-bid.json"
PLAN = ["-m", "planner", "plan", "--start", "2026-12-01", "--tz", "Europe/Berlin", "--format", "ics"]
COMMANDS = {
    "import icalendar": ["-c", "import icalendar"],
    "plan --drug imiquimod": [*PLAN, "--drug", "imiquimod", "--indication", "actinic-keratosis"],
    "plan --fhir doxycycline-bid.json": [*PLAN, "--fhir", str(RX)],
}


def _once(argv: list[str], path: str | None = None) -> float:
    env = {**os.environ, "PYTHONPATH": path} if path else None
    began = time.perf_counter()
    subprocess.run([sys.executable, *argv], check=True, stdout=subprocess.DEVNULL, cwd=path or ROOT, env=env)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--before", help="a folder holding an older copy of the planner package")
    options = parser.parse_args()
    runs = options.runs
    commands = {name: (argv, None) for name, argv in COMMANDS.items()}
    if options.before:
        commands["plan --fhir doxycycline-bid.json (before)"] = (
            COMMANDS["plan --fhir doxycycline-bid.json"],
            options.before,
        )
    for argv, path in commands.values():
        _once(argv, path)  # warm the bytecode cache
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, path) in commands.items():
            times[name].append(_once(argv, path))
    base = statistics.median(times["import icalendar"])
    print(f"| command (median of {runs}) | ms | × import icalendar |\n|---|---:|---:|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| `{name}` | {median * 1000:.0f} | {median / base:.2f} |")


if __name__ == "__main__":
    main()
