"""Stage 4: ``Schedule`` → iCalendar bytes (RFC 5545), written directly as text.

Choices made for real calendar programs:
- UIDs come from (drug, indication, start date, dose number), so re-importing a changed
  plan updates events instead of duplicating them;
- each VTIMEZONE transition is its own STANDARD/DAYLIGHT block with a single DTSTART
  (icalendar's ``add_missing_timezones()`` packs transitions into one multi-value RDATE,
  which Thunderbird's parser reads only the first value of: an hour off after DST);
- the title and description alone say what to do, since some clients drop VALARMs;
- the plan parameters ride along as X-PLANNER-* properties, so a course can be re-opened
  from its own file and nothing about the patient needs storing.

The file is a handful of property kinds, so they are written here as content lines, in the
exact bytes icalendar 7 wrote (property order, TEXT escaping, folding at 75 octets). Building
one icalendar object per property cost ~0.3 ms an event and importing icalendar ~20 ms per
CLI call; icalendar stays the tests' independent reader (``tests/test_batch.py`` re-writes
our files with it and requires the same bytes).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import re
from zoneinfo import ZoneInfo

from ..clock import UTC, block_end, is_repeated, is_skipped, zone
from ..model import DISCLAIMER, WEEKDAYS, CautionTopic, Dose, Schedule, SourceKind, slug
from ..read.schema import to_data
from ..words.before import event_description
from ..words.plan_text import dose_title, title_name
from ..words.regimen import describe_regimen

PRODID = "-//dosing-schedule-planner//planner//EN"
UID_DOMAIN = "dosing-planner"
DOSE_MINUTES = 15
DEFAULT_ALARM_MINUTES = 15
# Zones icalendar 7 treats as UTC: their times are written "…Z" (the same instants).
UTC_ZONE_IDS = frozenset(
    (
        "Africa/Abidjan",
        "Africa/Accra",
        "Africa/Bamako",
        "Africa/Banjul",
        "Africa/Conakry",
        "Africa/Dakar",
        "Africa/Freetown",
        "Africa/Lome",
        "Africa/Nouakchott",
        "Africa/Ouagadougou",
        "Africa/Timbuktu",
        "Atlantic/Reykjavik",
        "Atlantic/St_Helena",
        "Etc/GMT",
        "Etc/GMT+0",
        "Etc/GMT-0",
        "Etc/GMT0",
        "Etc/Greenwich",
        "Etc/UCT",
        "Etc/UTC",
        "Etc/Universal",
        "Etc/Zulu",
        "GMT",
        "GMT+0",
        "GMT-0",
        "GMT0",
        "Greenwich",
        "Iceland",
        "UCT",
        "UTC",
        "Universal",
        "Zulu",
    )
)
# Properties in these orders first, the rest alphabetically (as icalendar sorts them).
_CALENDAR_ORDER = ("VERSION", "PRODID", "CALSCALE", "METHOD", "DESCRIPTION", "X-WR-CALDESC", "NAME", "X-WR-CALNAME")
_EVENT_ORDER = ("SUMMARY", "DTSTART", "DTEND", "DURATION", "DTSTAMP", "UID", "RECURRENCE-ID", "SEQUENCE")
_TZID_ORDER = ("TZID",)


# --- content lines ------------------------------------------------------------------


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, ``;`` and ``,`` escaped, any line break as ``\\n``
    (and, as icalendar 7 does, a literal ``\\N`` taken for a line break first)."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _raw(value: str) -> str:
    """An X- or NAME value, written as given (no escaping) but never with a line break."""
    return one_line(value) if "\n" in value else value


def _fold(line: str) -> bytes:
    """A content line in UTF-8, folded below 75 octets: never inside a character, and never
    right after a backslash or ``^``, so an escape is not split across lines."""
    data = line.encode("utf-8")
    if len(data) < 75:
        return data
    parts = []
    start = 0
    while len(data) - start > 74:
        cut = start + 74
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        if data[cut - 1] in b"\\^" and cut - start > 1:
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def _param(value: str) -> str:
    value = value.replace('"', "'")
    return f'"{value}"' if re.search("[,;:\u2019]", value) else value


def _naive(at: dt.datetime) -> str:
    return f"{at.year:04}{at.month:02}{at.day:02}T{at.hour:02}{at.minute:02}{at.second:02}"


def _date(day: dt.date) -> str:
    return f";VALUE=DATE:{day.year:04}{day.month:02}{day.day:02}"


def _date_time(at: dt.datetime) -> str:
    """``;TZID=zone:local`` or ``:UTC…Z`` (after the property name) for an aware datetime."""
    before, after = _zone_affixes(at.tzinfo)
    return f"{before}{at.year:04}{at.month:02}{at.day:02}T{at.hour:02}{at.minute:02}{at.second:02}{after}"


@functools.lru_cache(maxsize=64)
def _zone_affixes(tz: dt.tzinfo | None) -> tuple[str, str]:
    name = getattr(tz, "key", None) or (tz.tzname(None) if isinstance(tz, dt.timezone) else None)
    if name in UTC_ZONE_IDS:
        return ":", "Z"
    return (f";TZID={_param(name)}:" if name else ":"), ""


def _duration(td: dt.timedelta) -> str:
    sign = "-" if td.days < 0 else ""
    td = -td if td.days < 0 else td
    time = ""
    if td.seconds:
        hours, minutes, seconds = td.seconds // 3600, td.seconds % 3600 // 60, td.seconds % 60
        time = (
            "T"
            + (f"{hours}H" if hours else "")
            + (f"{minutes}M" if minutes or hours and seconds else "")
            + (f"{seconds}S" if seconds else "")
        )
    return f"{sign}P{time}" if td.days == 0 and time else f"{sign}P{td.days}D{time}"


def _offset(td: dt.timedelta) -> str:
    sign = "-" if td < dt.timedelta(0) else "+"
    seconds = int(abs(td).total_seconds())
    hours, minutes, rest = seconds // 3600, seconds % 3600 // 60, seconds % 60
    return f"{sign}{hours:02}{minutes:02}" + (f"{rest:02}" if rest else "")


def _component(
    name: str, props: list[tuple[str, str]], order: tuple[str, ...] = (), children: tuple[list[str], ...] = ()
) -> list[str]:
    """BEGIN, the properties (``order`` first, then by name), the children, END."""
    rank = {key: i for i, key in enumerate(order)}
    props.sort(key=lambda p: (rank.get(p[0], len(order)), p[0]))
    lines = [f"BEGIN:{name}"] + [key + rest for key, rest in props]
    for child in children:
        lines.extend(child)
    lines.append(f"END:{name}")
    return lines


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


def vtimezone(tz: ZoneInfo, first: dt.datetime, last: dt.datetime) -> list[str]:
    """A VTIMEZONE covering [first, last]: one block for the offset at ``first``, then one
    block per transition, each with one DTSTART in the wall time before the change."""
    begin = (first - dt.timedelta(days=7)).astimezone(UTC).replace(second=0, microsecond=0)
    end = (last + dt.timedelta(days=7)).astimezone(UTC)
    start_local = begin.astimezone(tz)
    blocks = [(start_local.replace(tzinfo=None), start_local.utcoffset(), start_local)]
    for instant, offset_before in _transitions(tz, begin, end):
        onset = instant.replace(tzinfo=None) + offset_before  # wall time before the change
        blocks.append((onset, offset_before, instant.astimezone(tz)))
    children = tuple(
        _component(
            "DAYLIGHT" if local.dst() else "STANDARD",
            [
                ("TZNAME", ":" + _text(local.tzname() or tz.key)),
                ("DTSTART", ":" + _naive(onset)),
                ("TZOFFSETFROM", ":" + _offset(offset_from or dt.timedelta())),
                ("TZOFFSETTO", ":" + _offset(local.utcoffset() or dt.timedelta())),
            ],
        )
        for onset, offset_from, local in blocks
    )
    return _component(
        "VTIMEZONE", [("TZID", ":" + _text(tz.key)), ("X-LIC-LOCATION", ":" + _raw(tz.key))], _TZID_ORDER, children
    )


def one_line(text: str) -> str:
    """Control characters (CR, LF, …) become spaces in single-line properties such as SUMMARY."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()


def _unambiguous(at: dt.datetime) -> dt.datetime:
    """A wall time that happens twice (fall back) is written in UTC: RFC 5545 means the first
    one, but khal 0.10 and ical.js 2.2 take the second (an hour late), and the second one has
    no TZID writing at all. The file then carries no X-WR-TIMEZONE (see ``_writes_utc``)."""
    if is_repeated(at):
        return at.astimezone(UTC)
    return at


def _end(at: dt.datetime) -> dt.datetime:
    """DTEND of a dose at ``at``: DOSE_MINUTES of elapsed time later (``clock.block_end``); in
    UTC where it or the start is a repeated wall time, as ``_unambiguous`` writes a start."""
    end = block_end(at, dt.timedelta(minutes=DOSE_MINUTES))
    return end.astimezone(UTC) if _in_repeat(at) else end


def _in_repeat(at: dt.datetime) -> bool:
    """A dose whose block starts or ends at a repeated wall time: those times are written in UTC."""
    return is_repeated(at) or is_repeated(block_end(at, dt.timedelta(minutes=DOSE_MINUTES)))


def _writes_utc(schedule: Schedule, tz: ZoneInfo, series: list[tuple[list[Dose], str, dt.datetime]]) -> bool:
    """Whether some event time is written in UTC in a zone that is not UTC: a dose in a repeated
    hour, or an hourly series. Such a file must not carry X-WR-TIMEZONE: recurring-ical-events
    (through x-wr-timezone) turns UTC times into wall times of that zone and then reads the
    second 02:30 as the first, and expands an hourly series in wall-clock time, an hour off
    after each change (measured in docs/hardening.md; issue 16, item 3)."""
    if tz.key in UTC_ZONE_IDS:
        return False
    if any(start.tzinfo is UTC for _, _, start in series):
        return True
    return any(_in_repeat(d.at) for d in schedule.doses)


def uid(schedule: Schedule, kind: str, number: int) -> str:
    return f"{_uid_prefix(schedule)}-{kind}-{number}@{UID_DOMAIN}"


def _uid_prefix(schedule: Schedule) -> str:
    return f"{slug(schedule.drug)}-{schedule.rule.id}-{schedule.start.isoformat()}"


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
        "timezone": prefs.timezone,
    }
    if prefs.times:
        props["time"] = ",".join(f"{t:%H:%M}" for t in prefs.times)
    if prefs.weekdays is not None:
        props["weekdays"] = ",".join(WEEKDAYS[d] for d in prefs.weekdays)
    if prefs.until:
        props["until"] = prefs.until.isoformat()
    if prefs.length:
        props["length"] = str(prefs.length)
    # where the rule came from, so re-opening uses the same one (or refuses)
    source = schedule.rule.source
    props["source"] = SourceKind.FHIR.value if source.kind is SourceKind.FHIR else source.file
    if any(w.topic is CautionTopic.PRESCRIBER for w in schedule.warnings) and schedule.rule.regimen is not None:
        text = json.dumps(to_data(schedule.rule.regimen), separators=(",", ":"), sort_keys=True)
        props["regimen"] = base64.urlsafe_b64encode(text.encode()).decode()  # no , or ; to escape
    return props


# --- recurring series (--recurring) --------------------------------------------------------


def _planned(dose: Dose) -> dt.datetime:
    return dose.planned or dose.at


def _on_edge(at: dt.datetime) -> bool:
    """A wall time that a DST change repeats or skips: readers disagree there, so no series."""
    return is_repeated(at) or is_skipped(at)


def _rule(times: list[dt.datetime]) -> tuple[str, dt.datetime] | None:
    """An RRULE whose expansion gives exactly these instants (checked by expanding it), and
    its DTSTART; None where the instants follow no rule a calendar can say exactly."""
    from dateutil.rrule import rrulestr  # only for --recurring

    n, first = len(times), times[0]
    tz = first.tzinfo
    days = [t.date() for t in times]
    if n < 2:
        return None
    if len({t.time() for t in times}) == 1 and not any(_on_edge(t) for t in times):
        gaps = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
        weekdays = sorted({d.weekday() for d in days})
        span = [days[0] + dt.timedelta(days=k) for k in range((days[-1] - days[0]).days + 1)]
        if len(gaps) == 1:
            k = gaps.pop()
            rule = "FREQ=DAILY" + (f";INTERVAL={k}" if k > 1 else "") + f";COUNT={n}"
        elif [d for d in span if d.weekday() in weekdays] == days:
            rule = f"FREQ=WEEKLY;BYDAY={','.join(WEEKDAYS[w] for w in weekdays)};COUNT={n}"
        elif len({d.day for d in days}) == 1 and all(
            (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1 for a, b in zip(days, days[1:], strict=False)
        ):
            rule = f"FREQ=MONTHLY;COUNT={n}"
        else:
            return None
        start, expand = first, [t.replace(tzinfo=tz) for t in rrulestr(rule, dtstart=first.replace(tzinfo=None))]
    else:  # elapsed hours ("every 12 hours"): a UTC series keeps exact intervals across DST
        utc = [t.astimezone(UTC) for t in times]
        gaps = {b - a for a, b in zip(utc, utc[1:], strict=False)}
        hours = gaps.pop().total_seconds() / 3600 if len(gaps) == 1 else 0
        if not hours or hours != int(hours):
            return None
        rule = f"FREQ=HOURLY;INTERVAL={int(hours)};COUNT={n}"
        start, expand = utc[0], list(rrulestr(rule, dtstart=utc[0]))
    same = [a.astimezone(UTC) for a in expand] == [t.astimezone(UTC) for t in times]
    return (rule, start) if same else None


def _series(schedule: Schedule) -> list[tuple[list[Dose], str, dt.datetime]]:
    """Groups of doses (one phase, one time of day) that one RRULE describes exactly."""
    groups: dict[tuple[int, str], list[Dose]] = {}
    for dose in schedule.doses:
        hourly = any(
            p.interval and p.interval.unit.value == "hour"
            for p in (schedule.rule.regimen.phases[dose.phase - 1 : dose.phase] if schedule.rule.regimen else ())
        )
        slot = "" if hourly else _planned(dose).strftime("%H:%M")
        groups.setdefault((dose.phase, slot), []).append(dose)
    found = []
    for doses in groups.values():
        rule = _rule([_planned(d) for d in doses])
        if rule is not None:
            found.append((doses, *rule))
    return found


def _series_lines(
    schedule: Schedule,
    index: int,
    doses: list[Dose],
    rule: str,
    start: dt.datetime,
    dtstamp: bytes,
    description: bytes,
    alarm: list[bytes],
) -> list[bytes]:
    """The series VEVENT (RRULE, EXDATE for skipped doses) and one override per moved dose,
    its RECURRENCE-ID in the event's own zone (written in UTC, some readers show both)."""
    name = schedule.rule.name.lower() or schedule.rule.id
    total = len(schedule.doses) if not schedule.ongoing else None
    numbers = f"doses {doses[0].number}–{doses[-1].number}" + (f" of {total}" if total else "")
    title = _text(one_line(f"{schedule.drug} – {name} ({numbers})"))
    series_uid = _fold(f"UID:{_text(_uid_prefix(schedule))}-series-{index}@{UID_DOMAIN}")
    sequence = max([d.revision for d in doses if d.cancelled] + [0])
    out = [
        b"BEGIN:VEVENT",
        _fold("SUMMARY:" + title),
        _fold("DTSTART" + _date_time(start)),
        _fold("DTEND" + _date_time(start + dt.timedelta(minutes=DOSE_MINUTES))),
        dtstamp,
        series_uid,
        _fold(f"SEQUENCE:{sequence}"),
        b"CATEGORIES:Medication",
        description,
    ]
    out += [
        _fold("EXDATE" + _date_time(_planned(d) if start.tzinfo is not UTC else _planned(d).astimezone(UTC)))
        for d in doses
        if d.cancelled
    ]
    out += [_fold("RRULE:" + rule), b"TRANSP:TRANSPARENT"]
    if alarm:
        out += [b"BEGIN:VALARM", b"ACTION:DISPLAY", _fold("DESCRIPTION:" + title), *alarm]
    out.append(b"END:VEVENT")
    for dose in (d for d in doses if d.planned is not None and not d.cancelled):
        when = dose.planned if start.tzinfo is not UTC else dose.planned.astimezone(UTC)
        dose_title_text = _text(one_line(dose_title(schedule, dose.number)))
        out += [
            b"BEGIN:VEVENT",
            _fold("SUMMARY:" + dose_title_text),
            _fold("DTSTART" + _date_time(_unambiguous(dose.at))),
            _fold("DTEND" + _date_time(_end(dose.at))),
            dtstamp,
            series_uid,
            _fold("RECURRENCE-ID" + _date_time(when)),
            _fold(f"SEQUENCE:{dose.revision}"),
            b"CATEGORIES:Medication",
            description,
            b"TRANSP:TRANSPARENT",
        ]
        if alarm:
            out += [b"BEGIN:VALARM", b"ACTION:DISPLAY", _fold("DESCRIPTION:" + dose_title_text), *alarm]
        out.append(b"END:VEVENT")
    return out


def to_ics(
    schedule: Schedule, stamp: dt.datetime, alarm_minutes: int | None = DEFAULT_ALARM_MINUTES, recurring: bool = False
) -> bytes:
    """The schedule as an iCalendar file; ``stamp`` (UTC) is the DTSTAMP, a parameter for reproducibility.
    ``recurring``: a compact file, one RRULE series per phase and time of day wherever a rule
    says the doses exactly (the rest stay single events)."""
    tz = zone(schedule.preferences.timezone)
    name = one_line(
        title_name(schedule)
        if schedule.preferences.neutral_titles
        else f"{schedule.drug} – {schedule.rule.name or schedule.rule.id}"
    )
    about = f"{describe_regimen(schedule.rule.regimen)}. {DISCLAIMER}"
    props = [
        ("VERSION", ":2.0"),
        ("PRODID", ":" + _text(PRODID)),
        ("CALSCALE", ":GREGORIAN"),
        ("METHOD", ":PUBLISH"),
        ("DESCRIPTION", ":" + _text(about)),
        ("X-WR-CALDESC", ":" + _raw(about)),
        ("NAME", ":" + _raw(name)),
        ("X-WR-CALNAME", ":" + _raw(name)),
        ("UID", ":" + _text(uid(schedule, "calendar", 0))),
    ]
    series = _series(schedule) if recurring else []
    if not _writes_utc(schedule, tz, series):
        props.append(("X-WR-TIMEZONE", ":" + _raw(tz.key)))
    props += [
        (f"X-PLANNER-{key.upper()}", ":" + _raw(one_line(value))) for key, value in plan_properties(schedule).items()
    ]
    head = _component("VCALENDAR", props, _CALENDAR_ORDER)[:-1]
    if schedule.doses:
        head += vtimezone(tz, schedule.doses[0].at, schedule.doses[-1].at)
    out = [_fold(line) for line in head]
    naive_stamp = stamp.astimezone(UTC) if stamp.tzinfo is not None else stamp
    dtstamp = f"DTSTAMP:{_naive(naive_stamp)}Z"
    dtstamp_line = _fold(dtstamp)
    description = _description(schedule)
    descriptions: dict[str, bytes] = {}  # the long description repeats in every event: fold it once
    phased = len({d.phase for d in schedule.doses}) > 1  # amounts differ between phases
    alarm_end = (
        [_fold("TRIGGER:" + _duration(dt.timedelta(minutes=-alarm_minutes))), b"END:VALARM"]
        if alarm_minutes is not None
        else []
    )
    dose_uid = _text(f"{_uid_prefix(schedule)}-dose-")  # + number@domain: digits and @ need no escaping
    in_series: set[int] = set()
    if recurring:
        for index, (doses, rule, start_at) in enumerate(series, 1):
            amount = f"Amount: {doses[0].amount}\n" if phased and doses[0].amount else ""
            text = _fold("DESCRIPTION:" + _text(amount + description))
            out += _series_lines(schedule, index, doses, rule, start_at, dtstamp_line, text, alarm_end)
            in_series.update(d.number for d in doses)
    for dose in (d for d in schedule.doses if d.number not in in_series):
        # SUMMARY … SEQUENCE first, then the other properties by name: icalendar's order
        title = _text(one_line(dose_title(schedule, dose.number) + (" – skipped" if dose.cancelled else "")))
        start = _unambiguous(dose.at)
        amount = f"Amount: {dose.amount}\n" if phased and dose.amount else ""
        if amount not in descriptions:
            descriptions[amount] = _fold("DESCRIPTION:" + _text(amount + description))
        text = descriptions[amount]
        if dose.revision and schedule.changes:  # a moved or skipped dose says which answer changed it
            text = _fold("DESCRIPTION:" + _text(amount + "\n".join(schedule.changes) + "\n\n" + description))
        out += [
            b"BEGIN:VEVENT",
            _fold("SUMMARY:" + title),
            _fold("DTSTART" + _date_time(start)),
            _fold("DTEND" + _date_time(_end(dose.at))),
            dtstamp_line,
            _fold(f"UID:{dose_uid}{dose.number}@{UID_DOMAIN}"),
            _fold(f"SEQUENCE:{int(dose.revision)}"),
            b"CATEGORIES:Medication",
            text,
        ]
        if dose.cancelled:  # a re-import removes the event instead of keeping a stale dose
            out.append(b"STATUS:CANCELLED")
        out.append(b"TRANSP:TRANSPARENT")
        if alarm_end and not dose.cancelled:
            out += [b"BEGIN:VALARM", b"ACTION:DISPLAY", _fold("DESCRIPTION:" + title), *alarm_end]
        out.append(b"END:VEVENT")
    for number, reminder in enumerate(schedule.reminders, 1):
        out += [
            _fold(line)
            for line in _component(
                "VEVENT",
                [
                    ("SUMMARY", ":" + _text(one_line(f"{title_name(schedule)} – {reminder.title}"))),
                    ("DTSTART", _date(reminder.on)),
                    ("DTEND", _date(reminder.on + dt.timedelta(days=1))),
                    ("DTSTAMP", dtstamp[7:]),
                    ("UID", ":" + _text(uid(schedule, "reminder", number))),
                    ("SEQUENCE", ":0"),
                    ("DESCRIPTION", ":" + _text(f"{reminder.text}\n\n{DISCLAIMER}")),
                ],
                _EVENT_ORDER,
            )
        ]
    out.append(b"END:VCALENDAR")
    return b"\r\n".join(out) + b"\r\n"
