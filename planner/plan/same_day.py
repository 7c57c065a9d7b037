"""Stage 3, doses by the hour: a phase's ``offsets_hours`` + the course's first dose → its instants.

Pure. "2 tablets at once, then 1 more tablet 2 hours later" is elapsed time, as "every 8 hours"
is: each dose is the course's first dose plus its hours, counted in UTC and shown in the
patient's zone, so a clock change between two doses never makes them closer or further apart
than the label says (the first dose's wall time is placed by ``clock.local_time``, which moves
a time the clocks skip forward and says so).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ..clock import UTC, local_time
from ..model import Phase


def by_hour(phase: Phase) -> bool:
    """Single doses at hours from the course's first dose: offsets and no rhythm of their own."""
    return phase.offsets_hours is not None and phase.frequency is None and phase.interval is None


def by_the_hour(
    phase: Phase, start: dt.date, at: dt.time, tz: ZoneInfo, first: dt.datetime | None, notes: list[str]
) -> tuple[tuple[dt.datetime, ...], dt.date]:
    """The phase's doses and the day the next phase may start; ``first``: the course's first
    dose (None: this phase opens the course, at ``at`` on ``start``)."""
    assert phase.offsets_hours is not None
    anchor = (first or local_time(start, at, tz, notes)).astimezone(UTC)
    instants = tuple((anchor + dt.timedelta(hours=h)).astimezone(tz) for h in phase.offsets_hours)
    return instants, instants[-1].date() + dt.timedelta(days=1)
