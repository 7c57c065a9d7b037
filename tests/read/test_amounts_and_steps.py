"""Amounts split in brackets, days a week, and the lengths of steps, however they are worded.

Each was read wrong or not at all in other writers' wording: "200 mg on the first day
(administered 100 mg every 12 hours)" was 200 mg every 12 hours (a doubled dose); "apply once
daily, 5 days a week" and "for a further 4 weeks" were not read; a titration whose last step
names no end was refused.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planner.model import DurationKind, Frequency, Interval, Unit
from planner.read.reader import read

SPLITS = [  # (total a day, the rhythm in words, the rhythm, the dose)
    ("200 mg", "every 12 hours", Interval(12, Unit.HOUR), "100 mg"),
    ("300 mg", "every 8 hours", Interval(8, Unit.HOUR), "100 mg"),
    ("1000 mg", "twice daily", Frequency(2, Unit.DAY), "500 mg"),
    ("600 mg", "three times a day", Frequency(3, Unit.DAY), "200 mg"),
]
BRACKETS = ["({how} {dose} {rhythm})", "({dose} {rhythm})", "(that is, {dose} {rhythm})"]
HOW = ["given as", "administered", "taken as"]


@given(st.sampled_from(SPLITS), st.sampled_from(BRACKETS), st.sampled_from(HOW),
       st.sampled_from(["for 7 days", "on the first day, then 100 mg once daily for 6 days"]))  # fmt: skip
def test_a_total_split_in_brackets_is_planned_as_the_brackets_dose(split, bracket, how, rest) -> None:
    total, words, rhythm, dose = split
    reading = read(f"Take {total} {bracket.format(how=how, dose=dose, rhythm=words)} {rest}.")
    first = reading.regimen.phases[0]
    assert (first.amount, first.frequency or first.interval) == (dose, rhythm)


@given(st.sampled_from(SPLITS), st.sampled_from(BRACKETS), st.sampled_from(HOW))
def test_a_bracket_that_does_not_add_up_is_read_two_ways(split, bracket, how) -> None:
    total, words, _, dose = split
    wrong = f"{int(total.split()[0]) * 2} mg"
    reading = read(f"Take {wrong} {bracket.format(how=how, dose=dose, rhythm=words)} for 7 days.")
    assert not reading.options
    assert "a daily amount and a dose in brackets: read two ways" in reading.reasons


def test_a_bracket_that_restates_the_dose_keeps_it() -> None:
    phase = read("Take 1 tablet (10 mg) once daily for 7 days.").regimen.phases[0]
    assert (phase.amount, phase.frequency) == ("10 mg", Frequency(1, Unit.DAY))


@given(st.sampled_from([(5, "5"), (5, "five"), (3, "3"), (3, "three")]),
       st.sampled_from(["a week", "per week", "each week", "every week"]),
       st.sampled_from(["Apply once daily, {n} days {p}, for 6 weeks.", "Apply {n} days {p} for 6 weeks.",
                        "For 6 weeks, apply once a day, {n} days {p}."]))  # fmt: skip
def test_days_a_week_is_that_many_doses_a_week(n, per, template) -> None:
    count, written = n
    phase = read(template.format(n=written, p=per)).regimen.phases[0]
    assert phase.frequency == Frequency(count, Unit.WEEK)
    assert phase.duration.max == 6 and phase.duration.unit is Unit.WEEK


@given(st.sampled_from(["a further", "another", "an additional"]), st.sampled_from(["4 weeks", "28 days"]))
def test_a_further_length_after_then_is_the_steps_length(further, length) -> None:
    reading = read(f"Take 2 capsules once a day for 4 weeks, then 1 capsule once a day for {further} {length}.")
    first, second = reading.regimen.phases
    assert (first.amount, second.amount) == ("2 capsules", "1 capsule")
    n, unit = length.split()
    assert second.duration.max == int(n) and second.duration.unit.value == unit.rstrip("s")


@given(st.sampled_from(["for the first 3 days", "during the first 3 days", "for 3 days"]),
       st.sampled_from(["then increase to 1 mg twice a day", "then 1 mg twice a day", "followed by 1 mg twice daily"]))  # fmt: skip
def test_a_titrations_last_step_with_no_end_goes_on(first, last) -> None:
    reading = read(f"Take 0.5 mg once a day {first}, {last}.")
    one, two = reading.regimen.phases
    assert one.duration.max == 3 and two.amount == "1 mg" and two.frequency == Frequency(2, Unit.DAY)
    assert two.duration.kind is DurationKind.ONGOING
    assert reading.regimen.then is None  # the label gives the dose: no "the prescriber sets what follows"


@given(st.sampled_from(["as directed", "adjusted to response", "for several weeks", "until symptoms resolve"]))
def test_a_last_step_the_label_leaves_open_is_not_planned_as_going_on(open_end) -> None:
    reading = read(f"Take 100 mg daily for 2 weeks, then 200 mg daily {open_end}.")
    assert not any(
        p.duration and p.duration.kind is DurationKind.ONGOING for o in reading.options for p in o.regimen.phases
    )


@given(st.sampled_from(SPLITS), st.sampled_from(["a day", "daily", "per day", "each day"]),
       st.sampled_from(["({dose} {rhythm})", "(as {dose} {rhythm})", "(that is {dose} {rhythm})"]))  # fmt: skip
def test_a_daily_total_with_the_doses_in_brackets_is_the_brackets_dose(split, per_day, bracket) -> None:
    total, words, rhythm, dose = split
    reading = read(f"Take {total} {per_day} {bracket.format(dose=dose, rhythm=words)} for 7 days.")
    (phase,) = reading.regimen.phases
    assert (phase.amount, phase.frequency or phase.interval) == (dose, rhythm)  # never the total once a day


def test_a_bracket_with_fewer_doses_a_day_restates() -> None:
    phase = read("Take 500 mg twice daily (1 g a day) for 7 days.").regimen.phases[0]
    assert (phase.amount, phase.frequency) == ("500 mg", Frequency(2, Unit.DAY))


@given(st.sampled_from(["followed by a maintenance dose of", "then"]), st.sampled_from(["or", "alternatively,"]))
def test_an_alternative_for_a_later_step_keeps_the_steps_before_it(joint, alternatively) -> None:
    reading = read(f"Take 200 mg on the first day, {joint} 100 mg once a day ({alternatively} 50 mg every 12 hours).")
    first, second = (option.regimen.phases for option in reading.options)
    assert [p.amount for p in first] == ["200 mg", "100 mg"]
    assert [p.amount for p in second] == ["200 mg", "50 mg"]  # the loading day stays; never 50 mg from day 1
    assert second[1].interval == Interval(12, Unit.HOUR)
    assert all(p.duration.max == 1 for p in (first[0], second[0]))
    assert all(p.duration.kind is DurationKind.ONGOING for p in (first[1], second[1]))  # not the loading day's end
