"""Dosing language, step 4c: a ``Draft`` of one phase clause → a ``Phase``, or the reasons it is not one.

One rhythm from a frequency, an interval, weekdays, named times of day and spacing; the end,
the count, the cycle and the clock times; stated counts checked against the rhythm.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from ..limits import bound_problems
from ..model import Cycle, Duration, DurationKind, Frequency, Interval, Phase, Spacing, Unit
from .draft import CUE_REASONS, Draft, draft
from .facts import DAYS_IN, FactKind
from .lexicon import Tag

__all__ = ["AT_LEAST", "CUE_REASONS", "PENDING", "Draft", "build", "cycle_days", "draft", "rhythm", "with_cycle"]


def rhythm(d: Draft) -> tuple[Frequency | None, Interval | None, Spacing | None]:
    """One rhythm from a frequency, an interval, weekdays and spacing."""
    frequency = d.get(FactKind.FREQUENCY)
    interval = d.get(FactKind.INTERVAL)
    spacing = d.get(FactKind.SPACING)
    weekdays = d.get(FactKind.WEEKDAYS)
    assert frequency is None or isinstance(frequency, Frequency)
    assert interval is None or isinstance(interval, Interval)
    assert spacing is None or isinstance(spacing, Spacing)
    if isinstance(weekdays, tuple):
        frequency = _on_weekdays(d, frequency, weekdays)
    times = d.get(FactKind.DOSE_TIMES)
    if isinstance(times, int):
        if frequency == Frequency(1, Unit.DAY) and _from_anchor(d):
            frequency = None  # "1 tab qAM and 1 tab qHS": each code says once a day at its time
        if frequency is None and interval is None:
            frequency = Frequency(times, Unit.DAY)
        elif frequency != Frequency(times, Unit.DAY):
            d.reasons.append(f"{times} times of day named, but a different rhythm stated")
    hours = d.get(FactKind.SPACING_HOURS)
    if isinstance(hours, Spacing):
        per_day = frequency.times if frequency and frequency.per is Unit.DAY else None
        if not (per_day and hours.min_days * per_day == 24 or interval and interval.every == hours.min_days):
            d.reasons.append("doses a number of hours apart that is not the rhythm")
    if frequency is not None and interval is not None:
        return _both(d, frequency, interval, spacing)
    return frequency, interval, spacing


def _both(
    d: Draft, frequency: Frequency, interval: Interval, spacing: Spacing | None
) -> tuple[Frequency | None, Interval | None, Spacing | None]:
    """A frequency and an interval that say one rhythm, or a reason and both."""
    if interval.unit is Unit.DAY and frequency.per is Unit.WEEK:
        return frequency, None, spacing or Spacing(interval.every)  # "3 times a week (every other day)"
    if interval.unit is Unit.HOUR and frequency.per is Unit.DAY and interval.every * frequency.times == 24:
        return frequency, None, spacing  # "twice daily (every 12 hours)": one rhythm said twice
    if awake_hours(frequency, interval) is not None:
        return frequency, None, spacing  # "every 4 hours, five times a day": the day's doses 4 h apart
    if interval.unit is Unit.HOUR and frequency == Frequency(1, Unit.DAY) and interval.every >= 24:
        return None, interval, spacing  # "once every 72 hours"
    d.reasons.append("both a frequency and an interval: read two ways")
    return frequency, interval, spacing


WAKING_SPAN_HOURS = 16  # the doses of one day said by "every N hours, K times a day" fit in 16 waking hours


def awake_hours(frequency: Frequency | None, interval: Interval | None) -> int | None:
    """ "every 4 hours, five times a day": K (at least 3) doses a day N hours apart, which do not
    fill the day (N x K < 24), fit in its waking hours and leave a night of at most 3 N hours
    (two doses 4 hours apart and a 20-hour night are two rhythms). None: not that."""
    if frequency is None or interval is None or interval.unit is not Unit.HOUR or frequency.per is not Unit.DAY:
        return None
    n, k = interval.every, frequency.times
    night = 24 - (k - 1) * n  # from the day's last dose to the next day's first
    if k < 3 or n * k >= 24 or (k - 1) * n > WAKING_SPAN_HOURS or night > 3 * n:
        return None
    return n


def _waking_day(d: Draft, frequency: Frequency | None, interval: Interval | None) -> int | None:
    """The hours between the doses of a waking day ("every 4 hours, five times a day"), or None;
    "while awake" without them, or beside a named time of day, is a reason."""
    hours_apart = awake_hours(frequency, interval)
    if hours_apart is not None and (d.get(FactKind.TIME_OF_DAY) is not None or d.get(FactKind.CLOCK) is not None):
        d.reasons.append("doses some hours apart and a time of day: read two ways")
    if Tag.AWAKE in d.cues and hours_apart is None:  # "every 4 hours while awake": how many a day?
        d.reasons.append(
            "'while awake' with no number of doses a day some hours apart: the doses of a day are not said"
        )
    return hours_apart


def _from_anchor(d: Draft) -> bool:
    """The frequency was said by a code that is also a time of day ("qAM", "nightly")."""
    fact = d.facts.get(FactKind.FREQUENCY)
    return fact is not None and any(s.field == "time_of_day" and s.start == fact.start for s in d.spans)


def _repeat(
    d: Draft, frequency: Frequency | None, interval: Interval | None, doses: object
) -> tuple[Interval | None, object]:
    """ "take 4 tablets ... repeat in 12 hours": a single dose and one more after the gap."""
    gap = d.get(FactKind.REPEAT_AFTER)
    if not isinstance(gap, Interval):
        return interval, doses
    if frequency is not None or interval is not None or doses not in (None, 1):
        d.reasons.append("a repeat of the course is not planned: ask the prescriber")
        return interval, doses
    if d.get(FactKind.SINGLE):  # "as a single dose, repeated in 7 days": one dose, or two?
        d.reasons.append("a single dose that is also repeated: read two ways")
        return interval, doses
    return gap, 2


def _daily_amount(d: Draft, amount: str | None, per_day: float | None) -> None:
    """ "mdd 60 mg": checked against the dose where both are in one unit, else said as not checked."""
    cap = d.get(FactKind.DAILY_AMOUNT_MAX)
    if not isinstance(cap, tuple):
        return
    most, unit = cap
    parts = (amount or "").split()
    if len(parts) == 2 and parts[1] == unit and per_day is not None:
        try:
            each = Fraction(parts[0].replace(",", ""))
        except ValueError:
            each = None
        if each is not None and each * Fraction(per_day) > most:
            d.reasons.append(f"more than the most a day ({most} {unit})")
        return
    d.notes.append(f"the most a day is {most} {unit}: not checked here, the strength of a dose is not said")


def _on_weekdays(d: Draft, frequency: Frequency | None, weekdays: tuple[int, ...]) -> Frequency:
    """ "once daily on Monday, Wednesday and Friday": as many a week as the days named."""
    if frequency is not None and frequency.times != 1 and frequency.per is Unit.DAY:
        d.reasons.append("several doses a day on some weekdays only")
    elif frequency is not None and frequency.per is Unit.WEEK and frequency.times not in (1, len(weekdays)):
        d.reasons.append("the number of days a week does not match the weekdays named")
    return Frequency(len(weekdays), Unit.WEEK)


def build(d: Draft) -> Phase | None:
    """The phase a draft says, or None with its reasons added; its end is the sentence's business."""
    stated = d.get(FactKind.INTERVAL)
    frequency, interval, spacing = rhythm(d)
    hours_apart = _waking_day(d, frequency, stated if isinstance(stated, Interval) else None)
    doses = d.get(FactKind.DOSES)
    interval, doses = _repeat(d, frequency, interval, doses)
    single = d.get(FactKind.SINGLE)
    day_range = d.get(FactKind.DAY_RANGE)
    duration = d.get(FactKind.DURATION)
    start_day = None
    if isinstance(day_range, tuple):
        first, last = day_range
        start_day = first
        if last is not None and duration is None:
            duration = Duration(DurationKind.FIXED, Unit.DAY, last - first + 1, last - first + 1)
    dispensed = d.get(FactKind.DISPENSED)
    if isinstance(dispensed, int) and doses is None:  # "1 cap q12h #6": six capsules, one a dose
        amount_fact = d.facts.get(FactKind.AMOUNT)
        if amount_fact is not None and str(amount_fact.value).startswith("1 "):
            doses = dispensed
        else:
            d.reasons.append(f"{dispensed} dispensed, but how many a dose is not one: the number of doses is not said")
    if single == "x1" and (frequency is not None or interval is not None) and duration is None:
        d.reasons.append("'x1' beside a rhythm: one dose or one day is not said")  # "2 bid x1"
    if single and frequency is None and interval is None:
        doses = doses or 1  # "as a single dose"; with a rhythm it means "all at once"
    if frequency is None and interval is None and doses is None and start_day and duration == _ONE_DAY:
        doses = 1  # "500 mg on day 1"
    ranged = {FactKind.FREQUENCY_RANGE, FactKind.INTERVAL_RANGE} & set(d.facts)  # their own reason
    if frequency is None and interval is None and doses != 1 and FactKind.SPACING_HOURS in d.facts:
        d.reasons[:] = [r for r in d.reasons if r != "doses a number of hours apart that is not the rhythm"]
        d.reasons.append("a dose some hours after another on one day: the planner does not place doses by the hour")
        ranged = {FactKind.SPACING_HOURS}
    if frequency is None and interval is None and doses != 1 and not ranged:
        d.reasons.append("no dosing frequency found")
    cycle = _cycle(d)
    if isinstance(duration, Duration) and duration.kind is DurationKind.RANGE and duration.max is None:
        d.reasons.append(AT_LEAST)
    amount = d.facts.get(FactKind.AMOUNT)
    time_of_day, clock = _time_of_day(d, frequency), _clock(d, frequency)
    if time_of_day == "midday":  # "take 1 tablet at noon": the clock says it
        time_of_day, clock = None, clock or ("12:00",)
    _daily_amount(d, str(amount.value) if amount else None, _per_day(frequency, interval))
    phase = Phase(
        amount=str(amount.value) if amount else None,
        frequency=frequency,
        interval=interval,
        spacing=spacing,
        duration=duration if isinstance(duration, Duration) else None,
        doses=doses if isinstance(doses, int) else None,
        time_of_day=time_of_day,
        max_per_day=_max_per_day(d, frequency),
        cycle=cycle,
        start_day=start_day,
        weekdays=d.get(FactKind.WEEKDAYS),  # type: ignore[arg-type]
        amount_open=bool(amount and amount.open_amount),
        clock=clock,
        hours_apart=hours_apart,
    )
    d.reasons.extend(bound_problems(phase))
    _check_count(phase, d)
    return None if d.reasons else phase


def _per_day(frequency: Frequency | None, interval: Interval | None) -> float | None:
    if frequency is not None and frequency.per is Unit.DAY:
        return frequency.times
    if interval is not None and interval.unit is Unit.HOUR:
        return 24 / interval.every if interval.every else None
    return 1 if frequency is not None or interval is not None else None


def _check_count(phase: Phase, d: Draft) -> None:
    """ "twice daily for 5 days (8 doses)": a stated count must be the rhythm's count."""
    f, du = phase.frequency, phase.duration
    stated = d.get(FactKind.STATED_COUNT)
    count = phase.doses if phase.doses is not None else stated if isinstance(stated, int) else None
    if stated is not None and phase.doses is not None and stated != phase.doses:
        d.reasons.append(f"two different counts of doses ({phase.doses} and {stated})")
    if count is None or f is None or f.per is not Unit.DAY or du is None or du.kind is not DurationKind.FIXED:
        return
    days = (du.min or 0) * DAYS_IN.get(du.unit, 0)
    if days and f.times * days != count:
        d.reasons.append(f"a stated count of {count} doses that the rhythm does not give")


_ONE_DAY = Duration(DurationKind.FIXED, Unit.DAY, 1, 1)


def _cycle(d: Draft) -> Cycle | None:
    on_off = d.get(FactKind.CYCLE)
    if isinstance(on_off, tuple):
        return Cycle(on_off[0], on_off[1], PENDING)
    return None


PENDING = -1  # a cycle whose count the sentence decides
AT_LEAST = "'at least' a duration with no maximum: the prescriber decides when to stop"


def _max_per_day(d: Draft, frequency: Frequency | None) -> int | None:
    """ "once daily" beside a weekly rhythm; "max 2 tabs/day", "mdd 3" beside a daily one."""
    cap = d.get(FactKind.DAILY_CAP)
    if isinstance(cap, int):
        if frequency is not None and frequency.per is Unit.DAY and frequency.times > cap:
            d.reasons.append(f"{frequency.times} times a day, but at most {cap} a day")
        return cap
    if d.get(FactKind.WEEKDAYS):  # "once a day on Monday, Wednesday and Friday": one on each day named, as said
        return None
    return 1 if d.get(FactKind.MAX_PER_DAY) and frequency and frequency.per is not Unit.DAY else None


def _clock(d: Draft, frequency: Frequency | None) -> tuple[str, ...] | None:
    """The label's own clock times: as many as the doses of a day, or a reason."""
    times = d.get(FactKind.CLOCK)
    if not isinstance(times, tuple):
        return None
    if d.get(FactKind.TIME_OF_DAY) is not None:  # "every morning at home and at 11:00 at school": two times?
        d.reasons.append("a time of day and a clock time: read two ways")
        return None
    per_day = frequency.times if frequency is not None and frequency.per is Unit.DAY else 1
    interval = d.get(FactKind.INTERVAL)  # "every 8 hours, take at 6am, 2pm and 10pm": three a day
    if frequency is None and isinstance(interval, Interval) and interval.unit is Unit.HOUR and 24 % interval.every == 0:
        per_day = 24 // interval.every
        minutes = sorted({int(t[:2]) * 60 + int(t[3:]) for t in times})
        gaps = {(b - a) % 1440 or 1440 for a, b in zip(minutes, minutes[1:] + minutes[:1], strict=True)}
        if len(minutes) == per_day and gaps != {interval.every * 60}:
            d.reasons.append(f"clock times that are not {interval.every} hours apart")
            return None
    if len(set(times)) != per_day:
        d.reasons.append(f"{len(set(times))} clock time(s) for {per_day} dose(s) a day")
        return None
    return tuple(sorted(set(times)))


def _time_of_day(d: Draft, frequency: Frequency | None) -> str | None:
    anchor = d.get(FactKind.TIME_OF_DAY)
    if anchor == "before-meals" and not (frequency and frequency.per is Unit.DAY and frequency.times in (2, 3)):
        d.reasons.append("before meals, but not a dose before each of 2 or 3 meals: which meals is not said")
        return None
    several = frequency is not None and frequency.per is Unit.DAY and frequency.times > 1
    if anchor in ("morning", "evening", "bedtime", "breakfast", "midday") and several:
        d.reasons.append(f"{frequency.times} times a day at one time of day ({anchor}): read two ways")  # type: ignore[union-attr]
        return None
    if anchor in ("morning", "evening") and frequency is not None and frequency.per is Unit.DAY and frequency.times > 1:
        return None  # "twice daily, in the morning and evening": they name the doses of the day
    return str(anchor) if anchor else None


def with_cycle(phase: Phase, on_days: int, off_days: int, count: int | None, up_to: bool, ongoing: bool,
               reasons: list[str]) -> Phase:  # fmt: skip
    """Give a phase its cycle; without a count the cycles go on only if the label says so."""
    cycle = Cycle(on_days, off_days, count, up_to)
    if count is not None:
        return replace(phase, cycle=cycle, duration=None)
    if ongoing:
        return replace(phase, cycle=cycle, duration=Duration(DurationKind.ONGOING))
    reasons.append("cycles with no number of cycles")
    return replace(phase, cycle=cycle)


def cycle_days(phase: Phase) -> int | None:
    """The treatment days of a phase that could open a cycle ("for 14 days")."""
    d = phase.duration
    if d is None or d.kind is not DurationKind.FIXED or d.unit not in DAYS_IN:
        return None
    return (d.min or 0) * DAYS_IN[d.unit]
