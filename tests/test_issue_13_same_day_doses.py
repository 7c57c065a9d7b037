"""Issue 13: several doses of one day by the hour ("2 tablets at once, then 1 more tablet 2 hours
later", "two doses on one day only, 6 to 8 hours apart", "a single dose, repeated after 12
hours") were sent to review ("no dosing frequency found"). They are read into
``Phase.offsets_hours`` and planned as elapsed hours from the course's first dose, in UTC, so a
clock change between two doses keeps them exactly the label's hours apart."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.clock import UTC
from planner.errors import RuleError
from planner.model import DosingRule, Phase, Preferences, Regimen, RuleSet, SourceRef, Status
from planner.plan.scheduler import build_schedule
from planner.read.reader import read
from planner.read.rules import ruleset_from_data
from planner.read.schema import to_data
from planner.words.regimen import describe_regimen
from planner.write.fhir import to_fhir


def _hours(text: str) -> list[list[tuple[str | None, tuple[float, ...] | None]]]:
    reading = read(text)
    assert not reading.reasons, reading.reasons
    return [[(p.amount, p.offsets_hours) for p in o.regimen.phases] for o in reading.options]


@given(st.sampled_from(["2", "two"]), st.sampled_from(["at once", "immediately", "as a single dose"]),
       st.sampled_from(["1 more tablet", "one more tablet", "1 tablet"]))  # fmt: skip
def test_then_hours_later(two: str, once: str, more: str) -> None:
    text = f"Take {two} tablets {once}, then {more} {two} hours later."
    assert _hours(text) == [[("2 tablets", (0.0,)), ("1 tablet", (2.0,))]]


@given(
    st.sampled_from(["twice", "two doses", "2 doses"]),
    st.sampled_from(["on one day only", "on one day", "on a single day"]),
)
def test_two_doses_on_one_day_a_range_of_hours_is_an_option_each(twice: str, day: str) -> None:
    text = (
        f"Take 200 mg {twice} {day}, 6 to 8 hours apart."
        if twice == "twice"
        else f"Take {twice} of 200 mg {day}, 6 to 8 hours apart."
    )
    assert _hours(text) == [[("200 mg", (0.0, float(h)))] for h in (6, 7, 8)]
    assert not any(
        o.default for o in read(text).options
    )  # the first listed is planned with a note, as "3-4 times a day"


@given(st.sampled_from(["12", "twelve"]))
def test_a_single_dose_repeated_after_hours(twelve: str) -> None:
    assert _hours(f"Take 150 mg as a single dose, repeated after {twelve} hours.") == [[("150 mg", (0.0, 12.0))]]


@pytest.mark.parametrize(
    "text",
    [
        "Take 200 mg as two doses on one day only, 6 to 8 hours apart.",  # 200 mg in all, or each?
        "Take 2 grams twice daily for 1 day, with the two doses taken about 12 hours apart.",  # a rhythm: unchanged
    ],
)
def test_not_taken_by_the_hour(text: str) -> None:
    assert all(p.offsets_hours is None for o in read(text).options for p in o.regimen.phases)


def _plan(text: str, tz: str, start: dt.date, at: dt.time):
    rule = DosingRule("x", "x", "adults", Status.OK, read(text).regimen, SourceRef("x", "s", "adults", text))
    return build_schedule(rule, start, Preferences(timezone=tz, times=(at,)))


@pytest.mark.parametrize("start", [dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2026, 6, 1)])
def test_elapsed_hours_across_a_clock_change(zone_name: str, start: dt.date) -> None:
    schedule = _plan("Take 150 mg as a single dose, repeated after 12 hours.", zone_name, start, dt.time(1, 30))
    first, second = (d.at.astimezone(UTC) for d in schedule.doses)
    assert second - first == dt.timedelta(hours=12) and len(schedule.doses) == 2
    schedule = _plan("Take 2 tablets at once, then 1 more tablet 2 hours later.", zone_name, start, dt.time(1, 30))
    assert [d.amount for d in schedule.doses] == ["2 tablets", "1 tablet"]
    first, second = (d.at.astimezone(UTC) for d in schedule.doses)  # one zone's datetimes subtract wall time
    assert second - first == dt.timedelta(hours=2)


def test_words_rules_and_fhir() -> None:
    regimen = read("Take 2 tablets at once, then 1 more tablet 2 hours later.").regimen
    assert (
        describe_regimen(regimen) == "2 tablets, a single dose; then 1 tablet, a single dose, 2 hours after the first"
    )
    rule = DosingRule("x", "x", "adults", Status.OK, regimen, SourceRef("x", "s", "adults", "s"))
    data = to_data(RuleSet("X", "x.md", "0", (rule,)))
    assert ruleset_from_data(data).rules[0].regimen == regimen  # the YAML keeps it
    data["indications"][0]["regimen"]["phases"][1]["offsets_hours"] = [2.0, 1.0]
    with pytest.raises(RuleError, match="increasing"):
        ruleset_from_data(data)
    schedule = build_schedule(rule, dt.date(2026, 12, 1), Preferences())
    with pytest.raises(Exception, match="offset|hour|map"):  # no FHIR timing says it exactly: refused, not bent
        to_fhir(schedule)


def test_a_phase_by_the_hour_needs_a_dose_per_offset() -> None:
    bad = Regimen((Phase(amount="1 tablet", doses=1, offsets_hours=(0.0, 6.0)),))
    rule = DosingRule("x", "x", "adults", Status.OK, bad, SourceRef("x", "s", "adults", "s"))
    with pytest.raises(RuleError, match="one per offset"):
        ruleset_from_data(to_data(RuleSet("X", "x.md", "0", (rule,))))
