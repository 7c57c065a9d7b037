"""Stage 0b, meaning: a Dosage's ``Timing`` -> the phase's rhythm and bounds (the clock is ``when``).

Reads a fhir.resources ``Timing``; refuses what the planner cannot represent exactly
(events, ranges, offsets, codes that disagree with ``repeat``), each with its JSON path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.timing import TimingRepeat

from ...limits import DAYS_IN, MAX_DURATION_DAYS, MAX_TIMES, MIN_INTERVAL_HOURS
from ...model import Cycle, Duration, DurationKind, Frequency, Interval, Unit
from .codes import GTS, TIMING_CODES, UCUM, cycle_days
from .where import Fail, at, show

TIME_UNITS = {"h": Unit.HOUR, "d": Unit.DAY, "wk": Unit.WEEK, "mo": Unit.MONTH}
_WORDS = {"day": "d", "days": "d", "week": "wk", "weeks": "wk", "month": "mo", "months": "mo"}
_WORDS |= {"year": "a", "years": "a", "hour": "h", "hours": "h"}
REPEAT_KEYS = {"id", "extension", "boundsDuration", "boundsRange", "boundsPeriod", "count", "countMax"}
REPEAT_KEYS |= {"frequency", "period", "periodUnit", "dayOfWeek", "timeOfDay", "when"}
REPEAT_REFUSED = {
    "frequencyMax": "a range of doses per period: the prescriber chooses",
    "periodMax": "a range of periods: the prescriber chooses",
    "duration": "the length of each administration",
    "durationMax": "the length of each administration",
    "durationUnit": "the length of each administration",
    "offset": "an offset from a meal or event",
}
TIMING_REFUSED = {
    "event": "a list of dates (give timing.repeat)",
    "modifierExtension": "a modifier extension on timing",
}


@dataclass(frozen=True)
class Bounds:
    """What timing.repeat.bounds[x] says; ``end_time``: boundsPeriod.end has a clock time."""

    duration: Duration | None = None
    period: tuple[dt.date, dt.date | None] | None = None
    start_at: dt.datetime | None = None  # boundsPeriod.start with a clock time (and zone)
    end_time: bool = False


def unit_code(fail: Fail, q: Quantity, where: str, allowed: tuple[str, ...] = ("d", "wk", "mo", "a")) -> str:
    """The UCUM time code of a Duration/Quantity ("d", "wk", "mo", "a")."""
    if q.comparator is not None:
        raise fail.unsupported(at(where, "comparator"), "a comparator (<, >) in a duration")
    if q.system is not None and q.system != UCUM:
        raise fail(at(where, "system"), f"expected {UCUM}, got {show(q.system)}")
    code = q.code if q.code is not None else _WORDS.get((q.unit or "").lower(), "")
    if not code:
        raise fail(at(where, "code"), "missing: a duration needs a UCUM code such as d, wk or mo")
    if code not in allowed:
        raise fail.unsupported(at(where, "code"), f"unit {show(code)}", f"use one of {', '.join(allowed)}")
    return str(code)


def _length(fail: Fail, q: Quantity, where: str) -> tuple[int, Unit]:
    """A Duration quantity -> (whole number, unit); years become months."""
    code = unit_code(fail, q, where)
    n = fail.whole(q.value, at(where, "value"))
    most = MAX_DURATION_DAYS // DAYS_IN[TIME_UNITS["mo" if code == "a" else code]]
    if (n * 12 if code == "a" else n) > most:
        words = {"d": "days", "wk": "weeks", "mo": "months", "a": "years"}[code]
        raise fail.unsupported(at(where, "value"), f"{n} {words}: a course of more than five years")
    return (n * 12, Unit.MONTH) if code == "a" else (n, TIME_UNITS[code])


def _date(fail: Fail, value: Any, where: str) -> tuple[dt.date, dt.datetime | None]:
    """A full date, or a dateTime (FHIR requires its zone) -> (day, instant or None)."""
    if isinstance(value, dt.datetime) and value.utcoffset() is not None:
        moment = value.replace(microsecond=0, tzinfo=dt.timezone(value.utcoffset() or dt.timedelta()))
        return moment.date(), moment
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value, None
    raise fail(where, f"expected a date YYYY-MM-DD or a dateTime with a zone, got {show(value)}")


def bounds(fail: Fail, repeat: TimingRepeat, where: str) -> Bounds | None:
    """The bounds of timing.repeat, or None when it has none (fhir.resources allows only one)."""
    if repeat.boundsDuration is not None:
        n, unit = _length(fail, repeat.boundsDuration, at(where, "boundsDuration"))
        return Bounds(Duration(DurationKind.FIXED, unit, n, n))
    if repeat.boundsRange is not None:
        where, rng = at(where, "boundsRange"), repeat.boundsRange
        if rng.high is None:
            hint = "the prescriber decides when to stop; give boundsRange.high"
            raise fail.unsupported(at(where, "high"), "a course with no maximum length", hint)
        high, unit = _length(fail, rng.high, at(where, "high"))
        if rng.low is None:
            return Bounds(Duration(DurationKind.UP_TO, unit, None, high))
        low, low_unit = _length(fail, rng.low, at(where, "low"))
        if low_unit is not unit:
            raise fail.unsupported(at(where, "low"), "low and high in different units")
        if low > high:
            raise fail(at(where, "low"), f"{low} is more than high {high}")
        return Bounds(Duration(DurationKind.RANGE, unit, low, high))
    if repeat.boundsPeriod is None:
        return None
    where, period = at(where, "boundsPeriod"), repeat.boundsPeriod
    if period.start is None:
        raise fail.unsupported(at(where, "start"), "missing: a period with no start")
    start, start_at = _date(fail, period.start, at(where, "start"))
    if period.end is None:
        return Bounds(Duration(DurationKind.ONGOING), (start, None), start_at)
    end, end_at = _date(fail, period.end, at(where, "end"))
    if end < start:
        raise fail(at(where, "end"), "before the start")
    days = (end - start).days + 1
    if days > MAX_DURATION_DAYS:
        raise fail(at(where, "end"), "a course of more than five years")
    return Bounds(Duration(DurationKind.FIXED, Unit.DAY, days, days), (start, end), start_at, end_at is not None)


def rhythm(fail: Fail, repeat: TimingRepeat, where: str) -> tuple[Frequency | None, Interval | None]:
    """frequency per period periodUnit -> N times per day/week/month, or once every N units."""
    if repeat.frequency is None and repeat.period is None:
        return None, None
    given = {"frequency": repeat.frequency, "period": repeat.period, "periodUnit": repeat.periodUnit}
    for key, value in given.items():
        if value is None:
            raise fail(at(where, key), "missing: frequency, period and periodUnit go together")
    times = fail.whole(repeat.frequency, at(where, "frequency"))  # MAX_TIMES below says how many
    if repeat.period is None or repeat.period != repeat.period.to_integral_value():
        raise fail.unsupported(
            at(where, "period"), f"a period of {repeat.period}", "use a whole number of a smaller unit"
        )
    every = fail.whole(repeat.period, at(where, "period"), 1, MAX_DURATION_DAYS * 24)
    code = repeat.periodUnit
    if code not in TIME_UNITS and code != "a":
        raise fail.unsupported(at(where, "periodUnit"), f"unit {show(code)}", "use h, d, wk, mo or a")
    unit = TIME_UNITS.get(code, Unit.MONTH)
    every = every * 12 if code == "a" else every
    span_days = every * DAYS_IN.get(unit, 1) if unit is not Unit.HOUR else every / 24
    if span_days > MAX_DURATION_DAYS:
        raise fail(at(where, "period"), "a period of more than five years")
    if times > 1 and (every > 1 or unit is Unit.HOUR or code == "a"):
        raise fail.unsupported(
            at(where, "frequency"),
            f"{times} times every {repeat.period} {code}",
            "the planner reads N times per day, week or month, or once every N hours, days, weeks or months",
        )
    if times > 1 or every == 1 and unit is not Unit.HOUR:
        if times > MAX_TIMES[unit]:
            raise fail.unsupported(
                at(where, "frequency"),
                f"{times} times per {unit.value} is outside the range the planner schedules "
                f"(at most {MAX_TIMES[unit]})",
            )
        return Frequency(times, unit), None
    if unit is Unit.HOUR and every < MIN_INTERVAL_HOURS:
        raise fail.unsupported(
            at(where, "period"),
            f"a dose every {every} hours is outside the range the planner schedules "
            f"(at least {MIN_INTERVAL_HOURS} hours)",
        )
    return None, Interval(every, unit)


def check_code(fail: Fail, code: CodeableConcept, repeat: TimingRepeat, where: str) -> None:
    """A GTS abbreviation beside timing.repeat must say the same; other codes are shorthand we ignore."""
    for i, coding in enumerate(code.coding or []):
        if coding.system not in (None, GTS) or coding.code not in TIMING_CODES:
            continue
        said: tuple[object, ...] = (repeat.frequency, repeat.period, repeat.periodUnit)
        if said != TIMING_CODES[coding.code]:
            raise fail(
                at(at(at(at(where, "code"), "coding"), i), "code"),
                f"{coding.code} disagrees with timing.repeat (frequency {said[0]}, period {said[1]} {said[2]})",
            )


def course(found: Bounds | None, doses: int | None, cycle: Cycle | None) -> Duration | None:
    """The phase's duration from plain FHIR: no bounds is ongoing unless a count or the cycles end it."""
    if found is None:
        return Duration(DurationKind.ONGOING) if doses is None else None
    if found.period is not None and found.period[1] is None and doses is not None:
        return None  # an open period with a count: the count ends the course
    span = cycle_days(cycle) if cycle is not None and cycle.repeats else None
    if span is not None and found.duration == Duration(DurationKind.FIXED, Unit.DAY, span, span):
        return None  # exactly the cycles' span: the cycles bound the course
    return found.duration
