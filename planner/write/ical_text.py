"""Stage 4, the text of iCalendar: values → RFC 5545 content lines, in icalendar 7's exact bytes.

TEXT escaping, parameters, dates, date-times (with their zone), durations, UTC offsets, folding
at 75 octets and the property order of a component. ``ics`` and ``vtimezone`` compose files
from these; nothing here knows about doses. Pure.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

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
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def text(value: str) -> str:
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


def one_line(value: str) -> str:
    """Control characters (CR, LF, …) become spaces in single-line properties such as SUMMARY."""
    return _CONTROL.sub(" ", value).strip()


def raw(value: str) -> str:
    """An X- or NAME value, written as given (no escaping) but never with a line break."""
    return one_line(value) if "\n" in value else value


def fold(line: str) -> bytes:
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


def param(value: str) -> str:
    """A parameter value, quoted where it holds a separator (icalendar also quotes ’)."""
    value = value.replace('"', "'")
    return f'"{value}"' if re.search("[,;:\u2019]", value) else value


def naive(at: dt.datetime) -> str:
    """The wall time of ``at`` as ``YYYYMMDDTHHMMSS``, whatever its zone."""
    return f"{at.year:04}{at.month:02}{at.day:02}T{at.hour:02}{at.minute:02}{at.second:02}"


def date_value(day: dt.date) -> str:
    """``;VALUE=DATE:YYYYMMDD`` (after the property name): an all-day value."""
    return f";VALUE=DATE:{day.year:04}{day.month:02}{day.day:02}"


def date_time(at: dt.datetime) -> str:
    """``;TZID=zone:local`` or ``:UTC…Z`` (after the property name) for an aware datetime."""
    before, after = _zone_affixes(at.tzinfo)
    return f"{before}{naive(at)}{after}"


@functools.lru_cache(maxsize=64)  # a file has one or two zones and thousands of times
def _zone_affixes(tz: dt.tzinfo | None) -> tuple[str, str]:
    name = getattr(tz, "key", None) or (tz.tzname(None) if isinstance(tz, dt.timezone) else None)
    if name in UTC_ZONE_IDS:
        return ":", "Z"
    return (f";TZID={param(name)}:" if name else ":"), ""


def duration(td: dt.timedelta) -> str:
    """A DURATION value (RFC 5545 3.3.6): ``-PT15M``, ``P1D``, ``P1DT2H``."""
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


def utc_offset(td: dt.timedelta) -> str:
    """A UTC-OFFSET value (RFC 5545 3.3.14): ``+0100``, ``-0330``, seconds only when there are some."""
    sign = "-" if td < dt.timedelta(0) else "+"
    seconds = int(abs(td).total_seconds())
    hours, minutes, rest = seconds // 3600, seconds % 3600 // 60, seconds % 60
    return f"{sign}{hours:02}{minutes:02}" + (f"{rest:02}" if rest else "")


def component(
    name: str, props: list[tuple[str, str]], order: tuple[str, ...] = (), children: tuple[list[str], ...] = ()
) -> list[str]:
    """BEGIN, the properties (``order`` first, then by name, as icalendar sorts them), the
    children, END. Each property is (name, the rest of its line after the name)."""
    rank = {key: i for i, key in enumerate(order)}
    props.sort(key=lambda p: (rank.get(p[0], len(order)), p[0]))
    lines = [f"BEGIN:{name}"] + [key + rest for key, rest in props]
    for child in children:
        lines.extend(child)
    lines.append(f"END:{name}")
    return lines
