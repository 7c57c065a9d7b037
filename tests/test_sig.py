"""Prescription text, options and the prescriber's amount, through the CLI as a user types them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import ROOT

DEVSET = ROOT.parent / "shared" / "devset" / "monographs"


def planner(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT)


COURSE = ("--start", "2026-12-07", "--tz", "Europe/Berlin", "--format", "json")


def test_a_sig_is_read_shown_back_and_planned_with_the_labels_limits() -> None:
    out = planner("plan", "--drug", "imiquimod", "--indication", "actinic-keratosis", *COURSE,
                  "--sig", "Apply a thin layer once daily 2 times a week for 16 weeks at bedtime")  # fmt: skip
    assert out.returncode == 0, out.stderr
    plan = json.loads(out.stdout)
    assert len(plan["doses"]) == 32
    days = sorted({d["at"][:10] for d in plan["doses"]})[:2]
    assert days == ["2026-12-07", "2026-12-10"]  # the label's 3-4 days apart, kept
    text = json.dumps(plan)
    assert "Read from the prescription: thin layer, twice a week" in text and "prescriber" in plan["disclaimer"]


def test_a_sig_beyond_the_label_is_refused_naming_the_limit() -> None:
    out = planner("plan", "--drug", "imiquimod", "--indication", "actinic-keratosis", *COURSE,
                  "--sig", "apply once a day for 7 days")  # fmt: skip
    assert out.returncode == 2 and "the label allows at most 2 a week" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_a_sig_that_cannot_be_read_says_why() -> None:
    out = planner("plan", "--drug", "imiquimod", "--indication", "actinic-keratosis", *COURSE,
                  "--sig", "use as needed")  # fmt: skip
    assert out.returncode == 2 and "as needed" in out.stderr


@pytest.mark.skipif(not DEVSET.is_dir(), reason="needs ../shared/devset beside the checkout")
@pytest.mark.parametrize("option,amount,per_day", [(None, "500 mg", 2), ("1", "500 mg", 2), ("2", "250 mg", 3)])
def test_options_are_planned_one_at_a_time(option, amount, per_day) -> None:
    args = ["plan", "--monograph", str(DEVSET / "amoxicillin.md"), "--indication", "streptococcal-pharyngitis-strep-throat",
            *COURSE] + (["--option", option] if option else [])  # fmt: skip
    out = planner(*args)
    assert out.returncode == 0, out.stderr
    plan = json.loads(out.stdout)
    assert {d["amount"] for d in plan["doses"]} == {amount}
    assert max(sum(d["at"].startswith(day) for d in plan["doses"]) for day in ("2026-12-08", "2026-12-09")) == per_day
    assert "option" in json.dumps(plan)


@pytest.mark.skipif(not DEVSET.is_dir(), reason="needs ../shared/devset beside the checkout")
def test_an_option_that_does_not_exist_is_one_line_exit_2() -> None:
    out = planner("plan", "--monograph", str(DEVSET / "amoxicillin.md"), "--indication",
                  "streptococcal-pharyngitis-strep-throat", *COURSE, "--option", "3")  # fmt: skip
    assert out.returncode == 2 and "has 2 options, not 3" in out.stderr


@pytest.mark.skipif(not DEVSET.is_dir(), reason="needs ../shared/devset beside the checkout")
@pytest.mark.parametrize("amount,code,shown", [(None, 0, "dose as prescribed (10 to 25 mg)"), ("15 mg", 0, "15 mg"),
                                               ("40 mg", 2, None), ("2 tablets", 2, None)])  # fmt: skip
def test_an_open_amount_is_the_prescribers_and_lies_in_the_labels_range(amount, code, shown) -> None:
    args = ["plan", "--monograph", str(DEVSET / "methotrexate.md"), "--indication", "psoriasis", *COURSE]
    out = planner(*args, *(["--amount", amount] if amount else []))
    assert out.returncode == code, out.stderr
    if shown:
        assert {d["amount"] for d in json.loads(out.stdout)["doses"]} == {shown}
