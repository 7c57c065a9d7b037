"""Stage 3: the scheduler on the seed's worked examples, preferences, time zones and DST."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from helpers import rule

from planner.errors import RuleError, ScheduleError
from planner.model import (
    Cycle,
    Duration,
    DurationKind,
    Frequency,
    Interval,
    MissedKind,
    Phase,
    Preferences,
    Status,
    Unit,
)
from planner.plan.scheduler import build_schedule, plan_course

START = dt.date(2026, 12, 1)  # a Tuesday


def gaps(schedule) -> list[int]:
    days = [d.at.date() for d in schedule.doses]
    return [(b - a).days for a, b in zip(days, days[1:])]


# --- the seed's worked examples, in every zone -------------------------------------


def test_actinic_keratosis_32_doses_3_or_4_days_apart(imiquimod, zone_name) -> None:
    s = plan_course(imiquimod, "actinic-keratosis", START, Preferences(timezone=zone_name))
    assert len(s.doses) == 32
    assert set(gaps(s)) == {3, 4}
    assert s.doses[0].at.date() == START
    assert s.course_end == s.doses[-1].at.date() < START + dt.timedelta(weeks=16)
    assert {d.at.strftime("%H:%M") for d in s.doses} == {"22:00"}  # bedtime, same wall time all course
    assert {d.at.tzinfo.key for d in s.doses} == {zone_name}
    assert [d.number for d in s.doses] == list(range(1, 33))
    assert all(d.amount == "thin layer" and d.phase == 1 for d in s.doses)


def test_actinic_keratosis_on_monday_thursday(imiquimod) -> None:
    s = plan_course(imiquimod, "actinic-keratosis", dt.date(2026, 11, 30), Preferences(weekdays=(3, 0)))
    assert len(s.doses) == 32
    assert {d.at.weekday() for d in s.doses} == {0, 3}


def test_superficial_bcc_30_doses_5_a_week(imiquimod, zone_name) -> None:
    s = plan_course(imiquimod, "superficial-basal-cell-carcinoma", START, Preferences(timezone=zone_name))
    assert len(s.doses) == 30
    for week in range(6):
        first = START + dt.timedelta(weeks=week)
        assert sum(first <= d.at.date() < first + dt.timedelta(days=7) for d in s.doses) == 5
    assert max(gaps(s)) <= 3 and min(gaps(s)) == 1


def test_warts_every_other_day_up_to_16_weeks_with_review(imiquimod, zone_name) -> None:
    s = plan_course(
        imiquimod, "external-genital-perianal-warts", dt.date(2026, 11, 30), Preferences(timezone=zone_name)
    )
    assert len(s.doses) == 48
    assert set(gaps(s)) == {2, 3}
    assert {d.at.weekday() for d in s.doses} == {0, 2, 4}  # MO/WE/FR, as in the label's example
    (review,) = s.reminders
    assert review.on == s.course_end and "up to 16 weeks" in review.text
    assert s.course_end < dt.date(2026, 11, 30) + dt.timedelta(weeks=16)


def test_plan_carries_warnings_and_missed_dose(imiquimod) -> None:
    s = plan_course(imiquimod, "actinic-keratosis", START, Preferences())
    assert s.missed_dose.has(MissedKind.KEEP_END)
    assert any("Do not extend treatment" in w.text for w in s.warnings)
    assert any(w.topic == "pregnancy" for w in s.warnings)


# --- preferences that break the label are refused, with a valid choice named --------


@pytest.mark.parametrize(
    "weekdays,message,hint",
    [
        ((0, 1), "MO,TU break the label's spacing (doses 3-4 days apart)", "for example MO,TH"),
        ((0,), "needs exactly 2 weekday(s) a week, got MO", "for example MO,TH"),
        ((0, 3, 5), "needs exactly 2 weekday(s) a week", "for example MO,TH"),
    ],
)
def test_bad_weekdays_are_refused_with_a_valid_example(imiquimod, weekdays, message, hint) -> None:
    with pytest.raises(ScheduleError) as info:
        plan_course(imiquimod, "actinic-keratosis", START, Preferences(weekdays=weekdays))
    assert message in str(info.value) and hint in str(info.value)


def test_every_other_day_refuses_consecutive_weekdays(imiquimod) -> None:
    with pytest.raises(ScheduleError, match="MO,TU,WE break the label's spacing"):
        plan_course(imiquimod, "external-genital-perianal-warts", START, Preferences(weekdays=(0, 1, 2)))


def test_unknown_indication_names_the_known_ones(imiquimod) -> None:
    with pytest.raises(RuleError, match="choose one of: actinic-keratosis, superficial"):
        plan_course(imiquimod, "acne", START, Preferences())


def test_unknown_time_zone(imiquimod) -> None:
    with pytest.raises(ScheduleError, match="unknown time zone 'Mars/Olympus'"):
        plan_course(imiquimod, "actinic-keratosis", START, Preferences(timezone="Mars/Olympus"))


def test_needs_review_rule_is_never_planned(imiquimod) -> None:
    r = replace(imiquimod.rules[0], status=Status.NEEDS_REVIEW, regimen=None, reasons=("unclear",))
    with pytest.raises(RuleError, match="needs review"):
        plan_course(replace(imiquimod, rules=(r,)), r.id, START, Preferences())


def test_weekdays_do_not_apply_to_a_daily_regimen() -> None:
    daily = rule(Phase(frequency=Frequency(1, Unit.DAY), duration=Duration(DurationKind.FIXED, Unit.DAY, 7, 7)))
    with pytest.raises(ScheduleError, match="preferred weekdays do not apply"):
        build_schedule(daily, START, Preferences(weekdays=(0,)))


def test_wrong_number_of_times_for_twice_daily() -> None:
    twice = rule(Phase(frequency=Frequency(2, Unit.DAY), duration=Duration(DurationKind.FIXED, Unit.DAY, 3, 3)))
    with pytest.raises(ScheduleError, match="2 dose\\(s\\) a day, got 1.*08:00,20:00"):
        build_schedule(twice, START, Preferences(times=(dt.time(9),)))


# --- time: wall time across DST, nonexistent times, elapsed hours --------------------


def test_wall_time_is_kept_across_dst(imiquimod) -> None:
    s = plan_course(imiquimod, "actinic-keratosis", dt.date(2027, 2, 1), Preferences(timezone="Europe/Berlin"))
    offsets = {d.at.utcoffset() for d in s.doses}
    assert offsets == {dt.timedelta(hours=1), dt.timedelta(hours=2)}
    assert {d.at.strftime("%H:%M") for d in s.doses} == {"22:00"}


def test_nonexistent_time_moves_forward_and_is_reported() -> None:
    daily = rule(Phase(frequency=Frequency(1, Unit.DAY), duration=Duration(DurationKind.FIXED, Unit.DAY, 3, 3)))
    s = build_schedule(daily, dt.date(2027, 3, 27), Preferences(timezone="Europe/Berlin", times=(dt.time(2, 30),)))
    assert [d.at.strftime("%m-%d %H:%M") for d in s.doses] == ["03-27 02:30", "03-28 03:30", "03-29 02:30"]
    assert s.notes == (
        "02:30 does not exist on 2027-03-28 in Europe/Berlin (clocks go forward): that dose is at 03:30",
    )


def test_every_12_hours_is_elapsed_time_across_dst() -> None:
    q12h = rule(Phase(interval=Interval(12, Unit.HOUR), duration=Duration(DurationKind.FIXED, Unit.DAY, 3, 3)))
    s = build_schedule(q12h, dt.date(2027, 3, 27), Preferences(timezone="Europe/Berlin", times=(dt.time(8),)))
    utc = [d.at.astimezone(dt.UTC) for d in s.doses]
    assert all(b - a == dt.timedelta(hours=12) for a, b in zip(utc, utc[1:]))
    assert [d.at.strftime("%d %H:%M") for d in s.doses][:4] == ["27 08:00", "27 20:00", "28 09:00", "28 21:00"]


def test_twice_daily_default_times() -> None:
    twice = rule(Phase(frequency=Frequency(2, Unit.DAY), duration=Duration(DurationKind.FIXED, Unit.DAY, 2, 2)))
    s = build_schedule(twice, START, Preferences())
    assert [d.at.strftime("%H:%M") for d in s.doses] == ["08:00", "20:00", "08:00", "20:00"]


# --- shapes the model holds: monthly, phases, cycles, ongoing -------------------------


def test_monthly_on_the_31st_goes_to_the_last_day_and_says_so() -> None:
    monthly = rule(Phase(frequency=Frequency(1, Unit.MONTH), duration=Duration(DurationKind.FIXED, Unit.MONTH, 3, 3)))
    s = build_schedule(monthly, dt.date(2027, 1, 31), Preferences())
    assert [d.at.date().isoformat() for d in s.doses] == ["2027-01-31", "2027-02-28", "2027-03-31"]
    assert any("February 2027 does not exist" in n for n in s.notes)


def test_loading_dose_then_maintenance() -> None:
    loading = rule(
        Phase(amount="500 mg", doses=1),
        Phase(amount="250 mg", frequency=Frequency(1, Unit.DAY), duration=Duration(DurationKind.FIXED, Unit.DAY, 4, 4)),
    )
    s = build_schedule(loading, START, Preferences())
    assert [(d.at.date().day, d.amount, d.phase) for d in s.doses] == [
        (1, "500 mg", 1),
        (2, "250 mg", 2),
        (3, "250 mg", 2),
        (4, "250 mg", 2),
        (5, "250 mg", 2),
    ]


def test_cycle_days_on_and_off() -> None:
    cycle = rule(Phase(frequency=Frequency(1, Unit.DAY), cycle=Cycle(5, 23, 2)))
    s = build_schedule(cycle, START, Preferences())
    days = [(d.at.date() - START).days for d in s.doses]
    assert days == [0, 1, 2, 3, 4, 28, 29, 30, 31, 32]


def test_ongoing_plans_to_the_horizon_with_a_reminder() -> None:
    weekly = rule(Phase(frequency=Frequency(1, Unit.WEEK), duration=Duration(DurationKind.ONGOING)))
    s = build_schedule(weekly, START, Preferences(until=dt.date(2027, 2, 28)))
    assert s.ongoing and s.course_end is None
    assert s.doses[-1].at.date() <= dt.date(2027, 2, 28)
    assert len(s.doses) == 13 and s.reminders[-1].title == "end of this calendar"


def test_range_plans_the_minimum_with_a_review() -> None:
    ranged = rule(Phase(frequency=Frequency(2, Unit.DAY), duration=Duration(DurationKind.RANGE, Unit.WEEK, 2, 4)))
    s = build_schedule(ranged, START, Preferences())
    assert len(s.doses) == 28
    assert "2 to 4 weeks" in s.reminders[0].text


def test_same_input_same_schedule(imiquimod) -> None:
    a = plan_course(imiquimod, "actinic-keratosis", START, Preferences(timezone="Europe/Berlin"))
    b = plan_course(imiquimod, "actinic-keratosis", START, Preferences(timezone="Europe/Berlin"))
    assert a == b


def test_range_length_chosen_within_the_label() -> None:
    ranged = rule(Phase(frequency=Frequency(2, Unit.DAY), duration=Duration(DurationKind.RANGE, Unit.WEEK, 2, 4)))
    s = build_schedule(ranged, START, Preferences(length=3))
    assert len(s.doses) == 42 and not s.reminders
    with pytest.raises(ScheduleError, match="the label gives 2 to 4 weeks; 5 is outside.*from 2 to 4"):
        build_schedule(ranged, START, Preferences(length=5))


@pytest.mark.parametrize(("times", "expected"), [(2, ["07:30", "18:30"]), (3, ["07:30", "12:30", "18:30"])])
def test_doses_before_meals_are_half_an_hour_before_the_meals(times, expected) -> None:
    phase = Phase(amount="1 tablet", frequency=Frequency(times, Unit.DAY), duration=Duration(DurationKind.FIXED, Unit.DAY, 2, 2),
                  time_of_day="before-meals")  # fmt: skip
    s = build_schedule(rule(phase), START, Preferences())
    assert [f"{d.at:%H:%M}" for d in s.doses[:times]] == expected
    assert len(s.doses) == 2 * times


def test_a_dose_with_breakfast_is_at_breakfast_time() -> None:
    phase = Phase(amount="1 tablet", frequency=Frequency(1, Unit.DAY), duration=Duration(DurationKind.FIXED, Unit.DAY, 3, 3),
                  time_of_day="breakfast")  # fmt: skip
    assert {f"{d.at:%H:%M}" for d in build_schedule(rule(phase), START, Preferences()).doses} == {"08:00"}
