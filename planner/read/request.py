"""What people type: dates, times of day, weekdays and moments → values, or a ScheduleError
that says what would work. Shared by the CLI and the app, so both accept the same input."""

from __future__ import annotations

import datetime as dt
import re

from ..errors import ScheduleError
from ..model import WEEKDAY_NAMES, WEEKDAYS

_DAY_NAMES = {name: i for i, name in enumerate(WEEKDAYS)}
_DAY_NAMES.update({n[:3].lower(): i for i, n in enumerate(WEEKDAY_NAMES)})
_DAY_NAMES.update({n.lower(): i for i, n in enumerate(WEEKDAY_NAMES)})


def parse_date(text: str, key: str = "start") -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ScheduleError(f"not a date: {text!r}", key=key, hint="use YYYY-MM-DD, e.g. 2026-12-01") from None
    if not 1900 <= day.year <= 2200:
        raise ScheduleError(f"{text} is outside the years 1900 to 2200", key=key, hint="check the year")
    return day


_CLOCK_12 = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?", re.IGNORECASE)


def _time_of_day(text: str) -> dt.time:
    """ "21:30", "9:30pm", "9.30 p.m.", "9 am" → a time; ValueError otherwise."""
    match = _CLOCK_12.fullmatch(text.strip())
    if match is None:
        return dt.time.fromisoformat(text.strip())
    hour, minute = int(match[1]), int(match[2] or 0)
    if not 1 <= hour <= 12:
        raise ValueError("hour outside 1-12")
    return dt.time(hour % 12 + (12 if match[3].lower() == "p" else 0), minute)


def parse_times(text: str) -> tuple[dt.time, ...]:
    try:
        times = tuple(_time_of_day(part) for part in text.split(","))
        if any(t.tzinfo is not None for t in times):
            raise ValueError("an offset")  # the time zone is --tz; an offset here would be dropped
        return times
    except ValueError:
        raise ScheduleError(
            f"not a time of day: {text!r}",
            key="time",
            hint="use HH:MM or 9:30pm, or HH:MM,HH:MM for several doses a day",
        ) from None


def parse_weekdays(text: str) -> tuple[int, ...]:
    days = []
    for part in text.split(","):
        key = part.strip()
        day = _DAY_NAMES.get(key.upper(), _DAY_NAMES.get(key.lower()))
        if day is None:
            raise ScheduleError(f"not a weekday: {key!r}", key="weekdays", hint="use MO,TU,WE,TH,FR,SA,SU")
        days.append(day)
    return tuple(days)


def parse_moment(text: str, key: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ScheduleError(
            f"not a date and time: {text!r}",
            key=key,
            hint="use YYYY-MM-DDTHH:MM, optionally with an offset such as +01:00",
        ) from None
