"""Stage 0b, meaning: one fhir.resources ``Dosage`` -> the planner's ``Phase`` (plus the
clock times, weekdays and dates it names), with the planner's extensions read back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fhir.resources.R4B.dosage import Dosage
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.timing import TimingRepeat

from ...limits import MAX_DOSES, MAX_DURATION_DAYS
from ...model import Phase, Unit
from . import dose, timing, when
from .codes import BASE, EXT, MODIFIERS
from .when import Extensions
from .where import Fail, at

DOSAGE_KEYS = {"id", "extension", "modifierExtension", "sequence", "text", "additionalInstruction"}
DOSAGE_KEYS |= {"patientInstruction", "timing", "asNeededBoolean", "site", "route", "method"}
DOSAGE_KEYS |= {"doseAndRate", "maxDosePerPeriod"}
DOSAGE_REFUSED = {
    "asNeededCodeableConcept": "as-needed use is not scheduled as fixed doses",
    "maxDosePerAdministration": "the planner does not check a maximum per administration",
    "maxDosePerLifetime": "the planner does not check a lifetime maximum",
}


@dataclass(frozen=True)
class Read:
    """One Dosage as the planner reads it."""

    phase: Phase
    text: str | None
    times: tuple[dt.time, ...] | None  # timeOfDay, or planned-time beside when
    first: dt.datetime | None  # boundsPeriod.start of an hourly phase, when it has a clock time
    weekdays: tuple[int, ...] | None
    period: tuple[dt.date, dt.date | None] | None  # boundsPeriod start, end (dates)
    start: dt.date | None = None  # boundsPeriod.start, whatever else the bounds mean


def extensions(fail: Fail, dosage: Dosage, where: str) -> Extensions:
    """The planner's extensions of a Dosage by name. Unknown modifiers are refused."""
    found: Extensions = {}
    for key in ("extension", "modifierExtension"):
        for i, ext in enumerate(getattr(dosage, key) or []):
            path = at(at(where, key), i)
            if key == "modifierExtension" and ext.url not in MODIFIERS:
                why = "it changes the meaning of the dosage and the planner does not know it"
                raise fail.unsupported(path, f"modifier extension {ext.url}", why)
            if ext.url not in EXT.values():
                continue  # an extension the planner does not know, and may ignore (not a modifier)
            name = ext.url.removeprefix(BASE)
            if (ext.url in MODIFIERS) != (key == "modifierExtension"):
                raise fail(path, f"{ext.url} belongs in {'modifierExtension' if ext.url in MODIFIERS else 'extension'}")
            if name in found and name != "planned-time":
                raise fail(path, f"{name} given twice")
            found.setdefault(name, (path, []))[1].append(ext)
    return found


def _repeat(fail: Fail, dosage: Dosage, where: str) -> tuple[TimingRepeat, str]:
    """``timing.repeat`` of a Dosage and its path; events, codes alone and modifiers are refused."""
    if dosage.timing is None:
        raise fail(at(where, "timing"), "missing: the planner needs timing.repeat")
    path = at(where, "timing")
    fail.known(dosage.timing, path, {"id", "extension", "code", "repeat"}, timing.TIMING_REFUSED)
    if dosage.timing.repeat is None:
        raise fail.unsupported(at(path, "repeat"), "missing: a timing code alone", "give timing.repeat")
    fail.known(dosage.timing.repeat, at(path, "repeat"), timing.REPEAT_KEYS, timing.REPEAT_REFUSED)
    if dosage.timing.code is not None:
        timing.check_code(fail, dosage.timing.code, dosage.timing.repeat, path)
    return dosage.timing.repeat, at(path, "repeat")


def _one(ext: Extensions, name: str) -> tuple[Extension, str]:
    """The one extension of that name (only planned-time may repeat) and its path."""
    path, (item,) = ext[name]
    return item, path


def read_dosage(fail: Fail, dosage: Dosage, where: str) -> tuple[int | None, Read]:
    """(sequence, the Dosage read); anything the planner cannot plan exactly is refused."""
    fail.known(dosage, where, DOSAGE_KEYS, DOSAGE_REFUSED)
    if dosage.asNeededBoolean:
        raise fail.unsupported(at(where, "asNeededBoolean"), "as-needed use is not scheduled as fixed doses")
    sequence = dosage.sequence  # an integer (fhir.resources), only an order
    texts = [t for t in (dosage.text, dosage.patientInstruction) if t is not None]
    ext = extensions(fail, dosage, where)
    repeat, rat = _repeat(fail, dosage, where)
    frequency, interval = timing.rhythm(fail, repeat, rat)
    bounds = timing.bounds(fail, repeat, rat)
    doses = fail.whole(repeat.count, at(rat, "count"), 1, MAX_DOSES) if repeat.count is not None else None
    if repeat.countMax is not None and fail.whole(repeat.countMax, at(rat, "countMax"), 1, MAX_DOSES) != doses:
        raise fail.unsupported(at(rat, "countMax"), "a range of doses: the prescriber chooses")
    if frequency is None and interval is None and doses != 1:
        raise fail(rat, "needs frequency, period and periodUnit (or count 1 for a single dose)")
    spacing = dose.spacing(fail, *_one(ext, "dose-spacing")) if "dose-spacing" in ext else None
    cycle = dose.cycle(fail, *_one(ext, "cycle")) if "cycle" in ext else None
    period = bounds.period if bounds else None
    if "course-duration" in ext:  # the label's own duration; boundsPeriod then holds the plan's dates
        duration = dose.course_duration(fail, *_one(ext, "course-duration"))
        period = None
    else:
        if bounds is not None and bounds.end_time:
            hint = "give the last day as a date (YYYY-MM-DD) or a count"
            raise fail.unsupported(at(at(rat, "boundsPeriod"), "end"), "an end with a clock time", hint)
        duration = timing.course(bounds, doses, cycle)
    start_day = None
    if "phase-start-day" in ext:
        item, path = _one(ext, "phase-start-day")
        start_day = fail.whole(item.valuePositiveInt, at(path, "valuePositiveInt"), 1, MAX_DURATION_DAYS)
    amount, max_per_day = dose.dose_amount(fail, dosage, where, ext)
    hourly = interval is not None and interval.unit is Unit.HOUR
    per_day = frequency.times if frequency is not None and frequency.per is Unit.DAY else 1
    anchor, times = when.clock(fail, repeat, rat, ext, per_day, hourly)
    weekdays = when.weekdays(fail, repeat, rat, frequency)
    phase = Phase(
        amount=amount,
        frequency=frequency,
        interval=interval,
        spacing=spacing,
        duration=duration,
        doses=doses,
        max_per_day=max_per_day,
        time_of_day=anchor,
        cycle=cycle,
        start_day=start_day,
        amount_open=dose.amount_open(fail, ext, amount),
    )
    if phase.duration is None and phase.doses is None and phase.cycle is None:
        raise fail(rat, "needs bounds, a count or a cycle")
    first = bounds.start_at if bounds is not None and hourly else None
    start = bounds.period[0] if bounds is not None and bounds.period else None
    return sequence, Read(phase, texts[0] if texts else None, times, first, weekdays, period, start)
