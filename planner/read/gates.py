"""Literal gates for case-insensitive patterns: the words every match must contain.

``needed(pattern)`` reads the pattern's syntax tree once and returns lower-case strings of
which every match contains at least one (``None`` when it cannot tell). On ASCII text,
lowered once, ``may_match`` then rules a pattern out with a few substring tests instead of
a search; a pattern it does not rule out is searched as before, so results never change.
Only ASCII literals count: re.IGNORECASE also folds a few non-ASCII letters onto ASCII ones
("ſ" matches "s", "K" Kelvin matches "k"), which is why the gate is asked only of ASCII text.
"""

from __future__ import annotations

import re
import re._parser as _sre  # type: ignore[import-not-found]
from typing import Any

_parser: Any = _sre  # the stdlib's own regex parser (no public name, no type stubs)
_LITERAL, _BRANCH, _SUBPATTERN = _parser.LITERAL, _parser.BRANCH, _parser.SUBPATTERN
_REPEATS = {_parser.MAX_REPEAT, _parser.MIN_REPEAT, getattr(_parser, "POSSESSIVE_REPEAT", _parser.MAX_REPEAT)}
_ATOMIC = getattr(_parser, "ATOMIC_GROUP", None)

Words = tuple[str, ...]  # one of these is in every match
Gate = tuple[Words, ...] | None  # each of these holds for every match; None: nothing known
_KEPT = 2  # the most selective entries are tested; more cost more tests than they save


def _best(options: list[Words]) -> Words | None:
    """The requirement whose shortest alternative is longest (the most selective, roughly)."""
    options = [o for o in options if o and all(o)]
    return max(options, key=lambda o: (min(map(len, o)), -len(o))) if options else None


def _all(items: Any) -> list[Words]:
    """What a sequence of regex items requires: each entry holds for every match."""
    found: list[Words] = []
    run: list[str] = []
    for op, av in items:
        if op is _LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if run:
            found.append(("".join(run),))
            run = []
        if op is _BRANCH:
            branches = [_best(_all(b)) for b in av[1]]
            if all(b is not None for b in branches):
                found.append(tuple(dict.fromkeys(w for b in branches if b is not None for w in b)))
        elif op is _SUBPATTERN:
            found += _all(av[3])
        elif op in _REPEATS and av[0] >= 1:
            found += _all(av[2])
        elif op is _ATOMIC and _ATOMIC is not None:
            found += _all(av)
    if run:
        found.append(("".join(run),))
    return [words for words in found if words and all(words)]


def needed(pattern: re.Pattern[str]) -> Gate:
    """What every match of ``pattern`` contains, as lower-case strings: one of each entry."""
    found = dict.fromkeys(_all(_parser.parse(pattern.pattern, pattern.flags & ~re.UNICODE)))
    ranked = sorted(found, key=lambda words: (min(map(len, words)), -len(words)), reverse=True)
    return tuple(ranked[:_KEPT]) or None


def may_match(gate: Gate, lowered: str | None) -> bool:
    """False only when ``lowered`` (ASCII text, lowered; None for other text) lacks every word
    of one entry of ``gate``: then the pattern cannot match it."""
    return lowered is None or gate is None or all(any(word in lowered for word in words) for words in gate)
