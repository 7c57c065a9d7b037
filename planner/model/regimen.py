"""Stage 2's regimen types: units, durations, rhythms, phases, and the regimen a rule plans.

What the reader builds from a label's sentence and the scheduler plans; the rules YAML
holds them in the same shape (``read/schema.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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


class EventStart(str, Enum):
    """Where a phase timed from an event (a stay away: travel, a trip) begins."""

    BEFORE = "before-event-start"  # ``lead`` before the event's first day ("one week before leaving")
    DURING = "event-start"  # on the event's first day ("daily during the stay")
    AFTER = "after-event-end"  # the day after the event's last day ("for 14 days after coming back")


@dataclass(frozen=True)
class EventWindow:
    """The dates of a phase counted from an event's dates, which only the user knows.

    It begins as ``begins`` says and ends ``tail`` after the event's last day; with no ``tail``
    the phase's own duration or count ends it, or else the event's last day does.
    """

    begins: EventStart
    lead: Duration | None = None  # BEFORE only: how long before the event's first day
    tail: Duration | None = None  # "for 4 weeks after coming back": counted from the day after its last day


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
        None  # doses by the hour from the course's first dose: (0, 2) = "then 2 hours later"; doses == len
    )
    event: EventWindow | None = None  # timed from an event: its dates come from the user (Regimen.needs)
    # "every 4 hours, five times a day": the doses of one day this many hours apart, in waking hours
    hours_apart: int | None = None


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
