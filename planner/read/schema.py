"""Stage 2b: ``RuleSet`` ⇄ plain data ⇄ YAML text (the reviewed ``rules/<drug>.yaml``).

The schema is declared once, as the model's dataclasses and their type hints, plus the
value limits below. Loading validates before building and reports every error of a file
at once, each with a breadcrumb: ``rules/x.yaml: indications[1].regimen.phases[0].doses: …``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import replace
from enum import Enum
from typing import Any

import yaml

from ..errors import RuleError
from ..limits import bound_problems
from ..model import (
    Duration,
    DurationKind,
    Phase,
    Regimen,
    RuleSet,
    Status,
    Unit,
    Warning,
)
from . import safeyaml
from .text import name_key, name_problem

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# Integer fields that must be at least 1 (everything else numeric must be at least 0).
POSITIVE = frozenset(
    {"times", "every", "min_days", "max_days", "doses", "max_per_day", "on_days", "repeats", "min", "max"}
)
# The YAML/JSON names of RuleSet fields where they differ from the model's.
RENAMED = {"rules": "indications"}
HEADER = "# Reviewed dosing rules. Regenerate with `planner extract`, review every change.\n"


def to_data(value: Any) -> Any:
    """Model value → plain data (dicts, lists, str, int, bool); None and empty fields dropped."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is None or item is False or item == () and f.name not in ("reasons", "spans"):
                continue  # absent means the default; keep the files short
            out[RENAMED.get(f.name, f.name)] = to_data(item)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [to_data(v) for v in value]
    return value


class _Errors(list[str]):
    def add(self, where: str, message: str) -> None:
        self.append(f"{where}: {message}")


def _build(hint: Any, data: Any, where: str, errors: _Errors) -> Any:
    """Plain data → value of type ``hint``, appending an error (and returning None) on mismatch."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        return _build(next(a for a in args if a is not type(None)), data, where, errors)
    if origin is tuple:
        if not isinstance(data, list):
            errors.add(where, f"expected a list, got {type(data).__name__}")
            return ()
        return tuple(_build(args[0], item, f"{where}[{i}]", errors) for i, item in enumerate(data))
    if dataclasses.is_dataclass(hint):
        return _build_dataclass(hint, data, where, errors)
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(data)
        except ValueError:
            errors.add(where, f"expected one of {', '.join(m.value for m in hint)}, got {data!r}")
            return None
    if hint is int:
        if not isinstance(data, int) or isinstance(data, bool):
            errors.add(where, f"expected an integer, got {data!r}")
            return None
        floor = 1 if where.rsplit(".", 1)[-1] in POSITIVE else 0
        if data < floor:
            errors.add(where, f"expected {'a positive' if floor else 'a non-negative'} integer, got {data}")
        return data
    if hint is bool and not isinstance(data, bool) or hint is str and not isinstance(data, str):
        errors.add(where, f"expected {hint.__name__}, got {data!r}")
        return None
    return data


def _build_dataclass(cls: Any, data: Any, where: str, errors: _Errors) -> Any:
    if not isinstance(data, dict):
        errors.add(where or "(top level)", f"expected a mapping, got {type(data).__name__}")
        return None
    hints = typing.get_type_hints(cls)
    names = {RENAMED.get(f.name, f.name): f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in names:
            errors.add(f"{where}.{key}" if where else str(key), f"unknown key (expected one of {', '.join(names)})")
    values = {}
    for name, f in names.items():
        path = f"{where}.{name}" if where else name
        if name in data:
            values[f.name] = _build(hints[f.name], data[name], path, errors)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            if type(None) in typing.get_args(hints[f.name]):
                values[f.name] = None  # optional: absent means None
            else:
                errors.add(path, "missing")
    try:
        return cls(**values)
    except TypeError:
        return None  # a missing field, already reported


def _check_phase(phase: Phase, where: str, errors: _Errors) -> None:
    """Meaning checks the types cannot say: one rhythm, bounded, min ≤ max."""
    if phase.frequency is not None and phase.frequency.per is Unit.HOUR:
        errors.add(f"{where}.frequency.per", "a frequency is per day, week or month; use interval for hours")
    rhythms = (phase.frequency is not None) + (phase.interval is not None)
    if rhythms != 1 and not (rhythms == 0 and phase.doses == 1):
        errors.add(where, "a phase needs exactly one of frequency or interval (or doses: 1)")
    d = phase.duration
    if d is None and phase.doses is None and phase.cycle is None:
        errors.add(where, "a phase needs a duration, doses or a cycle")
    if isinstance(d, Duration):
        if d.kind is DurationKind.FIXED and (d.min is None or d.min != d.max):
            errors.add(f"{where}.duration", "a fixed duration needs min == max")
        if d.kind is DurationKind.UP_TO and d.max is None:
            errors.add(f"{where}.duration", "an up-to duration needs max")
        if d.min is not None and d.max is not None and d.min > d.max:
            errors.add(f"{where}.duration", f"min {d.min} is more than max {d.max}")
        if d.unit is Unit.HOUR:
            errors.add(f"{where}.duration.unit", "durations are in days, weeks or months")
    errors.extend(f"{where}: {problem}" for problem in bound_problems(phase))
    s = phase.spacing
    if s is not None and s.max_days is not None and s.max_days < s.min_days:
        errors.add(f"{where}.spacing", f"max_days {s.max_days} is less than min_days {s.min_days}")


def _check_names(ruleset: RuleSet, errors: _Errors) -> None:
    """Every name readable as written (``read/text.py``), and no two indications of one
    population (or two ids) that look the same (issue 16, item 13)."""
    named = [("drug", ruleset.drug)] + [(f"brand_names[{i}]", b) for i, b in enumerate(ruleset.brand_names)]
    for i, rule in enumerate(ruleset.rules):
        if rule is not None:
            named += [(f"indications[{i}].id", rule.id), (f"indications[{i}].name", rule.name)]
    for where, name in named:
        problem = name_problem(name)
        if problem is not None:
            errors.add(where, f"{name!r} {problem}")
    ids: dict[str, int] = {}
    names: dict[tuple[str, str], int] = {}
    for i, rule in enumerate(ruleset.rules):
        if rule is None:
            continue
        j = ids.setdefault(name_key(rule.id), i)
        if j != i and rule.id != ruleset.rules[j].id:  # the same id is reported as a duplicate id
            errors.add(
                f"indications[{i}].id", f"{rule.id!r} looks the same as indications[{j}].id {ruleset.rules[j].id!r}"
            )
        j = names.setdefault((rule.population, name_key(rule.name)), i)
        if j != i and rule.name:
            errors.add(
                f"indications[{i}].name",
                f"{rule.name!r} looks the same as the {rule.population} indication [{j}] {ruleset.rules[j].name!r}",
            )


def ruleset_from_data(data: Any, path: str = "") -> RuleSet:
    """Validate plain data and build the RuleSet; raise one RuleError listing every problem."""
    errors = _Errors()
    ruleset = _build_dataclass(RuleSet, data, "", errors)
    if ruleset is not None and not errors:  # meaning is checked only on well-typed data
        _check_names(ruleset, errors)
        seen: set[str] = set()
        for i, rule in enumerate(ruleset.rules):
            if rule is None:
                continue
            if rule.id in seen:
                errors.add(f"indications[{i}].id", f"duplicate id {rule.id!r}")
            seen.add(rule.id)
            if rule.status is Status.OK and rule.regimen is None:
                errors.add(f"indications[{i}].regimen", "an ok rule needs a regimen")
            if rule.status is Status.NEEDS_REVIEW and not rule.reasons:
                errors.add(f"indications[{i}].reasons", "a needs-review rule needs a reason")
            for j, phase in enumerate(rule.regimen.phases if rule.regimen else ()):
                if phase is not None:
                    _check_phase(phase, f"indications[{i}].regimen.phases[{j}]", errors)
    if errors:
        prefix = f"{path}: " if path else ""
        more = [f"{prefix}and {len(errors) - 20} more"] if len(errors) > 20 else []
        raise RuleError("\n".join([prefix + e for e in errors[:20]] + more))
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
    errors = _Errors()
    regimen = _build(Regimen, data, "", errors)
    for j, phase in enumerate(regimen.phases if isinstance(regimen, Regimen) and not errors else ()):
        if phase is not None:
            _check_phase(phase, f"phases[{j}]", errors)
    if isinstance(regimen, Regimen) and not regimen.phases:
        errors.add("phases", "at least one phase is needed")
    if errors:
        raise RuleError(
            "; ".join(errors),
            key=where,
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
    note = Warning(
        "prescriber",
        f"Planned from the prescriber's regimen ({origin}), not from the monograph's "
        f"sentence: {rule.source.sentence}",
    )
    rules = tuple(r for r in ruleset.rules if r.id != rule.id) + (
        replace(rule, status=Status.OK, regimen=regimen, reasons=()),
    )
    return replace(ruleset, rules=rules, warnings=(note,) + ruleset.warnings)
