"""Prescription text (a sig: "Take 1 tablet by mouth 3 times a day for 10 days") → the
prescriber's regimen for one indication of a monograph, checked against the label.

The same reader as the monograph's reads it, in the prescription's context (no stated end
means it continues until the prescriber stops it). What it read is said back in words by
the caller before it is used. A reading that gives more doses a day, more a week or a longer
course than the label allows for that indication is refused, naming the label's limit; a
label that gives no schedule to compare with is said so, and the plan still carries the
monograph's missed-dose rule and warnings.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import RuleError
from ..limits import MAX_DURATION_DAYS, daily_cap, spacing_text
from ..model import DurationKind, Phase, Regimen, RuleSet, Unit
from .reader import Context, read
from .rules import with_regimen

_DAYS = {Unit.DAY: 1, Unit.WEEK: 7, Unit.MONTH: 31}


def read_sig(text: str) -> Regimen:
    """The one regimen a prescription's text says, or a RuleError with the reader's reasons."""
    reading = read(text, Context.SIG)
    if not reading.options:
        raise RuleError(
            f"the prescription text was not read: {'; '.join(reading.reasons)}",
            key="sig",
            hint="write it as e.g. 'Take 1 tablet by mouth 3 times a day for 10 days'",
        )
    if len(reading.options) > 1:
        raise RuleError(
            f"the prescription text allows {len(reading.options)} regimens: a prescription names one",
            key="sig",
            hint="ask the prescriber which one, and write only that",
        )
    return reading.options[0].regimen


def _per_day(phase: Phase) -> float:
    cap = daily_cap(phase)
    if cap is not None:
        return cap
    return 24 / phase.interval.every if phase.interval and phase.interval.unit is Unit.HOUR else 1


def _per_week(phase: Phase) -> float:
    f, i = phase.frequency, phase.interval
    if f is not None:
        return f.times * {Unit.DAY: 7, Unit.WEEK: 1, Unit.MONTH: 7 / 30}.get(f.per, 0)
    if i is not None:
        return 7 * 24 / (i.every * {Unit.HOUR: 1, Unit.DAY: 24, Unit.WEEK: 168, Unit.MONTH: 720}[i.unit])
    return 1


def _days(regimen: Regimen) -> int | None:
    """The longest the regimen runs, in days; None when it has no end."""
    total = 0
    for p in regimen.phases:
        d = p.duration
        if p.cycle is not None and p.cycle.repeats:
            total += (p.cycle.on_days + p.cycle.off_days) * p.cycle.repeats
        elif d is None or d.kind is DurationKind.ONGOING or (d.max or d.min) is None:
            if p.doses is None:
                return None
        else:
            total += (d.max or d.min or 0) * _DAYS.get(d.unit, 1)
    return total


def beyond_label(regimen: Regimen, label: Regimen) -> list[str]:
    """How a prescribed regimen goes past the label's limits (more a day, a week, longer)."""
    out = []
    day = max(_per_day(p) for p in label.phases)
    week = max(_per_week(p) for p in label.phases)
    if max(_per_day(p) for p in regimen.phases) > day:
        out.append(f"the label allows at most {day:g} a day")
    if max(_per_week(p) for p in regimen.phases) > week + 1e-9:
        out.append(f"the label allows at most {week:g} a week")
    mine, theirs = _days(regimen), _days(label)
    if theirs is not None and (mine is None or mine > theirs):
        out.append(f"the label's course lasts at most {theirs} days")
    if mine is not None and mine > MAX_DURATION_DAYS:
        out.append("a course of more than five years")
    return out


def _spaced(regimen: Regimen, labels: list[Regimen]) -> tuple[Regimen, tuple[str, ...]]:
    """ "twice a week" on a prescription keeps the label's spacing ("doses 3-4 days apart")."""
    phases, said = list(regimen.phases), []
    for k, p in enumerate(phases):
        same = [q for label in labels for q in label.phases if q.spacing and q.frequency == p.frequency]
        if p.spacing is None and p.frequency is not None and same:
            phases[k] = replace(p, spacing=same[0].spacing)
            said.append(f"Doses {spacing_text(phases[k])}, as the label says.")
    return replace(regimen, phases=tuple(phases)), tuple(said)


def with_sig(ruleset: RuleSet, indication: str, text: str) -> tuple[RuleSet, tuple[str, ...]]:
    """The ruleset with the indication's regimen read from a prescription, and what to say about it."""
    regimen = read_sig(text)
    rule = ruleset.rule(indication)
    notes: tuple[str, ...] = ()
    if rule is not None and rule.regimen is not None:
        labels = [o.regimen for o in rule.options] or [rule.regimen]
        regimen, notes = _spaced(regimen, labels)
        problems = [beyond_label(regimen, label) for label in labels]
        if all(problems):
            raise RuleError(
                f"the prescription goes past the label for {rule.name}: {'; '.join(problems[0])}",
                key="sig",
                hint="check the prescription with the prescriber or pharmacist",
            )
    elif rule is not None:
        notes = (f"The label gives no schedule for {rule.name} to compare with: the prescription is planned as read.",)
    return with_regimen(ruleset, indication, regimen, origin="the prescription text (--sig)"), notes
