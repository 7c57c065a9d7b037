"""Issue 16, item 2: a prescriber's or FHIR regimen "for 2000 doses" (or ``count: 5000``) was cut
at the planner's 5-year horizon to 1,831 doses, numbered "1831/1831" as if complete, exit 0.
Such a course is now refused with one line, exit 2, from every source (CLI, FHIR, app)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys

import pytest
from helpers import DATA, ROOT

from planner.course import plan_request
from planner.errors import ScheduleError
from planner.files import find_bundled
from planner.read.request import Widgets, from_widgets
from planner.words.prescribed import LengthUnit, Rhythm, Step, prescribed_rule

PLAN = ("plan", "--drug", "imiquimod", "--indication", "actinic-keratosis", "--start", "2026-12-07")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip


def refused(out: subprocess.CompletedProcess[str]) -> None:
    assert out.returncode == 2, out.stderr
    assert out.stdout == "" and len(out.stderr.splitlines()) == 1, out.stderr
    assert "horizon" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("doses", [2000, 5000])
def test_a_prescribers_regimen_past_the_horizon_is_refused(doses: int) -> None:
    regimen = json.dumps({"phases": [{"frequency": {"times": 1, "per": "day"}, "doses": doses}]})
    refused(run(*PLAN, "--regimen", regimen, "--format", "json"))


def test_a_fhir_count_past_the_horizon_is_refused(tmp_path) -> None:
    data = json.loads((DATA / "fhir" / "valid" / "doxycycline-bid.json").read_text(encoding="utf-8"))
    repeat = data["dosageInstruction"][0]["timing"]["repeat"]
    del repeat["boundsDuration"]
    repeat["count"] = 5000  # twice a day: 2,500 days
    data["dosageInstruction"][0]["text"] = "Take 1 tablet (100 mg) by mouth twice daily, 5000 doses."
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    refused(run("plan", "--fhir", str(path), "--start", "2026-12-01", "--format", "ics"))


def test_the_same_regimen_within_the_horizon_is_planned_whole() -> None:
    regimen = json.dumps({"phases": [{"frequency": {"times": 1, "per": "day"}, "doses": 1000}]})
    out = run(*PLAN, "--regimen", regimen, "--format", "json")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["doses"]) == 1000


def test_the_app_refuses_it_too() -> None:
    ruleset = find_bundled("imiquimod").ruleset
    rule = prescribed_rule((Step(Rhythm.EVERY_N_DAYS, 2, length=1500, unit=LengthUnit.DOSES),))
    rules = dataclasses.replace(ruleset, rules=(*ruleset.rules, rule))
    request = from_widgets(Widgets(rule.id, dt.date(2026, 12, 7), "Europe/Berlin", rules=rules))
    with pytest.raises(ScheduleError, match="only 916 fit in the planner's 1830-day horizon"):
        plan_request(request, rules)
