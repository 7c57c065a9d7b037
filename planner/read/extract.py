"""Stage 2a: ``Monograph`` → ``RuleSet``: dosing rules per indication, warnings, missed-dose guidance.

Each labelled Adults/Children dosing bullet becomes one rule, read by ``reader`` and never
guessed: a sentence it cannot read completely, or reads two ways, becomes a ``needs-review``
rule with the reasons, and no regimen. Every value keeps the span of the sentence it came
from. The monograph's cautions become warnings; its missed-dose answer becomes structured
guidance (``missed_words``), per regimen form where the answer differs by form.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from ..errors import MonographError
from ..model import (
    Caution,
    CautionTopic,
    DosingEntry,
    DosingRule,
    Monograph,
    OptionKind,
    RuleSet,
    SourceRef,
    Status,
    slug,
)
from .missed_words import missed_dose, missed_dose_for
from .reader import read

_CAUTION = re.compile(
    r"\b(?:do not|don't|never|must not|should not|not recommended|avoid|not to exceed|no more than)\b", re.I
)
_SPECIAL = re.compile(r"\bcaution|\breduc|\bavoid|\bnot recommended|\b(?:may|might) be necessary|contraindicated", re.I)


def _rule(entry: DosingEntry, path: str, taken_ids: set[str]) -> DosingRule:
    reading = read(entry.sentence)
    regimen, spans, reasons = reading.regimen, reading.spans, reading.reasons
    several = len(reading.options) > 1 or any(o.kind is not OptionKind.CHOICE for o in reading.options)
    rule_id = slug(entry.label) or "dosing"
    if entry.population != "adults":
        rule_id = f"{rule_id}-{entry.population}"
    while rule_id in taken_ids:
        rule_id += "-2"
    taken_ids.add(rule_id)
    source = SourceRef(
        file=path,
        section=entry.section,
        population=entry.population,
        sentence=entry.sentence,
        line=entry.line,
        spans=spans,
    )
    status = Status.NEEDS_REVIEW if reasons else Status.OK
    return DosingRule(
        id=rule_id,
        name=entry.label,
        population=entry.population,
        status=status,
        regimen=regimen,
        source=source,
        reasons=reasons,
        options=reading.options if several else reading.timed,  # timed: planned once the event's dates are given
        notes=reading.notes,
    )


def _is_dosing(entry: DosingEntry) -> bool:
    """A labelled adult or child bullet is an indication; unlabelled prose and special cases are notes."""
    return bool(entry.label) and entry.population in ("adults", "children")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def warnings(monograph: Monograph) -> tuple[Caution, ...]:
    """The cautions a patient must see: age limits, pregnancy, contraindications, dosing 'do not's."""
    found: list[Caution] = []
    for entry in monograph.dosing:
        if entry.population == "children" and not entry.label:
            found.append(Caution(CautionTopic.AGE, entry.sentence))
        elif entry.population == "special-cases" and _is_special_caution(entry.sentence):
            found.append(Caution(CautionTopic.CAUTION, f"{entry.label}: {entry.sentence}", "special-cases"))
        elif _is_dosing(entry):
            found.extend(Caution(CautionTopic.DOSING, s, entry.population) for s in _cautions(entry.sentence))
    for item in monograph.pregnancy:
        topic = CautionTopic.BREASTFEEDING if item.lower().startswith("breast") else CautionTopic.PREGNANCY
        found.append(Caution(topic, item))
    found.extend(Caution(CautionTopic.CONTRAINDICATION, item) for item in monograph.contraindications)
    found.extend(Caution(CautionTopic.MISSED_DOSE, s) for s in _cautions(monograph.missed_dose or ""))
    return tuple(dict.fromkeys(found))


@functools.lru_cache(maxsize=4096)  # pure; as read_regimen, labels repeat their sentences
def _is_special_caution(sentence: str) -> bool:
    return bool(_SPECIAL.search(sentence))


@functools.lru_cache(maxsize=4096)  # pure; as read_regimen, labels repeat their sentences
def _cautions(text: str) -> tuple[str, ...]:
    """The sentences of a text that say "do not", "avoid", "no more than"…"""
    if not _CAUTION.search(text):  # most say none: split only those that do
        return ()
    return tuple(s for s in _sentences(text) if _CAUTION.search(s))


def extract_rules(monograph: Monograph, source: str | None = None) -> RuleSet:
    """Every indication of the monograph as a rule (ok or needs-review), plus warnings."""
    path = source if source is not None else monograph.path
    taken: set[str] = set()
    rules = tuple(_rule(e, path, taken) for e in monograph.dosing if _is_dosing(e))
    rules = tuple(
        replace(r, missed_dose=missed_dose(own))
        if (own := missed_dose_for(r.regimen, monograph.missed_dose)) != monograph.missed_dose
        else r
        for r in rules
    )
    if not rules:
        raise MonographError(
            "no dosing bullets found under a 'Dosage' heading",
            path=monograph.path or path,
            hint="expected '#### **Adults:**' then '*   **Indication:** sentence'",
        )
    return RuleSet(
        drug=monograph.drug,
        source=path,
        source_sha256=monograph.sha256,
        rules=rules,
        brand_names=monograph.brand_names,
        missed_dose=missed_dose(monograph.missed_dose),
        warnings=warnings(monograph),
    )
