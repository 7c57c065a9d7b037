"""A prescriber's regimen typed into a form → an ok ``DosingRule`` of one phase.

The form's own validation, with its own copy of the extractor's sane bounds: kept as it is
until the one request reader (``read/request.py``) takes its place.
"""

from __future__ import annotations

from typing import Any

from ..errors import RuleError
from ..model import DosingRule, SourceKind, SourceRef
from ..read.rules import ruleset_from_data
from .regimen import describe_regimen

PRESCRIBER_RHYTHMS = {
    "times a day": ("frequency", "day"),
    "times a week": ("frequency", "week"),
    "every N hours": ("interval", "hour"),
    "every N days": ("interval", "day"),
    "every N weeks": ("interval", "week"),
    "once a month": ("frequency", "month"),
}
PRESCRIBER_LIMITS = {"day": 6, "week": 7, "month": 1}  # the extractor's sane bounds, for typed regimens too


def prescriber_rule(
    *,
    rhythm: str,
    count: int,
    duration_kind: str,
    duration_min: int | None = None,
    duration_max: int | None = None,
    duration_unit: str = "day",
    doses: int | None = None,
    amount: str = "",
    spacing_min: int | None = None,
    spacing_max: int | None = None,
    time_of_day: str | None = None,
    population: str = "adults",
    rule_id: str = "prescriber",
) -> DosingRule:
    """A prescriber's own regimen, typed in a form, as an ok ``DosingRule`` of one phase.

    Validated by the rules schema (the same checks as a reviewed rule file) and the
    extractor's sane bounds; a ``RuleError`` lists every problem."""
    if rhythm not in PRESCRIBER_RHYTHMS:
        raise RuleError(f"unknown rhythm {rhythm!r}", key="rhythm", hint=", ".join(PRESCRIBER_RHYTHMS))
    kind, unit = PRESCRIBER_RHYTHMS[rhythm]
    problems = []
    if kind == "frequency" and count > PRESCRIBER_LIMITS[unit]:
        problems.append(f"at most {PRESCRIBER_LIMITS[unit]} doses a {unit}")
    if kind == "interval" and unit == "hour" and count < 4:
        problems.append("doses at least 4 hours apart")
    if problems:
        raise RuleError("the planner accepts " + " and ".join(problems), key="regimen")
    phase: dict[str, Any] = {
        kind: {"times": count, "per": unit} if kind == "frequency" else {"every": count, "unit": unit}
    }
    if amount.strip():
        phase["amount"] = amount.strip()
    if spacing_min:
        phase["spacing"] = {"min_days": spacing_min, **({"max_days": spacing_max} if spacing_max else {})}
    if duration_kind == "doses":
        phase["doses"] = doses
    else:
        duration: dict[str, Any] = {"kind": duration_kind, "unit": duration_unit}
        if duration_kind == "fixed":
            duration.update(min=duration_min, max=duration_min)
        elif duration_kind == "up-to":
            duration["max"] = duration_max
        elif duration_kind == "range":
            duration.update(min=duration_min, max=duration_max)
        phase["duration"] = duration
    if time_of_day:
        phase["time_of_day"] = time_of_day
    data = {
        "drug": "prescriber",
        "source": "prescriber",
        "source_sha256": "",
        "indications": [
            {
                "id": rule_id,
                "name": "Prescriber's regimen",
                "population": population,
                "status": "ok",
                "regimen": {"phases": [phase]},
                "source": {
                    "file": "prescriber",
                    "section": "entered by the prescriber",
                    "population": population,
                    "sentence": "",
                },
            }
        ],
    }
    rule = ruleset_from_data(data, "prescriber's regimen").rules[0]
    words = f"Prescriber's regimen: {describe_regimen(rule.regimen)}."
    return DosingRule(
        rule.id,
        rule.name,
        rule.population,
        rule.status,
        rule.regimen,
        SourceRef("prescriber", "entered by the prescriber", population, words, kind=SourceKind.PRESCRIBER),
    )
