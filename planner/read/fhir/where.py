"""JSON paths and one-line errors for the FHIR reader: every refusal is a ``RuleError``
naming the element, e.g. ``rx.json: dosageInstruction[0].timing.repeat.period: …``."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...errors import RuleError


def at(where: str, key: str | int) -> str:
    """The path of ``key`` inside ``where``: ``a.b``, ``a[0]``."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return kinds.get(type(value), "a number")


def show(value: Any) -> str:
    """A value as the JSON said it, short: ``"x"``, ``7``, ``null``, ``a list``."""
    if isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, dt.date | dt.time):
        text = json.dumps(value.isoformat())
    elif isinstance(value, str | int | float | bool | None):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = _kind(value)
    return text if len(text) <= 40 else text[:37] + "..."


def given(model: Any) -> list[str]:
    """The JSON names of the elements a fhir.resources model was given."""
    chosen = model.model_fields_set
    return [
        field.alias or name
        for name, field in type(model).model_fields.items()
        if name in chosen and getattr(model, name) is not None
    ]


_SIMPLE = {
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected a string",
    "list_type": "expected a list",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "json_invalid": "expected an object",
    "json_type": "expected an object",
    "model_validation_format": "expected an object",
    "model_type": "expected an object",
    "dict_type": "expected an object",
    "finite_number": "expected a number",
    "decimal_type": "expected a number",
}
_VALUES = {"Time value": "expected a time HH:MM:SS", "DateTime value": "expected a date YYYY-MM-DD or a dateTime"}
_VALUES |= {"Date value": "expected a date YYYY-MM-DD", "Decimal value": "expected a number"}


def _message(error: Any) -> str:
    """A pydantic error of fhir.resources in the reader's words."""
    kind, got = error["type"], show(error.get("input"))
    ctx = error.get("ctx") or {}
    if kind in _SIMPLE:
        return f"{_SIMPLE[kind]}, got {got}"
    if kind == "missing":
        return "missing: FHIR R4 requires it"
    if kind == "extra_forbidden":
        return "not an element of this FHIR R4 type"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"expected {'at least' if 'ge' in ctx else 'at most'} {ctx.get('ge', ctx.get('le'))}, got {got}"
    text = " ".join(str(error["msg"]).removeprefix("Value error, ").split())
    names = re.search(r"\[([^]]*)\]", text)
    choices = ", ".join(re.findall(r"'([^']+)'", names[1])) if names else ""
    if text.startswith("Value for the field") and text.endswith("is required."):
        return "missing: FHIR R4 requires it"
    if text.startswith("Any of one field value"):
        return f"only one of {choices} may be given"
    if text.startswith("Expect any of field value"):
        return f"missing: one of {choices} is required"
    special = next((words for start, words in _VALUES.items() if text.startswith(start)), None)
    return f"{special}, got {got}" if special else text[:200]


def _path(loc: tuple[Any, ...]) -> str:
    where = ""
    for key in loc:
        if key not in ("root", "resource_type"):
            where = at(where, key)
    return where or ("resourceType" if "resource_type" in loc else "")


def problem(error: Any) -> tuple[str, str]:
    """(JSON path, message) of one pydantic error of fhir.resources."""
    return _path(tuple(error["loc"])), _message(error)


FHIR_INTEGER = 2**31 - 1  # the largest FHIR integer: the default bound where the planner's own come later


@dataclass(frozen=True)
class Fail:
    """Builds the reader's errors for one source file."""

    source: str = ""

    def __call__(self, where: str, message: str, hint: str | None = None) -> RuleError:
        return RuleError(message, path=self.source or None, key=where or "(top level)", hint=hint)

    def unsupported(self, where: str, why: str = "", hint: str | None = None) -> RuleError:
        return self(where, "not supported" + (f": {why}" if why else ""), hint)

    def whole(self, value: Any, where: str, low: int = 1, high: int = FHIR_INTEGER) -> int:
        """A whole number within low..high (FHIR decimals such as 2.0 count as whole)."""
        if value is None:
            raise self(where, "missing")
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self(where, f"expected a whole number, got {show(value)}")
        if not low <= value <= high:
            raise self(where, f"{show(value)} is outside {low}..{high}")
        return value

    def amount(self, value: Decimal | None, where: str) -> Decimal:
        """A dose's value: a positive number below a million."""
        if value is None:
            raise self(where, "missing: a dose needs a value")
        if not 0 < value < 1_000_000:
            raise self(where, f"{show(value)} is not a positive amount")
        return value

    def known(self, model: Any, where: str, known: set[str], refused: dict[str, str]) -> None:
        """Refuse elements the planner cannot honour: an element it does not read could change the doses."""
        for key in given(model):
            if key in refused:
                raise self.unsupported(at(where, key), refused[key])
            if key not in known:
                raise self.unsupported(at(where, key), "the planner does not read this element")
