"""Issue 13: "Repeat the course once after a month if the infection returns" sent the whole
indication to review ("a second sentence gives a different rhythm"). The course is now planned
by default and the repeat is an option of its own (``OptionKind.CONDITIONAL``, the course again,
planned from the day the user starts it): never in the default plan, planned only with
``--option N``, and the default plan says so."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.model import (
    DosingRule,
    Interval,
    OptionKind,
    Preferences,
    RuleSet,
    SourceRef,
    Status,
)
from planner.plan.scheduler import plan_course
from planner.read.reader import read

COURSE = "Take 150 mg as a single dose."


def _kinds(text: str) -> list[tuple[OptionKind, Interval | None, int | None]]:
    reading = read(text)
    assert not reading.reasons, reading.reasons
    return [(o.kind, o.regimen.phases[0].interval, o.regimen.phases[0].doses) for o in reading.options]


@given(
    st.sampled_from(["Repeat the course", "Repeat the dose", "The dose may be repeated"]),
    st.sampled_from(["after a month", "after one month", "after 1 month", "1 month later"]),
    st.sampled_from(["if the infection returns", "if symptoms return", "if the infection comes back"]),
    st.booleans(),
)
def test_rewordings_read_the_same(repeat: str, gap: str, condition: str, condition_first: bool) -> None:
    second = (
        f"{condition[0].upper()}{condition[1:]}, {repeat.lower()} once {gap}."
        if condition_first
        else f"{repeat} once {gap} {condition}."
    )
    assert _kinds(f"{COURSE} {second}") == [(OptionKind.CHOICE, None, 1), (OptionKind.CONDITIONAL, None, 1)]


def test_the_repeat_is_the_course_again() -> None:
    text = "Take 500 mg twice daily for 7 days. Repeat the course once if the infection returns."
    options = read(text).options
    assert [o.kind for o in options] == [OptionKind.CHOICE, OptionKind.CONDITIONAL]
    assert options[0].regimen == options[1].regimen and options[0].default and not options[1].default


def _ruleset(text: str) -> RuleSet:
    reading = read(text)
    rule = DosingRule("x", "x", "adults", Status.OK, reading.regimen, SourceRef("x", "s", "adults", text),
                      options=reading.options)  # fmt: skip
    return RuleSet("X", "x.md", "0", (rule,))


def test_the_default_plan_leaves_the_repeat_out_and_option_2_plans_it() -> None:
    ruleset = _ruleset(f"{COURSE} Repeat the course once after a month if the infection returns.")
    start = dt.date(2026, 12, 1)
    default = plan_course(ruleset, "x", start, Preferences())
    assert len(default.doses) == 1 and any("--option 2 plans it" in n for n in default.notes)
    repeat = plan_course(ruleset, "x", dt.date(2027, 1, 5), Preferences(), option=2)  # the day it returned
    assert [d.at.date() for d in repeat.doses] == [dt.date(2027, 1, 5)] and any(
        "is this plan" in n for n in repeat.notes
    )
