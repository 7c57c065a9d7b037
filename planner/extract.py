"""Stage 2a: ``Monograph`` → ``RuleSet``: dosing rules per indication, warnings, missed-dose guidance.

The extractor reads each dosing sentence with a small set of patterns and never guesses:
a sentence it cannot read completely, or reads two ways, becomes a ``needs-review`` rule
with the reasons, and no regimen. Every value keeps the span of the sentence it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .errors import MonographError
from .model import (
    DosingEntry, DosingRule, Duration, DurationKind, Frequency, Interval, MissedDose,
    Monograph, Phase, Regimen, RuleSet, SourceRef, Span, Spacing, Status, Unit, Warning,
)

EXTRACTOR_VERSION = 1

_WORDS = {"one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
          "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
          "fourteen": 14, "sixteen": 16, "twenty": 20, "thirty": 30}
NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|sixteen|twenty|thirty)"
_TIMES = {"once": 1, "twice": 2, "thrice": 3}
_UNITS = {"hour": Unit.HOUR, "day": Unit.DAY, "daily": Unit.DAY, "week": Unit.WEEK,
          "weekly": Unit.WEEK, "month": Unit.MONTH, "monthly": Unit.MONTH}

# Sane bounds: a value outside them is read but sent to review, never planned.
MAX_TIMES = {Unit.DAY: 6, Unit.WEEK: 7, Unit.MONTH: 1}
MAX_DURATION_DAYS = 5 * 366

_FREQUENCY = re.compile(
    rf"\b(?P<times>once|twice|thrice|(?P<n>{NUM})\s*(?:times|x))\s+"
    r"(?:(?:a|per|each|every)\s+(?P<unit>day|week|month)|(?P<adverb>daily|weekly|monthly))\b", re.I)
_BARE_FREQUENCY = re.compile(r"\b(?P<adverb>daily|weekly|monthly)\b|\bevery\s+(?P<unit>day|week|month)\b", re.I)
_INTERVAL = re.compile(rf"\bevery\s+(?:(?P<other>other)|(?P<n>{NUM}))\s+(?P<unit>hour|day|week|month)s?\b", re.I)
_SPACING = re.compile(
    rf"\b(?:at least\s+)?(?P<a>{NUM})(?:\s*(?:-|–|to)\s*(?P<b>{NUM}))?\s+(?P<unit>day|hour)s?\s+apart\b", re.I)
_DURATION = re.compile(
    rf"\bfor\s+(?P<q>up to\s+|at least\s+|a total of\s+|about\s+)?(?P<a>{NUM})"
    rf"(?:\s*(?:-|–|to)\s*(?P<b>{NUM}))?\s+(?:more\s+)?(?P<unit>day|week|month)s?\b", re.I)
_DOSES = re.compile(rf"\bfor\s+(?:a total of\s+)?(?P<n>{NUM})\s+doses\b", re.I)
_SINGLE = re.compile(r"\b(?:as\s+)?a\s+single(?:\s+\w+)?\s+dose\b|\bone-time\s+dose\b", re.I)
_AMOUNT = re.compile(
    r"(?P<a>\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(?P<b>\d+(?:\.\d+)?))?\s*"
    r"(?P<unit>mg/m²|mg/m2|mg/kg|mg|mcg|µg|g|IU|units?|mL)(?![\w/])"
    r"|\ba\s+thin\s+(?:layer|film)\b", re.I)
_ANCHORS = (
    ("bedtime", re.compile(r"\b(?:before|at)\s+bed(?:time)?\b", re.I)),
    ("before-breakfast", re.compile(r"\bbefore\s+(?:breakfast|the first (?:food|meal))", re.I)),
    ("after-meal", re.compile(r"\bafter\s+(?:a\s+)?meals?\b", re.I)),
    ("with-meal", re.compile(r"\bwith\s+(?:food|(?:a\s+)?meals?)\b", re.I)),
    ("morning", re.compile(r"\bin the morning\b", re.I)),
    ("evening", re.compile(r"\bin the evening\b", re.I)),
)
_UNTIL = re.compile(r"\buntil\s+(?:the\s+\w+\s+)?(?:clear|heal|resol|gone)\w*", re.I)
_ONGOING = re.compile(r"\b(?:long[- ]term|ongoing|indefinitely|continu(?:e|ous)\w*|maintenance)\b", re.I)
_HEDGES = (
    (re.compile(r"\bas directed\b|\bdirected by\b", re.I), "says 'as directed': the prescriber sets the regimen"),
    (re.compile(r"\bindividuali[sz]ed\b|\bshould determine\b|\bdepend(?:s|ing)? on\b", re.I),
     "the dose is individualised: the prescriber sets the regimen"),
    (re.compile(r"\bas needed\b|\bwhen needed\b|\bif needed\b|\bPRN\b", re.I),
     "an as-needed instruction: not scheduled as fixed doses"),
    (re.compile(r"\bmay be (?:increased|decreased|adjusted|repeated)\b|\bup to a maximum\b", re.I),
     "the label allows adjustments: the prescriber chooses"),
)
_PHASE_BREAK = re.compile(r"\s*[,;]?\s*\b(?:then|followed by)\b\s*", re.I)
_CAUTION = re.compile(r"\b(?:do not|don't|never|must not|should not|not recommended|avoid)\b", re.I)
_SPECIAL = re.compile(r"\bcaution|\breduc|\bavoid|\bnot recommended|\b(?:may|might) be necessary|contraindicated", re.I)


def number(word: str) -> int:
    return int(word) if word.isdigit() else _WORDS[word.lower()]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class _Reading:
    """What the patterns found in one phase clause; spans are offsets in the whole sentence."""

    phase: dict[str, object] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def put(self, key: str, value: object, match: re.Match[str], base: int) -> None:
        if key in self.phase and self.phase[key] != value:
            self.reasons.append(f"two different values for {key.replace('_', ' ')}")
        self.phase[key] = value
        self.spans.append(Span(key, base + match.start(), base + match.end()))


def _read_clause(clause: str, base: int) -> _Reading:
    reading = _Reading()
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        if any(m.start() < end and start < m.end() for start, end in taken):
            return False
        taken.append((m.start(), m.end()))
        return True

    for m in _SPACING.finditer(clause):
        if free(m):
            if m["unit"].lower() == "hour":
                reading.reasons.append("spacing in hours is not read yet")
            low = number(m["a"])
            high = None if "at least" in m[0].lower() else number(m["b"]) if m["b"] else low
            reading.put("spacing", Spacing(low, high), m, base)
    for m in _FREQUENCY.finditer(clause):
        if free(m):
            times = _TIMES.get(m["times"].lower()) or number(m["n"])
            unit = _UNITS[(m["unit"] or m["adverb"]).lower()]
            if unit is Unit.DAY and times == 1:  # "once daily" caps the day; alone it is the rhythm
                reading.put("max_per_day", 1, m, base)
            else:
                reading.put("frequency", Frequency(times, unit), m, base)
    for m in _INTERVAL.finditer(clause):
        if free(m):
            every = 2 if m["other"] else number(m["n"])
            reading.put("interval", Interval(every, _UNITS[m["unit"].lower()]), m, base)
    for m in _BARE_FREQUENCY.finditer(clause):
        if free(m):
            reading.put("frequency", Frequency(1, _UNITS[(m["adverb"] or m["unit"]).lower()]), m, base)
    for m in _DOSES.finditer(clause):
        if free(m):
            reading.put("doses", number(m["n"]), m, base)
    for m in _SINGLE.finditer(clause):
        if free(m):
            reading.put("doses", 1, m, base)
    for m in _DURATION.finditer(clause):
        if free(m):
            reading.put("duration", _duration(m), m, base)
    for m in _UNTIL.finditer(clause):
        if free(m):
            reading.reasons.append("'until' a clinical end point with no maximum: the prescriber decides when to stop")
    for m in _AMOUNT.finditer(clause):
        if free(m):
            if m["b"]:
                reading.reasons.append(f"the amount is a range ({m[0]}): the prescriber chooses")
            reading.put("amount", m[0].removeprefix("a ").removeprefix("A "), m, base)
    for anchor, pattern in _ANCHORS:
        for m in pattern.finditer(clause):
            if free(m):
                reading.put("time_of_day", anchor, m, base)
    for pattern, reason in _HEDGES:
        if pattern.search(clause):
            reading.reasons.append(reason)
    return reading


def _duration(m: re.Match[str]) -> Duration:
    unit = _UNITS[m["unit"].lower()]
    low, high = number(m["a"]), number(m["b"]) if m["b"] else None
    qualifier = (m["q"] or "").strip().lower()
    if high is not None:
        return Duration(DurationKind.RANGE, unit, low, high)
    if qualifier == "up to":
        return Duration(DurationKind.UP_TO, unit, None, low)
    if qualifier in ("at least", "about"):
        return Duration(DurationKind.RANGE, unit, low, None)
    return Duration(DurationKind.FIXED, unit, low, low)


def _phase(reading: _Reading, clause: str) -> Phase | None:
    """Turn one clause's findings into a Phase, adding reasons for anything unsafe."""
    p = reading.phase
    frequency = p.get("frequency")
    interval = p.get("interval")
    max_per_day = p.get("max_per_day")
    if frequency is None and interval is None and max_per_day is not None:
        frequency, max_per_day = Frequency(1, Unit.DAY), None
    doses = p.get("doses")
    duration = p.get("duration")
    if isinstance(frequency, Frequency) and isinstance(interval, Interval):
        # "3 times per week (every other day)": the interval is the spacing between doses
        if interval.unit is Unit.DAY and frequency.per is Unit.WEEK:
            p.setdefault("spacing", Spacing(interval.every))
            interval = None
            reading.spans[:] = [Span("spacing", s.start, s.end) if s.field == "interval" else s
                                for s in reading.spans]
        else:
            reading.reasons.append("both a frequency and an interval: read two ways")
    if frequency is None and interval is None and doses != 1:
        reading.reasons.append("no dosing frequency found")
    if isinstance(frequency, Frequency) and frequency.times > MAX_TIMES[frequency.per]:
        reading.reasons.append(f"{frequency.times} times per {frequency.per.value} is outside the usual range")
    if isinstance(interval, Interval) and (interval.every < 1 or (interval.unit is Unit.HOUR and interval.every < 4)):
        reading.reasons.append(f"a dose every {interval.every} {interval.unit.value}(s) is outside the usual range")
    if duration is None and doses is None and not _ONGOING.search(clause):
        reading.reasons.append("no duration or number of doses found")
    if isinstance(duration, Duration):
        days = {Unit.DAY: 1, Unit.WEEK: 7, Unit.MONTH: 31}.get(duration.unit, 1)
        if max(duration.min or 0, duration.max or 0) * days > MAX_DURATION_DAYS:
            reading.reasons.append("a duration of more than five years is outside the usual range")
        if duration.kind is DurationKind.RANGE and duration.max is None:
            reading.reasons.append("'at least' a duration with no maximum: the prescriber decides when to stop")
    if duration is None and doses is None:
        duration = Duration(DurationKind.ONGOING)
    if reading.reasons:
        return None
    return Phase(amount=p.get("amount"), frequency=frequency, interval=interval,  # type: ignore[arg-type]
                 spacing=p.get("spacing"), duration=duration, doses=doses,  # type: ignore[arg-type]
                 max_per_day=max_per_day, time_of_day=p.get("time_of_day"))  # type: ignore[arg-type]


def read_regimen(sentence: str) -> tuple[Regimen | None, tuple[Span, ...], tuple[str, ...]]:
    """Read one dosing sentence: (regimen or None, spans, reasons for review)."""
    clauses, start = [], 0
    for m in _PHASE_BREAK.finditer(sentence):
        clauses.append((sentence[start:m.start()], start))
        start = m.end()
    clauses.append((sentence[start:], start))
    phases, spans, reasons = [], [], []
    for clause, base in clauses:
        reading = _read_clause(clause, base)
        phase = _phase(reading, clause)
        spans.extend(reading.spans)
        reasons.extend(reading.reasons)
        if phase is not None:
            phases.append(phase)
    if len(clauses) > 1 and any(p.duration and p.duration.kind is DurationKind.ONGOING for p in phases[:-1]):
        reasons.append("a phase before the last one has no end")
    spans.sort(key=lambda s: (s.start, s.end))
    if reasons:
        return None, tuple(spans), tuple(dict.fromkeys(reasons))
    return Regimen(tuple(phases)), tuple(spans), ()


def _rule(entry: DosingEntry, path: str, taken_ids: set[str]) -> DosingRule:
    regimen, spans, reasons = read_regimen(entry.sentence)
    rule_id = slug(entry.label) or "dosing"
    if entry.population != "adults":
        rule_id = f"{rule_id}-{entry.population}"
    while rule_id in taken_ids:
        rule_id += "-2"
    taken_ids.add(rule_id)
    source = SourceRef(file=path, section=entry.section, population=entry.population,
                       sentence=entry.sentence, line=entry.line, spans=spans)
    status = Status.NEEDS_REVIEW if reasons else Status.OK
    return DosingRule(id=rule_id, name=entry.label, population=entry.population, status=status,
                      regimen=regimen, source=source, reasons=reasons)


def _is_dosing(entry: DosingEntry) -> bool:
    """A labelled adult or child bullet is an indication; unlabelled prose and special cases are notes."""
    return bool(entry.label) and entry.population in ("adults", "children")


def missed_dose(text: str | None) -> MissedDose | None:
    """The missed-dose answer with the instructions it contains, each read only when stated."""
    if not text:
        return None

    def says(pattern: str) -> bool:
        return bool(re.search(pattern, text, re.I))

    hours = re.search(rf"\bwithin\s+(?P<n>{NUM})\s+hours?\s+(?:of|before)\s+(?:your|the)\s+next", text, re.I)
    days = re.search(rf"\b(?P<n>{NUM})\s+days\s+away\s+or\s+less\b|\bonly\s+(?:{NUM}\s+to\s+)?(?P<m>{NUM})\s+days\s+away\b",
                     text, re.I)
    close = number(hours["n"]) if hours else number(days["n"] or days["m"]) * 24 if days else None
    return MissedDose(
        text=text,
        take_when_remembered=says(r"as soon as (?:you )?(?:can|remember)"),
        unless_close_to_next=says(r"\bunless\b.*\b(?:close|almost|near|within)\b|\bif it is (?:almost|nearly) time"),
        close_hours=close,
        no_double=says(r"\bdo not (?:double|take two|use two)|\bextra\b.*\bmake up\b|\bdouble\b|\btwo doses\b"),
        no_extend=says(r"\bdo not extend\b"),
        next_day=says(r"\b(?:on )?the (?:next )?morning after you remember|\btake (?:it|the missed \w+) the next morning"),
        one_per_day=says(r"\b(?:two|2) (?:tablets|doses) (?:on|in) the same day|\bnever (?:take )?two doses? (?:on|in) one day"),
        return_to_usual_day=says(r"\breturn to\b.*\b(?:usual|regular|original|chosen)\b"),
        skip=says(r"\bskip (?:the missed (?:dose|tablet)|it)\b|\bdo not take the missed dose\b|\bdo not take it later\b"),
        contact_prescriber=says(r"\b(?:contact|call|ask|tell) your (?:doctor|prescriber|healthcare provider|pharmacist)"),
    )


_FORMS = {"weekly": re.compile(r"\bweekly\b|\bonce a week\b|\beach week\b|\bday of the week\b", re.I),
          "monthly": re.compile(r"\bmonthly\b|\beach month\b|\busual date\b", re.I),
          "daily": re.compile(r"\bdaily\b|\bonce a day\b", re.I)}


def _form(regimen: Regimen | None) -> str | None:
    phase = regimen.phases[0] if regimen and regimen.phases else None
    unit = phase.frequency.per if phase and phase.frequency else phase.interval.unit if phase and phase.interval else None
    return {Unit.WEEK: "weekly", Unit.MONTH: "monthly", Unit.DAY: "daily"}.get(unit) if unit else None


def missed_dose_for(regimen: Regimen | None, text: str | None) -> str | None:
    """The part of a missed-dose answer that applies to this regimen's form ("For the weekly
    tablet, … For the monthly tablet, …"). Sentences without a form belong to the one before."""
    sentences = _sentences(text or "")
    forms: list[str | None] = []
    for sentence in sentences:
        found = [name for name, pattern in _FORMS.items() if pattern.search(sentence)]
        forms.append(found[0] if len(found) == 1 else None if not forms else forms[-1])
    if not any(forms):
        return text
    mine = _form(regimen)
    if mine is None:
        return text
    picked = [s for s, f in zip(sentences, forms) if f is None or f == mine]
    return " ".join(picked) or None


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def warnings(monograph: Monograph) -> tuple[Warning, ...]:
    """The cautions a patient must see: age limits, pregnancy, contraindications, dosing 'do not's."""
    found: list[Warning] = []
    for entry in monograph.dosing:
        if entry.population == "children" and not entry.label:
            found.append(Warning("age", entry.sentence))
        elif entry.population == "special-cases" and _SPECIAL.search(entry.sentence):
            found.append(Warning("caution", f"{entry.label}: {entry.sentence}", "special-cases"))
        elif _is_dosing(entry):
            found.extend(Warning("dosing", s, entry.population)
                         for s in _sentences(entry.sentence) if _CAUTION.search(s))
    for item in monograph.pregnancy:
        topic = "breastfeeding" if item.lower().startswith("breast") else "pregnancy"
        found.append(Warning(topic, item))
    found.extend(Warning("contraindication", item) for item in monograph.contraindications)
    found.extend(Warning("missed-dose", s) for s in _sentences(monograph.missed_dose or "")
                 if _CAUTION.search(s))
    return tuple(dict.fromkeys(found))


def extract_rules(monograph: Monograph, source: str | None = None) -> RuleSet:
    """Every indication of the monograph as a rule (ok or needs-review), plus warnings."""
    path = source if source is not None else monograph.path
    taken: set[str] = set()
    rules = tuple(_rule(e, path, taken) for e in monograph.dosing if _is_dosing(e))
    rules = tuple(replace(r, missed_dose=missed_dose(own)) if (own := missed_dose_for(r.regimen, monograph.missed_dose))
                  != monograph.missed_dose else r for r in rules)
    if not rules:
        raise MonographError("no dosing bullets found under a 'Dosage' heading", path=monograph.path or path,
                             hint="expected '#### **Adults:**' then '*   **Indication:** sentence'")
    return RuleSet(drug=monograph.drug, source=path, source_sha256=monograph.sha256, rules=rules,
                   brand_names=monograph.brand_names, missed_dose=missed_dose(monograph.missed_dose),
                   warnings=warnings(monograph))

