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
from decimal import Decimal
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.dosage import Dosage
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.resource import Resource
from pydantic import BaseModel, ValidationError

from ...errors import RuleError
from ...limits import MAX_NESTING, MAX_PHASES
from .where import Fail, at, problem, show

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


def _depth(data: Any) -> int:
    """How deep objects and lists nest (without recursion: the validators recurse, so this bounds them)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return deepest


def _primitive(value: Any, raw: Any) -> str | None:
    """What FHIR JSON needs for this validated value, when ``raw`` is not it."""
    if isinstance(value, bool):
        return None if isinstance(raw, bool) else "expected true or false"
    number = isinstance(raw, int | float) and not isinstance(raw, bool)
    if isinstance(value, int):
        whole = number and (isinstance(raw, int) or raw.is_integer())
        return None if whole else "expected a whole number"
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
    wrong = _primitive(value, raw)
    if wrong:
        raise fail(where, f"{wrong}, got {show(raw)}")


def _resource_types(data: dict[str, Any], fail: Fail) -> None:
    """Resources a MedicationRequest contains or a Bundle holds must name an R4 resource type."""
    contained, entries = data.get("contained"), data.get("entry")
    found = [(at("contained", i), item) for i, item in enumerate(contained if isinstance(contained, list) else [])]
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict):
            found.append((at(at("entry", i), "resource"), entry.get("resource")))
    for where, item in found:
        kind = item.get("resourceType") if isinstance(item, dict) else None
        try:
            known = isinstance(kind, str) and issubclass(get_fhir_model_class(kind), Resource)
        except ValueError:
            known = False
        if isinstance(item, dict) and not known:
            raise fail(at(where, "resourceType"), f"expected an R4 resource type such as Medication, got {show(kind)}")


def read_data(data: Any, source: str = "") -> Request:
    """Plain JSON data -> the fhir.resources model of a MedicationRequest, a Bundle or a Dosage list."""
    fail = Fail(source)
    if _depth(data) > MAX_NESTING:
        raise fail("", f"objects and lists nested more than {MAX_NESTING} deep")
    if isinstance(data, list):
        if len(data) > MAX_PHASES:
            raise fail("", f"{len(data)} entries, more than the {MAX_PHASES} allowed")
        return [_model(Dosage, item, at("", i), fail) for i, item in enumerate(data)]
    if not isinstance(data, dict):
        raise fail("", f"expected an object, got {show(data)}")
    kind = data.get("resourceType")
    if not isinstance(kind, str) or kind not in _MODELS:
        raise fail("resourceType", f"expected MedicationRequest, a Bundle or a list of Dosage, got {show(kind)}")
    _resource_types(data, fail)
    return _model(_MODELS[kind], data, "", fail)  # type: ignore[no-any-return]


def _model(cls: Any, data: Any, where: str, fail: Fail) -> Any:
    if not isinstance(data, dict):
        raise fail(where, f"expected an object, got {show(data)}")
    try:
        model = cls.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path, message = problem(first)
        raise fail(at(where, path) if where and path else where or path, message) from None
    except RecursionError:
        raise fail(where, f"objects and lists nested more than {MAX_NESTING} deep") from None
    except (KeyError, TypeError, ValueError) as exc:  # fhir.resources on input it does not foresee
        raise fail(where, f"not valid FHIR R4 ({type(exc).__name__}: {str(exc)[:80]})") from None
    _json_types(model, data, where, fail)
    return model


def parse_json(text: str, source: str = "") -> Request:
    """JSON text -> the fhir.resources model (see ``read_data``)."""
    return read_data(_json(text, source), source)
