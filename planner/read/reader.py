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

from ..model import (
    DurationKind,
    EventNeed,
    Option,
    OptionKind,
    Regimen,
    Span,
    Unit,
)
from . import events, same_day
from .assemble import ANCHOR_RANK, agrees, ends, fill, regimens_of, shared_duration, titration
from .clauses import Clause, options, sentences
from .draft import CUE_REASONS
from .facts import FactKind
from .grammar import parse
from .lexicon import Tag, cut_off
from .support import (
    NOT_SILENT_IN_A_SIG,
    Sentence,
    after_the_course,
    alternative_times,
    is_rhythm_sentence,
    may_change,
    refusals,
    repeats_the_course,
    says_nothing_of_an_end,
    support_facts,
    supporting,
)
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
    timed: tuple[Option, ...] = ()  # timed from an event: planned only once its dates are given (``events``)

    @property
    def regimen(self) -> Regimen | None:
        """The regimen planned when the user picks none: the first option."""
        return self.options[0].regimen if self.options else None


@functools.lru_cache(maxsize=4096)  # pure; labels repeat their sentences across files and versions
def read(text: str, context: Context = Context.MONOGRAPH) -> Reading:
    """Every regimen a dosing text allows, with the spans each value came from."""
    return _passes(text, context) or _read(text, context)


def _meal_checks(regimens: list[Regimen]) -> list[str]:
    """ "1 capsule po qd. before meals": a time of day from another sentence meets the rhythm's rules too."""
    return [
        "before meals, but not a dose before each of 2 or 3 meals: which meals is not said"
        for r in regimens
        for p in r.phases
        if p.time_of_day == "before-meals"
        and not (p.frequency is not None and p.frequency.per is Unit.DAY and p.frequency.times in (2, 3))
    ][:1]


def _goes_on(items: Sequence[Item], spans: Sequence[Span], cues: set[Tag]) -> bool:
    """A prescription silent about its end goes on until the prescriber stops it; one that
    speaks of an end no reading placed ("for several weeks", "until gone") does not."""
    if Tag.ONGOING in cues:
        return True
    unplaced = [i for i in items if not any(s.start <= i.start and i.end <= s.end for s in spans)]
    return says_nothing_of_an_end(unplaced, (), NOT_SILENT_IN_A_SIG)


def _ended(regimens: list[Regimen], ongoing: bool, reasons: list[str], context: Context) -> list[Regimen]:
    """``ends`` of each regimen; a prescription that names no end it could count is asked about."""
    unended: list[str] = []
    regimens = [ends(r, ongoing, unended) for r in regimens]
    if unended and context is Context.SIG and not reasons:
        unended = ["it speaks of an end the reader cannot place: ask how long to take it"]
    reasons.extend(dict.fromkeys(unended))
    return regimens


def _plannable(items: Sequence[Item], anchors: list[str], reasons: list[str]) -> list[str]:
    """The times of day other sentences give that the planner knows ("30 min. before a meal": not
    one); and a sig cut off in a word ("take with mea") is refused."""
    if items and items[-1].tag is Tag.WORD and cut_off(items[-1].text.lower()):
        reasons.append(f"the text seems cut off (it ends in {items[-1].text!r})")
    for anchor in dict.fromkeys(a for a in anchors if a not in ANCHOR_RANK):
        reasons.append(f"{anchor.replace('-', ' ')} (in another sentence): a time of day the planner does not know")
    return [a for a in anchors if a in ANCHOR_RANK]


def _read(text: str, context: Context) -> Reading:
    items = tag(text)
    parts = _steps_joined([s for s in sentences(items) if s])
    main_at = next((k for k, s in enumerate(parts) if Clause(s, tuple(False for _ in s)).says_dose()), None)
    if main_at is None:
        return _no_dose(items)
    main = parts[main_at]
    support, then, repeat, hedges = _supporting(parts, main_at, text)
    reasons: list[str] = []
    notes: list[str] = []
    spans: list[Span] = []
    cues = {i.tag for i in main} | {t for s in support for t in s.cues} | {Tag.MAY for _ in hedges}
    reasons.extend(refusals(cues - after_the_course(main, items), items))
    if alternative_times(main):
        reasons.append("offers alternative times of day ('or'): the prescriber chooses")
    ongoing = Tag.ONGOING in cues or context is Context.SIG  # a prescription's cycles go on
    duration, anchors, open_cycles = support_facts(support, reasons)
    anchors = _plannable(items, anchors, reasons)
    regimens: list[Regimen] = []
    for clauses in options(main):
        regimens.extend(regimens_of(clauses, ongoing or open_cycles, reasons, spans, context is Context.SIG, notes))
    shared = shared_duration(regimens) if len(regimens) > 1 else None
    if not all(agrees(r, duration) for r in regimens):
        reasons.append("two different durations in the text")
    # A prescription's silence about an end means "until the prescriber stops it"; so does a
    # label's when it names no length at all (a long-term treatment: "Take 5 mg once daily").
    hedged = {i for h in hedges for i in h.items}  # "the dose may be increased after 4 weeks": not a length
    unhedged = [i for i in items if i not in hedged]
    silent = not ongoing and duration is None and says_nothing_of_an_end(unhedged, spans)
    ongoing = _goes_on(unhedged, spans, cues) if context is Context.SIG else ongoing
    regimens = _ended([fill(r, duration or shared, anchors) for r in regimens], ongoing or silent, reasons, context)
    reasons.extend(_cross_checks(support, regimens, cues) + _meal_checks(regimens))
    regimens = [_capped(r, support, reasons) for r in regimens]
    notes.extend(_hedges(cues, silent, regimens))
    if then is not None or any(r.then for r in regimens):
        regimens = [replace(r, then=then or r.then) for r in regimens]
    if context is Context.MONOGRAPH and Tag.STOP not in cues:
        regimens = [titration(r) for r in regimens]
    if any(_dose_hours_later(s) for s in [*support, *([repeat] if repeat else [])]):
        # "if the headache comes back, a second dose may be taken at least 2 hours after the first"
        reasons.append("a further dose some hours later if the symptoms need it: as needed, not a schedule")
    elif repeat is not None and (Tag.IF not in repeat.cues or len(regimens) != 1):
        reasons.append("a repeat of the course after a gap is not planned: ask the prescriber")
    kept = tuple(sorted(set(spans), key=_span_key))
    if any(r in _SYMPTOMS for r in reasons) and set(reasons) - _SYMPTOMS:
        reasons = [r for r in reasons if r not in _SYMPTOMS]  # the real blocker, not what follows from it
    if reasons or not regimens:
        return Reading((), kept, tuple(dict.fromkeys(reasons or ["no dosing found"])))
    kind = OptionKind.LABEL_EXAMPLE if Tag.EXAMPLE in cues else OptionKind.CHOICE
    found = tuple(Option(r, kind, _note(kind), default=k == 0 and len(regimens) == 1) for k, r in enumerate(regimens))
    if repeat is not None:  # "repeat the course once after a month if the infection returns": only when it applies
        found += (Option(regimens[0], OptionKind.CONDITIONAL, f"only if it applies: {repeat.text(text)}"),)
    return Reading(found, kept, (), tuple(dict.fromkeys(notes)))


def _dose_hours_later(s: Sentence) -> bool:
    """ "a second dose may be taken 2 hours later", "an additional tablet at least 4 hours after the
    first": one more dose some hours on, which only the symptoms call for."""
    tags = {i.tag for i in s.items}
    return Tag.REPEAT in tags and any(i.tag is Tag.TIME_UNIT and i.value is Unit.HOUR for i in s.items)


def _steps_joined(parts: list[tuple[Item, ...]]) -> list[tuple[Item, ...]]:
    """ "40 mg daily for 5 days. Then 30 mg daily for 5 days.", "Step 1: … Step 2: …": a sentence
    that opens with "then" (or a step's number) and says a dose continues the dosing sentence
    before it, as if joined by ", then" (one that opens with "or" is an option: ``sentences``)."""
    out: list[tuple[Item, ...]] = []
    for s in parts:
        if out and s[0].tag is Tag.THEN and _says_dose(s) and _says_dose(out[-1]):
            out[-1] = out[-1] + s
        else:
            out.append(s)
    return out


def _says_dose(items: tuple[Item, ...]) -> bool:
    return Clause(items, tuple(False for _ in items)).says_dose()


def _hedges(cues: set[Tag], silent: bool, regimens: list[Regimen]) -> list[str]:
    """What the plan says the label left to the prescriber: the length, the dose."""
    out = []
    if silent and any(p.duration and p.duration.kind is DurationKind.ONGOING for r in regimens for p in r.phases):
        out.append("the label sets no end: the treatment goes on until your prescriber stops it")
    if Tag.MAY in cues or Tag.INDIVIDUAL in cues:
        out.append("the label lets the prescriber change the dose: follow what you were told")
    return out


def _passes(text: str, context: Context) -> Reading | None:
    """The passes that take their words out of the text and let the rest be read as usual: an
    event's window of dates (``events``), doses by the hour (``same_day``); None: neither."""
    if (event := events.find(text)) is not None:  # the window is the user's dates
        inner = read(event.rest, context)
        timed, why = events.timed(inner, event)
        return Reading((), tuple(sorted({*inner.spans, *event.spans}, key=_span_key)), why, inner.notes, timed)
    hours = same_day.find(text)  # "then 1 more tablet 2 hours later": single doses at their hours
    return same_day.offer(read(hours.rest, context), hours) if hours is not None else None


def _no_dose(items: Sequence[Item]) -> Reading:
    """No sentence says a dose: the real blocker first ("use as needed" is not "no frequency")."""
    refused = refusals({i.tag for i in items}, items)
    refused += [reason for cue, reason in CUE_REASONS.items() if any(i.tag is cue for i in items)]
    if any(i.tag is Tag.AS_DIRECTED for i in items):
        refused.append("says 'as directed': no schedule is given")
    if any(f.kind is FactKind.SPACING_HOURS for f in parse(items).facts):  # "two doses, 6 to 8 hours apart"
        refused.append("doses some hours apart on one day: the planner does not place doses by the hour")
    return Reading((), (), tuple(refused or ["no dosing frequency found"]))


def _supporting(
    parts: list[tuple[Item, ...]], main_at: int, text: str
) -> tuple[list[Sentence], str | None, Sentence | None, list[Sentence]]:
    """The other sentences: supporting ones, what follows ("After this, … as directed"), a repeat,
    and the prescriber's possible changes ("the dose may be increased to 10 mg after 4 weeks")."""
    support: list[Sentence] = []
    then: str | None = None
    repeat: Sentence | None = None
    hedges: list[Sentence] = []
    for k, s in enumerate(parts):
        if k == main_at:
            continue
        sentence = supporting(s)
        if sentence.items and sentence.items[0].tag is Tag.THEN and not sentence.clause.has_rhythm():
            then = sentence.text(text)
        elif repeats_the_course(sentence):
            repeat = sentence
        elif may_change(sentence):
            hedges.append(sentence)
        else:
            support.append(sentence)
    return support, then, repeat, hedges


def _capped(regimen: Regimen, support: list[Sentence], reasons: list[str]) -> Regimen:
    """ "…; mdd 3 tabs": a most a day said in its own sentence caps each phase of a day's rhythm."""
    caps = {c for s in support if isinstance(c := s.draft.get(FactKind.DAILY_CAP), int)}
    if len(caps) != 1:
        if caps:
            reasons.append("two different most-a-day limits")
        return regimen
    cap = caps.pop()
    phases = []
    for p in regimen.phases:
        per_day = p.frequency.times if p.frequency is not None and p.frequency.per is Unit.DAY else None
        if per_day is not None and per_day > cap:
            reasons.append(f"{per_day} times a day, but at most {cap} a day")
        phases.append(replace(p, max_per_day=cap) if per_day is not None and p.max_per_day is None else p)
    return replace(regimen, phases=tuple(phases))


def _cross_checks(support: list[Sentence], regimens: list[Regimen], cues: set[Tag]) -> list[str]:
    """What the supporting sentences and the end cues contradict in the regimens read."""
    out = []
    for s in support:
        if is_rhythm_sentence(s) and s.draft.get(FactKind.FREQUENCY) not in _rhythms(regimens):
            out.append("a second sentence gives a different rhythm")
        out.extend(r for r in s.draft.reasons if r.startswith("a number that cannot"))
        own = s.draft.facts.get(FactKind.AMOUNT)
        if own is not None and (FactKind.DURATION in s.draft.facts or is_rhythm_sentence(s)):
            out.append("a second sentence with its own dose: read two ways")
    if Tag.UNTIL in cues:
        if not any(_bounded(r) for r in regimens):
            out.append("'until' a clinical end point with no maximum: the prescriber decides when to stop")
        elif any(p.duration and p.duration.kind in _TIMED for r in regimens for p in r.phases):
            out.append("ends either after a fixed time or at a clinical end point: read two ways")
    if any(len(r.phases) == 1 and r.phases[0].doses == 1 and r.phases[0].amount is None for r in regimens):
        out.append("a single dose with no amount")
    return out


_TIMED = (DurationKind.FIXED, DurationKind.RANGE)
_SYMPTOMS = {"no dosing frequency found", "no duration or number of doses found"}


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
