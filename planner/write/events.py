"""Stage 4, one dose as a calendar event: ``Schedule`` + ``Dose`` → its UID and the times written.

UIDs come from (drug, indication, start date, dose number), so re-importing a changed plan
updates events instead of duplicating them. Times: a dose is a block of ``DOSE_MINUTES`` of
elapsed time, and a wall time that the clocks repeat (fall back) is written in UTC, since
readers disagree about which of the two it means. Shared by ``ics`` (single events) and
``series`` (RRULE series and their overrides). Pure.
"""

from __future__ import annotations

import datetime as dt

from ..clock import UTC, block_end, is_repeated
from ..model import Schedule, slug

UID_DOMAIN = "dosing-planner"
DOSE_MINUTES = 15
_DOSE = dt.timedelta(minutes=DOSE_MINUTES)


def uid_prefix(schedule: Schedule) -> str:
    return f"{slug(schedule.drug)}-{schedule.rule.id}-{schedule.start.isoformat()}"


def uid(schedule: Schedule, kind: str, number: int) -> str:
    """``<drug>-<indication>-<start>-<kind>-<number>@dosing-planner``: the same plan, the same UIDs."""
    return f"{uid_prefix(schedule)}-{kind}-{number}@{UID_DOMAIN}"


def unambiguous(at: dt.datetime) -> dt.datetime:
    """A wall time that happens twice (fall back) is written in UTC: RFC 5545 means the first
    one, but khal 0.10 and ical.js 2.2 take the second (an hour late), and the second one has
    no TZID writing at all. The file then carries no X-WR-TIMEZONE (see ``ics._writes_utc``)."""
    if is_repeated(at):
        return at.astimezone(UTC)
    return at


def end(at: dt.datetime) -> dt.datetime:
    """DTEND of a dose at ``at``: DOSE_MINUTES of elapsed time later (``clock.block_end``); in
    UTC where it or the start is a repeated wall time, as ``unambiguous`` writes a start."""
    block = block_end(at, _DOSE)
    return block.astimezone(UTC) if is_repeated(at) or is_repeated(block) else block


def in_repeat(at: dt.datetime) -> bool:
    """A dose whose block starts or ends at a repeated wall time: those times are written in UTC."""
    return is_repeated(at) or is_repeated(block_end(at, _DOSE))
