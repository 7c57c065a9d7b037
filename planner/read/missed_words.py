"""Stage 2a': the monograph's missed-dose answer → ``MissedDose``, a policy of structured clauses.

The answer is read sentence by sentence, each sentence part by part (split at ";" and "In that
case"): a condition ("unless it is almost time for your next dose", "if your next scheduled dose
is more than 7 days away", "if it is more than 2 days late") and the instructions it governs
("take it as soon as you remember", "skip it", "take one tablet on the morning after you
remember") become clauses; limits ("do not take two doses on the same day", "never two tablets
within the same week") hold always. A sentence the reader cannot place — nothing it knows, or an
"if"/"unless" it cannot read ("if you vomit after taking your dose") — is kept in ``unplaced``:
the answer is then refused with that sentence shown, never replaced by a guess.

Answers that differ by regimen form ("If you miss your weekly dose … If you take a daily tablet
…") are split so that each rule gets its own form's sentences (``missed_dose_for``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ..model import MissedClause, MissedDose, MissedKind, MissedWhen, Regimen, Unit
from .gates import may_match, needed
from .missed_phrases import ACTIONS as _ACTIONS
from .missed_phrases import DOSE as _DOSE
from .missed_phrases import NEXT as _NEXT
from .missed_phrases import NUM

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_WORDS |= {"ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "twenty": 20, "thirty": 30}
_I = re.I


def _n(word: str) -> int:
    return int(word) if word.isdigit() else _WORDS[word.lower()]


# --- regimen forms: "If you miss your weekly dose …", "For the monthly tablet, …" ---------------

_WORDS_IN = r"(?:[^,.;]|\.(?=\d))*?"  # words within a clause ("2.5 mg" keeps its point)
_FORM_PHRASES = (
    re.compile(rf"\bif you miss (?:your|a|the) {_WORDS_IN}\b{_DOSE}\b(?:\s+and\b)?", _I),
    re.compile(
        rf"\bif you (?:forget|have missed)(?: to (?:take|use|apply|put on|change|wear))? "
        rf"(?:it|(?:a|your|the) {_WORDS_IN}\b{_DOSE})\b",
        _I,
    ),
    re.compile(rf"\bif you take (?:a|the|your) {_WORDS_IN}\b{_DOSE} and miss (?:a|the|your) dose\b", _I),
    re.compile(rf"\bif an? {_WORDS_IN}\binjection is missed\b", _I),
    re.compile(rf"^\s*for the {_WORDS_IN}\b{_DOSE}\b", _I),
)
_FORMS = {
    "weekly": re.compile(r"\bweekly\b|\bonce a week\b", _I),
    "monthly": re.compile(r"\bmonthly\b|\bonce a month\b", _I),
    "3-monthly": re.compile(r"\b3-month\b|\bevery 3 months\b|\bquarterly\b", _I),
    "daily": re.compile(r"\bdaily\b|\bonce a day\b", _I),
}


def _form_of(sentence: str) -> str | None:
    """The regimen form a sentence is about, from its form phrase only ("If you miss your weekly dose")."""
    for phrase in _FORM_PHRASES:
        found = phrase.search(sentence)
        if found:
            forms = [name for name, pattern in _FORMS.items() if pattern.search(found.group())]
            return forms[0] if len(forms) == 1 else None
    return None


def regimen_form(regimen: Regimen | None) -> str | None:
    """The form a missed-dose answer names for this regimen: weekly, monthly, 3-monthly or daily."""
    phase = regimen.phases[0] if regimen and regimen.phases else None
    if phase is None:
        return None
    if phase.interval is not None:
        unit, every = phase.interval.unit, phase.interval.every
        if unit is Unit.MONTH and every == 3:
            return "3-monthly"
        return {Unit.WEEK: "weekly", Unit.MONTH: "monthly"}.get(unit) if every == 1 else None
    if phase.frequency is not None and phase.frequency.times == 1:
        return {Unit.WEEK: "weekly", Unit.MONTH: "monthly", Unit.DAY: "daily"}.get(phase.frequency.per)
    return "daily" if phase.frequency is not None and phase.frequency.per is Unit.DAY else None


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


@functools.lru_cache(maxsize=4096)  # pure; asked once per rule of a monograph, same answer each time
def _sentences_by_form(text: str) -> tuple[tuple[str, str | None], ...]:
    """Each sentence with the form it is about; a sentence without a form phrase belongs to the one before."""
    out: list[tuple[str, str | None]] = []
    for sentence in sentences(text):
        form = _form_of(sentence)
        out.append((sentence, form if form is not None else out[-1][1] if out else None))
    return tuple(out)


def missed_dose_for(regimen: Regimen | None, text: str | None) -> str | None:
    """The part of a missed-dose answer that applies to this regimen's form ("For the weekly
    tablet, … For the monthly tablet, …"): the sentences of its form and those before any form."""
    by_form = _sentences_by_form(text or "")
    if not any(form for _, form in by_form):
        return text
    mine = regimen_form(regimen)
    if mine is None:
        return text
    return " ".join(s for s, form in by_form if form is None or form == mine) or None


# --- conditions ---------------------------------------------------------------------------------

_N, _U = rf"(?P<n>{NUM})", r"(?P<u>hours?|days?)"
_CONDITION_WORDS = (  # the first that matches a part is its condition; a number is in hours or days
    (
        MissedWhen.NEXT_WITHIN,
        rf"\b(?:unless|if) it is (?:almost|nearly|close to|near) (?:the )?time (?:for|of|to take) {_NEXT}",
    ),
    (MissedWhen.NEXT_WITHIN, rf"\bunless (?:it is )?(?:close|near) to {_NEXT}"),
    (
        MissedWhen.NEXT_WITHIN,
        rf"\b(?:unless|if) (?:it is )?(?:less than|within|under) {_N} {_U} (?:before|of|from|until|to) {_NEXT}",
    ),
    (MissedWhen.NEXT_BEYOND, rf"\bif (?:{_NEXT}|it) is (?:more than|over) {_N} {_U} away\b"),
    (
        MissedWhen.NEXT_WITHIN,
        rf"\bif (?:{_NEXT}|it) is (?:only )?(?:due )?(?:in |within |in less than |less than |in under |under "
        rf"|{NUM} to )?{_N} {_U}(?: away)?(?: or less)?",
    ),
    (MissedWhen.LATE_WITHIN, rf"\bif you remember within {_N} {_U} (?:of|after) [^,.;]*"),
    (MissedWhen.LATE_BEYOND, rf"\bif (?:it is|you are|you remember) more than {_N} {_U} (?:late|after)[^,.;]*"),
    (MissedWhen.LATER_DAY, r"\bif you (?:do not|don't) remember until the (?:next|following) day\b"),
    (MissedWhen.LATER_DAY, r"\bif you (?:only )?remember (?:on )?the (?:next|following) day\b"),
)
_CONDITIONS = tuple((re.compile(words, _I), when) for when, words in _CONDITION_WORDS)
_CONDITION_GATES = tuple(needed(pattern) for pattern, _ in _CONDITIONS)
# advice that is not a missed-dose condition: "ask your pharmacist if you are unsure", "… if warts remain"
_UNSURE = re.compile(
    r"\bif you are (?:unsure|not sure|in doubt)\b|\bif (?:the )?(?:\w+ ){0,2}(?:remains?|persists?|returns?|"
    r"gets? worse|do(?:es)? not (?:improve|clear))\b",
    _I,
)
_IN_THAT_CASE = re.compile(r"^\s*in (?:that|this) case\b,?", _I)
_IF = re.compile(r"\b(?:if|unless)\b", _I)


def _condition(part: str, lowered: str | None) -> tuple[MissedWhen, int | None, bool, bool, list[tuple[int, int]]]:
    """(condition, hours, by_date, is_unless, spans) of the first condition the part states
    (``lowered``: the part in lower case when it is ASCII, for the literal gates)."""
    for (pattern, when), gate in zip(_CONDITIONS, _CONDITION_GATES, strict=True):
        found = pattern.search(part) if may_match(gate, lowered) else None
        if not found:
            continue
        hours, by_date = None, False
        if "n" in pattern.groupindex and found.group("n"):
            by_date = found.group("u").lower().startswith("day")
            hours = _n(found.group("n")) * (24 if by_date else 1)
        return when, hours, by_date, found.group().lower().startswith("unless"), [found.span()]
    return MissedWhen.ALWAYS, None, False, False, []


_FORM_GATES = tuple(needed(phrase) for phrase in _FORM_PHRASES)
_ACTION_GATES = tuple(needed(pattern) for _, pattern in _ACTIONS)
_UNSURE_GATE, _CASE_GATE, _IF_GATE = needed(_UNSURE), needed(_IN_THAT_CASE), needed(_IF)
_ALWAYS_KINDS = frozenset(
    {
        MissedKind.MIN_HOURS,
        MissedKind.ONE_PER_DAY,
        MissedKind.NO_DOUBLE,
        MissedKind.KEEP_END,
        MissedKind.FINISH,
        MissedKind.RESUME,
        MissedKind.NOTE,
        MissedKind.SAME_DAY_ONLY,
    }
)


def _limit_hours(found: re.Match[str]) -> tuple[int, bool]:
    if found.group("n"):
        by_date = found.group("u").lower().startswith("day")
        return _n(found.group("n")) * (24 if by_date else 1), by_date
    return 7 * 24, True  # "within the same week": seven days apart


def _without_form_phrases(part: str) -> tuple[str, str | None]:
    """The part with its form phrases blanked ("If you miss your monthly tablet and your next
    dose is …": "… if your next dose is …"), and the same in lower case when it is ASCII (for
    the literal gates: most of the ~40 patterns are then ruled out by a substring test)."""
    lowered = part.lower() if part.isascii() else None
    for phrase, gate in zip(_FORM_PHRASES, _FORM_GATES, strict=True):
        if not may_match(gate, lowered):
            continue
        for m in phrase.finditer(part):
            a, b = m.span()
            tail = "if" if m.group().lower().endswith(" and") else ""
            part = part[:a] + " " * (b - a - len(tail)) + tail + part[b:]
        lowered = part.lower() if lowered is not None else None
    return part, lowered


@functools.lru_cache(maxsize=4096)  # pure; answers of one drug differ in a sentence or two, not in every part
def _read_part(
    part: str, sentence: str, inherited: tuple[MissedWhen, int | None, bool]
) -> tuple[tuple[MissedClause, ...], tuple[MissedWhen, int | None, bool], bool]:
    """The clauses of one part, the condition it leaves for an "In that case" after it, and whether it was placed."""
    spans: list[tuple[int, int]] = []
    # Each pattern is searched only where its literal gate lets it match (``gates``): on ASCII
    # text, lowered once, most of the ~40 patterns are ruled out by a substring test.
    part, lowered = _without_form_phrases(part)
    when, hours, by_date, unless, found = _condition(part, lowered)
    spans += found
    case = _IN_THAT_CASE.search(part) if may_match(_CASE_GATE, lowered) else None
    if case and when is MissedWhen.ALWAYS:
        when, hours, by_date = inherited
    unsure = _UNSURE.search(part) if may_match(_UNSURE_GATE, lowered) else None
    if unsure:
        spans.append(unsure.span())
    kinds: list[tuple[MissedKind, re.Match[str]]] = []
    for (kind, pattern), gate in zip(_ACTIONS, _ACTION_GATES, strict=True):
        if not may_match(gate, lowered):
            continue
        for match in pattern.finditer(part):
            if kind is MissedKind.TAKE and any(k is MissedKind.NEXT_MORNING for k, _ in kinds):
                continue  # "take the missed tablet on the morning after you remember" is not "take it now"
            kinds.append((kind, match))
            spans.append(match.span())
    ifs = _IF.finditer(part) if may_match(_IF_GATE, lowered) else ()
    placed = bool(kinds) and all(any(a <= m.start() < b for a, b in spans) for m in ifs)
    clauses: list[MissedClause] = []
    for kind, match in kinds:
        if kind is MissedKind.MIN_HOURS:
            n, days = _limit_hours(match)
            clauses.append(MissedClause(kind, hours=n, by_date=days, sentence=sentence))
        elif kind in _ALWAYS_KINDS or unless or unsure and kind is MissedKind.CONTACT:
            clauses.append(MissedClause(kind, sentence=sentence))
        else:
            clauses.append(MissedClause(kind, when, hours, by_date, sentence))
    if unless:  # "take it …, unless it is almost time for the next": skip then
        clauses.append(MissedClause(MissedKind.SKIP, when, hours, by_date, sentence))
    left = (when, hours, by_date) if when is not MissedWhen.ALWAYS else inherited
    return tuple(clauses), left, placed


def _parts(sentence: str) -> Iterable[str]:
    return [p for p in re.split(r";\s*", sentence) if p.strip()]


@functools.lru_cache(maxsize=4096)  # pure; monographs of one drug repeat their answer
def missed_dose(text: str | None) -> MissedDose | None:
    """The missed-dose answer as a policy: every clause it states, and the sentences it could not place."""
    if not text:
        return None
    clauses: list[MissedClause] = []
    unplaced: list[str] = []
    inherited: tuple[MissedWhen, int | None, bool] = (MissedWhen.ALWAYS, None, False)
    for sentence in sentences(text):
        mine: list[MissedClause] = []
        ok = True
        for part in _parts(sentence):
            found, inherited, placed = _read_part(part, sentence, inherited)
            mine += found
            ok = ok and placed
        if ok:
            clauses += mine
        else:
            unplaced.append(sentence)
    unique = tuple(dict.fromkeys(clauses, None))
    seen: set[tuple[object, ...]] = set()
    kept: list[MissedClause] = []
    for clause in unique:  # one clause per instruction, with the first sentence that states it
        key = (clause.kind, clause.when, clause.hours, clause.by_date)
        if key not in seen:
            seen.add(key)
            kept.append(clause)
    return MissedDose(text=text, clauses=tuple(kept), unplaced=tuple(unplaced))
