"""Stage 4b: ``Schedule`` | ``DosingRule`` → FHIR R4 ``MedicationRequest`` (plain JSON data).

``to_fhir`` writes one ``Dosage`` per phase (``sequence`` 1, 2, …) with the rhythm in
``timing.repeat`` and the amount in ``doseAndRate``. What FHIR cannot say exactly rides in
planner extensions (``EXT``): spacing, the course's own duration, the doses-per-day cap and
the planned clock times as ``extension``; a cycle and a phase's start day as
``modifierExtension``, because a reader that ignored them would dose on days off. Every
Dosage also says the phase in words (``patientInstruction``). The way back is
``read.fhir``. Pure: no file I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ..errors import RuleError
from ..model import (
    DISCLAIMER,
    Dose,
    DosingRule,
    Duration,
    DurationKind,
    Phase,
    Preferences,
    Schedule,
    Status,
    Unit,
)
from ..read.fhir.codes import (
    AMOUNT_UCUM,
    DAY_CODES,
    EXT,
    UCUM,
    UNIT_CODES,
    UNIT_WORDS,
    WHEN,
    amount_quantity,
    amount_text,
    cycle_days,
)
from ..words.plan_text import warning_texts
from ..words.regimen import describe_phase

# --- export ---------------------------------------------------------------------------


def _qty(value: int | float | Decimal, code: str, unit: str | None = None) -> dict[str, Any]:
    number = int(value) if value == int(value) else float(value)
    return {"value": number, "unit": unit or UNIT_WORDS.get(code, code), "system": UCUM, "code": code}


def _ext(name: str, **value: Any) -> dict[str, Any]:
    return {"url": EXT[name], **value}


def _complex(name: str, parts: list[tuple[str, str, Any]]) -> dict[str, Any]:
    return {"url": EXT[name], "extension": [{"url": key, kind: v} for key, kind, v in parts if v is not None]}


def _dose_quantity(value: Decimal, unit: str) -> dict[str, Any]:
    code = AMOUNT_UCUM.get(unit)
    quantity: dict[str, Any] = {"value": int(value) if value == int(value) else float(value), "unit": unit}
    if code:
        quantity.update(system=UCUM, code=code)
    return quantity


def _duration_parts(d: Duration | None) -> list[tuple[str, str, Any]]:
    if d is None:
        return [("kind", "valueCode", "none")]
    return [
        ("kind", "valueCode", d.kind.value),
        ("unit", "valueCode", UNIT_CODES[d.unit]),
        ("min", "valuePositiveInt", d.min),
        ("max", "valuePositiveInt", d.max),
    ]


def _native_bounds(phase: Phase) -> tuple[dict[str, Any], bool]:
    """The phase's length in plain FHIR, and whether that is exactly the planner's duration."""
    d, c = phase.duration, phase.cycle
    if c is not None and c.repeats and (d is None or d.kind is DurationKind.ONGOING):
        # the cycles' span; the importer reads it back as "bounded by the cycles" (no duration)
        return {"boundsDuration": _qty(cycle_days(c), "d")}, d is None
    if c is not None and c.repeats:
        return _native_bounds(replace(phase, cycle=None))[0], False
    if d is None or d.kind is DurationKind.ONGOING:
        return {}, d is None or phase.doses is None  # no bounds and a count reads as "count only"
    code = UNIT_CODES[d.unit]
    if d.kind is DurationKind.FIXED:
        return {"boundsDuration": _qty(d.min or 0, code)}, True
    bounds = {"low": _qty(d.min, code)} if d.kind is DurationKind.RANGE and d.min else {}
    if d.max is not None:
        bounds["high"] = _qty(d.max, code)
    return {"boundsRange": bounds}, True


def _planned_times(doses: list[Dose], prefs: Preferences) -> tuple[dt.time, ...]:
    """The clock times of the phase: the patient's, else the most common set of one day."""
    if prefs.times:
        return tuple(sorted(set(prefs.times)))
    by_day: dict[dt.date, list[dt.time]] = {}
    for dose in doses:
        by_day.setdefault(dose.at.date(), []).append(dose.at.time().replace(tzinfo=None))
    return Counter(tuple(v) for v in by_day.values()).most_common(1)[0][0]


def _lost_in_words(phase: Phase, planned: bool) -> list[str]:
    """What a reader without the planner's extensions would miss, as additionalInstruction text."""
    out = []
    s = phase.spacing
    if s is not None:
        if not s.max_days:
            out.append(f"Doses at least {s.min_days} days apart")
        else:
            out.append(
                f"Doses {s.min_days} to {s.max_days} days apart"
                if s.max_days != s.min_days
                else f"Doses {s.min_days} days apart"
            )
    if phase.max_per_day is not None:
        out.append(
            "Never more than once a day"
            if phase.max_per_day == 1
            else f"Never more than {phase.max_per_day} doses a day"
        )
    if phase.cycle is not None:
        c = phase.cycle
        out.append(
            f"{c.on_days} days on, then {c.off_days} days off"
            + (f", {'up to ' if c.up_to else ''}{c.repeats} cycles" if c.repeats else "")
        )
    if phase.start_day:
        out.append(f"This part starts on day {phase.start_day} of the course")
    d = phase.duration
    if planned and d is not None and d.kind in (DurationKind.UP_TO, DurationKind.RANGE):
        unit = UNIT_WORDS[UNIT_CODES[d.unit]]
        out.append(
            f"Course: up to {d.max} {unit}, stop earlier if told to"
            if d.kind is DurationKind.UP_TO
            else f"Course: {d.min} to {d.max} {unit}; this plan covers {d.min} {unit}"
        )
    if phase.time_of_day and phase.time_of_day not in WHEN:
        out.append(f"Time of day: {phase.time_of_day}")
    return out


def _rhythm(phase: Phase, doses: list[Dose]) -> dict[str, Any]:
    """Count, frequency or interval of ``timing.repeat``; a planned weekly phase names its weekdays."""
    rhythm: dict[str, Any] = {}
    if phase.doses is not None:
        rhythm["count"] = phase.doses
    if phase.frequency is not None:
        rhythm.update(frequency=phase.frequency.times, period=1, periodUnit=UNIT_CODES[phase.frequency.per])
    elif phase.interval is not None:
        rhythm.update(frequency=1, period=phase.interval.every, periodUnit=UNIT_CODES[phase.interval.unit])
    if doses and phase.frequency is not None and phase.frequency.per is Unit.WEEK:
        rhythm["dayOfWeek"] = [DAY_CODES[d] for d in sorted({dose.at.weekday() for dose in doses})]
    return rhythm


def _timing(
    phase: Phase, doses: list[Dose], schedule: Schedule | None, index: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``timing.repeat`` of one phase, and the extensions it needs."""
    repeat: dict[str, Any] = {}
    extensions: list[dict[str, Any]] = []
    hourly = phase.interval is not None and phase.interval.unit is Unit.HOUR
    native, exact = _native_bounds(phase)
    ongoing = phase.duration is not None and phase.duration.kind is DurationKind.ONGOING
    if schedule is not None and doses:
        first, last = doses[0].at, doses[-1].at
        start = first.isoformat() if hourly else (schedule.start if index == 1 else first.date()).isoformat()
        period = {"start": start}
        if not ongoing:  # the last dose day (a date: the planner reads no clock time in an end)
            period["end"] = last.date().isoformat()
        repeat["boundsPeriod"] = period
        exact = ongoing and exact and phase.doses is None
    else:
        repeat.update(native)
    if not exact:
        extensions.append(_complex("course-duration", _duration_parts(phase.duration)))
    repeat.update(_rhythm(phase, doses if schedule is not None else []))
    times = _planned_times(doses, schedule.preferences) if schedule is not None and doses and not hourly else ()
    if not times and phase.clock:  # a rule's own clock times, written without a plan
        times = tuple(dt.time.fromisoformat(c) for c in phase.clock)
    when = WHEN.get(phase.time_of_day or "")
    if when:  # FHIR allows when or timeOfDay, not both (tim-10): the patient's times go in an extension
        repeat["when"] = [when]
        if schedule is not None and schedule.preferences.times:
            extensions += [_ext("planned-time", valueTime=f"{t:%H:%M:%S}") for t in times]
    elif times:
        repeat["timeOfDay"] = [f"{t:%H:%M:%S}" for t in times]
    if phase.time_of_day and not when:
        extensions.append(_ext("time-of-day", valueString=phase.time_of_day))
    return {"repeat": repeat}, extensions


def _modifiers(phase: Phase) -> list[dict[str, Any]]:
    """The modifier extensions of a phase: its cycle and its start day (a reader must not ignore them)."""
    modifiers = []
    if phase.cycle is not None:
        c = phase.cycle
        modifiers.append(
            _complex(
                "cycle",
                [
                    ("on-days", "valuePositiveInt", c.on_days),
                    ("off-days", "valueUnsignedInt", c.off_days),
                    ("repeats", "valuePositiveInt", c.repeats),
                    ("up-to", "valueBoolean", c.up_to or None),
                ],
            )
        )
    if phase.start_day:
        modifiers.append(_ext("phase-start-day", valuePositiveInt=phase.start_day))
    return modifiers


def _dosage(rule: DosingRule, phase: Phase, index: int, schedule: Schedule | None) -> dict[str, Any]:
    doses = [d for d in schedule.active if d.phase == index] if schedule else []
    timing, extensions = _timing(phase, doses, schedule, index)
    s = phase.spacing
    if s is not None:
        spacing = {"low": _qty(s.min_days, "d")} | ({"high": _qty(s.max_days, "d")} if s.max_days else {})
        extensions.insert(0, _ext("dose-spacing", valueRange=spacing))
    if phase.max_per_day is not None:
        extensions.append(_ext("max-doses-per-day", valuePositiveInt=phase.max_per_day))
    quantity = amount_quantity(phase.amount) if phase.amount else None
    if phase.amount and (quantity is None or amount_text(*quantity) != phase.amount):
        extensions.append(_ext("amount-text", valueString=phase.amount))
    if phase.amount_open:  # a range or a dose by weight: the prescriber sets the dose
        extensions.append(_ext("amount-open", valueBoolean=True))
    modifiers = _modifiers(phase)
    dosage: dict[str, Any] = {}
    if extensions:
        dosage["extension"] = extensions
    if modifiers:
        dosage["modifierExtension"] = modifiers
    dosage["sequence"] = index
    if rule.source.sentence.strip():
        dosage["text"] = rule.source.sentence
    lost = _lost_in_words(phase, schedule is not None)
    if lost:
        dosage["additionalInstruction"] = [{"text": text} for text in lost]
    dosage["patientInstruction"] = describe_phase(phase)
    dosage["timing"] = timing
    if quantity is not None:
        dosage["doseAndRate"] = [{"doseQuantity": _dose_quantity(*quantity)}]
        if phase.max_per_day is not None:
            value, unit = quantity
            dosage["maxDosePerPeriod"] = {
                "numerator": _dose_quantity(value * phase.max_per_day, unit),
                "denominator": _qty(1, "d", "day"),
            }
    return dosage


def to_fhir(
    item: Schedule | DosingRule,
    drug: str = "",
    *,
    authored_on: dt.date | dt.datetime | None = None,
    subject: str = "Patient",
) -> dict[str, Any]:
    """A FHIR R4 MedicationRequest (as JSON data) with one Dosage per phase of the regimen.

    Given a Schedule, each Dosage also carries the plan: ``boundsPeriod`` (the planned start
    and last dose day), the weekdays and clock times. ``authored_on`` is a parameter: no clock."""
    schedule = item if isinstance(item, Schedule) else None
    rule = item.rule if isinstance(item, Schedule) else item
    if rule.regimen is None or rule.status is not Status.OK:
        raise RuleError(f"rule {rule.id!r} needs review: there is no regimen to export", key="regimen")
    unmapped = [n for n, p in enumerate(rule.regimen.phases, 1) if p.weekdays is not None or p.offsets_hours]
    if unmapped:  # never a prescription that says less than the label
        raise RuleError(
            f"phase {unmapped[0]} of {rule.id!r} has the label's own weekdays or hourly offsets, "
            "which the FHIR export does not write yet",
            key="regimen",
        )
    name = schedule.drug if schedule else drug
    if not name.strip():
        raise ValueError("to_fhir needs the drug name (pass drug= with a DosingRule)")
    if isinstance(authored_on, dt.datetime) and authored_on.utcoffset() is None:
        raise ValueError("authored_on needs a time zone (FHIR dateTime with a time)")
    request: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "status": "active",
        "intent": "order",
        "medicationCodeableConcept": {"text": name},
        "subject": {"display": subject},
    }
    if authored_on is not None:
        request["authoredOn"] = authored_on.isoformat()
    request["reasonCode"] = [{"text": rule.name or rule.id}]
    missed = schedule.missed_dose if schedule and schedule.missed_dose else rule.missed_dose
    request["note"] = (
        [{"text": DISCLAIMER}]
        + ([{"text": f"If you miss a dose: {missed.text}"}] if missed else [])
        + [{"text": f"Warning: {text}"} for text in (warning_texts(schedule) if schedule else ())]
    )
    request["dosageInstruction"] = [_dosage(rule, phase, i, schedule) for i, phase in enumerate(rule.regimen.phases, 1)]
    return request
