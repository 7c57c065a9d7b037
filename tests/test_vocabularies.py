"""Closed vocabularies: behaviour follows enum members, never a string's prefix or substring, and
each member's value is the word the files already used (rules/, JSON and .ics unchanged)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

from helpers import DATA, ROOT

import planner
from planner.model import (
    Caution,
    CautionTopic,
    Preferences,
    Regimen,
    ReminderKind,
    SourceKind,
    SourceRef,
)
from planner.plan.scheduler import plan_course
from planner.read.fhir.prescription import from_fhir
from planner.read.rules import dump_rules, load_rules, regimen_from_text, with_regimen
from planner.words.calendar import day_kinds, key_dates
from planner.write.ics import plan_properties

START = dt.date(2026, 12, 1)


def test_values_are_the_words_the_files_use() -> None:
    assert [t.value for t in CautionTopic] == [
        "age", "pregnancy", "breastfeeding", "contraindication", "caution", "dosing", "missed-dose", "prescriber",
    ]  # fmt: skip
    assert [k.value for k in ReminderKind] == ["review with your prescriber", "end of this calendar"]
    assert [k.value for k in SourceKind] == ["monograph", "fhir", "prescriber"]


def test_the_builtin_warning_is_not_shadowed() -> None:
    assert "Warning" not in planner.model.__all__ and "Caution" in planner.__all__


def test_rules_files_do_not_gain_a_source_kind(imiquimod) -> None:
    text = (ROOT / "rules" / "imiquimod.yaml").read_text()
    assert dump_rules(load_rules(text)) == text and "kind: monograph" not in text
    assert imiquimod.rules[0].source.kind is SourceKind.MONOGRAPH


def test_a_fhir_rule_is_known_by_its_kind_not_its_section_name() -> None:
    data = json.loads((DATA / "fhir" / "valid" / "alendronate-weekly.json").read_text())
    ruleset = from_fhir(data, source="x.json")
    assert ruleset.rules[0].source.kind is SourceKind.FHIR
    renamed = replace(ruleset.rules[0], source=replace(ruleset.rules[0].source, section="Dosage"))
    schedule = plan_course(replace(ruleset, rules=(renamed,)), renamed.id, START, Preferences())
    assert plan_properties(schedule)["source"] == "fhir"
    monograph = replace(renamed, source=SourceRef("x.md", "FHIR-like heading", "adults", "s"))
    schedule = plan_course(replace(ruleset, rules=(monograph,)), monograph.id, START, Preferences())
    assert plan_properties(schedule)["source"] == "x.md"


def test_a_prescribers_caution_reaches_only_the_indication_it_replaced(imiquimod) -> None:
    regimen = regimen_from_text("{phases: [{frequency: {times: 1, per: day}, doses: 3}]}")
    first, second = imiquimod.rules[0], imiquimod.rules[1]
    twin = replace(second, source=first.source, status=first.status, regimen=first.regimen)
    same = replace(imiquimod, rules=(first, twin))  # one sentence, two ids: a substring match would mix them
    ruleset = with_regimen(same, first.id, regimen)
    assert ruleset.warnings[0] == Caution(CautionTopic.PRESCRIBER, ruleset.warnings[0].text, indication=first.id)
    topics = {w.topic for w in plan_course(ruleset, first.id, START, Preferences()).warnings}
    assert CautionTopic.PRESCRIBER in topics
    topics = {w.topic for w in plan_course(ruleset, second.id, START, Preferences()).warnings}
    assert CautionTopic.PRESCRIBER not in topics


def test_review_days_follow_the_reminder_kind_not_the_title(imiquimod) -> None:
    rule = imiquimod.rules[0]
    up_to = regimen_from_text(
        "{phases: [{frequency: {times: 1, per: day}, duration: {kind: up-to, unit: week, max: 2}}]}"
    )
    schedule = plan_course(with_regimen(imiquimod, rule.id, up_to), rule.id, START, Preferences())
    review = [r for r in schedule.reminders if r.kind is ReminderKind.REVIEW]
    assert review and review[0].title == "review with your prescriber"
    assert day_kinds(schedule)[review[0].on] == "review"
    assert ("Review with prescriber", review[0].on) in key_dates(schedule)
    assert isinstance(schedule.rule.regimen, Regimen)
