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

from pydantic import BaseModel

from ...errors import RuleError
from ...limits import MAX_PHASES, bound_problems
from ...model import DosingRule, Preferences, Regimen, RuleSet, SourceKind, SourceRef, Status
from .dosage import Read, read_dosage
from .locate import CONTROL, locate, medication_request
from .parse import Request, read_data
from .where import Fail, at

_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")


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


def _read(data: Any, source: str) -> Prescription:
    fail, typed = Fail(source), _typed(data, source)
    name, drug = "Prescription", "Medication"
    if isinstance(typed, list):
        dosages, dat = list(typed), ""
    else:
        drug, name, dosages, dat = medication_request(fail, *locate(fail, typed))
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
    return Prescription(drug, CONTROL.sub(" ", name).strip() or "Prescription", tuple(item for (_, item), _ in ordered))


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
        source=SourceRef(
            file=source,
            section="FHIR dosageInstruction",
            population="patient",
            sentence=" ".join(texts),
            kind=SourceKind.FHIR,
        ),
    )
    return RuleSet(drug=prescription.drug, source=source, source_sha256="", rules=(rule,))


def preferences_from_fhir(data: Any, base: Preferences, source: str = "") -> Preferences:
    """``base`` with the prescription's clock times and weekdays where ``base`` leaves them open.

    Times come from timeOfDay (or the planned-time extension beside ``when``, or the start of
    an hourly phase); weekdays from dayOfWeek. Dosages that disagree are an error, since a
    plan has one set of each."""
    prescription = _read(data, source)
    times = {d.times for d in prescription.dosages if d.times is not None} | {
        (d.first.astimezone(base.zone).time(),) for d in prescription.dosages if d.first is not None
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
        weekdays=base.weekdays if base.weekdays is not None else (next(iter(days)) if days else None),
    )


def prescribed_start(data: Any, source: str = "") -> dt.date | None:
    """The first day the prescription itself names (its first Dosage's boundsPeriod.start)."""
    starts = [d.start for d in _read(data, source).dosages if d.start is not None]
    return min(starts) if starts else None
