"""Course requests: what someone asks the planner for → one ``CourseRequest`` value.

Four sources give a request, and all four read their values with the same parsers below
(dates, times of day, weekdays, zones, lengths), so they accept and refuse the same text:

- ``from_args``: the options of ``planner plan`` / ``planner missed`` (an argparse namespace);
- ``from_row``: a row of a clinic's batch CSV (``read.rows.Row``);
- ``from_widgets``: the app's widget values (``Widgets``);
- ``from_ics``: the X-PLANNER-* parameters of a calendar the planner wrote.

Input: text; output: a frozen ``CourseRequest``, or a ``PlannerError`` naming the bad value.
The request is the whole question; ``planner.course`` answers it (reads the rules, plans).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from ..clock import zone
from ..errors import PlannerError, ScheduleError
from ..model import WEEKDAY_NAMES, WEEKDAYS, Preferences, RuleSet
from .ics_params import plan_parameters
from .rows import REQUIRED, Row

DEFAULT_ALARM_MINUTES = 15  # the same default as write.ics (read may not import write)
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_LENGTH = 5 * 366  # --length counts days, weeks or months of a label's range: never more than 5 years
_WEEKDAY = {name: i for i, name in enumerate(WEEKDAYS)}
_WEEKDAY.update({n[:3].upper(): i for i, n in enumerate(WEEKDAY_NAMES)})
_WEEKDAY.update({n.upper(): i for i, n in enumerate(WEEKDAY_NAMES)})


class RulesSource(StrEnum):
    """Where a request's rules come from (``model.SourceKind`` is where a rule's regimen was read)."""

    DRUG = "drug"  # a bundled drug, by generic or brand name
    MONOGRAPH = "monograph"  # a monograph file, extracted now
    FHIR = "fhir"  # a FHIR MedicationRequest, Bundle or Dosage list (JSON file)
    RULES = "rules"  # rules already in memory (the app's upload or a prescriber's entry)


@dataclass(frozen=True)
class Source:
    """The rules a course is planned from: ``name`` is the drug or the file path; ``rules`` is set
    for ``RULES`` only."""

    kind: RulesSource
    name: str
    rules: RuleSet | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CourseRequest:
    """One course to plan. ``start`` is None only where a FHIR prescription names its own;
    ``regimen`` is a prescriber's regimen as YAML/JSON text (or ``@FILE``), ``sig`` the
    prescription's words; both replace the label's regimen for ``indication``."""

    source: Source
    indication: str | None
    start: dt.date | None
    preferences: Preferences = Preferences()
    option: int | None = None
    regimen: str | None = None
    sig: str | None = None
    accept_stale: bool = False
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES


# --- values, read the same way from every source -------------------------------------


def parse_date(text: str, key: str = "start") -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ScheduleError(f"not a date: {text!r}", key=key, hint="use YYYY-MM-DD, e.g. 2026-12-01") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:  # years 1 and 9999 overflow the plan's arithmetic
        raise ScheduleError(f"{text} is outside the years {MIN_YEAR} to {MAX_YEAR}", key=key, hint="check the year")
    return day


_CLOCK_24 = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
_CLOCK_12 = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?", re.IGNORECASE)


def _time_of_day(text: str) -> dt.time:
    """ "21:30", "9:30pm", "9.30 p.m.", "9 am" → a time; ValueError otherwise. Only hours and
    minutes: an offset (``08:00+05:00``) would be dropped, the zone is its own value; seconds,
    ``T0800`` and microseconds are not how people write a dose time, and a calendar keeps HH:MM."""
    if match := _CLOCK_24.fullmatch(text.strip()):
        return dt.time(int(match[1]), int(match[2]))
    match = _CLOCK_12.fullmatch(text.strip())
    if match is None or not 1 <= int(match[1]) <= 12 or int(match[2] or 0) > 59:
        raise ValueError(text)
    return dt.time(int(match[1]) % 12 + (12 if match[3].lower() == "p" else 0), int(match[2] or 0))


def parse_times(text: str) -> tuple[dt.time, ...]:
    try:
        return tuple(_time_of_day(part) for part in text.split(","))
    except ValueError:
        raise ScheduleError(
            f"not a time of day: {text!r}",
            key="time",
            hint="use HH:MM or 9:30pm, or HH:MM,HH:MM for several doses a day",
        ) from None


def parse_weekdays(text: str) -> tuple[int, ...]:
    days = []
    for part in text.split(","):
        key = part.strip()
        day = _WEEKDAY.get(key.upper())
        if day is None:
            raise ScheduleError(f"not a weekday: {key!r}", key="weekdays", hint="use MO,TU,WE,TH,FR,SA,SU")
        days.append(day)
    return tuple(days)


def parse_zone(text: str) -> str:
    """An IANA zone name, checked now (``clock.zone`` says what is wrong with another)."""
    zone(text.strip())
    return text.strip()


def parse_length(text: str | int) -> int:
    """A positive whole number of the label's range unit; "-3", "x" and 10**30 are refused."""
    value = str(text).strip()
    if not value.isascii() or not value.isdigit() or len(value) > 4 or not 1 <= int(value) <= MAX_LENGTH:
        raise ScheduleError(
            f"not a length: {text!r}", key="length", hint=f"a whole number from 1 to {MAX_LENGTH}, e.g. 3"
        )
    return int(value)


def parse_option(text: str) -> int:
    """The number of a label's option, as ``--option`` takes it (1, 2, ...)."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 2 or int(value) < 1:
        raise ScheduleError(f"not an option number: {text!r}", key="option", hint="a whole number from 1, e.g. 2")
    return int(value)


def parse_moment(text: str, key: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ScheduleError(
            f"not a date and time: {text!r}",
            key=key,
            hint="use YYYY-MM-DDTHH:MM, optionally with an offset such as +01:00",
        ) from None


def preferences(
    timezone: str = "UTC",
    time: str | None = None,
    weekdays: str | None = None,
    until: str | None = None,
    length: str | int | None = None,
    amount: str | None = None,
    neutral_titles: bool = False,
    event_start: str | None = None,
    event_end: str | None = None,
) -> Preferences:
    """Preferences from text, blank meaning "the rule's default"; shared by the four sources."""
    return Preferences(
        timezone=parse_zone(timezone),
        times=parse_times(time) if time and time.strip() else None,
        weekdays=parse_weekdays(weekdays) if weekdays and weekdays.strip() else None,
        until=parse_date(until, "until") if until and until.strip() else None,
        length=parse_length(length) if length is not None and str(length).strip() else None,
        amount=amount.strip() if amount and amount.strip() else None,
        neutral_titles=neutral_titles,
        event_start=parse_date(event_start, "event-start") if event_start and event_start.strip() else None,
        event_end=parse_date(event_end, "event-end") if event_end and event_end.strip() else None,
    )


# --- the four sources ------------------------------------------------------------------


def from_ics(text: str, path: str = "") -> CourseRequest:
    """The course a calendar the planner wrote was planned from (its X-PLANNER-* parameters);
    a damaged parameter is a ``PlannerError``, never a default."""
    p = plan_parameters(text, path)
    try:
        return CourseRequest(
            source=Source(RulesSource.DRUG, p["drug"]),
            indication=p["indication"],
            start=parse_date(p["start"]),
            preferences=preferences(
                p.get("timezone", "UTC"),
                p.get("time"),
                p.get("weekdays"),
                p.get("until"),
                p.get("length"),
                p.get("amount"),
                event_start=p.get("eventstart"),
                event_end=p.get("eventend"),
            ),  # fmt: skip
            regimen=p.get("regimen"),
            option=parse_option(p["option"]) if "option" in p else None,
        )
    except ScheduleError as exc:  # name the parameter, so "which file, which value" is one line
        key = (exc.key or "start").upper()
        raise PlannerError(f"X-PLANNER-{key} is damaged: {exc.message}", path=path or None, hint=exc.hint) from None


def from_args(args: argparse.Namespace, calendar: str | None = None) -> CourseRequest:
    """The options of ``plan`` or ``missed``. With ``--from-ics``, ``calendar`` is that file's
    text: its values are the defaults, and every option given on the command line wins (an
    option is given when it is not None, so ``--tz UTC`` counts)."""
    base = from_ics(calendar, args.from_ics) if calendar is not None else None
    old = base.preferences if base else Preferences()

    def given(option: str, fallback: str | None) -> str | None:
        value = getattr(args, option)
        return fallback if value is None else str(value)

    prefs = preferences(
        given("tz", old.timezone) or "UTC",
        given("time", ",".join(f"{t:%H:%M}" for t in old.times) if old.times else None),
        given("weekdays", ",".join(WEEKDAYS[d] for d in old.weekdays) if old.weekdays is not None else None),
        given("until", old.until.isoformat() if old.until else None),
        given("length", str(old.length) if old.length else None),
        given("amount", old.amount),
        event_start=given("event_start", old.event_start.isoformat() if old.event_start else None),
        event_end=given("event_end", old.event_end.isoformat() if old.event_end else None),
    )
    if base is not None:
        source = base.source
    elif args.drug is not None:
        source = Source(RulesSource.DRUG, args.drug)
    elif args.monograph is not None:
        source = Source(RulesSource.MONOGRAPH, args.monograph)
    else:
        source = Source(RulesSource.FHIR, args.fhir)
    return CourseRequest(
        source=source,
        indication=args.indication or (base.indication if base else None),
        start=parse_date(args.start) if args.start else base.start if base else None,
        preferences=prefs,
        option=args.option if args.option is not None else base.option if base else None,
        regimen=args.regimen if args.regimen is not None else base.regimen if base else None,
        sig=args.sig,
        accept_stale=args.accept_stale,
        alarm_minutes=None if args.alarm < 0 else args.alarm,
    )


def from_row(row: Row, alarm_minutes: int | None = DEFAULT_ALARM_MINUTES, accept_stale: bool = False) -> CourseRequest:
    """A batch CSV row, read as ``planner plan`` reads its options."""
    cells = row.cells
    for name in REQUIRED:
        if not cells.get(name):
            raise PlannerError("missing", key=name, hint="every row needs id, drug, indication, start, timezone")
    if row.extra:
        raise PlannerError(
            f"{row.extra} cell(s) more than the header has columns", hint='quote a cell that holds commas, e.g. "MO,TH"'
        )
    return CourseRequest(
        source=Source(RulesSource.DRUG, cells["drug"]),
        indication=cells["indication"],
        start=parse_date(cells["start"]),
        preferences=preferences(cells["timezone"], cells.get("time"), cells.get("weekdays"), cells.get("until")),
        accept_stale=accept_stale,
        alarm_minutes=alarm_minutes,
    )


@dataclass(frozen=True)
class Widgets:
    """The app's widget values as the widgets give them: a bundled drug's name (``drug``) or
    rules in memory (``rules``: an upload, or the label with a prescriber's entry added)."""

    indication: str
    start: dt.date
    timezone: str
    time: str = ""
    weekdays: tuple[str, ...] = ()  # BYDAY codes, as the multiselect holds them
    drug: str | None = None
    rules: RuleSet | None = None
    option: int | None = None
    amount: str | None = None
    neutral_titles: bool = False
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES


def from_widgets(w: Widgets) -> CourseRequest:
    """The app's course: the same parsing and checks as the CLI's (limits from ``planner.limits``
    are checked when the course is planned, for every source alike)."""
    if not MIN_YEAR <= w.start.year <= MAX_YEAR:
        raise ScheduleError(f"{w.start} is outside the years {MIN_YEAR} to {MAX_YEAR}", key="start")
    if w.rules is not None:
        source = Source(RulesSource.RULES, w.rules.source, w.rules)
    elif w.drug:
        source = Source(RulesSource.DRUG, w.drug)
    else:
        raise PlannerError("no medicine chosen", key="drug")
    prefs = preferences(w.timezone, w.time, ",".join(w.weekdays), amount=w.amount, neutral_titles=w.neutral_titles)
    return CourseRequest(
        source, w.indication, w.start, prefs, option=w.option, alarm_minutes=w.alarm_minutes, accept_stale=False
    )


def with_start(request: CourseRequest, start: dt.date) -> CourseRequest:
    """The same request starting on another day (the app's "start tomorrow")."""
    return replace(request, start=start)
