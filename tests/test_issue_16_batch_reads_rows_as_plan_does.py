"""Issue 16, item 5: ``planner batch`` read a row's time with its own parser, so ``08:00+05:00``
was planned at 08:00 local (the offset dropped), ``T0800`` and microseconds were accepted where
``plan`` refuses them, and start years 1 and 9999 crashed as "internal error". A row is now read
by the same course-request reader as ``plan``'s options: the same one-line refusal, per row."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from helpers import ROOT

GOOD = ("imiquimod", "actinic-keratosis", "2026-12-07", "Europe/Berlin", "21:30")
BAD = {
    "offset": ("time", "08:00+05:00"),
    "t-prefix": ("time", "T0800"),
    "microseconds": ("time", "08:00:00.123456"),
    "seconds": ("time", "08:00:30"),
    "year-1": ("start", "0001-01-01"),
    "year-9999": ("start", "9999-12-31"),
    "until-year-9999": ("until", "9999-12-31"),
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip


def plan_error(column: str, value: str) -> str:
    """What ``planner plan`` says about the same value, without the "planner: error: " lead."""
    option = {"time": "--time", "start": "--start", "until": "--until"}[column]
    args = dict(zip(("--drug", "--indication", "--start", "--tz", "--time"), GOOD, strict=True)) | {option: value}
    out = run("plan", *[x for kv in args.items() for x in kv], "--format", "json")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1, out.stderr
    return out.stderr.strip().removeprefix("planner: error: ")


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], dict[str, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("batch")
    lines = ["id,drug,indication,start,timezone,time,until", "ok," + ",".join(GOOD) + ","]
    for name, (column, value) in BAD.items():
        cells = dict(zip(("drug", "indication", "start", "timezone", "time"), GOOD, strict=True)) | {"until": ""}
        cells[column] = value
        lines.append(",".join([name, *cells.values()]))
    (folder / "clinic.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run("batch", str(folder / "clinic.csv"), "--out", str(folder / "out"))
    rows = list(csv.DictReader(io.StringIO((folder / "out" / "summary.csv").read_text(encoding="utf-8"))))
    return out, {row["id"]: row for row in rows}


def test_the_batch_exits_2_with_no_internal_error(summary) -> None:
    out, rows = summary
    assert out.returncode == 2, out.stderr
    assert rows["ok"]["status"] == "written"
    assert not any("internal error" in row["error"] for row in rows.values())


@pytest.mark.parametrize("name", list(BAD))
def test_a_row_is_refused_with_plans_own_words(summary, name) -> None:
    _, rows = summary
    assert rows[name]["status"] == "failed" and rows[name]["file"] == ""
    assert rows[name]["error"] == plan_error(*BAD[name])
