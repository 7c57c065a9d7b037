"""The model's one schema: frozen dataclass ⇄ plain data (dicts, lists, str, int, bool).

Declared once, as the dataclasses of ``planner.model`` and their type hints, so the rules
YAML, the CLI's JSON contract, the calendar's embedded regimen and the prescriber's
``--regimen`` all read and write the same shape. ``build`` never raises on bad data: it
collects every problem, each with its breadcrumb (``indications[1].regimen.doses: …``), in a
``Problems`` list, so a file's errors are reported all at once.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from typing import Any

# Integer fields that must be at least 1 (everything else numeric must be at least 0).
POSITIVE = frozenset(
    {"times", "every", "min_days", "max_days", "doses", "max_per_day", "on_days", "repeats", "min", "max"}
)
# The plain-data names of model fields where they differ from the model's.
RENAMED = {"rules": "indications"}
# Empty tuples kept in the data, because an empty list there says something ("no reasons").
KEPT_EMPTY = frozenset({"reasons", "spans"})


def to_data(value: Any) -> Any:
    """Model value → plain data; None, False and empty fields dropped (absent means the default),
    and so is a default the model marks as implied (``model.rules.UNWRITTEN_DEFAULT``)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is None or item is False or item == () and f.name not in KEPT_EMPTY:
                continue  # keep the files short
            if f.metadata.get("unwritten_default") and item == f.default:
                continue  # a field added later: files written before it stay byte for byte
            out[RENAMED.get(f.name, f.name)] = to_data(item)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [to_data(v) for v in value]
    return value


class Problems(list[str]):
    """Every problem found in one piece of data, one line each: ``where: what``."""

    def add(self, where: str, message: str) -> None:
        self.append(f"{where}: {message}")


def build(hint: Any, data: Any, where: str, problems: Problems) -> Any:
    """Plain data → value of type ``hint``; a mismatch is added to ``problems`` (and gives None)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        return build(next(a for a in args if a is not type(None)), data, where, problems)
    if origin is tuple:
        if not isinstance(data, list):
            problems.add(where, f"expected a list, got {type(data).__name__}")
            return ()
        return tuple(build(args[0], item, f"{where}[{i}]", problems) for i, item in enumerate(data))
    if dataclasses.is_dataclass(hint):
        return _build_dataclass(hint, data, where, problems)
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(data)
        except ValueError:
            problems.add(where, f"expected one of {', '.join(m.value for m in hint)}, got {data!r}")
            return None
    if hint is int:
        if not isinstance(data, int) or isinstance(data, bool):
            problems.add(where, f"expected an integer, got {data!r}")
            return None
        floor = 1 if where.rsplit(".", 1)[-1] in POSITIVE else 0
        if data < floor:
            problems.add(where, f"expected {'a positive' if floor else 'a non-negative'} integer, got {data}")
        return data
    if hint is bool and not isinstance(data, bool) or hint is str and not isinstance(data, str):
        problems.add(where, f"expected {hint.__name__}, got {data!r}")
        return None
    return data


def _build_dataclass(cls: Any, data: Any, where: str, problems: Problems) -> Any:
    if not isinstance(data, dict):
        problems.add(where or "(top level)", f"expected a mapping, got {type(data).__name__}")
        return None
    hints = typing.get_type_hints(cls)
    names = {RENAMED.get(f.name, f.name): f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in names:
            problems.add(f"{where}.{key}" if where else str(key), f"unknown key (expected one of {', '.join(names)})")
    values = {}
    for name, f in names.items():
        path = f"{where}.{name}" if where else name
        if name in data:
            values[f.name] = build(hints[f.name], data[name], path, problems)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            if type(None) in typing.get_args(hints[f.name]):
                values[f.name] = None  # optional: absent means None
            else:
                problems.add(path, "missing")
    try:
        return cls(**values)
    except TypeError:
        return None  # a missing field, already reported
