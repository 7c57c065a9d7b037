"""Stage 3: ``DosingRule`` + start date + ``Preferences`` → ``Schedule``.

Pure: no I/O, no clock, no system time zone. Day-based rhythms ("3-4 days apart",
"every other day") are arithmetic on local dates at the patient's wall time; hour-based
ones ("every 12 hours") are elapsed time, counted in UTC and shown in the patient's zone.
Every schedule is checked against its label's limits before it is returned.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from ..clock import UTC, every, jumped_off_its_day, local_time
from ..errors import RuleError, ScheduleError
from ..limits import (
    DEFAULT_HORIZON_DAYS,
    MAX_DOSES,
    MAX_HORIZON_DAYS,
    add_period,
    min_gap,
    schedule_problems,
)
from ..model import (
    CautionTopic,
    Dose,
    DosingRule,
    DurationKind,
    Phase,
    Preferences,
    Reminder,
    ReminderKind,
    RuleSet,
    Schedule,
    Status,
    Unit,
)
from .choices import closing, dose_amount
from .events import dated
from .same_day import by_hour, by_the_hour
from .weekdays import weekday_names, weekday_pattern

ANCHOR_TIMES = {
    "bedtime": dt.time(22, 0),
    "morning": dt.time(8, 0),
    "evening": dt.time(20, 0),
    "before-breakfast": dt.time(7, 30),
    "breakfast": dt.time(8, 0),
    "with-meal": dt.time(8, 0),
    "after-meal": dt.time(8, 30),
}
# "before meals" (ac): half an hour before breakfast, lunch and the evening meal
BEFORE_MEALS = (dt.time(7, 30), dt.time(12, 30), dt.time(18, 30))
DEFAULT_TIME = dt.time(9, 0)
DEFAULT_TIMES = {
    2: (dt.time(8), dt.time(20)),
    3: (dt.time(8), dt.time(14), dt.time(20)),
    4: (dt.time(8), dt.time(12), dt.time(16), dt.time(20)),
}


@dataclass(frozen=True)
class _PhasePlan:
    instants: tuple[dt.datetime, ...]
    end: dt.date  # the next phase starts here
    window_end: dt.date | None  # exclusive end of this phase's dates; None: bounded by a count
    notes: tuple[str, ...]
    reminders: tuple[Reminder, ...]
    off_day: tuple[tuple[dt.date, dt.time], ...] = ()  # (day, time) a clock jump moved to a later day


def _times(phase: Phase, prefs: Preferences) -> tuple[dt.time, ...]:
    per_day = phase.frequency.times if phase.frequency and phase.frequency.per is Unit.DAY else 1
    if prefs.times:
        chosen = tuple(sorted(set(prefs.times)))
        example = ",".join(f"{t:%H:%M}" for t in DEFAULT_TIMES.get(per_day, (DEFAULT_TIME,)))
        if len(chosen) != per_day:
            raise ScheduleError(
                f"this regimen has {per_day} dose(s) a day, got {len(chosen)} time(s)",
                key="time",
                hint=f"for example {example}",
            )
        gap = min_gap(phase)
        minutes = [t.hour * 60 + t.minute for t in chosen]
        if (
            gap is not None
            and min(b - a for a, b in zip(minutes, minutes[1:] + [minutes[0] + 1440], strict=False))
            < gap.total_seconds() / 60
        ):
            raise ScheduleError(
                f"doses of one day must be at least {gap.total_seconds() / 3600:g} hours apart",
                key="time",
                hint=f"for example {example}",
            )
        return chosen
    if phase.clock:  # the label's (or prescription's) own times
        return tuple(dt.time.fromisoformat(c) for c in phase.clock)
    if phase.time_of_day == "before-meals" and per_day in (2, 3):  # the reader allows no other count
        return BEFORE_MEALS if per_day == 3 else (BEFORE_MEALS[0], BEFORE_MEALS[2])
    if per_day == 1:
        return (ANCHOR_TIMES.get(phase.time_of_day or "", DEFAULT_TIME),)
    if phase.hours_apart:  # "every 4 hours, five times a day": from 08:00, earlier if the last would pass 23:00
        span = (per_day - 1) * phase.hours_apart * 60
        first = min(8 * 60, 23 * 60 - span)
        return tuple(dt.time(*divmod(first + i * phase.hours_apart * 60, 60)) for i in range(per_day))
    if per_day in DEFAULT_TIMES:
        return DEFAULT_TIMES[per_day]
    step = 12 * 60 // (per_day - 1)  # spread over waking hours 08:00-20:00
    return tuple(dt.time(*divmod(8 * 60 + i * step, 60)) for i in range(per_day))


def _window(
    phase: Phase, start: dt.date, horizon: dt.date, length: int | None = None
) -> tuple[dt.date | None, list[Reminder]]:
    """Exclusive end of a phase's dates, and the review reminders its duration asks for."""
    d, c = phase.duration, phase.cycle
    if c and c.repeats and (d is None or d.kind is DurationKind.ONGOING):
        end = start + dt.timedelta(days=(c.on_days + c.off_days) * c.repeats - c.off_days)
        review = (
            [
                Reminder(
                    end - dt.timedelta(days=1),
                    ReminderKind.REVIEW,
                    f"Review with your prescriber: up to {c.repeats} cycles; stop earlier if the "
                    "condition has cleared. Do not continue past this date.",
                )
            ]
            if c.up_to
            else []
        )
        return end, review
    if d is None:
        return None, []
    if d.kind is DurationKind.ONGOING:
        return horizon, []
    unit = d.unit.value
    if d.kind is DurationKind.FIXED:
        return add_period(start, d.min or 0, d.unit), []
    if d.kind is DurationKind.UP_TO:
        end = add_period(start, d.max or 0, d.unit)
        return end, [
            Reminder(
                end - dt.timedelta(days=1),
                ReminderKind.REVIEW,
                f"Review with your prescriber: treatment lasts up to {d.max} {unit}s and may stop "
                "earlier if the condition has cleared. Do not continue past this date.",
            )
        ]
    if length is not None:
        if not (d.min or 0) <= length <= (d.max or 0):
            raise ScheduleError(
                f"the label gives {d.min} to {d.max} {unit}s; {length} is outside that range",
                key="length",
                hint=f"choose a number from {d.min} to {d.max}",
            )
        return add_period(start, length, d.unit), []
    end = add_period(start, d.min or 0, d.unit)
    return end, [
        Reminder(
            end - dt.timedelta(days=1),
            ReminderKind.REVIEW,
            f"Review with your prescriber: the label gives {d.min} to {d.max} {unit}s; "
            f"this calendar covers the minimum ({d.min} {unit}s).",
        )
    ]


def _dates(phase: Phase, start: dt.date, end: dt.date | None, prefs: Preferences, notes: list[str]) -> list[dt.date]:
    """Local dates of a day-based phase, in order, bounded by ``end`` and the dose count."""
    f, i = phase.frequency, phase.interval
    limit = phase.doses or MAX_DOSES + 1
    weekly = f is not None and f.per is Unit.WEEK
    if prefs.weekdays is not None and not weekly:
        raise ScheduleError(
            "this regimen is not a weekly pattern: preferred weekdays do not apply",
            key="weekdays",
            hint="leave the weekdays out",
        )
    if phase.weekdays is not None and prefs.weekdays is not None and set(prefs.weekdays) != set(phase.weekdays):
        raise ScheduleError(
            f"the label names the weekdays ({weekday_names(phase.weekdays)})", key="weekdays", hint="leave them out"
        )
    pattern = phase.weekdays or (weekday_pattern(phase, start, prefs.weekdays) if weekly else None)
    monthly = f is not None and f.per is Unit.MONTH or i is not None and i.unit is Unit.MONTH
    if f is not None and f.per is Unit.MONTH and f.times != 1:
        raise ScheduleError(
            f"{f.times} times a month cannot be planned on fixed dates",
            hint="ask the prescriber for the days of the month",
        )
    step = (i.every if i else 1) * (7 if i and i.unit is Unit.WEEK else 1)
    out: list[dt.date] = []
    for k in itertools.count():
        if monthly:
            months = k * (i.every if i else 1)
            day = start + relativedelta(months=months)  # clamps the 31st to the month's last day
            if day.day != start.day:
                notes.append(f"{start.day} {day:%B %Y} does not exist: that dose is on {day.isoformat()}")
        elif pattern is not None or f is not None:
            day = start + dt.timedelta(days=k)
        else:
            day = start + dt.timedelta(days=k * step)
        if end is not None and day >= end or len(out) >= limit or (day - start).days > MAX_HORIZON_DAYS:
            break
        if pattern is not None and day.weekday() not in pattern:
            continue
        if phase.cycle and (day - start).days % (phase.cycle.on_days + phase.cycle.off_days) >= phase.cycle.on_days:
            continue
        out.append(day)
        if phase.doses == 1 and f is None and i is None:
            break
    return out


def _plan_phase(
    phase: Phase, start: dt.date, prefs: Preferences, tz: ZoneInfo, horizon: dt.date, first: dt.datetime | None = None
) -> _PhasePlan:
    notes: list[str] = []
    times = _times(phase, prefs)
    if by_hour(phase):  # single doses by the hour from the course's first dose (plan/same_day.py)
        hourly, after = by_the_hour(phase, start, times[0], tz, first, notes)
        return _PhasePlan(hourly, after, None, tuple(notes), ())
    end, reminders = _window(phase, start, horizon, prefs.length)
    off_day: tuple[tuple[dt.date, dt.time], ...] = ()
    if phase.interval is not None and phase.interval.unit is Unit.HOUR:
        if phase.cycle is not None:
            raise ScheduleError(
                "an hour-based rhythm inside on/off cycles cannot be planned", hint="write it as N times a day"
            )
        first = local_time(start, times[0], tz, notes)
        step = dt.timedelta(hours=phase.interval.every)
        # elapsed time: "every 12 hours for 1 day" is 24 hours from the first dose, whatever
        # the clock time it starts at (counting to local midnight would drop doses)
        span = dt.datetime.combine(end, dt.time()) - dt.datetime.combine(start, dt.time()) if end else None
        bounds = (phase.doses, span // step if span else None, MAX_DOSES + 1)
        count = max(1, min(b for b in bounds if b is not None))  # "every 48 hours for 1 day": the first dose
        instants = every(first, step, count, tz)
        if end and instants:
            end = max(end, instants[-1].date() + dt.timedelta(days=1))
        next_start = end or ((instants[-1] + step).date() if instants else start)
        if instants and next_start == instants[-1].date():
            next_start += dt.timedelta(days=1)  # the next phase starts on a later day
    else:
        days = _dates(phase, start, end, prefs, notes)
        wanted = [(day, t) for day in days for t in times][: phase.doses or None]
        instants = [local_time(day, t, tz, notes) for day, t in wanted]
        off_day = tuple(w for w, at in zip(wanted, instants, strict=True) if at.date() != w[0])
        next_start = end or (days[-1] + dt.timedelta(days=1) if days else start)
    if instants:  # a review belongs on the day of the last planned dose
        reminders = [replace(r, on=min(r.on, instants[-1].date())) for r in reminders]
    return _PhasePlan(tuple(instants), next_start, end, tuple(notes), tuple(reminders), off_day)


def build_schedule(rule: DosingRule, start: dt.date, prefs: Preferences, drug: str = "") -> Schedule:
    """Plan every dose of an ok rule; raise ScheduleError when preferences break the label."""
    if rule.regimen is None or rule.status is not Status.OK:
        raise RuleError(f"rule {rule.id!r} needs review before it can be planned: {'; '.join(rule.reasons)}")
    tz = prefs.zone
    until = prefs.until or start + dt.timedelta(days=DEFAULT_HORIZON_DAYS)
    if until < start or (until - start).days > MAX_HORIZON_DAYS:
        raise ScheduleError(
            f"the plan must end between the start date and {MAX_HORIZON_DAYS} days after it",
            key="until",
            hint=f"for example {(start + dt.timedelta(days=DEFAULT_HORIZON_DAYS))}",
        )
    horizon = until + dt.timedelta(days=1)
    doses: list[Dose] = []
    notes: list[str] = []
    reminders: list[Reminder] = []
    ends: list[dt.date | None] = []
    off_day: list[tuple[dt.date, dt.time]] = []
    phase_start = start
    ongoing = False
    for index, phase in enumerate(rule.regimen.phases, 1):
        ongoing = ongoing or phase.duration is not None and phase.duration.kind is DurationKind.ONGOING
        if phase.start_day is not None:  # "on days 2 through 5": never earlier than that day
            phase_start = max(phase_start, start + dt.timedelta(days=phase.start_day - 1))
        plan = _plan_phase(phase, phase_start, prefs, tz, horizon, doses[0].at if doses else None)
        if (
            doses
            and not by_hour(phase)
            and plan.instants
            and plan.instants[0].astimezone(UTC) <= doses[-1].at.astimezone(UTC)
        ):
            # a phase after an hour-based one may not dose before that one's last dose is spaced out
            plan = _plan_phase(phase, doses[-1].at.date() + dt.timedelta(days=1), prefs, tz, horizon)
        done = len(doses)
        amount = dose_amount(phase, prefs)
        doses.extend(Dose(done + n, at, amount, index) for n, at in enumerate(plan.instants, 1))
        notes.extend(plan.notes)
        off_day.extend(plan.off_day)
        reminders.extend(plan.reminders)
        ends.append(plan.window_end)
        phase_start = plan.end
        if len(doses) > MAX_DOSES:
            raise ScheduleError(
                f"the plan has more than {MAX_DOSES} doses", key="until", hint="choose an earlier --until"
            )
    reminders.extend(closing(rule.regimen, doses[-1].at.date() if doses else None))
    if ongoing and doses:
        reminders.append(
            Reminder(
                doses[-1].at.date(),
                ReminderKind.CALENDAR_END,
                "This calendar ends here, but the treatment is ongoing: " "make a new calendar to continue.",
            )
        )
    schedule = Schedule(
        drug=drug,
        rule=rule,
        start=start,
        preferences=prefs,
        doses=tuple(doses),
        ongoing=ongoing,
        course_end=None if ongoing or not doses else doses[-1].at.date(),
        reminders=tuple(reminders),
        notes=tuple(dict.fromkeys(notes)),
        phase_ends=tuple(ends),
    )
    if off_day and schedule_problems(schedule):
        raise jumped_off_its_day(*off_day[0], tz, schedule_problems(schedule))
    check_schedule(schedule)
    return schedule


def check_schedule(schedule: Schedule) -> None:
    """Raise ScheduleError if the schedule breaks any limit of its label (a bug guard)."""
    problems = schedule_problems(schedule)
    if problems:
        raise ScheduleError("internal check failed, no calendar made: " + "; ".join(problems))


def plan_course(
    ruleset: RuleSet, indication: str, start: dt.date | None, prefs: Preferences, option: int | None = None
) -> Schedule:
    """Look the indication up, plan it (the chosen option of several), and attach the warnings
    and missed-dose text for its population."""
    rule = ruleset.rule(indication)
    if rule is None:
        known = ", ".join(r.id for r in ruleset.rules) or "none"
        raise RuleError(
            f"{ruleset.drug} has no indication {indication!r}", key="indication", hint=f"choose one of: {known}"
        )
    rule, start, said = dated(ruleset.drug, rule, start, prefs, option)  # the option, or an event's dates
    schedule = build_schedule(rule, start, prefs, ruleset.drug)
    schedule = replace(schedule, notes=said + rule.notes + schedule.notes, option=option)
    warnings = tuple(
        w
        for w in ruleset.warnings
        if w.population in (None, rule.population, "special-cases")
        and (w.topic is not CautionTopic.PRESCRIBER or w.indication == rule.id)
    )
    return replace(schedule, warnings=warnings, missed_dose=rule.missed_dose or ruleset.missed_dose)
