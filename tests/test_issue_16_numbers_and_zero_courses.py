"""Issue 16, items 1 and 6: ".5 mg" planned 5 mg, "1/2 mg" 2 mg, "1 000 mg" "000 mg", "2.5e2 mg"
2 mg, "1. 5 g" 5 g, "½ mg" no amount; "0 times a day" and "for 0 days" came out ok with an
empty plan. Every number beside a dose unit is now read whole or the text goes to review, and
zero is outside the bounds: checked here through the CLI, as a prescription's words."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import ROOT

PLAN = ("plan", "--drug", "imiquimod", "--indication", "actinic-keratosis", "--start", "2026-12-07", "--format", "json")


def sig(text: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner", *PLAN, "--sig", text], capture_output=True, text=True,
                          cwd=ROOT)  # fmt: skip


@pytest.mark.parametrize(
    "written,amount",
    [(".5 mg", "0.5 mg"), ("0.5 mg", "0.5 mg"), ("1/2 mg", "0.5 mg"), ("½ mg", "0.5 mg"), ("1,000 mg", "1,000 mg")],
)
def test_a_number_is_read_whole(written, amount) -> None:
    out = sig(f"Apply {written} once daily 2 times a week for 4 weeks")
    assert out.returncode == 0, out.stderr
    assert {d["amount"] for d in json.loads(out.stdout)["doses"]} == {amount}


@pytest.mark.parametrize("written", ["1 000 mg", "2.5e2 mg", "1. 5 g", "3,50 mg"])
def test_a_number_that_reads_two_ways_is_refused(written) -> None:
    out = sig(f"Apply {written} once daily 2 times a week for 4 weeks")
    assert out.returncode == 2 and "number" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("text", ["Apply 0 times a week for 4 weeks", "Apply twice a week for 0 weeks"])
def test_zero_courses_are_refused(text) -> None:
    out = sig(text)
    assert out.returncode == 2 and ("no doses" in out.stderr or "zero" in out.stderr), out.stderr
