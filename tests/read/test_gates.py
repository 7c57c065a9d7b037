"""The literal gates of ``read/gates.py`` never rule out a pattern that matches."""

from __future__ import annotations

import random
import re

from helpers import ROOT

from planner.read import missed_words as mw
from planner.read.gates import may_match, needed

PATTERNS = [
    *mw._FORM_PHRASES,
    *(pattern for pattern, _ in mw._CONDITIONS),
    mw._UNSURE,
    mw._IN_THAT_CASE,
    mw._IF,
    *(pattern for _, pattern in mw._ACTIONS),
]


def test_gates_are_derived_from_the_pattern() -> None:
    assert needed(re.compile(r"\bskip (?:it|that dose)\b", re.I)) == (("skip ",), ("it", "that dose"))
    assert needed(re.compile(r"\b(?:if|unless)\b", re.I)) == (("if", "unless"),)
    assert needed(re.compile(r"\w+\s*", re.I)) is None
    assert may_match(None, "anything") and may_match((("x",),), None)


def test_a_pattern_that_matches_is_never_gated_out() -> None:
    """Every match the patterns find in the bundled and generated answers (mixed case too)
    passes its gate."""
    rng = random.Random(5)
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("monographs/*.md"))]
    parts = [line for text in texts for line in text.split("\n") if line.strip()]
    checked = 0
    for part in parts:
        mixed = "".join(c.upper() if rng.random() < 0.3 else c for c in part)
        for text in (part, mixed):
            lowered = text.lower() if text.isascii() else None
            for pattern in PATTERNS:
                if pattern.search(text):
                    checked += 1
                    assert may_match(needed(pattern), lowered), (pattern.pattern, text)
    assert checked > 100
