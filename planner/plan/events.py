"""Stage 3, a regimen timed from an event: the rule + the event's dates → a rule dated like any other.

Pure. The reader leaves a regimen timed from an event ("from one week before leaving until 4
weeks after coming back") as a needs-review rule whose options carry an ``EventWindow`` and the
dates it ``needs``. Given those dates, ``place`` turns the window into a course start and a
fixed number of days, so the scheduler plans one continuous rhythm (a weekly dose stays 7 days
apart across the event's edges) and checks it against the label like every other plan.

The event's first day is the day you leave (or enter the area), its last day the day you come
back (or leave the area); "for 4 weeks after coming back" counts from the day after the last.
A range of leads ("1 to 2 days before") is an option per value and is never chosen for the
user: without ``--option`` the plan is refused with the choices named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..errors import RuleError, ScheduleError
from ..limits import add_period, bound_problems
from ..model import DosingRule, Duration, DurationKind, EventNeed, EventStart, Phase, Preferences, Regimen, Status
from .choices import choose

_FLAGS = {
    EventNeed.EVENT_START: "the date you leave (--event-start)",
    EventNeed.EVENT_END: "the date you come back (--event-end)",
}


def is_timed(rule: DosingRule) -> bool:
    """A rule whose every option waits for an event's dates."""
    return rule.regimen is None and bool(rule.options) and all(o.regimen.needs for o in rule.options)


def _said(d: Duration) -> str:
    return f"{d.min} {d.unit.value}{'' if d.min == 1 else 's'}"


def _lead_choice(rule: DosingRule) -> str:
    leads = [o.regimen.phases[0].event for o in rule.options]
    named = [f"--option {k} ({_said(w.lead)} before you leave)" for k, w in enumerate(leads, 1) if w and w.lead]
    return " or ".join(named) if len(named) == len(leads) else f"--option 1 to {len(leads)}"


def _window(phase: Phase, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, Duration | None]:
    """The first day of a timed phase and its length in days (None: its own duration or count)."""
    w = phase.event
    assert w is not None
    if w.begins is EventStart.BEFORE:
        assert start is not None and w.lead is not None
        first = add_period(start, -(w.lead.min or 0), w.lead.unit)
    elif w.begins is EventStart.DURING:
        assert start is not None
        first = start
    else:
        assert end is not None
        first = end + dt.timedelta(days=1)
    if w.tail is not None:
        assert end is not None
        last = add_period(end + dt.timedelta(days=1), w.tail.min or 0, w.tail.unit)
    elif phase.duration is None and phase.doses is None:
        assert end is not None
        last = end + dt.timedelta(days=1)  # it ends with the event
    else:
        return first, None
    days = (last - first).days
    return first, Duration(DurationKind.FIXED, min=days, max=days)


def _words(phase: Phase, prefs: Preferences) -> str:
    w = phase.event
    assert w is not None
    begins = {EventStart.DURING: "the day you leave", EventStart.AFTER: "the day after you come back"}
    begin = f"{_said(w.lead)} before you leave" if w.lead else begins.get(w.begins, "")
    end = f"{_said(w.tail)} after you come back" if w.tail else ""
    dates = ", ".join(
        f"{label} {day.isoformat()}"
        for label, day in (("you leave", prefs.event_start), ("you come back", prefs.event_end))
        if day is not None
    )
    return f"Timed from your trip ({dates}): from {begin}" + (f" until {end}" if end else "") + "."


def place(
    rule: DosingRule, start: dt.date | None, prefs: Preferences, option: int | None
) -> tuple[DosingRule, dt.date, tuple[str, ...]] | None:
    """The rule dated from the event (its status ok, one regimen), the course start and what the
    plan must say; None for a rule not timed from an event (given event dates are refused)."""
    given = {EventNeed.EVENT_START: prefs.event_start, EventNeed.EVENT_END: prefs.event_end}
    if not is_timed(rule):
        if prefs.event_start or prefs.event_end:
            raise ScheduleError(f"{rule.id} is not timed from an event", key="event", hint="leave the event dates out")
        return None
    needs = dict.fromkeys(n for o in rule.options for n in o.regimen.needs)
    missing = [_FLAGS[n] for n in needs if given[n] is None]
    ask = len(rule.options) > 1 and option is None  # a range of leads: the user's choice, never ours
    if missing or ask:
        said = [f"give {' and '.join(missing)}"] if missing else []
        said += [f"the label gives a range of start times: choose {_lead_choice(rule)}"] if ask else []
        raise ScheduleError(f"{rule.id} is timed from an event: " + "; ".join(said), key="event")
    if option is not None and not 1 <= option <= len(rule.options):
        raise ScheduleError(f"{rule.id} has {len(rule.options)} options, not {option}", key="option")
    regimen = rule.options[(option or 1) - 1].regimen
    if prefs.event_start and prefs.event_end and prefs.event_end < prefs.event_start:
        raise ScheduleError("the date you come back is before the date you leave", key="event-end")
    return _placed(rule, regimen, start, prefs, option)


def _placed(
    rule: DosingRule, regimen: Regimen, start: dt.date | None, prefs: Preferences, option: int | None
) -> tuple[DosingRule, dt.date, tuple[str, ...]]:
    if len(regimen.phases) != 1:
        raise ScheduleError(f"{rule.id}: a regimen timed from an event in several steps is not planned")
    phase = regimen.phases[0]
    first, length = _window(phase, prefs.event_start, prefs.event_end)
    if start is not None and start != first:
        raise ScheduleError(
            f"{rule.id} starts on {first.isoformat()} (from the event's dates), not {start.isoformat()}",
            key="start",
            hint="leave --start out",
        )
    dated = replace(phase, event=None, duration=length or phase.duration)
    if length is not None and (length.min or 0) < 1:
        raise ScheduleError(f"{rule.id}: the event's dates leave no day to dose", key="event-end")
    problems = bound_problems(dated)
    if problems:
        raise ScheduleError(f"{rule.id}: " + "; ".join(problems), key="event-end")
    said = [_words(phase, prefs)]
    if len(rule.options) > 1:
        said.append(f"The label allows {len(rule.options)} start times; this is option {option} (you chose).")
    placed = replace(regimen, phases=(dated,), needs=())
    return replace(rule, status=Status.OK, regimen=placed, options=(), reasons=()), first, tuple(said)


def dated(
    drug: str, rule: DosingRule, start: dt.date | None, prefs: Preferences, option: int | None
) -> tuple[DosingRule, dt.date, tuple[str, ...]]:
    """The rule to plan (one regimen), its start and what the plan must say: dated from an
    event's dates, or the option chosen of an ok rule; a rule that needs review is refused."""
    placed = place(rule, start, prefs, option)
    if placed is not None:
        return placed
    if rule.status is not Status.OK:
        raise RuleError(
            f"{drug} / {rule.id} needs review, so it is not planned: {'; '.join(rule.reasons)}",
            hint="ask the prescriber for the regimen and pass it with --regimen",
        )
    chosen, said = choose(rule, option)
    if start is None:
        raise ScheduleError("the start date is missing", key="start", hint="pass --start YYYY-MM-DD")
    return chosen, start, said
