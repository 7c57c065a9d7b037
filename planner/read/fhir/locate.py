"""Stage 0b, meaning: which MedicationRequest a file holds (itself, or the one in a Bundle),
the resources its references may name, its drug and indication names, and its Dosages."""

from __future__ import annotations

import re
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.dosage import Dosage
from fhir.resources.R4B.medicationrequest import MedicationRequest

from .where import Fail, at, show

CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# Resources a reference may name: "#id" (contained), a Bundle's fullUrl, or "Type/id".
Resources = dict[str, tuple[str, Any]]


def _concept_text(concept: CodeableConcept) -> str | None:
    if concept.text is not None:
        return str(concept.text)
    return next((str(c.display) for c in concept.coding or [] if c.display is not None), None)


def _drug(fail: Fail, request: MedicationRequest, where: str, resources: Resources) -> str:
    name = None
    if request.medicationCodeableConcept is not None:
        name = _concept_text(request.medicationCodeableConcept)
    elif request.medicationReference is not None:
        ref = request.medicationReference
        target = resources.get(ref.reference or "")
        if target is not None and getattr(target[1], "code", None) is not None:
            name = _concept_text(target[1].code)
        name = name or ref.display
    name = CONTROL.sub(" ", name or "").strip()
    if not name:
        hint = "give medicationCodeableConcept.text or a coding display"
        raise fail(at(where, "medicationCodeableConcept"), "no medication name", hint)
    return name


def locate(fail: Fail, data: MedicationRequest | Bundle) -> tuple[MedicationRequest, str, Resources]:
    """(the MedicationRequest, its path, the resources its references may name)."""
    if isinstance(data, MedicationRequest):
        return data, "", {f"#{c.id}": (at("contained", i), c) for i, c in enumerate(data.contained or []) if c.id}
    found: list[tuple[str, MedicationRequest]] = []
    resources: Resources = {}
    for i, entry in enumerate(data.entry or []):
        where, resource = at(at("entry", i), "resource"), entry.resource
        if resource is None:
            continue
        kind = resource.get_resource_type()
        if isinstance(resource, MedicationRequest):
            found.append((where, resource))
        if entry.fullUrl is not None:
            resources[entry.fullUrl] = (where, resource)
        if resource.id is not None:
            resources[f"{kind}/{resource.id}"] = (where, resource)
    if len(found) != 1:
        raise fail("entry", f"the Bundle holds {len(found)} MedicationRequests; the planner plans exactly one")
    return found[0][1], found[0][0], resources


def medication_request(
    fail: Fail, request: MedicationRequest, where: str, resources: Resources
) -> tuple[str, str, list[Dosage], str]:
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
