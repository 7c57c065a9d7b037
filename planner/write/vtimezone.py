"""Stage 4, the zone of a calendar: ``ZoneInfo`` + the span of the doses → VTIMEZONE lines.

Each transition is its own STANDARD/DAYLIGHT block with a single DTSTART: icalendar's
``add_missing_timezones()`` packs transitions into one multi-value RDATE, which Thunderbird's
parser reads only the first value of (an hour off after DST; ``tests/test_icaljs.py``). The
transitions come from ``clock.transitions``; the lines are unfolded (``ics`` folds). Pure.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ..clock import UTC, transitions
from .ical_text import component, naive, raw, text, utc_offset

_TZID_ORDER = ("TZID",)
MARGIN = dt.timedelta(days=7)  # covered before the first dose and after the last


def vtimezone(tz: ZoneInfo, first: dt.datetime, last: dt.datetime) -> list[str]:
    """A VTIMEZONE covering [first, last]: one block for the offset at ``first``, then one
    block per transition, each with one DTSTART in the wall time before the change."""
    begin = (first - MARGIN).astimezone(UTC).replace(second=0, microsecond=0)
    end = (last + MARGIN).astimezone(UTC)
    start_local = begin.astimezone(tz)
    blocks = [(start_local.replace(tzinfo=None), start_local.utcoffset(), start_local)]
    for instant, offset_before in transitions(tz, begin, end):
        onset = instant.replace(tzinfo=None) + offset_before  # wall time before the change
        blocks.append((onset, offset_before, instant.astimezone(tz)))
    children = tuple(
        component(
            "DAYLIGHT" if local.dst() else "STANDARD",
            [
                ("TZNAME", ":" + text(local.tzname() or tz.key)),
                ("DTSTART", ":" + naive(onset)),
                ("TZOFFSETFROM", ":" + utc_offset(offset_from or dt.timedelta())),
                ("TZOFFSETTO", ":" + utc_offset(local.utcoffset() or dt.timedelta())),
            ],
        )
        for onset, offset_from, local in blocks
    )
    return component(
        "VTIMEZONE", [("TZID", ":" + text(tz.key)), ("X-LIC-LOCATION", ":" + raw(tz.key))], _TZID_ORDER, children
    )
