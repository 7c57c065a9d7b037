"""A missed-dose answer in words: the action first, the next dose, one line of why, the label's sentence.

Pure. ``answer_lines`` is what a card in the app shows; ``advice_text`` and ``advice_data`` are the
CLI's text and JSON (``action``, ``next_dose``, ``why``, ``source_text`` beside the older fields).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import DISCLAIMER, Dose, MissedDose, MissedDoseAdvice, MissedKind, MissedWhen


def _when(at: dt.datetime) -> str:
    return f"{at:%a %d %b %Y at %H:%M}"


def answer_lines(advice: MissedDoseAdvice) -> tuple[str, ...]:
    """The answer as a card shows it, in order: action, next dose, why, what else follows (doses
    moved, "never take two"), the label's sentence, the planner's readings where the label is
    silent, then the label's warnings about missed doses."""
    lines = [advice.action]
    lines.append(f"Next dose: {_when(advice.next_dose)}" if advice.next_dose else "No more doses in this plan")
    lines.append(f"Why: {advice.why}")
    lines += list(advice.notes)
    if advice.source_text:
        lines.append(f"The label says: {advice.source_text}")
    lines += [f"About this answer: {r}" for r in advice.reading]
    lines += [f"Warning: {w}" for w in advice.warnings if w != advice.source_text]
    return tuple(lines)


def _dose_rows(doses: list[Dose]) -> list[dict[str, Any]]:
    return [{"number": d.number, "at": d.at.isoformat(), "amount": d.amount or "", "phase": d.phase} for d in doses]


def advice_data(advice: MissedDoseAdvice, number: int) -> dict[str, Any]:
    """The answer as the CLI's JSON: ``action`` (plain words), ``kind`` (take-now, take-at, skip,
    taken-late, ask), ``next_dose``, ``why``, ``source_text``; ``doses`` is the updated schedule from
    the missed dose on (make-up dose included, skipped ones left out)."""
    schedule = advice.schedule
    return {
        "action": advice.action,
        "kind": advice.kind.value,
        "next_dose": advice.next_dose.isoformat() if advice.next_dose else None,
        "why": advice.why,
        "source_text": advice.source_text,
        "take_at": advice.take_at.isoformat() if advice.take_at else None,
        "guidance": advice.guidance,
        "rule_applied": advice.rule_applied,
        "reading": list(advice.reading),
        "notes": list(advice.notes),
        "doses": _dose_rows([d for d in schedule.active if d.number >= number]),
        "changed": [
            {"number": d.number, "at": d.at.isoformat(), "cancelled": d.cancelled, "sequence": d.revision}
            for d in schedule.doses
            if d.revision
        ],
        "course_end": schedule.course_end.isoformat() if schedule.course_end else None,
        "warnings": list(advice.warnings),
        "disclaimer": DISCLAIMER,
    }


def advice_text(advice: MissedDoseAdvice, number: int) -> str:
    lines = list(answer_lines(advice))
    lines += ["", f"Rule applied: {advice.rule_applied}", "", "Doses from here on:"]
    lines += [f"  {d.number:>3}  {d.at:%a %Y-%m-%d %H:%M %Z}" for d in advice.schedule.active if d.number >= number]
    return "\n".join(lines + ["", DISCLAIMER]) + "\n"


_WHEN_WORDS = {
    MissedWhen.NEXT_WITHIN: "if the next dose is within {span}",
    MissedWhen.NEXT_BEYOND: "if the next dose is more than {span} away",
    MissedWhen.LATE_WITHIN: "if remembered within {span}",
    MissedWhen.LATE_BEYOND: "if more than {span} late",
    MissedWhen.LATER_DAY: "if remembered on a later day",
}
_KIND_WORDS = {
    MissedKind.TAKE: "take it when remembered",
    MissedKind.SAME_DAY_ONLY: "only on the same day",
    MissedKind.NEXT_MORNING: "take it the next morning, then back to the usual day",
    MissedKind.SKIP: "skip it",
    MissedKind.SHIFT: "the remaining doses move back",
    MissedKind.MIN_HOURS: "never two doses within {span}",
    MissedKind.ONE_PER_DAY: "never two on one day",
    MissedKind.NO_DOUBLE: "never double",
    MissedKind.FINISH: "finish the course",
    MissedKind.KEEP_END: "never extend the course",
    MissedKind.CONTACT: "contact the prescriber",
}


def missed_rule_summary(rule: MissedDose | None) -> str:
    """The structured missed-dose policy in words, as the missed-dose engine applies it."""
    if rule is None:
        return "no rule in the monograph: ask the prescriber"
    parts = []
    for clause in rule.clauses:
        words = _KIND_WORDS.get(clause.kind)
        if words is None:
            continue
        n = clause.hours or 0
        span = f"{n // 24} days" if clause.by_date else f"{n} hours"
        condition = _WHEN_WORDS.get(clause.when, "")
        if clause.when is MissedWhen.NEXT_WITHIN and clause.hours is None:
            condition = "if it is almost time for the next dose"
        parts.append((words + (" " + condition if condition else "")).format(span=span))
    parts += [f"not read, ask: “{s}”" for s in rule.unplaced]
    return "; ".join(parts) or "no instruction the planner can apply: ask the prescriber"
