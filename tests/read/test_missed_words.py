"""The missed-dose answer read into a policy: each instruction a clause with its condition, the
sentences it cannot place refused (never guessed), and answers that differ by form split by form."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.model import (
    AdviceKind,
    DosingRule,
    Duration,
    DurationKind,
    Frequency,
    Interval,
    MissedClause,
    MissedKind,
    MissedWhen,
    Phase,
    Preferences,
    Regimen,
    RuleSet,
    SourceRef,
    Status,
    Unit,
)
from planner.plan.missed import missed_dose_advice
from planner.plan.scheduler import plan_course
from planner.read.missed_words import missed_dose, missed_dose_for
from planner.words.missed import answer_lines, missed_rule_summary

K, W = MissedKind, MissedWhen


def clauses(text: str) -> set[tuple[MissedKind, MissedWhen, int | None, bool]]:
    policy = missed_dose(text)
    assert policy is not None and policy.unplaced == (), policy
    return {(c.kind, c.when, c.hours, c.by_date) for c in policy.clauses}


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Use it as soon as you can, unless it is nearly time for the next dose.",
            {(K.TAKE, W.ALWAYS, None, False), (K.SKIP, W.NEXT_WITHIN, None, False)},
        ),
        (
            "Take it as soon as you remember unless it is within 12 hours of your next dose.",
            {(K.TAKE, W.ALWAYS, None, False), (K.SKIP, W.NEXT_WITHIN, 12, False)},
        ),
        (
            "If your next dose is more than 5 days away, take one tablet on the morning after you remember.",
            {(K.NEXT_MORNING, W.NEXT_BEYOND, 120, True)},
        ),
        (
            "If it is 3 days away or less, skip it and wait for your next scheduled dose.",
            {(K.SKIP, W.NEXT_WITHIN, 72, True), (K.RESUME, W.ALWAYS, None, False)},
        ),
        (
            "If you remember within 24 hours after the missed dose, take the missed dose.",
            {(K.TAKE, W.LATE_WITHIN, 24, False)},
        ),
        (
            "If it is more than 3 days late, skip it and call your doctor.",
            {(K.SKIP, W.LATE_BEYOND, 72, True), (K.CONTACT, W.LATE_BEYOND, 72, True)},
        ),
        (
            "Apply it when you remember on that same day. Never apply it twice in one day.",
            {
                (K.TAKE, W.ALWAYS, None, False),
                (K.SAME_DAY_ONLY, W.ALWAYS, None, False),
                (K.ONE_PER_DAY, W.ALWAYS, None, False),
            },
        ),
        ("Do not take two doses within 12 hours.", {(K.MIN_HOURS, W.ALWAYS, 12, False)}),
        ("Never take two capsules within the same week.", {(K.MIN_HOURS, W.ALWAYS, 168, True)}),
        (
            "Do not take the missed dose, and do not double your next dose.",
            {(K.SKIP, W.ALWAYS, None, False), (K.NO_DOUBLE, W.ALWAYS, None, False)},
        ),
        (
            "Take it as soon as you remember, and finish the full course.",
            {(K.TAKE, W.ALWAYS, None, False), (K.FINISH, W.ALWAYS, None, False)},
        ),
        ("If you only remember the next day, skip the missed dose.", {(K.SKIP, W.LATER_DAY, None, False)}),
    ],
)
def test_the_language_of_missed_dose_answers(text, expected) -> None:
    assert clauses(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "If you vomit after taking your dose, do not take another dose that day.",
        "Take it with a full glass of water.",
        "If you are travelling across time zones, keep to your home time.",
    ],
)
def test_a_sentence_it_cannot_place_is_kept_and_refused(text) -> None:
    policy = missed_dose("Take the missed dose as soon as you remember. " + text)
    assert policy is not None and policy.unplaced == (text,)
    assert "not read, ask" in missed_rule_summary(policy)


def test_every_instruction_keeps_its_sentence() -> None:
    text = "Skip the missed dose. Do not take two doses on the same day."
    policy = missed_dose(text)
    assert [(c.kind, c.sentence) for c in policy.clauses] == [
        (K.SKIP, "Skip the missed dose."),
        (K.ONE_PER_DAY, "Do not take two doses on the same day."),
    ]


FORMS = (
    "For the weekly tablet, take it on the morning after you remember; never take two tablets on the same day. "
    "For the monthly tablet, if your next scheduled dose is more than 7 days away, take it on the morning after "
    "you remember; if it is 7 days away or less, skip it. Do not take two tablets within 7 days. "
    "If you miss a daily 5 mg tablet, do not take it later that day."
)


def regimen(frequency: Frequency | None = None, interval: Interval | None = None) -> Regimen:
    return Regimen((Phase("x", frequency, interval, duration=Duration(DurationKind.ONGOING)),))


def test_each_form_keeps_its_own_policy() -> None:
    weekly = missed_dose(missed_dose_for(regimen(Frequency(1, Unit.WEEK)), FORMS))
    monthly = missed_dose(missed_dose_for(regimen(Frequency(1, Unit.MONTH)), FORMS))
    daily = missed_dose(missed_dose_for(regimen(Frequency(1, Unit.DAY)), FORMS))
    assert {c.kind for c in weekly.clauses} == {K.NEXT_MORNING, K.ONE_PER_DAY}
    assert {(c.kind, c.when) for c in monthly.clauses} == {
        (K.NEXT_MORNING, W.NEXT_BEYOND),
        (K.SKIP, W.NEXT_WITHIN),
        (K.MIN_HOURS, W.ALWAYS),
    }
    assert [(c.kind, c.when) for c in daily.clauses] == [(K.SKIP, W.ALWAYS)]
    assert missed_dose_for(regimen(interval=Interval(1, Unit.WEEK)), FORMS) == missed_dose_for(
        regimen(Frequency(1, Unit.WEEK)), FORMS
    )


def test_a_refused_answer_asks_and_shows_the_sentence() -> None:
    text = "Take the missed dose as soon as you remember. If you vomit after a dose, take another one."
    rule = DosingRule(
        "x", "X", "adults", Status.OK, regimen(Frequency(1, Unit.DAY)), SourceRef("x.md", "D", "adults", "s")
    )
    rs = RuleSet("Drug", "x.md", "0" * 64, (rule,), missed_dose=missed_dose(text))
    schedule = plan_course(rs, "x", dt.date(2026, 12, 1), Preferences(until=dt.date(2027, 1, 1)))
    advice = missed_dose_advice(schedule, 2, dt.datetime(2026, 12, 2, 12, 0))
    assert advice.kind is AdviceKind.ASK and advice.take_at is None
    assert advice.source_text == "If you vomit after a dose, take another one."
    assert advice.action.startswith("Do not take it yet") and "prescriber" in advice.guidance
    lines = answer_lines(advice)
    assert lines[0] == advice.action and lines[1] == "Next dose: Thu 03 Dec 2026 at 09:00"
    assert lines[2].startswith("Why: the planner cannot apply the label's words")
    no_rule = missed_dose_advice(replace(schedule, missed_dose=None), 2, dt.datetime(2026, 12, 2, 12, 0))
    assert no_rule.kind is AdviceKind.ASK and no_rule.why == "the label gives no missed-dose rule"


def test_clauses_are_plain_data_for_the_rule_files() -> None:
    from planner.read.rules import dump_rules, load_rules

    policy = missed_dose("Skip it if it is almost time for your next dose. Never take two tablets within 7 days.")
    rule = DosingRule(
        "x", "X", "adults", Status.OK, regimen(Frequency(1, Unit.WEEK)), SourceRef("x.md", "D", "adults", "s")
    )
    rs = RuleSet("Drug", "x.md", "0" * 64, (rule,), missed_dose=policy)
    assert load_rules(dump_rules(rs)).missed_dose == policy
    assert (
        MissedClause(K.MIN_HOURS, hours=168, by_date=True, sentence="Never take two tablets within 7 days.")
        in policy.clauses
    )


def test_forgetting_is_missing_and_never_skipping_is_not_a_skip() -> None:
    assert clauses("If you forget to take a dose, take it as soon as you remember.") == {
        (K.TAKE, W.ALWAYS, None, False)
    }
    policy = missed_dose("Take it as soon as possible. Do not skip it if you remember the same day.")
    assert policy.unplaced == ("Do not skip it if you remember the same day.",)
    assert not policy.has(K.SKIP)


WORDS = st.sampled_from(
    "take apply skip it the missed dose tablet if unless within more than 2 7 12 hours days away next "
    "almost time same day morning after you remember never two on in one week do not double contact "
    "your prescriber. ; , then return to usual schedule late".split()
)


@given(st.lists(WORDS, max_size=40).map(" ".join) | st.text(max_size=200))
def test_any_answer_is_read_or_refused_never_crashes(text) -> None:
    policy = missed_dose(text)
    if policy is None:
        assert not text
        return
    placed = {c.sentence for c in policy.clauses}
    assert not placed & set(policy.unplaced), "a sentence is either placed or refused, not both"
    for clause in policy.clauses:
        assert clause.hours is None or clause.hours >= 0
