"""The label's missed-dose answer as a policy: its clauses, their conditions, what it could not place."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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
