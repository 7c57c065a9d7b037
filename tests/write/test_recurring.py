"""--recurring: compact calendars (RRULE, EXDATE, RECURRENCE-ID) expand to exactly the per-dose plan.

For every bundled plannable indication, in a zone with and one without DST, fresh and after a
missed dose (skipped: EXDATE; taken late: an override with RECURRENCE-ID in the event's own
zone), the expansion by recurring-ical-events, by the strict ``ical`` parser and by khal equals
the per-dose plan.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import recurring_ical_events
from helpers import STAMP, UTC
from ical.calendar_stream import IcsCalendarStream
from test_calendar_programs import khal_events
from test_interop_all import COURSES, IDS, ZONES, planned, schedule

from planner.cli import main
from planner.plan.missed import missed_dose_advice
from planner.write.ics import to_ics


def updated(s, how):
    if how == "plan" or len(s.doses) < 3:
        return s
    dose = s.doses[1]
    late = dt.timedelta(hours=1) if how == "late" else dt.timedelta(days=40)
    advice = missed_dose_advice(s, 2, dose.at + min(late, (s.doses[2].at - dose.at) / 3))
    return advice.schedule


def expanded(data: bytes) -> list[dt.datetime]:
    cal = icalendar.Calendar.from_ical(data)
    events = recurring_ical_events.of(cal).between(dt.date(2026, 1, 1), dt.date(2028, 1, 1))
    return sorted(
        e.start.astimezone(UTC)
        for e in events
        if "review" not in str(e["SUMMARY"])
        and "end of this" not in str(e["SUMMARY"])
        and str(e.get("STATUS", "")) != "CANCELLED"
    )


def strict(data: bytes) -> list[dt.datetime]:
    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    seen, replaced = [], set()
    for event in cal.timeline.overlapping(dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2028, 1, 1, tzinfo=UTC)):
        if "review" in event.summary or "end of this" in event.summary or "CANCELLED" in str(event.status or ""):
            continue
        if event.recurrence_id and event.recurrence_id.endswith("Z"):
            # ical 14 matches an override to its instance by floating time, so a RECURRENCE-ID in
            # UTC (the form of our series in elapsed hours) replaces nothing there; RFC 5545
            # 3.8.4.4 says it replaces the instance that starts at that instant.
            replaced.add(dt.datetime.strptime(event.recurrence_id, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC))
        seen.append((event.dtstart.astimezone(UTC), str(event.recurrence_id or "").endswith("Z")))
    return sorted(at for at, utc_override in seen if utc_override or at not in replaced)


def instants(s) -> list[dt.datetime]:
    return [at for at, _ in planned(s)]


@pytest.mark.parametrize("how", ["plan", "late"])
@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("ruleset,indication", COURSES, ids=IDS)
def test_series_expand_to_the_plan(ruleset, indication, zone, how) -> None:
    s = updated(schedule(ruleset, indication, zone), how)
    data = to_ics(s, STAMP, recurring=True)
    assert expanded(data) == instants(s)
    assert strict(data) == instants(s)


def test_recurring_is_compact_and_keeps_the_uid_rules(imiquimod) -> None:
    from planner.model import Preferences
    from planner.plan.scheduler import plan_course

    s = plan_course(imiquimod, "actinic-keratosis", dt.date(2026, 12, 1), Preferences(timezone="Europe/Berlin"))
    data = to_ics(s, STAMP, recurring=True).decode()
    assert data.count("BEGIN:VEVENT") == 1 and "RRULE:FREQ=WEEKLY;BYDAY=TU,FR;COUNT=32" in data
    skipped = to_ics(
        missed_dose_advice(s, 1, s.doses[0].at + dt.timedelta(hours=10)).schedule, STAMP, recurring=True
    ).decode()
    assert "EXDATE;TZID=Europe/Berlin:20261201T220000" in skipped and "SEQUENCE:1" in skipped
    moved = to_ics(
        missed_dose_advice(s, 2, s.doses[1].at + dt.timedelta(hours=1)).schedule, STAMP, recurring=True
    ).decode()
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20261204T220000" in moved  # the event's zone, not UTC
    assert moved.count("UID:imiquimod-actinic-keratosis-2026-12-01-series-1@dosing-planner") == 2


@pytest.mark.parametrize("ruleset,indication", COURSES[:12], ids=IDS[:12])
def test_khal_expands_the_series(ruleset, indication, tmp_path) -> None:
    s = updated(schedule(ruleset, indication, "Europe/Berlin"), "late")
    shown = khal_events(to_ics(s, STAMP, recurring=True), tmp_path, "UTC")
    seen = sorted(
        dt.datetime.strptime(e.start, "%Y-%m-%dT%H:%M%z")
        for e in shown
        if "review" not in e.title and "end of this" not in e.title and "skipped" not in e.title
    )
    assert seen == instants(s)


def test_cli_recurring(capsys) -> None:
    assert (
        main(
            [
                "plan",
                "--drug",
                "imiquimod",
                "--indication",
                "superficial-basal-cell-carcinoma",
                "--start",
                "2026-12-01",
                "--format",
                "ics",
                "--recurring",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.count("BEGIN:VEVENT") == 1 and "RRULE:FREQ=WEEKLY;BYDAY=TU,WE,TH,FR,SA;COUNT=30" in out
