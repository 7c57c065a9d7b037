"""Rewordings found on monographs written by others (tests/data/others_monographs): a duration
with no upper end ("for three months or more", "for more than 3 months") is a least, never the
course, unless a negation makes it a most ("do not use for longer than 16 weeks"); missed-dose
conditions and actions however the next dose's nearness or the product's verb is worded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.model import Duration, DurationKind, MissedKind, MissedWhen, Unit
from planner.read.missed_words import missed_dose
from planner.read.phase import AT_LEAST
from planner.read.reader import read

WORDS = {2: "two", 3: "three", 4: "four", 6: "six", 12: "twelve", 16: "sixteen"}
UNITS = {"day": Unit.DAY, "week": Unit.WEEK, "month": Unit.MONTH}


def n_text(n: int, spelled: bool) -> str:
    return WORDS[n] if spelled and n in WORDS else str(n)


OPEN = ["for {n} {u}s or more", "for {n} {u}s or longer", "for more than {n} {u}s", "for longer than {n} {u}s",
        "for at least {n} {u}s", "for a minimum of {n} {u}s", "for {n} {u}s at least"]  # fmt: skip
RHYTHMS = ["once daily", "1 mg daily", "twice a day", "every 12 hours"]


@given(st.sampled_from(OPEN), st.sampled_from([2, 3, 6, 12]), st.sampled_from(sorted(UNITS)), st.booleans(),
       st.sampled_from(RHYTHMS), st.integers(0, 2))  # fmt: skip
def test_a_duration_with_no_upper_end_is_never_the_course(open_end, n, unit, spelled, rhythm, where) -> None:
    period = open_end.format(n=n_text(n, spelled), u=unit)
    sentence = [
        f"Take 1 mg {rhythm} {period}.",
        f"Take 1 mg {rhythm}. Daily use {period} is generally necessary before benefit is observed.",
        f"{period[0].upper()}{period[1:]}, take 1 mg {rhythm}.",
    ][where]
    reading = read(sentence)
    assert reading.regimen is None and AT_LEAST in reading.reasons, (sentence, reading.reasons)


NEGATED = ["Do not use for longer than {n} weeks.", "Never use it for more than {n} weeks.",
           "Do not use for more than {n} weeks.", "It should not be used for longer than {n} weeks.",
           "Use for no longer than {n} weeks.", "Use for up to {n} weeks."]  # fmt: skip


@given(st.sampled_from(NEGATED), st.sampled_from([4, 12, 16]), st.booleans(),
       st.sampled_from(["Apply three times daily.", "Apply a thin layer twice a day."]))  # fmt: skip
def test_a_comparative_under_a_negation_is_the_most(limit, n, spelled, first) -> None:
    sentence = f"{first} {limit.format(n=n_text(n, spelled))}"
    reading = read(sentence)
    assert reading.reasons == (), (sentence, reading.reasons)
    (phase,) = reading.regimen.phases
    assert phase.duration == Duration(DurationKind.UP_TO, Unit.WEEK, None, n), sentence


NEAR = ["If your next dose is due within {n} hours", "If your next dose is due in less than {n} hours",
        "If the next dose is due in under {n} hours", "If it is less than {n} hours until your next dose",
        "If it is within {n} hours of your next dose", "Unless it is less than {n} hours before your next dose",
        "If your next dose is less than {n} hours away"]  # fmt: skip


@given(st.sampled_from(NEAR), st.sampled_from([2, 4, 6]), st.booleans(),
       st.sampled_from(["skip the missed dose", "skip it", "skip the missed tablet"]))  # fmt: skip
def test_the_next_doses_nearness_however_worded(near, n, spelled, skip) -> None:
    condition = near.format(n=n_text(n, spelled))
    text = (
        f"Take it as soon as you remember. {condition}, {skip} and carry on at the usual times. "
        "Do not take two doses to make up for the one you missed."
    )
    if condition.startswith("Unless"):
        text = f"Take it as soon as you remember, {condition[0].lower()}{condition[1:]}."
    policy = missed_dose(text)
    assert policy is not None and policy.unplaced == (), (text, policy and policy.unplaced)
    skips = [c for c in policy.clauses if c.kind is MissedKind.SKIP]
    assert [(c.when, c.hours) for c in skips] == [(MissedWhen.NEXT_WITHIN, n)], text


@pytest.mark.parametrize(
    "text",
    [
        "If you forget to put on a new patch, put one on as soon as you remember and then carry on at your "
        "usual time the next day. Never wear two patches at once.",
        "If you forget to change your patch, change it as soon as you remember, then go back to your usual "
        "schedule. Do not wear two patches at the same time.",
        "If you forget to apply a patch, apply it as soon as you remember and carry on as usual.",
    ],
)
def test_a_patch_is_put_on_when_remembered(text) -> None:
    policy = missed_dose(text)
    assert policy is not None and policy.unplaced == (), policy and policy.unplaced
    assert {c.kind for c in policy.clauses} >= {MissedKind.TAKE, MissedKind.RESUME}


@pytest.mark.parametrize(
    "second",
    [
        "If the headache comes back, or only partly improves, a second dose may be taken at least 2 hours after the first.",
        "If the migraine returns, another dose may be taken after two hours.",
        "A second dose may be taken 2 hours later if the pain returns.",
        "If symptoms come back, an additional tablet can be taken at least 4 hours after the first.",
    ],
)
@pytest.mark.parametrize(
    "first", ["50 mg or 100 mg as a single dose at the onset.", "Take 100 mg as soon as it starts."]
)
def test_a_second_dose_hours_later_when_symptoms_return_is_as_needed(first, second) -> None:
    reading = read(f"{first} {second}")
    assert reading.regimen is None and reading.options == (), reading.options
    assert any("as needed" in r for r in reading.reasons), reading.reasons
