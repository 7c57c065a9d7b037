"""Stage 4: ``Schedule`` → iCalendar bytes (RFC 5545). The only module that uses icalendar.

Choices made for real calendar programs:
- UIDs come from (drug, indication, start date, dose number), so re-importing a changed
  plan updates events instead of duplicating them;
- each VTIMEZONE transition is its own STANDARD/DAYLIGHT block with a single DTSTART
  (icalendar's ``add_missing_timezones()`` packs transitions into one multi-value RDATE,
  which Thunderbird's parser reads only the first value of: an hour off after DST);
- the title and description alone say what to do, since some clients drop VALARMs;
- the plan parameters ride along as X-PLANNER-* properties, so a course can be re-opened
  from its own file and nothing about the patient needs storing.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .extract import slug
from .model import DISCLAIMER, Schedule
from .views import describe_regimen, dose_title, instructions

PRODID = "-//dosing-schedule-planner//planner//EN"
UID_DOMAIN = "dosing-planner"
DOSE_MINUTES = 15
DEFAULT_ALARM_MINUTES = 15


def _transitions(tz: ZoneInfo, first: dt.datetime, last: dt.datetime) -> list[tuple[dt.datetime, dt.timedelta]]:
    """(UTC instant, offset before it) of each offset change between two UTC instants."""
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


def vtimezone(tz: ZoneInfo, first: dt.datetime, last: dt.datetime) -> Timezone:
    """A VTIMEZONE covering [first, last]: one block for the offset at ``first``, then one
    block per transition, each with one DTSTART in the wall time before the change."""
    utc = dt.timezone.utc
    begin = (first - dt.timedelta(days=7)).astimezone(utc).replace(second=0, microsecond=0)
    end = (last + dt.timedelta(days=7)).astimezone(utc)
    component = Timezone()
    component.add("tzid", tz.key)
    component.add("x-lic-location", tz.key)
    start_local = begin.astimezone(tz)
    blocks = [(start_local.replace(tzinfo=None), start_local.utcoffset(), start_local)]
    for instant, offset_before in _transitions(tz, begin, end):
        onset = instant.replace(tzinfo=None) + offset_before  # wall time before the change
        blocks.append((onset, offset_before, instant.astimezone(tz)))
    for onset, offset_from, local in blocks:
        block = TimezoneDaylight() if local.dst() else TimezoneStandard()
        block.add("tzname", local.tzname() or tz.key)
        block.add("dtstart", onset)
        block.add("tzoffsetfrom", offset_from)
        block.add("tzoffsetto", local.utcoffset())
        component.add_component(block)
    return component


def one_line(text: str) -> str:
    """Control characters (CR, LF, …) become spaces in single-line properties such as SUMMARY."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()


def _unambiguous(at: dt.datetime) -> dt.datetime:
    """A wall time that happens twice (fall back) is written in UTC: RFC 5545 means the first
    one, but some readers (khal 0.10) take the second, an hour late."""
    if at.replace(fold=1 - at.fold).utcoffset() != at.utcoffset():
        return at.astimezone(dt.timezone.utc)
    return at


def uid(schedule: Schedule, kind: str, number: int) -> str:
    return f"{slug(schedule.drug)}-{schedule.rule.id}-{schedule.start.isoformat()}-{kind}-{number}@{UID_DOMAIN}"


def _description(schedule: Schedule) -> str:
    parts = [f"How: {instructions(schedule)}"]
    if schedule.missed_dose:
        parts.append(f"If you miss a dose: {schedule.missed_dose.text}")
    parts.append(DISCLAIMER)
    return "\n\n".join(parts)


def plan_properties(schedule: Schedule) -> dict[str, str]:
    """The parameters that re-create this plan (X-PLANNER-* on the calendar)."""
    prefs = schedule.preferences
    props = {"drug": schedule.drug, "indication": schedule.rule.id, "start": schedule.start.isoformat(),
             "timezone": prefs.timezone}
    if prefs.times:
        props["time"] = ",".join(f"{t:%H:%M}" for t in prefs.times)
    if prefs.weekdays is not None:
        props["weekdays"] = ",".join("MO TU WE TH FR SA SU".split()[d] for d in prefs.weekdays)
    if prefs.until:
        props["until"] = prefs.until.isoformat()
    return props


def to_ics(schedule: Schedule, stamp: dt.datetime, alarm_minutes: int | None = DEFAULT_ALARM_MINUTES) -> bytes:
    """The schedule as an iCalendar file; ``stamp`` (UTC) is the DTSTAMP, a parameter for reproducibility."""
    tz = ZoneInfo(schedule.preferences.timezone)
    name = one_line(f"{schedule.drug} – {schedule.rule.name or schedule.rule.id}")
    cal = Calendar.new(prodid=PRODID, uid=uid(schedule, "calendar", 0), name=name,
                       description=f"{describe_regimen(schedule.rule.regimen)}. {DISCLAIMER}")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-timezone", tz.key)
    for key, value in plan_properties(schedule).items():
        cal.add(f"x-planner-{key}", one_line(value))
    if schedule.doses:
        cal.add_component(vtimezone(tz, schedule.doses[0].at, schedule.doses[-1].at))
    description = _description(schedule)
    phased = len({d.phase for d in schedule.doses}) > 1  # amounts differ between phases
    for dose in schedule.doses:
        title = one_line(dose_title(schedule, dose.number) + (" – skipped" if dose.cancelled else ""))
        start = _unambiguous(dose.at)
        event = Event.new(uid=uid(schedule, "dose", dose.number), stamp=stamp, start=start,
                          end=start + dt.timedelta(minutes=DOSE_MINUTES), summary=title,
                          description=(f"Amount: {dose.amount}\n" if phased and dose.amount else "") + description,
                          sequence=dose.revision, categories=["Medication"])
        if dose.cancelled:  # a re-import removes the event instead of keeping a stale dose
            event.add("status", "CANCELLED")
        event.add("transp", "TRANSPARENT")
        if alarm_minutes is not None and not dose.cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", title)
            alarm.add("trigger", dt.timedelta(minutes=-alarm_minutes))
            event.add_component(alarm)
        cal.add_component(event)
    for number, reminder in enumerate(schedule.reminders, 1):
        cal.add_component(Event.new(
            uid=uid(schedule, "reminder", number), stamp=stamp, start=reminder.on,
            end=reminder.on + dt.timedelta(days=1), summary=one_line(f"{schedule.drug} – {reminder.title}"),
            description=f"{reminder.text}\n\n{DISCLAIMER}", sequence=0))
    return cal.to_ical()
