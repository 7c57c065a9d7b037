"""Stage 3's types: the patient's preferences, the planned doses and reminders, the schedule,
and the answer to a missed or late dose with the schedule that follows from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from zoneinfo import ZoneInfo

from ..clock import zone
from .missed import MissedDose
from .regimen import Phase
from .rules import Caution, DosingRule


@dataclass(frozen=True)
class Preferences:
    """What the patient chooses; ``None`` fields take the rule's defaults.

    ``timezone`` is resolved here, once, when the preferences are made: an unknown name is a
    ``ScheduleError`` at the edge that read it, and every stage after uses ``zone``. The name
    stays, as given, for what is written out (X-PLANNER-TIMEZONE, the JSON, the sheet)."""

    timezone: str = "UTC"  # an IANA name
    times: tuple[dt.time, ...] | None = None  # one per dose of the day
    weekdays: tuple[int, ...] | None = None  # 0 = Monday
    until: dt.date | None = None  # horizon for ongoing regimens
    length: int | None = None  # for "2 to 4 weeks": the prescriber's choice within the range
    amount: str | None = None  # the prescriber's amount where the label gives a range or a dose by weight
    event_start: dt.date | None = None  # a regimen timed from an event: its first day (the day you leave)
    event_end: dt.date | None = None  # and its last day (the day you come back)
    neutral_titles: bool = False  # calendar titles say "Medication – dose 3 of 32", not the drug or condition
    zone: ZoneInfo = field(init=False, repr=False, compare=False)  # ``timezone`` resolved

    def __post_init__(self) -> None:
        object.__setattr__(self, "zone", zone(self.timezone))  # frozen: set once, here


@dataclass(frozen=True)
class Dose:
    number: int  # 1-based, stable: a moved or skipped dose keeps its number (and calendar UID)
    at: dt.datetime  # aware, in the patient's zone
    amount: str | None
    phase: int  # 1-based
    revision: int = 0  # raised each time the dose is moved or cancelled (iCalendar SEQUENCE)
    cancelled: bool = False  # skipped after a missed dose: kept so calendars can remove it
    planned: dt.datetime | None = None  # where a moved dose was first planned (RECURRENCE-ID)


class ReminderKind(StrEnum):
    """What a dated note is for; its value is the short title a calendar shows."""

    REVIEW = "review with your prescriber"  # the label leaves the end (or what follows) to the prescriber
    CALENDAR_END = "end of this calendar"  # an ongoing course outlives the calendar


@dataclass(frozen=True)
class Reminder:
    """A dated note that is not a dose, e.g. "review with your prescriber"."""

    on: dt.date
    kind: ReminderKind
    text: str

    @property
    def title(self) -> str:
        """Short, for a calendar title."""
        return self.kind.value


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
    warnings: tuple[Caution, ...] = field(default=())
    missed_dose: MissedDose | None = None
    option: int | None = None  # the option the user chose (--option), so a re-opened calendar keeps it
    phase_ends: tuple[dt.date | None, ...] = ()  # exclusive end of each phase's window
    changes: tuple[str, ...] = ()  # the missed- or late-dose answers applied to this plan, in words (calendars)

    @property
    def active(self) -> tuple[Dose, ...]:
        """The doses still to take: cancelled ones left out."""
        return tuple(d for d in self.doses if not d.cancelled)

    @property
    def total(self) -> int | None:
        """The "M" of "dose N of M": unknown for ongoing plans, which stop only at the horizon."""
        return None if self.ongoing else len(self.doses)

    def phase_of(self, dose: Dose) -> Phase | None:
        """The regimen phase a dose belongs to (None for a rule with no regimen)."""
        phases = self.rule.regimen.phases if self.rule.regimen else ()
        return phases[dose.phase - 1] if 0 < dose.phase <= len(phases) else None


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
