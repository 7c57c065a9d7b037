"""Dosing language, step 1: text → normalised tokens, each keeping its character span.

Numbers are read whole or not at all: "0.5", ".5", "1/2", "½", "1,250", "one", "twelve",
"one-half" become one number token with its exact value; a number that could be read two
ways ("1 000", "2.5e2", "1. 5") becomes a ``BAD_NUMBER`` token, which sends its sentence to
review. A leading decimal point is the classic tenfold-overdose notation: it is read as the
number it is (0.5), never as the digits after it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

NUMBER_WORDS: dict[str, Fraction] = {
    w: Fraction(v)
    for w, v in {
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
        "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-one": 21, "twenty-four": 24,
        "twenty-eight": 28, "thirty": 30, "forty": 40, "forty-two": 42, "fifty": 50, "sixty": 60, "ninety": 90,
    }.items()
}  # fmt: skip
NUMBER_WORDS |= {"ii": Fraction(2), "iii": Fraction(3), "half": Fraction(1, 2), "one-half": Fraction(1, 2),
                 "one-third": Fraction(1, 3), "one-quarter": Fraction(1, 4), "a-half": Fraction(1, 2)}  # fmt: skip


class Kind(str, Enum):
    NUMBER = "number"
    CLOCK = "clock"  # "10:00", "8:30"
    BAD_NUMBER = "bad-number"  # a number that cannot be read whole: the sentence goes to review
    WORD = "word"
    PUNCT = "punct"


class Token(NamedTuple):
    """One token. A named tuple, not a frozen dataclass: a sentence has some thirty tokens and
    a frozen dataclass sets each field through ``object.__setattr__`` (issue 13's first pass)."""

    kind: Kind
    text: str  # as written
    norm: str  # lower case, dashes and quotes unified
    start: int  # half-open span in the sentence as given
    end: int
    value: Fraction | None = None  # numbers only


_VULGAR = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅛": "1/8"}
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_QUOTES = dict.fromkeys(map(ord, "‘’`´"), "'")
# One token: a number as written (with its own decimal point, thousands groups, fraction bar
# or vulgar fraction), a word (letters, inner hyphens and apostrophes, "m²"), or one symbol.
# A dotted abbreviation ("b.i.d.", "p.o.", "q.4.h.") is one token, so its dots never end a sentence.
_TOKEN = re.compile(
    r"(?P<dotted>(?<![\w.])[^\W\d_]{1,3}(?:\.[^\W_]{1,3})+(?![^\W_])\.?)|(?P<clock>\b(?:[01]?\d|2[0-3]):[0-5]\d(?:\b|(?=[aApP]\.?[mM])))|(?P<num>(?:\d+(?:,\d{3})+(?:\.\d+)?|\d*\.\d+|\d+)(?:\s*/\s*\d+)?|[½⅓⅔¼¾⅕⅛])"
    r"|(?P<word>[^\W\d_]+(?:[²³]|(?:['-][^\W\d_]+)+)?)"
    r"|(?P<sym>\S)"
)
_DOTTED_PART = re.compile(r"\d+|[^\W\d_]+")
# Shapes that look like one number but are not one reading: "1 000", "2.5e2", "1. 5", "1.5.2", "3,50".
_AMBIGUOUS = re.compile(
    r"\d\s\d{3}(?!\d)|\d(?:\.\d+)?[eE][+-]?\d|\d\.\s+\d|\d\.\d+\.\d|\d,\d{1,2}(?!\d)|\d,\d{4,}|\d,\d{3}\.\d+\.\d"
)


def _number(text: str) -> Fraction:
    if text.isdecimal():  # nearly every number; Fraction("12") parses it with a regular expression
        return Fraction(int(text))
    text = _VULGAR.get(text, text).replace(",", "").replace(" ", "")
    if "/" in text:
        top, bottom = text.split("/")
        return Fraction(int(top), int(bottom)) if int(bottom) else Fraction(-1)
    return Fraction(text)


def normalise(text: str) -> str:
    """Compatibility forms folded (full-width digits, non-breaking spaces), dashes and quotes unified.
    Length-preserving, so spans in the result are spans in the text as given."""
    if text.isascii():  # nearly every label: nothing to fold
        return text.translate(_QUOTES)
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch) if ch not in "½⅓⅔¼¾⅕⅛²³µ" else ch
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out).translate(_DASHES).translate(_QUOTES).replace("\u00a0", " ")


@functools.lru_cache(maxsize=4096)  # pure; the tagger, events and same_day ask for the same text
def tokenize(sentence: str) -> tuple[Token, ...]:
    """The tokens of a sentence; every number read whole, or marked as unreadable."""
    text = normalise(sentence)
    bad = [(m.start(), m.end()) for m in _AMBIGUOUS.finditer(text)]
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        raw = m.group()
        group = m.lastgroup
        if group == "dotted":
            out.extend(_dotted(raw, start))
        elif group == "word":
            if raw[-1] in "xX" and len(raw) > 2 and text[end : end + 1].isdigit():
                out.extend(_words(raw[:-1], start))  # "bidx9", "dailyx90": the "x" of "for" is glued on
                out.append(Token(Kind.WORD, "x", "x", end - 1, end))
            else:
                out.extend(_words(raw, start))
        elif group == "num":
            value = _number(raw)
            before = out[-1] if out else None  # "tablet60bid": a count or a strength?
            glued = before is not None and before.end == start and before.kind is Kind.WORD and len(before.norm) >= 3
            unreadable = value < 0 or glued or any(s < end and start < e for s, e in bad)
            out.append(Token(Kind.BAD_NUMBER if unreadable else Kind.NUMBER, raw, raw, start, end, value))
        elif group == "clock":
            out.append(Token(Kind.CLOCK, raw, raw.zfill(5), start, end))
        else:
            out.append(Token(Kind.PUNCT, raw, raw, start, end))
    return tuple(_joined(out, text))


def _dotted(raw: str, start: int) -> list[Token]:
    """A dotted abbreviation of letters is one word, its norm the letters each with a dot
    ("b.i.d" and "B.I.D." are "b.i.d."; "o.n." is never the word "on"). With a number in it,
    it is its parts, as written without the dots: "q.4.h." reads as "q4h"."""
    parts = list(_DOTTED_PART.finditer(raw))
    if not any(part.group().isdecimal() for part in parts):
        return [Token(Kind.WORD, raw, "".join(f"{part.group().lower()}." for part in parts), start, start + len(raw))]
    out: list[Token] = []
    for part in parts:
        text, at = part.group(), start + part.start()
        if text.isdecimal():
            out.append(Token(Kind.NUMBER, text, text, at, at + len(text), Fraction(int(text))))
        else:
            out.extend(_words(text, at))
    return out


_ARTICLES = ("a", "an")
# "sundaytuesdaythursday": two or more day names with no space between, one word the lexicon knows
# as such (its sentence goes to review: a day may be lost where the words run together).
RUN_TOGETHER_DAYS = "runtogetherdays"
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_RUN_TOGETHER = re.compile(rf"(?:{_DAYS})s?(?:and)?(?:(?:{_DAYS})s?(?:and)?)+")


def _joined(out: list[Token], text: str) -> list[Token]:
    """One number for a mixed number or a fraction of one form: "1 1/2", "1 and 1/2", "one and a half",
    "2 and one-half" (the whole and the part); "half a tablet", "1/2 an applicator" (the article
    counts nothing). Digits and words alike."""
    merged: list[Token] = []
    i = 0
    while i < len(out):
        tok = out[i]
        if tok.kind is not Kind.NUMBER:  # both forms start with a number
            merged.append(tok)
            i += 1
            continue
        part = _fraction_after_and(out, i)
        if part is not None:
            last = out[part]
            assert tok.value is not None and last.value is not None
            raw = text[tok.start : last.end]
            merged.append(Token(Kind.NUMBER, raw, raw.lower(), tok.start, last.end, tok.value + last.value))
            i = part + 1
            continue
        after = out[i + 1] if i + 1 < len(out) else None
        beyond = out[i + 2] if i + 2 < len(out) else None
        if (
            tok.kind is Kind.NUMBER
            and tok.value is not None
            and 0 < tok.value < 1
            and after is not None
            and after.kind is Kind.WORD
            and after.norm in _ARTICLES
            and beyond is not None
            and beyond.kind is Kind.WORD
        ):
            raw = text[tok.start : after.end]
            merged.append(Token(Kind.NUMBER, raw, raw.lower(), tok.start, after.end, tok.value))
            i += 2
            continue
        merged.append(tok)
        i += 1
    return merged


def _fraction_after_and(out: list[Token], i: int) -> int | None:
    """The index of the part in "<whole> and [a] <part>", where the whole is a whole number and the
    part a fraction below one; None when the tokens at ``i`` are not one."""
    tok = out[i]
    if tok.kind is not Kind.NUMBER or tok.value is None or tok.value < 1 or tok.value.denominator != 1:
        return None
    k = i + 1
    if k < len(out) and tok.text.isdigit() and "/" in out[k].text and out[k].start == tok.end + 1:  # "1 1/2"
        part = out[k]
        return k if part.kind is Kind.NUMBER and part.value is not None and 0 < part.value < 1 else None
    if k >= len(out) or out[k].kind is not Kind.WORD or out[k].norm != "and":
        return None
    k += 1
    if k < len(out) and out[k].kind is Kind.WORD and out[k].norm in _ARTICLES:
        k += 1
    value = out[k].value if k < len(out) and out[k].kind is Kind.NUMBER else None
    return k if value is not None and 0 < value < 1 else None


# Prescription systems glue the sig to its free-text instructions ("1 tab po dailyinstrdo not
# crush"): the marker is cut out as a word of its own (the lexicon ends the sentence there).
_GLUED_MARKER = "instr"


def _words(raw: str, start: int) -> list[Token]:
    """A word; a hyphenated one is split at its hyphens ("3-week", "no-treatment") unless it
    is a number word as a whole ("twenty-one", "one-half")."""
    norm = raw.lower()
    # Nearly every word: no hyphen, no glued marker, too short for two day names run together.
    if len(raw) < 12 and "-" not in raw and _GLUED_MARKER not in norm[1:]:
        value = NUMBER_WORDS.get(norm)
        return [Token(Kind.WORD if value is None else Kind.NUMBER, raw, norm, start, start + len(raw), value)]
    at = norm.find(_GLUED_MARKER, 1)
    if at > 0 and "-" not in raw:
        cut = at + len(_GLUED_MARKER)
        rest = _words(raw[cut:], start + cut) if cut < len(raw) else []
        return [*_words(raw[:at], start), Token(Kind.WORD, raw[at:cut], _GLUED_MARKER, start + at, start + cut), *rest]
    if _RUN_TOGETHER.fullmatch(norm):
        return [Token(Kind.WORD, raw, RUN_TOGETHER_DAYS, start, start + len(raw))]
    if norm in NUMBER_WORDS:
        return [Token(Kind.NUMBER, raw, norm, start, start + len(raw), NUMBER_WORDS[norm])]
    out: list[Token] = []
    at = start
    for i, part in enumerate(raw.split("-")):
        if i:
            out.append(Token(Kind.PUNCT, "-", "-", at, at + 1))
            at += 1
        low = part.lower()
        value = NUMBER_WORDS.get(low)
        kind = Kind.NUMBER if value is not None else Kind.WORD
        out.append(Token(kind, part, low, at, at + len(part), value))
        at += len(part)
    return out
