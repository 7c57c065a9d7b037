"""Stage 2a: ``Monograph`` → ``RuleSet``: dosing rules per indication, warnings, missed-dose guidance.

Each labelled Adults/Children dosing bullet becomes one rule, read by ``reader`` and never
guessed: a sentence it cannot read completely, or reads two ways, becomes a ``needs-review``
rule with the reasons, and no regimen. Every value keeps the span of the sentence it came
from. The monograph's cautions become warnings; its missed-dose answer becomes structured
guidance, per regimen form where the answer differs by form.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from ..errors import MonographError
from ..model import (
    DosingEntry,
    DosingRule,
    MissedDose,
    Monograph,
    OptionKind,
    Regimen,
    RuleSet,
    SourceRef,
    Status,
    Unit,
    Warning,
    slug,
)
from .reader import read
from .tokens import NUMBER_WORDS

# Numbers in the missed-dose answer ("within 12 hours", "two days away").
NUM = r"(?:\d+|" + "|".join(sorted((w for w in NUMBER_WORDS if w.isalpha()), key=len, reverse=True)) + ")"


def number(word: str) -> int:
    return int(word) if word.isdigit() else int(NUMBER_WORDS[word.lower()])


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
        options=reading.options if several else (),
        notes=reading.notes,
    )


def _is_dosing(entry: DosingEntry) -> bool:
    """A labelled adult or child bullet is an indication; unlabelled prose and special cases are notes."""
    return bool(entry.label) and entry.population in ("adults", "children")


@functools.lru_cache(maxsize=4096)  # pure; monographs of one drug repeat their answer
def missed_dose(text: str | None) -> MissedDose | None:
    """The missed-dose answer with the instructions it contains, each read only when stated."""
    if not text:
        return None

    def says(pattern: str) -> bool:
        return bool(re.search(pattern, text, re.I))

    hours = re.search(rf"\bwithin\s+(?P<n>{NUM})\s+hours?\s+(?:of|before)\s+(?:your|the)\s+next", text, re.I)
    days = re.search(
        rf"\b(?P<n>{NUM})\s+days\s+away\s+or\s+less\b|\bonly\s+(?:{NUM}\s+to\s+)?(?P<m>{NUM})\s+days\s+away\b",
        text,
        re.I,
    )
    close = number(hours["n"]) if hours else number(days["n"] or days["m"]) * 24 if days else None
    return MissedDose(
        text=text,
        take_when_remembered=says(r"as soon as (?:you )?(?:can|remember)"),
        unless_close_to_next=says(r"\bunless\b.*\b(?:close|almost|near|within)\b|\bif it is (?:almost|nearly) time"),
        close_hours=close,
        no_double=says(r"\bdo not (?:double|take two|use two)|\bextra\b.*\bmake up\b|\bdouble\b|\btwo doses\b"),
        no_extend=says(r"\bdo not extend\b"),
        next_day=says(
            r"\b(?:on )?the (?:next )?morning after you remember|\btake (?:it|the missed \w+) the next morning"
        ),
        one_per_day=says(
            r"\b(?:two|2) (?:tablets|doses) (?:on|in) the same day|\bnever (?:take )?two doses? (?:on|in) one day"
        ),
        return_to_usual_day=says(r"\breturn to\b.*\b(?:usual|regular|original|chosen)\b"),
        skip=says(
            r"\bskip (?:the missed (?:dose|tablet)|it)\b|\bdo not take the missed dose\b|\bdo not take it later\b"
        ),
        contact_prescriber=says(
            r"\b(?:contact|call|ask|tell) your (?:doctor|prescriber|healthcare provider|pharmacist)"
        ),
    )


_FORMS = {
    "weekly": re.compile(r"\bweekly\b|\bonce a week\b|\beach week\b|\bday of the week\b", re.I),
    "monthly": re.compile(r"\bmonthly\b|\beach month\b|\busual date\b", re.I),
    "daily": re.compile(r"\bdaily\b|\bonce a day\b", re.I),
}


def _form(regimen: Regimen | None) -> str | None:
    phase = regimen.phases[0] if regimen and regimen.phases else None
    unit = (
        phase.frequency.per if phase and phase.frequency else phase.interval.unit if phase and phase.interval else None
    )
    return {Unit.WEEK: "weekly", Unit.MONTH: "monthly", Unit.DAY: "daily"}.get(unit) if unit else None


def missed_dose_for(regimen: Regimen | None, text: str | None) -> str | None:
    """The part of a missed-dose answer that applies to this regimen's form ("For the weekly
    tablet, … For the monthly tablet, …"). Sentences without a form belong to the one before."""
    by_form = _sentences_by_form(text or "")
    if not any(form for _, form in by_form):
        return text
    mine = _form(regimen)
    if mine is None:
        return text
    return " ".join(s for s, form in by_form if form is None or form == mine) or None


@functools.lru_cache(maxsize=4096)  # pure; asked once per rule of a monograph, same answer each time
def _sentences_by_form(text: str) -> tuple[tuple[str, str | None], ...]:
    out: list[tuple[str, str | None]] = []
    for sentence in _sentences(text):
        found = [name for name, pattern in _FORMS.items() if pattern.search(sentence)]
        out.append((sentence, found[0] if len(found) == 1 else out[-1][1] if out else None))
    return tuple(out)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def warnings(monograph: Monograph) -> tuple[Warning, ...]:
    """The cautions a patient must see: age limits, pregnancy, contraindications, dosing 'do not's."""
    found: list[Warning] = []
    for entry in monograph.dosing:
        if entry.population == "children" and not entry.label:
            found.append(Warning("age", entry.sentence))
        elif entry.population == "special-cases" and _is_special_caution(entry.sentence):
            found.append(Warning("caution", f"{entry.label}: {entry.sentence}", "special-cases"))
        elif _is_dosing(entry):
            found.extend(Warning("dosing", s, entry.population) for s in _cautions(entry.sentence))
    for item in monograph.pregnancy:
        topic = "breastfeeding" if item.lower().startswith("breast") else "pregnancy"
        found.append(Warning(topic, item))
    found.extend(Warning("contraindication", item) for item in monograph.contraindications)
    found.extend(Warning("missed-dose", s) for s in _cautions(monograph.missed_dose or ""))
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
