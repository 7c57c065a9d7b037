"""The label's limits, checked on any list of doses: the safety net under every schedule.

Used by the scheduler (every plan is checked before it is returned) and the missed-dose
engine (a make-up or shifted dose must pass the same checks). Instants are compared in
UTC: Python compares two datetimes of one zone by wall time, ignoring DST.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from dateutil.relativedelta import relativedelta

from .clock import UTC
from .model import DurationKind, Phase, Schedule, Unit

# Sane bounds for any regimen, read or entered: outside them it is sent to review, never planned.
MAX_TIMES = {Unit.DAY: 6, Unit.WEEK: 7, Unit.MONTH: 1, Unit.HOUR: 1}
MAX_DURATION_DAYS = 5 * 366
MIN_INTERVAL_HOURS = 4
MAX_CYCLE_DAYS = 366  # one cycle (days on + days off), and each spacing, at most a year
MAX_CYCLES = 100  # cycles of one phase
MAX_DOSES = 5000  # doses in one plan
MAX_PHASES = 20  # phases in one regimen (Dosage entries of one prescription)
MAX_DOSES_PER_DAY = 24  # a label's or prescriber's cap on doses in one day
MAX_NESTING = 64  # objects and lists inside each other in one JSON input (a FHIR Bundle needs about 15)
DAYS_IN = {Unit.DAY: 1, Unit.WEEK: 7, Unit.MONTH: 31}  # the longest a unit can be, in days
# The planner's own bounds: how far a plan reaches and how far a missed dose may move one.
DEFAULT_HORIZON_DAYS = 90  # an ongoing regimen is planned this far unless --until says otherwise
MAX_HORIZON_DAYS = MAX_DURATION_DAYS  # the furthest --until, and the furthest any dose date
MAX_SHIFT_DAYS = 366  # a dose is never pushed further than this by a missed or late dose
MAX_HOUR_STEPS = 4 * 24 * 7  # an hour-based dose moves at most a week (of 15-minute steps)


def bound_problems(phase: Phase) -> list[str]:
    """Values outside the sane bounds above (a dose every hour, 40 times a week, 20 years)."""
    out = []
    f, i, d = phase.frequency, phase.interval, phase.duration
    if f is not None and isinstance(f.times, int) and f.times < 1:
        out.append(f"{f.times} times per {f.per.value}: no doses")
    if i is not None and isinstance(i.every, int) and i.every < 1:
        out.append(f"a dose every {i.every} {i.unit.value}s is outside the usual range")
    if d is not None and d.kind is not DurationKind.ONGOING and (d.max == 0 or d.min == 0 and d.max is None):
        out.append("a duration of zero: no doses")
    if phase.doses is not None and isinstance(phase.doses, int) and phase.doses < 1:
        out.append("zero doses")
    if f is not None and f.per in MAX_TIMES and isinstance(f.times, int) and f.times > MAX_TIMES[f.per]:
        out.append(f"{f.times} times per {f.per.value} is outside the usual range")
    if i is not None and i.unit is Unit.HOUR and isinstance(i.every, int) and i.every < MIN_INTERVAL_HOURS:
        out.append(f"a dose every {i.every} hour(s) is outside the usual range")
    if d is not None and all(isinstance(v, int | None) for v in (d.min, d.max)):
        days = DAYS_IN.get(d.unit, 1)
        if max(d.min or 0, d.max or 0) * days > MAX_DURATION_DAYS:
            out.append("a duration of more than five years is outside the usual range")
    c = phase.cycle
    whole = c is not None and isinstance(c.on_days, int) and isinstance(c.off_days, int)
    if c is not None and whole and c.on_days + c.off_days > MAX_CYCLE_DAYS:
        out.append("a cycle longer than a year is outside the usual range")
    return out


def add_period(day: dt.date, amount: int, unit: Unit) -> dt.date:
    if unit is Unit.MONTH:
        return day + relativedelta(months=amount)
    return day + dt.timedelta(days=amount * (7 if unit is Unit.WEEK else 1))


def spacing_text(phase: Phase) -> str:
    s = phase.spacing
    if s is None:
        return "at most one dose a day"
    if s.max_days and s.max_days != s.min_days:
        return f"doses {s.min_days}-{s.max_days} days apart"
    return f"doses at least {s.min_days} days apart" if not s.max_days else f"doses {s.min_days} days apart"


def daily_cap(phase: Phase) -> int | None:
    """Most doses on one calendar day; None when only elapsed hours limit it."""
    f, i = phase.frequency, phase.interval
    if phase.max_per_day:
        return phase.max_per_day
    if phase.offsets_hours is not None and f is None and i is None:  # by the hour: offset_problems limits them
        return None
    if f is not None and f.per is Unit.DAY:
        return f.times
    return None if i is not None and i.unit is Unit.HOUR else 1


def min_gap(phase: Phase) -> dt.timedelta | None:
    """The least time between two doses of an "N times a day" phase: half its usual gap
    (twice daily: 6 hours), so a preference or a late dose can never make a double dose."""
    f = phase.frequency
    if f is None or f.per is not Unit.DAY or f.times < 2:
        return None
    return dt.timedelta(hours=24) / f.times / 2


def phase_problems(
    phase: Phase,
    instants: list[dt.datetime],
    window_end: dt.date | None = None,
    planned: bool = True,
    course_start: dt.date | None = None,
) -> list[str]:
    """What breaks the phase's limits. ``planned`` adds the checks only a fresh plan must meet:
    the maximum spacing (a skipped dose leaves a longer gap) and N per *any* 7 days (a make-up
    dose the label allows may sit closer; it must still keep N per week of the course)."""
    days = [a.date() for a in instants]
    utc = [a.astimezone(UTC) for a in instants]
    out = _day_problems(phase, days, planned, course_start)
    out += _elapsed_problems(phase, utc)
    gaps = _gaps(days)
    i = phase.interval
    if i and i.unit in (Unit.DAY, Unit.WEEK) and any(g < i.every * (7 if i.unit is Unit.WEEK else 1) for g in gaps):
        out.append("doses closer than the label's interval")
    if phase.weekdays is not None and any(day.weekday() not in phase.weekdays for day in days):
        out.append("a dose on a weekday the label does not name")
    if window_end is not None and days and days[-1] >= window_end:
        out.append("a dose after the end of the course")
    return out + _duration_problems(phase, days, utc)


def _gaps(days: list[dt.date]) -> list[int]:
    """Days between consecutive dose days (several doses on one day count once)."""
    distinct = sorted(set(days))
    return [(b - a).days for a, b in zip(distinct, distinct[1:], strict=False)]


def _day_problems(phase: Phase, days: list[dt.date], planned: bool, course_start: dt.date | None) -> list[str]:
    """Doses a day, the dose count, the spacing in days, and N per week: local dates."""
    out: list[str] = []
    per_day = Counter(days)
    f, s = phase.frequency, phase.spacing
    cap = daily_cap(phase)
    if cap is not None and per_day and max(per_day.values()) > cap:
        out.append(f"more than {cap} dose(s) on one day")
    if phase.doses is not None and len(days) > phase.doses:
        out.append(f"more than {phase.doses} doses")
    distinct = sorted(per_day)
    gaps = _gaps(days)
    if s and any(g < s.min_days for g in gaps):
        out.append(f"two doses closer than {spacing_text(phase)}")
    if planned and s and s.max_days and any(g > s.max_days for g in gaps):
        out.append(f"a gap longer than {spacing_text(phase)}")
    if f and f.per is Unit.WEEK:
        if planned and any(sum(1 for d in distinct if 0 <= (d - first).days < 7) > f.times for first in distinct):
            out.append(f"more than {f.times} doses in 7 days")
        if (
            course_start is not None
            and max(Counter((d - course_start).days // 7 for d in days).values(), default=0) > f.times
        ):
            out.append(f"more than {f.times} doses in one week of the course")
    return out


def _elapsed_problems(phase: Phase, utc: list[dt.datetime]) -> list[str]:
    """The least gap of an "N times a day" phase and an hour-based interval: elapsed time, in UTC."""
    out: list[str] = []
    pairs = list(zip(utc, utc[1:], strict=False))
    gap, i = min_gap(phase), phase.interval
    if gap is not None and any(b - a < gap for a, b in pairs):
        out.append(f"two doses less than {gap.total_seconds() / 3600:g} hours apart")
    if i and i.unit is Unit.HOUR and any(b - a < dt.timedelta(hours=i.every) for a, b in pairs):
        out.append(f"doses closer than {i.every} hours")
    out.extend(offset_problems(phase, utc))
    return out


def offset_problems(phase: Phase, utc: list[dt.datetime]) -> list[str]:
    """Doses by the hour ("then 1 more 2 hours later") no closer than the label's hours."""
    hours = phase.offsets_hours
    if not hours or len(hours) < 2 or phase.frequency is not None or phase.interval is not None:
        return []
    least = dt.timedelta(hours=min(b - a for a, b in zip(hours, hours[1:], strict=False)))
    return [f"doses closer than {least}"] if any(b - a < least for a, b in zip(utc, utc[1:], strict=False)) else []


def _duration_problems(phase: Phase, days: list[dt.date], utc: list[dt.datetime]) -> list[str]:
    """Doses after the longest duration the label allows, counted from the first dose."""
    d, i = phase.duration, phase.interval
    longest = d.max if d and d.max is not None else d.min if d else None
    if not (d and d.kind is not DurationKind.ONGOING and days and longest is not None):
        return []
    span = add_period(days[0], longest, d.unit) - days[0]
    if i and i.unit is Unit.HOUR:  # elapsed time from the first dose
        return ["doses after the maximum duration"] if utc[-1] - utc[0] >= span else []
    return ["doses after the maximum duration"] if days[-1] >= days[0] + span else []


def schedule_problems(schedule: Schedule, planned: bool = True) -> list[str]:
    """Every limit the schedule's active doses break, across and within phases."""
    assert schedule.rule.regimen is not None
    doses = schedule.active
    problems: list[str] = []
    if doses and doses[0].at.date() < schedule.start:
        problems.append("a dose before the start date")
    utc = [d.at.astimezone(UTC) for d in doses]
    if any(b <= a for a, b in zip(utc, utc[1:], strict=False)):
        problems.append("doses out of order or at the same moment")
    ends = schedule.phase_ends or (None,) * len(schedule.rule.regimen.phases)
    for index, (phase, end) in enumerate(zip(schedule.rule.regimen.phases, ends, strict=False), 1):
        mine = [d.at for d in doses if d.phase == index]
        problems.extend(phase_problems(phase, mine, end, planned, schedule.start))
    return problems
