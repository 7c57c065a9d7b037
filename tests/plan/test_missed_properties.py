"""Property tests of the missed-dose re-plan over generated regimens (every shape the model has:
single dose, N a day, every N hours, every N days, N a week with spacing or chosen weekdays,
monthly, cycles, tapers, a loading dose then daily) and generated policies, missed or late:

never two doses at once, never closer than the label's least gap, never more doses than the
label's count, a timed course never past its end, a counted course always complete unless the
label says skip, every shifted dose on an allowed weekday, never more doses on a date than allowed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from helpers import fixed
from hypothesis import given
from hypothesis import strategies as st

from planner.clock import UTC
from planner.errors import ScheduleError
from planner.model import (
    AdviceKind,
    CourseKind,
    Cycle,
    Dose,
    DosingRule,
    Duration,
    DurationKind,
    Frequency,
    Interval,
    MissedClause,
    MissedDose,
    MissedKind,
    MissedWhen,
    Phase,
    Preferences,
    Regimen,
    Schedule,
    SourceRef,
    Spacing,
    Status,
    Unit,
)
from planner.plan.missed import late_dose, missed_dose_advice
from planner.plan.missed_policy import keeps_end, limits_of
from planner.plan.scheduler import build_schedule

ZONES = ("Europe/London", "America/Bogota", "UTC")


ONGOING = Duration(DurationKind.ONGOING)


@st.composite
def phases(draw: st.DrawFn) -> tuple[tuple[Phase, ...], tuple[int, ...] | None]:
    """One regimen's phases, and the weekdays the patient chose (weekly patterns only)."""
    shape = draw(
        st.sampled_from(
            [
                "single",
                "daily",
                "hours",
                "days",
                "weekly",
                "label weekdays",
                "offsets",
                "monthly",
                "cycle",
                "taper",
                "loading",
            ]
        )
    )
    bound = draw(st.sampled_from(["doses", "time"]))
    n = draw(st.integers(1, 12))
    span = fixed(draw(st.integers(1, 21)))
    if shape == "single":
        return (Phase("1 tablet", doses=1),), None
    if shape == "daily":
        times = draw(st.integers(1, 4))
        p = Phase(
            "1 tablet", Frequency(times, Unit.DAY), **({"doses": n * times} if bound == "doses" else {"duration": span})
        )
        return (p,), None
    if shape == "hours":
        every = draw(st.sampled_from([6, 8, 12, 24, 48, 72]))
        span = fixed(max(span.min or 1, every // 24 + 1))  # the scheduler plans no "every 48 hours for 1 day"
        p = Phase(
            "1 tablet",
            interval=Interval(every, Unit.HOUR),
            **({"doses": n} if bound == "doses" else {"duration": span}),
        )
        return (p,), None
    if shape == "days":
        p = Phase(
            "1 tablet", interval=Interval(draw(st.integers(2, 3)), Unit.DAY), duration=fixed(draw(st.integers(4, 21)))
        )
        return (p,), None
    if shape == "weekly":
        times = draw(st.integers(1, 3))
        spacing = Spacing(2, 4) if times == 2 and draw(st.booleans()) else None
        duration = draw(st.sampled_from([ONGOING, fixed(draw(st.integers(2, 8)), Unit.WEEK)]))
        chosen = None
        if spacing is None and draw(st.booleans()):
            chosen = tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=times, max_size=times))))
        return (Phase("1 tablet", Frequency(times, Unit.WEEK), spacing=spacing, duration=duration),), chosen
    if shape == "label weekdays":
        days = tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=3))))
        duration = draw(st.sampled_from([ONGOING, fixed(draw(st.integers(2, 6)), Unit.WEEK)]))
        return (Phase("1 tablet", Frequency(len(days), Unit.WEEK), duration=duration, weekdays=days),), None
    if shape == "offsets":
        p = Phase(
            "2 tablets", Frequency(2, Unit.DAY), duration=span, offsets_hours=(0, draw(st.sampled_from([1, 2, 4])))
        )
        return (p,), None
    if shape == "monthly":
        return (Phase("150 mg", Frequency(1, Unit.MONTH), duration=ONGOING),), None
    if shape == "cycle":
        cycle = Cycle(draw(st.integers(2, 7)), draw(st.integers(1, 7)), draw(st.integers(1, 3)))
        return (Phase("1 tablet", Frequency(draw(st.integers(1, 2)), Unit.DAY), cycle=cycle),), None
    if shape == "taper":
        k = draw(st.integers(2, 4))
        return tuple(Phase(f"{10 * (k - i)} mg", Frequency(1, Unit.DAY), duration=fixed(3)) for i in range(k)), None
    return (
        Phase("500 mg", Frequency(1, Unit.DAY), doses=1),
        Phase("250 mg", Frequency(1, Unit.DAY), duration=fixed(4), start_day=2),
    ), None


CLAUSES = st.sampled_from(
    [
        MissedClause(MissedKind.TAKE),
        MissedClause(MissedKind.SKIP, MissedWhen.NEXT_WITHIN),
        MissedClause(MissedKind.SKIP, MissedWhen.NEXT_WITHIN, 4),
        MissedClause(MissedKind.SKIP, MissedWhen.NEXT_WITHIN, 7 * 24, True),
        MissedClause(MissedKind.NEXT_MORNING, MissedWhen.NEXT_BEYOND, 7 * 24, True),
        MissedClause(MissedKind.NEXT_MORNING),
        MissedClause(MissedKind.SKIP, MissedWhen.LATER_DAY),
        MissedClause(MissedKind.SKIP, MissedWhen.LATE_BEYOND, 48, True),
        MissedClause(MissedKind.SAME_DAY_ONLY),
        MissedClause(MissedKind.SHIFT),
        MissedClause(MissedKind.ONE_PER_DAY),
        MissedClause(MissedKind.MIN_HOURS, hours=7 * 24, by_date=True),
        MissedClause(MissedKind.MIN_HOURS, hours=12),
        MissedClause(MissedKind.KEEP_END),
        MissedClause(MissedKind.NO_DOUBLE),
        MissedClause(MissedKind.SKIP),
        MissedClause(MissedKind.CONTACT, MissedWhen.LATE_BEYOND, 48, True),
    ]
)


def schedule_of(
    shape: tuple[tuple[Phase, ...], tuple[int, ...] | None],
    zone: str,
    start: dt.date,
    course: CourseKind | None,
    clauses: list[MissedClause],
) -> Schedule:
    parts, chosen = shape
    rule = DosingRule(
        "x", "X", "adults", Status.OK, Regimen(parts, course=course), SourceRef("x.md", "D", "adults", "s")
    )
    prefs = Preferences(timezone=zone, weekdays=chosen, until=start + dt.timedelta(days=60))
    schedule = build_schedule(rule, start, prefs, "Drug")
    return replace(schedule, missed_dose=MissedDose("words", tuple(dict.fromkeys(clauses))))


def check_label_kept(original: Schedule, updated: Schedule, exempt: int) -> None:
    """Every rule of the property suite, on the re-planned schedule."""
    policy = original.missed_dose
    limits = limits_of(original, policy)
    assert original.rule.regimen is not None
    phases_ = original.rule.regimen.phases
    active = updated.active
    utc = [d.at.astimezone(UTC) for d in active]
    assert all(b > a for a, b in zip(utc, utc[1:], strict=False)), "never two doses at once"

    def apart(c: MissedClause, doses: tuple[Dose, ...]) -> bool:
        gaps = [
            # elapsed hours in UTC: two datetimes of one zone subtract as wall times (an hour off at DST)
            (b.at.date() - a.at.date()).days * 24
            if c.by_date
            else (b.at.astimezone(UTC) - a.at.astimezone(UTC)).total_seconds() / 3600
            for a, b in zip(doses, doses[1:], strict=False)
        ]
        return all(g >= (c.hours or 0) for g in gaps)

    for a, b in zip(active, active[1:], strict=False):
        least, _ = limits.least_gap(b.phase)
        assert b.at.astimezone(UTC) - a.at.astimezone(UTC) >= least, "never closer than the least gap"
    for c in policy.clauses if policy else ():  # a label limit the plan itself keeps is kept after the re-plan
        if c.kind is MissedKind.MIN_HOURS and apart(c, original.active):
            assert apart(c, active), "the label's 'never two within' holds"
    assert len(active) <= len(original.active), "never more doses than planned"
    for number, phase in enumerate(phases_, 1):
        mine = [d for d in active if d.phase == number]
        if phase.doses is not None:
            assert len(mine) <= phase.doses, "never more doses than the label's count"
        s = phase.spacing
        dates = sorted({d.at.date() for d in mine})
        if s is not None:
            assert all((b - a).days >= s.min_days for a, b in zip(dates, dates[1:], strict=False)), "spacing kept"
        cap = limits.caps[number - 1]
        if cap is not None:
            assert max(Counter(d.at.date() for d in mine).values(), default=0) <= cap, "never more a day than allowed"
        end = original.phase_ends[number - 1] if original.phase_ends else None
        if keeps_end(limits.kinds[number - 1]) and mine and end is not None:
            assert mine[-1].at.date() < end, "a timed course never past its end"
        allowed = limits.weekdays[number - 1]
        if allowed is not None:
            assert all(d.at.weekday() in allowed for d in mine if d.number != exempt), "doses on the chosen weekdays"
    before = [d for d in original.doses if d.number < exempt]
    assert [d for d in updated.doses if d.number < exempt] == before, "earlier doses never change"


@given(
    phases(),
    st.sampled_from(ZONES),
    st.dates(dt.date(2026, 10, 20), dt.date(2027, 3, 30)),
    st.sampled_from([None, CourseKind.DOSES, CourseKind.TIME, CourseKind.BOTH]),
    st.lists(CLAUSES, min_size=1, max_size=5),
    st.floats(0, 1),
    st.integers(0, 24 * 12 * 4),
)
def test_missed_dose_answer_keeps_every_limit(shape, zone, start, course, clauses, where, quarter_hours) -> None:
    schedule = schedule_of(shape, zone, start, course, clauses)
    active = schedule.active
    dose = active[min(len(active) - 1, int(where * len(active)))]
    remembered = dose.at + dt.timedelta(minutes=15 * quarter_hours)
    advice = missed_dose_advice(schedule, dose.number, remembered)
    check_label_kept(schedule, advice.schedule, dose.number)
    if advice.take_at is not None:
        assert advice.take_at >= remembered, "a make-up dose is never before the patient remembers"
        assert advice.kind in (AdviceKind.TAKE_NOW, AdviceKind.TAKE_AT)
    else:
        assert next(d for d in advice.schedule.doses if d.number == dose.number).cancelled
    assert advice.action and advice.why, "the answer says what and why"


@given(
    phases(),
    st.sampled_from(ZONES),
    st.dates(dt.date(2026, 10, 20), dt.date(2027, 3, 30)),
    st.floats(0, 1),
    st.integers(0, 24 * 4 * 3),
    st.booleans(),
)
def test_counted_course_is_complete_unless_the_label_says_skip(shape, zone, start, where, quarter_hours, shift) -> None:
    """A course counted in doses, with a label that says only "take it as soon as you remember" (and
    perhaps "the remaining doses move back"): every dose is still taken, whenever it is remembered."""
    parts, _ = shape
    if len(parts) != 1 or parts[0].cycle is not None or parts[0].frequency and parts[0].frequency.per is Unit.MONTH:
        return
    clauses = [MissedClause(MissedKind.TAKE), MissedClause(MissedKind.NO_DOUBLE)] + (
        [MissedClause(MissedKind.SHIFT)] if shift else []
    )
    schedule = schedule_of(shape, zone, start, CourseKind.DOSES, clauses)
    active = schedule.active
    dose = active[min(len(active) - 1, int(where * len(active)))]
    advice = missed_dose_advice(schedule, dose.number, dose.at + dt.timedelta(minutes=15 * quarter_hours))
    assert advice.kind is AdviceKind.TAKE_NOW, advice.why
    assert len(advice.schedule.active) == len(active), "the count is kept"
    check_label_kept(schedule, advice.schedule, dose.number)


@given(
    phases(),
    st.sampled_from(ZONES),
    st.dates(dt.date(2026, 10, 20), dt.date(2027, 3, 30)),
    st.sampled_from([None, CourseKind.DOSES, CourseKind.TIME]),
    st.lists(CLAUSES, min_size=1, max_size=4),
    st.floats(0, 1),
    st.integers(-8, 24 * 4 * 3),
)
def test_late_dose_keeps_every_limit_or_is_refused(shape, zone, start, course, clauses, where, quarter_hours) -> None:
    schedule = schedule_of(shape, zone, start, course, clauses)
    active = schedule.active
    dose = active[min(len(active) - 1, int(where * len(active)))]
    try:
        updated, notes = late_dose(schedule, dose.number, dose.at + dt.timedelta(minutes=15 * quarter_hours))
    except ScheduleError:
        return  # refused: the moment itself breaks the label; the plan is not changed
    check_label_kept(schedule, updated, dose.number)
    assert notes[0].startswith(f"dose {dose.number} taken")
