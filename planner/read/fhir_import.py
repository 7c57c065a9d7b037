"""Stage 0b: FHIR R4 prescription (JSON text) → ``RuleSet`` and ``Preferences``.

``parse_json`` (text → data, the syntax step) then ``from_fhir`` (a MedicationRequest, a
Bundle holding one, or a list of Dosage → ``RuleSet`` with one rule) and
``preferences_from_fhir`` (the prescription's clock times and weekdays). It reads back what
``fhir.to_fhir`` writes, extensions included. Anything the planner cannot represent exactly
is a ``RuleError`` naming its JSON path; nothing is guessed. Pure: no file I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import RuleError
from ..limits import MAX_DURATION_DAYS, MAX_TIMES, MIN_INTERVAL_HOURS
from ..model import (
    Cycle,
    DosingRule,
    Duration,
    DurationKind,
    Frequency,
    Interval,
    Phase,
    Preferences,
    Regimen,
    RuleSet,
    SourceRef,
    Spacing,
    Status,
    Unit,
)
from ..words.views import describe_phase
from ..write.fhir import (
    BASE,
    DAY_CODES,
    EXT,
    GTS,
    MODIFIERS,
    TIMING_CODES,
    UCUM,
    WHEN,
    amount_quantity,
    amount_text,
    cycle_days,
)
from .rules import ruleset_from_data, to_data

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
MAX_DOSAGES = 20
MAX_DOSES = 5000  # the scheduler's own limit on one plan
MIN_HOURS = MIN_INTERVAL_HOURS  # the shared sanity bounds apply to prescriptions too
DAYS_IN = {Unit.DAY: 1, Unit.WEEK: 7, Unit.MONTH: 31}


# --- import: syntax -----------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str, source: str = "") -> Any:
    """JSON text → plain data; duplicate keys, NaN/Infinity and absurd nesting are errors."""
    try:
        return json.loads(text.removeprefix("\ufeff"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise RuleError(
            f"not valid JSON ({exc.msg}, column {exc.colno})", path=source or None, line=exc.lineno
        ) from None
    except RecursionError:
        raise RuleError("not valid JSON (nested too deeply)", path=source or None) from None
    except ValueError as exc:
        why = "a number with too many digits" if "digits" in str(exc) else str(exc)
        raise RuleError(f"not valid JSON ({why})", path=source or None) from None


# --- import: meaning ----------------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    """One Dosage as the planner reads it."""

    phase: Phase
    text: str | None
    times: tuple[dt.time, ...] | None  # timeOfDay, or planned-time beside when
    first: dt.datetime | None  # boundsPeriod.start of an hourly phase, when it has a clock time
    weekdays: tuple[int, ...] | None
    period: tuple[dt.date, dt.date | None] | None  # boundsPeriod start, end (dates)
    start: dt.date | None = None  # boundsPeriod.start, whatever else the bounds mean


@dataclass(frozen=True)
class _Prescription:
    drug: str
    name: str
    dosages: tuple[_Read, ...]


class _Reader:
    """Typed access to untrusted JSON: every failure is a RuleError naming the JSON path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str, hint: str | None = None) -> RuleError:
        return RuleError(message, path=self.source or None, key=where or "(top level)", hint=hint)

    def unsupported(self, where: str, why: str = "", hint: str | None = None) -> RuleError:
        return self.fail(where, "not supported" + (f": {why}" if why else ""), hint)

    def as_obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, got {_show(value)}")
        return value

    def as_list(self, value: Any, where: str, limit: int = 1000) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, got {_show(value)}")
        if len(value) > limit:
            raise self.fail(where, f"{len(value)} entries, more than the {limit} allowed")
        return value

    def as_str(self, value: Any, where: str, limit: int = 10_000) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"expected a string, got {_show(value)}")
        if len(value) > limit:
            raise self.fail(where, f"text of {len(value):,} characters, more than the {limit:,} allowed")
        return value

    def as_int(self, value: Any, where: str, low: int = 1, high: int = 10_000) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(where, f"expected a whole number, got {_show(value)}")
        if not low <= value <= high:
            raise self.fail(where, f"{_show(value)} is outside {low}..{high}")
        return value

    def as_number(self, value: Any, where: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(where, f"expected a number, got {_show(value)}")
        if not 0 < value < 1_000_000:
            raise self.fail(where, f"{value} is not a positive amount")
        return Decimal(str(value))

    def as_bool(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, f"expected true or false, got {_show(value)}")
        return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


def _show(value: Any) -> str:
    scalar = isinstance(value, (str, int, float, bool, type(None)))
    text = json.dumps(value, ensure_ascii=False) if scalar else _kind(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _at(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


_DOSAGE_KEYS = {
    "id",
    "extension",
    "modifierExtension",
    "sequence",
    "text",
    "additionalInstruction",
    "patientInstruction",
    "timing",
    "asNeededBoolean",
    "site",
    "route",
    "method",
    "doseAndRate",
    "maxDosePerPeriod",
}
_DOSAGE_REFUSED = {
    "asNeededCodeableConcept": "as-needed use is not scheduled as fixed doses",
    "maxDosePerAdministration": "the planner does not check a maximum per administration",
    "maxDosePerLifetime": "the planner does not check a lifetime maximum",
}
_REPEAT_KEYS = {
    "id",
    "extension",
    "boundsDuration",
    "boundsRange",
    "boundsPeriod",
    "count",
    "countMax",
    "frequency",
    "period",
    "periodUnit",
    "dayOfWeek",
    "timeOfDay",
    "when",
}
_REPEAT_REFUSED = {
    "frequencyMax": "a range of doses per period: the prescriber chooses",
    "periodMax": "a range of periods: the prescriber chooses",
    "duration": "the length of each administration",
    "durationMax": "the length of each administration",
    "durationUnit": "the length of each administration",
    "offset": "an offset from a meal or event",
}
_EVENT_TIMING = {code: anchor for anchor, code in WHEN.items()}


def _unit(r: _Reader, quantity: dict[str, Any], where: str, allowed: tuple[str, ...] = ("d", "wk", "mo", "a")) -> str:
    """The UCUM time code of a Duration/Quantity ("d", "wk", "mo", "a")."""
    if "comparator" in quantity:
        raise r.unsupported(_at(where, "comparator"), "a comparator (<, >) in a duration")
    system = quantity.get("system")
    if system is not None and r.as_str(system, _at(where, "system")) != UCUM:
        raise r.fail(_at(where, "system"), f"expected {UCUM}, got {_show(system)}")
    if "code" in quantity:
        code = r.as_str(quantity["code"], _at(where, "code"), 20)
    else:
        words = {
            "day": "d",
            "days": "d",
            "week": "wk",
            "weeks": "wk",
            "month": "mo",
            "months": "mo",
            "year": "a",
            "years": "a",
            "hour": "h",
            "hours": "h",
        }
        code = words.get(r.as_str(quantity.get("unit", ""), _at(where, "unit"), 20).lower(), "")
        if not code:
            raise r.fail(_at(where, "code"), "missing: a duration needs a UCUM code such as d, wk or mo")
    if code not in allowed:
        raise r.unsupported(_at(where, "code"), f"unit {_show(code)}", f"use one of {', '.join(allowed)}")
    return code


def _length(r: _Reader, value: Any, where: str) -> tuple[int, Unit]:
    """A Duration quantity → (whole number, unit); years become months."""
    q = r.as_obj(value, where)
    code = _unit(r, q, where)
    if "value" not in q:
        raise r.fail(_at(where, "value"), "missing")
    n = r.as_int(q["value"], _at(where, "value"), 1, 10**6)
    if n > {"d": MAX_DURATION_DAYS, "wk": MAX_DURATION_DAYS // 7, "mo": 60, "a": 5}[code]:
        words = {"d": "days", "wk": "weeks", "mo": "months", "a": "years"}[code]
        raise r.unsupported(_at(where, "value"), f"{n} {words}: a course of more than five years")
    return (n * 12, Unit.MONTH) if code == "a" else (n, {"d": Unit.DAY, "wk": Unit.WEEK, "mo": Unit.MONTH}[code])


def _date(r: _Reader, value: Any, where: str, allow_time: bool) -> tuple[dt.date, dt.datetime | None]:
    text = r.as_str(value, where, 40)
    try:
        if _DATE.match(text):
            return dt.date.fromisoformat(text), None
        if allow_time and _DATETIME.match(text):
            at = dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(microsecond=0)
            return at.date(), at
    except ValueError:
        pass
    raise r.fail(
        where, f"expected a date YYYY-MM-DD{' or a dateTime with a zone' if allow_time else ''}, " f"got {_show(text)}"
    )


@dataclass(frozen=True)
class _Bounds:
    """What timing.repeat.bounds[x] says; ``end_time``: boundsPeriod.end has a clock time."""

    duration: Duration | None = None
    period: tuple[dt.date, dt.date | None] | None = None
    start_at: dt.datetime | None = None  # boundsPeriod.start with a clock time (and zone)
    end_time: bool = False


def _bounds(r: _Reader, repeat: dict[str, Any], where: str) -> _Bounds | None:
    """The bounds of timing.repeat, or None when it has none."""
    given = [k for k in ("boundsDuration", "boundsRange", "boundsPeriod") if k in repeat]
    if len(given) > 1:
        raise r.fail(_at(where, given[1]), "only one of boundsDuration, boundsRange, boundsPeriod may be given")
    if not given:
        return None
    key = given[0]
    at = _at(where, key)
    if key == "boundsDuration":
        n, unit = _length(r, repeat[key], at)
        return _Bounds(Duration(DurationKind.FIXED, unit, n, n))
    if key == "boundsRange":
        bounds = r.as_obj(repeat[key], at)
        if "high" not in bounds:
            raise r.unsupported(
                _at(at, "high"),
                "a course with no maximum length",
                "the prescriber decides when to stop; give boundsRange.high",
            )
        high, unit = _length(r, bounds["high"], _at(at, "high"))
        if "low" not in bounds:
            return _Bounds(Duration(DurationKind.UP_TO, unit, None, high))
        low, low_unit = _length(r, bounds["low"], _at(at, "low"))
        if low_unit is not unit:
            raise r.unsupported(_at(at, "low"), "low and high in different units")
        if low > high:
            raise r.fail(_at(at, "low"), f"{low} is more than high {high}")
        return _Bounds(Duration(DurationKind.RANGE, unit, low, high))
    period = r.as_obj(repeat[key], at)
    if "start" not in period:
        raise r.unsupported(_at(at, "start"), "missing: a period with no start")
    start, start_at = _date(r, period["start"], _at(at, "start"), allow_time=True)
    end, end_time = None, None
    if "end" in period:
        end, end_time = _date(r, period["end"], _at(at, "end"), allow_time=True)
        if end < start:
            raise r.fail(_at(at, "end"), "before the start")
    if end is None:
        return _Bounds(Duration(DurationKind.ONGOING), (start, None), start_at)
    days = (end - start).days + 1
    if days > MAX_DURATION_DAYS:
        raise r.fail(_at(at, "end"), "a course of more than five years")
    return _Bounds(Duration(DurationKind.FIXED, Unit.DAY, days, days), (start, end), start_at, end_time is not None)


def _extensions(r: _Reader, dosage: dict[str, Any], where: str) -> dict[str, tuple[str, list[Any]]]:
    """The planner's extensions of a Dosage by name: (path, values). Unknown modifiers are refused."""
    found: dict[str, tuple[str, list[Any]]] = {}
    for key in ("extension", "modifierExtension"):
        if key not in dosage:
            continue
        for i, item in enumerate(r.as_list(dosage[key], _at(where, key), 100)):
            at = _at(_at(where, key), i)
            ext = r.as_obj(item, at)
            url = r.as_str(ext.get("url"), _at(at, "url"), 500)
            if key == "modifierExtension" and url not in MODIFIERS:
                raise r.unsupported(
                    at,
                    f"modifier extension {url}",
                    "it changes the meaning of the dosage and the planner does not know it",
                )
            name = url.removeprefix(BASE) if url.startswith(BASE) and url in EXT.values() else None
            if name is None:
                continue  # an extension the planner does not know, and may ignore (not a modifier)
            if (url in MODIFIERS) != (key == "modifierExtension"):
                raise r.fail(at, f"{url} belongs in {'modifierExtension' if url in MODIFIERS else 'extension'}")
            if name in found and name != "planned-time":
                raise r.fail(at, f"{name} given twice")
            found.setdefault(name, (at, []))[1].append(ext)
    return found


def _parts(r: _Reader, ext: dict[str, Any], where: str, spec: dict[str, str]) -> dict[str, Any]:
    """Sub-extensions of a complex planner extension: key → value of the declared value[x]."""
    out: dict[str, Any] = {}
    for i, item in enumerate(r.as_list(ext.get("extension"), _at(where, "extension"), 10)):
        at = _at(_at(where, "extension"), i)
        part = r.as_obj(item, at)
        key = r.as_str(part.get("url"), _at(at, "url"), 40)
        if key not in spec or key in out:
            raise r.fail(_at(at, "url"), f"unexpected {_show(key)} (expected one of {', '.join(spec)})")
        kind = spec[key]
        if kind not in part:
            raise r.fail(at, f"expected {kind}")
        out[key] = part[kind]
    return out


def _course_duration(r: _Reader, ext: dict[str, Any], where: str) -> Duration | None:
    parts = _parts(
        r, ext, where, {"kind": "valueCode", "unit": "valueCode", "min": "valuePositiveInt", "max": "valuePositiveInt"}
    )
    kind = r.as_str(parts.get("kind"), _at(where, "kind"), 20)
    if kind == "none":
        return None
    try:
        parsed = DurationKind(kind)
    except ValueError:
        raise r.fail(_at(where, "kind"), f"expected fixed, up-to, range, ongoing or none, got {_show(kind)}") from None
    if parsed is DurationKind.ONGOING:
        return Duration(DurationKind.ONGOING)
    units = {"d": Unit.DAY, "wk": Unit.WEEK, "mo": Unit.MONTH}
    unit = units.get(r.as_str(parts.get("unit"), _at(where, "unit"), 5))
    if unit is None:
        raise r.fail(_at(where, "unit"), "expected d, wk or mo")
    limit = MAX_DURATION_DAYS // DAYS_IN[unit]
    low = r.as_int(parts["min"], _at(where, "min"), 1, limit) if "min" in parts else None
    high = r.as_int(parts["max"], _at(where, "max"), 1, limit) if "max" in parts else None
    needs = {DurationKind.FIXED: "min == max", DurationKind.UP_TO: "max only", DurationKind.RANGE: "min <= max"}
    ok = high is not None and (
        low is None
        if parsed is DurationKind.UP_TO
        else low is not None and low <= high and (parsed is not DurationKind.FIXED or low == high)
    )
    if not ok:
        raise r.fail(where, f"a {kind} duration needs {needs[parsed]}")
    return Duration(parsed, unit, low, high)


def _cycle(r: _Reader, ext: dict[str, Any], where: str) -> Cycle:
    parts = _parts(
        r,
        ext,
        where,
        {
            "on-days": "valuePositiveInt",
            "off-days": "valueUnsignedInt",
            "repeats": "valuePositiveInt",
            "up-to": "valueBoolean",
        },
    )
    if "on-days" not in parts or "off-days" not in parts:
        raise r.fail(where, "a cycle needs on-days and off-days")
    return Cycle(
        r.as_int(parts["on-days"], _at(where, "on-days"), 1, 366),
        r.as_int(parts["off-days"], _at(where, "off-days"), 0, 366),
        r.as_int(parts["repeats"], _at(where, "repeats"), 1, 100) if "repeats" in parts else None,
        r.as_bool(parts["up-to"], _at(where, "up-to")) if "up-to" in parts else False,
    )


def _spacing(r: _Reader, ext: dict[str, Any], where: str) -> Spacing:
    rng = r.as_obj(ext.get("valueRange"), _at(where, "valueRange"))
    values: list[int | None] = []
    for key in ("low", "high"):
        if key in rng:
            q = r.as_obj(rng[key], _at(_at(where, "valueRange"), key))
            _unit(r, q, _at(_at(where, "valueRange"), key), ("d",))
            values.append(r.as_int(q.get("value"), _at(_at(_at(where, "valueRange"), key), "value"), 1, 366))
        else:
            values.append(None)
    low, high = values
    if low is None or high is not None and high < low:
        raise r.fail(_at(where, "valueRange"), "a spacing needs low days (and high >= low)")
    return Spacing(low, high)


def _rhythm(r: _Reader, repeat: dict[str, Any], where: str) -> tuple[Frequency | None, Interval | None]:
    if "frequency" not in repeat and "period" not in repeat:
        return None, None
    for key in ("frequency", "period", "periodUnit"):
        if key not in repeat:
            raise r.fail(_at(where, key), "missing: frequency, period and periodUnit go together")
    times = r.as_int(repeat["frequency"], _at(where, "frequency"), 1, 100)
    every = repeat["period"]
    if isinstance(every, float) and not every.is_integer():
        raise r.unsupported(_at(where, "period"), f"a period of {every}", "use a whole number of a smaller unit")
    every = r.as_int(every, _at(where, "period"), 1, MAX_DURATION_DAYS * 24)
    code = r.as_str(repeat["periodUnit"], _at(where, "periodUnit"), 5)
    units = {"h": Unit.HOUR, "d": Unit.DAY, "wk": Unit.WEEK, "mo": Unit.MONTH, "a": Unit.MONTH}
    if code not in units:
        raise r.unsupported(_at(where, "periodUnit"), f"unit {_show(code)}", "use h, d, wk, mo or a")
    unit = units[code]
    every = every * 12 if code == "a" else every
    span_days = every * DAYS_IN.get(unit, 1) if unit is not Unit.HOUR else every / 24
    if span_days > MAX_DURATION_DAYS:
        raise r.fail(_at(where, "period"), "a period of more than five years")
    if times > 1 and (every > 1 or unit is Unit.HOUR or code == "a"):
        raise r.unsupported(
            _at(where, "frequency"),
            f"{times} times every {repeat['period']} {code}",
            "the planner reads N times per day, week or month, or once every N hours, days, " "weeks or months",
        )
    if times > 1 or every == 1 and unit is not Unit.HOUR:
        if times > MAX_TIMES[unit]:
            raise r.unsupported(
                _at(where, "frequency"),
                f"{times} times per {unit.value} is outside the range the "
                f"planner schedules (at most {MAX_TIMES[unit]})",
            )
        return Frequency(times, unit), None
    if unit is Unit.HOUR and every < MIN_HOURS:
        raise r.unsupported(
            _at(where, "period"),
            f"a dose every {every} hours is outside the range the planner " f"schedules (at least {MIN_HOURS} hours)",
        )
    return None, Interval(every, unit)


def _times(r: _Reader, values: list[Any], where: str) -> tuple[dt.time, ...]:
    out = []
    for i, value in enumerate(values):
        text = r.as_str(value, _at(where, i), 20)
        if not _TIME.match(text):
            raise r.fail(_at(where, i), f"expected a time HH:MM:SS, got {_show(text)}")
        out.append(dt.time.fromisoformat(text))
    if len(set(out)) != len(out):
        raise r.fail(where, "the same time twice")
    return tuple(sorted(out))


def _check_code(r: _Reader, timing: dict[str, Any], repeat: dict[str, Any], where: str) -> None:
    """A GTS abbreviation beside timing.repeat must say the same; other codes are shorthand we ignore."""
    code = r.as_obj(timing["code"], _at(where, "code"))
    for i, item in enumerate(r.as_list(code.get("coding", []), _at(_at(where, "code"), "coding"), 20)):
        at = _at(_at(_at(where, "code"), "coding"), i)
        coding = r.as_obj(item, at)
        system = coding.get("system")
        value = coding.get("code")
        if system not in (None, GTS) or not isinstance(value, str) or value not in TIMING_CODES:
            continue
        said = (repeat.get("frequency"), repeat.get("period"), repeat.get("periodUnit"))
        if said != TIMING_CODES[value]:
            raise r.fail(
                _at(at, "code"),
                f"{value} disagrees with timing.repeat " f"(frequency {said[0]}, period {said[1]} {said[2]})",
            )


def _amount_of(r: _Reader, dosage: dict[str, Any], where: str) -> tuple[Decimal, str] | None:
    if "doseAndRate" not in dosage:
        return None
    items = r.as_list(dosage["doseAndRate"], _at(where, "doseAndRate"), 10)
    if len(items) != 1:
        raise r.unsupported(_at(where, "doseAndRate"), f"{len(items)} entries", "give exactly one dose")
    at = _at(_at(where, "doseAndRate"), 0)
    entry = r.as_obj(items[0], at)
    for key in entry:
        if key.startswith("rate"):
            raise r.unsupported(_at(at, key), "an infusion rate")
        if key == "doseRange":
            raise r.unsupported(_at(at, key), "a dose range: the prescriber chooses", "give one doseQuantity")
        if key not in ("id", "extension", "type", "doseQuantity"):
            raise r.unsupported(_at(at, key))
    if "doseQuantity" not in entry:
        return None
    q = r.as_obj(entry["doseQuantity"], _at(at, "doseQuantity"))
    qat = _at(at, "doseQuantity")
    if "comparator" in q:
        raise r.unsupported(_at(qat, "comparator"), "a dose with a comparator (<, >)")
    value = r.as_number(q.get("value"), _at(qat, "value"))
    unit = q.get("unit", q.get("code"))
    unit = r.as_str(unit, _at(qat, "unit"), 30).strip()
    if not unit or any(c in unit for c in "\r\n\t"):
        raise r.fail(_at(qat, "unit"), f"expected a unit such as mg, got {_show(unit)}")
    return value, unit


def _max_per_day(r: _Reader, dosage: dict[str, Any], where: str, amount: tuple[Decimal, str] | None) -> int | None:
    """maxDosePerPeriod as a number of doses a day (N × the dose per 1 day), or None."""
    if "maxDosePerPeriod" not in dosage:
        return None
    at = _at(where, "maxDosePerPeriod")
    ratio = r.as_obj(dosage["maxDosePerPeriod"], at)
    hint = "the planner reads N times the dose per 1 day"
    if amount is None:
        raise r.unsupported(at, "a maximum with no doseQuantity", hint)
    numerator = r.as_obj(ratio.get("numerator"), _at(at, "numerator"))
    denominator = r.as_obj(ratio.get("denominator"), _at(at, "denominator"))
    if (
        _unit(r, denominator, _at(at, "denominator"), ("d",)) != "d"
        or r.as_number(denominator.get("value"), _at(_at(at, "denominator"), "value")) != 1
    ):
        raise r.unsupported(_at(at, "denominator"), "a period other than 1 day", hint)
    top = r.as_number(numerator.get("value"), _at(_at(at, "numerator"), "value"))
    unit = numerator.get("unit", numerator.get("code"))
    times = top / amount[0]
    if unit != amount[1] or times != times.to_integral_value() or not 1 <= times <= 24:
        raise r.unsupported(
            _at(at, "numerator"),
            f"{_show(numerator.get('value'))} {_show(unit)} is not a whole "
            f"number of doses of {amount_text(*amount)}",
            hint,
        )
    return int(times)


def _check_keys(r: _Reader, obj: dict[str, Any], where: str, known: set[str], refused: dict[str, str]) -> None:
    """Refuse elements the planner cannot honour: an element it does not read could change the doses."""
    for key in obj:
        if key in refused:
            raise r.unsupported(_at(where, key), refused[key])
        if key not in known:
            raise r.unsupported(_at(where, key), "the planner does not read this element")


def _repeat(r: _Reader, dosage: dict[str, Any], where: str) -> tuple[dict[str, Any], str]:
    """``timing.repeat`` of a Dosage and its path; events, codes alone and modifiers are refused."""
    if "timing" not in dosage:
        raise r.fail(_at(where, "timing"), "missing: the planner needs timing.repeat")
    tat = _at(where, "timing")
    timing = r.as_obj(dosage["timing"], tat)
    _check_keys(
        r,
        timing,
        tat,
        {"id", "extension", "code", "repeat"},
        {"event": "a list of dates (give timing.repeat)", "modifierExtension": "a modifier extension on timing"},
    )
    if "repeat" not in timing:
        raise r.unsupported(_at(tat, "repeat"), "missing: a timing code alone", "give timing.repeat")
    rat = _at(tat, "repeat")
    repeat = r.as_obj(timing["repeat"], rat)
    _check_keys(r, repeat, rat, _REPEAT_KEYS, _REPEAT_REFUSED)
    if "code" in timing:
        _check_code(r, timing, repeat, tat)
    return repeat, rat


def _course(bounds: _Bounds | None, doses: int | None, cycle: Cycle | None) -> Duration | None:
    """The phase's duration from plain FHIR: no bounds is ongoing unless a count or the cycles end it."""
    if bounds is None:
        return Duration(DurationKind.ONGOING) if doses is None else None
    if bounds.period is not None and bounds.period[1] is None and doses is not None:
        return None  # an open period with a count: the count ends the course
    if (
        cycle is not None
        and cycle.repeats
        and bounds.duration == Duration(DurationKind.FIXED, Unit.DAY, cycle_days(cycle), cycle_days(cycle))
    ):
        return None  # exactly the cycles' span: the cycles bound the course
    return bounds.duration


def _dose_amount(
    r: _Reader, dosage: dict[str, Any], where: str, ext: dict[str, tuple[str, list[Any]]]
) -> tuple[str | None, int | None]:
    """(amount as the planner writes it, doses-per-day cap) from doseAndRate, maxDosePerPeriod and extensions."""
    amount = _amount_of(r, dosage, where)
    text = amount_text(*amount) if amount else None
    if "amount-text" in ext:
        at, (item,) = ext["amount-text"]
        written = r.as_str(item.get("valueString"), _at(at, "valueString"), 200).strip()
        unsafe = not written or any(c in written for c in "\r\n\t")
        if unsafe or amount is not None and amount_quantity(written) != amount:
            raise r.fail(_at(at, "valueString"), f"{_show(written)} does not match doseQuantity")
        text = written
    cap = _max_per_day(r, dosage, where, amount)
    if "max-doses-per-day" in ext:
        at, (item,) = ext["max-doses-per-day"]
        said = r.as_int(item.get("valuePositiveInt"), _at(at, "valuePositiveInt"), 1, 24)
        if cap is not None and said != cap:
            raise r.fail(at, f"{said} disagrees with maxDosePerPeriod ({cap} doses a day)")
        cap = said
    return text, cap


def _clock(
    r: _Reader, repeat: dict[str, Any], rat: str, ext: dict[str, tuple[str, list[Any]]], per_day: int, hourly: bool
) -> tuple[str | None, tuple[dt.time, ...] | None]:
    """(anchor, clock times): one ``when`` code or clock times, never both (FHIR tim-10)."""
    anchor = None
    if "when" in repeat:
        codes = r.as_list(repeat["when"], _at(rat, "when"), 10)
        if len(codes) != 1:
            raise r.unsupported(_at(rat, "when"), f"{len(codes)} codes", "give one code, or timeOfDay")
        code = r.as_str(codes[0], _at(_at(rat, "when"), 0), 20)
        if code not in _EVENT_TIMING:
            raise r.unsupported(
                _at(_at(rat, "when"), 0),
                f"event timing {_show(code)}",
                f"the planner reads {', '.join(sorted(_EVENT_TIMING))}",
            )
        if "timeOfDay" in repeat:
            raise r.fail(_at(rat, "timeOfDay"), "both when and timeOfDay (FHIR allows one of them)")
        anchor = _EVENT_TIMING[code]
    if "time-of-day" in ext:
        at, (item,) = ext["time-of-day"]
        if anchor is not None:
            raise r.fail(at, "both when and a time-of-day extension")
        anchor = r.as_str(item.get("valueString"), _at(at, "valueString"), 40)
        if not re.match(r"^[a-z][a-z-]*$", anchor):
            raise r.fail(_at(at, "valueString"), f"expected a word such as noon, got {_show(anchor)}")
    times = None
    if "timeOfDay" in repeat:
        times = _times(r, r.as_list(repeat["timeOfDay"], _at(rat, "timeOfDay"), 24), _at(rat, "timeOfDay"))
    if "planned-time" in ext:
        at, items = ext["planned-time"]
        if anchor is None or times is not None:
            raise r.fail(at, "planned-time goes with when, not with timeOfDay")
        times = _times(r, [item.get("valueTime") for item in items], at)
    if times is not None and hourly:
        raise r.unsupported(
            _at(rat, "timeOfDay"), "clock times with an hourly period", "give the first dose as boundsPeriod.start"
        )
    if times is not None and len(times) != per_day:
        raise r.fail(_at(rat, "timeOfDay"), f"{len(times)} time(s) for {per_day} dose(s) a day")
    return anchor, times


def _days_of_week(r: _Reader, repeat: dict[str, Any], rat: str, frequency: Frequency | None) -> tuple[int, ...] | None:
    if "dayOfWeek" not in repeat:
        return None
    dat = _at(rat, "dayOfWeek")
    codes = [r.as_str(d, _at(dat, i), 5) for i, d in enumerate(r.as_list(repeat["dayOfWeek"], dat, 7))]
    bad = [c for c in codes if c not in DAY_CODES]
    if bad:
        raise r.fail(dat, f"not a day code: {_show(bad[0])} (use mon, tue, wed, thu, fri, sat, sun)")
    weekdays = tuple(sorted({DAY_CODES.index(c) for c in codes}))
    if frequency is None or frequency.per is not Unit.WEEK:
        raise r.unsupported(
            dat,
            "days of the week with a daily, monthly or interval rhythm",
            "the planner reads dayOfWeek only with N times per week",
        )
    if len(weekdays) != frequency.times:
        raise r.fail(dat, f"{len(weekdays)} day(s) for {frequency.times} dose(s) a week")
    return weekdays


def _read_dosage(r: _Reader, value: Any, where: str) -> tuple[int | None, _Read]:
    dosage = r.as_obj(value, where)
    _check_keys(r, dosage, where, _DOSAGE_KEYS, _DOSAGE_REFUSED)
    if dosage.get("asNeededBoolean", False) is not False:
        r.as_bool(dosage["asNeededBoolean"], _at(where, "asNeededBoolean"))
        raise r.unsupported(_at(where, "asNeededBoolean"), "as-needed use is not scheduled as fixed doses")
    sequence = r.as_int(dosage["sequence"], _at(where, "sequence"), -1000, 1000) if "sequence" in dosage else None
    texts = [r.as_str(dosage[k], _at(where, k)) for k in ("text", "patientInstruction") if k in dosage]
    ext = _extensions(r, dosage, where)
    repeat, rat = _repeat(r, dosage, where)
    frequency, interval = _rhythm(r, repeat, rat)
    bounds = _bounds(r, repeat, rat)
    doses = r.as_int(repeat["count"], _at(rat, "count"), 1, MAX_DOSES) if "count" in repeat else None
    if "countMax" in repeat and r.as_int(repeat["countMax"], _at(rat, "countMax"), 1, MAX_DOSES) != doses:
        raise r.unsupported(_at(rat, "countMax"), "a range of doses: the prescriber chooses")
    if frequency is None and interval is None and doses != 1:
        raise r.fail(rat, "needs frequency, period and periodUnit (or count 1 for a single dose)")
    spacing = _spacing(r, ext["dose-spacing"][1][0], ext["dose-spacing"][0]) if "dose-spacing" in ext else None
    cycle = _cycle(r, ext["cycle"][1][0], ext["cycle"][0]) if "cycle" in ext else None
    period = bounds.period if bounds else None
    if "course-duration" in ext:  # the label's own duration; boundsPeriod then holds the plan's dates
        duration = _course_duration(r, ext["course-duration"][1][0], ext["course-duration"][0])
        period = None
    else:
        if bounds is not None and bounds.end_time:
            raise r.unsupported(
                _at(_at(rat, "boundsPeriod"), "end"),
                "an end with a clock time",
                "give the last day as a date (YYYY-MM-DD) or a count",
            )
        duration = _course(bounds, doses, cycle)
    start_day = None
    if "phase-start-day" in ext:
        at, (item,) = ext["phase-start-day"]
        start_day = r.as_int(item.get("valuePositiveInt"), _at(at, "valuePositiveInt"), 1, MAX_DURATION_DAYS)
    amount, max_per_day = _dose_amount(r, dosage, where, ext)
    hourly = interval is not None and interval.unit is Unit.HOUR
    per_day = frequency.times if frequency is not None and frequency.per is Unit.DAY else 1
    anchor, times = _clock(r, repeat, rat, ext, per_day, hourly)
    weekdays = _days_of_week(r, repeat, rat, frequency)
    phase = Phase(
        amount=amount,
        frequency=frequency,
        interval=interval,
        spacing=spacing,
        duration=duration,
        doses=doses,
        max_per_day=max_per_day,
        time_of_day=anchor,
        cycle=cycle,
        start_day=start_day,
    )
    if phase.duration is None and phase.doses is None and phase.cycle is None:
        raise r.fail(rat, "needs bounds, a count or a cycle")
    first = bounds.start_at if bounds is not None and hourly else None
    start = bounds.period[0] if bounds is not None and bounds.period else None
    return sequence, _Read(phase, texts[0] if texts else None, times, first, weekdays, period, start)


def _codeable_text(r: _Reader, value: Any, where: str) -> str | None:
    concept = r.as_obj(value, where)
    if "text" in concept:
        return r.as_str(concept["text"], _at(where, "text"), 200)
    for i, item in enumerate(r.as_list(concept.get("coding", []), _at(where, "coding"), 20)):
        coding = r.as_obj(item, _at(_at(where, "coding"), i))
        if "display" in coding:
            return r.as_str(coding["display"], _at(_at(_at(where, "coding"), i), "display"), 200)
    return None


def _drug(r: _Reader, request: dict[str, Any], where: str, resources: dict[str, tuple[str, dict[str, Any]]]) -> str:
    name = None
    if "medicationCodeableConcept" in request:
        name = _codeable_text(r, request["medicationCodeableConcept"], _at(where, "medicationCodeableConcept"))
    elif "medicationReference" in request:
        at = _at(where, "medicationReference")
        ref = r.as_obj(request["medicationReference"], at)
        target = resources.get(r.as_str(ref.get("reference", ""), _at(at, "reference"), 500))
        if target is not None and "code" in target[1]:
            name = _codeable_text(r, target[1]["code"], _at(target[0], "code"))
        if not name and "display" in ref:
            name = r.as_str(ref["display"], _at(at, "display"), 200)
    name = re.sub(r"[\x00-\x1f\x7f]+", " ", name or "").strip()
    if not name:
        raise r.fail(
            _at(where, "medicationCodeableConcept"),
            "no medication name",
            "give medicationCodeableConcept.text or a coding display",
        )
    return name


def _locate(r: _Reader, data: Any) -> tuple[dict[str, Any] | None, str, dict[str, tuple[str, dict[str, Any]]]]:
    """(the MedicationRequest or None for a list of Dosage, its path, resources by reference)."""
    if isinstance(data, list):
        return None, "", {}
    root = r.as_obj(data, "")
    kind = root.get("resourceType")
    if kind == "MedicationRequest":
        contained = {
            f"#{c['id']}": ("contained", c)
            for c in r.as_list(root.get("contained", []), "contained")
            if isinstance(c, dict) and isinstance(c.get("id"), str)
        }
        return root, "", contained
    if kind != "Bundle":
        raise r.fail("resourceType", f"expected MedicationRequest, a Bundle or a list of Dosage, got {_show(kind)}")
    found, resources = [], {}
    for i, item in enumerate(r.as_list(root.get("entry", []), "entry", 1000)):
        at = _at(_at("entry", i), "resource")
        entry = r.as_obj(item, _at("entry", i))
        if "resource" not in entry:
            continue
        resource = r.as_obj(entry["resource"], at)
        kind = resource.get("resourceType")
        if kind == "MedicationRequest":
            found.append((at, resource))
        if isinstance(entry.get("fullUrl"), str):
            resources[entry["fullUrl"]] = (at, resource)
        if isinstance(kind, str) and isinstance(resource.get("id"), str):
            resources[f"{kind}/{resource['id']}"] = (at, resource)
    if len(found) != 1:
        raise r.fail("entry", f"the Bundle holds {len(found)} MedicationRequests; the planner plans exactly one")
    return found[0][1], found[0][0], resources


def _read(data: Any, source: str) -> _Prescription:
    r = _Reader(source)
    request, where, resources = _locate(r, data)
    name, drug = "Prescription", "Medication"
    if request is None:
        dosages, dat = r.as_list(data, "", MAX_DOSAGES), ""
    else:
        if request.get("modifierExtension") or "implicitRules" in request:
            key = "modifierExtension" if request.get("modifierExtension") else "implicitRules"
            raise r.unsupported(_at(where, key), "it changes the meaning of the prescription")
        if "status" in request and r.as_str(request["status"], _at(where, "status"), 40) != "active":
            raise r.fail(
                _at(where, "status"),
                f"the prescription is {_show(request['status'])}, not active",
                "only an active prescription is planned",
            )
        if "doNotPerform" in request and r.as_bool(request["doNotPerform"], _at(where, "doNotPerform")):
            raise r.fail(_at(where, "doNotPerform"), "true: this is an instruction NOT to take the medication")
        drug = _drug(r, request, where, resources)
        for i, item in enumerate(r.as_list(request.get("reasonCode", []), _at(where, "reasonCode"), 20)[:1]):
            name = _codeable_text(r, item, _at(_at(where, "reasonCode"), i)) or name
        dat = _at(where, "dosageInstruction")
        if "dosageInstruction" not in request:
            raise r.fail(dat, "missing: no dosage to plan")
        dosages = r.as_list(request["dosageInstruction"], dat, MAX_DOSAGES)
    if not dosages:
        raise r.fail(dat, "no Dosage to plan")
    read = [(_read_dosage(r, d, _at(dat, i)), i) for i, d in enumerate(dosages)]
    if len(read) > 1:
        sequences = [s for (s, _), _ in read]
        missing = next((i for (s, _), i in read if s is None), None)
        if missing is not None:
            raise r.fail(
                _at(_at(dat, missing), "sequence"),
                "missing: several dosages need sequence 1, 2, ... " "to be planned one after the other",
            )
        if len(set(sequences)) != len(sequences):
            twice = next(i for (s, _), i in read if sequences[:i].count(s))
            raise r.unsupported(_at(_at(dat, twice), "sequence"), "two dosages at the same time (same sequence)")
    ordered = sorted(read, key=lambda item: item[0][0] or 0)
    for ((_, prev), _), ((_, this), i) in zip(ordered, ordered[1:], strict=False):
        start = this.period[0] if this.period else None
        end = prev.period[1] if prev.period else None
        if start is not None and (end is None or start != end + dt.timedelta(days=1)):
            raise r.unsupported(
                _at(_at(_at(_at(dat, i), "timing"), "repeat"), "boundsPeriod.start"),
                "a gap or overlap between dosages",
                "each dosage starts the day after the one before ends",
            )
    return _Prescription(
        drug, re.sub(r"[\x00-\x1f\x7f]+", " ", name).strip() or "Prescription", tuple(item for (_, item), _ in ordered)
    )


def from_fhir(data: Any, rule_id: str = "prescription", source: str = "") -> RuleSet:
    """A MedicationRequest, a Bundle holding one, or a list of Dosage → a RuleSet of one ok rule."""
    if not _RULE_ID.match(rule_id):
        raise RuleError(
            f"not an indication id: {rule_id!r}",
            key="indication",
            hint="use lowercase letters, digits and dashes, e.g. prescription",
        )
    prescription = _read(data, source)
    phases = tuple(d.phase for d in prescription.dosages)
    texts = list(dict.fromkeys(d.text.strip() for d in prescription.dosages if d.text and d.text.strip()))
    regimen = Regimen(phases)
    sentence = " ".join(texts) or "; then ".join(describe_phase(p) for p in phases)
    rule = DosingRule(
        id=rule_id,
        name=prescription.name,
        population="patient",
        status=Status.OK,
        regimen=regimen,
        source=SourceRef(file=source, section="FHIR dosageInstruction", population="patient", sentence=sentence),
    )
    ruleset = RuleSet(drug=prescription.drug, source=source, source_sha256="", rules=(rule,))
    return ruleset_from_data(to_data(ruleset), source)  # the rule schema's own checks, as a guard


def preferences_from_fhir(data: Any, base: Preferences, source: str = "") -> Preferences:
    """``base`` with the prescription's clock times and weekdays where ``base`` leaves them open.

    Times come from timeOfDay (or the planned-time extension beside ``when``, or the start of
    an hourly phase); weekdays from dayOfWeek. Dosages that disagree are an error, since a
    plan has one set of each."""
    prescription = _read(data, source)
    try:
        tz: dt.tzinfo | None = ZoneInfo(base.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = None  # the scheduler reports the unknown zone
    times = {d.times for d in prescription.dosages if d.times is not None} | {
        (d.first.astimezone(tz).time(),) for d in prescription.dosages if d.first is not None and tz is not None
    }
    days = {d.weekdays for d in prescription.dosages if d.weekdays is not None}
    for name, found, mine in (("timeOfDay", times, base.times), ("dayOfWeek", days, base.weekdays)):
        if len(found) > 1 and mine is None:
            raise RuleError(
                f"{name} differs between dosages: the planner uses one set for the whole course",
                path=source or None,
                key="dosageInstruction",
                hint="give --time" if name == "timeOfDay" else "give --weekdays",
            )
    return Preferences(
        timezone=base.timezone,
        times=base.times or (next(iter(times)) if times else None),
        weekdays=base.weekdays if base.weekdays is not None else next(iter(days), None),
        until=base.until,
    )


def prescribed_start(data: Any, source: str = "") -> dt.date | None:
    """The first day the prescription itself names (its first Dosage's boundsPeriod.start)."""
    prescription = _read(data, source)
    starts = [d.start for d in prescription.dosages if d.start is not None]
    return min(starts) if starts else None
