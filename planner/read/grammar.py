"""Dosing language, step 3: tagged items of one clause → typed facts (amount, rhythm, duration …).

The grammar is a list of productions over the items' one-letter tag codes (``lexicon.Tag``):
each production is a regular expression over the code string of a clause, and a function
that turns the items it covers into a ``Fact``. Productions run longest first and every item
is used by at most one of them, so "every 2 weeks" is an interval and never also a duration.
Because the productions see tags, not words, "twice daily", "2 times a day", "two times per
day" and "BID" are one production's input.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import builders as b
from .facts import DAYS_IN, Fact, FactKind, amount
from .lexicon import Tag
from .tagger import Item

__all__ = ["DAYS_IN", "Fact", "FactKind", "Parsed", "parse"]


# Productions: (name, pattern over tag codes, builder). Codes: see lexicon.Tag.
_PRODUCTIONS: tuple[tuple[str, str, Callable[[Sequence[Item]], Fact]], ...] = (
    ("days of cycle", r"n?w?T N - N (?:w|,)*E? N - T c", b.days_of_cycle),
    ("cycle count", r"[DZ]+L?N (?:N - T)?(?:w|d)*c", b.cycle_count),
    ("repeat count", r"R (?:w )?(?:N - T )?c? L? N X", b.repeat_count),
    ("rest", r"N - T (?:w)?r|N T (?:w)?r|r (?:w )?D N C?T|r N C?T", b.rest),
    ("start window", r"y N T", b.fact(FactKind.START_WINDOW, True)),
    ("short interval", r"E N μ", b.fact(FactKind.SHORT_INTERVAL, None)),
    ("short span", r"[KLD]*N (?:- N )?μ", b.fact(FactKind.SHORT_SPAN, True)),
    ("repeat after", r"(?<!D)R (?:[wqd] )*N T", b.repeat_after),  # not "for a further 4 weeks"
    ("equivalence", r"N (?:U|F) \(? = N U \)?", b.equivalent),
    ("cycle length", r"N - T (?:w|d)?c", b.cycle_length),
    ("bare count", r"(?<!L)N (?:[-V] N )?d?(?=[wan]*[ASEO1]|[MJ]|N[XD]|N[-V]N[XD]|-(?:w)+[ASEO])", b.bare_count),
    ("frequency range", r"N [-V] N [XD] (?:[PE] T|A|Q)|O [-V] [NO] [XD]? (?:[PE] T|A|Q)", b.times_range),
    ("interval range", r"E N - N T", b.every_range),
    ("spacing", r"K?N (?:- N )?T t|K N T t", b.spacing),
    ("hours later", r"N T t", b.hours_later),
    ("relative", r"N T q", b.fact(FactKind.RELATIVE, True)),
    # "reassess after 6 months"; a clause opening "After one week at the starting dose, …" is a step's length
    ("after span", r"(?<=.)q N (?:[-V] N )?T", b.fact(FactKind.AFTER_SPAN, True)),
    ("most times", r"L (?:N [XD]|O) (?:[PE] T|A)", b.fact(FactKind.MOST_TIMES, True)),
    ("every daily", r"E N T A", b.every_daily),
    ("code range", r"S - S", b.code_range),
    ("days a week", r"N T (?:[PE] T|A)", b.days_a_week),
    ("times per", r"N [XD] (?:[PE] T|A|Q)|N Q|O [XD]? (?:[PE] T|A|Q)", b.times_per),
    ("one period", r"D A", b.one_period),
    ("times adverb", r"O A|A", b.adverb),
    ("rhythm code", r"S", b.sig),
    ("every", r"E (?:N |Y )?T", b.every),
    ("doses", r"D (?:w )?Z?N (?:w )?d|Z N (?:w )?d|N (?:w )?d (?:w )?Z", b.doses),
    ("stated count", r"N d", b.stated_count),
    ("dispensed", r"Ω N", b.dispensed),
    ("x one period", r"1 C?T", b.x_one_period),
    ("single", r"1", b.single),
    ("day list", r"T N (?:, N)+ (?:,)?& N(?![UF])|T N & N(?![UF])", b.day_list),
    (
        "duration",
        r"(?:D|G)?[ZKL]*D[ZKL]*(?:R )?(?:n )?N (?:- N )?C?T C?K?|[ZKL]+(?:n )?N (?:- N )?C?T C?K?"
        r"|n N C T|N - T (?:w )?d",
        b.duration,
    ),
    ("day range", r"n?(?:w )?T N (?:- N)?|n (?:w )?o T", b.day_range),
    ("bare duration", r"N (?:- N )?C?T K?", b.bare_duration),
    ("weekday range", r"W - W", b.weekday_range),
    ("weekdays", r"W(?:[,&]*W)*", b.weekdays),
    ("daily most dose", r"@ N U", b.daily_amount_max),
    ("daily cap", r"L N (?:F|d)? (?:Q|A)|L N (?=[^UFTXNDd]|$)|@ N (?:F|d)?", b.daily_cap),
    ("form cap", r"L N F", b.fact(FactKind.AMOUNT_CAP, None)),
    ("amount cap", r"L N U", b.fact(FactKind.AMOUNT_CAP, "unit")),
    ("clock", r"J B?|N B", b.clock),
    ("ranged strength", r"N [-V] N F (?:w )?N [-V] N U", b.ranged_strength),
    ("amount range", r"N (?:U )?[-V] N U|N [-V] N F", amount),
    ("amount", r"N N U (?:w )*F|N F (?:w )?\(? N U|N U j?F?|N b F|(?<!D)N b(?!D|X)|N F F|N F|N w F|F", amount),
    ("anchor", r"M", b.anchor),
)
_COMPILED = tuple((name, re.compile(pattern.replace(" ", "")), build) for name, pattern, build in _PRODUCTIONS)


@dataclass(frozen=True)
class Parsed:
    facts: tuple[Fact, ...]
    left: tuple[Item, ...]  # items no production used (cues the sentence level reads)


def parse(items: Sequence[Item]) -> Parsed:
    """The facts of one clause, each item used once, longest productions first."""
    return _parse(tuple(items))


@functools.lru_cache(maxsize=8192)  # pure; a clause is parsed by several questions about it
def _parse(items: tuple[Item, ...]) -> Parsed:
    found: list[tuple[int, Fact]] = []
    used = [False] * len(items)
    text = "".join([i.tag for i in items])  # a Tag is a str: its one-letter code
    for start, end, build in _cover(text):
        covered = items[start:end]
        found.append((start, build(covered)))
        if Tag.ADVERB in text[start:end]:  # "nightly": a rhythm with its time of day
            found.extend((start, _adverb_anchor(i)) for i in covered if _has_anchor(i))
        used[start:end] = [True] * (end - start)
    found.sort(key=lambda pair: pair[0])
    left = tuple(item for item, taken in zip(items, used, strict=True) if not taken)
    return Parsed(tuple(f for _, f in found), left)


@functools.lru_cache(maxsize=4096)  # pure; clauses worded alike share their codes ("for 7 days", "for 10 days")
def _cover(text: str) -> tuple[tuple[int, int, Callable[[Sequence[Item]], Fact]], ...]:
    """Where the productions match a clause's code string, in the order they are tried: which
    items each one covers depends on the codes alone, never on the words or numbers."""
    codes = list(text)
    found: list[tuple[int, int, Callable[[Sequence[Item]], Fact]]] = []
    dirty = False
    for _name, pattern, build in _COMPILED:
        if dirty:  # rejoin only after a production used some items
            text, dirty = "".join(codes), False
        for m in pattern.finditer(text):
            if m.start() == m.end():
                continue
            dirty = True
            found.append((m.start(), m.end(), build))
            for k in range(m.start(), m.end()):
                codes[k] = "#"  # used: no later production may cross it
    return tuple(found)


def _has_anchor(item: Item) -> bool:
    return item.tag is Tag.ADVERB and isinstance(item.value, tuple) and item.value[2] is not None


def _adverb_anchor(item: Item) -> Fact:
    assert isinstance(item.value, tuple)
    return Fact(FactKind.TIME_OF_DAY, item.value[2], item.start, item.end)
