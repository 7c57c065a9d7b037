"""Dosing language, doses of one day by the hour: "2 tablets at once, then 1 more tablet 2 hours
later", "two doses on one day only, 6 to 8 hours apart", "a single dose, repeated after 12 hours".

Each is a few single doses at stated hours from the course's first dose (``Phase.offsets_hours``,
elapsed time: planned in UTC and shown in the patient's zone). ``find`` rewrites the hours'
words as a plain single dose ("stat", blank-padded so every span stays where it was), the
reader reads the amounts as usual, and ``offer`` puts the hours back. A range of hours ("6 to 8
hours apart") is an option per value, as a range of rhythms is; never its longest or shortest
on the planner's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING

from ..model import Option, Phase
from .tokens import Kind, Token, tokenize

if TYPE_CHECKING:
    from .reader import Reading

_HOURS = {"hour", "hours", "hr", "hrs", "h"}
_ONE_DAY = ({"on", "in"}, {"one", "a", "1", "the", "same", "single"}, {"day"})
_TWO = {"two", "2", "twice"}
MAX_OFFSET_HOURS = 48  # the doses of one "day by the hour" course lie within two days of the first


@dataclass(frozen=True)
class SameDay:
    """The hours a text states between single doses, and the text the reader reads for the rest."""

    rest: str
    later: tuple[Fraction, ...]  # "then … 2 hours later": per "then" clause, hours after the dose before
    apart: tuple[Fraction, ...]  # "two doses on one day, 6 to 8 hours apart" / "repeated after 12 hours": a value each


def _number(t: Token) -> Fraction | None:
    return t.value if t.kind is Kind.NUMBER and t.value is not None and t.value > 0 else None


def _hours_before(tokens: list[Token], k: int) -> tuple[int, tuple[Fraction, ...]] | None:
    """ "2 hours" / "6 to 8 hours" ending at token ``k`` (the unit): (first index, values)."""
    n = _number(tokens[k - 1]) if k >= 1 else None
    if n is None:
        return None
    if k >= 3 and tokens[k - 2].norm in ("to", "-", "or") and (low := _number(tokens[k - 3])) is not None:
        if low.denominator != 1 or n.denominator != 1 or not low < n:
            return None
        return k - 3, tuple(Fraction(v) for v in range(int(low), int(n) + 1))
    return k - 1, (n,)


def _day_span(norms: list[str]) -> tuple[int, int] | None:
    """ "on one day (only)", "in one day", "on a single day", "on the same day": (first, end) indexes."""
    for k, word in enumerate(norms):
        if word not in _ONE_DAY[0]:
            continue
        m = k + 1
        while m < len(norms) and m <= k + 2 and norms[m] in _ONE_DAY[1]:
            m += 1
        if m > k + 1 and m < len(norms) and norms[m] in _ONE_DAY[2]:
            return k, m + 2 if m + 1 < len(norms) and norms[m + 1] == "only" else m + 1
    return None


def _one_day(norms: list[str]) -> bool:
    return _day_span(norms) is not None


def _may_say_hours(text: str) -> bool:
    """Most dosing texts say no hours between doses: no need to tokenize them."""
    low = text.lower()
    return "h" in low and any(word in low for word in ("later", "apart", "repeat"))


def find(text: str) -> SameDay | None:
    """The doses by the hour a text states, or None."""
    if not _may_say_hours(text):
        return None
    tokens = list(tokenize(text))
    norms = [t.norm for t in tokens]
    chars = list(text)
    later: list[Fraction] = []
    apart: tuple[Fraction, ...] = ()

    def put(a: int, b: int, keep: str = "") -> None:
        chars[a:b] = list(keep.ljust(b - a))

    for k, word in enumerate(norms):
        if word not in _HOURS:
            continue
        found = _hours_before(tokens, k)
        after = norms[k + 1] if k + 1 < len(norms) else ""
        cue = norms[found[0] - 1] if found and found[0] else ""
        if found is None:
            continue
        first, values = found
        if after == "later" and "then" in norms[:first] and not apart:  # "then 1 more tablet 2 hours later"
            if len(values) > 1:
                return None
            later.append(values[0])
            put(tokens[first].start, tokens[k + 1].end, "stat")
        elif after == "apart" and _one_day(norms) and any(_counts_two(norms, j) for j in range(first)) and not later:
            apart = values  # "two doses on one day only, 6 to 8 hours apart"
            put(tokens[first].start, tokens[k + 1].end)
        elif cue == "after" and first >= 2 and norms[first - 2] in ("repeated", "repeat") and not later:
            apart = values  # "a single dose, repeated after 12 hours"
            put(tokens[first - 2].start, tokens[k].end)
        else:
            return None
    if not later and not apart:
        return None
    if apart and not later and _one_day(norms) and not _one_dose_of_two(tokens, norms, put):
        return None
    return SameDay("".join(chars), tuple(later), apart)


def _one_dose_of_two(tokens: list[Token], norms: list[str], put: Callable[[int, int, str], None]) -> bool:
    """ "two doses" / "twice" written as one single dose (put at its hours), "on one day" blanked;
    False for "200 mg as two doses" (200 mg in all, or each?)."""
    count = next((k for k, n in enumerate(norms) if _counts_two(norms, k)), None)
    if count is None or count and norms[count - 1] in ("as", "in", "into"):
        return False
    end = tokens[count + 1].end if norms[count] != "twice" else tokens[count].end
    put(tokens[count].start, end, "stat")
    day = _day_span(norms)
    assert day is not None
    put(tokens[day[0]].start, tokens[day[1] - 1].end, "")
    return True


def _counts_two(norms: list[str], k: int) -> bool:
    """ "twice", "two doses", "2 doses" at ``k``."""
    return norms[k] == "twice" or norms[k] in _TWO and k + 1 < len(norms) and norms[k + 1] in ("doses", "dose")


def _single(phase: Phase) -> bool:
    return phase.doses == 1 and phase.frequency is None and phase.interval is None and phase.cycle is None


def offer(reading: Reading, hours: SameDay) -> Reading | None:
    """The reading with its doses put at their hours, or None where the rest is not single doses."""
    if reading.reasons or len(reading.options) != 1:
        return None
    regimen = reading.options[0].regimen
    if not all(_single(p) and p.amount for p in regimen.phases) or regimen.then is not None:
        return None
    if hours.later:
        if len(regimen.phases) != len(hours.later) + 1:
            return None
        at, phases = Fraction(0), [replace(regimen.phases[0], offsets_hours=(0.0,))]
        for phase, gap in zip(regimen.phases[1:], hours.later, strict=True):
            at += gap
            phases.append(replace(phase, offsets_hours=(float(at),)))
        if at > MAX_OFFSET_HOURS:
            return None
        return replace(reading, options=(replace(reading.options[0], regimen=replace(regimen, phases=tuple(phases))),))
    if len(regimen.phases) != 1 or len(hours.apart) > 3 or max(hours.apart) > MAX_OFFSET_HOURS:
        return None
    options = tuple(
        Option(replace(regimen, phases=(replace(regimen.phases[0], doses=2, offsets_hours=(0.0, float(h))),)))
        for h in hours.apart
    )
    if len(options) == 1:
        options = (replace(options[0], default=True),)
    return replace(reading, options=options)
