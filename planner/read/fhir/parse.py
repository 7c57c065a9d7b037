"""Stage 0b, syntax: JSON text -> a ``fhir.resources`` R4B model (R4's MedicationRequest,
Dosage and Timing are the same there).

Strict JSON first (duplicate keys, NaN, absurd nesting, a lone surrogate are errors), then
the structure ``fhir.resources`` checks (types, cardinality, choice types), then what it
lets through: FHIR JSON writes numbers as numbers, booleans as ``true``/``false``, the rest
as strings, and no ``null`` ("2" is not a frequency). Each problem is one ``RuleError``
naming its JSON path. Imported only on the ``--fhir`` path: no other command pays for it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.dosage import Dosage
from fhir.resources.R4B.medicationrequest import MedicationRequest
from pydantic import BaseModel, ValidationError

from ...errors import RuleError
from ...limits import MAX_PHASES
from .where import Fail, at, show

# What the planner reads: one MedicationRequest, a Bundle holding it, or a bare list of Dosage.
Request = MedicationRequest | Bundle | list[Dosage]
_MODELS: dict[str, type[MedicationRequest] | type[Bundle]] = {"MedicationRequest": MedicationRequest, "Bundle": Bundle}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json(text: str, source: str) -> Any:
    """JSON text -> plain data; duplicate keys, NaN/Infinity, absurd nesting and lone surrogates are errors."""
    path = source or None
    try:
        data = json.loads(text.removeprefix("\ufeff"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except json.JSONDecodeError as exc:
        raise RuleError(f"not valid JSON ({exc.msg}, column {exc.colno})", path=path, line=exc.lineno) from None
    except RecursionError:
        raise RuleError("not valid JSON (nested too deeply)", path=path) from None
    except UnicodeEncodeError as exc:
        half = f"\\u{ord(exc.object[exc.start]):04x}"
        raise RuleError(
            f"not valid JSON (a lone surrogate {half}: half of a UTF-16 pair, not a character)", path=path
        ) from None
    except ValueError as exc:
        why = "a number with too many digits" if "digits" in str(exc) else str(exc)
        raise RuleError(f"not valid JSON ({why})", path=path) from None
    return data


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


def _primitive(value: Any, raw: Any) -> str | None:
    """What FHIR JSON needs for this validated value, when ``raw`` is not it."""
    if isinstance(value, bool):
        return None if isinstance(raw, bool) else "expected true or false"
    number = isinstance(raw, int | float) and not isinstance(raw, bool)
    if isinstance(value, int):
        return None if number and float(raw).is_integer() else "expected a whole number"
    if isinstance(value, Decimal):
        return None if number else "expected a number"
    if isinstance(value, str | dt.date | dt.time):
        return None if isinstance(raw, str) else "expected a string"
    return None


def _json_types(model: BaseModel, data: dict[str, Any], where: str, fail: Fail) -> None:
    """Compare the JSON with the model built from it: fhir.resources coerces "2" to 2 and "yes" to true."""
    names = {field.alias or name: name for name, field in type(model).model_fields.items()}
    for key, raw in data.items():
        if key in names:
            _value(getattr(model, names[key]), raw, at(where, key), fail)


def _value(value: Any, raw: Any, where: str, fail: Fail) -> None:
    if raw is None:
        raise fail(where, "expected a value, got null (FHIR JSON leaves an absent element out)")
    if isinstance(value, BaseModel | list):
        shape, kind = (dict, "an object") if isinstance(value, BaseModel) else (list, "a list")
        if not isinstance(raw, shape):
            raise fail(where, f"expected {kind}, got {show(raw)}")
        if isinstance(value, BaseModel):
            _json_types(value, raw, where, fail)
        for i, (item, raw_item) in enumerate(zip(value if isinstance(value, list) else (), raw, strict=False)):
            _value(item, raw_item, at(where, i), fail)
        return
    problem = _primitive(value, raw)
    if problem:
        raise fail(where, f"{problem}, got {show(raw)}")


def read_data(data: Any, source: str = "") -> Request:
    """Plain JSON data -> the fhir.resources model of a MedicationRequest, a Bundle or a Dosage list."""
    fail = Fail(source)
    if isinstance(data, list):
        if len(data) > MAX_PHASES:
            raise fail("", f"{len(data)} entries, more than the {MAX_PHASES} allowed")
        return [_model(Dosage, item, at("", i), fail) for i, item in enumerate(data)]
    if not isinstance(data, dict):
        raise fail("", f"expected an object, got {show(data)}")
    kind = data.get("resourceType")
    if not isinstance(kind, str) or kind not in _MODELS:
        raise fail("resourceType", f"expected MedicationRequest, a Bundle or a list of Dosage, got {show(kind)}")
    return _model(_MODELS[kind], data, "", fail)  # type: ignore[no-any-return]


def _model(cls: Any, data: Any, where: str, fail: Fail) -> Any:
    if not isinstance(data, dict):
        raise fail(where, f"expected an object, got {show(data)}")
    try:
        model = cls.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise fail(at(where, _path(first["loc"])) if where else _path(first["loc"]), _message(first)) from None
    except (KeyError, TypeError, ValueError) as exc:  # fhir.resources on a resourceType it does not know
        raise fail(where, f"not valid FHIR R4 ({type(exc).__name__}: {str(exc)[:80]})") from None
    _json_types(model, data, where, fail)
    return model


def parse_json(text: str, source: str = "") -> Request:
    """JSON text -> the fhir.resources model (see ``read_data``)."""
    return read_data(_json(text, source), source)
