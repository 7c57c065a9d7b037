"""Stage 2b: the rule schema, YAML round trip, and pinned errors for invalid rule files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from helpers import DATA, ROOT

from planner.errors import RuleError
from planner.model import Status
from planner.read.rules import dump_rules, load_rules, ruleset_from_data
from planner.read.schema import to_data

INVALID = sorted((DATA / "rules" / "invalid").glob("*.yaml"))


def test_round_trip_is_exact(imiquimod) -> None:
    assert load_rules(dump_rules(imiquimod)) == imiquimod
    assert ruleset_from_data(to_data(imiquimod)) == imiquimod


def test_needs_review_rule_round_trips_without_regimen(imiquimod) -> None:
    rule = replace(imiquimod.rules[0], status=Status.NEEDS_REVIEW, regimen=None, reasons=("unclear",))
    ruleset = replace(imiquimod, rules=(rule,))
    assert load_rules(dump_rules(ruleset)) == ruleset


def test_needs_review_without_reason_is_rejected(imiquimod) -> None:
    rule = replace(imiquimod.rules[0], status=Status.NEEDS_REVIEW, regimen=None)
    with pytest.raises(RuleError, match="needs a reason"):
        ruleset_from_data(to_data(replace(imiquimod, rules=(rule,))))


def test_duplicate_ids_are_rejected(imiquimod) -> None:
    data = to_data(replace(imiquimod, rules=(imiquimod.rules[0], imiquimod.rules[0])))
    with pytest.raises(RuleError, match=r"indications\[1\]\.id: duplicate id 'actinic-keratosis'"):
        ruleset_from_data(data)


def test_every_error_of_a_file_is_reported_at_once() -> None:
    text = (ROOT / "rules" / "imiquimod.yaml").read_text()
    text = text.replace("per: week", "per: fortnight").replace("status: ok", "status: maybe")
    with pytest.raises(RuleError) as info:
        load_rules(text, "rules/x.yaml")
    lines = str(info.value).splitlines()
    assert len(lines) == 6 and all(line.startswith("rules/x.yaml: indications[") for line in lines)
    assert info.value.problems == tuple(lines)  # the list itself, for programs


def test_problems_beyond_twenty_stay_in_the_list() -> None:
    data = {"drug": "x", "source": "x", "source_sha256": "", "indications": [{"id": 1}] * 5}
    with pytest.raises(RuleError) as info:
        ruleset_from_data(data, "x.yaml")
    shown = str(info.value).splitlines()
    assert shown[-1].startswith("x.yaml: and ") and len(shown) == 21
    assert len(info.value.problems) > 20 and info.value.problems[:20] == tuple(shown[:20])


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_rule_files_give_the_pinned_error(path: Path) -> None:
    expected = path.with_suffix(".err").read_text().strip()
    with pytest.raises(RuleError) as info:
        load_rules(path.read_text(), "{path}")
    assert str(info.value) == expected
