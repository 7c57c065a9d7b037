"""Dosing phrases: one dosing sentence → ``Regimen``, or the reasons it needs review.

A sentence is split into phase clauses at "then" / "followed by"; each clause is read with
the patterns below, every value keeping the character span it came from. A clause that is
a rest ("followed by 7 days off") turns the phase before it into a cycle. Sentence-wide
cues decide what no clause can: alternatives ("… or …"), hedges ("as directed"), timing
relative to an event ("before travel"), cycle counts, and whether a regimen with no end
is ongoing by design ("on the same day each week") or just incomplete. Anything read two
ways, or not read at all, is a reason; a sentence with reasons gets no regimen.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..limits import bound_problems
from ..model import Cycle, Duration, DurationKind, Frequency, Interval, Phase, Regimen, Spacing, Span, Unit

_WORDS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "sixteen": 16,
    "twenty": 20,
    "thirty": 30,
}
NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|sixteen|twenty|thirty)"
_TIMES = {"once": 1, "twice": 2, "thrice": 3}
_UNITS = {
    "hour": Unit.HOUR,
    "day": Unit.DAY,
    "daily": Unit.DAY,
    "week": Unit.WEEK,
    "weekly": Unit.WEEK,
    "month": Unit.MONTH,
    "monthly": Unit.MONTH,
}
_DAYS = {Unit.DAY: 1, Unit.WEEK: 7}


_I = re.I
_FREQUENCY = re.compile(
    rf"\b(?P<times>once|twice|thrice|(?P<n>{NUM})\s*(?:times|x))\s+"
    r"(?:(?:a|per|each|every)\s+(?P<unit>day|week|month)|(?P<adverb>daily|weekly|monthly))\b",
    _I,
)
_MORNING_EVENING = re.compile(r"\b(?:every|each)\s+morning\s+and\s+(?:every\s+|each\s+)?evening\b", _I)
_EACH_PART = re.compile(r"\b(?:every|each)\s+(?P<part>morning|evening|night)\b", _I)
_BARE_FREQUENCY = re.compile(
    r"\b(?P<adverb>daily|weekly|monthly)\b|\b(?:every|per|each)\s+(?P<unit>day|week|month)\b", _I
)
_INTERVAL = re.compile(
    rf"\bevery\s+(?:(?P<other>other|second)|(?P<n>{NUM}))\s+(?P<unit>hour|day|week|month)s?\b"
    r"|\bon\s+(?P<alternate>alternate)\s+(?P<unit2>day)s\b",
    _I,
)
_SPACING = re.compile(
    rf"\b(?:about\s+)?(?:at least\s+)?(?P<a>{NUM})(?:\s*(?:-|–|to)\s*(?P<b>{NUM}))?\s+(?P<unit>day|hour)s?\s+apart\b",
    _I,
)
_DURATION = re.compile(
    rf"\bfor\s+(?P<q>up to\s+|at least\s+|a total of\s+|about\s+)?(?P<a>{NUM})"
    rf"(?:\s*(?:-|–|to)\s*(?P<b>{NUM}))?\s+(?:more\s+)?(?:consecutive\s+)?(?P<unit>day|week|month)s?\b",
    _I,
)
_ON_CONSECUTIVE = re.compile(rf"\bon\s+(?P<a>{NUM})\s+consecutive\s+days\b", _I)
_UP_TO = re.compile(rf"\b(?:and\s+)?up to\s+(?P<a>{NUM})\s+(?P<unit>day|week|month)s?\b", _I)
_DOSES = re.compile(rf"\bfor\s+(?:a total of\s+)?(?P<n>{NUM})\s+doses\b", _I)
_SINGLE = re.compile(r"\b(?:as\s+)?(?:a|one)\s+(?:single|one-time)(?:\s+[\w/².]+){0,3}?\s+dose\b", _I)
_AMOUNT = re.compile(
    r"(?P<a>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(?P<b>\d+(?:\.\d+)?))?\s*"
    r"(?P<unit>(?:mg|mcg|µg)/(?:m²|m2|kg)|mg|mcg|µg|grams?|g|IU|units?|mL)(?![\w/])"
    r"|\ba\s+thin\s+(?:layer|film)\b",
    _I,
)
_DAY_ONE = re.compile(r"\bon\s+(?:the\s+)?(?:day\s+(?P<d>\d+)|first\s+day)(?:\s+of\s+treatment)?\b", _I)
_DAY_RANGE = re.compile(
    r"\b(?:on\s+)?days\s+(?P<a>\d+)\s*(?:-|–|to|through)\s*(?P<b>\d+)"
    rf"(?:\s+of\s+(?:each|every)\s+(?P<length>{NUM})[- ]day\s+(?:treatment\s+)?cycle)?",
    _I,
)
_PER_CYCLE = re.compile(
    rf"\bfor\s+(?P<n>{NUM})\s+consecutive\s+days\s+(?:per|of each|in each|every)\s+(?P<length>{NUM})[- ]day"
    r"\s+(?:treatment\s+)?cycle\b",
    _I,
)
_REST = re.compile(
    rf"^(?:a\s+)?(?P<n>{NUM})[- ](?P<unit>day|week)s?\s+(?:rest(?:\s+period)?|off|break|of\s+no\s+(?:therapy|treatment)"
    r"|(?:no[- ]treatment|treatment[- ]free|drug[- ]free|rest)\s+(?:period|interval))\b"
    rf"|^(?:stop|withhold(?:\s+use)?|pause)\s+for\s+(?P<n2>{NUM})\s+(?:consecutive\s+)?(?P<unit2>day|week)s?\b",
    _I,
)
_CYCLES = re.compile(
    rf"\bfor\s+(?:a\s+total\s+of\s+)?(?P<up>up\s+to\s+)?(?P<n>{NUM})\s+cycles\b"
    rf"|\brepeat\w*\b[^.;]*?\bup\s+to\s+(?P<m>{NUM})\s+times\b",
    _I,
)
_ANCHORS = (
    ("bedtime", re.compile(r"\b(?:before|at)\s+bed(?:time)?\b", _I)),
    ("before-breakfast", re.compile(r"\bbefore\s+(?:breakfast|the\s+first\s+(?:food|meal|drink))", _I)),
    ("after-meal", re.compile(r"\bafter\s+(?:a\s+|the\s+end\s+of\s+a\s+)?meals?\b", _I)),
    ("with-meal", re.compile(r"\bwith\s+(?:food|(?:a\s+)?meals?|breakfast|(?:your\s+)?evening\s+meal)\b", _I)),
    ("morning", re.compile(r"\b(?:in the|each|every|first thing in the)\s+morning\b", _I)),
    ("evening", re.compile(r"\b(?:in the|each|every)\s+evening\b", _I)),
)
_ONGOING = re.compile(
    r"\bsame\s+(?:day|date)\s+(?:each|every|of\s+the)\s+(?:week|month)\b|\blong[- ]term\b"
    r"|\bongoing\b|\bindefinitely\b|\buntil\s+(?:disease\s+)?progression\b",
    _I,
)
_UNTIL = re.compile(r"\buntil\s+(?:the\s+\w+\s+)?(?:clear|heal|resol|gone|no\s+visible)\w*", _I)
_STOP = re.compile(r"^\s*(?:stop|discontinue)(?:\s+(?:treatment|the\s+medicine|taking\s+it))?\s*[.;]?\s*$", _I)
_PHASE_BREAK = re.compile(r"\s*[,;]?\s*\b(?:then|followed\s+by)\b\s*", _I)
_SENTENCE_REASONS = (
    (re.compile(r"\bas directed\b|\bdirected by\b", _I), "says 'as directed': the prescriber sets the regimen"),
    (
        re.compile(r"\bindividuali[sz]ed\b|\bshould determine\b|\bdepend(?:s|ing)? on\b", _I),
        "the dose is individualised: the prescriber sets the regimen",
    ),
    (
        re.compile(r"\bas needed\b|\bwhen needed\b|\bif needed\b|\bPRN\b", _I),
        "an as-needed instruction: not scheduled as fixed doses",
    ),
    (
        re.compile(
            r"\bmay be (?:increased|decreased|adjusted|repeated)\b|\bup to a maximum\b|\badjusted according to\b"
            r"|\braised to\b|\bif (?:blood counts|tolerated|tolerability)\b",
            _I,
        ),
        "the label allows adjustments: the prescriber chooses",
    ),
    (
        re.compile(rf",?\s+\bor\b\s+(?:use\s+|as\s+|take\s+|give\s+)?(?:the\s+)?(?:\d|{NUM}[- ]day|a\s+single)", _I),
        "offers alternative regimens ('or'): the prescriber chooses",
    ),
    (
        re.compile(
            r"\b(?:before|after)\s+(?:travel|leaving|surgery|exposure|the procedure)\b"
            r"|\b(?:starting|beginning)\s+\d+\s+(?:to\s+\d+\s+)?(?:days?|weeks?)\s+(?:before|after)\b",
            _I,
        ),
        "timed from an event (travel, surgery, another phase): the calendar needs that event's date",
    ),
    (re.compile(r"\busual adult dose\b|\bsee (?:above|below)\b", _I), "refers to another dose: read it there"),
    (
        re.compile(
            r"\bor\s+(?:at|before|after|with|in the)\s+(?:bed|breakfast|(?:a\s+)?meal|food|morning|evening)", _I
        ),
        "offers alternative times of day ('or'): the prescriber chooses",
    ),
    (re.compile(r"\bor\s+until\b", _I), "ends either after a fixed time or at a clinical end point: read two ways"),
    (
        re.compile(
            r"\b(?:two|three|four|five|six|\d+)\s+(?:[\d.]+\s*(?:mg|mcg|g)\s+)?(?:tablets|capsules|puffs|drops|"
            r"sprays|sachets)\b",
            _I,
        ),
        "several tablets (or puffs, drops) per dose: the amount per dose is not read",
    ),
    (
        re.compile(r"\bdivided\b|\bin\s+(?:two|three|four|\d)\s+(?:equal\s+)?doses\b", _I),
        "a daily amount divided into doses: read two ways",
    ),
    (re.compile(r"\brepeat(?:ed)?\s+(?:in|after)\b", _I), "a repeat dose after an interval is not read"),
    (
        re.compile(r"\bdoubl\w*\b|\b(?:increas|reduc|decreas)\w*\s+(?:the\s+dose|to)\b", _I),
        "the dose changes during the course: the prescriber chooses",
    ),
    (re.compile(r"\bmore than\b|\bno longer than\b", _I), "a limit beside the duration: read two ways"),
    (re.compile(r"\bexcept\b", _I), "exceptions to the rhythm are not read"),
    (re.compile(r"\(\s*(?:a total of\s+)?\d+\s+doses\s*\)", _I), "a stated dose count to check against the regimen"),
    (re.compile(r"\bbefore\s+(?:a\s+|each\s+|your\s+)?meals?\b", _I), "a time of day the planner does not know"),
)


def number(word: str) -> int:
    return int(word) if word.isdigit() else _WORDS[word.lower()]


@dataclass
class _Clause:
    """What the patterns found in one phase clause; spans are offsets in the whole sentence."""

    text: str
    base: int
    values: dict[str, object] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    taken: list[tuple[int, int]] = field(default_factory=list)

    def matches(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Matches that overlap nothing read before: each word gives one value."""
        out = []
        for m in pattern.finditer(self.text):
            if not any(m.start() < end and start < m.end() for start, end in self.taken):
                self.taken.append((m.start(), m.end()))
                out.append(m)
        return out

    def put(self, key: str, value: object, m: re.Match[str]) -> None:
        if key in self.values and self.values[key] != value:
            self.reasons.append(f"two different values for {key.replace('_', ' ')}")
        self.values[key] = value
        self.spans.append(Span(key, self.base + m.start(), self.base + m.end()))


def _duration(m: re.Match[str]) -> Duration:
    unit = _UNITS[m["unit"].lower()]
    low, high = number(m["a"]), number(m["b"]) if m["b"] else None
    qualifier = (m["q"] or "").strip().lower()
    if high is not None:
        return Duration(DurationKind.RANGE, unit, low, high)
    if qualifier == "up to":
        return Duration(DurationKind.UP_TO, unit, None, low)
    if qualifier == "at least":
        return Duration(DurationKind.RANGE, unit, low, None)
    return Duration(DurationKind.FIXED, unit, low, low)


def _read(c: _Clause) -> None:
    """Fill a clause's values; the order matters: longer phrases claim their words first."""
    if m := _REST.match(c.text):
        c.put("rest", number(m["n"] or m["n2"]) * _DAYS[_UNITS[(m["unit"] or m["unit2"]).lower()]], m)
        c.taken.append((m.start(), m.end()))
    for m in c.matches(_PER_CYCLE):
        on, length = number(m["n"]), number(m["length"])
        c.put("cycle", Cycle(on, length - on), m)
    for m in c.matches(_DAY_RANGE):
        first, last = int(m["a"]), int(m["b"])
        if m["length"]:
            c.put("cycle", Cycle(last - first + 1, number(m["length"]) - (last - first + 1)), m)
            if first != 1:
                c.reasons.append("cycle days that do not start on day 1")
        else:
            c.put("start_day", first, m)
            c.put("duration", Duration(DurationKind.FIXED, Unit.DAY, last - first + 1, last - first + 1), m)
    for m in c.matches(_DAY_ONE):
        c.put("start_day", int(m["d"]) if m["d"] else 1, m)
        c.put("duration", Duration(DurationKind.FIXED, Unit.DAY, 1, 1), m)
    for m in c.matches(_SPACING):
        low = number(m["a"])
        high = None if "at least" in m[0].lower() else number(m["b"]) if m["b"] else low
        c.put("spacing_hours" if m["unit"].lower() == "hour" else "spacing", Spacing(low, high), m)
    for m in c.matches(_MORNING_EVENING):
        c.put("frequency", Frequency(2, Unit.DAY), m)
    for m in c.matches(_FREQUENCY):
        times = _TIMES.get(m["times"].lower()) or number(m["n"])
        unit = _UNITS[(m["unit"] or m["adverb"]).lower()]
        if unit is Unit.DAY and times == 1:  # "once daily" caps the day; alone it is the rhythm
            c.put("max_per_day", 1, m)
        else:
            c.put("frequency", Frequency(times, unit), m)
    for m in c.matches(_EACH_PART):
        c.put("max_per_day", 1, m)
        c.anchors.append({"night": "bedtime"}.get(m["part"].lower(), m["part"].lower()))
    for m in c.matches(_INTERVAL):
        every = 2 if m["other"] or m["alternate"] else number(m["n"])
        c.put("interval", Interval(every, _UNITS[(m["unit"] or m["unit2"]).lower()]), m)
    for m in c.matches(_DOSES):
        c.put("doses", number(m["n"]), m)
    for m in _SINGLE.finditer(c.text):  # "a single 1 gram dose": the amount inside stays readable
        c.put("single", True, m)
    for m in c.matches(_DURATION):
        c.put("duration", _duration(m), m)
    for m in c.matches(_ON_CONSECUTIVE):
        n = number(m["a"])
        c.put("duration", Duration(DurationKind.FIXED, Unit.DAY, n, n), m)
    for m in c.matches(_UP_TO):  # "for 42 days (and up to 49 days)"
        fixed = c.values.get("duration")
        unit = _UNITS[m["unit"].lower()]
        if isinstance(fixed, Duration) and fixed.kind is DurationKind.FIXED and fixed.unit is unit:
            c.values["duration"] = Duration(DurationKind.RANGE, unit, fixed.min, number(m["a"]))
            c.spans.append(Span("duration", c.base + m.start(), c.base + m.end()))
        else:
            c.put("duration", Duration(DurationKind.UP_TO, unit, None, number(m["a"])), m)
    for m in c.matches(_BARE_FREQUENCY):
        c.put("frequency", Frequency(1, _UNITS[(m["adverb"] or m["unit"]).lower()]), m)
    for m in c.matches(_AMOUNT):
        if m["b"]:
            c.reasons.append(f"the amount is a range ({m[0]}): the prescriber chooses")
        c.put("amount", m[0].removeprefix("a ").removeprefix("A "), m)
    for anchor, pattern in _ANCHORS:
        for m in c.matches(pattern):
            c.anchors.append(anchor)
            c.spans.append(Span("time_of_day", c.base + m.start(), c.base + m.end()))


_LOOSE_AMOUNT = re.compile(
    r"\d[\d,.]*\s*(?:mg|mcg|µg|g|grams?|IU|units?|mL|tablets?|capsules?|drops?|puffs?|sprays?)\b" r"(?:/\w+)?", _I
)


def _unread_amounts(c: _Clause) -> None:
    """A number with a dose unit that no pattern read (e.g. "200 mcg/kg" before it was known)
    would silently drop the dose: send it to review instead."""
    amounts = [s for s in c.spans if s.field == "amount"]
    for m in _LOOSE_AMOUNT.finditer(c.text):
        start, end = c.base + m.start(), c.base + m.end()
        if not any(s.start <= start and end <= s.end + 12 for s in amounts):
            c.reasons.append(f"an amount that is not understood ({m[0]!r})")


def _rhythm(c: _Clause) -> tuple[Frequency | None, Interval | None, Spacing | None, int | None]:
    """Reconcile frequency, interval, spacing and "once daily" into one rhythm."""
    v = c.values
    frequency, interval = v.get("frequency"), v.get("interval")
    spacing, max_per_day = v.get("spacing"), v.get("max_per_day")
    assert frequency is None or isinstance(frequency, Frequency)
    assert interval is None or isinstance(interval, Interval)
    if frequency is None and interval is None and max_per_day is not None:
        frequency, max_per_day = Frequency(1, Unit.DAY), None
    if max_per_day is not None and interval is not None and interval.unit is Unit.HOUR and interval.every < 24:
        c.reasons.append(f"once daily contradicts every {interval.every} hours")
    hours = v.get("spacing_hours")
    if hours is not None and not (
        isinstance(hours, Spacing)
        and frequency is not None
        and frequency.per is Unit.DAY
        and hours.min_days * frequency.times == 24
    ):
        c.reasons.append("a spacing in hours that does not match the frequency")
    # else "twice daily, about 12 hours apart": the default times of day keep them 12 hours apart
    if frequency is not None and interval is not None:
        if interval.unit is Unit.DAY and frequency.per is Unit.WEEK:
            spacing = spacing or Spacing(interval.every)  # "3 times per week (every other day)"
            c.spans[:] = [Span("spacing", s.start, s.end) if s.field == "interval" else s for s in c.spans]
            interval = None
        elif interval.unit is Unit.HOUR and frequency.per is Unit.DAY and interval.every * frequency.times == 24:
            interval = None  # "twice daily (every 12 hours)": the same rhythm said twice
        else:
            c.reasons.append("both a frequency and an interval: read two ways")
    return frequency, interval, spacing if isinstance(spacing, Spacing) else None, max_per_day  # type: ignore[return-value]


def _anchor(c: _Clause, frequency: Frequency | None) -> str | None:
    anchors = list(dict.fromkeys(c.anchors))
    if "before-breakfast" in anchors or frequency is not None and frequency.per is Unit.DAY and frequency.times > 1:
        anchors = [a for a in anchors if a not in ("morning", "evening")]  # they name the doses of the day
    if len(anchors) > 1:
        c.reasons.append(f"several times of day ({', '.join(anchors)})")
        return None
    return anchors[0] if anchors else None


def _phase(c: _Clause, ongoing: bool) -> Phase | None:
    _unread_amounts(c)
    frequency, interval, spacing, max_per_day = _rhythm(c)
    v = c.values
    doses = v.get("doses")
    if v.get("single") and frequency is None and interval is None:
        doses = doses or 1  # "as a single dose"; with a rhythm it means "all at once"
    one_day = v.get("duration") == Duration(DurationKind.FIXED, Unit.DAY, 1, 1)
    if frequency is None and interval is None and doses is None and one_day and v.get("start_day"):
        doses = 1  # "500 mg on day 1": one dose that day
    duration, cycle = v.get("duration"), v.get("cycle")
    if frequency is None and interval is None and doses != 1:
        c.reasons.append("no dosing frequency found")
    if interval is not None and interval.every < 1:
        c.reasons.append(f"a dose every {interval.every} {interval.unit.value}(s) is outside the usual range")
    c.reasons.extend(
        bound_problems(
            Phase(
                frequency=frequency,
                interval=interval if interval and interval.every else None,
                duration=duration if isinstance(duration, Duration) else None,
            )
        )
    )
    if isinstance(duration, Duration):
        if duration.kind is DurationKind.RANGE and duration.max is None:
            c.reasons.append("'at least' a duration with no maximum: the prescriber decides when to stop")
    if duration is None and doses is None and cycle is None:
        if ongoing:
            duration = Duration(DurationKind.ONGOING)
        else:
            c.reasons.append("no duration or number of doses found")
    anchor = _anchor(c, frequency)
    if c.reasons:
        return None
    return Phase(
        amount=v.get("amount"),
        frequency=frequency,
        interval=interval,
        spacing=spacing,  # type: ignore[arg-type]
        duration=duration,
        doses=doses,
        max_per_day=max_per_day,
        time_of_day=anchor,  # type: ignore[arg-type]
        cycle=cycle,
        start_day=v.get("start_day"),
    )  # type: ignore[arg-type]


def _cycles(sentence: str) -> tuple[int | None, bool, Span | None]:
    """(number of cycles, whether it is a maximum, span) from "for 6 cycles", "repeat … up to 4 times"."""
    m = _CYCLES.search(sentence)
    if not m:
        return None, False, None
    count = number(m["n"] or m["m"])
    return count, bool(m["up"] or m["m"] or "up to" in m[0].lower()), Span("cycles", m.start(), m.end())


def _with_cycle(phase: Phase, cycle: Cycle, count: int | None, up_to: bool, ongoing: bool, reasons: list[str]) -> Phase:
    """Give a phase its cycle count; without one the cycles go on only if the label says so."""
    cycle = Cycle(cycle.on_days, cycle.off_days, count, up_to)
    if count is not None:
        duration = None
    elif ongoing:
        duration = Duration(DurationKind.ONGOING)
    else:
        reasons.append("cycles with no number of cycles")
        duration = None
    return Phase(**{**phase.__dict__, "cycle": cycle, "duration": duration})


@functools.lru_cache(maxsize=4096)  # pure, and labels repeat their sentences across files and versions
def read_regimen(sentence: str) -> tuple[Regimen | None, tuple[Span, ...], tuple[str, ...]]:
    """Read one dosing sentence: (regimen or None, spans, reasons for review)."""
    clauses, start = [], 0
    for m in _PHASE_BREAK.finditer(sentence):
        clauses.append(_Clause(sentence[start : m.start()], start))
        start = m.end()
    clauses.append(_Clause(sentence[start:], start))
    ongoing = bool(_ONGOING.search(sentence))
    count, up_to, cycle_span = _cycles(sentence)
    reasons = [reason for pattern, reason in _SENTENCE_REASONS if pattern.search(sentence)]
    phases: list[Phase] = []
    spans: list[Span] = [cycle_span] if cycle_span else []
    for clause in clauses:
        if _STOP.match(clause.text):
            continue  # "…, then stop."
        _read(clause)
        rest = clause.values.get("rest")
        if isinstance(rest, int):  # "followed by 7 days off": the phase before becomes a cycle
            last = phases[-1] if phases else None
            d = last.duration if last else None
            if last is None or d is None or d.kind is not DurationKind.FIXED or d.unit not in _DAYS:
                reasons.append("a rest period after something that is not a fixed number of days")
                continue
            cycle = Cycle((d.min or 0) * _DAYS[d.unit], rest)
            phases[-1] = _with_cycle(last, cycle, count, up_to, ongoing, reasons)
            spans.extend(clause.spans)
            continue
        phase = _phase(clause, ongoing)
        spans.extend(clause.spans)  # after _phase, which may rename a span ("every other day" → spacing)
        reasons.extend(clause.reasons)
        if phase is not None and phase.cycle is not None:
            phase = _with_cycle(phase, phase.cycle, count, up_to, ongoing, reasons)
        if phase is not None:
            phases.append(phase)
    if _UNTIL.search(sentence) and not any(
        p.duration and p.duration.max or p.cycle and p.cycle.repeats or p.doses for p in phases
    ):
        reasons.append("'until' a clinical end point with no maximum: the prescriber decides when to stop")
    if any(p.duration and p.duration.kind is DurationKind.ONGOING for p in phases[:-1]):
        reasons.append("a phase before the last one has no end")
    spans.sort(key=lambda s: (s.start, s.end))
    if reasons or not phases:
        return None, tuple(spans), tuple(dict.fromkeys(reasons or ["no dosing found"]))
    return Regimen(tuple(phases)), tuple(spans), ()
