"""Dosing language, step 5b: the phase clauses of one option → its regimens.

Rest clauses turn the phase before into a cycle; words with no rhythm after "then" are what
follows ("then a maintenance dose as directed"); "then stop" ends it; a small range of
rhythms ("3-4 times a day") is an option per value, never the maximum. Then the end of each
phase (ongoing only where the text says so), what supporting sentences add, and the reminder
that ends a label's rising steps.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from ..model import Cycle, Duration, DurationKind, Frequency, Interval, Phase, Regimen, Span, Unit
from .clauses import Clause
from .draft import Draft, draft
from .facts import Fact, FactKind
from .lexicon import Tag
from .phase import AT_LEAST, PENDING, build, cycle_days, with_cycle

# The times of day a supporting sentence may give the phase, the first winning; others are refused (reader).
ANCHOR_RANK = (
    "before-breakfast",
    "breakfast",
    "before-meals",
    "bedtime",
    "with-meal",
    "after-meal",
    "midday",
    "morning",
    "evening",
)


def _anchor(phase: Phase, extra: list[str]) -> Phase:
    found = [a for a in ([phase.time_of_day] if phase.time_of_day else []) + extra if a]
    if not found:
        return phase
    best = min(dict.fromkeys(found), key=ANCHOR_RANK.index)
    if phase.frequency is not None and phase.frequency.times > 1 and best in ("morning", "evening"):
        return phase
    return replace(phase, time_of_day=best)


_ONE_TIME_OF_DAY = {"morning", "before-breakfast", "breakfast", "midday", "evening", "bedtime"}


def _nightly(d: Draft) -> Draft:
    """On a prescription, "take one tablet at bedtime" is once a day at that time, and "at 8 am
    and 8 pm" a dose at each clock time of the day."""
    rhythm = {FactKind.FREQUENCY, FactKind.INTERVAL, FactKind.SINGLE, FactKind.DOSES, FactKind.FREQUENCY_RANGE,
              FactKind.INTERVAL_RANGE, FactKind.WEEKDAYS, FactKind.DAY_RANGE, FactKind.DOSE_TIMES}  # fmt: skip
    anchor = d.facts.get(FactKind.TIME_OF_DAY)
    if anchor is not None and anchor.value not in _ONE_TIME_OF_DAY:
        anchor = None  # "with food", "before meals", "after meals": how, or each meal, never "once a day"
    clock = d.facts.get(FactKind.CLOCK)
    if rhythm & set(d.facts) or anchor is None and (clock is None or not isinstance(clock.value, tuple)):
        return d
    at = anchor or clock
    assert at is not None
    times = 1 if anchor is not None or not isinstance(at.value, tuple) else len(set(at.value))
    daily = Fact(FactKind.FREQUENCY, Frequency(times, Unit.DAY), at.start, at.end)
    return Draft({**d.facts, FactKind.FREQUENCY: daily}, list(d.reasons), list(d.spans), set(d.cues))


def regimens_of(
    clauses: list[Clause],
    ongoing: bool,
    reasons: list[str],
    spans: list[Span],
    sig: bool = False,
    notes: list[str] | None = None,
) -> list[Regimen]:
    """The regimens of one option; "3 to 4 times a day" is an option per value (never the
    maximum), where the range is small and is the only one."""
    drafts = [draft(c, loose_periods=sig) for c in clauses]
    notes = notes if notes is not None else []
    if sig:
        drafts = [_nightly(d) for d in drafts]
    ranged = [k for k, d in enumerate(drafts) if _range(d) is not None]
    if not ranged:
        regimen = _option(clauses, drafts, ongoing, reasons, spans, notes)
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
        regimen = _option(clauses, [chosen], ongoing, reasons, spans, notes)
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
    clauses: list[Clause], drafts: list[Draft], ongoing: bool, reasons: list[str], spans: list[Span], notes: list[str]
) -> Regimen | None:
    """One option's phases: rest clauses turn the phase before into a cycle; words with no
    rhythm after "then" are what follows ("then a maintenance dose as directed"); "then stop" ends it."""
    phases: list[Phase] = []
    then: str | None = None
    count, up_to = None, False
    for clause, d in zip(clauses, drafts, strict=True):
        spans.extend(d.spans)
        cycle_count = d.get(FactKind.CYCLE_COUNT)
        if isinstance(cycle_count, tuple):
            count, up_to = cycle_count[0], cycle_count[1]
        rest = d.get(FactKind.REST)
        if not clause.has_rhythm() and not d.get(FactKind.AMOUNT):
            said = _no_dose_part(clause, d, phases, reasons)
            if said is False:
                return None
            then = said if isinstance(said, str) else then
            continue
        phase = build(d)
        notes.extend(d.notes)  # what build kept but could not check ("the most a day is 60 mg")
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


def _no_dose_part(clause: Clause, d: Draft, phases: list[Phase], reasons: list[str]) -> str | bool:
    """A part with no rhythm and no amount: a rest (the phase before becomes a cycle), "stop",
    what follows in its own words (the returned text), or the end of the phase before. False:
    the option cannot be read; True: nothing to add."""
    rest = d.get(FactKind.REST)
    if isinstance(rest, int) and phases:
        on = cycle_days(phases[-1])
        if on is None:
            reasons.append("a rest period after something that is not a fixed number of days")
            return False
        phases[-1] = replace(phases[-1], cycle=_pending(on, rest))
    elif Tag.STOP in clause.tags or not clause.items:
        pass
    elif phases and (not d.facts or Tag.AS_NEEDED in clause.tags):  # "then a maintenance dose as directed",
        return _words(clause)  # "then increase as tolerated", "then as needed, up to 3 times a day"
    elif d.get(FactKind.DURATION) and phases and phases[-1].duration is None:
        phases[-1] = replace(phases[-1], duration=d.get(FactKind.DURATION))  # type: ignore[arg-type]
    else:  # a part with its own problems ("then 2 more tablets 2 hours later") is never dropped silently
        reasons.extend(d.reasons)
    return True


def _words(clause: Clause) -> str:
    return " ".join(i.text for i in clause.items if i.tag is not Tag.COMMA).strip()


def _pending(on: int, off: int) -> Cycle:
    return Cycle(on, off, PENDING)


def _cycled(phase: Phase, count: int | None, up_to: bool, ongoing: bool, reasons: list[str]) -> Phase:
    if phase.cycle is None or phase.cycle.repeats != PENDING:
        return phase
    return with_cycle(phase, phase.cycle.on_days, phase.cycle.off_days, count, up_to, ongoing, reasons)


def ends(regimen: Regimen, ongoing: bool, reasons: list[str]) -> Regimen:
    """A phase with no end: ongoing where the label (or a prescription) says so, else a reason."""
    phases = list(regimen.phases)
    for k, p in enumerate(phases):
        if p.duration is None and p.doses is None and p.cycle is None:
            if ongoing and k == len(phases) - 1:
                phases[k] = replace(p, duration=Duration(DurationKind.ONGOING))
            else:
                reasons.append("no duration or number of doses found")
    if any(p.duration and p.duration.kind is DurationKind.RANGE and p.duration.max is None for p in phases):
        reasons.append(AT_LEAST)  # "daily use for 3 months or more is needed": said in a sentence of its own
    if any(p.duration and p.duration.kind is DurationKind.ONGOING for p in phases[:-1]):
        reasons.append("a phase before the last one has no end")
    return replace(regimen, phases=tuple(phases))


def fill(regimen: Regimen, duration: Duration | None, anchors: list[str]) -> Regimen:
    """What supporting sentences add: a duration for the one phase with none, a time of day."""
    phases = [_anchor(p, anchors) for p in regimen.phases]
    open_ = [k for k, p in enumerate(phases) if p.duration is None and p.doses is None and p.cycle is None]
    if duration is not None and len(open_) == 1:
        phases[open_[0]] = replace(phases[open_[0]], duration=duration)
    return replace(regimen, phases=tuple(phases))


def agrees(regimen: Regimen, duration: Duration | None) -> bool:
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


def shared_duration(regimens: list[Regimen]) -> Duration | None:
    """ "500 mg every 12 hours or 250 mg every 8 hours for 10 days": the end belongs to both; a
    step's end ("on the first day, followed by …") belongs to that step only."""
    if any(len(r.phases) > 1 for r in regimens):
        return None
    found = {p.duration for r in regimens for p in r.phases if p.duration is not None}
    return found.pop() if len(found) == 1 else None


TITRATION_THEN = "the dose after the titration is set by the prescriber"


def titration(regimen: Regimen) -> Regimen:
    """A label's rising steps that stop without "then stop" lead to a dose the label leaves to the
    prescriber: the steps are planned and end with that reminder, never with silence. A last step
    that goes on (the label names no end for it) is the dose the label gives: no reminder."""
    last = regimen.phases[-1].duration if regimen.phases else None
    if regimen.then is not None or len(regimen.phases) < 2 or last is not None and last.kind is DurationKind.ONGOING:
        return regimen
    steps = [_measured(p.amount) for p in regimen.phases]
    units = {unit for _, unit in steps}
    values = [value for value, _ in steps]
    if (
        None in units
        or len(units) != 1
        or any(b is None or a is None or b <= a for a, b in zip(values, values[1:], strict=False))
    ):
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
