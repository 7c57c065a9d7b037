"""Stage 3b: ``Schedule`` + a missed or late dose + a moment → ``MissedDoseAdvice`` / ``Schedule``.

Applies the label's missed-dose policy (``MissedDose.clauses``, read by ``read.missed_words``):
a condition that holds when the patient remembers ("unless it is almost time for your next dose",
"if your next scheduled dose is within 7 days", "more than 2 days late") decides between taking
it now, the morning after, or skipping it. The re-plan then keeps every limit of the label
(``missed_policy.problems``): a counted course keeps its count and may end later (later doses
move only as far as the limits need), a timed course keeps its end, an ongoing one continues;
never a double dose. A policy with a sentence the reader could not place is refused: the answer
is to ask, with that sentence shown. Pure: the moment is a parameter; no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..clock import UTC, in_zone, local_time
from ..errors import ScheduleError
from ..limits import MAX_HOUR_STEPS, MAX_SHIFT_DAYS, min_gap
from ..model import (
    AdviceKind,
    CautionTopic,
    Dose,
    MissedClause,
    MissedDose,
    MissedDoseAdvice,
    MissedKind,
    MissedWhen,
    Schedule,
    Unit,
)
from .missed_policy import (
    Decision,
    Limits,
    close_words,
    course_kind,
    decide,
    holds,
    keeps_end,
    limits_of,
    movable,
    problems,
)

SHIFT_STEP = dt.timedelta(minutes=15)  # how finely an hour-based dose is moved


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
    return in_zone(moment, schedule.preferences.zone)


def _with(schedule: Schedule, dose: Dose, **changes: object) -> Schedule:
    current = next(d for d in schedule.doses if d.number == dose.number)
    if "at" in changes:
        changes["planned"] = current.planned or current.at
    new = replace(current, revision=current.revision + 1, **changes)  # type: ignore[arg-type]
    doses = tuple(new if d.number == dose.number else d for d in schedule.doses)
    return replace(schedule, doses=tuple(sorted(doses, key=lambda d: (d.at.astimezone(UTC), d.number))))


def _next(schedule: Schedule, dose: Dose) -> Dose | None:
    later = [d for d in schedule.active if d.at.astimezone(UTC) > dose.at.astimezone(UTC)]
    return later[0] if later else None


def _step(limits: Limits, dose: Dose, at: dt.datetime) -> dt.datetime:
    phase = limits.original.rule.regimen.phases[dose.phase - 1] if limits.original.rule.regimen else None
    tz = limits.original.preferences.zone
    hourly = phase is not None and phase.interval is not None and phase.interval.unit is Unit.HOUR
    several = phase is not None and phase.frequency is not None and phase.frequency.per is Unit.DAY
    if hourly or several and phase is not None and phase.frequency is not None and phase.frequency.times > 1:
        return (at.astimezone(UTC) + SHIFT_STEP).astimezone(tz)  # within the day: as little as the limits need
    wall = (dose.planned or dose.at).astimezone(tz).time()
    return local_time(at.date() + dt.timedelta(days=1), wall, tz, [])


def _move(
    limits: Limits, updated: Schedule, dose: Dose, after: dt.datetime, seen: frozenset[int], exempt: int
) -> Schedule | None:
    """``updated`` with ``dose`` moved to the first moment after ``after`` that keeps the label's limits
    (among the doses in ``seen``); None when none does (past the course's end, or too far)."""
    kind = limits.kinds[dose.phase - 1]
    end = limits.original.phase_ends[dose.phase - 1] if limits.original.phase_ends else None
    phase = limits.original.rule.regimen.phases[dose.phase - 1] if limits.original.rule.regimen else None
    floor = (min_gap(phase) if phase else None) or dt.timedelta(0)  # a dose the planner moves: half the usual gap
    at, steps = dose.at, 0
    while steps < MAX_HOUR_STEPS and (at - dose.at) <= dt.timedelta(days=MAX_SHIFT_DAYS):
        at, steps = _step(limits, dose, at), steps + 1
        if keeps_end(kind) and end is not None and at.date() >= end:
            return None
        if at <= after or at.astimezone(UTC) - after.astimezone(UTC) < floor:
            continue
        test = _with(updated, dose, at=at)
        if not problems(limits, _only(test, seen), exempt):
            return test
    return None


def _only(schedule: Schedule, numbers: frozenset[int]) -> Schedule:
    return replace(schedule, doses=tuple(d for d in schedule.doses if d.number in numbers or d.cancelled))


def replan(
    limits: Limits, schedule: Schedule, dose: Dose, at: dt.datetime, late: bool = False
) -> tuple[Schedule | None, list[str], list[str]]:
    """Dose ``dose`` taken at ``at``: later doses move only as far as the label's limits need, and only
    where the course may move (counted); with ``late`` (already taken) a timed course's dose that
    cannot stay inside its end is cancelled. (schedule or None, the limits that stop it, notes)."""
    updated = _with(schedule, dose, at=at)
    origin = dose.at.astimezone(UTC)
    before = frozenset(d.number for d in schedule.doses if d.at.astimezone(UTC) <= origin)
    broken = problems(limits, _only(updated, before), dose.number)
    if broken:
        return None, broken, []
    seen, notes = before, list[str]()
    for later in [d for d in schedule.active if d.at.astimezone(UTC) > origin]:
        seen = seen | {later.number}
        current = next(d for d in updated.doses if d.number == later.number)
        broken = problems(limits, _only(updated, seen), dose.number)
        if not broken and current.at > at:
            continue
        if not (late or movable(limits.kinds[later.phase - 1])):
            return None, broken or ["never two doses for one"], notes
        moved = _move(limits, updated, current, at, seen, dose.number)
        if moved is None and late and keeps_end(limits.kinds[later.phase - 1]):
            updated = _with(updated, current, cancelled=True)
            notes.append(f"dose {later.number} cancelled: moving it would go past the end of the course")
            continue
        if moved is None:
            return None, broken or ["never two doses for one"], notes
        updated = moved
        new = next(d for d in updated.doses if d.number == later.number)
        notes.append(f"dose {later.number} moved to {_when(new.at)} to keep the label's limits")
    final = problems(limits, updated, dose.number)
    return (None, final, notes) if final else (updated, [], notes)


def _verb(clause: MissedClause | None) -> str:
    return "Apply" if clause is not None and "apply" in clause.sentence.lower() else "Take"


def _action(decision: Decision, now: dt.datetime) -> str:
    verb = _verb(decision.clause)
    if decision.kind is AdviceKind.TAKE_NOW:
        return f"{verb} it now"
    if decision.kind is AdviceKind.TAKE_AT and decision.at is not None:
        day = "tomorrow" if decision.at.date() == now.date() + dt.timedelta(days=1) else f"on {decision.at:%a %d %b %Y}"
        return f"{verb} it {day} at {decision.at:%H:%M}"
    if decision.kind is AdviceKind.SKIP:
        return "Skip it"
    return "Do not take it yet: ask your pharmacist or prescriber"


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
    policy = schedule.missed_dose
    nxt = _next(schedule, dose)
    limits = limits_of(schedule, policy)
    decision = decide(schedule, dose, nxt, now)
    updated: Schedule | None = None
    notes: list[str] = []
    due = decision.at or now
    if (
        nxt is not None
        and due >= nxt.at
        and not movable(limits.kinds[nxt.phase - 1])
        and policy
        and not policy.unplaced
    ):
        why = "your next dose is already due: take that one as planned, never two for one"
        decision = Decision(AdviceKind.SKIP, None, why, decision.clause)
    elif decision.at is not None:
        updated, broken, notes = replan(limits, schedule, dose, decision.at)
        if updated is None:
            lead = "too close to your next dose" if nxt is not None else "it would break the label"
            decision = Decision(AdviceKind.SKIP, None, f"{lead}: {broken[0]}", decision.clause)
    if updated is None:
        updated = _with(schedule, dose, cancelled=True)
    return _advice(schedule, updated, dose, decision, now, notes, policy)


def _advice(
    schedule: Schedule,
    updated: Schedule,
    dose: Dose,
    decision: Decision,
    now: dt.datetime,
    notes: list[str],
    policy: MissedDose | None,
) -> MissedDoseAdvice:
    after = decision.at or dose.at
    following = [d for d in updated.active if d.at.astimezone(UTC) > after.astimezone(UTC) and d.number != dose.number]
    nxt = following[0].at if following else None
    contact = decision.kind is AdviceKind.ASK or any(
        c.kind is MissedKind.CONTACT and holds(c, schedule, dose, _next(schedule, dose), now)
        for c in (policy.clauses if policy else ())
    )
    kind, reading = course_kind(schedule, dose.phase, policy)
    action = _action(decision, now)
    more = [n[0].upper() + n[1:] + "." for n in notes]
    if policy is not None and (policy.has(MissedKind.NO_DOUBLE) or decision.kind is AdviceKind.TAKE_NOW):
        more.append("Never take two doses to make up for one.")
    if contact:
        more.append("Contact your prescriber or pharmacist about it.")
    lines = [f"{action}.", f"Why: {decision.why}."]
    lines.append(f"Your next dose: {_when(nxt)}." if nxt else "That was the last dose of the course.")
    source = decision.clause.sentence if decision.clause else (policy.unplaced[0] if policy and policy.unplaced else "")
    rule = f"{decision.kind.value}: {decision.why}; course: {kind.value}" + (f" ({reading})" if reading else "")
    change = f"Missed dose {dose.number} ({_when(dose.at)}): {action}. Why: {decision.why}."
    updated = replace(updated, changes=(*updated.changes, change))
    return MissedDoseAdvice(
        action=action,
        next_dose=nxt,
        why=decision.why,
        source_text=source or (policy.text if policy else ""),
        kind=decision.kind,
        take_at=decision.at,
        guidance=" ".join(lines + more),
        rule_applied=rule,
        schedule=updated,
        warnings=_missed_warnings(schedule),
        reading=tuple(r for r in (reading, _close_reading(schedule, policy, _next(schedule, dose))) if r),
        notes=tuple(more),
    )


def _close_reading(schedule: Schedule, policy: MissedDose | None, nxt: Dose | None) -> str:
    """How the open word "close to your next dose" was read, where the label uses it."""
    open_word = policy is not None and any(
        c.kind is MissedKind.SKIP and c.when is MissedWhen.NEXT_WITHIN and c.hours is None for c in policy.clauses
    )
    if not open_word or nxt is None or schedule.rule.regimen is None:
        return ""
    return close_words(schedule.rule.regimen.phases[nxt.phase - 1])


def _missed_warnings(schedule: Schedule) -> tuple[str, ...]:
    """The label's warnings about missing doses, of this regimen's form only."""
    own = schedule.missed_dose.text if schedule.missed_dose else ""
    return tuple(
        w.text for w in schedule.warnings if w.topic is CautionTopic.MISSED_DOSE and (not own or w.text in own)
    )


def late_dose(schedule: Schedule, number: int, taken: dt.datetime) -> tuple[Schedule, tuple[str, ...]]:
    """Dose ``number`` was taken at ``taken`` (late, or early): move it, and shift only the later doses
    the label's limits require, each by as little as possible. A counted course may end later; a
    dose of a timed course that would move past its end is cancelled instead. A moment that itself
    breaks the label (before the start, after a timed course's end, too close to the dose before)
    is refused: the plan cannot make that safe, the prescriber must say."""
    dose = _find(schedule, number)
    at = _aware(taken, schedule)
    limits = limits_of(schedule, schedule.missed_dose)
    timed = keeps_end(limits.kinds[dose.phase - 1])
    if at.date() < schedule.start or timed and schedule.course_end is not None and at.date() > schedule.course_end:
        end = f" to {schedule.course_end:%d %b %Y}" if schedule.course_end else ""
        raise ScheduleError(
            f"dose {number} cannot be taken on {at:%d %b %Y}: the course runs from {schedule.start:%d %b %Y}{end}",
            key="taken",
            hint="check the date",
        )
    passed = [d for d in schedule.active if d.at.astimezone(UTC) > dose.at.astimezone(UTC) and d.at <= at]
    if passed:  # taken after the next dose was due: that one may have been taken too
        raise ScheduleError(
            f"dose {number} taken {_when(at)} breaks the label (dose {passed[0].number} was due before then: "
            "never two doses for one)",
            key="taken",
            hint="ask your prescriber or pharmacist what to do next; the plan was not changed",
        )
    updated, broken, notes = replan(limits, schedule, dose, at, late=True)
    if updated is None:
        raise ScheduleError(
            f"dose {number} taken {_when(at)} breaks the label ({'; '.join(broken)})",
            key="taken",
            hint="ask your prescriber or pharmacist what to do next; the plan was not changed",
        )
    return updated, (f"dose {number} taken {_when(at)} instead of {_when(dose.at)}", *notes)


def late_dose_advice(schedule: Schedule, number: int, taken: dt.datetime) -> MissedDoseAdvice:
    """``late_dose`` as an answer like ``missed_dose_advice``'s (kind ``taken-late``)."""
    updated, notes = late_dose(schedule, number, taken)
    dose = _find(schedule, number)
    at = _aware(taken, schedule)
    following = [d for d in updated.active if d.at.astimezone(UTC) > at.astimezone(UTC)]
    kind, reading = course_kind(schedule, dose.phase, schedule.missed_dose)
    why = "a late dose moves only the later doses the label's limits require"
    updated = replace(updated, changes=(*updated.changes, f"Dose {number} taken late: {_when(at)}."))
    return MissedDoseAdvice(
        action="Nothing more to take now: carry on with the updated plan",
        next_dose=following[0].at if following else None,
        why=why,
        source_text=schedule.missed_dose.text if schedule.missed_dose else "",
        kind=AdviceKind.TAKEN_LATE,
        take_at=None,
        guidance=". ".join(note[0].upper() + note[1:] for note in notes) + ".",
        rule_applied=f"{why}; course: {kind.value}" + (f" ({reading})" if reading else ""),
        schedule=updated,
        warnings=_missed_warnings(schedule),
        reading=(reading,) if reading else (),
        notes=tuple(n[0].upper() + n[1:] + "." for n in notes[1:]),
    )
