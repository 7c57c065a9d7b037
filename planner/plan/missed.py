"""Stage 3b: ``Schedule`` + a missed or late dose + a moment → ``MissedDoseAdvice`` / ``Schedule``.

Applies the monograph's structured missed-dose rule and never breaks the label: no double
dose, no two doses closer than the label allows, no dose added at the end (the course end
never moves). Where the label leaves a word open ("unless it is close to the time for your
next dose") it is read from the regimen itself: a make-up dose that would break a limit of
the label is too close; without such a limit, less than half the usual gap is too close.
Pure: the moment is a parameter; no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..clock import UTC, local_time, zone
from ..errors import ScheduleError
from ..limits import min_gap, schedule_problems
from ..model import Dose, MissedDoseAdvice, Schedule, Unit

MAX_SHIFT_DAYS = 366  # a late dose never pushes a later one further than this (it is cancelled instead)
SHIFT_STEP = dt.timedelta(minutes=15)  # how finely a dose within a day is moved
_NO_RULE = "The monograph gives no missed-dose rule: ask your prescriber or pharmacist what to do."


def _when(at: dt.datetime) -> str:
    return f"{at:%a %d %b %Y at %H:%M}"


def _find(schedule: Schedule, number: int) -> Dose:
    for dose in schedule.doses:
        if dose.number == number and not dose.cancelled:
            return dose
    last = schedule.doses[-1].number if schedule.doses else 0
    raise ScheduleError(
        f"there is no dose {number} to change in this plan", key="missed", hint=f"choose a dose from 1 to {last}"
    )


def _aware(moment: dt.datetime, schedule: Schedule) -> dt.datetime:
    tz = zone(schedule.preferences.timezone)
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def _with(schedule: Schedule, dose: Dose, **changes: object) -> Schedule:
    if "at" in changes:
        changes["planned"] = dose.planned or dose.at
    new = replace(dose, revision=dose.revision + 1, **changes)  # type: ignore[arg-type]
    doses = tuple(new if d.number == dose.number else d for d in schedule.doses)
    return replace(schedule, doses=tuple(sorted(doses, key=lambda d: (d.at.astimezone(UTC), d.number))))


def _next(schedule: Schedule, dose: Dose) -> Dose | None:
    later = [d for d in schedule.active if d.at.astimezone(UTC) > dose.at.astimezone(UTC)]
    return later[0] if later else None


def missed_dose_advice(schedule: Schedule, number: int, remembered: dt.datetime) -> MissedDoseAdvice:
    """What to do about dose ``number``, missed and remembered at ``remembered``."""
    dose = _find(schedule, number)
    now = _aware(remembered, schedule)
    if now.astimezone(UTC) < dose.at.astimezone(UTC):
        raise ScheduleError(
            f"dose {number} is not due until {_when(dose.at)}",
            key="remembered",
            hint="give the moment you remembered, after the dose was due",
        )
    label = schedule.missed_dose
    source = label.text if label else ""
    nxt = _next(schedule, dose)
    warnings = tuple(w.text for w in schedule.warnings)

    def skip(why: str, rule: str) -> MissedDoseAdvice:
        after = f" Take the next dose as planned, {_when(nxt.at)}." if nxt else " That was the last dose."
        end = (
            f" Do not add a dose at the end: the course still ends on {schedule.course_end:%d %b %Y}."
            if schedule.course_end
            else ""
        )
        ask = " Contact your prescriber or pharmacist about it." if label is None or label.contact_prescriber else ""
        text = f"Skip dose {number}: {why}.{after} Never take two doses to make up for one.{end}{ask}"
        return MissedDoseAdvice("skip", None, text, rule, source, _with(schedule, dose, cancelled=True), warnings)

    def take(at: dt.datetime, action: str, rule: str) -> MissedDoseAdvice | None:
        if schedule.course_end is not None and at.date() > schedule.course_end:
            return None  # the course end never moves
        updated = _with(schedule, dose, at=at)
        problems = schedule_problems(updated, planned=False)
        if problems:
            return None
        after = f" Then carry on as planned: the next dose is {_when(nxt.at)}." if nxt else ""
        verb = "now" if action == "take-now" else _when(at)
        text = f"Take dose {number} {verb}.{after} Do not take extra to make up for it."
        return MissedDoseAdvice(action, at, text, rule, source, updated, warnings)

    if nxt is not None and now.astimezone(UTC) >= nxt.at.astimezone(UTC):
        return skip(f"the next dose ({nxt.number}) is already due", "never two doses for one")
    if label is None or label.contact_prescriber and not label.take_when_remembered and not label.next_day:
        return skip(
            "the label gives no way to make it up safely",
            _NO_RULE if label is None else "the label: contact your prescriber",
        )
    if label.next_day:
        tz = zone(schedule.preferences.timezone)
        at = local_time(now.date() + dt.timedelta(days=1), dose.at.time(), tz, [])
        rule = "the label: take it the next morning, then return to the usual day; never two on one day"
        if nxt is not None and at.date() >= nxt.at.date():
            return skip("the next planned dose is that day or sooner", rule)
        if (
            label.close_hours is not None
            and nxt is not None
            and nxt.at.astimezone(UTC) - at.astimezone(UTC) <= dt.timedelta(hours=label.close_hours)
        ):
            return skip(
                f"the next dose is {label.close_hours // 24 or label.close_hours} "
                f"{'days' if label.close_hours >= 24 else 'hours'} away or less",
                rule,
            )
        return take(at, "take-at", rule) or skip("taking it then would break the label's limits", rule)
    if label.take_when_remembered:
        rule = "the label: take it as soon as you remember"
        if label.unless_close_to_next and nxt is not None:
            if label.close_hours is not None:
                rule += f", unless within {label.close_hours} hours of the next dose"
                if nxt.at.astimezone(UTC) - now.astimezone(UTC) < dt.timedelta(hours=label.close_hours):
                    return skip(f"the next dose is less than {label.close_hours} hours away", rule)
            else:
                problems = schedule_problems(_with(schedule, dose, at=now), planned=False)
                if problems:
                    return skip(
                        f"taking it now would break the label ({'; '.join(problems)})",
                        rule + ", unless close to the next dose; 'close' read from the regimen: "
                        "a make-up dose that breaks a limit of the label is too close",
                    )
                usual = nxt.at.astimezone(UTC) - dose.at.astimezone(UTC)
                if nxt.at.astimezone(UTC) - now.astimezone(UTC) < usual / 2:
                    return skip(
                        "more than half the time to the next dose has passed",
                        rule + ", unless close to the next dose; 'close' read as less than half "
                        "the usual gap, since the label sets no minimum spacing",
                    )
        if label.unless_close_to_next and nxt is not None:
            rule += ", unless close to the next dose: not close, since taking it now keeps every limit of the label"
        advice = take(now, "take-now", rule)
        return advice or skip("taking it now would break the label's limits", rule)
    return skip("the label says to skip it", "the label: skip the missed dose")


def _problems_up_to(schedule: Schedule, moment: dt.datetime) -> list[str]:
    """The label limits broken by the active doses up to ``moment`` (all phases)."""
    upto = moment.astimezone(UTC)
    doses = tuple(d for d in schedule.doses if d.cancelled or d.at.astimezone(UTC) <= upto)
    return schedule_problems(replace(schedule, doses=doses), planned=False)


def late_dose(schedule: Schedule, number: int, taken: dt.datetime) -> tuple[Schedule, tuple[str, ...]]:
    """Dose ``number`` was taken at ``taken`` (late, or early): move it, and shift only the later
    doses the label's limits require, each by as little as possible. A dose that would move past
    the end of its phase or of the course is cancelled instead: the course end never moves.
    A moment that itself breaks the label (before the start, after the end, too close to the dose
    before) is refused: the plan cannot make that safe, the prescriber must say."""
    dose = _find(schedule, number)
    at = _aware(taken, schedule)
    if at.date() < schedule.start or schedule.course_end is not None and at.date() > schedule.course_end:
        end = f" to {schedule.course_end:%d %b %Y}" if schedule.course_end else ""
        raise ScheduleError(
            f"dose {number} cannot be taken on {at:%d %b %Y}: the course runs from " f"{schedule.start:%d %b %Y}{end}",
            key="taken",
            hint="check the date",
        )
    updated = _with(schedule, dose, at=at)
    broken = _problems_up_to(updated, at)
    if broken:
        raise ScheduleError(
            f"dose {number} taken {_when(at)} breaks the label ({'; '.join(broken)})",
            key="taken",
            hint="ask your prescriber or pharmacist what to do next; the plan was not changed",
        )
    regimen = schedule.rule.regimen
    assert regimen is not None
    tz = zone(schedule.preferences.timezone)
    notes: list[str] = [f"dose {number} taken {_when(at)} instead of {_when(dose.at)}"]
    for later in [d for d in updated.active if d.number > number]:
        phase = regimen.phases[later.phase - 1]
        end = schedule.phase_ends[later.phase - 1] if schedule.phase_ends else None
        last_day = min(
            d
            for d in (
                end and end - dt.timedelta(days=1),
                schedule.course_end,
                later.at.date() + dt.timedelta(days=MAX_SHIFT_DAYS),
            )
            if d is not None
        )
        candidate = later.at
        while candidate.date() <= last_day and _problems_up_to(_with(updated, later, at=candidate), candidate):
            if phase.interval is not None and phase.interval.unit is Unit.HOUR or min_gap(phase):
                candidate = (candidate.astimezone(UTC) + SHIFT_STEP).astimezone(tz)
            else:
                candidate = local_time(candidate.date() + dt.timedelta(days=1), later.at.time(), tz, [])
        if candidate == later.at:
            continue
        if candidate.date() > last_day:
            updated = _with(updated, later, cancelled=True)
            notes.append(f"dose {later.number} cancelled: moving it would go past the end of the course")
        else:
            updated = _with(updated, later, at=candidate)
            notes.append(f"dose {later.number} moved to {_when(candidate)} to keep the label's spacing")
    problems = schedule_problems(updated, planned=False)
    if problems:  # a guard: never hand out a calendar that breaks the label
        raise ScheduleError("internal check failed, no calendar made: " + "; ".join(problems))
    return updated, tuple(notes)


def late_dose_advice(schedule: Schedule, number: int, taken: dt.datetime) -> MissedDoseAdvice:
    """``late_dose`` as an answer like ``missed_dose_advice``'s (action ``taken-late``)."""
    updated, notes = late_dose(schedule, number, taken)
    guidance = ". ".join(note[0].upper() + note[1:] for note in notes) + "."
    warnings = tuple(w.text for w in schedule.warnings)
    return MissedDoseAdvice(
        "taken-late",
        None,
        guidance,
        "shift only what the label's limits require; the " "course end never moves",
        schedule.missed_dose.text if schedule.missed_dose else "",
        updated,
        warnings,
    )
