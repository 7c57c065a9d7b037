"""The cost of `planner plan --fhir` at start-up, next to `import icalendar` in the same run.

`.venv/bin/python bench/fhir_start.py [--runs N]` runs each command N times (default 10),
interleaved, each in a fresh interpreter with a warm bytecode cache, and prints the medians
in milliseconds. Figures are in docs/fhir.md.
"""

from __future__ import annotations

import argparse
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


def _once(argv: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, *argv], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    for argv in COMMANDS.values():
        _once(argv)  # warm the bytecode cache
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, argv in COMMANDS.items():
            times[name].append(_once(argv))
    base = statistics.median(times["import icalendar"])
    print(f"| command (median of {runs}) | ms | × import icalendar |\n|---|---:|---:|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| `{name}` | {median * 1000:.0f} | {median / base:.2f} |")


if __name__ == "__main__":
    main()
