"""Names as people see them: the one check for characters a reader cannot see.

Input: a name read from a file (a drug, a brand, an indication). Output: the name unchanged, or
a one-line reason naming the first character a person would not see on screen or in a calendar
title: a zero-width space, a soft hyphen, a byte-order mark, a control character, or a bidi
control (U+202E RIGHT-TO-LEFT OVERRIDE shows "Aldara" written backwards as something else). Two
names that differ only in such characters, or in letter case, width or compatibility forms
("Ｗarts" and "Warts"), look the same, so ``name_key`` is the key duplicates are found by.
Used at the reading edge only (``read/monograph.py``, ``read/rules.py``); pure.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..errors import PlannerError

# Unicode categories never seen as a glyph: controls, format characters (zero-width and bidi
# controls among them), private use, surrogates, unassigned, line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
# Letters and marks that render as nothing (fillers, blank patterns, variation selectors).
_BLANK = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0") | frozenset(
    chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))
)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _described(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def _hidden(char: str) -> bool:
    return char in _BLANK or unicodedata.category(char) in _HIDDEN_CATEGORIES


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be shown as written (its first hidden character), or None."""
    if name.isascii() and name.isprintable():  # nearly every name: ASCII hides only control characters
        return None
    for char in name:
        if char in _BIDI:
            return f"holds a character that changes the text direction ({_described(char)})"
        if _hidden(char):
            return f"holds an invisible character ({_described(char)})"
    return None


def name_key(name: str) -> str:
    """What a person sees of a name: hidden characters dropped, compatibility forms folded
    (NFKC), case folded, spaces squashed. Two names with one key look the same."""
    if name.isascii() and name.isprintable():  # no hidden character, NFKC changes no ASCII: the same key
        return " ".join(name.casefold().split())
    seen = "".join(" " if char.isspace() else char for char in name if char.isspace() or not _hidden(char))
    return " ".join(unicodedata.normalize("NFKC", seen).casefold().split())


RETYPE = "retype the name; invisible and text-direction characters are not allowed in names"


def visible_name(name: str, error: type[PlannerError], **where: Any) -> str:
    """``name`` if every character of it can be seen; else ``error`` (with ``where``: path,
    key, line) saying which character is hidden."""
    problem = name_problem(name)
    if problem is not None:
        raise error(f"{name!r} {problem}", hint=RETYPE, **where)
    return name
