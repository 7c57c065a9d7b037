"""What day it is for the patient: the next dose, how many are done, which dose was due last,
and a first dose that is already past. Pure: the moment ``now`` is a parameter (the app's
browser clock and zone give it), so the same plan reads the same at any instant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..clock import UTC
from ..model import Dose, Schedule
from .regimen import dose_how

_MONTH_FIRST = ("en-us", "en-ph", "en-ca", "en-um", "en-as", "en-gu", "en-mp", "en-pr", "en-vi")


def month_first(locale: str | None) -> bool:
    """Whether the browser's language writes dates month first ("Dec 4"), as US English does."""
    return (locale or "").lower().replace("_", "-") in _MONTH_FIRST


def date_text(day: dt.date, locale: str | None = None, weekday: bool = True) -> str:
    """A date in the patient's style, never all digits: "Fri 4 Dec 2026" or "Fri, Dec 4, 2026"."""
    name = f"{day:%a}" + ("," if month_first(locale) else "") + " " if weekday else ""
    if month_first(locale):
        return f"{name}{day:%b} {day.day}, {day.year}"
    return f"{name}{day.day} {day:%b %Y}"


def date_format(locale: str | None) -> str:
    """The date picker's format for the locale (Streamlit's default is YYYY/MM/DD)."""
    return "MM/DD/YYYY" if month_first(locale) else "DD/MM/YYYY"


def _utc(at: dt.datetime) -> dt.datetime:
    return at.astimezone(UTC)


def day_word(day: dt.date, today: dt.date, locale: str | None = None) -> str:
    """ "Today", "Tomorrow", or the date."""
    if day == today:
        return "Today"
    if day == today + dt.timedelta(days=1):
        return "Tomorrow"
    return date_text(day, locale)


def last_due(schedule: Schedule, now: dt.datetime) -> int | None:
    """The number of the last dose due at or before ``now`` (None: none due yet)."""
    due = [d.number for d in schedule.active if _utc(d.at) <= _utc(now)]
    return due[-1] if due else None


def done_count(schedule: Schedule, now: dt.datetime) -> int:
    return sum(1 for d in schedule.active if _utc(d.at) <= _utc(now))


@dataclass(frozen=True)
class NextDose:
    """The next-dose card: "Dose 3 of 32", "Today", "22:00", "thin layer, at bedtime"."""

    number: int
    total: int | None
    day: str
    time: str
    how: str
    done: int  # doses due before now (taken, the plan assumes)
    first: bool  # the course has not started yet

    @property
    def title(self) -> str:
        return f"Dose {self.number} of {self.total}" if self.total else f"Dose {self.number}"

    @property
    def progress(self) -> str:
        if self.first:
            return "Your course has not started yet."
        of = f" of {self.total}" if self.total else ""
        return f"{self.done}{of} doses were due before now."


def next_dose(schedule: Schedule, now: dt.datetime, locale: str | None = None) -> NextDose | None:
    """The first active dose after ``now``; None when the plan has no dose left."""
    dose = next((d for d in schedule.active if _utc(d.at) > _utc(now)), None)
    if dose is None:
        return None
    local_now = now.astimezone(dose.at.tzinfo)
    return NextDose(
        number=dose.number,
        total=schedule.total,
        day=day_word(dose.at.date(), local_now.date(), locale),
        time=f"{dose.at:%H:%M}",
        how=dose_how(schedule.phase_of(dose), dose.amount) or (dose.amount or ""),
        done=done_count(schedule, now),
        first=dose.number == schedule.active[0].number,
    )


def past_first_dose(schedule: Schedule, now: dt.datetime) -> Dose | None:
    """The first dose when it is already past at ``now`` (a plan started "today" at 13:11 with
    dose 1 at 08:00): the patient must be asked, never shown a dose they cannot take on time."""
    active = schedule.active
    if active and _utc(active[0].at) < _utc(now):
        return active[0]
    return None


def course_done(schedule: Schedule, now: dt.datetime) -> bool:
    return bool(schedule.active) and all(_utc(d.at) <= _utc(now) for d in schedule.active)
