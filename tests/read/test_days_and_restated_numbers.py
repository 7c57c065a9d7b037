"""Days of the week however a prescription writes them ("mwf", "Mon-Fri", "weekdays",
"except Sundays"), and a number restated in brackets ("three (3) times daily")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.model import Frequency, Unit
from planner.read.reader import Context, read

MON_WED_FRI = (0, 2, 4)
WEEKDAYS = (0, 1, 2, 3, 4)


def _phase(text: str):  # type: ignore[no-untyped-def]
    reading = read(text, Context.SIG)
    assert reading.regimen is not None and not reading.reasons, (text, reading.reasons)
    return reading.regimen.phases[0]


@pytest.mark.parametrize(
    "days, expected",
    [
        ("mwf", MON_WED_FRI), ("MWF", MON_WED_FRI), ("m-w-f", MON_WED_FRI), ("on Monday, Wednesday and Friday", MON_WED_FRI),
        ("tth", (1, 3)), ("tu/th", (1, 3)), ("on Tuesdays and Thursdays", (1, 3)),
        ("on weekdays", WEEKDAYS), ("Monday through Friday", WEEKDAYS), ("Mon-Fri", WEEKDAYS),
        ("Monday to Friday", WEEKDAYS), ("on weekends", (5, 6)), ("Friday to Monday", (0, 4, 5, 6)),
        ("daily except Sundays", (0, 1, 2, 3, 4, 5)), ("daily except on weekends", WEEKDAYS),
        ("daily except Saturday and Sunday", WEEKDAYS),
    ],
)  # fmt: skip
def test_the_days_a_prescription_names_are_planned_exactly(days: str, expected: tuple[int, ...]) -> None:
    phase = _phase(f"take 1 tablet by mouth {days}")
    assert phase.weekdays == expected and phase.frequency == Frequency(len(expected), Unit.WEEK)


@pytest.mark.parametrize("text", ["take 1 tablet daily except when fasting", "take 1 tablet daily except Mon-Fri"])
def test_an_exception_that_names_no_days_it_can_read_is_refused(text: str) -> None:
    assert read(text, Context.SIG).reasons


_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 7: "seven", 10: "ten", 12: "twelve"}


@given(
    amount=st.sampled_from([1, 2]),
    times=st.sampled_from([2, 3, 4]),
    days=st.sampled_from([7, 10]),
    bracketed=st.tuples(st.booleans(), st.booleans(), st.booleans()),
)
def test_a_number_restated_in_brackets_reads_as_the_number(amount, times, days, bracketed) -> None:
    def said(n: int, twice: bool) -> str:
        return f"{_WORDS[n]} ({n})" if twice else str(n)

    plain = _phase(f"take {amount} tablet by mouth {times} times daily for {days} days")
    restated = _phase(
        f"take {said(amount, bracketed[0])} tablet by mouth {said(times, bracketed[1])} times daily "
        f"for {said(days, bracketed[2])} days"
    )
    assert restated == plain


@pytest.mark.parametrize("text", ["take two (3) tablets daily", "take 2 (three) tablets daily"])
def test_a_bracketed_number_that_disagrees_is_refused(text: str) -> None:
    reading = read(text, Context.SIG)
    assert not reading.options and reading.reasons
