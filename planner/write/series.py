"""Stage 4, ``--recurring``: ``Schedule`` → RRULE series wherever a rule says the doses exactly.

Doses of one phase at one time of day become one VEVENT with an RRULE, checked by expanding
the rule and comparing instants; a skipped dose is an EXDATE and a moved one an override with
a RECURRENCE-ID. Wall times a DST change repeats or skips get no series (readers disagree
there), and an hour-based rhythm is a UTC series (exact intervals across DST). Pure.
"""

from __future__ import annotations

import datetime as dt

# rrule costs ~0.7 ms once relativedelta (the scheduler's) is loaded: no need to defer it
from dateutil.rrule import rrulestr

from ..clock import UTC, on_dst_edge
from ..model import WEEKDAYS, Dose, Schedule, Unit
from ..words.plan_text import dose_title
from .events import DOSE_MINUTES, UID_DOMAIN, end, uid_prefix, unambiguous
from .ical_text import date_time, fold, one_line, text

Series = tuple[list[Dose], str, dt.datetime]  # the doses, the RRULE, its DTSTART


def _planned(dose: Dose) -> dt.datetime:
    return dose.planned or dose.at


def _wall_rule(times: list[dt.datetime]) -> str | None:
    """A DAILY, WEEKLY or MONTHLY rule for doses at one wall time; None when none fits."""
    n = len(times)
    days = [t.date() for t in times]
    gaps = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
    weekdays = sorted({d.weekday() for d in days})
    span = [days[0] + dt.timedelta(days=k) for k in range((days[-1] - days[0]).days + 1)]
    if len(gaps) == 1:
        k = gaps.pop()
        return "FREQ=DAILY" + (f";INTERVAL={k}" if k > 1 else "") + f";COUNT={n}"
    if [d for d in span if d.weekday() in weekdays] == days:
        return f"FREQ=WEEKLY;BYDAY={','.join(WEEKDAYS[w] for w in weekdays)};COUNT={n}"
    if len({d.day for d in days}) == 1 and all(
        (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1 for a, b in zip(days, days[1:], strict=False)
    ):
        return f"FREQ=MONTHLY;COUNT={n}"
    return None


def rule(times: list[dt.datetime]) -> tuple[str, dt.datetime] | None:
    """An RRULE whose expansion gives exactly these instants (checked by expanding it), and
    its DTSTART; None where the instants follow no rule a calendar can say exactly."""
    if len(times) < 2:
        return None
    first = times[0]
    if len({t.time() for t in times}) == 1 and not any(on_dst_edge(t) for t in times):
        said = _wall_rule(times)
        if said is None:
            return None
        wall = rrulestr(said, dtstart=first.replace(tzinfo=None))  # expanded in wall time, as a reader does
        start, expand = first, [t.replace(tzinfo=first.tzinfo) for t in wall]
    else:  # elapsed hours ("every 12 hours"): a UTC series keeps exact intervals across DST
        utc = [t.astimezone(UTC) for t in times]
        gaps = {b - a for a, b in zip(utc, utc[1:], strict=False)}
        hours = gaps.pop().total_seconds() / 3600 if len(gaps) == 1 else 0
        if not hours or hours != int(hours):
            return None
        said = f"FREQ=HOURLY;INTERVAL={int(hours)};COUNT={len(times)}"
        start, expand = utc[0], list(rrulestr(said, dtstart=utc[0]))
    same = [a.astimezone(UTC) for a in expand] == [t.astimezone(UTC) for t in times]
    return (said, start) if same else None


def series(schedule: Schedule) -> list[Series]:
    """Groups of doses (one phase, one time of day) that one RRULE describes exactly."""
    phases = schedule.rule.regimen.phases if schedule.rule.regimen else ()
    groups: dict[tuple[int, str], list[Dose]] = {}
    for dose in schedule.doses:
        hourly = any(p.interval and p.interval.unit is Unit.HOUR for p in phases[dose.phase - 1 : dose.phase])
        slot = "" if hourly else _planned(dose).strftime("%H:%M")
        groups.setdefault((dose.phase, slot), []).append(dose)
    found = []
    for doses in groups.values():
        said = rule([_planned(d) for d in doses])
        if said is not None:
            found.append((doses, *said))
    return found


def series_lines(
    schedule: Schedule,
    index: int,
    found: Series,
    dtstamp: bytes,
    description: bytes,
    alarm: list[bytes],
) -> list[bytes]:
    """The series VEVENT (RRULE, EXDATE for skipped doses) and one override per moved dose,
    its RECURRENCE-ID in the event's own zone (written in UTC, some readers show both)."""
    doses, said, start = found
    in_utc = start.tzinfo is UTC
    name = schedule.rule.name.lower() or schedule.rule.id
    total = len(schedule.doses) if not schedule.ongoing else None
    numbers = f"doses {doses[0].number}–{doses[-1].number}" + (f" of {total}" if total else "")
    title = text(one_line(f"{schedule.drug} – {name} ({numbers})"))
    series_uid = fold(f"UID:{text(uid_prefix(schedule))}-series-{index}@{UID_DOMAIN}")
    sequence = max([d.revision for d in doses if d.cancelled] + [0])
    out = [
        b"BEGIN:VEVENT",
        fold("SUMMARY:" + title),
        fold("DTSTART" + date_time(start)),
        fold("DTEND" + date_time(start + dt.timedelta(minutes=DOSE_MINUTES))),
        dtstamp,
        series_uid,
        fold(f"SEQUENCE:{sequence}"),
        b"CATEGORIES:Medication",
        description,
    ]
    out += [
        fold("EXDATE" + date_time(_planned(d).astimezone(UTC) if in_utc else _planned(d))) for d in doses if d.cancelled
    ]
    out += [fold("RRULE:" + said), b"TRANSP:TRANSPARENT"]
    if alarm:
        out += [b"BEGIN:VALARM", b"ACTION:DISPLAY", fold("DESCRIPTION:" + title), *alarm]
    out.append(b"END:VEVENT")
    for dose in doses:
        if dose.planned is None or dose.cancelled:
            continue
        when = dose.planned.astimezone(UTC) if in_utc else dose.planned
        dose_title_text = text(one_line(dose_title(schedule, dose.number)))
        out += [
            b"BEGIN:VEVENT",
            fold("SUMMARY:" + dose_title_text),
            fold("DTSTART" + date_time(unambiguous(dose.at))),
            fold("DTEND" + date_time(end(dose.at))),
            dtstamp,
            series_uid,
            fold("RECURRENCE-ID" + date_time(when)),
            fold(f"SEQUENCE:{dose.revision}"),
            b"CATEGORIES:Medication",
            description,
            b"TRANSP:TRANSPARENT",
        ]
        if alarm:
            out += [b"BEGIN:VALARM", b"ACTION:DISPLAY", fold("DESCRIPTION:" + dose_title_text), *alarm]
        out.append(b"END:VEVENT")
    return out
