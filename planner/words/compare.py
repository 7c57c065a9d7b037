"""The clinician's comparison numbers, counted over cycles and every phase, and a typed
regimen compared with the label's, each difference named. Pure and streamlit-free.

Cells the label's numbers do not fix are blank (""), never a guess and never ``None``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..model import DurationKind, Phase, Regimen, RuleSet, Unit
from .regimen import describe_regimen, expected_doses

_DAYS = {Unit.DAY: 1, Unit.WEEK: 7, Unit.MONTH: 30}


def per_day(phase: Phase) -> Fraction | None:
    """Doses on a dosing day, as the rhythm gives them (an "N a week" phase: one a dosing day)."""
    f, i = phase.frequency, phase.interval
    if f is not None and f.per is Unit.DAY:
        return Fraction(f.times)
    if i is not None and i.unit is Unit.HOUR:
        return Fraction(24, i.every)
    if f is not None or i is not None:
        return Fraction(1)
    return None


def per_week(phase: Phase) -> Fraction | None:
    """Doses in a week of the phase, rest days of a cycle counted (podofilox: 2 a day × 3 of 7 days = 6)."""
    f, i = phase.frequency, phase.interval
    if f is not None and f.per is Unit.WEEK:
        rate = Fraction(f.times)
    elif f is not None and f.per is Unit.MONTH:
        rate = Fraction(f.times * 7, 30)
    elif i is not None and i.unit in (Unit.DAY, Unit.WEEK):
        rate = Fraction(7, i.every * _DAYS[i.unit])
    elif f is not None or i is not None:
        rate = (per_day(phase) or Fraction(0)) * 7
    else:
        return None
    c = phase.cycle
    if c is not None and c.on_days + c.off_days:
        rate = rate * Fraction(c.on_days, c.on_days + c.off_days)
    return rate


def phase_days(phase: Phase) -> tuple[int | None, int | None]:
    """(shortest, longest) length of a phase in days; None where the label sets no end."""
    c, d = phase.cycle, phase.duration
    if c is not None and d is None:
        if not c.repeats:
            return None, None
        full = (c.on_days + c.off_days) * c.repeats  # whole cycles, as labels count them ("4 one-week cycles")
        return (None if c.up_to else full), full
    if d is None:
        if phase.doses is not None and phase.frequency is None and phase.interval is None:
            return 1, 1
        return None, None
    if d.kind is DurationKind.ONGOING:
        return None, None
    unit = _DAYS.get(d.unit, 1)
    low = None if d.kind is DurationKind.UP_TO else (d.min or 0) * unit
    high = (d.max if d.max is not None else d.min or 0) * unit
    return low, high


def _span(days: int) -> str:
    if days % 7 == 0 and days >= 14:
        return f"{days // 7} weeks"
    return f"{days} day" + ("" if days == 1 else "s")


def course_length(regimen: Regimen | None) -> str:
    """Every phase's length added up: "5 weeks", "up to 4 weeks", "2 to 4 weeks", "" (ongoing/unknown)."""
    if regimen is None:
        return ""
    lows, highs = zip(*(phase_days(p) for p in regimen.phases), strict=True)
    if any(h is None for h in highs):
        return ""
    high = sum(h for h in highs if h is not None)
    if any(low is None for low in lows):
        return f"up to {_span(high)}"
    low = sum(v for v in lows if v is not None)
    if low == high:
        return _span(high)
    short, long = _span(low), _span(high)
    same_unit = short.split()[1].rstrip("s") == long.split()[1].rstrip("s")
    return f"{short.split()[0] if same_unit else short} to {long}"


def phase_doses(phase: Phase) -> int | None:
    """The exact dose count of a phase, cycles included; None when the label leaves it open."""
    c = phase.cycle
    if c is not None and phase.duration is None:
        daily = per_day(phase)
        if not c.repeats or c.up_to or daily is None or daily.denominator != 1:
            return None
        return int(daily) * c.on_days * c.repeats
    return expected_doses(phase)


def total_doses(regimen: Regimen | None) -> int | None:
    """Doses over every phase, or None if any phase's count is open (never a partial sum)."""
    if regimen is None:
        return None
    counts = [phase_doses(p) for p in regimen.phases]
    return None if any(c is None for c in counts) else sum(c for c in counts if c is not None)


def _rate(value: Fraction | None) -> str:
    if value is None:
        return ""
    if value.denominator == 1:
        return str(int(value))
    if (value * 2).denominator == 1:  # every other day: 3 or 4 in a given week
        return f"{math.floor(value)}-{math.ceil(value)}"
    return f"≈ {float(value):.1f}"


def _week_cell(phase: Phase) -> str:
    f, i = phase.frequency, phase.interval
    if f is None and i is None:
        return "single dose" if phase.doses == 1 else ""
    if f is not None and f.per is Unit.MONTH:
        return f"{f.times} a month"
    if i is not None and i.unit is Unit.MONTH:
        return "1 a month" if i.every == 1 else f"1 every {i.every} months"
    return _rate(per_week(phase))


def weekly_text(regimen: Regimen | None) -> str:
    """Doses a week, per phase where phases differ: "6", "3-4", "single dose, then 7", "1 a month"."""
    if regimen is None:
        return ""
    rates = [_week_cell(p) for p in regimen.phases]
    if not any(rates):
        return ""
    unique = list(dict.fromkeys(rates))
    return unique[0] if len(unique) == 1 else ", then ".join(r or "?" for r in rates)


def _spacing(regimen: Regimen | None) -> str:
    s = regimen.phases[0].spacing if regimen and regimen.phases else None
    if s is None:
        return ""
    return f"{s.min_days}-{s.max_days} days" if s.max_days else f"≥ {s.min_days} days"


def _review(reasons: tuple[str, ...]) -> str:
    return "needs review: " + "; ".join(reasons)


def compare_rows(ruleset: RuleSet) -> list[dict[str, Any]]:
    """One row per indication, every cell a string (blank where the label leaves it open)."""
    rows = []
    for rule in ruleset.rules:
        total = total_doses(rule.regimen)
        rows.append(
            {
                "indication": rule.name or rule.id,
                "status": rule.status.value,
                "doses per week": weekly_text(rule.regimen),
                "duration": course_length(rule.regimen),
                "total doses": str(total) if total is not None else "",
                "spacing": _spacing(rule.regimen),
                "regimen": describe_regimen(rule.regimen) if rule.regimen else _review(rule.reasons),
                "source sentence": rule.source.sentence,
            }
        )
    return rows


def compare_drugs(rulesets: list[RuleSet]) -> list[dict[str, Any]]:
    """``compare_rows`` of several drugs in one table, each row led by its drug."""
    return [{"drug": r.drug, **row} for r in rulesets for row in compare_rows(r)]


# --- a typed regimen beside the label's ---------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One way an entered regimen differs from the label's: what, entered, label."""

    what: str
    entered: str
    label: str

    @property
    def text(self) -> str:
        return f"{self.what}: you entered {self.entered}, the label says {self.label}"


def _most(values: list[Fraction | None]) -> Fraction | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _amounts(regimen: Regimen) -> str:
    return ", then ".join(dict.fromkeys(p.amount for p in regimen.phases if p.amount))


def differences(entered: Regimen, label: Regimen) -> list[Difference]:
    """Where ``entered`` differs from ``label`` in doses a day, doses a week, length, count or
    amount. An empty list means these five agree, not that every rule of the label was checked."""
    out: list[Difference] = []
    pairs = (
        ("most doses a day", _most([per_day(p) for p in entered.phases]), _most([per_day(p) for p in label.phases])),
        ("most doses a week", _most([per_week(p) for p in entered.phases]), _most([per_week(p) for p in label.phases])),
    )
    for what, mine, theirs in pairs:
        if mine is not None and theirs is not None and mine > theirs:
            out.append(Difference(what, _rate(mine), f"at most {_rate(theirs)}"))
    mine_len, label_len = course_length(entered), course_length(label)
    if mine_len != label_len:
        out.append(Difference("length", mine_len or "no set end", label_len or "no set end"))
    mine_n, label_n = total_doses(entered), total_doses(label)
    if mine_n != label_n and (mine_n is not None or label_n is not None):
        out.append(Difference("number of doses", str(mine_n or "open"), str(label_n or "open")))
    mine_amount, label_amount = _amounts(entered), _amounts(label)
    if mine_amount and label_amount and mine_amount != label_amount:
        out.append(Difference("amount", mine_amount, label_amount))
    return out
