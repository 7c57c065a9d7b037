"""Dotted prescription abbreviations ("b.i.d.", "p.o.", "q.4.h.") read as the same letters
written without dots, in any case, with or without the last dot; their dots never end a
sentence, and a dotted form is never mistaken for an English word ("o.n." is not "on")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.model import Frequency, Interval, Unit
from planner.read.reader import Context, read
from planner.read.tokens import Kind, tokenize

# abbreviation → what a sig with it plans (frequency or interval, time of day)
_RHYTHMS = {
    "bid": (Frequency(2, Unit.DAY), None, None),
    "tid": (Frequency(3, Unit.DAY), None, None),
    "qid": (Frequency(4, Unit.DAY), None, None),
    "qd": (Frequency(1, Unit.DAY), None, None),
    "qod": (None, Interval(2, Unit.DAY), None),
    "qam": (Frequency(1, Unit.DAY), None, "morning"),
    "qhs": (Frequency(1, Unit.DAY), None, "bedtime"),
    "tiw": (Frequency(3, Unit.WEEK), None, None),
    "q4h": (None, Interval(4, Unit.HOUR), None),
    "q8h": (None, Interval(8, Unit.HOUR), None),
    "q3d": (None, Interval(3, Unit.DAY), None),
}


def _dotted(abbr: str, last_dot: bool, upper: bool) -> str:
    text = ".".join(abbr) + ("." if last_dot else "")
    return text.upper() if upper else text


def _phase(text: str):  # type: ignore[no-untyped-def]
    reading = read(text, Context.SIG)
    assert reading.regimen is not None and not reading.reasons, (text, reading.reasons)
    return reading.regimen.phases[0]


@given(
    abbr=st.sampled_from(sorted(_RHYTHMS)),
    last_dot=st.booleans(),
    upper=st.booleans(),
    lead=st.sampled_from(["take 1 tablet", "1 tab p.o.", "Take one tablet by mouth", "1 TAB PO"]),
    end=st.sampled_from(["", " x 10 days", " for 10 days", " for 2 weeks"]),
)
def test_a_dotted_abbreviation_reads_as_the_letters_without_dots(abbr, last_dot, upper, lead, end) -> None:
    plain, dotted = _phase(f"{lead} {abbr}{end}"), _phase(f"{lead} {_dotted(abbr, last_dot, upper)}{end}")
    frequency, interval, time_of_day = _RHYTHMS[abbr]
    assert (dotted.frequency, dotted.interval, dotted.time_of_day) == (frequency, interval, time_of_day)
    assert dotted == plain


@pytest.mark.parametrize("written", ["p.r.n.", "P.R.N.", "p.r.n", "prn"])
def test_as_needed_stays_refused_however_dotted(written: str) -> None:
    reading = read(f"1 tab q.6.h. {written} pain", Context.SIG)
    assert not reading.options and any("as needed" in r for r in reading.reasons)


def test_the_dots_of_p_o_do_not_end_the_sentence() -> None:
    assert _phase("2 tabs p.o. q.d.").frequency == Frequency(1, Unit.DAY)


def test_o_n_is_at_night_not_the_word_on() -> None:
    assert _phase("1 tab o.n.").time_of_day == "bedtime"


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("1.5 tablets", [Kind.NUMBER, Kind.WORD]),  # a decimal is a number, never an abbreviation
        ("e.g. 2 tablets", [Kind.WORD, Kind.NUMBER, Kind.WORD]),
        ("take tab. 2 times", [Kind.WORD, Kind.WORD, Kind.PUNCT, Kind.NUMBER, Kind.WORD]),  # one dot: a full stop
    ],
)
def test_what_is_and_is_not_a_dotted_abbreviation(text: str, kinds: list[Kind]) -> None:
    assert [t.kind for t in tokenize(text)] == kinds
