"""Lengths and rhythms in units the model counts in others (a year is 12 months, a fortnight
2 weeks), and ends a prescription speaks of that the reader cannot count: those are asked
about, never planned as "until the prescriber stops it"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.model import Duration, DurationKind, Interval, Unit
from planner.read.reader import Context, read

_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four"}


def _phase(text: str, context: Context = Context.SIG):  # type: ignore[no-untyped-def]
    reading = read(text, context)
    assert reading.regimen is not None and not reading.reasons, (text, reading.reasons)
    return reading.regimen.phases[0]


@given(
    n=st.integers(1, 4),
    spelled=st.booleans(),
    unit=st.sampled_from(
        [("year", "years", Unit.MONTH, 12), ("yr", "yrs", Unit.MONTH, 12), ("fortnight", "fortnights", Unit.WEEK, 2)]
    ),  # fmt: skip
    lead=st.sampled_from(["Take 1 tablet daily for", "1 tab po qd for", "Take one tablet by mouth once a day for"]),
    context=st.sampled_from(list(Context)),
)
def test_years_and_fortnights_are_counted_in_months_and_weeks(n, spelled, unit, lead, context) -> None:
    one, many, model_unit, factor = unit
    number = _NUMBERS[n] if spelled else str(n)
    phase = _phase(f"{lead} {number} {one if n == 1 else many}", context)
    assert phase.duration == Duration(DurationKind.FIXED, model_unit, n * factor, n * factor)


@pytest.mark.parametrize("text", ["Take 1 tablet daily for a year", "Take 1 tablet daily for 1 year"])
def test_a_year_is_twelve_months(text: str) -> None:
    assert _phase(text).duration == Duration(DurationKind.FIXED, Unit.MONTH, 12, 12)


@pytest.mark.parametrize("rhythm", ["once a year", "yearly", "annually", "once yearly", "every year", "every 1 year"])
def test_once_a_year_is_every_twelve_months(rhythm: str) -> None:
    assert _phase(f"Infuse 5 mg {rhythm}").interval == Interval(12, Unit.MONTH)


@pytest.mark.parametrize(
    "text",
    [
        "Children 2 to 12 years: take 1 tablet daily for 10 days",
        "Patients over 12 years: take 1 tablet daily for 10 days",
        "Adults and children aged 12 years and older: take 1 tablet daily for 10 days",
    ],
)
def test_an_age_in_years_is_not_a_length(text: str) -> None:
    assert _phase(text, Context.MONOGRAPH).duration == Duration(DurationKind.FIXED, Unit.DAY, 10, 10)


@pytest.mark.parametrize(
    "end",
    ["for several weeks", "for a few days", "for a while", "for some time", "until gone", "until finished"],
)
def test_a_prescription_that_speaks_of_an_end_it_does_not_count_is_asked_about(end: str) -> None:
    reading = read(f"Take 1 tablet by mouth daily {end}", Context.SIG)
    assert not reading.options and reading.reasons


@pytest.mark.parametrize("purpose", ["for pain", "for blood pressure", "with food"])
def test_a_prescription_silent_about_its_end_still_goes_on(purpose: str) -> None:
    assert _phase(f"Take 1 tablet by mouth daily {purpose}").duration == Duration(DurationKind.ONGOING)


@pytest.mark.parametrize("life", ["for life", "lifelong", "for the rest of your life"])
def test_for_life_goes_on(life: str) -> None:
    assert _phase(f"Take 1 tablet daily {life}", Context.MONOGRAPH).duration == Duration(DurationKind.ONGOING)


@pytest.mark.parametrize(
    "text",
    [
        "Take 70 mg once a week; reassess after 6 months.",
        "Take 70 mg once a week. Patients should be re-evaluated after 3 to 5 years.",
    ],
)
def test_a_time_after_which_to_check_is_not_the_length(text: str) -> None:
    reading = read(text, Context.MONOGRAPH)
    assert not reading.options and reading.reasons
