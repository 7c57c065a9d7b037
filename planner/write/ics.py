"""Stage 4: ``Schedule`` → iCalendar bytes (RFC 5545), written directly as text.

Choices made for real calendar programs:
- UIDs come from (drug, indication, start date, dose number), so re-importing a changed
  plan updates events instead of duplicating them (``events``);
- each VTIMEZONE transition is its own STANDARD/DAYLIGHT block with a single DTSTART
  (``vtimezone``);
- the title and description alone say what to do, since some clients drop VALARMs;
- the plan parameters ride along as X-PLANNER-* properties, so a course can be re-opened
  from its own file and nothing about the patient needs storing.

The file is a handful of property kinds, so they are written as content lines (``ical_text``),
in the exact bytes icalendar 7 wrote (property order, TEXT escaping, folding at 75 octets). Building
one icalendar object per property cost ~0.3 ms an event and importing icalendar ~20 ms per
CLI call; icalendar stays the tests' independent reader (``tests/test_batch.py`` re-writes
our files with it and requires the same bytes). ``--recurring`` series are ``series``; this
module composes the file.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

from ..clock import UTC
from ..model import DISCLAIMER, WEEKDAYS, CautionTopic, Dose, Reminder, Schedule, SourceKind
from ..read.schema import to_data
from ..words.before import event_description
from ..words.plan_text import dose_title, title_name
from ..words.regimen import describe_regimen
from .events import DOSE_MINUTES as DOSE_MINUTES  # the tests' and bench's name for the block length
from .events import UID_DOMAIN, end, in_repeat, uid, uid_prefix, unambiguous
from .ical_text import UTC_ZONE_IDS, component, date_time, date_value, duration, fold, naive, one_line, raw, text
from .series import Series, series, series_lines
from .vtimezone import vtimezone

PRODID = "-//dosing-schedule-planner//planner//EN"
DEFAULT_ALARM_MINUTES = 15
# Properties in these orders first, the rest alphabetically (as icalendar sorts them).
_CALENDAR_ORDER = ("VERSION", "PRODID", "CALSCALE", "METHOD", "DESCRIPTION", "X-WR-CALDESC", "NAME", "X-WR-CALNAME")
_EVENT_ORDER = ("SUMMARY", "DTSTART", "DTEND", "DURATION", "DTSTAMP", "UID", "RECURRENCE-ID", "SEQUENCE")


def _writes_utc(schedule: Schedule, found: list[Series]) -> bool:
    """Whether some event time is written in UTC in a zone that is not UTC: a dose in a repeated
    hour, or an hourly series. Such a file must not carry X-WR-TIMEZONE: recurring-ical-events
    (through x-wr-timezone) turns UTC times into wall times of that zone and then reads the
    second 02:30 as the first, and expands an hourly series in wall-clock time, an hour off
    after each change (measured in docs/hardening.md; issue 16, item 3)."""
    if schedule.preferences.zone.key in UTC_ZONE_IDS:
        return False
    if any(start.tzinfo is UTC for _, _, start in found):
        return True
    return any(in_repeat(d.at) for d in schedule.doses)


def _description(schedule: Schedule) -> str:
    """The dose, how to take it, the missed-dose rule, the key warnings and the disclaimer:
    short enough to read on a phone (the whole label is on the sheet and in the app)."""
    return event_description(schedule)


def plan_properties(schedule: Schedule) -> dict[str, str]:
    """The parameters that re-create this plan (X-PLANNER-* on the calendar)."""
    prefs = schedule.preferences
    props = {
        "drug": schedule.drug,
        "indication": schedule.rule.id,
        "start": schedule.start.isoformat(),
        "timezone": prefs.timezone,  # the name as given, which re-opening reads back
    }
    if prefs.times:
        props["time"] = ",".join(f"{t:%H:%M}" for t in prefs.times)
    if prefs.weekdays is not None:
        props["weekdays"] = ",".join(WEEKDAYS[d] for d in prefs.weekdays)
    if prefs.until:
        props["until"] = prefs.until.isoformat()
    if prefs.length:
        props["length"] = str(prefs.length)
    if schedule.option is not None:  # the option chosen: re-opening must not fall back to option 1
        props["option"] = str(schedule.option)
    if prefs.amount:  # the prescriber's amount where the label gives a range
        props["amount"] = prefs.amount
    if prefs.event_start:  # timed from an event: its dates re-create the start
        props["eventstart"] = prefs.event_start.isoformat()
    if prefs.event_end:
        props["eventend"] = prefs.event_end.isoformat()
    # where the rule came from, so re-opening uses the same one (or refuses)
    source = schedule.rule.source
    props["source"] = SourceKind.FHIR.value if source.kind is SourceKind.FHIR else source.file
    if any(w.topic is CautionTopic.PRESCRIBER for w in schedule.warnings) and schedule.rule.regimen is not None:
        data = json.dumps(to_data(schedule.rule.regimen), separators=(",", ":"), sort_keys=True)
        props["regimen"] = base64.urlsafe_b64encode(data.encode()).decode()  # no , or ; to escape
    return props


def _head(schedule: Schedule, found: list[Series]) -> list[bytes]:
    """BEGIN:VCALENDAR, its properties (the plan's X-PLANNER-* among them) and the VTIMEZONE."""
    tz = schedule.preferences.zone
    name = one_line(
        title_name(schedule)
        if schedule.preferences.neutral_titles
        else f"{schedule.drug} – {schedule.rule.name or schedule.rule.id}"
    )
    about = f"{describe_regimen(schedule.rule.regimen)}. {DISCLAIMER}"
    props = [
        ("VERSION", ":2.0"),
        ("PRODID", ":" + text(PRODID)),
        ("CALSCALE", ":GREGORIAN"),
        ("METHOD", ":PUBLISH"),
        ("DESCRIPTION", ":" + text(about)),
        ("X-WR-CALDESC", ":" + raw(about)),
        ("NAME", ":" + raw(name)),
        ("X-WR-CALNAME", ":" + raw(name)),
        ("UID", ":" + text(uid(schedule, "calendar", 0))),
    ]
    if not _writes_utc(schedule, found):
        props.append(("X-WR-TIMEZONE", ":" + raw(tz.key)))
    props += [(f"X-PLANNER-{key.upper()}", ":" + raw(one_line(v))) for key, v in plan_properties(schedule).items()]
    head = component("VCALENDAR", props, _CALENDAR_ORDER)[:-1]
    if schedule.doses:
        head += vtimezone(tz, schedule.doses[0].at, schedule.doses[-1].at)
    return [fold(line) for line in head]


def _dose_lines(
    schedule: Schedule, dose: Dose, dose_uid: str, dtstamp: bytes, description: bytes, alarm: list[bytes]
) -> list[bytes]:
    """One dose's VEVENT: SUMMARY … SEQUENCE first, then the other properties by name (icalendar's
    order). ``dose_uid``: the escaped UID up to the number, the same for every dose."""
    title = text(one_line(dose_title(schedule, dose.number) + (" – skipped" if dose.cancelled else "")))
    out = [
        b"BEGIN:VEVENT",
        fold("SUMMARY:" + title),
        fold("DTSTART" + date_time(unambiguous(dose.at))),
        fold("DTEND" + date_time(end(dose.at))),
        dtstamp,
        fold(f"UID:{dose_uid}{dose.number}@{UID_DOMAIN}"),  # digits and @ need no escaping
        fold(f"SEQUENCE:{int(dose.revision)}"),
        b"CATEGORIES:Medication",
        description,
    ]
    if dose.cancelled:  # a re-import removes the event instead of keeping a stale dose
        out.append(b"STATUS:CANCELLED")
    out.append(b"TRANSP:TRANSPARENT")
    if alarm and not dose.cancelled:
        out += [b"BEGIN:VALARM", b"ACTION:DISPLAY", fold("DESCRIPTION:" + title), *alarm]
    out.append(b"END:VEVENT")
    return out


def _reminder_lines(schedule: Schedule, number: int, reminder: Reminder, stamp: str) -> list[bytes]:
    """A reminder (review with your prescriber, end of this calendar) as an all-day VEVENT."""
    props = [
        ("SUMMARY", ":" + text(one_line(f"{title_name(schedule)} – {reminder.title}"))),
        ("DTSTART", date_value(reminder.on)),
        ("DTEND", date_value(reminder.on + dt.timedelta(days=1))),
        ("DTSTAMP", ":" + stamp),
        ("UID", ":" + text(uid(schedule, "reminder", number))),
        ("SEQUENCE", ":0"),
        ("DESCRIPTION", ":" + text(f"{reminder.text}\n\n{DISCLAIMER}")),
    ]
    return [fold(line) for line in component("VEVENT", props, _EVENT_ORDER)]


def to_ics(
    schedule: Schedule, stamp: dt.datetime, alarm_minutes: int | None = DEFAULT_ALARM_MINUTES, recurring: bool = False
) -> bytes:
    """The schedule as an iCalendar file; ``stamp`` (UTC) is the DTSTAMP, a parameter for reproducibility.
    ``recurring``: a compact file, one RRULE series per phase and time of day wherever a rule
    says the doses exactly (the rest stay single events)."""
    found = series(schedule) if recurring else []
    out = _head(schedule, found)
    utc_stamp = naive(stamp.astimezone(UTC) if stamp.tzinfo is not None else stamp) + "Z"
    dtstamp = fold("DTSTAMP:" + utc_stamp)
    description = _description(schedule)
    descriptions: dict[str, bytes] = {}  # the long description repeats in every event: fold it once
    phased = len({d.phase for d in schedule.doses}) > 1  # amounts differ between phases
    alarm = (
        [fold("TRIGGER:" + duration(dt.timedelta(minutes=-alarm_minutes))), b"END:VALARM"]
        if alarm_minutes is not None
        else []
    )
    dose_uid = text(f"{uid_prefix(schedule)}-dose-")
    in_series: set[int] = set()
    for index, one in enumerate(found, 1):
        doses = one[0]
        amount = f"Amount: {doses[0].amount}\n" if phased and doses[0].amount else ""
        out += series_lines(schedule, index, one, dtstamp, fold("DESCRIPTION:" + text(amount + description)), alarm)
        in_series.update(d.number for d in doses)
    for dose in schedule.doses:
        if dose.number in in_series:
            continue
        amount = f"Amount: {dose.amount}\n" if phased and dose.amount else ""
        if amount not in descriptions:
            descriptions[amount] = fold("DESCRIPTION:" + text(amount + description))
        said = descriptions[amount]
        if dose.revision and schedule.changes:  # a moved or skipped dose says which answer changed it
            said = fold("DESCRIPTION:" + text(amount + "\n".join(schedule.changes) + "\n\n" + description))
        out += _dose_lines(schedule, dose, dose_uid, dtstamp, said, alarm)
    for number, reminder in enumerate(schedule.reminders, 1):
        out += _reminder_lines(schedule, number, reminder, utc_stamp)
    out.append(b"END:VCALENDAR")
    return b"\r\n".join(out) + b"\r\n"
