"""A regimen the prescriber gave, entered step by step (one phase a step, so a taper fits),
as an ok ``DosingRule`` checked by the same schema and bounds as a reviewed rule file, and
read back in words for the patient to confirm. Pure and streamlit-free.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from ..errors import RuleError
from ..limits import bound_problems
from ..model import DosingRule, Regimen, SourceKind, SourceRef, Status
from ..read.rules import ruleset_from_data
from .regimen import describe_phase


class Rhythm(str, Enum):
    """How often, as the step form offers it."""

    TIMES_A_DAY = "times a day"
    TIMES_A_WEEK = "times a week"
    EVERY_N_HOURS = "every N hours"
    EVERY_N_DAYS = "every N days"
    ONCE = "a single dose"


class LengthUnit(str, Enum):
    """What a step's length counts."""

    DAYS = "days"
    WEEKS = "weeks"
    DOSES = "doses"
    ONGOING = "no set end"


_RHYTHM_DATA = {
    Rhythm.TIMES_A_DAY: ("frequency", "day"),
    Rhythm.TIMES_A_WEEK: ("frequency", "week"),
    Rhythm.EVERY_N_HOURS: ("interval", "hour"),
    Rhythm.EVERY_N_DAYS: ("interval", "day"),
}


@dataclass(frozen=True)
class Step:
    """One phase as typed: "4 mg, 3 times a day, for 2 days"."""

    rhythm: Rhythm
    count: int = 1  # the N of "N times a day" or "every N hours"
    length: int = 1
    unit: LengthUnit = LengthUnit.DAYS
    amount: str = ""
    time_of_day: str | None = None


def _phase_data(step: Step) -> dict[str, Any]:
    phase: dict[str, Any] = {}
    if step.rhythm is Rhythm.ONCE:
        phase["doses"] = 1
    else:
        kind, per = _RHYTHM_DATA[step.rhythm]
        phase[kind] = {"times": step.count, "per": per} if kind == "frequency" else {"every": step.count, "unit": per}
        if step.unit is LengthUnit.DOSES:
            phase["doses"] = step.length
        elif step.unit is LengthUnit.ONGOING:
            phase["duration"] = {"kind": "ongoing", "unit": "day"}
        else:
            unit = "week" if step.unit is LengthUnit.WEEKS else "day"
            phase["duration"] = {"kind": "fixed", "unit": unit, "min": step.length, "max": step.length}
    if step.amount.strip():
        phase["amount"] = step.amount.strip()
    if step.time_of_day:
        phase["time_of_day"] = step.time_of_day
    return phase


def prescribed_rule(
    steps: tuple[Step, ...], population: str = "adults", rule_id: str = "prescriber", name: str = ""
) -> DosingRule:
    """The steps as one ok rule of several phases; a ``RuleError`` names every problem."""
    if not steps:
        raise RuleError("enter at least one step of the regimen", key="regimen")
    ongoing = [n for n, s in enumerate(steps, 1) if s.unit is LengthUnit.ONGOING and s.rhythm is not Rhythm.ONCE]
    if ongoing and ongoing[0] != len(steps):
        raise RuleError(f"step {ongoing[0]} has no set end, so no step can follow it", key="regimen")
    data = {
        "drug": "prescriber",
        "source": "prescriber",
        "source_sha256": "",
        "indications": [
            {
                "id": rule_id,
                "name": name or "Your prescriber's regimen",
                "population": population,
                "status": "ok",
                "regimen": {"phases": [_phase_data(s) for s in steps]},
                "source": {
                    "file": "prescriber",
                    "section": "entered from the prescription",
                    "population": population,
                    "sentence": "",
                },
            }
        ],
    }
    rule = ruleset_from_data(data, "the regimen you entered").rules[0]
    assert rule.regimen is not None
    return rule_of(rule.regimen, population, rule_id, rule.name)


def rule_of(regimen: Regimen, population: str = "adults", rule_id: str = "prescriber", name: str = "") -> DosingRule:
    """A prescriber's regimen (typed in steps, or read from the prescription's words) as an ok
    rule, checked against the planner's bounds; its sentence is the regimen in words."""
    problems = [f"step {n}: {p}" for n, phase in enumerate(regimen.phases, 1) for p in bound_problems(phase)]
    if problems:
        raise RuleError("; ".join(problems), key="regimen", hint="check the prescription, or ask your pharmacist")
    rule = DosingRule(
        rule_id,
        name or "Your prescriber's regimen",
        population,
        Status.OK,
        regimen,
        SourceRef("prescriber", "entered from the prescription", population, "", kind=SourceKind.PRESCRIBER),
    )
    words = "Your prescriber's regimen: " + read_back(rule) + "."
    return replace(rule, source=replace(rule.source, sentence=words))


def read_back(rule: DosingRule) -> str:
    """The entered regimen in words, step by step: "step 1: 24 mg, once a day, for 1 day; step 2: …"."""
    phases = rule.regimen.phases if rule.regimen else ()
    if len(phases) == 1:
        return describe_phase(phases[0])
    return "; ".join(f"step {n}: {describe_phase(p)}" for n, p in enumerate(phases, 1))
