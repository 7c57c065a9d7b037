"""Domain types shared by every stage: monograph → rules → schedule → calendar.

Small frozen dataclasses; a stage that changes one returns a new value made with
``dataclasses.replace``. Standard library imports only.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from enum import Enum

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # RFC 5545 BYDAY codes, 0 = Monday

DISCLAIMER = (
    "This is a reminder aid, not medical advice. Follow your prescriber's "
    "instructions, which come first; if this calendar differs from what you were "
    "told, ask your doctor or pharmacist before the next dose."
)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=4096)  # names repeat: a drug's labels, its calendars
def slug(text: str) -> str:
    """A name in the form of an id: rule ids, calendar UIDs, file names ("Actinic Keratosis" →
    "actinic-keratosis")."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


# --- stage 1: the monograph ---------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A heading of the monograph body with its own text and its sub-headings."""

    title: str
    level: int
    text: str
    line: int
    children: tuple[Section, ...] = ()
    raw: str = field(default="", repr=False)  # its own lines as written, up to the first sub-heading
    raw_line: int = field(default=0, repr=False)  # the file line where ``raw`` starts

    def numbered_lines(self) -> list[tuple[int, str]]:
        """Its own lines as (1-based file line, text)."""
        return list(enumerate(self.raw.split("\n"), self.raw_line))

    def find(self, title: str) -> Section | None:
        """The first section below this one whose title starts with ``title`` (case-insensitive)."""
        for child in self.children:
            if child.title.lower().startswith(title.lower()):
                return child
            found = child.find(title)
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class DosingEntry:
    """One dosing bullet (or paragraph) of the Dosage section, for one population."""

    population: str  # "adults", "children", "special-cases"
    label: str  # the bold lead of the bullet, e.g. "Actinic Keratosis"; "" for a paragraph
    sentence: str
    section: str  # breadcrumb, e.g. "Dosage > Standard Dosage > Adults"
    line: int  # 1-based line in the file


@dataclass(frozen=True)
class Faq:
    question: str
    answer: str


@dataclass(frozen=True)
class Monograph:
    """A parsed drug monograph: what the later stages read from it. ``sha256`` identifies the
    exact text it came from; ``monograph.sections(text)`` gives its whole heading tree."""

    drug: str
    brand_names: tuple[str, ...]
    description: str
    last_modified: str | None
    dosing: tuple[DosingEntry, ...]
    faqs: tuple[Faq, ...]
    missed_dose: str | None
    contraindications: tuple[str, ...]
    pregnancy: tuple[str, ...]
    precautions: tuple[str, ...]
    disclaimers: tuple[str, ...]
    sha256: str
    path: str = ""


# --- stage 2: rules -------------------------------------------------------------


class Unit(str, Enum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class DurationKind(str, Enum):
    FIXED = "fixed"  # "for 16 weeks"
    UP_TO = "up-to"  # "for up to 16 weeks" / "until clearance": stop earlier on review
    RANGE = "range"  # "for 2 to 4 weeks"
    ONGOING = "ongoing"  # no end: planned up to a horizon


class Status(str, Enum):
    OK = "ok"
    NEEDS_REVIEW = "needs-review"


@dataclass(frozen=True)
class Frequency:
    """``times`` doses in each ``per`` (2 per week, 3 per day)."""

    times: int
    per: Unit


@dataclass(frozen=True)
class Interval:
    """A dose every ``every`` ``unit`` (every 12 hours, every other day = every 2 days)."""

    every: int
    unit: Unit


@dataclass(frozen=True)
class Spacing:
    """Days between consecutive doses, from the label ("doses 3-4 days apart")."""

    min_days: int
    max_days: int | None = None


@dataclass(frozen=True)
class Duration:
    kind: DurationKind
    unit: Unit = Unit.DAY
    min: int | None = None  # fixed: min == max; up-to: min is None
    max: int | None = None  # ongoing: both None


@dataclass(frozen=True)
class Cycle:
    """``on_days`` of treatment then ``off_days`` of rest, ``repeats`` times (None: no limit)."""

    on_days: int
    off_days: int
    repeats: int | None = None
    up_to: bool = False  # "repeat up to 4 times": repeats is a maximum, stop earlier on review


@dataclass(frozen=True)
class Phase:
    """One stretch of a regimen with a single amount and rhythm.

    Exactly one of ``frequency``, ``interval`` or ``doses == 1`` (a single dose) sets the
    rhythm; ``duration`` or ``doses`` bound it.
    """

    amount: str | None = None
    frequency: Frequency | None = None
    interval: Interval | None = None
    spacing: Spacing | None = None
    duration: Duration | None = None
    doses: int | None = None
    max_per_day: int | None = None
    time_of_day: str | None = None  # anchor: bedtime, morning, evening, before-breakfast, with-meal
    cycle: Cycle | None = None
    start_day: int | None = None  # "on days 2 through 5": the course day (1-based) this phase begins
    weekdays: tuple[int, ...] | None = None  # "on Monday, Wednesday and Friday" (0 = Monday): exactly these days
    amount_open: bool = False  # a range or a dose by weight/body surface: the prescriber sets it (--amount)
    clock: tuple[str, ...] | None = None  # "at 10:00", "at 8 am and 8 pm": the label's own times (HH:MM)
    offsets_hours: tuple[float, ...] | None = (
        None  # doses of one day by the hour from the first: (0, 2) = "then 2 hours later"
    )


class CourseKind(str, Enum):
    """What a course is counted in, which decides what a missed dose moves."""

    DOSES = "doses"  # a number of doses (antibiotics, single doses): the count is kept, the end may move
    TIME = "time"  # a length of time ("for 16 weeks"): the end is kept
    BOTH = "both"  # a count within a time limit: the count is kept, never past the end
    ONGOING = "ongoing"  # no end: it just continues


class OptionKind(str, Enum):
    """Why a regimen is one option among others of the same indication."""

    CHOICE = "choice"  # the label offers it beside others ("or 250 mg every 8 hours")
    LABEL_EXAMPLE = "label-example"  # "is often prescribed as …": confirm it is what was prescribed
    CONDITIONAL = "conditional"  # "repeat the course once if it returns": never planned by default


class EventNeed(str, Enum):
    """A date the user must give before a regimen timed from an event can be planned."""

    EVENT_START = "event-start"  # "one week before leaving"
    EVENT_END = "event-end"  # "for 4 weeks after coming back"


@dataclass(frozen=True)
class Regimen:
    phases: tuple[Phase, ...]
    course: CourseKind | None = None  # None: not stated by the label; the planner's reading is said in words
    then: str | None = None  # what follows the planned phases, set by the prescriber ("a maintenance dose as directed")
    needs: tuple[EventNeed, ...] = ()  # event dates needed before it can be planned


@dataclass(frozen=True)
class Option:
    """One complete regimen the label allows for an indication; the user picks one."""

    regimen: Regimen
    kind: OptionKind = OptionKind.CHOICE
    note: str = ""  # what the label says of it, in plain words
    default: bool = False  # the label itself makes it the first choice


@dataclass(frozen=True)
class Span:
    """Where in ``SourceRef.sentence`` a value of the regimen was read (half-open)."""

    field: str
    start: int
    end: int


@dataclass(frozen=True)
class SourceRef:
    file: str
    section: str
    population: str
    sentence: str
    line: int | None = None
    spans: tuple[Span, ...] = ()


class MissedKind(str, Enum):
    """What one clause of a label's missed-dose answer tells the patient to do (or never to do)."""

    TAKE = "take-when-remembered"  # "take it as soon as you remember"
    SAME_DAY_ONLY = "same-day-only"  # "on that same day": a make-up only on the dose's own date
    NEXT_MORNING = "next-morning"  # "take one tablet on the morning after you remember", then the usual day
    SKIP = "skip"  # "skip the missed dose" (often with a condition)
    SHIFT = "shift-remaining"  # "your remaining doses move back by a day": the count is kept, the end moves
    MIN_HOURS = "min-hours-between"  # "never take two tablets within the same week": hours between any two doses
    ONE_PER_DAY = "one-per-day"  # "do not take two doses on the same day", "do not apply it twice in one day"
    NO_DOUBLE = "no-double"  # "do not take a double dose", "do not take two at once to make up for it"
    FINISH = "finish-the-course"  # "until the course is finished": the course is counted in doses
    KEEP_END = "keep-the-end"  # "do not extend the treatment", "do not add extra days to the cycle"
    RESUME = "resume"  # "then carry on with your normal schedule": later doses stay where they are
    CONTACT = "contact-prescriber"  # "contact your prescriber", "tell your oncology team" (maybe conditional)
    NOTE = "no-rule-of-its-own"  # "the prescribing information does not give specific missed-dose instructions"


class MissedWhen(str, Enum):
    """The condition a missed-dose clause holds under, measured at the moment the patient remembers."""

    ALWAYS = "always"
    NEXT_WITHIN = "next-within"  # the next dose is within ``hours`` ("less than 4 hours before"); None: "almost time"
    NEXT_BEYOND = "next-beyond"  # the next dose is more than ``hours`` away ("more than 7 days away")
    LATE_WITHIN = "late-within"  # remembered within ``hours`` of the missed dose ("within 2 days of your usual day")
    LATE_BEYOND = "late-beyond"  # remembered more than ``hours`` after it ("more than 2 days late")
    LATER_DAY = "later-day"  # remembered on a later date ("if you do not remember until the next day")


@dataclass(frozen=True)
class MissedClause:
    """One instruction of the missed-dose answer, with its condition and the words it was read from.
    ``by_date``: the window counts calendar days ("within 2 days of your usual day"), not elapsed hours."""

    kind: MissedKind
    when: MissedWhen = MissedWhen.ALWAYS
    hours: int | None = None
    by_date: bool = False
    sentence: str = ""


@dataclass(frozen=True)
class MissedDose:
    """The monograph's missed-dose answer (for one regimen form) as a policy: its clauses, and the
    sentences the reader could not place (``unplaced``: refused and shown, never replaced by a guess)."""

    text: str
    clauses: tuple[MissedClause, ...] = ()
    unplaced: tuple[str, ...] = ()

    def has(self, kind: MissedKind) -> bool:
        return any(c.kind is kind for c in self.clauses)


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


@dataclass(frozen=True)
class Warning:
    """A caution from the monograph that must reach the user; ``population`` None: everyone."""

    topic: str  # age, pregnancy, breastfeeding, contraindication, missed-dose, caution
    text: str
    population: str | None = None


@dataclass(frozen=True)
class RuleSet:
    """Everything extracted from one monograph: what ``rules/<drug>.yaml`` holds."""

    drug: str
    source: str
    source_sha256: str
    rules: tuple[DosingRule, ...]
    brand_names: tuple[str, ...] = ()
    missed_dose: MissedDose | None = None
    warnings: tuple[Warning, ...] = ()

    def rule(self, rule_id: str) -> DosingRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


# --- stage 3: the schedule ------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    """What the patient chooses; ``None`` fields take the rule's defaults."""

    timezone: str = "UTC"
    times: tuple[dt.time, ...] | None = None  # one per dose of the day
    weekdays: tuple[int, ...] | None = None  # 0 = Monday
    until: dt.date | None = None  # horizon for ongoing regimens
    length: int | None = None  # for "2 to 4 weeks": the prescriber's choice within the range
    amount: str | None = None  # the prescriber's amount where the label gives a range or a dose by weight
    neutral_titles: bool = False  # calendar titles say "Medication – dose 3 of 32", not the drug or condition


@dataclass(frozen=True)
class Dose:
    number: int  # 1-based, stable: a moved or skipped dose keeps its number (and calendar UID)
    at: dt.datetime  # aware, in the patient's zone
    amount: str | None
    phase: int  # 1-based
    revision: int = 0  # raised each time the dose is moved or cancelled (iCalendar SEQUENCE)
    cancelled: bool = False  # skipped after a missed dose: kept so calendars can remove it
    planned: dt.datetime | None = None  # where a moved dose was first planned (RECURRENCE-ID)


@dataclass(frozen=True)
class Reminder:
    """A dated note that is not a dose, e.g. "review with your prescriber"."""

    on: dt.date
    title: str  # short, for a calendar title
    text: str


@dataclass(frozen=True)
class Schedule:
    drug: str
    rule: DosingRule
    start: dt.date
    preferences: Preferences
    doses: tuple[Dose, ...]
    ongoing: bool
    course_end: dt.date | None
    reminders: tuple[Reminder, ...] = ()
    notes: tuple[str, ...] = ()  # what the scheduler changed or chose, e.g. DST moves
    warnings: tuple[Warning, ...] = field(default=())
    missed_dose: MissedDose | None = None
    phase_ends: tuple[dt.date | None, ...] = ()  # exclusive end of each phase's window
    changes: tuple[str, ...] = ()  # the missed- or late-dose answers applied to this plan, in words (calendars)

    @property
    def active(self) -> tuple[Dose, ...]:
        """The doses still to take: cancelled ones left out."""
        return tuple(d for d in self.doses if not d.cancelled)


class AdviceKind(str, Enum):
    """The kind of a missed-dose answer, for programs (the words are in ``MissedDoseAdvice.action``)."""

    TAKE_NOW = "take-now"
    TAKE_AT = "take-at"  # later: "the morning after you remember"
    SKIP = "skip"
    TAKEN_LATE = "taken-late"  # a late dose already taken: the plan after it
    ASK = "ask"  # the label's answer could not be applied: ask the pharmacist or prescriber; nothing taken


@dataclass(frozen=True)
class MissedDoseAdvice:
    """What to do about a missed (or late) dose, answer first, and the schedule that follows from it."""

    action: str  # the answer in plain words: "Take it now", "Take it tomorrow at 08:00", "Skip it"
    next_dose: dt.datetime | None  # the next dose to take after this answer
    why: str  # one plain line: "too close to your next dose: doses must be 3 to 4 days apart"
    source_text: str  # the label's sentence(s) that decided
    kind: AdviceKind
    take_at: dt.datetime | None
    guidance: str  # the whole answer in plain words for the patient
    rule_applied: str  # which rule decided, and how an open word such as "close" was read
    schedule: Schedule  # the whole updated schedule (cancelled doses kept, for calendars)
    warnings: tuple[str, ...] = ()  # only the label's warnings about missing doses
    reading: tuple[str, ...] = ()  # the planner's readings where the label is silent (course kind, "close")
    notes: tuple[str, ...] = ()  # what else follows: doses moved, "never take two", "contact your prescriber"
