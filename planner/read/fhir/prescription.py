"""Stage 0b, meaning: a MedicationRequest, a Bundle holding one, or a list of Dosage (as read
by ``parse``) -> a ``RuleSet`` of one ok rule, the prescription's ``Preferences`` and start.

Each public function takes the model ``parse.parse_json`` returns, or plain JSON data
(validated here the same way). Anything the planner cannot represent exactly is a
``RuleError`` naming its JSON path; nothing is guessed. Pure: no file I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel

from ...errors import RuleError
from ...limits import MAX_PHASES, bound_problems
from ...model import DosingRule, Preferences, Regimen, RuleSet, SourceRef, Status
from .dosage import Read, read_dosage
from .parse import Request, read_data
from .where import Fail, at, show

_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# Resources a reference may name: "#id" (contained), a Bundle's fullUrl, or "Type/id".
Resources = dict[str, tuple[str, Any]]


@dataclass(frozen=True)
class Prescription:
    """What the planner reads of one prescription: drug, indication name, Dosages in order."""

    drug: str
    name: str
    dosages: tuple[Read, ...]


def _typed(data: Any, source: str) -> Request:
    """The model ``parse`` returns, from plain JSON data if that is what was given."""
    models = data if isinstance(data, list) and data else [data]
    return data if all(isinstance(m, BaseModel) for m in models) else read_data(data, source)


def _concept_text(concept: Any) -> str | None:
    if concept.text is not None:
        return str(concept.text)
    return next((str(c.display) for c in concept.coding or [] if c.display is not None), None)


def _drug(fail: Fail, request: Any, where: str, resources: Resources) -> str:
    name = None
    if request.medicationCodeableConcept is not None:
        name = _concept_text(request.medicationCodeableConcept)
    elif request.medicationReference is not None:
        ref = request.medicationReference
        target = resources.get(ref.reference or "")
        if target is not None and getattr(target[1], "code", None) is not None:
            name = _concept_text(target[1].code)
        name = name or ref.display
    name = _CONTROL.sub(" ", name or "").strip()
    if not name:
        hint = "give medicationCodeableConcept.text or a coding display"
        raise fail(at(where, "medicationCodeableConcept"), "no medication name", hint)
    return name


def _locate(fail: Fail, data: Request) -> tuple[Any, str, Resources]:
    """(the MedicationRequest or None for a list of Dosage, its path, resources by reference)."""
    if isinstance(data, list):
        return None, "", {}
    if data.get_resource_type() == "MedicationRequest":
        return data, "", {f"#{c.id}": (at("contained", i), c) for i, c in enumerate(data.contained or []) if c.id}
    found, resources = [], {}
    for i, entry in enumerate(data.entry or []):
        where, resource = at(at("entry", i), "resource"), entry.resource
        if resource is None:
            continue
        kind = resource.get_resource_type()
        if kind == "MedicationRequest":
            found.append((where, resource))
        if entry.fullUrl is not None:
            resources[entry.fullUrl] = (where, resource)
        if resource.id is not None:
            resources[f"{kind}/{resource.id}"] = (where, resource)
    if len(found) != 1:
        raise fail("entry", f"the Bundle holds {len(found)} MedicationRequests; the planner plans exactly one")
    return found[0][1], found[0][0], resources


def _request(fail: Fail, request: Any, where: str, resources: Resources) -> tuple[str, str, list[Any], str]:
    """(drug, indication name, the Dosage list, its path) of one MedicationRequest."""
    if request.modifierExtension or request.implicitRules is not None:
        key = "modifierExtension" if request.modifierExtension else "implicitRules"
        raise fail.unsupported(at(where, key), "it changes the meaning of the prescription")
    if request.status is not None and request.status != "active":
        why = f"the prescription is {show(request.status)}, not active"
        raise fail(at(where, "status"), why, "only an active prescription is planned")
    if request.doNotPerform:
        raise fail(at(where, "doNotPerform"), "true: this is an instruction NOT to take the medication")
    drug = _drug(fail, request, where, resources)
    name = next(iter(_concept_text(c) for c in request.reasonCode or []), None) or "Prescription"
    path = at(where, "dosageInstruction")
    if request.dosageInstruction is None:
        raise fail(path, "missing: no dosage to plan")
    return drug, name, request.dosageInstruction, path


def _read(data: Any, source: str) -> Prescription:
    fail = Fail(source)
    request, where, resources = _locate(fail, _typed(data, source))
    name, drug = "Prescription", "Medication"
    if request is None:
        dosages, dat = _typed(data, source), ""
    else:
        drug, name, dosages, dat = _request(fail, request, where, resources)
    if not dosages:
        raise fail(dat, "no Dosage to plan")
    if len(dosages) > MAX_PHASES:
        raise fail(dat, f"{len(dosages)} entries, more than the {MAX_PHASES} allowed")
    read = [(read_dosage(fail, d, at(dat, i)), i) for i, d in enumerate(dosages)]
    if len(read) > 1:
        sequences = [s for (s, _), _ in read]
        missing = next((i for (s, _), i in read if s is None), None)
        if missing is not None:
            why = "missing: several dosages need sequence 1, 2, ... to be planned one after the other"
            raise fail(at(at(dat, missing), "sequence"), why)
        if len(set(sequences)) != len(sequences):
            twice = next(i for (s, _), i in read if sequences[:i].count(s))
            raise fail.unsupported(at(at(dat, twice), "sequence"), "two dosages at the same time (same sequence)")
    ordered = sorted(read, key=lambda item: item[0][0] or 0)
    for ((_, prev), _), ((_, this), i) in zip(ordered, ordered[1:], strict=False):
        start = this.period[0] if this.period else None
        end = prev.period[1] if prev.period else None
        if start is not None and (end is None or start != end + dt.timedelta(days=1)):
            raise fail.unsupported(
                at(at(at(at(dat, i), "timing"), "repeat"), "boundsPeriod.start"),
                "a gap or overlap between dosages",
                "each dosage starts the day after the one before ends",
            )
    for (_, item), i in read:  # the sane bounds every regimen meets, read or entered
        problems = bound_problems(item.phase)
        if problems:
            raise fail.unsupported(at(dat, i), problems[0])
    return Prescription(
        drug, _CONTROL.sub(" ", name).strip() or "Prescription", tuple(item for (_, item), _ in ordered)
    )


def from_fhir(data: Any, rule_id: str = "prescription", source: str = "") -> RuleSet:
    """A MedicationRequest, a Bundle holding one, or a list of Dosage -> a RuleSet of one ok rule.

    The rule's sentence is the prescription's own text (Dosage.text or patientInstruction),
    or empty: the reader does not put a prescription into words."""
    if not _RULE_ID.match(rule_id):
        hint = "use lowercase letters, digits and dashes, e.g. prescription"
        raise RuleError(f"not an indication id: {rule_id!r}", key="indication", hint=hint)
    prescription = _read(data, source)
    texts = dict.fromkeys(d.text.strip() for d in prescription.dosages if d.text and d.text.strip())
    rule = DosingRule(
        id=rule_id,
        name=prescription.name,
        population="patient",
        status=Status.OK,
        regimen=Regimen(tuple(d.phase for d in prescription.dosages)),
        source=SourceRef(file=source, section="FHIR dosageInstruction", population="patient", sentence=" ".join(texts)),
    )
    return RuleSet(drug=prescription.drug, source=source, source_sha256="", rules=(rule,))


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
    return replace(
        base,
        times=base.times or (next(iter(times)) if times else None),
        weekdays=base.weekdays if base.weekdays is not None else next(iter(days), None),
    )


def prescribed_start(data: Any, source: str = "") -> dt.date | None:
    """The first day the prescription itself names (its first Dosage's boundsPeriod.start)."""
    starts = [d.start for d in _read(data, source).dosages if d.start is not None]
    return min(starts) if starts else None
