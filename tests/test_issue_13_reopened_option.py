"""A calendar re-opened with --from-ics keeps the option and the prescriber's amount it was
planned with: before, X-PLANNER-* held neither, so re-opening an option-2 course planned option 1
(another regimen) with no word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli

OTITIS = ("--drug", "azithromycin", "--indication", "acute-otitis-media-6-months-and-older-children")


def first_plan(capsys, tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "course.ics"
    code, _, err = run_cli(capsys, "plan", *OTITIS, "--start", "2026-12-01", *extra, "--format", "ics", "-o", str(out))
    assert code == 0, err
    return out


@pytest.mark.parametrize(("option", "doses"), [("1", 1), ("2", 3), ("3", 5)])
def test_the_chosen_option_and_amount_survive_a_reopen(capsys, tmp_path, monkeypatch, option, doses) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # one DTSTAMP for both runs: compare the bytes
    first = first_plan(capsys, tmp_path, "--option", option, "--amount", "200 mg")
    text = first.read_text()
    assert f"X-PLANNER-OPTION:{option}" in text and "X-PLANNER-AMOUNT:200 mg" in text
    assert text.count("BEGIN:VEVENT") >= doses
    again = tmp_path / "again.ics"
    code, _, err = run_cli(capsys, "plan", "--from-ics", str(first), "--format", "ics", "-o", str(again))
    assert code == 0, err
    assert again.read_bytes() == first.read_bytes()


def test_an_option_given_again_wins_over_the_calendar(capsys, tmp_path) -> None:
    first = first_plan(capsys, tmp_path, "--option", "3", "--amount", "200 mg")
    code, out, err = run_cli(capsys, "plan", "--from-ics", str(first), "--option", "1", "--format", "json")
    assert code == 0, err
    assert len(json.loads(out)["doses"]) == 1  # option 1: a single dose; the calendar's option 3 has 5


def test_a_plan_without_an_option_writes_none(capsys, tmp_path) -> None:
    text = first_plan(capsys, tmp_path, "--amount", "200 mg").read_text()
    assert "X-PLANNER-OPTION" not in text


@pytest.mark.parametrize("value", ["0", "two", "-1", "999"])
def test_a_damaged_option_is_refused(capsys, tmp_path, value) -> None:
    first = first_plan(capsys, tmp_path, "--option", "2", "--amount", "200 mg")
    first.write_text(first.read_text().replace("X-PLANNER-OPTION:2", f"X-PLANNER-OPTION:{value}"))
    code, _, err = run_cli(capsys, "plan", "--from-ics", str(first), "--format", "json")
    assert code == 2
    assert "OPTION" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
