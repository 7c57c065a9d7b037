"""Stage 4: the calendar export — golden text, RFC 5545 basics, and two independent readers
(the strict ``ical`` parser and icalendar + recurring-ical-events) that must see every dose
at its planned instant."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import icalendar
import pytest
import recurring_ical_events
from helpers import GOLDEN, STAMP, UTC, ZONES
from ical.calendar_stream import IcsCalendarStream

from planner.model import DISCLAIMER, Preferences
from planner.plan.scheduler import plan_course
from planner.write.ics import to_ics

INDICATIONS = ("actinic-keratosis", "superficial-basal-cell-carcinoma", "external-genital-perianal-warts")
# (start, zone, time): plain, across spring-forward, across fall-back and a year end
CASES = [(dt.date(2026, 12, 1), zone, None) for zone in ZONES] + [
    (dt.date(2027, 2, 1), "Europe/Berlin", "22:00"),
    (dt.date(2026, 10, 1), "America/New_York", "21:30"),
    (dt.date(2026, 11, 20), "Australia/Adelaide", "07:15"),
]


def plan(imiquimod, indication, start, zone, time=None):
    times = (dt.time.fromisoformat(time),) if time else None
    return plan_course(imiquimod, indication, start, Preferences(timezone=zone, times=times))


def planned(schedule) -> list[tuple[dt.datetime, str]]:
    return sorted((d.at.astimezone(UTC), f"dose {d.number} of {len(schedule.doses)}") for d in schedule.doses)


def unfold(data: bytes) -> str:
    return data.decode("utf-8").replace("\r\n ", "")


def test_golden_actinic_keratosis_berlin(imiquimod) -> None:
    """Byte-for-byte stable output; regenerate the golden file only after reviewing the diff."""
    data = to_ics(plan(imiquimod, "actinic-keratosis", dt.date(2026, 12, 1), "Europe/Berlin"), STAMP)
    golden = GOLDEN / "imiquimod-actinic-keratosis-berlin.ics"
    assert data == golden.read_bytes()


@pytest.mark.parametrize("indication", INDICATIONS)
@pytest.mark.parametrize("start,zone,time", CASES)
def test_strict_parser_sees_every_dose(imiquimod, indication, start, zone, time) -> None:
    schedule = plan(imiquimod, indication, start, zone, time)
    calendar = IcsCalendarStream.calendar_from_ics(to_ics(schedule, STAMP).decode("utf-8"))
    seen = sorted(
        (e.dtstart.astimezone(UTC), re.search(r"dose \d+ of \d+", e.summary)[0])
        for e in calendar.events
        if "dose" in e.summary
    )
    assert seen == planned(schedule)


@pytest.mark.parametrize("indication", INDICATIONS)
@pytest.mark.parametrize("start,zone,time", CASES)
def test_recurring_ical_events_sees_every_dose(imiquimod, indication, start, zone, time) -> None:
    schedule = plan(imiquimod, indication, start, zone, time)
    calendar = icalendar.Calendar.from_ical(to_ics(schedule, STAMP))
    events = recurring_ical_events.of(calendar).between(dt.date(2026, 1, 1), dt.date(2028, 1, 1))
    seen = sorted(
        (e.start.astimezone(UTC), re.search(r"dose \d+ of \d+", str(e["SUMMARY"]))[0])
        for e in events
        if "dose" in str(e["SUMMARY"])
    )
    assert seen == planned(schedule)


@pytest.fixture(scope="module")
def berlin_dst(imiquimod) -> bytes:
    return to_ics(plan(imiquimod, "actinic-keratosis", dt.date(2027, 2, 1), "Europe/Berlin", "22:00"), STAMP)


def test_rfc5545_basics(berlin_dst) -> None:
    text = berlin_dst.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "every line ends in CRLF"
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n")), "folded at 75 octets"
    flat = unfold(berlin_dst)
    assert flat.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    events = flat.split("BEGIN:VEVENT")[1:]
    uids = [re.search(r"\r\nUID:(.*?)\r\n", "\r\n" + e)[1] for e in events]
    assert len(uids) == len(set(uids)) == 32
    assert all("\r\nDTSTAMP:20261101T120000Z\r\n" in e for e in events)
    tzids = set(re.findall(r"TZID=([^:;]+)", flat))
    assert tzids == {"Europe/Berlin"} and "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin" in flat


def test_vtimezone_has_one_value_per_transition(berlin_dst) -> None:
    """Thunderbird's ical.js reads only the first value of a multi-value RDATE: never write one."""
    flat = unfold(berlin_dst)
    block = flat[flat.index("BEGIN:VTIMEZONE") : flat.index("END:VTIMEZONE")]
    assert not any("," in line for line in block.split("\r\n") if line.startswith(("RDATE", "DTSTART")))
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200" in block


def test_same_plan_same_uids_and_bytes(imiquimod) -> None:
    a = to_ics(plan(imiquimod, "actinic-keratosis", dt.date(2026, 12, 1), "UTC"), STAMP)
    b = to_ics(plan(imiquimod, "actinic-keratosis", dt.date(2026, 12, 1), "UTC"), STAMP)
    assert a == b
    moved = to_ics(plan(imiquimod, "actinic-keratosis", dt.date(2026, 12, 1), "UTC", "20:00"), STAMP)
    uid = re.compile(rb"UID:(.*?)\r\n")
    assert uid.findall(moved) == uid.findall(a), "a new time updates the same events"


def test_title_description_alarm_and_disclaimer(imiquimod) -> None:
    schedule = plan(imiquimod, "actinic-keratosis", dt.date(2026, 12, 1), "UTC")
    calendar = icalendar.Calendar.from_ical(to_ics(schedule, STAMP, alarm_minutes=30))
    first = calendar.events[0]
    assert str(first["SUMMARY"]) == "Imiquimod – dose 1 of 32 (actinic keratosis)"
    description = str(first["DESCRIPTION"])
    assert DISCLAIMER in description and "Do not extend treatment" in description
    assert "twice a week, 3 to 4 days apart" in description and "at bedtime" in description
    # the key warnings, labelled, not the whole label (issue 15: 2,116 characters in each of 32 events)
    assert "Contraindication: Application to broken or inflamed skin." in description
    assert "Pregnancy: " in description and "Breastfeeding:" not in description and len(description) < 1500
    (alarm,) = first.walk("VALARM")
    assert alarm["TRIGGER"].dt == dt.timedelta(minutes=-30)
    assert DISCLAIMER in str(calendar["DESCRIPTION"])
    assert str(calendar["X-PLANNER-INDICATION"]) == "actinic-keratosis"
    no_alarm = icalendar.Calendar.from_ical(to_ics(schedule, STAMP, alarm_minutes=None))
    assert not no_alarm.events[0].walk("VALARM")


def test_up_to_course_has_an_all_day_review_event(imiquimod) -> None:
    schedule = plan(imiquimod, "external-genital-perianal-warts", dt.date(2026, 12, 1), "UTC")
    calendar = icalendar.Calendar.from_ical(to_ics(schedule, STAMP))
    reviews = [e for e in calendar.events if "review" in str(e["SUMMARY"])]
    assert len(reviews) == 1 and reviews[0].start == schedule.course_end
    assert DISCLAIMER in str(reviews[0]["DESCRIPTION"])


def test_text_with_commas_semicolons_and_newlines_cannot_break_the_file(imiquimod) -> None:
    from dataclasses import replace

    rule = imiquimod.rules[0]
    hostile = replace(
        rule,
        name="AK; X-INJECTED:1,\r\nBEGIN:VEVENT",
        source=replace(rule.source, sentence="Apply; then\nEND:VCALENDAR, twice"),
    )
    ruleset = replace(imiquimod, drug="Imi,quimod;\nEND:VEVENT", rules=(hostile,) + imiquimod.rules[1:])
    data = to_ics(plan_course(ruleset, rule.id, dt.date(2026, 12, 1), Preferences()), STAMP)
    lines = unfold(data).split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 32 and lines.count("END:VCALENDAR") == 1
    assert not any(line.startswith("X-INJECTED") for line in lines)
    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert len(calendar.events) == 32


def test_neutral_titles_keep_the_uids(imiquimod) -> None:
    schedule = plan(imiquimod, "external-genital-perianal-warts", dt.date(2026, 12, 1), "UTC")
    neutral = dataclasses.replace(schedule, preferences=dataclasses.replace(schedule.preferences, neutral_titles=True))
    calendar = icalendar.Calendar.from_ical(to_ics(neutral, STAMP))
    titles = {str(e["SUMMARY"]) for e in calendar.events}
    assert "Medication – dose 1 of 48" in titles and not [t for t in titles if "Imiquimod" in t or "wart" in t.lower()]
    uid = re.compile(rb"UID:(.*?)\r\n")
    assert uid.findall(to_ics(neutral, STAMP)) == uid.findall(to_ics(schedule, STAMP))  # re-import replaces
