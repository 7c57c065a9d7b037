"""The CLI's JSON contract: ``RuleSet`` / ``Schedule`` → plain data, typed as ``TypedDict``s.

What ``planner extract --format json`` and ``planner plan --format json`` print; programs
read these keys, so a key is renamed or removed only with a new contract. Rule data is the
model's own schema (``read/schema.py``) plus the label's sentence and the regimen in words.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict, cast

from ..model import DISCLAIMER, Dose, DosingRule, RuleSet, Schedule
from ..read.schema import to_data
from .plan_text import warning_texts
from .regimen import describe_regimen


class RuleData(TypedDict):
    """One indication: the rules file's fields, then ``source_text`` and ``plain``."""

    id: str
    name: str
    population: str
    status: str
    regimen: dict[str, Any]  # {} when the rule needs review
    source: dict[str, Any]
    reasons: list[str]
    missed_dose: NotRequired[dict[str, Any]]
    options: NotRequired[list[dict[str, Any]]]
    notes: NotRequired[list[str]]
    source_text: str
    plain: str


class RuleSetData(TypedDict):
    drug: str
    source: str
    source_sha256: str
    indications: list[RuleData]
    brand_names: NotRequired[list[str]]
    missed_dose: NotRequired[dict[str, Any]]
    warnings: NotRequired[list[dict[str, Any]]]


class DoseData(TypedDict):
    number: int
    at: str  # ISO 8601 with the zone's offset
    amount: str
    phase: int


class ReminderData(TypedDict):
    on: str  # ISO date
    text: str


class ScheduleData(TypedDict):
    drug: str
    indication: str
    indication_name: str
    timezone: str
    start: str
    ongoing: bool
    course_end: str | None
    plain: str
    source_text: str
    doses: list[DoseData]
    reminders: list[ReminderData]
    warnings: list[str]
    missed_dose: str
    disclaimer: str


def rule_data(rule: DosingRule) -> RuleData:
    """One indication as the CLI's JSON contract names it (plus provenance and a plain rendering)."""
    data: dict[str, Any] = to_data(rule)
    data.setdefault("regimen", {})
    data["source_text"] = rule.source.sentence
    data["plain"] = describe_regimen(rule.regimen)
    return cast(RuleData, data)


def ruleset_data(ruleset: RuleSet) -> RuleSetData:
    data: dict[str, Any] = to_data(ruleset)
    data["indications"] = [rule_data(r) for r in ruleset.rules]
    return cast(RuleSetData, data)


def dose_rows(doses: tuple[Dose, ...] | list[Dose]) -> list[DoseData]:
    return [{"number": d.number, "at": d.at.isoformat(), "amount": d.amount or "", "phase": d.phase} for d in doses]


def schedule_data(schedule: Schedule) -> ScheduleData:
    """The plan as the CLI's JSON contract names it."""
    prefs = schedule.preferences
    return {
        "drug": schedule.drug,
        "indication": schedule.rule.id,
        "indication_name": schedule.rule.name,
        "timezone": prefs.timezone,
        "start": schedule.start.isoformat(),
        "ongoing": schedule.ongoing,
        "course_end": schedule.course_end.isoformat() if schedule.course_end else None,
        "plain": describe_regimen(schedule.rule.regimen),
        "source_text": schedule.rule.source.sentence,
        "doses": dose_rows(schedule.active),
        "reminders": [{"on": r.on.isoformat(), "text": r.text} for r in schedule.reminders],
        "warnings": warning_texts(schedule),
        "missed_dose": schedule.missed_dose.text if schedule.missed_dose else "",
        "disclaimer": DISCLAIMER,
    }
