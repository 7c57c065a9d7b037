"""Time rules, one home: UTC, IANA zones, local wall time, and the DST gaps and repeats.

Everything that asks "what instant is this wall time?" or "does this wall time happen
twice?" asks here, so a rule about daylight saving is written once. Pure: no clock is read.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ScheduleError

UTC = dt.UTC


def zone(name: str) -> ZoneInfo:
    """The IANA zone called ``name``; anything else (a folder such as "America", a path, a
    typo) is a ``ScheduleError`` with a hint, never an ``OSError`` from the zone database."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError(
            f"unknown time zone {name!r}",
            key="timezone",
            hint="use an IANA name such as Europe/Berlin or America/New_York",
        ) from None


def local_time(day: dt.date, at: dt.time, tz: ZoneInfo, notes: list[str]) -> dt.datetime:
    """``day`` at wall time ``at``; a time that does not exist (spring forward) moves forward."""
    wall = dt.datetime.combine(day, at, tzinfo=tz)
    real = wall.astimezone(UTC).astimezone(tz)
    if real.replace(tzinfo=None) != wall.replace(tzinfo=None):
        notes.append(
            f"{at:%H:%M} does not exist on {day.isoformat()} in {tz.key} (clocks go forward): "
            f"that dose is at {real:%H:%M}"
        )
    return real


def is_repeated(at: dt.datetime) -> bool:
    """A wall time that happens twice (the hour the clocks go back)."""
    return at.replace(fold=1 - at.fold).utcoffset() != at.utcoffset()


def is_skipped(at: dt.datetime) -> bool:
    """A wall time that does not happen (the hour the clocks go forward)."""
    real = at.astimezone(UTC).astimezone(at.tzinfo)
    return real.replace(tzinfo=None) != at.replace(tzinfo=None)
