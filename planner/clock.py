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


def in_zone(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """``moment`` in ``tz``: an aware moment is the same instant there; a naive one is read as a
    wall time of ``tz`` (what a patient types)."""
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def every(first: dt.datetime, step: dt.timedelta, count: int, tz: ZoneInfo) -> list[dt.datetime]:
    """``count`` instants ``step`` of elapsed time apart from ``first``, shown in ``tz``: counted
    in UTC, since Python adds a timedelta to a zoned datetime in wall time (an hour off at DST)."""
    start = first.astimezone(UTC)
    return [(start + k * step).astimezone(tz) for k in range(count)]


def local_time(day: dt.date, at: dt.time, tz: ZoneInfo, notes: list[str]) -> dt.datetime:
    """``day`` at wall time ``at``; a time that does not exist (spring forward) moves forward."""
    wall = dt.datetime.combine(day, at, tzinfo=tz)
    real = wall.astimezone(UTC).astimezone(tz)
    if real.replace(tzinfo=None) != wall.replace(tzinfo=None):
        on = "" if real.date() == day else f" on {real.date().isoformat()}"
        notes.append(
            f"{at:%H:%M} does not exist on {day.isoformat()} in {tz.key} (clocks go forward): "
            f"that dose is at {real:%H:%M}{on}"
        )
    return real


def jump(day: dt.date, at: dt.time, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime] | None:
    """The clocks' jump that skips wall time ``at`` on ``day``: (the wall time the clocks leave,
    the wall time they go to), both naive; None when ``at`` exists that day. America/Scoresbysund
    on 2026-03-28 at 23:30 gives (23:00, 00:00 of the 29th); Pacific/Apia on 2011-12-30 at any
    time gives (2011-12-30 00:00, 2011-12-31 00:00): the whole day is skipped."""
    wall = dt.datetime.combine(day, at)
    before = wall.replace(tzinfo=tz, fold=0).utcoffset()
    after = wall.replace(tzinfo=tz, fold=1).utcoffset()
    if before is None or after is None or after <= before or not is_skipped(wall.replace(tzinfo=tz)):
        return None
    low, high = wall - after, wall - before  # naive UTC: the change lies in (low, high]
    while high - low > dt.timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.replace(tzinfo=UTC).astimezone(tz).utcoffset() == before:
            low = mid
        else:
            high = mid
    return high + before, high + after


def jumped_off_its_day(day: dt.date, at: dt.time, tz: ZoneInfo, problems: list[str]) -> ScheduleError:
    """A dose time that a clock jump skips and moves to a later day, where it breaks the label
    (two doses on one day): which time or start date to change, instead of "internal check failed"."""
    edges = jump(day, at, tz)
    assert edges is not None  # a time moved to another day was skipped
    leaves, lands = edges
    why = f"moved to {lands.date().isoformat()} it would break the label ({'; '.join(problems)})"
    if leaves.date() < day or leaves.time() == dt.time():  # the whole day is skipped
        return ScheduleError(
            f"{day.isoformat()} does not exist in {tz.key} (the clocks skip from {leaves:%Y-%m-%d %H:%M} to "
            f"{lands:%Y-%m-%d %H:%M}), and a dose is planned on it: {why}",
            key="start",
            hint=f"start on {lands.date().isoformat()} or later",
        )
    example = leaves - dt.timedelta(minutes=30 + leaves.minute % 30)
    return ScheduleError(
        f"{at:%H:%M} does not exist on {day.isoformat()} in {tz.key} (the clocks go from {leaves:%H:%M} to "
        f"{lands:%H:%M} on {lands.date().isoformat()}): {why}",
        key="time",
        hint=f"choose a dose time before {leaves:%H:%M}"
        + (f", for example {example:%H:%M}" if example.date() == day else ""),
    )


def is_repeated(at: dt.datetime) -> bool:
    """A wall time that happens twice (the hour the clocks go back)."""
    return at.replace(fold=1 - at.fold).utcoffset() != at.utcoffset()


def is_skipped(at: dt.datetime) -> bool:
    """A wall time that does not happen (the hour the clocks go forward)."""
    real = at.astimezone(UTC).astimezone(at.tzinfo)
    return real.replace(tzinfo=None) != at.replace(tzinfo=None)


def block_end(start: dt.datetime, length: dt.timedelta) -> dt.datetime:
    """The end of a calendar block that starts at ``start`` (aware) and lasts ``length`` of
    elapsed time; but where the clocks go back inside it so far that the end would read, on the
    wall clock, before the start (02:50 CEST + 15 min is 02:05 CET), the block ends a minute
    before the change instead: calcurse keeps wall times and refuses a file holding such a block.
    """
    tz = start.tzinfo
    end = (start.astimezone(UTC) + length).astimezone(tz)
    if end.replace(tzinfo=None) >= start.replace(tzinfo=None):
        return end
    before, first = start.utcoffset(), start.astimezone(UTC)
    low, high = 0, int(length.total_seconds())  # the change lies in (first + low, first + high]
    while high - low > 1:
        mid = (low + high) // 2
        if (first + dt.timedelta(seconds=mid)).astimezone(tz).utcoffset() == before:
            low = mid
        else:
            high = mid
    return max(start, (first + dt.timedelta(seconds=high, minutes=-1)).astimezone(tz))


def on_dst_edge(at: dt.datetime) -> bool:
    """A wall time that a DST change repeats or skips: calendar readers disagree about those."""
    return is_repeated(at) or is_skipped(at)


def transitions(tz: ZoneInfo, first: dt.datetime, last: dt.datetime) -> list[tuple[dt.datetime, dt.timedelta]]:
    """(UTC instant, offset before it) of each offset change of ``tz`` between two UTC instants,
    to the second: each day's two ends are compared, and a day whose offsets differ is bisected."""

    def offset(at: dt.datetime) -> dt.timedelta | None:
        return at.astimezone(tz).utcoffset()

    found = []
    here = first
    while here < last:
        after = min(here + dt.timedelta(days=1), last)
        if offset(here) != offset(after):
            low, high = 0, int((after - here).total_seconds())  # bisect to the second
            while high - low > 1:
                mid = (low + high) // 2
                if offset(here + dt.timedelta(seconds=mid)) == offset(here):
                    low = mid
                else:
                    high = mid
            found.append((here + dt.timedelta(seconds=high), offset(here) or dt.timedelta()))
        here = after
    return found
