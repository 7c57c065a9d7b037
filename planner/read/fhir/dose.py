"""Stage 0b, meaning: a Dosage's dose (``doseAndRate``, ``maxDosePerPeriod``, ``amount-text``,
``max-doses-per-day``) and the planner's course extensions (``dose-spacing``, ``cycle``,
``course-duration``) -> the values of a ``Phase``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fhir.resources.R4B.dosage import Dosage
from fhir.resources.R4B.extension import Extension

from ...limits import DAYS_IN, MAX_CYCLE_DAYS, MAX_CYCLES, MAX_DOSES_PER_DAY, MAX_DURATION_DAYS
from ...model import Cycle, Duration, DurationKind, Spacing, Unit
from .codes import amount_quantity, amount_text
from .timing import unit_code
from .when import Extensions
from .where import Fail, at, show


def _parts(fail: Fail, ext: Extension, where: str, spec: dict[str, str]) -> dict[str, Any]:
    """Sub-extensions of a complex planner extension: key -> value of the declared value[x]."""
    out: dict[str, Any] = {}
    for i, part in enumerate(ext.extension or []):
        path = at(at(where, "extension"), i)
        if part.url not in spec or part.url in out:
            raise fail(at(path, "url"), f"unexpected {show(part.url)} (expected one of {', '.join(spec)})")
        value = getattr(part, spec[part.url])
        if value is None:
            raise fail(path, f"expected {spec[part.url]}")
        out[part.url] = value
    return out


def course_duration(fail: Fail, ext: Extension, where: str) -> Duration | None:
    """The course-duration extension: the label's own duration (kind none: no duration)."""
    spec = {"kind": "valueCode", "unit": "valueCode", "min": "valuePositiveInt", "max": "valuePositiveInt"}
    parts = _parts(fail, ext, where, spec)
    kind = parts.get("kind")
    if kind == "none":
        return None
    try:
        parsed = DurationKind(kind)
    except ValueError:
        raise fail(at(where, "kind"), f"expected fixed, up-to, range, ongoing or none, got {show(kind)}") from None
    if parsed is DurationKind.ONGOING:
        return Duration(DurationKind.ONGOING)
    unit = {"d": Unit.DAY, "wk": Unit.WEEK, "mo": Unit.MONTH}.get(parts.get("unit", ""))
    if unit is None:
        raise fail(at(where, "unit"), "expected d, wk or mo")
    limit = MAX_DURATION_DAYS // DAYS_IN[unit]
    low = fail.whole(parts["min"], at(where, "min"), 1, limit) if "min" in parts else None
    high = fail.whole(parts["max"], at(where, "max"), 1, limit) if "max" in parts else None
    needs = {DurationKind.FIXED: "min == max", DurationKind.UP_TO: "max only", DurationKind.RANGE: "min <= max"}
    ok = high is not None and (
        low is None
        if parsed is DurationKind.UP_TO
        else low is not None and low <= high and (parsed is not DurationKind.FIXED or low == high)
    )
    if not ok:
        raise fail(where, f"a {kind} duration needs {needs[parsed]}")
    return Duration(parsed, unit, low, high)


def cycle(fail: Fail, ext: Extension, where: str) -> Cycle:
    """The cycle modifier extension: days on, days off, how many cycles."""
    spec = {"on-days": "valuePositiveInt", "off-days": "valueUnsignedInt"}
    parts = _parts(fail, ext, where, spec | {"repeats": "valuePositiveInt", "up-to": "valueBoolean"})
    if "on-days" not in parts or "off-days" not in parts:
        raise fail(where, "a cycle needs on-days and off-days")
    return Cycle(
        fail.whole(parts["on-days"], at(where, "on-days"), 1, MAX_CYCLE_DAYS),
        fail.whole(parts["off-days"], at(where, "off-days"), 0, MAX_CYCLE_DAYS),
        fail.whole(parts["repeats"], at(where, "repeats"), 1, MAX_CYCLES) if "repeats" in parts else None,
        bool(parts.get("up-to", False)),
    )


def spacing(fail: Fail, ext: Extension, where: str) -> Spacing:
    """The dose-spacing extension: a Range of days between doses (high optional)."""
    where = at(where, "valueRange")
    if ext.valueRange is None:
        raise fail(where, "missing: a spacing needs a valueRange")
    values: list[int | None] = []
    for key in ("low", "high"):
        q = getattr(ext.valueRange, key)
        if q is not None:
            unit_code(fail, q, at(where, key), ("d",))
            values.append(fail.whole(q.value, at(at(where, key), "value"), 1, MAX_CYCLE_DAYS))
        else:
            values.append(None)
    low, high = values
    if low is None or high is not None and high < low:
        raise fail(where, "a spacing needs low days (and high >= low)")
    return Spacing(low, high)


def _amount_of(fail: Fail, dosage: Dosage, where: str) -> tuple[Decimal, str] | None:
    if dosage.doseAndRate is None:
        return None
    where = at(where, "doseAndRate")
    if len(dosage.doseAndRate) != 1:
        raise fail.unsupported(where, f"{len(dosage.doseAndRate)} entries", "give exactly one dose")
    where, entry = at(where, 0), dosage.doseAndRate[0]
    known = {"id", "extension", "type", "doseQuantity"}
    refused = {k: "an infusion rate" for k in ("rateRatio", "rateRange", "rateQuantity")}
    refused["doseRange"] = "a dose range: the prescriber chooses (give one doseQuantity)"
    fail.known(entry, where, known, refused)
    q = entry.doseQuantity
    if q is None:
        return None
    where = at(where, "doseQuantity")
    if q.comparator is not None:
        raise fail.unsupported(at(where, "comparator"), "a dose with a comparator (<, >)")
    value = fail.amount(q.value, at(where, "value"))
    unit = (q.unit if q.unit is not None else q.code or "").strip()
    if not unit or any(c in unit for c in "\r\n\t") or len(unit) > 30:
        raise fail(at(where, "unit"), f"expected a unit such as mg, got {show(unit)}")
    return value, unit


def _max_per_day(fail: Fail, dosage: Dosage, where: str, dose: tuple[Decimal, str] | None) -> int | None:
    """maxDosePerPeriod as a number of doses a day (N × the dose per 1 day), or None."""
    ratio = dosage.maxDosePerPeriod
    if ratio is None:
        return None
    where, hint = at(where, "maxDosePerPeriod"), "the planner reads N times the dose per 1 day"
    if dose is None:
        raise fail.unsupported(where, "a maximum with no doseQuantity", hint)
    if ratio.numerator is None or ratio.denominator is None:
        raise fail(where, "a maximum needs numerator and denominator")
    below, top = ratio.denominator, ratio.numerator
    if unit_code(fail, below, at(where, "denominator"), ("d",)) != "d" or below.value != 1:
        raise fail.unsupported(at(where, "denominator"), "a period other than 1 day", hint)
    unit = top.unit if top.unit is not None else top.code
    times = fail.amount(top.value, at(at(where, "numerator"), "value")) / dose[0]
    if unit != dose[1] or times != times.to_integral_value() or not 1 <= times <= MAX_DOSES_PER_DAY:
        said = f"{show(top.value)} {show(unit)} is not a whole number of doses of {amount_text(*dose)}"
        raise fail.unsupported(at(where, "numerator"), said, hint)
    return int(times)


def amount_open(fail: Fail, ext: Extensions, amount: str | None) -> bool:
    """The amount-open extension: the label's amount is a range or per weight; the prescriber sets the dose."""
    if "amount-open" not in ext:
        return False
    path, (item,) = ext["amount-open"]
    if item.valueBoolean is None:
        raise fail(path, "expected valueBoolean")
    if item.valueBoolean and amount is None:
        raise fail(path, "an open amount needs the label's amount (doseQuantity or amount-text)")
    return bool(item.valueBoolean)


def dose_amount(fail: Fail, dosage: Dosage, where: str, ext: Extensions) -> tuple[str | None, int | None]:
    """(amount as the planner writes it, doses-per-day cap) from doseAndRate, maxDosePerPeriod and extensions."""
    dose = _amount_of(fail, dosage, where)
    text = amount_text(*dose) if dose else None
    if "amount-text" in ext:
        path, (item,) = ext["amount-text"]
        written = (item.valueString or "").strip()
        unsafe = not written or any(c in written for c in "\r\n\t") or len(written) > 200
        if unsafe or dose is not None and amount_quantity(written) != dose:
            raise fail(at(path, "valueString"), f"{show(written)} does not match doseQuantity")
        text = written
    cap = _max_per_day(fail, dosage, where, dose)
    if "max-doses-per-day" in ext:
        path, (item,) = ext["max-doses-per-day"]
        said = fail.whole(item.valuePositiveInt, at(path, "valuePositiveInt"), 1, MAX_DOSES_PER_DAY)
        if cap is not None and said != cap:
            raise fail(path, f"{said} disagrees with maxDosePerPeriod ({cap} doses a day)")
        cap = said
    return text, cap
