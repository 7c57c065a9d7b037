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


RANGES = {
    (1, 2): ["once or twice daily", "once or twice a day", "once to twice daily", "1 or 2 times a day",
             "1-2 times daily", "one or two times per day", "1 to 2 times daily"],
    (2, 3): ["two or three times a day", "2-3 times daily", "twice or three times a day", "2 to 3 times per day"],
    (3, 4): ["3 or 4 times a day", "three or four times daily", "3-4 times per day", "three to four times a day"],
}  # fmt: skip


@given(st.sampled_from([(k, w) for k, ws in RANGES.items() for w in ws]), amounts,
       st.sampled_from(["for 10 days", "x 10 days", ""]), st.sampled_from(list(Context)))  # fmt: skip
def test_a_frequency_range_however_written_is_an_option_per_value(range_, amount, end, context) -> None:
    (low, high), words = range_
    text = f"Take {amount[0]} {words} {end}".strip() if end or context is Context.SIG else f"Apply {words} for 2 weeks"
    reading = read(text, context)
    assert [o.regimen.phases[0].frequency for o in reading.options] == [
        Frequency(low, Unit.DAY),
        Frequency(high, Unit.DAY),
    ]
    assert not any(o.default for o in reading.options)  # never one of them in silence


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


def test_a_prescription_with_no_end_continues_a_label_with_a_length_it_cannot_place_does_not() -> None:
    assert read("Take 1 tablet by mouth daily.", Context.SIG).regimen.phases[0].duration.kind is DurationKind.ONGOING
    assert read("Take 1 tablet by mouth daily for several weeks.").regimen is None


@pytest.mark.parametrize("written", ["2 two times daily", "two 2 times daily", "2 times daily"])
def test_a_number_written_twice_as_digits_and_words_is_one_number(written) -> None:
    phase = read(f"Take 1 tablet by mouth {written} for 5 days.", Context.SIG).regimen.phases[0]
    assert (phase.amount, phase.frequency) == ("1 tablet", Frequency(2, Unit.DAY))


# Rewordings of the shapes added for text written by others: each strategy words one meaning many
# ways (digits or words, synonyms, abbreviations with or without dots, clause order, case), and
# every wording must give the same reading in the prescription context.
def cased(text: str, how: int) -> str:
    return (text, text.upper(), text.lower(), text.capitalize())[how]


MORNING = ["in the morning", "every morning", "qAM", "q.a.m.", "each morning", "on waking"]
BEDTIME = ["at bedtime", "before bedtime", "qHS", "q.h.s.", "at night before bed", "nightly"]
NOON = ["at noon", "at midday", "at lunch"]
ONE_TAB = ["1 tablet", "one tablet", "1 tab", "one tab"]


@given(st.sampled_from(ONE_TAB), st.sampled_from(MORNING), st.sampled_from(BEDTIME), st.sampled_from(NOON),
       st.booleans(), st.booleans(), st.integers(0, 3))  # fmt: skip
def test_times_of_day_joined_by_and_are_the_doses_of_the_day(
    amount, morning, bedtime, noon, three, repeat, how
) -> None:
    times = [morning, noon, bedtime] if three else [morning, bedtime]
    said = [f"{amount} {t}" if repeat or k == 0 else t for k, t in enumerate(times)]
    sentence = cased("take " + (", ".join(said[:-1]) + " and " + said[-1]), how)
    (phase,) = read(sentence, Context.SIG).regimen.phases
    assert (phase.amount, phase.frequency, phase.time_of_day) == ("1 tablet", Frequency(len(times), Unit.DAY), None)


@pytest.mark.parametrize(
    "sentence",
    ["take 1 tablet once daily in the morning and at bedtime", "take 1 tablet in the morning with food and at bedtime"],
)
def test_named_times_that_disagree_with_the_rhythm_are_refused(sentence) -> None:
    assert read(sentence, Context.SIG).regimen is None


SIG_BID = ["bid", "BID", "b.i.d.", "twice daily", "2 times a day", "two times per day"]
SIG_QD = ["qd", "QD", "daily", "once a day", "once daily"]


@given(st.sampled_from(SIG_BID), st.sampled_from(SIG_QD), st.sampled_from(["", "then ", ", then "]),
       st.sampled_from(["x 3 days", "x3 days", "for 3 days", "for three days"]), st.sampled_from(["1/2", "0.5", "½"]))  # fmt: skip
def test_phases_written_one_after_another_read_as_with_then(bid, qd, joint, days, half) -> None:
    sentence = f"1 tab po {bid} {days} {joint}{half} tab po {qd} {days}"
    phases = read(sentence, Context.SIG).regimen.phases
    three = Duration(DurationKind.FIXED, Unit.DAY, 3, 3)
    assert [(p.amount, p.frequency, p.duration) for p in phases] == [
        ("1 tablet", Frequency(2, Unit.DAY), three), ("0.5 tablet", Frequency(1, Unit.DAY), three)]  # fmt: skip


def test_a_second_amount_of_one_dose_is_not_a_second_phase() -> None:
    assert read("take 3 ml once a day for 10 days 3 ml = 150 mg", Context.SIG).regimen.phases[0].amount == "3 mL"
    assert read("take 3 mL (equivalent to 150 mg) daily for 10 days", Context.SIG).regimen.phases[0].amount == "3 mL"


@given(st.sampled_from(["repeat in", "repeat after", "repeat the dose in", "Repeat the dose after"]),
       st.sampled_from([(12, "12 hours"), (12, "twelve hours"), (8, "8 hrs")]), st.integers(0, 3))  # fmt: skip
def test_a_dose_repeated_once_after_a_gap_is_two_doses(repeat, gap, how) -> None:
    hours, written = gap
    sentence = cased(f"take 4 tablets at the first sign of a cold sore, {repeat} {written}", how)
    (phase,) = read(sentence, Context.SIG).regimen.phases
    assert (phase.amount, phase.doses, phase.interval) == ("4 tablets", 2, Interval(hours, Unit.HOUR))


def test_a_single_dose_that_is_repeated_and_a_course_that_is_repeated_are_refused() -> None:
    assert "read two ways" in read("Take 2 g as a single dose, repeated in 7 days.").reasons[0]
    assert "repeat" in read("Take 1 tablet daily for 7 days. Repeat the course after one month.").reasons[0]


@given(st.sampled_from(["mdd", "max daily dose", "maximum daily dose"]), st.sampled_from(["60 mg", "60 milligram"]),
       st.sampled_from(SIG_BID))  # fmt: skip
def test_a_most_a_day_in_a_unit_is_checked_or_said_never_taken_as_the_dose(most, cap, bid) -> None:
    tablets = read(f"take one tablet po {bid} {most} {cap}", Context.SIG)
    (phase,) = tablets.regimen.phases
    assert (phase.amount, phase.frequency) == ("1 tablet", Frequency(2, Unit.DAY))
    assert any("60 mg" in n and "not checked" in n for n in tablets.notes)
    assert read(f"take 30 mg po {bid} {most} {cap}", Context.SIG).regimen is not None  # 60 mg a day: within
    assert "most a day" in read(f"take 40 mg po {bid} {most} {cap}", Context.SIG).reasons[0]  # 80 mg a day


@given(st.sampled_from(["BID-TID", "bid-tid", "2-3 times a day", "two to three times daily", "2 to 3 times per day"]))
def test_a_range_of_rhythm_codes_is_an_option_per_value(written) -> None:
    reading = read(f"take 1 tab po {written}", Context.SIG)
    assert [o.regimen.phases[0].frequency for o in reading.options] == [Frequency(2, Unit.DAY), Frequency(3, Unit.DAY)]


@given(st.sampled_from(["every 12 hours daily", "q12h daily", "every twelve hours every day", "Q12H DAILY"]))
def test_hours_that_divide_the_day_every_day_are_the_interval(written) -> None:
    (phase,) = read(f"take 1 tablet {written}", Context.SIG).regimen.phases
    assert phase.interval == Interval(12, Unit.HOUR) and phase.frequency is None


@pytest.mark.parametrize("written", ["every 8 hours weekly", "every 7 hours daily", "every 12 hours once daily"])
def test_an_interval_beside_another_rhythm_is_refused(written) -> None:
    assert read(f"take 1 tablet {written}", Context.SIG).regimen is None


@pytest.mark.parametrize("sig", ["1 caps po dailyinstrdo not crush or chew", "1 caps po daily. do not crush or chew",
                                 "1 CAPS PO DAILYINSTRDO NOT CRUSH"])  # fmt: skip
def test_glued_instructions_end_the_sig(sig) -> None:
    (phase,) = read(sig, Context.SIG).regimen.phases
    assert (phase.amount, phase.frequency) == ("1 capsule", Frequency(1, Unit.DAY))


@given(st.sampled_from(["a month", "one month", "1 month", "4 weeks"]), st.booleans())
def test_a_conditional_repeat_is_an_option_never_the_default(gap, condition_first) -> None:
    repeat = (f"If the infection returns, repeat the course once after {gap}." if condition_first
              else f"Repeat the course once after {gap} if the infection returns.")  # fmt: skip
    reading = read(f"Take 1 tablet daily for 7 days. {repeat}")
    assert [o.kind for o in reading.options] == [OptionKind.CHOICE, OptionKind.CONDITIONAL]
    assert reading.options[0].regimen == reading.options[1].regimen and not reading.options[1].default


@given(
    st.sampled_from(["as needed", "prn", "PRN", "when needed", "as required"]), st.sampled_from(["then", "followed by"])
)
def test_as_needed_after_the_course_is_what_follows_it(needed, then) -> None:
    reading = read(f"use 2 puffs twice daily for 4 weeks, {then} {needed} for wheeze", Context.SIG)
    assert reading.regimen.phases[0].duration == Duration(DurationKind.FIXED, Unit.WEEK, 4, 4)
    assert needed in reading.regimen.then
    assert read(f"use 2 puffs twice daily for 4 weeks, {then} 2 puffs {needed}", Context.SIG).regimen is None


@pytest.mark.parametrize("written", ["2 capsules 800 mg", "two caps 800 mg", "2 CAPSULES 800 MG"])
def test_a_count_beside_a_strength_keeps_the_count_it_is_sure_of(written) -> None:
    assert read(f"take {written} by mouth twice daily", Context.SIG).regimen.phases[0].amount == "2 capsules"
    assert read("take two 100 mg tablets twice daily", Context.SIG).regimen.phases[0].amount == "2 tablets of 100 mg"


def test_a_labels_rising_steps_end_with_the_prescribers_reminder_a_taper_does_not() -> None:
    rising = read("5 mg t.i.d. for 3 days, 10 mg t.i.d. for 3 days, 15 mg t.i.d. for 3 days")
    assert len(rising.regimen.phases) == 3 and "prescriber" in rising.regimen.then
    falling = read("Take 40 mg daily for 5 days, then 20 mg daily for 5 days, then stop.")
    assert falling.regimen.then is None
    assert read("take 1 tab daily x 7 days then 2 tabs daily x 7 days", Context.SIG).regimen.then is None


@pytest.mark.parametrize("sentence,reason", [
    ("Take two doses on one day only, 6 to 8 hours apart.", "by the hour"),  # no amount (planned with one:
    # tests/test_issue_13_same_day_doses.py)
    ("Take 2 tablets as needed, no more than 8 tablets in 24 hours.", "at most 8 in a day"),
    ("Take 1 tablet every 4 to 6 hours for 5 days.", "range of intervals"),
])  # fmt: skip
def test_refusals_name_the_real_blocker_not_its_symptom(sentence, reason) -> None:
    reading = read(sentence)
    assert reading.regimen is None and any(reason in r for r in reading.reasons)
    assert "no dosing frequency found" not in reading.reasons


@given(st.sampled_from([("once", None), ("as a single dose", None)]), st.sampled_from(["twice a day", "2 times daily", "BID"]),
       st.sampled_from(["days 3 to 7", "days 3 through 7", "days 3-7"]), st.sampled_from([", ", " and ", ", and "]))  # fmt: skip
def test_steps_listed_by_course_day_are_phases(first, bid, last, joint) -> None:
    sentence = f"Take 300 mg {first[0]} on day 1, 300 mg {bid} on day 2{joint}300 mg three times a day on {last}."
    phases = read(sentence).regimen.phases
    assert [(p.start_day, p.frequency, p.doses) for p in phases] == [
        (1, None, 1), (2, Frequency(2, Unit.DAY), None), (3, Frequency(3, Unit.DAY), None)]  # fmt: skip
    assert phases[2].duration == Duration(DurationKind.FIXED, Unit.DAY, 5, 5)


def test_a_course_said_with_then_and_said_again_is_not_doubled() -> None:
    sig = "take 2 tablets daily for 1 day then 1 tablet daily for 4 days take 2 pills on the first day and 1 pill daily for 4 days"
    assert read(sig, Context.SIG).regimen is None


@pytest.mark.parametrize("joint", [" and ", ", ", " "])
def test_doses_at_two_times_of_day_are_taken_alongside_not_one_after_the_other(joint) -> None:
    reading = read(f"1 tab qAM x 30 days{joint}1 tab qHS x 30 days", Context.SIG)
    assert reading.regimen is None or len(reading.regimen.phases) == 1
    assert read("1 tab po bid x 5 days and 1 tab po daily x 5 days", Context.SIG).regimen is None


@pytest.mark.parametrize("noon", ["noon", "midday", "12:00", "12 pm"])
def test_noon_is_a_clock_time_alone_or_beside_others(noon) -> None:
    assert read(f"take 1 tablet at {noon}", Context.SIG).regimen.phases[0].clock == ("12:00",)
    assert read(f"take 1 tablet twice daily at 8 am and {noon}", Context.SIG).regimen.phases[0].clock == (
        "08:00", "12:00")  # fmt: skip


@pytest.mark.parametrize(
    "written,times", [("at 8 am", 1), ("at 8:00", 1), ("at 8 am and 8 pm", 2), ("at 08:00 and 20:00", 2)]
)
def test_clock_times_alone_on_a_prescription_are_the_doses_of_the_day(written, times) -> None:
    phase = read(f"take 1 tablet {written}", Context.SIG).regimen.phases[0]
    assert phase.frequency == Frequency(times, Unit.DAY) and len(phase.clock) == times
    assert read(f"Take 1 tablet {written}.").regimen is None  # a label: no end stated


@given(st.sampled_from(["", "ondansetron", "ondansetron hydrochloride", "amoxicillin trihydrate oral"]),
       st.sampled_from(["tablet", "capsule"]), st.sampled_from(["8 mg", "250 mg", "0.5 mg"]))  # fmt: skip
def test_the_drugs_name_between_strength_and_form_keeps_one_amount(name: str, form: str, strength: str) -> None:
    text = f"Take one {strength} {name} {form} twice a day for 5 days.".replace("  ", " ")
    phase = read(text).regimen.phases[0]
    assert (phase.amount, phase.frequency) == (strength, Frequency(2, Unit.DAY))


@given(st.sampled_from(["; alternatively, ", ". Alternatively, ", "; or ", ". Or alternatively, ", " or "]),
       st.sampled_from(["take 2 g as a single dose", "2 g as a single dose", "2 g once as a single dose"]))  # fmt: skip
def test_an_alternative_in_its_own_sentence_is_an_option(joint: str, other: str) -> None:
    reading = read(f"Take 500 mg twice a day for 7 days{joint}{other}.")
    assert [(o.regimen.phases[0].amount, o.regimen.phases[0].frequency) for o in reading.options] == [
        ("500 mg", Frequency(2, Unit.DAY)),
        ("2 g", None),
    ]


@given(st.sampled_from(["tablet-free", "pill-free", "treatment-free", "drug-free", "hormone-free"]),
       st.sampled_from(["interval", "period", "week", "break"]), st.sampled_from(["followed by", "then"]))  # fmt: skip
def test_a_rest_named_by_what_is_left_out_is_a_rest(free: str, noun: str, then: str) -> None:
    reading = read(f"Take one tablet daily for 21 days, {then} a 7-day {free} {noun}, for 3 cycles.")
    cycle = reading.regimen.phases[0].cycle
    assert (cycle.on_days, cycle.off_days, cycle.repeats) == (21, 7, 3)


@given(st.sampled_from(["with food", "with meals", "after meals", "after food", "pc", "before meals", "ac", "with a meal"]),
       st.sampled_from(["", " for 10 days"]))  # fmt: skip
def test_a_meal_alone_is_never_once_a_day(meal: str, end: str) -> None:
    """ "Take 1 tablet with food" says how; "after meals" may be each meal: neither says how often."""
    reading = read(f"Take 1 tablet {meal}{end}", Context.SIG)
    assert not reading.options, reading


@given(st.sampled_from([(2, "twice daily"), (2, "bid"), (3, "three times a day"), (3, "tid")]),
       st.sampled_from(["before meals", "ac", "before each meal", "half an hour before meals"]))  # fmt: skip
def test_doses_before_meals_are_the_meals_of_the_day(rhythm, meal) -> None:
    times, words = rhythm
    phase = read(f"Take 1 tablet {words} {meal} for 10 days", Context.SIG).regimen.phases[0]
    assert (phase.frequency, phase.time_of_day) == (Frequency(times, Unit.DAY), "before-meals")
    assert read(f"Take 1 tablet once daily {meal} for 10 days", Context.SIG).regimen is None  # which meal?
