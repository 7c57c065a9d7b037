"""Every calendar the project makes, read by three independent consumers.

For every bundled indication that plans (and a missed-dose update of each), in a zone with
and one without daylight saving: the strict ``ical`` parser, icalendar +
recurring-ical-events, and khal (a real calendar program, headless) must each see exactly
the planned doses at the planned instants.
"""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
import recurring_ical_events
from helpers import STAMP, UTC
from ical.calendar_stream import IcsCalendarStream
from test_calendar_programs import khal_events

from planner.files import catalog
from planner.model import Preferences, Status
from planner.plan.missed import missed_dose_advice
from planner.plan.scheduler import plan_course
from planner.write.ics import to_ics

START = dt.date(2026, 12, 14)  # courses cross a year end; long ones a DST change
COURSES = [(b.ruleset, r.id) for b in catalog() for r in b.ruleset.rules if r.status is Status.OK]
ZONES = ("Europe/Berlin", "America/Bogota")
DOSE = re.compile(r"dose (\d+)")


def schedule(ruleset, indication, zone, updated=False):
    s = plan_course(ruleset, indication, START, Preferences(timezone=zone, until=dt.date(2027, 6, 30)))
    if updated and len(s.doses) > 2:  # dose 2 missed, remembered an hour late: moved or skipped
        s = missed_dose_advice(s, 2, s.doses[1].at + dt.timedelta(hours=1)).schedule
    return s


def planned(s) -> list[tuple[dt.datetime, int]]:
    return sorted((d.at.astimezone(UTC), d.number) for d in s.active)


def strict(data: bytes) -> list[tuple[dt.datetime, int]]:
    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return sorted(
        (e.dtstart.astimezone(UTC), int(DOSE.search(e.summary)[1]))
        for e in cal.events
        if DOSE.search(e.summary)
        and str(e.status or "") != "EventStatus.CANCELLED"
        and "CANCELLED" not in str(e.status or "")
    )


def expanded(data: bytes) -> list[tuple[dt.datetime, int]]:
    events = recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(
        dt.date(2026, 1, 1), dt.date(2028, 1, 1)
    )
    return sorted(
        (e.start.astimezone(UTC), int(DOSE.search(str(e["SUMMARY"]))[1]))
        for e in events
        if DOSE.search(str(e["SUMMARY"])) and str(e.get("STATUS", "")) != "CANCELLED"
    )


IDS = [f"{rs.drug.lower()}/{ind}" for rs, ind in COURSES]


@pytest.mark.parametrize("updated", [False, True], ids=["plan", "update"])
@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("ruleset,indication", COURSES, ids=IDS)
def test_parsers_see_every_dose(ruleset, indication, zone, updated) -> None:
    s = schedule(ruleset, indication, zone, updated)
    data = to_ics(s, STAMP)
    assert strict(data) == planned(s)
    assert expanded(data) == planned(s)


@pytest.mark.parametrize("ruleset,indication", COURSES, ids=IDS)
def test_khal_sees_every_dose(ruleset, indication, tmp_path) -> None:
    s = schedule(ruleset, indication, "Europe/Berlin", updated=True)
    shown = khal_events(to_ics(s, STAMP), tmp_path, "UTC")
    seen = sorted(
        (dt.datetime.strptime(e.start, "%Y-%m-%dT%H:%M%z"), int(DOSE.search(e.title)[1]))
        for e in shown
        if DOSE.search(e.title) and "skipped" not in e.title
    )
    assert seen == planned(s)


def test_every_bundled_drug_with_a_plannable_indication_is_covered() -> None:
    plannable = {b.ruleset.drug for b in catalog() if any(r.status is Status.OK for r in b.ruleset.rules)}
    assert {rs.drug for rs, _ in COURSES} == plannable and len(plannable) >= 11 and len(COURSES) >= 30
