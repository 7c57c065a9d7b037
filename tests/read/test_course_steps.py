"""Rewordings found on monographs written by others (tests/data/others_monographs): a taper
written as numbered steps or as sentences that open with "then" reads as the same phases as
one sentence joined by ", then"; "for weeks 1 to 6" counts weeks (never days), "weeks 7 and
8" is a range, and a range of months (no fixed number of days) is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.model import DosingRule, Preferences, RuleSet, SourceRef, Status
from planner.plan.scheduler import plan_course
from planner.read.reader import read

WORDS = {1: "one", 2: "two", 3: "three", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def phases(sentence: str) -> list[tuple[str | None, int | None, str | None, int | None]]:
    reading = read(sentence)
    assert reading.reasons == (), (sentence, reading.reasons)
    out = []
    for p in reading.regimen.phases:
        d = p.duration
        days = None if d is None or d.min is None else d.min * {"day": 1, "week": 7}[d.unit.value]
        out.append((p.amount, days, p.frequency and f"{p.frequency.times}/{p.frequency.per.value}", p.start_day))
    return [(a, days, f, None) for a, days, f, _ in out]


TAPER = [("21 mg", 6), ("14 mg", 2), ("7 mg", 2)]


def _step(k: int, amount: str, weeks: int, first: int, how: int, spelled: bool) -> str:
    n = WORDS[weeks] if spelled else str(weeks)
    last = first + weeks - 1
    body = [
        f"one {amount} patch daily for {n} weeks",
        f"one {amount} patch each day for weeks {first} to {last}",
        f"one {amount} patch once a day for weeks {first} through {last}",
        f"one {amount} patch daily for weeks {first} and {last}"
        if weeks == 2
        else f"one {amount} patch daily for {n} weeks",
    ][how]
    return body


@given(st.integers(0, 3), st.booleans(), st.sampled_from(["steps", "then sentences", "then clauses", "followed by"]))
def test_a_taper_reads_the_same_however_its_steps_are_written(how, spelled, joint) -> None:
    firsts = [1, 7, 9]
    bodies = [_step(k, a, w, f, how, spelled) for k, ((a, w), f) in enumerate(zip(TAPER, firsts, strict=True))]
    if joint == "steps":
        sentence = " ".join(f"Step {k}: {b}." for k, b in enumerate(bodies, 1)) + " Then stop."
    elif joint == "then sentences":
        sentence = f"Apply {bodies[0]}. Then {bodies[1]}. Then {bodies[2]}, then stop."
    elif joint == "then clauses":
        sentence = f"Apply {bodies[0]}, then {bodies[1]}, then {bodies[2]}, then stop."
    else:
        sentence = f"Apply {bodies[0]}, followed by {bodies[1]}, followed by {bodies[2]}."
    assert phases(sentence) == [(a, w * 7, "1/day", None) for a, w in TAPER], sentence


@pytest.mark.parametrize(
    "sentence,days",
    [
        ("Take 1 tablet daily for weeks 1 to 6.", 42),
        ("Take 1 tablet daily for weeks one to six.", 42),
        ("Take 1 tablet daily on days 1 to 6.", 6),
        ("Take 1 tablet daily on days 2 and 3.", 2),
    ],
)
def test_numbered_weeks_count_weeks_and_numbered_days_count_days(sentence, days) -> None:
    reading = read(sentence)
    assert reading.reasons == (), reading.reasons
    (phase,) = reading.regimen.phases
    assert phase.duration.min == days, sentence


@pytest.mark.parametrize(
    "sentence", ["Take 1 tablet daily for months 1 to 3.", "Take 1 tablet daily in months 2 and 3."]
)
def test_numbered_months_are_not_a_number_of_days(sentence) -> None:
    reading = read(sentence)
    assert reading.regimen is None and reading.reasons, sentence


def test_a_then_sentence_without_a_dose_is_what_follows_not_a_phase() -> None:
    reading = read("One 50,000 IU capsule once a week for 8 weeks. After this, a maintenance dose as directed.")
    assert reading.reasons == () and len(reading.regimen.phases) == 1


AWAKE = ["{amt} every {n} hours, {k} a day", "{amt} {k} a day, every {n} hours", "{amt} {k} daily (every {n} hours)",
         "{amt} every {n} hours ({k} a day)", "{amt} by mouth every {n} hours, {k} per day"]  # fmt: skip
TIMES = {3: ["three times", "3 times"], 4: ["four times", "4 times"], 5: ["five times", "5 times"],
         6: ["six times", "6 times"]}  # fmt: skip


@given(st.sampled_from(AWAKE), st.sampled_from([(4, 5), (4, 4), (6, 3), (5, 4)]), st.integers(0, 1),
       st.sampled_from(["for 7 days", "for seven days", "for 7 to 10 days"]))  # fmt: skip
def test_every_n_hours_k_times_a_day_is_k_doses_n_hours_apart(wording, nk, spelled, period) -> None:
    n, k = nk
    sentence = wording.format(amt="800 mg", n=n, k=TIMES[k][spelled]) + f", {period}."
    reading = read(sentence)
    assert reading.reasons == (), (sentence, reading.reasons)
    (phase,) = reading.regimen.phases
    assert (phase.frequency.times, phase.interval, phase.hours_apart) == (k, None, n), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Take 1 tablet every 4 hours, twice a day, for 5 days.",  # 4 h apart, then 20 h: two rhythms
        "Take 1 tablet every 8 hours, four times a day, for 5 days.",  # 32 h: more than a day
        "Take 1 tablet every 3 hours, seven times a day, for 5 days.",  # 18 h of doses: no waking day holds them
        "Take 1 tablet every 4 hours, three times a day, for 5 days.",  # a 16-hour night: two rhythms
    ],
)
def test_hours_and_counts_that_cannot_share_a_waking_day_are_refused(sentence) -> None:
    reading = read(sentence)
    assert reading.regimen is None and reading.reasons, sentence


@pytest.mark.parametrize("n,k", [(4, 5), (4, 4), (6, 3), (5, 4)])
def test_the_days_doses_are_planned_that_many_hours_apart_in_waking_hours(n, k) -> None:
    reading = read(f"Take 800 mg every {n} hours, {k} times a day, for 3 days.")
    rule = DosingRule("x", "X", "adults", Status.OK, reading.regimen, SourceRef("x.md", "D", "adults", "s"))
    schedule = plan_course(RuleSet("Drug", "x.md", "0" * 64, (rule,)), "x", dt.date(2026, 12, 1), Preferences())
    first_day = [d.at for d in schedule.doses if d.at.date() == dt.date(2026, 12, 1)]
    assert len(first_day) == k and len(schedule.doses) == 3 * k
    gaps = {(b - a).total_seconds() / 3600 for a, b in zip(first_day, first_day[1:], strict=False)}
    assert gaps == {n} and 5 <= first_day[0].hour and first_day[-1].hour <= 23


@pytest.mark.parametrize(
    "sentence",
    [
        "Take 2 g as a single dose, or 250 mg three times daily for seven days.",
        "Take 2 g as a single dose; or 250 mg three times daily for seven days.",
        "Take 2 g as a single dose. Or take 250 mg three times daily for 7 days.",
        "Take 2 g as a single dose; alternatively, take 250 mg 3 times a day for 7 days.",
        "Take 2 g once only. Alternatively, 250 mg TID for seven consecutive days.",
    ],
)
def test_an_option_in_a_sentence_of_its_own_is_the_same_option(sentence) -> None:
    reading = read(sentence)
    assert reading.reasons == (), (sentence, reading.reasons)
    got = [[(p.amount, p.doses, p.frequency and p.frequency.times) for p in o.regimen.phases] for o in reading.options]
    assert got == [[("2 g", 1, None)], [("250 mg", None, 3)]], sentence
    assert reading.options[1].regimen.phases[0].duration.min == 7


@pytest.mark.parametrize("awake", ["while awake", "during waking hours", "when awake", "while you are awake"])
def test_while_awake_is_the_waking_day_of_n_hours_apart_or_refused(awake) -> None:
    counted = read(f"800 mg every 4 hours {awake}, five times a day, for 7 days.")
    assert counted.reasons == () and counted.regimen.phases[0].hours_apart == 4, counted.reasons
    for sentence in (f"Take 1 tablet every 4 hours {awake} for 5 days.", f"Take 1 tab PO q4h {awake}."):
        reading = read(sentence)
        assert reading.regimen is None and any("while awake" in r for r in reading.reasons), sentence
