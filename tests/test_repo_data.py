"""Every bundled monograph parses, every rule file validates, is fresh and plans."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import ROOT

from planner.files import bundled_paths, load_bundled, load_monograph
from planner.model import Preferences, Status
from planner.plan.scheduler import plan_course

MONOGRAPHS = sorted((ROOT / "monographs").glob("*.md"))
RULES = bundled_paths()


@pytest.mark.parametrize("path", MONOGRAPHS, ids=[p.stem for p in MONOGRAPHS])
def test_monograph_parses(path) -> None:
    monograph = load_monograph(path)
    assert monograph.drug and monograph.dosing and monograph.missed_dose


@pytest.mark.parametrize("path", RULES, ids=[p.stem for p in RULES])
def test_rule_file_is_valid_fresh_and_plans(path) -> None:
    bundled = load_bundled(path)
    assert not bundled.stale, f"{path.name}: monograph changed since review; re-run planner extract"
    for rule in bundled.ruleset.rules:
        if rule.status is Status.OK:
            schedule = plan_course(
                bundled.ruleset, rule.id, dt.date(2026, 12, 1), Preferences(until=dt.date(2027, 3, 1))
            )
            assert schedule.doses
        else:
            assert rule.reasons
