"""What the label's missed-dose policy says for a moment (``decide``), and what the re-plan must keep:
the course kind, the label's limits (``problems``), and what "close" means.

Pure. The course kind comes from ``Regimen.course``; where the label is silent it is the planner's
reading, said in words (``course_kind``). The usual gap between doses is not a hard minimum for a
late dose: the least gap is the label's own ("do not take two doses within 7 days", "unless it is
less than 4 hours before your next dose"), else the planner's reading of "close" and of "no double
dose": a quarter of the usual gap (every 12 hours: 3 hours; once a day: 6 hours; weekly: 42 hours),
and at most 6 hours where the label's own limit is "never two doses on one day".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..clock import UTC, local_time
from ..limits import daily_cap
from ..model import (
    AdviceKind,
    CourseKind,
    Dose,
    DurationKind,
    MissedClause,
    MissedDose,
    MissedKind,
    MissedWhen,
    Phase,
    Schedule,
    Unit,
)

MORNING = dt.time(8, 0)  # "the morning after you remember", when the usual time is not a morning one
SILENT = "the planner's reading, as the label does not say"
CLOSE_SHARE = 4  # "close to the next dose": less than a quarter of the usual gap is left
ONE_A_DAY_FLOOR = dt.timedelta(hours=6)  # with "never two on one day", doses still never closer than this


def usual_gap(phase: Phase) -> dt.timedelta | None:
    """The gap between two doses of the phase as planned; None for a single dose."""
    f, i = phase.frequency, phase.interval
    if i is not None:
        hours = {Unit.HOUR: 1, Unit.DAY: 24, Unit.WEEK: 168, Unit.MONTH: 24 * 30}[i.unit]
        return dt.timedelta(hours=hours * i.every)
    if f is not None:
        hours = {Unit.HOUR: 1, Unit.DAY: 24, Unit.WEEK: 168, Unit.MONTH: 24 * 30}[f.per]
        return dt.timedelta(hours=hours) / f.times
    return None


def _hours(gap: dt.timedelta) -> str:
    hours = gap.total_seconds() / 3600
    return f"{hours / 24:g} days" if hours >= 48 and hours % 24 == 0 else f"{hours:g} hours"


def close_window(phase: Phase) -> dt.timedelta | None:
    """The planner's reading of "close to the next dose": a quarter of the phase's usual gap."""
    gap = usual_gap(phase)
    return gap / CLOSE_SHARE if gap else None


def close_words(phase: Phase) -> str:
    gap, window = usual_gap(phase), close_window(phase)
    if gap is None or window is None:
        return ""
    return f"{SILENT}: 'close' is less than {_hours(window)} before it, a quarter of the usual gap of {_hours(gap)}"


def guard(phase: Phase, policy: MissedDose | None) -> tuple[dt.timedelta, str]:
    """The least elapsed time between two doses after a re-plan, and where it comes from in words."""
    if policy is not None:
        hours = [
            c.hours
            for c in policy.clauses
            if c.kind is MissedKind.SKIP and c.when is MissedWhen.NEXT_WITHIN and c.hours is not None and not c.by_date
        ]
        if hours:
            return dt.timedelta(hours=hours[0]), f"doses must be at least {hours[0]} hours apart (the label)"
    window = close_window(phase) or dt.timedelta(0)
    reading = (
        f"the planner's reading of 'no double dose': a quarter of the usual gap of {_hours(usual_gap(phase) or window)}"
    )
    if policy is not None and (policy.has(MissedKind.ONE_PER_DAY) or policy.has(MissedKind.MIN_HOURS)):
        window = min(window, ONE_A_DAY_FLOOR)
        reading = f"the planner's floor besides the label's limit: {_hours(window)}"
    return window, f"doses must be at least {_hours(window)} apart ({reading})"


def course_kind(schedule: Schedule, phase_number: int, policy: MissedDose | None) -> tuple[CourseKind, str]:
    """What the phase's course is counted in, and, where the label does not say, the planner's reading."""
    assert schedule.rule.regimen is not None
    regimen = schedule.rule.regimen
    phase = regimen.phases[phase_number - 1]
    if policy is not None and (policy.has(MissedKind.SHIFT) or policy.has(MissedKind.FINISH)):
        # the missed-dose answer is the label's word on missed doses: it comes before the dosing sentence's
        kind = CourseKind.BOTH if regimen.course is CourseKind.BOTH else CourseKind.DOSES
        return kind, "the label's missed-dose answer moves the remaining doses: the course is counted in doses"
    if regimen.course is not None:
        return regimen.course, ""
    if policy is not None and policy.has(MissedKind.KEEP_END):
        return CourseKind.TIME, "the label says not to extend the treatment: the course keeps its end"
    d = phase.duration
    if d is not None and d.kind is DurationKind.ONGOING or d is None and phase.doses is None and phase.cycle is None:
        return CourseKind.ONGOING, "the course has no end: it just continues"
    if phase.doses is not None and d is None and phase.cycle is None:
        what = "a single dose" if phase.doses == 1 else f"{phase.doses} doses"
        return CourseKind.DOSES, f"{SILENT}: the course is {what}, so the count is kept and it may end later"
    return CourseKind.TIME, f"{SILENT}: the course is a length of time, so it keeps its end"


def movable(kind: CourseKind) -> bool:
    """A dose of a course of this kind may move later to keep the count."""
    return kind in (CourseKind.DOSES, CourseKind.BOTH)


def keeps_end(kind: CourseKind) -> bool:
    return kind in (CourseKind.TIME, CourseKind.BOTH, CourseKind.ONGOING)


@dataclass(frozen=True)
class Limits:
    """The label's limits for a re-plan, worked out once from the unperturbed schedule."""

    original: Schedule
    policy: MissedDose | None
    kinds: tuple[CourseKind, ...]  # per phase
    weekdays: tuple[frozenset[int] | None, ...]  # per phase: the weekdays its doses keep
    caps: tuple[int | None, ...]  # per phase: most doses on one date
    day_cap: int | None  # all phases: most doses on one date ("never two on one day")
    firsts: tuple[dt.date | None, ...]  # per phase: its first date (cycles count from it)
    tightest: tuple[dt.timedelta | None, ...] = ()  # per phase: the least gap the plan itself has before its doses

    def least_gap(self, number: int) -> tuple[dt.timedelta, str]:
        """The guard before a dose of phase ``number``, never more than the plan itself asks
        ("2 tablets, then 2 more 2 hours later" keeps its 2 hours)."""
        assert self.original.rule.regimen is not None
        least, words = guard(self.original.rule.regimen.phases[number - 1], self.policy)
        own = self.tightest[number - 1] if self.tightest else None
        return (
            (own, f"doses must be at least {_hours(own)} apart, as planned") if own and own < least else (least, words)
        )


def limits_of(schedule: Schedule, policy: MissedDose | None) -> Limits:
    assert schedule.rule.regimen is not None
    phases = schedule.rule.regimen.phases
    one_a_day = policy is not None and policy.has(MissedKind.ONE_PER_DAY)
    weekdays, caps, firsts = [], [], []
    for number, phase in enumerate(phases, 1):
        mine = [d.at for d in schedule.doses if d.phase == number]
        chosen = phase.weekdays is not None or schedule.preferences.weekdays is not None  # by the label or the patient
        weekdays.append(frozenset(a.weekday() for a in mine) if chosen and mine else None)
        cap = daily_cap(phase)
        if one_a_day:
            most = max(Counter(a.date() for a in mine).values(), default=1)
            cap = most if cap is None else min(cap, most)
        caps.append(cap)
        firsts.append(mine[0].date() if mine else None)
    day_cap = max(Counter(d.at.date() for d in schedule.doses).values(), default=1) if one_a_day else None
    kinds = tuple(course_kind(schedule, n, policy)[0] for n in range(1, len(phases) + 1))
    tightest: list[dt.timedelta | None] = [None] * len(phases)
    for a, b in _pairs(list(schedule.active)):
        gap = b.at.astimezone(UTC) - a.at.astimezone(UTC)
        current = tightest[b.phase - 1]
        tightest[b.phase - 1] = gap if current is None or gap < current else current
    return Limits(schedule, policy, kinds, tuple(weekdays), tuple(caps), day_cap, tuple(firsts), tuple(tightest))


def _pairs(doses: list[Dose]) -> list[tuple[Dose, Dose]]:
    return list(zip(doses, doses[1:], strict=False))


def problems(
    limits: Limits, schedule: Schedule, exempt: int | None = None, upto: dt.datetime | None = None
) -> list[str]:
    """The label limits the active doses (up to ``upto``) break, in plain words. ``exempt``: the
    make-up dose the label itself places, which need not fall on the usual weekday."""
    assert schedule.rule.regimen is not None
    phases = schedule.rule.regimen.phases
    doses = [d for d in schedule.active if upto is None or d.at.astimezone(UTC) <= upto.astimezone(UTC)]
    out: list[str] = []
    if doses and doses[0].at.date() < schedule.start:
        out.append("no dose before the start of the course")
    if any(b.at.astimezone(UTC) <= a.at.astimezone(UTC) for a, b in _pairs(doses)):
        out.append("never two doses at once")
    for a, b in _pairs(doses):
        least, words = limits.least_gap(b.phase)
        if b.at.astimezone(UTC) - a.at.astimezone(UTC) < least:
            out.append(words)
            break
    out += _policy_problems(limits, doses)
    if limits.day_cap is not None and max(Counter(d.at.date() for d in doses).values(), default=0) > limits.day_cap:
        out.append("never two doses on one day (the label)")
    for number, phase in enumerate(phases, 1):
        out += _phase_problems(limits, schedule, number, phase, [d for d in doses if d.phase == number], exempt)
    return list(dict.fromkeys(out))


def _policy_problems(limits: Limits, doses: list[Dose]) -> list[str]:
    policy = limits.policy
    for clause in policy.clauses if policy else ():
        if clause.kind is not MissedKind.MIN_HOURS or clause.hours is None:
            continue
        for a, b in _pairs(doses):
            if clause.by_date and (b.at.date() - a.at.date()).days < clause.hours // 24:
                return [f"doses must be at least {clause.hours // 24} days apart (the label)"]
            if not clause.by_date and b.at.astimezone(UTC) - a.at.astimezone(UTC) < dt.timedelta(hours=clause.hours):
                return [f"doses must be at least {clause.hours} hours apart (the label)"]
    return []


def _phase_problems(
    limits: Limits, schedule: Schedule, number: int, phase: Phase, doses: list[Dose], exempt: int | None
) -> list[str]:
    out: list[str] = []
    days = [d.at.date() for d in doses]
    cap = limits.caps[number - 1]
    if cap is not None and max(Counter(days).values(), default=0) > cap:
        out.append(f"at most {cap} dose{'s' if cap > 1 else ''} a day")
    if phase.doses is not None and len(doses) > phase.doses:
        out.append(f"no more than {phase.doses} doses")
    s = phase.spacing
    distinct = sorted(set(days))
    if s is not None and any((b - a).days < s.min_days for a, b in zip(distinct, distinct[1:], strict=False)):
        apart = f"{s.min_days} to {s.max_days}" if s.max_days and s.max_days != s.min_days else f"at least {s.min_days}"
        out.append(f"doses must be {apart} days apart")
    f = phase.frequency
    if f is not None and f.per is Unit.WEEK:
        weeks = Counter((day - schedule.start).days // 7 for day in days)
        if max(weeks.values(), default=0) > f.times:
            out.append(f"at most {f.times} dose{'s' if f.times > 1 else ''} a week")
    allowed = limits.weekdays[number - 1]
    if allowed is not None and any(d.at.weekday() not in allowed for d in doses if d.number != exempt):
        out.append("doses stay on the chosen weekdays")
    first, c = limits.firsts[number - 1], phase.cycle
    if (
        c is not None
        and first is not None
        and any((day - first).days % (c.on_days + c.off_days) >= c.on_days for day in days)
    ):
        out.append("no doses in the rest days of a cycle")
    if keeps_end(limits.kinds[number - 1]):
        ends = limits.original.phase_ends
        end = ends[number - 1] if ends else None
        last = limits.original.course_end
        if days and (end is not None and days[-1] >= end or last is not None and days[-1] > last):
            shown = last or (end - dt.timedelta(days=1) if end else None)
            out.append(f"the course keeps its end ({shown:%a %d %b %Y})" if shown else "the course keeps its end")
    return out


# --- what the label's policy says for the moment the patient remembers ----------------------------


@dataclass(frozen=True)
class Decision:
    kind: AdviceKind
    at: dt.datetime | None
    why: str
    clause: MissedClause | None = None


def holds(clause: MissedClause, schedule: Schedule, dose: Dose, nxt: Dose | None, now: dt.datetime) -> bool:
    n, late = clause.hours, now.astimezone(UTC) - dose.at.astimezone(UTC)
    if clause.when is MissedWhen.ALWAYS:
        return True
    if clause.when is MissedWhen.LATER_DAY:
        return now.date() > dose.at.date()
    if clause.when in (MissedWhen.LATE_WITHIN, MissedWhen.LATE_BEYOND):
        within = (
            (now.date() - dose.at.date()).days <= (n or 0) // 24
            if clause.by_date
            else late <= dt.timedelta(hours=n or 0)
        )
        return within is (clause.when is MissedWhen.LATE_WITHIN)
    if nxt is None:  # no next dose: it is never close, always "more than N days away"
        return clause.when is MissedWhen.NEXT_BEYOND
    left = nxt.at.astimezone(UTC) - now.astimezone(UTC)
    if n is None:
        assert schedule.rule.regimen is not None
        window = close_window(schedule.rule.regimen.phases[nxt.phase - 1])
        within = window is not None and left < window
    else:
        within = (nxt.at.date() - now.date()).days <= n // 24 if clause.by_date else left < dt.timedelta(hours=n)
    return within is (clause.when is MissedWhen.NEXT_WITHIN)


def _skip_why(clause: MissedClause, schedule: Schedule, nxt: Dose | None) -> str:
    n = clause.hours or 0
    span = f"{n // 24} days" if clause.by_date else f"{n} hours"
    if clause.when is MissedWhen.NEXT_WITHIN and clause.hours is None:
        assert schedule.rule.regimen is not None and nxt is not None
        read = close_words(schedule.rule.regimen.phases[nxt.phase - 1])
        return (
            f"too close to your next dose: the label says to skip it when it is almost time for the next one ({read})"
        )
    return {
        MissedWhen.NEXT_WITHIN: f"your next dose is within {span}: the label says to skip the missed one then",
        MissedWhen.NEXT_BEYOND: f"your next dose is more than {span} away: the label says to skip it then",
        MissedWhen.LATE_BEYOND: f"more than {span} late: the label says to skip it then",
        MissedWhen.LATE_WITHIN: f"within {span} of the missed dose: the label says to skip it then",
        MissedWhen.LATER_DAY: "you remembered on a later day: the label says to skip it then",
    }.get(clause.when, "the label says to skip a missed dose")


def decide(schedule: Schedule, dose: Dose, nxt: Dose | None, now: dt.datetime) -> Decision:
    """What the label's policy says for this moment, before the re-plan checks its limits."""
    policy = schedule.missed_dose
    if policy is None:
        return Decision(AdviceKind.ASK, None, "the label gives no missed-dose rule")
    if policy.unplaced:
        return Decision(AdviceKind.ASK, None, f"the planner cannot apply the label's words: “{policy.unplaced[0]}”")
    holding = [c for c in policy.clauses if holds(c, schedule, dose, nxt, now)]
    first = {kind: next((c for c in holding if c.kind is kind), None) for kind in MissedKind}
    if (skip := first[MissedKind.SKIP]) is not None:
        return Decision(AdviceKind.SKIP, None, _skip_why(skip, schedule, nxt), skip)
    if (morning := first[MissedKind.NEXT_MORNING]) is not None:
        usual = dose.at.time() if 5 <= dose.at.hour < 12 else MORNING
        at = local_time(now.date() + dt.timedelta(days=1), usual, schedule.preferences.zone, [])
        if nxt is not None and at.date() >= nxt.at.date():
            why = (
                "the morning after you remember is the day of your next dose: take only that one, never two on one day"
            )
            return Decision(AdviceKind.SKIP, None, why, morning)
        why = "the label says to take it on the morning after you remember, then return to your usual day"
        return Decision(AdviceKind.TAKE_AT, at, why, morning)
    if (take := first[MissedKind.TAKE]) is not None:
        if policy.has(MissedKind.SAME_DAY_ONLY) and now.date() > dose.at.date():
            why = "you remembered on a later day: the label says to take a missed dose only on the same day"
            return Decision(
                AdviceKind.SKIP, None, why, next(c for c in policy.clauses if c.kind is MissedKind.SAME_DAY_ONLY)
            )
        close = any(c.kind is MissedKind.SKIP and c.when is MissedWhen.NEXT_WITHIN for c in policy.clauses)
        why = "the label says to take it as soon as you remember" + (
            ", and it is not close to your next dose" if close and nxt else ""
        )
        return Decision(AdviceKind.TAKE_NOW, now, why, take)
    if first[MissedKind.CONTACT] is not None:
        return Decision(
            AdviceKind.SKIP,
            None,
            "the label gives no way to make it up: contact your prescriber",
            first[MissedKind.CONTACT],
        )
    return Decision(AdviceKind.ASK, None, "the label does not say what to do about a missed dose")
