"""Stage 2b: ``RuleSet`` ⇄ YAML text (the reviewed ``rules/<drug>.yaml``), and a prescriber's
own regimen put in place of the label's.

The schema is the model's, declared once in ``read/schema.py``; this module adds the meaning
checks the types cannot say (one rhythm per phase, bounds, min ≤ max, names). Loading
validates before building and reports every problem of a file at once, each with a
breadcrumb: ``rules/x.yaml: indications[1].regimen.phases[0].doses: …``.
"""

from __future__ import annotations

import typing
from dataclasses import replace
from typing import Any

import yaml

from ..errors import RuleError
from ..limits import bound_problems
from ..model import (
    Caution,
    CautionTopic,
    Duration,
    DurationKind,
    Phase,
    Regimen,
    RuleSet,
    Status,
    Unit,
)
from . import safeyaml
from .schema import Problems, build, to_data
from .text import name_key, name_problem

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

HEADER = "# Reviewed dosing rules. Regenerate with `planner extract`, review every change.\n"


def _check_phase(phase: Phase, where: str, problems: Problems) -> None:
    """Meaning checks the types cannot say: one rhythm, bounded, min ≤ max."""
    if phase.frequency is not None and phase.frequency.per is Unit.HOUR:
        problems.add(f"{where}.frequency.per", "a frequency is per day, week or month; use interval for hours")
    rhythms = (phase.frequency is not None) + (phase.interval is not None)
    by_hour = phase.offsets_hours is not None and rhythms == 0  # single doses by the hour from the first
    if rhythms != 1 and not (rhythms == 0 and (phase.doses == 1 or by_hour)):
        problems.add(where, "a phase needs exactly one of frequency or interval (or doses: 1)")
    if by_hour and (phase.duration or phase.cycle or phase.doses != len(phase.offsets_hours or ())):
        problems.add(f"{where}.offsets_hours", "doses by the hour: one per offset, with no rhythm or duration")
    hours = list(phase.offsets_hours or ())
    if hours and (hours != sorted(set(hours)) or hours[0] < 0 or hours[-1] > 48):
        problems.add(f"{where}.offsets_hours", "hours from the first dose: increasing, from 0 to 48")
    d = phase.duration
    if d is None and phase.doses is None and phase.cycle is None and (phase.event is None or phase.event.tail is None):
        problems.add(where, "a phase needs a duration, doses or a cycle")
    if isinstance(d, Duration):
        if d.kind is DurationKind.FIXED and (d.min is None or d.min != d.max):
            problems.add(f"{where}.duration", "a fixed duration needs min == max")
        if d.kind is DurationKind.UP_TO and d.max is None:
            problems.add(f"{where}.duration", "an up-to duration needs max")
        if d.min is not None and d.max is not None and d.min > d.max:
            problems.add(f"{where}.duration", f"min {d.min} is more than max {d.max}")
        if d.unit is Unit.HOUR:
            problems.add(f"{where}.duration.unit", "durations are in days, weeks or months")
    problems.extend(f"{where}: {problem}" for problem in bound_problems(phase))
    s = phase.spacing
    if s is not None and s.max_days is not None and s.max_days < s.min_days:
        problems.add(f"{where}.spacing", f"max_days {s.max_days} is less than min_days {s.min_days}")


def _check_names(ruleset: RuleSet, problems: Problems) -> None:
    """Every name readable as written (``read/text.py``), and no two indications of one
    population (or two ids) that look the same (issue 16, item 13)."""
    named = [("drug", ruleset.drug)] + [(f"brand_names[{i}]", b) for i, b in enumerate(ruleset.brand_names)]
    for i, rule in enumerate(ruleset.rules):
        if rule is not None:
            named += [(f"indications[{i}].id", rule.id), (f"indications[{i}].name", rule.name)]
    for where, name in named:
        problem = name_problem(name)
        if problem is not None:
            problems.add(where, f"{name!r} {problem}")
    ids: dict[str, int] = {}
    names: dict[tuple[str, str], int] = {}
    for i, rule in enumerate(ruleset.rules):
        if rule is None:
            continue
        j = ids.setdefault(name_key(rule.id), i)
        if j != i and rule.id != ruleset.rules[j].id:  # the same id is reported as a duplicate id
            problems.add(
                f"indications[{i}].id", f"{rule.id!r} looks the same as indications[{j}].id {ruleset.rules[j].id!r}"
            )
        j = names.setdefault((rule.population, name_key(rule.name)), i)
        if j != i and rule.name:
            problems.add(
                f"indications[{i}].name",
                f"{rule.name!r} looks the same as the {rule.population} indication [{j}] {ruleset.rules[j].name!r}",
            )


def ruleset_from_data(data: Any, path: str = "") -> RuleSet:
    """Validate plain data and build the RuleSet; raise one RuleError listing every problem."""
    problems = Problems()
    ruleset = build(RuleSet, data, "", problems)
    if ruleset is not None and not problems:  # meaning is checked only on well-typed data
        _check_names(ruleset, problems)
        seen: set[str] = set()
        for i, rule in enumerate(ruleset.rules):
            if rule is None:
                continue
            if rule.id in seen:
                problems.add(f"indications[{i}].id", f"duplicate id {rule.id!r}")
            seen.add(rule.id)
            if rule.status is Status.OK and rule.regimen is None:
                problems.add(f"indications[{i}].regimen", "an ok rule needs a regimen")
            if rule.status is Status.NEEDS_REVIEW and not rule.reasons:
                problems.add(f"indications[{i}].reasons", "a needs-review rule needs a reason")
            for j, phase in enumerate(rule.regimen.phases if rule.regimen else ()):
                if phase is not None:
                    _check_phase(phase, f"indications[{i}].regimen.phases[{j}]", problems)
    if problems:
        prefix = f"{path}: " if path else ""
        more = [f"{prefix}and {len(problems) - 20} more"] if len(problems) > 20 else []
        raise RuleError("\n".join([prefix + e for e in problems[:20]] + more), problems=[prefix + e for e in problems])
    return typing.cast(RuleSet, ruleset)


def load_rules(text: str, path: str = "") -> RuleSet:
    """YAML text → RuleSet (safe loader only)."""
    try:
        data = safeyaml.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleError(
            f"not valid YAML ({getattr(exc, 'problem', exc)})", path=path, line=mark.line + 1 if mark else None
        ) from None
    return ruleset_from_data(data, path)


def dump_rules(ruleset: RuleSet) -> str:
    """RuleSet → YAML text, stable key order, with a header."""
    return HEADER + yaml.dump(to_data(ruleset), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


def regimen_from_text(text: str, where: str = "--regimen") -> Regimen:
    """A prescriber's structured regimen, as YAML or JSON text (the same schema as rules/)."""
    try:
        data = safeyaml.load(text)
    except yaml.YAMLError as exc:
        raise RuleError(f"not valid YAML or JSON ({getattr(exc, 'problem', exc)})", key=where) from None
    problems = Problems()
    regimen = build(Regimen, data, "", problems)
    for j, phase in enumerate(regimen.phases if isinstance(regimen, Regimen) and not problems else ()):
        if phase is not None:
            _check_phase(phase, f"phases[{j}]", problems)
    if isinstance(regimen, Regimen) and not regimen.phases:
        problems.add("phases", "at least one phase is needed")
    if problems:
        raise RuleError(
            "; ".join(problems),
            key=where,
            problems=problems,
            hint="e.g. {phases: [{frequency: {times: 2, per: day}, duration: {kind: fixed, unit: day, "
            "min: 7, max: 7}}]}",
        )
    return typing.cast(Regimen, regimen)


def with_regimen(ruleset: RuleSet, indication: str, regimen: Regimen, origin: str = "--regimen") -> RuleSet:
    """The ruleset with one indication's regimen replaced by the prescriber's own (status ok).
    The monograph's sentence stays as provenance; a warning says whose regimen is planned."""
    rule = ruleset.rule(indication)
    if rule is None:  # a typo must not become a new, unchecked indication
        raise RuleError(
            f"{ruleset.drug} has no indication {indication!r}",
            key="indication",
            hint=f"choose one of: {', '.join(r.id for r in ruleset.rules)}",
        )
    note = Caution(
        CautionTopic.PRESCRIBER,
        f"Planned from the prescriber's regimen ({origin}), not from the monograph's "
        f"sentence: {rule.source.sentence}",
        indication=rule.id,
    )
    rules = tuple(r for r in ruleset.rules if r.id != rule.id) + (
        replace(rule, status=Status.OK, regimen=regimen, reasons=()),
    )
    return replace(ruleset, rules=rules, warnings=(note,) + ruleset.warnings)
