"""Dosing language, step 2: tokens → tagged items, by the longest phrase of the lexicon.

Every item keeps the character span of the words it covers. Words the lexicon does not
know become ``Tag.WORD`` items: the grammar skips them, so "take", "by mouth", "gently"
and words nobody listed never stop a reading, and never make one either.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import NamedTuple

from ..model import Unit
from .lexicon import FORTNIGHTS, PHRASES, STARTS, YEARS, Tag
from .tokens import Kind, Token, tokenize


class Item(NamedTuple):
    """A tagged phrase. A named tuple (cheap to build, hashed and compared by value): tuples of
    items are the grammar memo's keys."""

    tag: Tag
    value: object
    start: int
    end: int
    text: str  # the words as written, for amounts and messages

    @property
    def code(self) -> str:
        return self.tag.value


def _lookup(tokens: tuple[Token, ...], at: int) -> tuple[int, Tag, object] | None:
    """The longest lexicon phrase starting at token ``at``: (length, tag, value)."""
    first = tokens[at].norm
    sizes = STARTS.get(first)
    if sizes is None:
        return None
    for size in sizes:
        if size == 1:
            hit = PHRASES.get((first,))
        elif at + size <= len(tokens):
            hit = PHRASES.get(tuple([t.norm for t in tokens[at : at + size]]))
        else:
            continue
        if hit is not None:
            return size, hit[0], hit[1]
    return None


@functools.lru_cache(maxsize=4096)  # pure; labels repeat their sentences
def tag(sentence: str) -> tuple[Item, ...]:
    """The tagged items of a sentence, in order."""
    tokens = tokenize(sentence)
    out: list[Item] = []
    at = 0
    while at < len(tokens):
        token = tokens[at]
        if token.kind is Kind.CLOCK:
            out.append(Item(Tag.CLOCK, token.norm, token.start, token.end, token.text))
            at += 1
            continue
        if token.kind is Kind.BAD_NUMBER:
            out.append(Item(Tag.BAD_NUMBER, None, token.start, token.end, token.text))
            at += 1
            continue
        again = _restated_in_brackets(out, tokens, at)  # "three (3) times", "twice (2) daily", "2 (two)"
        if again is not None:
            last = tokens[at + 2]
            whole = out[-1]._replace(end=last.end, text=sentence[out[-1].start : last.end])
            out[-1] = whole if again else whole._replace(tag=Tag.BAD_NUMBER, value=None)  # "two (3)": which?
            at += 3
            continue
        hit = _lookup(tokens, at)
        glued = at + 1 < len(tokens) and tokens[at + 1].start == token.end and tokens[at + 1].kind is Kind.WORD
        if token.kind is Kind.NUMBER and glued and tokens[at + 1].norm not in STARTS:  # "1c": a cup? a capsule?
            out.append(Item(Tag.BAD_NUMBER, None, token.start, tokens[at + 1].end, token.text + tokens[at + 1].text))
            at += 2
            continue
        # "2 two times daily" is one number said twice; "two 2-week cycles" stays two numbers.
        restated = (
            token.kind is Kind.NUMBER
            and out
            and out[-1].tag is Tag.NUMBER
            and out[-1].value == token.value
            and out[-1].end < token.start
            and out[-1].text.isdigit() != token.text.isdigit()
            and not (at + 1 < len(tokens) and tokens[at + 1].norm == "-")
        )
        if restated:
            out[-1] = out[-1]._replace(end=token.end, text=f"{out[-1].text} {token.text}")
            at += 1
            continue
        if token.kind is Kind.NUMBER and (hit is None or hit[0] == 1):
            out.append(Item(Tag.NUMBER, token.value, token.start, token.end, token.text))
            at += 1
            continue
        # "prnas needed", "q4hr intprnfor pain", "p.r.n": run together or dotted, still as needed
        if hit is None and "prn" in token.norm.replace(".", ""):
            out.append(Item(Tag.AS_NEEDED, None, token.start, token.end, token.text))
            at += 1
            continue
        counted = _LONGER_UNITS.get(token.norm) if hit is None else None
        if counted is not None and _scaled(out, counted[1]):  # "for 5 years": for 60 months
            out.append(Item(Tag.TIME_UNIT, counted[0], token.start, token.end, token.text))
            at += 1
            continue
        if hit is None:
            out.append(Item(Tag.WORD, token.norm, token.start, token.end, token.text))
            at += 1
            continue
        size, found, value = hit
        last = tokens[at + size - 1]
        out.append(Item(found, value, token.start, last.end, sentence[token.start : last.end]))
        at += size
    return tuple(_days_but(out))


def days_of(item: Item) -> tuple[int, ...]:
    """The days a weekday item names (0 = Monday): one for a day name, several for "mwf", "weekdays"."""
    return item.value if isinstance(item.value, tuple) else (int(str(item.value)),)


def _days_but(out: list[Item]) -> list[Item]:
    """ "except Sundays", "except on weekends": one item naming the days the exception leaves."""
    k = next((k for k, i in enumerate(out) if i.tag is Tag.EXCEPT), None)
    if k is None:
        return out
    end = k + 1
    while end < len(out) and (out[end].tag is Tag.WEEKDAY or out[end].tag in (Tag.COMMA, Tag.AND) and end > k + 1):
        end += 1
    while out[end - 1].tag is not Tag.WEEKDAY and end > k + 1:
        end -= 1
    named = [i for i in out[k + 1 : end] if i.tag is Tag.WEEKDAY]
    if not named or end < len(out) and out[end].tag is Tag.RANGE:  # "except Mon-Fri": not read here
        return out
    left_out = {d for i in named for d in days_of(i)}
    days = tuple(d for d in range(7) if d not in left_out)
    joined = Item(Tag.WEEKDAY, days, out[k].start, out[end - 1].end, " ".join(i.text for i in out[k:end]))
    return [*out[:k], joined, *_days_but(out[end:])]


def _restated_in_brackets(out: list[Item], tokens: tuple[Token, ...], at: int) -> bool | None:
    """A number, then a number in brackets: "three (3)", "twice (2)", "2 (two)". True when both
    say the same, False when they differ ("two (3)": read two ways), None when it is not one."""
    if not out or at + 2 >= len(tokens) or tokens[at].norm != "(" or tokens[at + 2].norm != ")":
        return None
    inside, before = tokens[at + 1], out[-1]
    beside = before.end == tokens[at].start - 1  # "three (3)": one space between
    if inside.kind is not Kind.NUMBER or before.tag not in (Tag.NUMBER, Tag.TIMES) or not beside:
        return None
    return before.value == inside.value


# Units the model counts in others: a year is 12 calendar months, a fortnight 2 weeks.
_LENGTH_CUES = frozenset({Tag.FOR, Tag.UP_TO, Tag.AT_LEAST, Tag.TOTAL, Tag.EVERY, Tag.AFTER})
_LONGER_UNITS = {**dict.fromkeys(YEARS, (Unit.MONTH, 12)), **dict.fromkeys(FORTNIGHTS, (Unit.WEEK, 2))}


def _scaled(out: list[Item], factor: int) -> bool:
    """The numbers just before such a unit ("5", "1 to 2", "5-", the "a" of "for a year")
    multiplied by ``factor``, in place; False (nothing changed) when no number comes before it."""
    if len(out) >= 2 and out[-2].tag is Tag.FOR and out[-1].text.lower() in ("a", "an"):
        out[-1] = out[-1]._replace(tag=Tag.NUMBER, value=Fraction(1))  # "for a year": for one year
    run = len(out)
    while run and (out[run - 1].tag is Tag.NUMBER or out[run - 1].tag in (Tag.RANGE, Tag.OR) and run < len(out)):
        run -= 1
    # Only after a word that makes it a length or a rhythm ("for 5 years", "up to 2 years",
    # "every 2 years"): "children 2 to 12 years", "over 65 years" are ages, left as words.
    if not run or out[run - 1].tag not in _LENGTH_CUES or out[run - 1].text.lower() == "over":  # "over 12 years"
        return False
    numbers = [k for k in range(run, len(out)) if out[k].tag is Tag.NUMBER]
    for k in numbers:
        value = out[k].value
        assert isinstance(value, Fraction)
        out[k] = out[k]._replace(value=value * factor)
    return bool(numbers)
