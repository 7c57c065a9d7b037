"""Stage 0b, meaning: when in the day and on which days — ``repeat.when`` or ``timeOfDay``
(FHIR allows one, tim-10), the planner's ``planned-time`` and ``time-of-day`` extensions,
and ``dayOfWeek``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.timing import TimingRepeat

from ...model import Frequency, Unit
from .codes import DAY_CODES, WHEN
from .where import Fail, at, show

EVENT_TIMING = {code: anchor for anchor, code in WHEN.items()}
# The planner's extensions of one Dosage by name: (JSON path, the Extension models).
Extensions = dict[str, tuple[str, list[Extension]]]


def clock(
    fail: Fail, repeat: TimingRepeat, where: str, ext: Extensions, per_day: int, hourly: bool
) -> tuple[str | None, tuple[dt.time, ...] | None]:
    """(anchor, clock times): one ``when`` code or clock times, never both."""
    anchor = None
    if repeat.when is not None:
        if len(repeat.when) != 1:
            raise fail.unsupported(at(where, "when"), f"{len(repeat.when)} codes", "give one code, or timeOfDay")
        code = repeat.when[0]
        if code not in EVENT_TIMING:
            raise fail.unsupported(
                at(at(where, "when"), 0),
                f"event timing {show(code)}",
                f"the planner reads {', '.join(sorted(EVENT_TIMING))}",
            )
        if repeat.timeOfDay is not None:
            raise fail(at(where, "timeOfDay"), "both when and timeOfDay (FHIR allows one of them)")
        anchor = EVENT_TIMING[code]
    if "time-of-day" in ext:
        anchor = _word(fail, ext, anchor)
    found = None
    if repeat.timeOfDay is not None:
        found = times(fail, repeat.timeOfDay, at(where, "timeOfDay"))
    if "planned-time" in ext:
        path, items = ext["planned-time"]
        if anchor is None or found is not None:
            raise fail(path, "planned-time goes with when, not with timeOfDay")
        found = times(fail, [item.valueTime for item in items], path)
    if found is not None and hourly:
        hint = "give the first dose as boundsPeriod.start"
        raise fail.unsupported(at(where, "timeOfDay"), "clock times with an hourly period", hint)
    if found is not None and len(found) != per_day:
        raise fail(at(where, "timeOfDay"), f"{len(found)} time(s) for {per_day} dose(s) a day")
    return anchor, found


def _word(fail: Fail, ext: Extensions, anchor: str | None) -> str:
    """The time-of-day extension: a word such as noon, where no ``when`` code says it."""
    path, (item,) = ext["time-of-day"]
    if anchor is not None:
        raise fail(path, "both when and a time-of-day extension")
    word = item.valueString
    if not isinstance(word, str) or not re.match(r"^[a-z][a-z-]{0,39}$", word):
        raise fail(at(path, "valueString"), f"expected a word such as noon, got {show(word)}")
    return word


def times(fail: Fail, values: list[Any], where: str) -> tuple[dt.time, ...]:
    """Clock times HH:MM:SS (no fractions of a second), each once, in order."""
    for i, value in enumerate(values):
        if not isinstance(value, dt.time) or value.microsecond:
            raise fail(at(where, i), f"expected a time HH:MM:SS, got {show(value)}")
    if len(set(values)) != len(values):
        raise fail(where, "the same time twice")
    return tuple(sorted(values))


def weekdays(fail: Fail, repeat: TimingRepeat, where: str, frequency: Frequency | None) -> tuple[int, ...] | None:
    """dayOfWeek, read only with N times per week and exactly N days."""
    if repeat.dayOfWeek is None:
        return None
    where = at(where, "dayOfWeek")
    bad = [c for c in repeat.dayOfWeek if c not in DAY_CODES]
    if bad:
        raise fail(where, f"not a day code: {show(bad[0])} (use mon, tue, wed, thu, fri, sat, sun)")
    days = tuple(sorted({DAY_CODES.index(c) for c in repeat.dayOfWeek}))
    if frequency is None or frequency.per is not Unit.WEEK:
        raise fail.unsupported(
            where,
            "days of the week with a daily, monthly or interval rhythm",
            "the planner reads dayOfWeek only with N times per week",
        )
    if len(days) != frequency.times:
        raise fail(where, f"{len(days)} day(s) for {frequency.times} dose(s) a week")
    return days
