"""The dosing-language reader: the same meaning, however it is worded, reads the same; numbers
are read whole or not at all; options, scopes, hedges and refusals as the reader issue says."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.model import Duration, DurationKind, Frequency, Interval, OptionKind, Unit
from planner.read.reader import Context, read

WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 10: "ten",
         12: "twelve", 14: "fourteen", 20: "twenty", 30: "thirty"}  # fmt: skip
PER_DAY = {
    1: ["once daily", "once a day", "daily", "every day", "one time a day", "1 time per day", "QD", "once per day"],
    2: ["twice daily", "twice a day", "two times a day", "2 times daily", "BID", "b.i.d.", "2 times per day",
        "two times per day", "2 time per day", "every morning and evening"],
    3: ["three times a day", "3 times daily", "thrice daily", "TID", "t.i.d.", "three times per day", "3 x daily"],
    4: ["four times a day", "4 times daily", "QID", "q.i.d.", "four times per day"],
}  # fmt: skip
HOURS = {6: ["every 6 hours", "q6h", "every six hours", "q 6 h"], 8: ["every 8 hours", "q8h", "every eight hours"],
         12: ["every 12 hours", "q12h", "every twelve hours"]}  # fmt: skip


def number(n: int, spelled: bool) -> str:
    return WORDS[n] if spelled and n in WORDS else str(n)


def durations(n: int, unit: str, spelled: bool) -> list[str]:
    k = number(n, spelled)
    plural = unit + ("s" if n != 1 else "")
    return [f"for {k} {plural}", f"x {n} {plural}", f"for a total of {k} {plural}", f"over the next {k} {plural}"]


amounts = st.sampled_from([("500 mg", "500 mg"), ("1 tablet", "1 tablet"), ("one tablet", "1 tablet"),
                           ("2 capsules", "2 capsules"), ("0.5 mg", "0.5 mg"), ("250 mg", "250 mg"),
                           ("one 250 mg tablet", "250 mg"), ("10 mL", "10 mL")])  # fmt: skip


@st.composite
def worded(draw: st.DrawFn) -> tuple[str, str, Frequency | None, Interval | None, Duration]:
    """A regimen and one of its many wordings: (sentence, amount, frequency, interval, duration)."""
    written, amount = draw(amounts)
    if draw(st.booleans()):
        times = draw(st.sampled_from(sorted(PER_DAY)))
        rhythm, frequency, interval = draw(st.sampled_from(PER_DAY[times])), Frequency(times, Unit.DAY), None
    else:
        hours = draw(st.sampled_from(sorted(HOURS)))
        rhythm, frequency, interval = draw(st.sampled_from(HOURS[hours])), None, Interval(hours, Unit.HOUR)
    n = draw(st.sampled_from([3, 5, 7, 10, 14, 30]))
    unit, kind = draw(st.sampled_from([("day", Unit.DAY), ("week", Unit.WEEK)]))
    duration_text = draw(st.sampled_from(durations(n, unit, draw(st.booleans()))))
    verb = draw(st.sampled_from(["Take ", "take ", "", "Give "]))
    route = draw(st.sampled_from(["", " by mouth", " po", " orally"]))
    order = draw(st.integers(0, 1))
    parts = [f"{written}{route} {rhythm}", duration_text]
    sentence = verb + (" ".join(parts) if order == 0 else f"{written}{route} {duration_text}, {rhythm}") + "."
    return sentence, amount, frequency, interval, Duration(DurationKind.FIXED, kind, n, n)


@given(worded(), st.sampled_from(list(Context)))
def test_a_regimen_reads_the_same_however_it_is_worded(case, context) -> None:
    sentence, amount, frequency, interval, duration = case
    reading = read(sentence, context)
    assert reading.reasons == (), sentence
    (phase,) = reading.regimen.phases
    assert (phase.amount, phase.frequency, phase.interval, phase.duration) == (
        amount,
        frequency,
        interval,
        duration,
    ), sentence


FORMATS = {
    "leading zero": lambda v: f"{v:g}" if v < 1 else None,
    "leading point": lambda v: f"{v:g}".removeprefix("0") if 0 < v < 1 else None,
    "fraction": lambda v: {0.5: "1/2", 0.25: "1/4"}.get(v),
    "unicode fraction": lambda v: {0.5: "½", 0.25: "¼", 0.75: "¾"}.get(v),
    "thousands": lambda v: f"{v:,.0f}" if v >= 1000 and v == int(v) else None,
    "plain": lambda v: f"{v:g}" if "e" not in f"{v:g}" else None,
}


@given(st.sampled_from([0.25, 0.5, 0.75, 1.5, 2.5, 5, 10, 250, 1000, 1250, 50000]), st.sampled_from(sorted(FORMATS)),
       st.sampled_from(["mg", "mcg", "g", "IU", "mL"]))  # fmt: skip
def test_a_number_beside_a_dose_unit_is_read_whole_or_refused(value, form, unit) -> None:
    written = FORMATS[form](value)
    if written is None:
        return
    reading = read(f"Take {written} {unit} once daily for 5 days.")
    if reading.regimen is None:
        return  # refused is always safe
    amount = reading.regimen.phases[0].amount
    number = amount.split()[0].replace(",", "")
    assert Fraction(number) == Fraction(str(value)), (written, amount)


@pytest.mark.parametrize("written", ["1 000", "2.5e2", "1. 5", "1.5.2", "3,50", "12,5"])
def test_numbers_that_read_two_ways_are_refused(written) -> None:
    reading = read(f"Take {written} mg once daily for 5 days.")
    assert reading.regimen is None and any("number" in r for r in reading.reasons), reading.reasons


def test_a_leading_decimal_point_is_the_number_it_is() -> None:
    assert read("Take .5 mg once daily for 5 days.").regimen.phases[0].amount == "0.5 mg"


def test_options_are_complete_regimens_and_share_what_both_say() -> None:
    reading = read("500 mg every 12 hours or 250 mg every 8 hours for 10 days.")
    first, second = (o.regimen.phases[0] for o in reading.options)
    assert (first.amount, first.interval, second.amount, second.interval) == (
        "500 mg", Interval(12, Unit.HOUR), "250 mg", Interval(8, Unit.HOUR))  # fmt: skip
    assert first.duration == second.duration == Duration(DurationKind.FIXED, Unit.DAY, 10, 10)


def test_a_bracketed_alternative_is_an_option() -> None:
    reading = read("Take 70 mg once weekly, on the same day each week (alternatively, 10 mg once daily).")
    assert [o.regimen.phases[0].amount for o in reading.options] == ["70 mg", "10 mg"]


def test_or_without_a_second_regimen_is_one_reading() -> None:
    reading = read(
        "Apply once a day before bedtime until complete clearance, or for up to 8 weeks, whichever comes first."
    )
    assert len(reading.options) == 1
    assert reading.regimen.phases[0].duration == Duration(DurationKind.UP_TO, Unit.WEEK, None, 8)


def test_a_negation_confirms_instead_of_adding() -> None:
    reading = read("7.5 mg once weekly, on the same day each week. This is a weekly medicine, NOT a daily one.")
    assert reading.regimen.phases[0].frequency == Frequency(1, Unit.WEEK)


def test_a_frequency_range_is_an_option_per_value_never_the_maximum() -> None:
    reading = read("Take 1 tablet 3-4 times a day for 10 days.", Context.SIG)
    assert [o.regimen.phases[0].frequency for o in reading.options] == [Frequency(3, Unit.DAY), Frequency(4, Unit.DAY)]


@pytest.mark.parametrize(
    "sentence,reason",
    [
        ("Take 1 tablet as needed for pain, no more than 3 in a day.", "as needed: not scheduled; at most 3 in a day"),
        ("Take 5 mg daily, adjusted to keep the INR between 2 and 3.", "blood tests"),
        ("Use as directed.", "as directed"),
        ("Take 1 tablet weekly, starting one week before travel, for 4 weeks.", "event"),
        ("Take 50 mg twice daily for 5 days or until symptoms resolve.", "fixed time or at a clinical end point"),
        ("Take 1 gram daily in 2 divided doses for 10 days.", "divided"),
        ("Take 500 mg twice daily for 5 days (8 doses).", "count of 8 doses"),
    ],
)
def test_refusals_name_the_real_blocker(sentence, reason) -> None:
    reading = read(sentence)
    assert reading.regimen is None and any(reason in r for r in reading.reasons), reading.reasons


def test_a_partial_regimen_plans_the_defined_phase_and_says_what_follows() -> None:
    reading = read("One 50,000 IU capsule once a week for 8 weeks. After this, a maintenance dose is continued as "
                   "directed by your prescriber.")  # fmt: skip
    assert reading.regimen.phases[0].duration == Duration(DurationKind.FIXED, Unit.WEEK, 8, 8)
    assert "as directed" in reading.regimen.then


def test_a_labels_example_is_an_option_to_confirm() -> None:
    reading = read("A short course is often prescribed as 40 mg once daily for 5 days, then 20 mg daily for 5 days, "
                   "then stop.")  # fmt: skip
    (option,) = reading.options
    assert option.kind is OptionKind.LABEL_EXAMPLE and len(option.regimen.phases) == 2


@pytest.mark.parametrize(
    "sentence,cycle",
    [
        ("Apply once daily for two 2-week treatment cycles separated by a 2-week no-treatment period.", (14, 14, 2)),
        ("Take 1,250 mg/m² twice daily for 14 days, followed by a 7-day rest period, for 8 cycles.", (14, 7, 8)),
        ("Take 25 mg once daily on days 1 to 21 of each 28-day cycle for 12 cycles.", (21, 7, 12)),
    ],
)
def test_cycles_however_counted(sentence, cycle) -> None:
    c = read(sentence).regimen.phases[0].cycle
    assert (c.on_days, c.off_days, c.repeats) == cycle


def test_open_ended_cycles_continue_while_the_label_says() -> None:
    reading = read("1,250 mg/m² twice daily for 14 days, followed by a 7-day rest period. This makes up one 3-week "
                   "cycle; the number of cycles is decided by your oncologist.")  # fmt: skip
    phase = reading.regimen.phases[0]
    assert phase.cycle.repeats is None and phase.duration.kind is DurationKind.ONGOING and phase.amount_open


@pytest.mark.parametrize(
    "days", ["on Monday, Wednesday and Friday", "on Mon, Wed & Fri", "on Mondays, Wednesdays and Fridays"]
)
def test_weekday_lists_plan_exactly_those_days(days) -> None:
    phase = read(f"Take 1 tablet once daily {days} for 4 weeks.").regimen.phases[0]
    assert phase.weekdays == (0, 2, 4) and phase.frequency == Frequency(3, Unit.WEEK)


@pytest.mark.parametrize("sentence", ["Take 1 tablet 0 times a day for 10 days.", "Take 1 tablet daily for 0 days."])
def test_zero_is_outside_the_bounds(sentence) -> None:
    assert read(sentence).regimen is None


def test_a_prescription_with_no_end_continues_a_label_does_not() -> None:
    assert read("Take 1 tablet by mouth daily.", Context.SIG).regimen.phases[0].duration.kind is DurationKind.ONGOING
    assert read("Take 1 tablet by mouth daily.").regimen is None


@pytest.mark.parametrize("written", ["2 two times daily", "two 2 times daily", "2 times daily"])
def test_a_number_written_twice_as_digits_and_words_is_one_number(written) -> None:
    phase = read(f"Take 1 tablet by mouth {written} for 5 days.", Context.SIG).regimen.phases[0]
    assert (phase.amount, phase.frequency) == ("1 tablet", Frequency(2, Unit.DAY))
