"""Time: every IANA zone's DST transitions, leap days, year ends, far past and future.

Doses land at the intended local wall time, or are moved forward and reported when that time
does not exist; never dropped, never doubled.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from helpers import ALL_ZONES, UTC, rule
from hypothesis import given
from hypothesis import strategies as st

from planner.model import (
    DosingRule,
    Duration,
    DurationKind,
    Frequency,
    Phase,
    Preferences,
    Unit,
)
from planner.plan.scheduler import build_schedule


def daily(days: int) -> DosingRule:
    phase = Phase(frequency=Frequency(1, Unit.DAY), duration=Duration(DurationKind.FIXED, Unit.DAY, days, days))
    return rule(phase, id="d", name="D", file="x", section="s", sentence="s")


def transitions(zone: str, year: int) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
    """(UTC instant, offset before, offset after) of each change in a year, found hour by hour."""
    tz = zoneinfo.ZoneInfo(zone)

    def offset(at: dt.datetime) -> dt.timedelta:
        return at.astimezone(tz).utcoffset() or dt.timedelta()

    out = []
    day = dt.datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        nxt = day + dt.timedelta(days=1)
        if offset(day) != offset(nxt):
            hour = day
            while offset(hour) == offset(day):
                hour += dt.timedelta(minutes=15)
            out.append((hour, offset(day), offset(hour)))
        day = nxt
    return out


CASES = [(zone, instant, before, after) for zone in ALL_ZONES for instant, before, after in transitions(zone, 2027)]


def test_many_zones_have_transitions() -> None:
    assert len({c[0] for c in CASES}) > 100


@pytest.mark.parametrize("zone,instant,before,after", CASES, ids=[f"{c[0]}-{c[1]:%m%d}" for c in CASES])
def test_a_dose_at_every_transition(zone, instant, before, after) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    # the wall time just after the change, expressed in the old offset: inside the gap or the overlap
    wall = instant.replace(tzinfo=None) + before + dt.timedelta(minutes=30) - max(after - before, dt.timedelta())
    start = wall.date() - dt.timedelta(days=2)
    schedule = build_schedule(daily(5), start, Preferences(timezone=zone, times=(wall.time(),)))
    assert len(schedule.doses) == 5, "none dropped"
    days = [d.at.date() for d in schedule.doses]
    assert days == [start + dt.timedelta(days=k) for k in range(5)], "one a day, none doubled"
    for dose in schedule.doses:
        if dose.at.time() != wall.time():
            assert after > before and any(dose.at.date().isoformat() in n for n in schedule.notes), "moved and reported"
        assert dose.at.tzinfo is tz or dose.at.tzinfo == tz


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 1)), st.sampled_from(ALL_ZONES), st.integers(1, 90))
def test_far_past_and_future_leap_days_and_year_ends(start, zone, days) -> None:
    schedule = build_schedule(daily(days), start, Preferences(timezone=zone, times=(dt.time(9),)))
    assert [d.at.date() for d in schedule.doses] == [start + dt.timedelta(days=k) for k in range(days)]


def test_leap_day_and_year_end() -> None:
    schedule = build_schedule(daily(4), dt.date(2028, 2, 28), Preferences(timezone="Pacific/Kiritimati"))
    assert [d.at.date().isoformat() for d in schedule.doses] == ["2028-02-28", "2028-02-29", "2028-03-01", "2028-03-02"]
    schedule = build_schedule(daily(3), dt.date(2026, 12, 31), Preferences(timezone="Pacific/Pago_Pago"))
    assert [d.at.date().isoformat() for d in schedule.doses] == ["2026-12-31", "2027-01-01", "2027-01-02"]
