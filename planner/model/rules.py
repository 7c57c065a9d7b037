"""Stage 2's rule types: where a rule came from, the cautions that must reach the user, the
dosing rule of one indication and the set of rules read from one monograph (``rules/*.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum

from .missed import MissedDose
from .regimen import Option, Regimen


class Status(str, Enum):
    OK = "ok"
    NEEDS_REVIEW = "needs-review"


@dataclass(frozen=True)
class Span:
    """Where in ``SourceRef.sentence`` a value of the regimen was read (half-open)."""

    field: str
    start: int
    end: int


class SourceKind(StrEnum):
    """Where a rule's regimen was read: decides what a re-opened calendar re-reads."""

    MONOGRAPH = "monograph"  # a bundled or given monograph (``file`` is its path)
    FHIR = "fhir"  # a MedicationRequest's dosageInstruction
    PRESCRIBER = "prescriber"  # typed in by the prescriber or the patient (the app's form)


# Field metadata for the plain-data codec: the default is implied, so it is not written
# (rules/*.yaml stay as they were before the field existed).
UNWRITTEN_DEFAULT = {"unwritten_default": True}


@dataclass(frozen=True)
class SourceRef:
    file: str
    section: str
    population: str
    sentence: str
    line: int | None = None
    spans: tuple[Span, ...] = ()
    kind: SourceKind = field(default=SourceKind.MONOGRAPH, metadata=UNWRITTEN_DEFAULT)


@dataclass(frozen=True)
class DosingRule:
    """The dosing rule of one indication; ``regimen`` is None unless the status is ok."""

    id: str
    name: str
    population: str
    status: Status
    regimen: Regimen | None
    source: SourceRef
    reasons: tuple[str, ...] = ()
    missed_dose: MissedDose | None = None  # only where the monograph's answer differs by form
    options: tuple[Option, ...] = ()  # every regimen the label allows; ``regimen`` is the default one
    notes: tuple[str, ...] = ()  # what the reader kept from hedges ("the prescriber may change the dose")


class CautionTopic(StrEnum):
    """What a caution is about; its value is the word in rules/*.yaml."""

    AGE = "age"
    PREGNANCY = "pregnancy"
    BREASTFEEDING = "breastfeeding"
    CONTRAINDICATION = "contraindication"
    CAUTION = "caution"  # a special population's own note ("Patients with Renal Impairment: …")
    DOSING = "dosing"  # a hedge in a dosing sentence ("do not exceed …")
    MISSED_DOSE = "missed-dose"
    PRESCRIBER = "prescriber"  # the plan follows the prescriber's regimen, not the label's (never in a file)


@dataclass(frozen=True)
class Caution:
    """A caution that must reach the user; ``population`` None: everyone; ``indication`` None:
    every indication (a prescriber's regimen names the one it replaced)."""

    topic: CautionTopic
    text: str
    population: str | None = None
    indication: str | None = None


@dataclass(frozen=True)
class RuleSet:
    """Everything extracted from one monograph: what ``rules/<drug>.yaml`` holds."""

    drug: str
    source: str
    source_sha256: str
    rules: tuple[DosingRule, ...]
    brand_names: tuple[str, ...] = ()
    missed_dose: MissedDose | None = None
    warnings: tuple[Caution, ...] = ()

    def rule(self, rule_id: str) -> DosingRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)
