"""Dosing language, step 5: a dosing text → every regimen it allows (options), or why none.

The pipeline: ``tokens`` (numbers read whole) → ``tagger`` (lexicon tags) → ``clauses``
(sentences, options, phases) → ``grammar`` + ``phase`` (facts → ``Phase``) → here, the
sentence level: what the supporting sentences add (a duration, a time of day, open-ended
cycles, "after this, as directed"), the scope of hedges and negations, and the refusals a
patient must understand (as needed, doses set by blood tests, timed from an event). Nothing
is guessed: a text read two ways, or not read whole, has reasons and no option.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from fractions import Fraction

from ..model import (
    Cycle,
    Duration,
    DurationKind,
    EventNeed,
    Frequency,
    Interval,
    Option,
    OptionKind,
    Phase,
    Regimen,
    Span,
    Unit,
)
from .clauses import Clause, options, sentences
from .grammar import Fact, FactKind, parse
from .lexicon import Tag
from .phase import CUE_REASONS, PENDING, Draft, build, cycle_days, draft, with_cycle
from .tagger import Item, tag


class Context(str, Enum):
    """Where a text comes from, which decides what silence about an end means."""

    MONOGRAPH = "monograph"  # a label: no end and no "long-term" cue is incomplete
    SIG = "sig"  # a prescription: it continues until the prescriber stops it


@dataclass(frozen=True)
class Reading:
    options: tuple[Option, ...]
    spans: tuple[Span, ...]
    reasons: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def regimen(self) -> Regimen | None:
        """The regimen planned when the user picks none: the first option."""
        return self.options[0].regimen if self.options else None


@dataclass
class _Sentence:
    items: tuple[Item, ...]
    clause: Clause
    draft: Draft

    @property
    def cues(self) -> set[Tag]:
        return {i.tag for i in self.items}

    def text(self, whole: str) -> str:
        return whole[self.items[0].start : self.items[-1].end] if self.items else ""


_ANCHOR_RANK = ("before-breakfast", "bedtime", "with-meal", "after-meal", "morning", "evening")


def _support(sentence: Sequence[Item]) -> _Sentence:
    clause = Clause(tuple(sentence), tuple(False for _ in sentence))
    return _Sentence(tuple(sentence), clause, draft(clause))


def _refusals(cues: set[Tag], items: Sequence[Item], text: str) -> list[str]:
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
    codes = "".join(i.code for i in items)
    at = codes.find("LN")
    return items[at + 1].text if at >= 0 else None


def _anchor(phase: Phase, extra: list[str]) -> Phase:
    found = [a for a in ([phase.time_of_day] if phase.time_of_day else []) + extra if a]
    if not found:
        return phase
    best = min(dict.fromkeys(found), key=_ANCHOR_RANK.index)
    if phase.frequency is not None and phase.frequency.times > 1 and best in ("morning", "evening"):
        return phase
    return replace(phase, time_of_day=best)


def _nightly(d: Draft) -> Draft:
    """On a prescription, "take one tablet at bedtime" is once a day at that time."""
    rhythm = {FactKind.FREQUENCY, FactKind.INTERVAL, FactKind.SINGLE, FactKind.DOSES, FactKind.FREQUENCY_RANGE,
              FactKind.INTERVAL_RANGE, FactKind.WEEKDAYS, FactKind.DAY_RANGE}  # fmt: skip
    anchor = d.facts.get(FactKind.TIME_OF_DAY)
    if anchor is None or rhythm & set(d.facts):
        return d
    daily = Fact(FactKind.FREQUENCY, Frequency(1, Unit.DAY), anchor.start, anchor.end)
    return Draft({**d.facts, FactKind.FREQUENCY: daily}, list(d.reasons), list(d.spans), set(d.cues))


def _options(
    clauses: list[Clause], ongoing: bool, reasons: list[str], spans: list[Span], context: Context = Context.MONOGRAPH
) -> list[Regimen]:
    """The regimens of one option; "3 to 4 times a day" is an option per value (never the
    maximum), where the range is small and is the only one."""
    drafts = [draft(c, loose_periods=context is Context.SIG) for c in clauses]
    if context is Context.SIG:
        drafts = [_nightly(d) for d in drafts]
    ranged = [k for k, d in enumerate(drafts) if _range(d) is not None]
    if not ranged:
        regimen = _option(clauses, drafts, ongoing, reasons, spans)
        return [regimen] if regimen is not None else []
    values = _range(drafts[ranged[0]]) or []
    if len(ranged) > 1 or len(clauses) > 1 or len(values) > 3:
        low, high = values[0], values[-1]
        reasons.append(f"a range of rhythms ({_said(low)} to {_said(high)}): the prescriber chooses")
        return []
    out = []
    for value in values:
        d = drafts[0]
        kind = FactKind.FREQUENCY if isinstance(value, Frequency) else FactKind.INTERVAL
        chosen = Draft({**d.facts, kind: Fact(kind, value, 0, 0)}, list(d.reasons), list(d.spans), set(d.cues))
        regimen = _option(clauses, [chosen], ongoing, reasons, spans)
        if regimen is not None:
            out.append(regimen)
    return out


def _range(d: Draft) -> list[Frequency | Interval] | None:
    if FactKind.FREQUENCY in d.facts or FactKind.INTERVAL in d.facts:
        return None
    f, i = d.get(FactKind.FREQUENCY_RANGE), d.get(FactKind.INTERVAL_RANGE)
    if isinstance(f, tuple) and None not in f[:2]:
        return [Frequency(n, f[2]) for n in range(f[0], f[1] + 1)]
    if isinstance(i, tuple):  # "every 4 to 6 hours": a range of gaps is the prescriber's (often as needed)
        d.reasons.append(f"every {i[0]} to {i[1]} {i[2].value}s: a range of intervals, the prescriber chooses")
    return None


def _said(value: Frequency | Interval) -> str:
    if isinstance(value, Frequency):
        return f"{value.times} times a {value.per.value}"
    return f"every {value.every} {value.unit.value}s"


def _option(
    clauses: list[Clause], drafts: list[Draft], ongoing: bool, reasons: list[str], spans: list[Span]
) -> Regimen | None:
    """One option's phases: rest clauses turn the phase before into a cycle; words with no
    rhythm after "then" are what follows ("then a maintenance dose as directed"); "then stop" ends it."""
    phases: list[Phase] = []
    then: str | None = None
    count, up_to = None, False
    for clause, d in zip(clauses, drafts, strict=True):
        spans.extend(d.spans)
        cues = clause.tags
        cycle_count = d.get(FactKind.CYCLE_COUNT)
        if isinstance(cycle_count, tuple):
            count, up_to = cycle_count[0], cycle_count[1]
        rest = d.get(FactKind.REST)
        if not clause.has_rhythm() and not d.get(FactKind.AMOUNT):
            if isinstance(rest, int) and phases:
                on = cycle_days(phases[-1])
                if on is None:
                    reasons.append("a rest period after something that is not a fixed number of days")
                    return None
                phases[-1] = replace(phases[-1], cycle=_pending(on, rest))
            elif Tag.STOP in cues or not clause.items:
                pass
            elif phases and (not d.facts or Tag.AS_NEEDED in cues):  # "then a maintenance dose as directed",
                # "then increase as tolerated", "then as needed, up to 3 times a day": what follows, in its words
                then = _words(clause)
            elif d.get(FactKind.DURATION) and phases and phases[-1].duration is None:
                phases[-1] = replace(phases[-1], duration=d.get(FactKind.DURATION))  # type: ignore[arg-type]
            else:  # a part with its own problems ("then 2 more tablets 2 hours later") is never dropped silently
                reasons.extend(d.reasons)
            continue
        phase = build(d)
        if phase is not None and isinstance(cycle_count, tuple) and cycle_count[2] and isinstance(rest, int):
            phase = replace(
                phase, cycle=_pending(cycle_count[2], rest), duration=None
            )  # "two 2-week cycles separated by"
        reasons.extend(d.reasons)
        if phase is not None and phase.amount is None and phases and phases[-1].amount is not None:
            # "1 tablet twice a day for 5 days, then once a day for 5 days": the amount carries on
            phase = replace(phase, amount=phases[-1].amount, amount_open=phases[-1].amount_open)
        if phase is not None:
            phases.append(phase)
    if reasons or not phases:
        return None
    phases = [_cycled(p, count, up_to, ongoing, reasons) for p in phases]
    return Regimen(tuple(phases), then=then)


def _words(clause: Clause) -> str:
    return " ".join(i.text for i in clause.items if i.tag is not Tag.COMMA).strip()


def _pending(on: int, off: int) -> Cycle:
    return Cycle(on, off, PENDING)


def _cycled(phase: Phase, count: int | None, up_to: bool, ongoing: bool, reasons: list[str]) -> Phase:
    if phase.cycle is None or phase.cycle.repeats != PENDING:
        return phase
    return with_cycle(phase, phase.cycle.on_days, phase.cycle.off_days, count, up_to, ongoing, reasons)


def _ends(regimen: Regimen, ongoing: bool, reasons: list[str]) -> Regimen:
    """A phase with no end: ongoing where the label (or a prescription) says so, else a reason."""
    phases = list(regimen.phases)
    for k, p in enumerate(phases):
        if p.duration is None and p.doses is None and p.cycle is None:
            if ongoing and k == len(phases) - 1:
                phases[k] = replace(p, duration=Duration(DurationKind.ONGOING))
            else:
                reasons.append("no duration or number of doses found")
    if any(p.duration and p.duration.kind is DurationKind.ONGOING for p in phases[:-1]):
        reasons.append("a phase before the last one has no end")
    return replace(regimen, phases=tuple(phases))


def _fill(regimen: Regimen, duration: Duration | None, anchors: list[str]) -> Regimen:
    """What supporting sentences add: a duration for the one phase with none, a time of day."""
    phases = [_anchor(p, anchors) for p in regimen.phases]
    open_ = [k for k, p in enumerate(phases) if p.duration is None and p.doses is None and p.cycle is None]
    if duration is not None and len(open_) == 1:
        phases[open_[0]] = replace(phases[open_[0]], duration=duration)
    return replace(regimen, phases=tuple(phases))


def _agrees(regimen: Regimen, duration: Duration | None) -> bool:
    """A supporting sentence's duration ("do not use for more than 5 days") fits every phase's own."""
    if duration is None:
        return True
    for p in regimen.phases:
        own = p.duration
        if own is None or own == duration or own.kind is DurationKind.ONGOING:
            continue
        if own.unit is not duration.unit:
            return False
        if duration.kind is DurationKind.UP_TO and (own.max or own.min or 0) <= (duration.max or 0):
            continue
        return False
    return True


def _shared_duration(regimens: list[Regimen]) -> Duration | None:
    """ "500 mg every 12 hours or 250 mg every 8 hours for 10 days": the end belongs to both."""
    found = {p.duration for r in regimens for p in r.phases if p.duration is not None}
    return found.pop() if len(found) == 1 else None


def _support_facts(support: list[_Sentence], reasons: list[str]) -> tuple[Duration | None, list[str], bool]:
    durations = {s.draft.get(FactKind.DURATION) for s in support} - {None}
    if len(durations) > 1:
        reasons.append("two different durations in the text")
    duration = durations.pop() if len(durations) == 1 else None
    anchors = [str(a) for s in support if (a := s.draft.get(FactKind.TIME_OF_DAY))]
    open_cycles = any(Tag.CYCLE in s.cues and Tag.AS_DIRECTED in s.cues for s in support)
    return duration if isinstance(duration, Duration) else None, anchors, open_cycles


def _repeats_the_course(s: _Sentence) -> bool:
    """A sentence that repeats the course ("repeat the course once after a month if it returns"),
    naming no dose of its own: no production read its "repeat"."""
    cycled = Tag.CYCLE in s.cues or FactKind.CYCLE_COUNT in s.draft.facts  # "repeat this cycle 4 times"
    return Tag.REPEAT in s.cues and not cycled and FactKind.AMOUNT not in s.draft.facts


def _is_rhythm_sentence(s: _Sentence) -> bool:
    return s.clause.has_rhythm() and bool(parse(s.items).facts)


@functools.lru_cache(maxsize=4096)  # pure; labels repeat their sentences across files and versions
def read(text: str, context: Context = Context.MONOGRAPH) -> Reading:
    """Every regimen a dosing text allows, with the spans each value came from."""
    items = tag(text)
    parts = [s for s in sentences(items) if s]
    reasons: list[str] = []
    notes: list[str] = []
    spans: list[Span] = []
    main_at = next((k for k, s in enumerate(parts) if Clause(s, tuple(False for _ in s)).says_dose()), None)
    if main_at is None:  # the real blocker first: "use as needed" is not "no frequency"
        refused = _refusals({i.tag for i in items}, items, text)
        refused += [reason for cue, reason in CUE_REASONS.items() if any(i.tag is cue for i in items)]
        if any(i.tag is Tag.AS_DIRECTED for i in items):
            refused.append("says 'as directed': no schedule is given")
        if any(f.kind is FactKind.SPACING_HOURS for f in parse(items).facts):  # "two doses, 6 to 8 hours apart"
            refused.append("doses some hours apart on one day: the planner does not place doses by the hour")
        return Reading((), (), tuple(refused or ["no dosing frequency found"]))
    main = parts[main_at]
    support: list[_Sentence] = []
    then: str | None = None
    repeat: _Sentence | None = None
    for k, s in enumerate(parts):
        if k == main_at:
            continue
        sentence = _support(s)
        if sentence.items and sentence.items[0].tag is Tag.THEN and not sentence.clause.has_rhythm():
            then = sentence.text(text)  # "After this, a maintenance dose … as directed"
            continue
        if _repeats_the_course(sentence):
            repeat = sentence
            continue
        support.append(sentence)
    cues = {i.tag for i in main} | {t for s in support for t in s.cues}
    reasons.extend(_refusals(cues - _after_the_course(main, items), items, text))
    if _alternative_times(main):
        reasons.append("offers alternative times of day ('or'): the prescriber chooses")
    ongoing = Tag.ONGOING in cues or context is Context.SIG
    duration, anchors, open_cycles = _support_facts(support, reasons)
    regimens: list[Regimen] = []
    for clauses in options(main):
        regimens.extend(_options(clauses, ongoing or open_cycles, reasons, spans, context))
    shared = _shared_duration(regimens) if len(regimens) > 1 else None
    if not all(_agrees(r, duration) for r in regimens):
        reasons.append("two different durations in the text")
    regimens = [_fill(r, duration or shared, anchors) for r in regimens]
    regimens = [_ends(r, ongoing, reasons) for r in regimens]
    for s in support:
        if _is_rhythm_sentence(s) and s.draft.get(FactKind.FREQUENCY) not in _rhythms(regimens):
            reasons.append("a second sentence gives a different rhythm")
        reasons.extend(r for r in s.draft.reasons if r.startswith("a number that cannot"))
        own = s.draft.facts.get(FactKind.AMOUNT)
        if own is not None and (FactKind.DURATION in s.draft.facts or _is_rhythm_sentence(s)):
            reasons.append("a second sentence with its own dose: read two ways")
    if Tag.UNTIL in cues:
        if not any(_bounded(r) for r in regimens):
            reasons.append("'until' a clinical end point with no maximum: the prescriber decides when to stop")
        elif any(p.duration and p.duration.kind in _TIMED for r in regimens for p in r.phases):
            reasons.append("ends either after a fixed time or at a clinical end point: read two ways")
    if Tag.MAY in cues or Tag.INDIVIDUAL in cues:
        notes.append("the label lets the prescriber change the dose: follow what you were told")
    kind = OptionKind.LABEL_EXAMPLE if Tag.EXAMPLE in cues else OptionKind.CHOICE
    if then is not None or any(r.then for r in regimens):
        regimens = [replace(r, then=then or r.then) for r in regimens]
    if context is Context.MONOGRAPH and Tag.STOP not in cues:
        regimens = [_titration(r) for r in regimens]
    if any(len(r.phases) == 1 and r.phases[0].doses == 1 and r.phases[0].amount is None for r in regimens):
        reasons.append("a single dose with no amount")
    if reasons or not regimens:
        return Reading(
            (), tuple(sorted(set(spans), key=_span_key)), tuple(dict.fromkeys(reasons or ["no dosing found"]))
        )
    found = tuple(Option(r, kind, _note(kind), default=k == 0 and len(regimens) == 1) for k, r in enumerate(regimens))
    if repeat is not None:
        if Tag.IF not in repeat.cues or len(regimens) != 1:
            reasons.append("a repeat of the course after a gap is not planned: ask the prescriber")
            return Reading((), tuple(sorted(set(spans), key=_span_key)), tuple(reasons))
        # "repeat the course once after a month if the infection returns": the same course, only when it applies
        found += (Option(regimens[0], OptionKind.CONDITIONAL, f"only if it applies: {repeat.text(text)}"),)
    return Reading(found, tuple(sorted(set(spans), key=_span_key)), (), tuple(notes))


_TIMED = (DurationKind.FIXED, DurationKind.RANGE)


def _after_the_course(main: Sequence[Item], items: Sequence[Item]) -> set[Tag]:
    """ "3 drops twice daily for 2 weeks, then as needed for itch": the as-needed use comes after
    the planned course (what follows it, said as such), so it does not refuse the course. Only
    when every "as needed" of the text is in that last "then" clause and it names no dose."""
    at = max((k for k, i in enumerate(main) if i.tag is Tag.THEN), default=None)
    if at is None:
        return set()
    tail = main[at + 1 :]
    needed = [i for i in items if i.tag is Tag.AS_NEEDED]
    if not needed or not all(i in tail for i in needed) or Clause(tail, tuple(False for _ in tail)).says_dose():
        return set()
    return {Tag.AS_NEEDED}
TITRATION_THEN = "the dose after the titration is set by the prescriber"


def _titration(regimen: Regimen) -> Regimen:
    """A label's rising steps that stop without "then stop" lead to a dose the label leaves to the
    prescriber: the steps are planned and end with that reminder, never with silence."""
    if regimen.then is not None or len(regimen.phases) < 2:
        return regimen
    steps = [_measured(p.amount) for p in regimen.phases]
    units = {unit for _, unit in steps}
    values = [value for value, _ in steps]
    if None in units or len(units) != 1 or any(b is None or a is None or b <= a for a, b in zip(values, values[1:])):
        return regimen
    return replace(regimen, then=TITRATION_THEN)


def _measured(amount: str | None) -> tuple[Fraction | None, str | None]:
    parts = (amount or "").split()
    if len(parts) != 2:
        return None, None
    try:
        return Fraction(parts[0].replace(",", "")), parts[1]
    except ValueError:
        return None, None


def _alternative_times(items: Sequence[Item]) -> bool:
    """ "on an empty stomach or at bedtime": two times of day offered."""
    codes = "".join(i.code for i in items if i.tag is not Tag.COMMA)
    return "VM" in codes


def _span_key(s: Span) -> tuple[int, int, str]:
    return s.start, s.end, s.field


def _note(kind: OptionKind) -> str:
    if kind is OptionKind.LABEL_EXAMPLE:
        return "the label's example: confirm it is what you were prescribed"
    return ""


def _rhythms(regimens: list[Regimen]) -> set[object]:
    return {p.frequency for r in regimens for p in r.phases} | {None}


def _bounded(regimen: Regimen) -> bool:
    return any(p.duration and p.duration.max or p.cycle and p.cycle.repeats or p.doses for p in regimen.phases)


def read_regimen(sentence: str) -> tuple[Regimen | None, tuple[Span, ...], tuple[str, ...]]:
    """The default regimen of a monograph's dosing text: (regimen or None, spans, reasons)."""
    reading = read(sentence)
    return reading.regimen, reading.spans, reading.reasons


__all__ = ["Context", "EventNeed", "Reading", "read", "read_regimen"]
