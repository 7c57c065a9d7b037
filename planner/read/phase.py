"""Dosing language, step 4b: the facts of one phase clause → a ``Phase``, or the reasons it is not one.

Facts of one kind must agree; a bracket may restate a fact ("twice daily (about 12 hours
apart)", "8 cycles (24 weeks)") but never adds a second value. A rhythm said twice in two
words ("twice daily, every 12 hours") is one rhythm; two different ones are a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from ..limits import bound_problems
from ..model import Cycle, Duration, DurationKind, Frequency, Interval, Phase, Spacing, Span, Unit
from .clauses import Clause
from .grammar import DAYS_IN, Fact, FactKind, parse
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
_NEGATED_KEEP = {FactKind.DURATION}  # "do not use for longer than 16 weeks" is a limit
_UNSPANNED = {FactKind.SHORT_SPAN}  # read so that its number is not left over, but no value of the regimen
_FIXED_REASONS = {
    FactKind.SHORT_INTERVAL: "doses minutes or seconds apart: not a rhythm the planner keeps",
    FactKind.RHYTHM_CONFLICT: "both a frequency and an interval: read two ways",
    FactKind.REPEAT_AFTER: "a repeat after a gap that is not a whole number",
}


def draft(clause: Clause, loose_periods: bool = False) -> Draft:
    """Parse a clause; facts in a negation's scope are dropped ("a weekly medicine, NOT a
    daily one"), except limits. ``loose_periods``: a prescription's "once a day 90 days" (no
    "for") is a duration; a label's bare period beside a rhythm is not read."""
    out = Draft()
    items = list(clause.items)
    negated = _negated(items)
    parsed = parse(items)
    out.cues = {i.tag for i in parsed.left}
    bracket = {i.start for i, b in zip(items, clause.bracketed, strict=True) if b}
    kept = [f for f in parsed.facts if f.start not in negated or f.kind in _NEGATED_KEEP]
    _times_of_day(out, [f for f in kept if f.kind is FactKind.TIME_OF_DAY], items, bracket)
    for fact in kept:
        if fact.kind is FactKind.TIME_OF_DAY or fact.kind in _UNSPANNED:
            continue
        if fact.kind in _FIXED_REASONS and not fact.value:
            out.reasons.append(_FIXED_REASONS[fact.kind])
            continue
        old = out.facts.get(fact.kind)
        if old is not None and fact.kind is FactKind.CLOCK and isinstance(old.value, tuple) and fact.value:
            out.facts[fact.kind] = Fact(fact.kind, old.value + fact.value, old.start, fact.end)  # type: ignore[operator]
            continue
        if old is not None and fact.kind is FactKind.DURATION and fact.start in bracket:
            out.facts[fact.kind] = _widened(old, fact)  # "for 42 days (and up to 49 days)"
            continue
        if old is not None and old.value != fact.value and (fact.start in bracket or old.start in bracket):
            continue  # a bracket restates, it does not add
        if old is not None and old.value != fact.value and fact.kind is FactKind.FREQUENCY:
            merged = _merged(old, fact)
            if merged is not None:
                out.facts[fact.kind] = merged
                other = old if merged is fact else fact
                if fact.kind is FactKind.FREQUENCY:  # "once daily" beside the week's rhythm caps the day
                    out.facts[FactKind.MAX_PER_DAY] = Fact(FactKind.MAX_PER_DAY, 1, other.start, other.end)
                    out.spans[:] = [s for s in out.spans if (s.start, s.end) != (other.start, other.end)]
                    out.spans.append(Span("max_per_day", other.start, other.end))
                if merged is fact:
                    out.spans.append(Span(_SPAN_FIELD.get(fact.kind, fact.kind.value), fact.start, fact.end))
                continue
        if old is not None and fact.kind is FactKind.AMOUNT:
            fact = _one_amount(old, fact)
            out.facts[fact.kind] = fact
            old = fact
        if (
            old is not None
            and old.value != fact.value
            or isinstance(fact.value, tuple)
            and fact.kind is FactKind.AMOUNT
        ):
            out.reasons.append(f"two different values for {fact.kind.value.replace('-', ' ')}")
        if fact.value is None and fact.kind is FactKind.AMOUNT:
            out.reasons.append("an amount with no number: how many is not said")
        elif fact.value is None and fact.kind not in (FactKind.AMOUNT_CAP, FactKind.HOURS_SPAN):
            out.reasons.append(f"a {fact.kind.value.replace('-', ' ')} that is not a whole number")
        out.facts.setdefault(fact.kind, fact)
        out.spans.append(Span(_SPAN_FIELD.get(fact.kind, fact.kind.value), fact.start, fact.end))
    count = out.facts.pop(FactKind.COUNT_AMOUNT, None)
    if count is not None:
        named = out.facts.get(FactKind.AMOUNT)
        if named is None:
            out.facts[FactKind.AMOUNT] = replace(count, kind=FactKind.AMOUNT)
        elif count.value != "1" and not str(named.value).startswith(f"{count.value} "):  # "one single 2 g dose"
            out.reasons.append("two different values for amount")
    bare = out.facts.pop(FactKind.BARE_DURATION, None)
    if bare is not None:
        if FactKind.DURATION in out.facts or clause.has_rhythm() and not loose_periods:
            out.reasons.append(f"a period that is not read ({_text(bare, items)!r})")
        else:  # a sentence that only says how long: "the recommended duration is 60 to 90 days"
            out.facts[FactKind.DURATION] = replace(bare, kind=FactKind.DURATION)
    cues = {i.tag for i in items}
    for cue, reason in CUE_REASONS.items():
        if cue in cues:
            out.reasons.append(reason)
    if Tag.CHANGE in cues and isinstance(out.get(FactKind.INTERVAL), Interval):
        out.reasons.append("a change every so often: a step of the dose or the dose's own rhythm, read two ways")
    cycled = {FactKind.CYCLE_COUNT, FactKind.REST, FactKind.CYCLE, FactKind.CYCLE_LENGTH} & set(out.facts)
    if Tag.REPEAT in out.cues and not cycled:  # a repeat no production read ("repeat in 12 hours" is read)
        out.reasons.append("a repeat of the course is not planned: ask the prescriber")
    if FactKind.DAY_LIST in out.facts:
        out.reasons.append("treatment days listed within a cycle are not read")
    if out.get(FactKind.MOST_TIMES):
        out.reasons.append("'up to' a number of times: a most, not a schedule")
    if out.get(FactKind.AMOUNT_CAP) == "unit":
        out.reasons.append("a most per dose beside the dose: the prescriber sets the dose")
    if out.get(FactKind.RELATIVE):
        out.reasons.append("timed from another event: the calendar needs that event's date")
    for k, item in enumerate(items):
        measured = k + 1 < len(items) and items[k + 1].tag is Tag.MEASURE  # "5 cm x 5 cm": a size
        after_cue = k > 0 and items[k - 1].tag in (Tag.FOR, Tag.TOTAL, Tag.UP_TO) and not measured
        if item in parsed.left and item.tag is Tag.NUMBER and (after_cue or _counts_something(items[k + 1 : k + 4])):
            out.reasons.append(f"a number that is not understood ({item.text!r})")
    for item in parsed.left:
        if item.tag is Tag.BAD_NUMBER:
            out.reasons.append(f"a number that cannot be read whole ({item.text!r})")
        elif item.tag in (Tag.DOSE_UNIT, Tag.FORM) and not _near_fact(item.start, out):
            out.reasons.append(f"an amount that is not understood ({item.text!r})")
    return out


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
}


def _text(fact: Fact, items: list[Item]) -> str:
    return " ".join(i.text for i in items if fact.start <= i.start < fact.end)


_BEATS = {("morning", "before-breakfast"): "before-breakfast", ("evening", "bedtime"): "bedtime"}
# Times of the day that can each hold a dose; "with meals" or "after food" say how, not when.
_SLOTS = {"morning": "morning", "before-breakfast": "morning", "midday": "midday", "evening": "evening",
          "bedtime": "bedtime"}  # fmt: skip


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
    if len(groups) > 1 and None not in slots and len(slots) == len(values) and _and_between(groups[-2], groups[-1], items):
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
        daily, weekly = sorted((a, b), key=lambda f: f.value.per is not Unit.DAY)  # type: ignore[union-attr]
        if daily.value == Frequency(1, Unit.DAY) and weekly.value.per is Unit.WEEK:  # type: ignore[union-attr]
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


def rhythm(d: Draft) -> tuple[Frequency | None, Interval | None, Spacing | None]:
    """One rhythm from a frequency, an interval, weekdays and spacing."""
    frequency = d.get(FactKind.FREQUENCY)
    interval = d.get(FactKind.INTERVAL)
    spacing = d.get(FactKind.SPACING)
    weekdays = d.get(FactKind.WEEKDAYS)
    assert frequency is None or isinstance(frequency, Frequency)
    assert interval is None or isinstance(interval, Interval)
    assert spacing is None or isinstance(spacing, Spacing)
    if isinstance(weekdays, tuple):
        if frequency is not None and frequency.times != 1 and frequency.per is Unit.DAY:
            d.reasons.append("several doses a day on some weekdays only")
        elif frequency is not None and frequency.per is Unit.WEEK and frequency.times not in (1, len(weekdays)):
            d.reasons.append("the number of days a week does not match the weekdays named")
        frequency = Frequency(len(weekdays), Unit.WEEK)
    times = d.get(FactKind.DOSE_TIMES)
    if isinstance(times, int):
        if frequency == Frequency(1, Unit.DAY) and _from_anchor(d):
            frequency = None  # "1 tab qAM and 1 tab qHS": each code says once a day at its time
        if frequency is None and interval is None:
            frequency = Frequency(times, Unit.DAY)
        elif frequency != Frequency(times, Unit.DAY):
            d.reasons.append(f"{times} times of day named, but a different rhythm stated")
    hours = d.get(FactKind.SPACING_HOURS)
    if isinstance(hours, Spacing):
        per_day = frequency.times if frequency and frequency.per is Unit.DAY else None
        if not (per_day and hours.min_days * per_day == 24 or interval and interval.every == hours.min_days):
            d.reasons.append("doses a number of hours apart that is not the rhythm")
    if frequency is not None and interval is not None:
        if interval.unit is Unit.DAY and frequency.per is Unit.WEEK:
            return frequency, None, spacing or Spacing(interval.every)  # "3 times a week (every other day)"
        if interval.unit is Unit.HOUR and frequency.per is Unit.DAY and interval.every * frequency.times == 24:
            return frequency, None, spacing  # "twice daily (every 12 hours)": one rhythm said twice
        if interval.unit is Unit.HOUR and frequency == Frequency(1, Unit.DAY) and interval.every >= 24:
            return None, interval, spacing  # "once every 72 hours"
        d.reasons.append("both a frequency and an interval: read two ways")
    return frequency, interval, spacing


def _from_anchor(d: Draft) -> bool:
    """The frequency was said by a code that is also a time of day ("qAM", "nightly")."""
    fact = d.facts.get(FactKind.FREQUENCY)
    return fact is not None and any(s.field == "time_of_day" and s.start == fact.start for s in d.spans)


def _repeat(d: Draft, frequency: Frequency | None, interval: Interval | None, doses: object) -> tuple[Interval | None, object]:
    """ "take 4 tablets ... repeat in 12 hours": a single dose and one more after the gap."""
    gap = d.get(FactKind.REPEAT_AFTER)
    if not isinstance(gap, Interval):
        return interval, doses
    if frequency is not None or interval is not None or doses not in (None, 1):
        d.reasons.append("a repeat of the course is not planned: ask the prescriber")
        return interval, doses
    if d.get(FactKind.SINGLE):  # "as a single dose, repeated in 7 days": one dose, or two?
        d.reasons.append("a single dose that is also repeated: read two ways")
        return interval, doses
    return gap, 2


def _daily_amount(d: Draft, amount: str | None, per_day: float | None) -> None:
    """ "mdd 60 mg": checked against the dose where both are in one unit, else said as not checked."""
    cap = d.get(FactKind.DAILY_AMOUNT_MAX)
    if not isinstance(cap, tuple):
        return
    most, unit = cap
    parts = (amount or "").split()
    if len(parts) == 2 and parts[1] == unit and per_day is not None:
        try:
            each = Fraction(parts[0].replace(",", ""))
        except ValueError:
            each = None
        if each is not None and each * Fraction(per_day) > most:
            d.reasons.append(f"more than the most a day ({most} {unit})")
        return
    d.notes.append(f"the most a day is {most} {unit}: not checked here, the strength of a dose is not said")


def build(d: Draft) -> Phase | None:
    """The phase a draft says, or None with its reasons added; its end is the sentence's business."""
    frequency, interval, spacing = rhythm(d)
    doses = d.get(FactKind.DOSES)
    interval, doses = _repeat(d, frequency, interval, doses)
    single = d.get(FactKind.SINGLE)
    day_range = d.get(FactKind.DAY_RANGE)
    duration = d.get(FactKind.DURATION)
    start_day = None
    if isinstance(day_range, tuple):
        first, last = day_range
        start_day = first
        if last is not None and duration is None:
            duration = Duration(DurationKind.FIXED, Unit.DAY, last - first + 1, last - first + 1)
    dispensed = d.get(FactKind.DISPENSED)
    if isinstance(dispensed, int) and doses is None:  # "1 cap q12h #6": six capsules, one a dose
        amount_fact = d.facts.get(FactKind.AMOUNT)
        if amount_fact is not None and str(amount_fact.value).startswith("1 "):
            doses = dispensed
        else:
            d.reasons.append(f"{dispensed} dispensed, but how many a dose is not one: the number of doses is not said")
    if single and frequency is None and interval is None:
        doses = doses or 1  # "as a single dose"; with a rhythm it means "all at once"
    if frequency is None and interval is None and doses is None and start_day and duration == _ONE_DAY:
        doses = 1  # "500 mg on day 1"
    ranged = {FactKind.FREQUENCY_RANGE, FactKind.INTERVAL_RANGE} & set(d.facts)  # their own reason
    if frequency is None and interval is None and doses != 1 and FactKind.SPACING_HOURS in d.facts:
        d.reasons[:] = [r for r in d.reasons if r != "doses a number of hours apart that is not the rhythm"]
        d.reasons.append("a dose some hours after another on one day: the planner does not place doses by the hour")
        ranged = {FactKind.SPACING_HOURS}
    if frequency is None and interval is None and doses != 1 and not ranged:
        d.reasons.append("no dosing frequency found")
    cycle = _cycle(d)
    if isinstance(duration, Duration) and duration.kind is DurationKind.RANGE and duration.max is None:
        d.reasons.append("'at least' a duration with no maximum: the prescriber decides when to stop")
    amount = d.facts.get(FactKind.AMOUNT)
    time_of_day, clock = _time_of_day(d, frequency), _clock(d, frequency)
    if time_of_day == "midday":  # "take 1 tablet at noon": the clock says it
        time_of_day, clock = None, clock or ("12:00",)
    _daily_amount(d, str(amount.value) if amount else None, _per_day(frequency, interval))
    phase = Phase(
        amount=str(amount.value) if amount else None,
        frequency=frequency,
        interval=interval,
        spacing=spacing,
        duration=duration if isinstance(duration, Duration) else None,
        doses=doses if isinstance(doses, int) else None,
        time_of_day=time_of_day,
        max_per_day=_max_per_day(d, frequency),
        cycle=cycle,
        start_day=start_day,
        weekdays=d.get(FactKind.WEEKDAYS),  # type: ignore[arg-type]
        amount_open=bool(amount and amount.open_amount),
        clock=clock,
    )
    d.reasons.extend(bound_problems(phase))
    _check_count(phase, d)
    return None if d.reasons else phase


def _per_day(frequency: Frequency | None, interval: Interval | None) -> float | None:
    if frequency is not None and frequency.per is Unit.DAY:
        return frequency.times
    if interval is not None and interval.unit is Unit.HOUR:
        return 24 / interval.every if interval.every else None
    return 1 if frequency is not None or interval is not None else None


def _check_count(phase: Phase, d: Draft) -> None:
    """ "twice daily for 5 days (8 doses)": a stated count must be the rhythm's count."""
    f, du = phase.frequency, phase.duration
    stated = d.get(FactKind.STATED_COUNT)
    count = phase.doses if phase.doses is not None else stated if isinstance(stated, int) else None
    if stated is not None and phase.doses is not None and stated != phase.doses:
        d.reasons.append(f"two different counts of doses ({phase.doses} and {stated})")
    if count is None or f is None or f.per is not Unit.DAY or du is None or du.kind is not DurationKind.FIXED:
        return
    days = (du.min or 0) * DAYS_IN.get(du.unit, 0)
    if days and f.times * days != count:
        d.reasons.append(f"a stated count of {count} doses that the rhythm does not give")


_ONE_DAY = Duration(DurationKind.FIXED, Unit.DAY, 1, 1)


def _cycle(d: Draft) -> Cycle | None:
    on_off = d.get(FactKind.CYCLE)
    if isinstance(on_off, tuple):
        return Cycle(on_off[0], on_off[1], PENDING)
    return None


PENDING = -1  # a cycle whose count the sentence decides


def _max_per_day(d: Draft, frequency: Frequency | None) -> int | None:
    """ "once daily" beside a weekly rhythm; "max 2 tabs/day", "mdd 3" beside a daily one."""
    cap = d.get(FactKind.DAILY_CAP)
    if isinstance(cap, int):
        if frequency is not None and frequency.per is Unit.DAY and frequency.times > cap:
            d.reasons.append(f"{frequency.times} times a day, but at most {cap} a day")
        return cap
    return 1 if d.get(FactKind.MAX_PER_DAY) and frequency and frequency.per is not Unit.DAY else None


def _clock(d: Draft, frequency: Frequency | None) -> tuple[str, ...] | None:
    """The label's own clock times: as many as the doses of a day, or a reason."""
    times = d.get(FactKind.CLOCK)
    if not isinstance(times, tuple):
        return None
    if d.get(FactKind.TIME_OF_DAY) is not None:  # "every morning at home and at 11:00 at school": two times?
        d.reasons.append("a time of day and a clock time: read two ways")
        return None
    per_day = frequency.times if frequency is not None and frequency.per is Unit.DAY else 1
    if len(set(times)) != per_day:
        d.reasons.append(f"{len(set(times))} clock time(s) for {per_day} dose(s) a day")
        return None
    return tuple(sorted(set(times)))


def _time_of_day(d: Draft, frequency: Frequency | None) -> str | None:
    anchor = d.get(FactKind.TIME_OF_DAY)
    if anchor == "before-meals":
        d.reasons.append("before meals: a time of day the planner does not know")
        return None
    several = frequency is not None and frequency.per is Unit.DAY and frequency.times > 1
    if anchor in ("morning", "evening", "bedtime") and several:
        d.reasons.append(f"{frequency.times} times a day at one time of day ({anchor}): read two ways")  # type: ignore[union-attr]
        return None
    if anchor in ("morning", "evening") and frequency is not None and frequency.per is Unit.DAY and frequency.times > 1:
        return None  # "twice daily, in the morning and evening": they name the doses of the day
    return str(anchor) if anchor else None


def with_cycle(phase: Phase, on_days: int, off_days: int, count: int | None, up_to: bool, ongoing: bool,
               reasons: list[str]) -> Phase:  # fmt: skip
    """Give a phase its cycle; without a count the cycles go on only if the label says so."""
    cycle = Cycle(on_days, off_days, count, up_to)
    if count is not None:
        return replace(phase, cycle=cycle, duration=None)
    if ongoing:
        return replace(phase, cycle=cycle, duration=Duration(DurationKind.ONGOING))
    reasons.append("cycles with no number of cycles")
    return replace(phase, cycle=cycle)


def cycle_days(phase: Phase) -> int | None:
    """The treatment days of a phase that could open a cycle ("for 14 days")."""
    d = phase.duration
    if d is None or d.kind is not DurationKind.FIXED or d.unit not in DAYS_IN:
        return None
    return (d.min or 0) * DAYS_IN[d.unit]
