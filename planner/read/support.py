"""Dosing language, step 5a: the sentences around the dosing sentence, and what refuses a text.

A dosing bullet has one dosing sentence (the first that says a dose); the others support it
(a duration, a time of day, a hedge, "after this … as directed", a conditional repeat). The
refusals a patient must understand come first: as needed, doses set by blood tests or
readings, regimens timed from an event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Duration, Span
from .clauses import Clause
from .draft import Draft, draft
from .facts import FactKind
from .grammar import parse
from .lexicon import Tag
from .tagger import Item


@dataclass
class Sentence:
    items: tuple[Item, ...]
    clause: Clause
    draft: Draft

    @property
    def cues(self) -> set[Tag]:
        return {i.tag for i in self.items}

    def text(self, whole: str) -> str:
        return whole[self.items[0].start : self.items[-1].end] if self.items else ""


def supporting(sentence: Sequence[Item]) -> Sentence:
    clause = Clause(tuple(sentence), tuple(False for _ in sentence))
    return Sentence(tuple(sentence), clause, draft(clause))


def refusals(cues: set[Tag], items: Sequence[Item]) -> list[str]:
    out = []
    if Tag.AS_NEEDED in cues:
        cap = _daily_cap(items)
        out.append("as needed: not scheduled" + (f"; at most {cap} in a day" if cap else ""))
    if Tag.LAB in cues:
        out.append("the dose is set by blood tests or readings: the prescriber sets each dose")
    if Tag.EVENT in cues:
        out.append("timed from an event (for example travel): the calendar needs that event's dates")
    return out


def _daily_cap(items: Sequence[Item]) -> str | None:
    """ "no more than 3 in a day": the number after the first "at most"."""
    codes = "".join([i.tag for i in items])  # a Tag is a str: its one-letter code
    at = codes.find("LN")
    return items[at + 1].text if at >= 0 else None


def support_facts(support: list[Sentence], reasons: list[str]) -> tuple[Duration | None, list[str], bool]:
    durations = {s.draft.get(FactKind.DURATION) for s in support} - {None}
    if len(durations) > 1:
        reasons.append("two different durations in the text")
    duration = durations.pop() if len(durations) == 1 else None
    anchors = [str(a) for s in support if (a := s.draft.get(FactKind.TIME_OF_DAY))]
    open_cycles = any(Tag.CYCLE in s.cues and Tag.AS_DIRECTED in s.cues for s in support)
    return duration if isinstance(duration, Duration) else None, anchors, open_cycles


def repeats_the_course(s: Sentence) -> bool:
    """A sentence that repeats the course ("repeat the course once after a month if it returns"),
    naming no dose of its own: no production read its "repeat"."""
    cycled = Tag.CYCLE in s.cues or FactKind.CYCLE_COUNT in s.draft.facts  # "repeat this cycle 4 times"
    return Tag.REPEAT in s.cues and not cycled and FactKind.AMOUNT not in s.draft.facts


def may_change(s: Sentence) -> bool:
    """ "The dose may be increased to 10 mg once a day after 4 weeks": a change the label lets the
    prescriber make, said as a possibility ("may" and a change), not a step to plan. Refusal cues
    (as needed, readings, events) keep the sentence where they are seen."""
    cues = s.cues
    return Tag.MAY in cues and Tag.CHANGE in cues and not cues & {Tag.AS_NEEDED, Tag.LAB, Tag.EVENT, Tag.THEN}


def is_rhythm_sentence(s: Sentence) -> bool:
    return s.clause.has_rhythm() and bool(parse(s.items).facts)


def after_the_course(main: Sequence[Item], items: Sequence[Item]) -> set[Tag]:
    """ "3 drops twice daily for 2 weeks, then as needed for itch": the as-needed use comes after
    the planned course (what follows it, said as such), so it does not refuse the course. Only
    when every "as needed" of the text is in that last "then" clause and it names no dose."""
    at = max((k for k, i in enumerate(main) if i.tag is Tag.THEN), default=None)
    if at is None:
        return set()
    tail = tuple(main[at + 1 :])
    needed = [i for i in items if i.tag is Tag.AS_NEEDED]
    if not needed or not all(i in tail for i in needed) or Clause(tail, tuple(False for _ in tail)).says_dose():
        return set()
    return {Tag.AS_NEEDED}


# Words that speak of how long or of an end, or leave the dose to the prescriber: with any of
# them, a label's silence about an end is not silence.
_NOT_SILENT = frozenset({
    Tag.FOR, Tag.UP_TO, Tag.TOTAL, Tag.CONSECUTIVE, Tag.UNTIL, Tag.CLEAR, Tag.STOP, Tag.CYCLE, Tag.REST,
    Tag.REPEAT, Tag.DAY_ORDINAL, Tag.CHANGE, Tag.THEN, Tag.DISPENSE, Tag.WITHIN, Tag.AS_DIRECTED,
    Tag.INDIVIDUAL, Tag.INITIAL,
})  # fmt: skip
_THE_PRESCRIBERS = frozenset({Tag.AS_DIRECTED, Tag.INDIVIDUAL})
# A prescription's silence goes on until the prescriber stops it, but not when it speaks of an
# end the reader did not place ("for several weeks", "until gone"). "for" alone says nothing
# there ("for pain"), nor do a quantity dispensed, "as directed", "total" or "stop".
NOT_SILENT_IN_A_SIG = _NOT_SILENT - {
    Tag.FOR, Tag.DISPENSE, Tag.AS_DIRECTED, Tag.INDIVIDUAL, Tag.INITIAL, Tag.WITHIN, Tag.CHANGE, Tag.DAY_ORDINAL,
    Tag.TOTAL, Tag.STOP,  # "1.25 mg total", "stop if a rash appears"
}  # fmt: skip


def says_nothing_of_an_end(
    items: Sequence[Item], placed: Sequence[Span], not_silent: frozenset[Tag] = _NOT_SILENT
) -> bool:
    """A label's text that names no end for its last step: no "for", "up to", "until", cycles,
    rests or "as directed", and no number of hours, days, weeks or months the reader did not
    place ("7 days" is a length; "every 3 months" a rhythm; "at least one-half hour before" a
    time it read). Where steps are joined by "then", only the last one (and what follows it) is
    asked: the steps before it have their own lengths ("100 mg daily for 2 weeks, then increase
    to 200 mg daily"). Only then does a label's silence mean the treatment goes on until the
    prescriber stops it; a length the reader could not place keeps the text with its reason."""
    last = max((k for k, i in enumerate(items) if i.tag is Tag.THEN), default=None)
    if last is not None:
        if any(i.tag in _THE_PRESCRIBERS for i in items[:last]):
            return False
        items = items[last + 1 :]
        if items and items[0].tag is Tag.CHANGE:  # "then increase to 200 mg daily": the step itself
            items = items[1:]
    for k, item in enumerate(items):
        if item.tag in not_silent:
            return False
        if item.tag is Tag.FOR and k + 1 < len(items) and items[k + 1].tag is Tag.SOME:  # "for a while"
            return False
        if item.tag is Tag.TIME_UNIT and _counted(items, k) and not _placed(item, placed):
            return False
    return True


def _counted(items: Sequence[Item], k: int) -> bool:
    """ "7 days", "one-half hour", "several weeks": a number of units, not "every 3 months" (a rhythm)."""
    before = items[k - 1].tag if k >= 1 else None
    if before is Tag.SOME:
        return True
    return before is Tag.NUMBER and not (k >= 2 and items[k - 2].tag is Tag.EVERY)


def _placed(item: Item, placed: Sequence[Span]) -> bool:
    return any(s.field != "duration" and s.start <= item.start and item.end <= s.end for s in placed)


def alternative_times(items: Sequence[Item]) -> bool:
    """ "on an empty stomach or at bedtime": two times of day offered."""
    codes = "".join([i.tag for i in items if i.tag is not Tag.COMMA])
    return "VM" in codes
