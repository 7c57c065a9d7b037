"""Words for a regimen: ``Phase`` / ``Regimen`` → the plain-language line people read.

Generated from the structured rule, never copied from the label's sentence, so a reviewer
can see at once whether the two agree. Every other view (terminal, calendar, sheet, FHIR
text, the app) takes its regimen words from here. Pure and streamlit-free.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import DurationKind, Phase, Regimen, Unit

_COUNT_WORDS = {1: "once", 2: "twice"}
ANCHOR_TEXT = {
    "bedtime": "at bedtime",
    "morning": "in the morning",
    "evening": "in the evening",
    "before-breakfast": "before breakfast",
    "breakfast": "with breakfast",
    "with-meal": "with a meal",
    "before-meals": "before meals",
    "after-meal": "after a meal",
}


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def _rhythm(phase: Phase) -> str:
    f, i = phase.frequency, phase.interval
    if f is not None:
        times = _COUNT_WORDS.get(f.times, f"{f.times} times")
        if phase.hours_apart and f.per is Unit.DAY:  # "5 times a day, 4 hours apart (while awake)"
            return f"{times} a day, {phase.hours_apart} hours apart"
        return {
            Unit.DAY: f"{times} a day",
            Unit.WEEK: f"{times} a week",
            Unit.MONTH: f"{times} a month",
            Unit.HOUR: f"{times} an hour",
        }[f.per]
    if i is not None:
        if i.every == 1:
            return {
                Unit.DAY: "once a day",
                Unit.WEEK: "once a week",
                Unit.MONTH: "once a month",
                Unit.HOUR: "every hour",
            }[i.unit]
        return "every other day" if (i.every, i.unit) == (2, Unit.DAY) else f"every {i.every} {i.unit.value}s"
    return "once"


def duration_text(phase: Phase) -> str | None:
    """How long a phase lasts, in words ("for 16 weeks", "for up to 4 weeks"); None when its
    cycle count says it."""
    d = phase.duration
    by_hour = phase.offsets_hours is not None and phase.frequency is None and phase.interval is None
    if by_hour or phase.event is not None:
        return _by_hour_or_event(phase)
    if phase.doses == 1 and phase.frequency is None and phase.interval is None:
        return "a single dose" + (f" on day {phase.start_day}" if phase.start_day else "")
    if phase.doses is not None and d is None:
        return f"for {phase.doses} doses"
    if d is None and phase.cycle is not None:
        return None  # the cycle count says how long
    if d is None or d.kind is DurationKind.ONGOING:
        return "ongoing, with no set end"
    unit = d.unit.value
    if d.kind is DurationKind.FIXED:
        days = (
            f" (days {phase.start_day} to {phase.start_day + (d.min or 1) - 1})"
            if phase.start_day and d.unit is Unit.DAY
            else ""
        )
        return f"for {_plural(d.min or 0, unit)}{days}"
    if d.kind is DurationKind.UP_TO:
        return f"for up to {_plural(d.max or 0, unit)}"
    return f"for {d.min} to {_plural(d.max or 0, unit)}"


def _by_hour_or_event(phase: Phase) -> str:
    """ "a single dose, 2 hours after the first", "2 doses, 12 hours apart", "from 1 day before you
    leave until 4 weeks after you come back"."""
    hours, w = phase.offsets_hours, phase.event
    if hours is not None and w is None:
        if len(hours) == 1:
            return "a single dose" + (f", {hours[0]:g} hours after the first" if hours[0] else "")
        gaps = {b - a for a, b in zip(hours, hours[1:], strict=False)}
        apart = (
            f"{gaps.pop():g} hours apart" if len(gaps) == 1 else "at " + ", ".join(f"{h:g}" for h in hours) + " hours"
        )
        return f"{len(hours)} doses, {apart}"
    assert w is not None
    period = {
        "before-event-start": "",
        "event-start": "from the day you leave",
        "after-event-end": "from the day after you come back",
    }
    begin = f"from {_plural(w.lead.min or 0, w.lead.unit.value)} before you leave" if w.lead else period[w.begins.value]
    if w.tail is not None:
        return f"{begin} until {_plural(w.tail.min or 0, w.tail.unit.value)} after you come back"
    own = duration_text(replace(phase, event=None)) if phase.duration or phase.doses else "until you come back"
    return f"{begin}, {own}"


def expected_doses(phase: Phase) -> int | None:
    """How many doses the label's own numbers give, where they give one exact count."""
    if phase.doses is not None:
        return phase.doses
    d, f = phase.duration, phase.frequency
    if d is None or d.kind is DurationKind.ONGOING or f is None or phase.cycle is not None:
        return None
    length = d.max if d.kind is DurationKind.UP_TO else d.min
    if length is None or d.unit is Unit.MONTH and f.per is not Unit.MONTH:
        return None
    if f.per is d.unit:
        return f.times * length
    if f.per is Unit.DAY and d.unit is Unit.WEEK:
        return f.times * length * 7
    return None


def describe_phase(phase: Phase, noun: str = "doses") -> str:
    parts = [phase.amount] if phase.amount else []
    single = phase.frequency is None and phase.interval is None
    if not single:
        parts.append(_rhythm(phase))
    s = phase.spacing
    if s is not None:
        if s.max_days and s.max_days != s.min_days:
            parts.append(f"{s.min_days} to {s.max_days} days apart")
        elif s.max_days:
            parts.append(f"{_plural(s.min_days, 'day')} apart")
        else:
            parts.append(f"at least {_plural(s.min_days, 'day')} apart")
    if phase.max_per_day == 1 and not (phase.frequency and phase.frequency.per is Unit.DAY):
        parts.append("never more than once a day")
    if phase.cycle is not None:
        c = phase.cycle
        cycles = f", {'up to ' if c.up_to else ''}{_plural(c.repeats, 'cycle')}" if c.repeats else ""
        parts.append(f"{c.on_days} days on, {c.off_days} days off{cycles}")
    duration = duration_text(phase)
    count = expected_doses(phase)
    if duration:
        noun = noun[:-1] if count == 1 and noun.endswith("s") else noun
        parts.append(duration + (f" ({count} {noun})" if count and phase.doses is None else ""))
    if phase.time_of_day:
        parts.append(ANCHOR_TEXT.get(phase.time_of_day, phase.time_of_day))
    return ", ".join(parts)


def describe_regimen(regimen: Regimen | None) -> str:
    """e.g. "thin layer, twice a week, 3 to 4 days apart, for 16 weeks (32 doses), at bedtime"."""
    if regimen is None:
        return "needs review: no regimen"
    texts = [describe_phase(p) for p in regimen.phases]
    return texts[0] if len(texts) == 1 else "; then ".join(texts)


def dose_how(phase: Phase | None, amount: str | None = None) -> str:
    """How to take one dose of a phase: its amount and time of day ("thin layer, at bedtime");
    ``amount``: the dose's own, where the label leaves it to the prescriber (amount_open)."""
    if phase is None:
        return ""
    written = amount if phase.amount_open and amount else phase.amount
    parts = [written] if written else []
    if phase.time_of_day:
        parts.append(ANCHOR_TEXT.get(phase.time_of_day, phase.time_of_day))
    return ", ".join(parts)
