"""Property tests: the scheduler's safety rules hold for random rules, dates, zones and preferences.

Each invariant is checked here from first principles, not by calling the scheduler's own
``check_schedule``, so a bug in both places at once is unlikely to hide.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from helpers import ALL_ZONES, fixed, rule
from hypothesis import assume, given
from hypothesis import strategies as st

from planner.errors import ScheduleError
from planner.model import (
    DosingRule,
    Duration,
    DurationKind,
    Frequency,
    Interval,
    Phase,
    Preferences,
    Regimen,
    Spacing,
    Unit,
)
from planner.plan.scheduler import build_schedule

UNIT_DAYS = {Unit.DAY: 1, Unit.WEEK: 7}


SHAPES = ("weekly", "daily", "every-n-days", "every-n-hours", "single")


@st.composite
def phases(draw: st.DrawFn, shapes: tuple[str, ...] = SHAPES, once_a_day: bool = False) -> Phase:
    shape = draw(st.sampled_from(shapes))
    amount = draw(st.sampled_from([None, "thin layer", "250 mg"]))
    if shape == "weekly":
        times = draw(st.integers(1, 7))
        low = draw(st.integers(1, 4))
        high = draw(st.one_of(st.none(), st.integers(low, 7)))
        spacing = draw(st.one_of(st.none(), st.just(Spacing(low, high))))
        weeks = draw(st.integers(1, 20))
        kind = draw(st.sampled_from([DurationKind.FIXED, DurationKind.UP_TO]))
        duration = fixed(weeks, Unit.WEEK) if kind is DurationKind.FIXED else Duration(kind, Unit.WEEK, None, weeks)
        return Phase(
            amount=amount,
            frequency=Frequency(times, Unit.WEEK),
            spacing=spacing,
            duration=duration,
            max_per_day=1,
            time_of_day=draw(st.sampled_from([None, "bedtime", "morning"])),
        )
    if shape == "daily":
        return Phase(
            amount=amount,
            frequency=Frequency(draw(st.integers(1, 1 if once_a_day else 4)), Unit.DAY),
            duration=fixed(draw(st.integers(1, 60)), Unit.DAY),
        )
    if shape == "every-n-days":
        return Phase(
            amount=amount,
            interval=Interval(draw(st.integers(1, 10)), Unit.DAY),
            duration=fixed(draw(st.integers(1, 90)), Unit.DAY),
        )
    if shape == "every-n-hours":
        bound = draw(st.sampled_from(["days", "doses"]))
        return Phase(
            amount=amount,
            interval=Interval(draw(st.integers(4, 72)), Unit.HOUR),
            duration=fixed(draw(st.integers(1, 30)), Unit.DAY) if bound == "days" else None,
            doses=draw(st.integers(1, 20)) if bound == "doses" else None,
        )
    return Phase(amount=amount, doses=1)


@st.composite
def plans(
    draw: st.DrawFn, shapes: tuple[str, ...] = SHAPES, once_a_day: bool = False
) -> tuple[DosingRule, dt.date, Preferences]:
    regimen = Regimen(tuple(draw(st.lists(phases(shapes, once_a_day), min_size=1, max_size=3))))
    dosing = rule(regimen=regimen, id="r", name="R", sentence="s")
    start = draw(st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)))
    times = draw(st.one_of(st.none(), st.lists(st.times(), min_size=1, max_size=1).map(tuple)))
    weekdays = draw(st.one_of(st.none(), st.none(), st.sets(st.integers(0, 6), min_size=1, max_size=7).map(tuple)))
    return dosing, start, Preferences(timezone=draw(st.sampled_from(ALL_ZONES)), times=times, weekdays=weekdays)


def _plan(rule: DosingRule, start: dt.date, prefs: Preferences):
    try:
        return build_schedule(rule, start, prefs)
    except ScheduleError as exc:
        # Refusing is always safe; it must say why, and for a preference what would work.
        assert "internal check failed" not in str(exc), str(exc)
        if "weekday" in str(exc) and "do not apply" not in str(exc) and "no weekly pattern" not in str(exc):
            assert "for example" in str(exc)
        assume(False)


@given(plans())
def test_label_limits_hold(plan) -> None:
    rule, start, prefs = plan
    schedule = _plan(rule, start, prefs)
    doses = schedule.doses
    utc = [d.at.astimezone(dt.UTC) for d in doses]
    assert all(a < b for a, b in zip(utc, utc[1:])), "doses in order, never two at once"
    assert not doses or doses[0].at.date() >= start, "first dose on or after the start date"
    assert [d.number for d in doses] == list(range(1, len(doses) + 1))
    assert [d.phase for d in doses] == sorted(d.phase for d in doses), "phases in order"
    previous_last = start
    for index, phase in enumerate(rule.regimen.phases, 1):
        mine = [d for d in doses if d.phase == index]
        assert all(d.amount == phase.amount for d in mine), "each phase has its own amount"
        days = [d.at.date() for d in mine]
        per_day = Counter(days)
        f, i, s = phase.frequency, phase.interval, phase.spacing
        if f is not None and f.per is Unit.DAY:
            assert max(per_day.values(), default=0) <= f.times
        elif not (i is not None and i.unit is Unit.HOUR):
            assert max(per_day.values(), default=0) <= 1, "at most one dose a day"
        distinct = sorted(per_day)
        day_gaps = [(b - a).days for a, b in zip(distinct, distinct[1:])]
        if s is not None:
            assert all(g >= s.min_days for g in day_gaps), "minimum spacing"
            assert s.max_days is None or all(g <= s.max_days for g in day_gaps), "maximum spacing"
        if f is not None and f.per is Unit.WEEK:
            assert all(sum(0 <= (d - first).days < 7 for d in distinct) <= f.times for first in distinct)
        if i is not None and i.unit is Unit.HOUR:
            stamps = [d.at.astimezone(dt.UTC) for d in mine]
            assert all(b - a >= dt.timedelta(hours=i.every) for a, b in zip(stamps, stamps[1:]))
        if i is not None and i.unit is Unit.DAY:
            assert all(g >= i.every for g in day_gaps)
        if phase.doses is not None:
            assert len(mine) <= phase.doses, "never more doses than the label's count"
        if phase.duration is not None and mine:
            longest = dt.timedelta(days=phase.duration.max * UNIT_DAYS[phase.duration.unit])
            if i is not None and i.unit is Unit.HOUR:  # elapsed time from the first dose
                stamps = [d.at.astimezone(dt.UTC) for d in mine]
                assert stamps[-1] - stamps[0] < longest, "nothing after the maximum duration"
            else:
                assert days[-1] < days[0] + longest, "nothing after the maximum duration"
        if mine:
            assert days[0] >= previous_last, "a phase starts after the one before it"
            previous_last = days[-1]
    assert not doses or doses[-1].at.date() < start + _longest_course(rule.regimen), "course within its length"


def _longest_course(regimen: Regimen) -> dt.timedelta:
    """An upper bound of the whole course from the label: the sum of each phase's maximum."""
    total = dt.timedelta()
    for p in regimen.phases:
        if p.duration is not None:
            total += dt.timedelta(days=p.duration.max * UNIT_DAYS[p.duration.unit] + 1)  # +1: time of day
        else:
            every = p.interval.every if p.interval else 24
            total += dt.timedelta(hours=every * (p.doses or 1)) + dt.timedelta(days=2)  # + time of day
    return total


@given(plans(shapes=("weekly", "daily", "every-n-days", "single"), once_a_day=True), st.times())
def test_wall_time_is_the_chosen_one_unless_reported(plan, at) -> None:
    rule, start, prefs = plan
    prefs = replace(prefs, times=(at,), weekdays=None)
    schedule = _plan(rule, start, prefs)
    wanted = prefs.times[0].replace(second=0, microsecond=0)
    for dose in schedule.doses:
        wall = dose.at.time().replace(second=0, microsecond=0)
        if wall != wanted:
            assert any(dose.at.date().isoformat() in note and "does not exist" in note for note in schedule.notes)


@given(
    st.integers(1, 7),
    st.integers(1, 20),
    st.dates(dt.date(2000, 1, 1), dt.date(2060, 1, 1)),
    st.sampled_from(["Europe/Berlin", "America/Bogota", "UTC", "Australia/Lord_Howe"]),
)
def test_fixed_weekly_course_has_exactly_times_by_weeks_doses(times, weeks, start, zone) -> None:
    phase = Phase(frequency=Frequency(times, Unit.WEEK), duration=fixed(weeks, Unit.WEEK), max_per_day=1)
    r = rule(phase, id="r", name="R", file="x", section="s", sentence="s")
    schedule = build_schedule(r, start, Preferences(timezone=zone))
    assert len(schedule.doses) == times * weeks


@given(
    st.integers(1, 4),
    st.integers(1, 60),
    st.dates(dt.date(2000, 1, 1), dt.date(2060, 1, 1)),
    st.sampled_from(["Europe/Berlin", "America/Bogota", "UTC", "America/St_Johns"]),
)
def test_fixed_daily_course_has_exactly_times_by_days_doses(times, days, start, zone) -> None:
    phase = Phase(frequency=Frequency(times, Unit.DAY), duration=fixed(days, Unit.DAY))
    r = rule(phase, id="r", name="R", file="x", section="s", sentence="s")
    schedule = build_schedule(r, start, Preferences(timezone=zone))
    assert len(schedule.doses) == times * days
