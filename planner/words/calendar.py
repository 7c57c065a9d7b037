"""The course as a calendar picture for the patient: ``Schedule`` → what kind each day is,
its legend and colours, a month-by-month grid of cells, the key dates and a dose table;
and how to import the .ics into common calendar apps. Used by the app and the course
sheet alike, so both mark a day the same way. Pure and streamlit-free.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from ..model import WEEKDAY_NAMES, ReminderKind, Schedule
from .regimen import dose_how

IMPORT_HOWTO = (
    ("Google Calendar", "on a computer: Settings → Import & export → Import (Google uses its own reminders)."),
    ("Apple Calendar", "File → Import (on iPhone: open the file from Mail or Files, then Add All)."),
    ("Outlook", "Calendar → Add calendar → Upload from file."),
    ("Thunderbird", "File → Open → Calendar File."),
)
PHASE_COLOURS = ("#1f5fa8", "#8e44ad", "#1e8449", "#a04000", "#b03a75")
DAY_STYLE = {  # kind → (legend label, fill colour); phase kinds "dose-N" take PHASE_COLOURS
    "review": ("Review with your prescriber", "#c0392b"),
    "rest": ("Rest period: no doses", "#9e9e9e"),
    "course": ("No dose that day", "#e3ecf5"),
    "outside": ("Before or after the course", "#ffffff"),
}


def dose_table(schedule: Schedule) -> list[dict[str, Any]]:
    """One row per dose for people: "dose N of M", day, time with its zone, how to take it."""
    total = schedule.total
    phased = len(schedule.rule.regimen.phases) > 1 if schedule.rule.regimen else False
    rows = []
    for d in schedule.doses:
        row: dict[str, Any] = {
            "dose": f"{d.number} of {total}" if total else str(d.number),
            "day": f"{d.at:%a %d %b %Y}",
            "time": f"{d.at:%H:%M %Z}",
            "how": dose_how(schedule.phase_of(d), d.amount) or (d.amount or ""),
        }
        if phased:
            row["phase"] = d.phase
        if d.cancelled:
            row["how"] = "skipped (missed dose)"
        rows.append(row)
    return rows


def key_dates(schedule: Schedule) -> list[tuple[str, dt.date]]:
    """(label, date) of the course's first dose, its end (or the calendar's, when ongoing) and reviews."""
    active = schedule.active
    out = [("First dose", active[0].at.date())] if active else []
    if schedule.course_end:
        out.append(("Course end", schedule.course_end))
    elif active:
        out.append(("Calendar ends (ongoing)", active[-1].at.date()))
    out += [("Review with prescriber", r.on) for r in schedule.reminders if r.kind is ReminderKind.REVIEW]
    return out


def day_kinds(schedule: Schedule) -> dict[dt.date, str]:
    """What each day from the start to the last dose or review is: "dose-N" (a dose of phase
    N), "review", "rest" (a cycle's days off, or a gap between phases) or "course" (no dose)."""
    active = schedule.active
    if not active:
        return {}
    phases = schedule.rule.regimen.phases if schedule.rule.regimen else ()
    windows: dict[int, tuple[dt.date, dt.date]] = {}
    for d in active:
        low, high = windows.get(d.phase, (d.at.date(), d.at.date()))
        windows[d.phase] = (min(low, d.at.date()), max(high, d.at.date()))
    last = max([active[-1].at.date()] + [r.on for r in schedule.reminders])
    kinds: dict[dt.date, str] = {}
    day = min(schedule.start, active[0].at.date())
    while day <= last:
        kind = "rest" if day > active[0].at.date() else "course"
        for number, (low, high) in windows.items():
            cycle = phases[number - 1].cycle if 0 < number <= len(phases) else None
            if low <= day <= high:
                off = cycle is not None and (day - low).days % (cycle.on_days + cycle.off_days) >= cycle.on_days
                kind = "rest" if off else "course"
                break
        kinds[day] = kind
        day += dt.timedelta(days=1)
    for r in schedule.reminders:
        if r.kind is ReminderKind.REVIEW:
            kinds[r.on] = "review"
    for d in active:
        if kinds.get(d.at.date()) != "review":
            kinds[d.at.date()] = f"dose-{d.phase}"
    return kinds


def day_style(kind: str, phased: bool = False) -> tuple[str, str]:
    """(legend label, fill colour) of a day kind."""
    if kind.startswith("dose-"):
        number = int(kind.split("-")[1])
        label = f"Dose day, phase {number}" if phased else "Dose day"
        return label, PHASE_COLOURS[(number - 1) % len(PHASE_COLOURS)]
    return DAY_STYLE[kind]


def calendar_legend(schedule: Schedule) -> list[tuple[str, str, str]]:
    """(kind, label, colour) of each kind of day this course's calendar shows, in a fixed order."""
    present = set(day_kinds(schedule).values()) | {"outside"}
    phased = len({k for k in present if k.startswith("dose-")}) > 1
    order = sorted(k for k in present if k.startswith("dose-")) + ["review", "rest", "course", "outside"]
    return [(k, *day_style(k, phased)) for k in order if k in present]


def calendar_cells(schedule: Schedule) -> list[dict[str, Any]]:
    """Every day of every month the course touches, for a month-by-month calendar picture:
    month (title and order), week row, weekday, day number, kind label and the doses that day."""
    kinds = day_kinds(schedule)
    if not kinds:
        return []
    labels = {k: label for k, label, _ in calendar_legend(schedule)}
    total = schedule.total
    by_day: dict[dt.date, list[str]] = {}
    for d in schedule.active:
        by_day.setdefault(d.at.date(), []).append(f"dose {d.number}{f' of {total}' if total else ''} at {d.at:%H:%M}")
    first, last = min(kinds), max(kinds)
    cells = []
    year, month, order = first.year, first.month, 0
    while (year, month) <= (last.year, last.month):
        for row, week in enumerate(calendar.Calendar().monthdatescalendar(year, month)):
            for day in week:
                if day.month != month:
                    continue
                kind = kinds.get(day, "outside")
                cells.append(
                    {
                        "month": f"{calendar.month_name[month]} {year}",
                        "order": order,
                        "week": row,
                        "weekday": WEEKDAY_NAMES[day.weekday()][:2],
                        "day": day.day,
                        "date": day.isoformat(),
                        "kind": labels[kind],
                        "dark": kind.startswith("dose-") or kind in ("review", "rest"),
                        "doses": ", ".join(by_day.get(day, [])) or "—",
                    }
                )
        order += 1
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return cells
