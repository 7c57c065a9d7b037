"""Issue 16, item 3: a dose in the repeated hour of a fall-back night, one hour early in some apps.

The bug: every-6/8/12-hour doses that fall in the hour a fall-back night repeats were written in
UTC (right: RFC 5545 says a repeated TZID wall time means the first one, and the second one has
no TZID writing at all), but the file still carried ``X-WR-TIMEZONE``. recurring-ical-events
(through x-wr-timezone) turns UTC times into wall times of that zone and then reads the second
02:30 as the first: an hour early (Lord Howe, whose clocks go back 30 minutes: 30 minutes, and
there the first occurrence went wrong too). With ``--recurring`` it was worse: the hourly series,
written in UTC, was expanded in wall-clock time, an hour off after the change in every plan.

Now a file in which some event time is written in UTC carries no X-WR-TIMEZONE. Measured on the
42 plans below before the change (docs/hardening.md): recurring-ical-events 24 of 42 wrong (42
of 42 with --recurring); writing the repeated wall time with TZID instead: ical and
recurring-ical-events 21 of 42 wrong (the second occurrences), ical.js 21 of 42 (the first ones:
it takes the second, against the RFC), khal 0.10 likewise. Now every consumer of the interop tests
sees every planned instant, with two limits of the programs themselves that no writing can
avoid, pinned here so a change in them is noticed:

- calcurse keeps wall times of its ``TZ`` in its data file: run in the plan's zone it cannot hold
  the second 02:30 (it shows the first). Run in UTC it shows every dose right. (A 15-minute
  block that would end, on the wall clock, before it starts made it refuse its whole data file:
  such a block now ends a minute before the change, ``clock.block_end``.)
- khal, run in America/Havana (clocks go back at 01:00 to midnight), does not list a dose in the
  first 00:xx of that day: its day starts at the second midnight. Run in UTC it shows it.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from helpers import STAMP, UTC
from test_calendar_programs import SHOWN, Shown, calcurse_events, khal_events, vtimezone_reader
from test_icaljs import node, read_with_icaljs  # noqa: F401  (node: the fixture)
from test_interop_all import expanded, strict
from write import test_recurring

from planner.clock import is_repeated
from planner.files import find_bundled
from planner.model import Preferences, Schedule
from planner.plan.scheduler import plan_course
from planner.read.rules import regimen_from_text, with_regimen
from planner.write.ics import DOSE_MINUTES, to_ics

ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",  # back 30 minutes
    "America/Santiago",  # back at midnight, to 23:00 the day before
    "America/Havana",  # back at 01:00, to midnight
    "Europe/London",
    "Pacific/Chatham",  # +13:45 -> +12:45
)
HOURS = (6, 8, 12)
DOSE = re.compile(r"dose (\d+)")


@dataclass(frozen=True)
class Case:
    zone: str
    hours: int
    occurrence: int  # the dose in the first (1) or the second (2) pass of the repeated wall time

    def __str__(self) -> str:
        return f"{self.zone.split('/')[-1]}-{self.hours}h-{('first', 'second')[self.occurrence - 1]}"


CASES = [Case(z, h, o) for z, h, o in itertools.product(ZONES, HOURS, (1, 2))]


def fall_back(zone: str) -> tuple[dt.datetime, dt.timedelta]:
    """The instant of the zone's first fall-back after 2026-09-01, and how much the clocks go back."""
    tz = ZoneInfo(zone)
    here = dt.datetime(2026, 9, 1, tzinfo=UTC)
    while (here + dt.timedelta(hours=1)).astimezone(tz).utcoffset() >= here.astimezone(tz).utcoffset():
        here += dt.timedelta(hours=1)
    before = here.astimezone(tz).utcoffset()
    assert before is not None
    while here.astimezone(tz).utcoffset() == before:
        here += dt.timedelta(minutes=15)  # every zone here changes on a quarter hour
    after = here.astimezone(tz).utcoffset()
    assert after is not None
    return here, before - after


def target(case: Case) -> dt.datetime:
    """The instant in the middle of the first or the second pass of the repeated wall time."""
    change, back = fall_back(case.zone)
    return change - back / 2 if case.occurrence == 1 else change + back / 2


@functools.cache
def schedule_of(case: Case) -> Schedule:
    """Every ``hours`` hours for 6 days, the first dose 72 hours (a whole number of steps) before
    the target, so one dose falls on it."""
    first = (target(case) - dt.timedelta(hours=72)).astimezone(ZoneInfo(case.zone))
    bundled = find_bundled("imiquimod").ruleset
    indication = bundled.rules[0].id
    regimen = regimen_from_text(
        f"{{phases: [{{interval: {{every: {case.hours}, unit: hour}}, "
        "duration: {kind: fixed, unit: day, min: 6, max: 6}}]}"
    )
    ruleset = with_regimen(bundled, indication, regimen)
    return plan_course(ruleset, indication, first.date(), Preferences(timezone=case.zone, times=(first.time(),)))


@functools.cache
def ics_of(case: Case, recurring: bool = False) -> bytes:
    return to_ics(schedule_of(case), STAMP, recurring=recurring)


def planned(case: Case) -> list[tuple[dt.datetime, int]]:
    return sorted((d.at.astimezone(UTC), d.number) for d in schedule_of(case).doses)


def shown_instants(shown: list[Shown]) -> list[tuple[dt.datetime, int]]:
    return sorted(
        (dt.datetime.strptime(s.start, SHOWN).astimezone(UTC), int(DOSE.search(s.title)[1]))
        for s in shown
        if s.end and DOSE.search(s.title)
    )


# --- the plans are where they claim ----------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_dose_falls_in_the_intended_pass_of_the_repeated_hour(case: Case) -> None:
    [dose] = [d for d in schedule_of(case).doses if d.at.astimezone(UTC) == target(case)]
    assert is_repeated(dose.at) and dose.at.fold == case.occurrence - 1
    instants = [at for at, _ in planned(case)]
    assert {b - a for a, b in zip(instants, instants[1:])} == {dt.timedelta(hours=case.hours)}


def test_the_cases_cover_five_zones_three_rhythms_both_passes() -> None:
    assert len({c.zone for c in CASES}) >= 5 and {c.hours for c in CASES} == {6, 8, 12}
    assert {c.occurrence for c in CASES} == {1, 2}


# --- the writing ---------------------------------------------------------------------------------


def test_a_file_with_a_utc_time_has_no_x_wr_timezone() -> None:
    """The repeated-hour dose is written in UTC, and then the file does not name a zone that
    x-wr-timezone would turn its UTC times into; a file without one keeps X-WR-TIMEZONE."""
    case = CASES[1]  # Berlin, every 6 hours, a dose in the second 02:30
    data = ics_of(case)
    assert b"DTSTART:20261025T013000Z\r\n" in data and b"X-WR-TIMEZONE" not in data
    assert b"X-PLANNER-TIMEZONE:Europe/Berlin\r\n" in data  # re-opening still knows the zone
    assert b"X-WR-TIMEZONE" not in ics_of(case, recurring=True)  # the hourly series is in UTC
    quiet = plan_course(
        find_bundled("imiquimod").ruleset,
        "actinic-keratosis",
        dt.date(2026, 12, 1),
        Preferences(timezone="Europe/Berlin"),
    )
    assert b"X-WR-TIMEZONE:Europe/Berlin\r\n" in to_ics(quiet, STAMP)


# --- every consumer of the interop tests ----------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=str)
def test_ical_and_recurring_ical_events_see_every_instant(case: Case) -> None:
    assert strict(ics_of(case)) == planned(case)
    assert expanded(ics_of(case)) == planned(case)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_recurring_file_expands_to_every_instant(case: Case, tmp_path: Path) -> None:
    """--recurring: one FREQ=HOURLY series in UTC, expanded by recurring-ical-events, ical and khal."""
    data = ics_of(case, recurring=True)
    assert b"RRULE:FREQ=HOURLY" in data
    want = [at for at, _ in planned(case)]
    assert test_recurring.expanded(data) == want
    assert test_recurring.strict(data) == want
    if case.occurrence == 1:  # one khal run per zone and rhythm is enough for the series
        shown = khal_events(data, tmp_path, "UTC")
        assert sorted(dt.datetime.strptime(e.start, SHOWN).astimezone(UTC) for e in shown if e.end) == want


@pytest.mark.parametrize("case", CASES, ids=str)
def test_icaljs_sees_every_instant(node: str, case: Case, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "plan.ics"
    path.write_bytes(ics_of(case))
    seen = read_with_icaljs(node, path)
    assert sorted((dt.datetime.fromisoformat(at), n) for n, at in seen.items()) == planned(case)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_embedded_vtimezone_places_every_dose(case: Case) -> None:
    """As a program that honours the VTIMEZONE would (dateutil's tzical)."""
    data = ics_of(case)
    tz = vtimezone_reader(data)
    seen = []
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        start = event.decoded("DTSTART")
        if "TZID" in event["DTSTART"].params:
            start = start.replace(tzinfo=None).replace(tzinfo=tz)
        seen.append((start.astimezone(UTC), int(DOSE.search(str(event["SUMMARY"]))[1])))
    assert sorted(seen) == planned(case)


@pytest.mark.parametrize("program", ["khal", "calcurse"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_programs_in_utc_show_every_instant(program: str, case: Case, tmp_path: Path) -> None:
    events = {"khal": khal_events, "calcurse": calcurse_events}[program]
    assert shown_instants(events(ics_of(case), tmp_path, "UTC")) == planned(case)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_khal_in_the_plans_zone(case: Case, tmp_path: Path) -> None:
    """Every dose, except (khal's own limit) one before the second midnight of a day whose
    midnight repeats (America/Havana): khal's day starts at the second one and lists it on no day."""
    tz = ZoneInfo(case.zone)

    def listed(at: dt.datetime) -> bool:
        second_midnight = dt.datetime.combine(at.date(), dt.time(), tzinfo=tz).replace(fold=1)
        return at.astimezone(UTC) >= second_midnight.astimezone(UTC)

    want = [(at, n) for at, n in planned(case) if listed(at.astimezone(tz))]
    assert shown_instants(khal_events(ics_of(case), tmp_path, case.zone)) == want
    assert (len(want) < len(planned(case))) == (case.zone == "America/Havana" and case.occurrence == 1)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_calcurse_in_the_plans_zone(case: Case, tmp_path: Path) -> None:
    """Every dose at its wall time; calcurse's own limit (its data file holds wall times only):
    the second pass of a repeated time reads as the first."""
    want = sorted((d.at.replace(fold=0).astimezone(UTC), d.number) for d in schedule_of(case).doses)
    assert shown_instants(calcurse_events(ics_of(case), tmp_path, case.zone)) == want
    assert (want != planned(case)) == (case.occurrence == 2)


def _ends(data: bytes) -> dict[int, tuple[dt.datetime, dt.datetime]]:
    return {
        int(DOSE.search(str(e["SUMMARY"]))[1]): (e.decoded("DTSTART"), e.decoded("DTEND"))
        for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
    }


def test_a_block_never_ends_on_the_wall_clock_before_it_starts(tmp_path: Path) -> None:
    """A dose at 02:50 CEST on the fall-back night: 15 minutes later is 02:05 CET, earlier on the
    wall clock, and calcurse refused its whole data file ("date error in appointment", also
    Lord Howe's first-pass doses above). The block now ends a minute before the change, 02:59
    CEST; every other block lasts DOSE_MINUTES."""
    bundled = find_bundled("imiquimod").ruleset
    regimen = regimen_from_text(
        "{phases: [{interval: {every: 8, unit: hour}, duration: {kind: fixed, min: 4, max: 4}}]}"
    )
    schedule = plan_course(
        with_regimen(bundled, "actinic-keratosis", regimen),
        "actinic-keratosis",
        dt.date(2026, 10, 23),
        Preferences(timezone="Europe/Berlin", times=(dt.time(10, 50),)),
    )
    data = to_ics(schedule, STAMP)
    assert b"DTSTART:20261025T005000Z\r\nDTEND:20261025T005900Z\r\n" in data
    lengths = [end - start for start, end in _ends(data).values()]
    assert lengths.count(dt.timedelta(minutes=9)) == 1
    assert lengths.count(dt.timedelta(minutes=DOSE_MINUTES)) == len(lengths) - 1
    shown = calcurse_events(data, tmp_path, "Europe/Berlin")
    want = sorted((d.at.astimezone(UTC), d.number) for d in schedule.doses)  # all first passes or plain
    assert shown_instants(shown) == want
    assert [s.end for s in shown if s.start == "2026-10-25T02:50+0200"] == ["2026-10-25T02:59+0200"]
