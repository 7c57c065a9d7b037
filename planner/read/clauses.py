"""Dosing language, step 4a: tagged items → sentences, options and phase clauses.

A dosing bullet is cut into sentences at "." and ";" outside brackets. The first sentence
with a rhythm is the dosing sentence; the others support it (a duration, a time of day, a
hedge). The dosing sentence is cut into options at a top-level "or" / "alternatively" (and a
bracket that opens with one) when both sides say a rhythm or an amount, so "until clearance,
or for up to 8 weeks" stays one reading; each option is cut into phases at "then" /
"followed by".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .facts import FactKind
from .grammar import parse
from .lexicon import Tag
from .tagger import Item

_RHYTHM_TAGS = {Tag.ADVERB, Tag.TIMES, Tag.SIG, Tag.EVERY, Tag.SINGLE, Tag.WEEKDAY, Tag.MULT, Tag.FOR, Tag.TIME_UNIT,
                Tag.DOSE_WORD, Tag.SLASH_PER, Tag.CLOCK}  # fmt: skip
_RHYTHM_FACTS = {FactKind.FREQUENCY, FactKind.FREQUENCY_RANGE, FactKind.INTERVAL, FactKind.INTERVAL_RANGE,
                 FactKind.SINGLE, FactKind.WEEKDAYS, FactKind.DAY_RANGE, FactKind.DOSES}  # fmt: skip
_AMOUNTISH = {Tag.DOSE_UNIT, Tag.FORM}


@dataclass(frozen=True)
class Clause:
    items: tuple[Item, ...]
    bracketed: tuple[bool, ...]  # per item: inside a bracket of this clause

    @property
    def tags(self) -> set[Tag]:
        return {i.tag for i in self.items}

    def has_rhythm(self) -> bool:
        if not self.tags & _RHYTHM_TAGS:  # most supporting sentences: no need to parse
            return False
        return any(f.kind in _RHYTHM_FACTS for f in parse(self.items).facts)

    def says_dose(self) -> bool:
        numbered = Tag.NUMBER in self.tags
        return self.has_rhythm() or numbered and bool(self.tags & _AMOUNTISH or Tag.ANCHOR in self.tags)


_ABBREVIATED = {Tag.FORM, Tag.DOSE_UNIT, Tag.SHORT_UNIT, Tag.TIME_UNIT}


def _abbreviation_dot(items: Sequence[Item], k: int) -> bool:
    """ "1 tsp. tid", "30 min. before": the dot of a shortened unit, glued to it, with the sig going
    on in lower case, is no end of a sentence ("Take 1 tab. Repeat in 2 hours." has two)."""
    item = items[k]
    if item.text != "." or k == 0 or k + 1 >= len(items):
        return False
    before, after = items[k - 1], items[k + 1]
    short = before.tag in _ABBREVIATED and before.end == item.start and len(before.text) <= 4
    going_on = after.text[:1].islower() or after.text[:1].isdigit() or before.text.isupper() and after.text.isupper()
    return short and going_on  # "1 TSP. TID": an all-capitals sig goes on in capitals


def sentences(items: Sequence[Item]) -> list[tuple[Item, ...]]:
    """Cut at "." ";" ":" outside brackets; a sentence that opens with "or" / "alternatively"
    stays with the one before (it offers another regimen for the same: an option)."""
    out: list[tuple[Item, ...]] = []
    depth, current = 0, list[Item]()
    for k, item in enumerate(items):
        depth += item.tag is Tag.OPEN
        depth -= item.tag is Tag.CLOSE and depth > 0
        if _abbreviation_dot(items, k):
            continue
        if item.tag is Tag.STOPPER and depth == 0:
            if current:
                out.append(tuple(current))
            current = []
            continue
        if not current and item.tag is Tag.OR and out:
            current = list(out.pop())
        current.append(item)
    if current:
        out.append(tuple(current))
    return out


def _flatten(items: Sequence[Item]) -> tuple[list[Item], list[bool], list[tuple[tuple[Item, ...], int]]]:
    """Items outside brackets and inside plain brackets (marked), and the bracketed groups
    that open with "or" / "alternatively" (options of their own), each with where it stood."""
    flat: list[Item] = []
    marks: list[bool] = []
    side: list[tuple[tuple[Item, ...], int]] = []
    depth, group = 0, list[Item]()
    for item in items:
        if item.tag is Tag.OPEN:
            depth += 1
            if depth == 1:
                group = []
                continue
        if item.tag is Tag.CLOSE and depth:
            depth -= 1
            if depth == 0:
                body = [i for i in group if i.tag is not Tag.COMMA]
                if body and body[0].tag is Tag.OR and Clause(tuple(group), ()).says_dose():
                    side.append((tuple(group[1:]), len(flat)))
                else:
                    flat.extend(group)
                    marks.extend([True] * len(group))
                continue
        if depth:
            group.append(item)
        else:
            flat.append(item)
            marks.append(False)
    if depth:  # an unclosed bracket: its words still count
        flat.extend(group)
        marks.extend([True] * len(group))
    outside = Clause(tuple(i for i, m in zip(flat, marks, strict=True) if not m), ())
    if not outside.says_dose():  # "The same 21-day cycle (1,250 mg/m² twice a day …), given for 8 cycles"
        marks = [False] * len(marks)
    return flat, marks, side


def _cut(items: list[Item], marks: list[bool], at: Tag, inside: frozenset[int] = frozenset()) -> list[Clause]:
    """Clauses cut at each unbracketed ``at`` item not ``inside`` a fact; every clause after the
    first starts with it."""
    out, start = [], 0
    for k, item in enumerate(items):
        if item.tag is at and not marks[k] and k > start and k not in inside:
            out.append(Clause(tuple(items[start:k]), tuple(marks[start:k])))
            start = k
    out.append(Clause(tuple(items[start:]), tuple(marks[start:])))
    return out


def _without(clause: Clause, at: Tag) -> Clause:
    """The clause without the conjunction it starts with."""
    if clause.items and clause.items[0].tag is at:
        return Clause(clause.items[1:], clause.bracketed[1:])
    return clause


def options(sentence: Sequence[Item]) -> list[list[Clause]]:
    """The options of a dosing sentence, each a list of phase clauses."""
    flat, marks, side = _flatten(sentence)
    parts = _cut(flat, marks, Tag.OR, _inside_a_fact(flat))
    merged: list[Clause] = [parts[0]]
    for part in parts[1:]:
        if _without(part, Tag.OR).says_dose() and merged[-1].says_dose():
            merged.append(_without(part, Tag.OR))
        else:  # "until clearance, or for up to 8 weeks", "two or three times": one reading, the "or" kept
            last = merged[-1]
            merged[-1] = Clause(last.items + part.items, last.bracketed + part.bracketed)
    out = [_phases(c) for c in merged]
    for group, at in side:
        flat2, marks2, _ = _flatten(group)
        alternative = _phases(Clause(tuple(flat2), tuple(marks2)))
        step = sum(1 for i, m in zip(flat[:at], marks[:at], strict=True) if i.tag is Tag.THEN and not m)
        if step and len(merged) == 1 and step < len(out[0]) and not _ends(alternative):
            # "…, followed by 100 mg once a day (or 50 mg every 12 hours)": another way to take
            # that step, after the steps before it (never the whole course on its own)
            alternative = out[0][:step] + alternative + out[0][step + 1 :]
        out.append(alternative)
    return out


_ENDS = {FactKind.DURATION, FactKind.SINGLE, FactKind.DOSES, FactKind.DAY_RANGE, FactKind.CYCLE_COUNT}


def _ends(clauses: list[Clause]) -> bool:
    """An alternative with an end of its own ("or 1 g as a single dose") is a whole course."""
    return any(f.kind in _ENDS for c in clauses for f in parse(c.items).facts)


def _inside_a_fact(items: list[Item]) -> frozenset[int]:
    """Where an "or" is part of one fact ("once or twice daily", "3 or 4 times a day", "1 or 2
    tablets"): one reading with a range in it, never two options cut through it."""
    facts = parse(tuple(items)).facts
    return frozenset(k for k, i in enumerate(items) if any(f.start < i.start and i.end < f.end for f in facts))


def _phases(clause: Clause) -> list[Clause]:
    parts = [_without(part, Tag.THEN) for part in _cut(list(clause.items), list(clause.bracketed), Tag.THEN)]
    if len(parts) > 1:  # the text says its steps with "then": a whole phase after them restates, never adds
        return parts
    return _run_together(parts[0])


_AMOUNT_FACTS = {FactKind.AMOUNT, FactKind.COUNT_AMOUNT}
# A whole phase: a rhythm (or its course day), an end (or its course days) and an amount.
_COMPLETE = (
    {FactKind.FREQUENCY, FactKind.INTERVAL, FactKind.DAY_RANGE},
    {FactKind.DURATION, FactKind.MORE_THAN, FactKind.DAY_RANGE},
    _AMOUNT_FACTS,
)


def _run_together(clause: Clause) -> list[Clause]:
    """ "1 po bid x 3 days 1/2 po bid x 3 days", "300 mg once on day 1, 300 mg twice a day on day
    2 and …": whole phases written one after another with no "then" (prescription systems and
    titration lists join them so). Cut before each later amount, but only when
    every piece is a whole phase (an amount, a rhythm and an end): a restated amount ("1 tablet
    (10 mg)") or a second amount of one dose leaves the clause as it is."""
    amounts = [f.start for f in parse(clause.items).facts if f.kind in _AMOUNT_FACTS]
    cuts = [k for k, i in enumerate(clause.items) if i.start in amounts[1:] and not clause.bracketed[k]]
    if not cuts:
        return [clause]
    bounds = [0, *cuts, len(clause.items)]
    parts = [Clause(clause.items[a:b], clause.bracketed[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    kinds = [{f.kind for f in parse(p.items).facts} for p in parts]
    whole = all(all(need & found for need in _COMPLETE) for found in kinds)
    # "1 tab qAM x 30 days and 1 tab qHS x 30 days": "and" joins doses taken alongside, not steps,
    # unless both sides name their course days ("300 mg twice a day on day 2 and 300 mg … on days 3 to 7")
    joined = [k for k in range(1, len(parts)) if any(i.tag is Tag.AND for i in parts[k - 1].items[-2:])]
    alongside = any(not {FactKind.DAY_RANGE} <= kinds[k - 1] & kinds[k] for k in joined)
    times = [{f.value for f in parse(p.items).facts if f.kind is FactKind.TIME_OF_DAY} for p in parts]
    alongside |= any(a and b and a != b for a, b in zip(times, times[1:], strict=False))  # morning, then bedtime
    return parts if whole and not alongside else [clause]
