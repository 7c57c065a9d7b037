"""Dosing language, step 4b: the facts of one phase clause → a ``Draft`` of what it says.

Facts of one kind must agree; a bracket may restate a fact ("twice daily (about 12 hours
apart)", "8 cycles (24 weeks)") but never adds a second value. A rhythm said twice in two
words ("twice daily, every 12 hours") is one rhythm; two different ones are a reason. Times
of day joined by "and" are the doses of the day. Facts in a negation's scope are dropped
("a weekly medicine, NOT a daily one"), except limits. ``phase.build`` turns a draft into a
``Phase``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..model import Duration, DurationKind, Frequency, Interval, Span, Unit
from .clauses import Clause
from .facts import Fact, FactKind
from .grammar import Parsed, parse
from .lexicon import Tag
from .tagger import Item


@dataclass
class Draft:
    """What one phase clause says, before it is checked."""

    facts: dict[FactKind, Fact] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    cues: set[Tag] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # what the reader kept but could not check

    def get(self, kind: FactKind) -> object:
        fact = self.facts.get(kind)
        return fact.value if fact else None


_SPAN_FIELD = {FactKind.FREQUENCY_RANGE: "frequency", FactKind.INTERVAL_RANGE: "interval",
               FactKind.SPACING_HOURS: "spacing", FactKind.CYCLE_COUNT: "cycles", FactKind.CYCLE_LENGTH: "cycle",
               FactKind.REST: "cycle", FactKind.DAY_RANGE: "start_day", FactKind.SINGLE: "doses",
               FactKind.TIME_OF_DAY: "time_of_day", FactKind.HOURS_LATER: "offsets_hours",
               FactKind.COUNT_AMOUNT: "amount", FactKind.DAILY_CAP: "max_per_day"}  # fmt: skip


_NEGATED_KEEP = {FactKind.DURATION, FactKind.MORE_THAN}  # "do not use for longer than 16 weeks" is a limit


_UNSPANNED = {FactKind.SHORT_SPAN}  # read so that its number is not left over, but no value of the regimen


_FIXED_REASONS = {
    FactKind.SHORT_INTERVAL: "doses minutes or seconds apart: not a rhythm the planner keeps",
    FactKind.RHYTHM_CONFLICT: "both a frequency and an interval: read two ways",
    FactKind.REPEAT_AFTER: "a repeat after a gap that is not a whole number",
}


def draft(clause: Clause, loose_periods: bool = False) -> Draft:
    """Parse a clause into a draft. ``loose_periods``: a prescription's "once a day 90 days" (no
    "for") is a duration; a label's bare period beside a rhythm is not read."""
    out = Draft()
    items = list(clause.items)
    negated = _negated(items)
    parsed = parse(items)
    out.cues = {i.tag for i in parsed.left}
    bracket = {i.start for i, b in zip(items, clause.bracketed, strict=True) if b}
    kept = [_comparative(f, negated) for f in parsed.facts if f.start not in negated or f.kind in _NEGATED_KEEP]
    _times_of_day(out, [f for f in kept if f.kind is FactKind.TIME_OF_DAY], items, bracket)
    for fact in kept:
        if fact.kind is FactKind.TIME_OF_DAY or fact.kind in _UNSPANNED:
            continue
        if fact.kind in _FIXED_REASONS and not fact.value:
            out.reasons.append(_FIXED_REASONS[fact.kind])
            continue
        _add(out, fact, bracket)
    noon = out.facts.get(FactKind.TIME_OF_DAY)
    clock = out.facts.get(FactKind.CLOCK)
    if noon is not None and noon.value == "midday" and clock is not None and isinstance(clock.value, tuple):
        del out.facts[FactKind.TIME_OF_DAY]  # "at 8 am and noon": noon is one more clock time
        out.facts[FactKind.CLOCK] = Fact(FactKind.CLOCK, (*clock.value, "12:00"), clock.start, max(clock.end, noon.end))
    _split_in_brackets(out, [f for f in kept if f.start in bracket], [f for f in kept if f.start not in bracket])
    _settle_amount(out)
    _settle_period(out, clause, items, loose_periods)
    _cue_reasons(out, {i.tag for i in items})
    _leftovers(out, items, parsed)
    return out


def _comparative(fact: Fact, negated: set[int]) -> Fact:
    """ "do not use for longer than 16 weeks" is a most; "use for more than 3 months" is a least."""
    if fact.kind is not FactKind.MORE_THAN:
        return fact
    value = fact.value
    assert isinstance(value, Duration)
    if fact.start not in negated:
        value = Duration(DurationKind.RANGE, value.unit, value.max, None)
    return Fact(FactKind.DURATION, value, fact.start, fact.end)


_RHYTHMS = {FactKind.FREQUENCY, FactKind.INTERVAL}


def _split_in_brackets(out: Draft, bracketed: list[Fact], outside: list[Fact]) -> None:
    """ "200 mg on the first day (given as 100 mg every 12 hours)", "1000 mg a day (500 mg twice
    daily)": a bracket with its own amount and rhythm that gives more doses a day says how the
    amount outside is split. The dose is the bracket's when the two add up to the same amount a
    day, and the text is read two ways when they do not. Never the amount outside at the
    bracket's rhythm, nor once a day for what is taken twice (each doubles a dose). A bracket
    with fewer doses a day ("500 mg twice daily (1 g a day)") restates, as before."""
    inner = next((f for f in bracketed if f.kind is FactKind.AMOUNT), None)
    outer = out.facts.get(FactKind.AMOUNT)
    rhythm = next((f for f in bracketed if f.kind in _RHYTHMS), None)
    if inner is None or outer is None or rhythm is None or inner.value == outer.value or outer.start == inner.start:
        return
    own = next((f for f in outside if f.kind in _RHYTHMS), None)
    inner_per_day, outer_per_day = _per_day(rhythm.value), _per_day(own.value) if own is not None else 1
    if inner_per_day is None or outer_per_day is None or inner_per_day <= outer_per_day:
        return
    a, b = _quantity(outer.value), _quantity(inner.value)
    if a is not None and b is not None and a[1] == b[1] and a[0] * outer_per_day == b[0] * inner_per_day:
        out.facts[FactKind.AMOUNT] = inner
        out.spans.append(Span("amount", inner.start, inner.end))
        if own is not None:
            out.facts.pop(own.kind, None)
            out.facts[rhythm.kind] = rhythm
            out.spans.append(Span(_SPAN_FIELD.get(rhythm.kind, rhythm.kind.value), rhythm.start, rhythm.end))
    else:
        out.reasons.append("a daily amount and a dose in brackets: read two ways")


def _quantity(value: object) -> tuple[float, str] | None:
    parts = str(value).split()
    try:
        return (float(parts[0].replace(",", "")), parts[1]) if len(parts) == 2 else None
    except ValueError:
        return None


def _per_day(rhythm: object) -> float | None:
    if isinstance(rhythm, Frequency) and rhythm.per is Unit.DAY:
        return rhythm.times
    if isinstance(rhythm, Interval) and rhythm.unit is Unit.HOUR and 24 % rhythm.every == 0:
        return 24 // rhythm.every
    return None


def _add(out: Draft, fact: Fact, bracket: set[int]) -> None:
    """One fact into the draft: agreeing with, restating or contradicting the one of its kind."""
    old = out.facts.get(fact.kind)
    if old is not None and fact.kind is FactKind.CLOCK and isinstance(old.value, tuple) and fact.value:
        out.facts[fact.kind] = Fact(fact.kind, old.value + fact.value, old.start, fact.end)  # type: ignore[operator]
        return
    if old is not None and fact.kind is FactKind.DURATION and fact.start in bracket:
        out.facts[fact.kind] = _widened(old, fact)  # "for 42 days (and up to 49 days)"
        return
    if old is not None and old.value != fact.value and (fact.start in bracket or old.start in bracket):
        return  # a bracket restates, it does not add
    if old is not None and old.value != fact.value and fact.kind is FactKind.FREQUENCY and _week_capped(out, old, fact):
        return
    if old is not None and fact.kind is FactKind.AMOUNT:
        fact = _one_amount(old, fact)
        out.facts[fact.kind] = fact
        old = fact
    two = old is not None and old.value != fact.value
    if two or isinstance(fact.value, tuple) and fact.kind is FactKind.AMOUNT:
        out.reasons.append(f"two different values for {fact.kind.value.replace('-', ' ')}")
    if fact.value is None and fact.kind is FactKind.AMOUNT:
        out.reasons.append("an amount with no number: how many is not said")
    elif fact.value is None and fact.kind not in (FactKind.AMOUNT_CAP, FactKind.HOURS_SPAN):
        out.reasons.append(f"a {fact.kind.value.replace('-', ' ')} that is not a whole number")
    out.facts.setdefault(fact.kind, fact)
    out.spans.append(Span(_SPAN_FIELD.get(fact.kind, fact.kind.value), fact.start, fact.end))


def _week_capped(out: Draft, old: Fact, fact: Fact) -> bool:
    """ "once daily, 3 times a week": the week's rhythm, and "once daily" caps the day."""
    merged = _merged(old, fact)
    if merged is None:
        return False
    out.facts[fact.kind] = merged
    other = old if merged is fact else fact
    out.facts[FactKind.MAX_PER_DAY] = Fact(FactKind.MAX_PER_DAY, 1, other.start, other.end)
    out.spans[:] = [s for s in out.spans if (s.start, s.end) != (other.start, other.end)]
    out.spans.append(Span("max_per_day", other.start, other.end))
    if merged is fact:
        out.spans.append(Span(_SPAN_FIELD.get(fact.kind, fact.kind.value), fact.start, fact.end))
    return True


def _settle_amount(out: Draft) -> None:
    """A bare count ("take two daily") is the amount unless another amount is named."""
    count = out.facts.pop(FactKind.COUNT_AMOUNT, None)
    if count is None:
        return
    named = out.facts.get(FactKind.AMOUNT)
    if named is None:
        out.facts[FactKind.AMOUNT] = replace(count, kind=FactKind.AMOUNT)
    elif str(named.value).startswith(f"{count.value} "):
        return
    elif count.value != "1" or count.start > named.start:  # "one single 2 g dose"; not "2 tablets ... and 1 at night"
        out.reasons.append("two different values for amount")


def _settle_period(out: Draft, clause: Clause, items: list[Item], loose_periods: bool) -> None:
    bare = out.facts.pop(FactKind.BARE_DURATION, None)
    if bare is None:
        return
    if FactKind.DURATION in out.facts or clause.has_rhythm() and not loose_periods:
        out.reasons.append(f"a period that is not read ({_text(bare, items)!r})")
    else:  # a sentence that only says how long: "the recommended duration is 60 to 90 days"
        out.facts[FactKind.DURATION] = replace(bare, kind=FactKind.DURATION)


_FACT_REASONS = {
    FactKind.DAY_LIST: "treatment days listed within a cycle are not read",
    FactKind.MOST_TIMES: "'up to' a number of times: a most, not a schedule",
    FactKind.RELATIVE: "timed from another event: the calendar needs that event's date",
    FactKind.AFTER_SPAN: "'after' a time names when to check or change, not how long to take it: ask the prescriber",
}


def _cue_reasons(out: Draft, cues: set[Tag]) -> None:
    out.reasons.extend(reason for cue, reason in CUE_REASONS.items() if cue in cues)
    if Tag.CHANGE in cues and isinstance(out.get(FactKind.INTERVAL), Interval):
        out.reasons.append("a change every so often: a step of the dose or the dose's own rhythm, read two ways")
    cycled = {FactKind.CYCLE_COUNT, FactKind.REST, FactKind.CYCLE, FactKind.CYCLE_LENGTH} & set(out.facts)
    if Tag.REPEAT in out.cues and not cycled:  # a repeat no production read ("repeat in 12 hours" is read)
        out.reasons.append("a repeat of the course is not planned: ask the prescriber")
    out.reasons.extend(reason for kind, reason in _FACT_REASONS.items() if out.get(kind))
    if out.get(FactKind.AMOUNT_CAP) == "unit":
        out.reasons.append("a most per dose beside the dose: the prescriber sets the dose")


def _leftovers(out: Draft, items: list[Item], parsed: Parsed) -> None:
    """Numbers, units and forms no production used: something was said that was not read."""
    left = set(parsed.left)
    for k, item in enumerate(items):
        measured = k + 1 < len(items) and items[k + 1].tag is Tag.MEASURE  # "5 cm x 5 cm": a size
        after_cue = k > 0 and items[k - 1].tag in (Tag.FOR, Tag.TOTAL, Tag.UP_TO) and not measured
        if item in left and item.tag is Tag.NUMBER and (after_cue or _counts_something(items[k + 1 : k + 4])):
            out.reasons.append(f"a number that is not understood ({item.text!r})")
    for item in parsed.left:
        if item.tag is Tag.BAD_NUMBER:
            out.reasons.append(f"a number that cannot be read whole ({item.text!r})")
        elif item.tag in (Tag.DOSE_UNIT, Tag.FORM) and not _near_fact(item.start, out):
            out.reasons.append(f"an amount that is not understood ({item.text!r})")


# A number no production used, just before one of these (or before "or"/"to" and another such
# number), counted something the reader missed ("two or three times daily" read as three).
_COUNTED = {Tag.MULT, Tag.TIMES, Tag.DOSE_UNIT, Tag.FORM, Tag.TIME_UNIT, Tag.DOSE_WORD, Tag.ADVERB}


def _counts_something(after: Sequence[Item]) -> bool:
    tags = [i.tag for i in after]
    if tags[:1] and tags[0] in _COUNTED:
        return True
    return tags[:2] in ([Tag.OR, Tag.NUMBER], [Tag.RANGE, Tag.NUMBER]) and tags[2:3] != [] and tags[2] in _COUNTED


CUE_REASONS = {
    Tag.ERROR_PRONE: "'od' is once daily or the right eye: an error-prone abbreviation",
    Tag.NOT_ADVISED: "the label says this use is not studied or not recommended",
    Tag.DIVIDED: "a daily amount divided into doses: read two ways",
    Tag.EXCEPT: "exceptions to the rhythm are not read",
    Tag.CLINIC: "given in the clinic or office: not a schedule to plan at home",
    Tag.RUN_TOGETHER: "day names run together with no space: which days is not certain",
}


def _text(fact: Fact, items: list[Item]) -> str:
    return " ".join(i.text for i in items if fact.start <= i.start < fact.end)


_BEATS = {("morning", "before-breakfast"): "before-breakfast", ("evening", "bedtime"): "bedtime"}


# Times of the day that can each hold a dose; "with meals" or "after food" say how, not when.
_SLOTS = {"morning": "morning", "before-breakfast": "morning", "breakfast": "morning", "midday": "midday",
          "evening": "evening", "bedtime": "bedtime"}  # fmt: skip


def _times_of_day(out: Draft, facts: list[Fact], items: list[Item], bracket: set[int]) -> None:
    """One time of day (two that are one merge: "in the morning, before the first food"), or a
    list of them joined by "and" ("in the morning and at bedtime", "before breakfast, at noon
    and at bedtime"): a dose at each, so that many doses a day."""
    plain = [f for f in facts if f.start not in bracket] or facts  # a bracket restates
    groups: list[Fact] = []
    for f in plain:
        joined = groups and _and_between(groups[-1], f, items)
        if groups and not joined:
            merged = groups[-1] if groups[-1].value == f.value else _merged(groups[-1], f)
            if merged is not None:
                groups[-1] = merged
                continue
        groups.append(f)
    for f in plain:
        out.spans.append(Span("time_of_day", f.start, f.end))
    if len(groups) == 1:
        out.facts[FactKind.TIME_OF_DAY] = groups[0]
        return
    values = [str(g.value) for g in groups]
    slots = {_SLOTS.get(v) for v in values}
    if (
        len(groups) > 1
        and None not in slots
        and len(slots) == len(values)
        and _and_between(groups[-2], groups[-1], items)
    ):
        out.facts[FactKind.DOSE_TIMES] = Fact(FactKind.DOSE_TIMES, len(values), groups[0].start, groups[-1].end)
    elif groups:
        out.facts[FactKind.TIME_OF_DAY] = groups[0]
        out.reasons.append("two different values for time of day")


def _and_between(a: Fact, b: Fact, items: list[Item]) -> bool:
    return any(i.tag is Tag.AND and a.end <= i.start < b.start for i in items)


def _merged(a: Fact, b: Fact) -> Fact | None:
    """Two values that are one: "once daily, 3 times per week" (a day's cap and the week's
    rhythm), "in the morning, before the first food" (the more exact time wins)."""
    if isinstance(a.value, Frequency) and isinstance(b.value, Frequency):
        daily, weekly = (a, b) if a.value.per is Unit.DAY else (b, a)
        if (
            daily.value == Frequency(1, Unit.DAY)
            and isinstance(weekly.value, Frequency)
            and weekly.value.per is Unit.WEEK
        ):
            return weekly
        return None
    pair = tuple(sorted((str(a.value), str(b.value)), key=lambda s: s != "morning" and s != "evening"))
    best = _BEATS.get(pair)  # type: ignore[arg-type]
    return None if best is None else (a if a.value == best else b)


def _widened(fixed: Fact, bracketed: Fact) -> Fact:
    a, b = fixed.value, bracketed.value
    if (isinstance(a, Duration) and isinstance(b, Duration) and a.kind is DurationKind.FIXED
            and b.kind is DurationKind.UP_TO and a.unit is b.unit and (b.max or 0) > (a.min or 0)):  # fmt: skip
        return Fact(fixed.kind, Duration(DurationKind.RANGE, a.unit, a.min, b.max), fixed.start, bracketed.end)
    return fixed


def _one_amount(a: Fact, b: Fact) -> Fact:
    """Two amount phrases of one clause that say one amount: a strength and "one tube", or a
    dose and the layer it leaves ("a 0.5 cm strand … to leave a thin layer")."""
    plain = {"thin layer", "thin film", "1 tube", "1 packet", "1 sachet", "1 patch"}  # containers, not doses
    if str(b.value) in plain and str(a.value) not in plain:
        return a
    if str(a.value) in plain and str(b.value) not in plain:
        return b
    return b if a.value == b.value else Fact(a.kind, (a.value, b.value), a.start, b.end)


def _negated(items: list[Item]) -> set[int]:
    """Start offsets of the items in a negation's scope: from "not" to the next comma or bracket."""
    out: set[int] = set()
    on = False
    for item in items:
        if item.tag is Tag.NEGATION:
            on = True
            continue
        if item.tag in (Tag.COMMA, Tag.OPEN, Tag.CLOSE, Tag.STOPPER, Tag.THEN):
            on = False
        if on:
            out.add(item.start)
    return out


def _near_fact(at: int, d: Draft) -> bool:
    return any(f.start <= at <= f.end + 12 for f in d.facts.values())
