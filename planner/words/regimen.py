"""Presentation: ``RuleSet`` / ``Schedule`` → plain data, text and month grids for people.

Pure and streamlit-free, so the CLI, the app and the calendar export share every string.
The plain-language regimen is generated from the structured rule, never copied from
the sentence, so a reviewer can see at once whether the two agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from ..model import (
    DISCLAIMER,
    Dose,
    DosingRule,
    DurationKind,
    Phase,
    Regimen,
    RuleSet,
    Schedule,
    Unit,
)
from ..read.schema import to_data
from .missed import (  # noqa: F401  (their home is words/missed.py)
    advice_data,
    advice_text,
    answer_lines,
    missed_rule_summary,
)

_COUNT_WORDS = {1: "once", 2: "twice"}
_ANCHOR_TEXT = {
    "bedtime": "at bedtime",
    "morning": "in the morning",
    "evening": "in the evening",
    "before-breakfast": "before breakfast",
    "with-meal": "with a meal",
    "after-meal": "after a meal",
}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def _rhythm(phase: Phase) -> str:
    f, i = phase.frequency, phase.interval
    if f is not None:
        times = _COUNT_WORDS.get(f.times, f"{f.times} times")
        return {
            Unit.DAY: f"{times} a day",
            Unit.WEEK: f"{times} a week",
            Unit.MONTH: f"{times} a month",
            Unit.HOUR: f"{times} an hour",
        }[f.per]
    if i is not None:
        if i.every == 1:
            return {
                Unit.DAY: "once a day",
                Unit.WEEK: "once a week",
                Unit.MONTH: "once a month",
                Unit.HOUR: "every hour",
            }[i.unit]
        return "every other day" if (i.every, i.unit) == (2, Unit.DAY) else f"every {i.every} {i.unit.value}s"
    return "once"


def _duration(phase: Phase) -> str | None:
    d = phase.duration
    if phase.doses == 1 and phase.frequency is None and phase.interval is None:
        return "a single dose" + (f" on day {phase.start_day}" if phase.start_day else "")
    if phase.doses is not None and d is None:
        return f"for {phase.doses} doses"
    if d is None and phase.cycle is not None:
        return None  # the cycle count says how long
    if d is None or d.kind is DurationKind.ONGOING:
        return "ongoing, with no set end"
    unit = d.unit.value
    if d.kind is DurationKind.FIXED:
        days = (
            f" (days {phase.start_day} to {phase.start_day + (d.min or 1) - 1})"
            if phase.start_day and d.unit is Unit.DAY
            else ""
        )
        return f"for {_plural(d.min or 0, unit)}{days}"
    if d.kind is DurationKind.UP_TO:
        return f"for up to {_plural(d.max or 0, unit)}"
    return f"for {d.min} to {_plural(d.max or 0, unit)}"


def expected_doses(phase: Phase) -> int | None:
    """How many doses the label's own numbers give, where they give one exact count."""
    if phase.doses is not None:
        return phase.doses
    d, f = phase.duration, phase.frequency
    if d is None or d.kind is DurationKind.ONGOING or f is None or phase.cycle is not None:
        return None
    length = d.max if d.kind is DurationKind.UP_TO else d.min
    if length is None or d.unit is Unit.MONTH and f.per is not Unit.MONTH:
        return None
    if f.per is d.unit:
        return f.times * length
    if f.per is Unit.DAY and d.unit is Unit.WEEK:
        return f.times * length * 7
    return None


def describe_phase(phase: Phase, noun: str = "doses") -> str:
    parts = [phase.amount] if phase.amount else []
    single = phase.frequency is None and phase.interval is None
    if not single:
        parts.append(_rhythm(phase))
    s = phase.spacing
    if s is not None:
        if s.max_days and s.max_days != s.min_days:
            parts.append(f"{s.min_days} to {s.max_days} days apart")
        elif s.max_days:
            parts.append(f"{_plural(s.min_days, 'day')} apart")
        else:
            parts.append(f"at least {_plural(s.min_days, 'day')} apart")
    if phase.max_per_day == 1 and not (phase.frequency and phase.frequency.per is Unit.DAY):
        parts.append("never more than once a day")
    if phase.cycle is not None:
        c = phase.cycle
        cycles = f", {'up to ' if c.up_to else ''}{_plural(c.repeats, 'cycle')}" if c.repeats else ""
        parts.append(f"{c.on_days} days on, {c.off_days} days off{cycles}")
    duration = _duration(phase)
    count = expected_doses(phase)
    if duration:
        noun = noun[:-1] if count == 1 and noun.endswith("s") else noun
        parts.append(duration + (f" ({count} {noun})" if count and phase.doses is None else ""))
    if phase.time_of_day:
        parts.append(_ANCHOR_TEXT.get(phase.time_of_day, phase.time_of_day))
    return ", ".join(parts)


def describe_regimen(regimen: Regimen | None) -> str:
    """e.g. "thin layer, twice a week, 3 to 4 days apart, for 16 weeks (32 doses), at bedtime"."""
    if regimen is None:
        return "needs review: no regimen"
    texts = [describe_phase(p) for p in regimen.phases]
    return texts[0] if len(texts) == 1 else "; then ".join(texts)


def rule_data(rule: DosingRule) -> dict[str, Any]:
    """One indication as the CLI's JSON contract names it (plus provenance and a plain rendering)."""
    data: dict[str, Any] = to_data(rule)
    data.setdefault("regimen", {})
    data["source_text"] = rule.source.sentence
    data["plain"] = describe_regimen(rule.regimen)
    return data


def ruleset_data(ruleset: RuleSet) -> dict[str, Any]:
    data: dict[str, Any] = to_data(ruleset)
    data["indications"] = [rule_data(r) for r in ruleset.rules]
    return data


_TOPIC_LABELS = {"age": "Age", "contraindication": "Contraindication", "missed-dose": "Missed dose", "dosing": "Dosing"}


def warning_texts(schedule: Schedule) -> list[str]:
    """Scheduler notes first (what this plan changed), then the monograph's warnings, labelled."""
    labelled = [
        f"{_TOPIC_LABELS[w.topic]}: {w.text}" if w.topic in _TOPIC_LABELS else w.text for w in schedule.warnings
    ]
    return list(schedule.notes) + labelled


def dose_total(schedule: Schedule) -> int | None:
    """The "M" of "dose N of M": unknown for ongoing plans, which stop only at the horizon."""
    return None if schedule.ongoing else len(schedule.doses)


NEUTRAL_NAME = "Medication"  # what a neutral title says instead of the drug (lock screens, shared calendars)


def title_name(schedule: Schedule) -> str:
    """The drug's name in titles, or "Medication" where the patient asked for neutral titles."""
    return NEUTRAL_NAME if schedule.preferences.neutral_titles else schedule.drug


def dose_title(schedule: Schedule, number: int) -> str:
    """ "Imiquimod – dose 3 of 32 (actinic keratosis)", or neutral: "Medication – dose 3 of 32"."""
    total = dose_total(schedule)
    of = f" of {total}" if total else ""
    if schedule.preferences.neutral_titles:
        return f"{NEUTRAL_NAME} – dose {number}{of}"
    name = schedule.rule.name.lower() or schedule.rule.id
    return f"{schedule.drug} – dose {number}{of} ({name})"


def instructions(schedule: Schedule) -> str:
    """How to take each dose: the structured rule in words, then the label's own sentence."""
    return f"{describe_regimen(schedule.rule.regimen)}. Label: {schedule.rule.source.sentence}"


def schedule_data(schedule: Schedule) -> dict[str, Any]:
    """The plan as the CLI's JSON contract names it."""
    prefs = schedule.preferences
    return {
        "drug": schedule.drug,
        "indication": schedule.rule.id,
        "indication_name": schedule.rule.name,
        "timezone": prefs.timezone,
        "start": schedule.start.isoformat(),
        "ongoing": schedule.ongoing,
        "course_end": schedule.course_end.isoformat() if schedule.course_end else None,
        "plain": describe_regimen(schedule.rule.regimen),
        "source_text": schedule.rule.source.sentence,
        "doses": dose_rows(schedule.active),
        "reminders": [{"on": r.on.isoformat(), "text": r.text} for r in schedule.reminders],
        "warnings": warning_texts(schedule),
        "missed_dose": schedule.missed_dose.text if schedule.missed_dose else "",
        "disclaimer": DISCLAIMER,
    }


def schedule_text(schedule: Schedule) -> str:
    """A readable plan for the terminal: summary, doses, reminders, warnings, disclaimer."""
    lines = [
        f"{schedule.drug} – {schedule.rule.name or schedule.rule.id}",
        f"Regimen: {describe_regimen(schedule.rule.regimen)}",
        f"Label:   {schedule.rule.source.sentence}",
        f"Time zone: {schedule.preferences.timezone}",
        "",
    ]
    total = dose_total(schedule)
    for d in schedule.doses:
        amount = f"  {d.amount}" if d.amount else ""
        of = f"/{total}" if total else ""
        lines.append(f"  {d.number:>3}{of}  {d.at:%a %Y-%m-%d %H:%M %Z}{amount}")
    if schedule.course_end:
        lines.append(f"\nCourse ends: {schedule.course_end:%a %Y-%m-%d}")
    else:
        lines.append("\nOngoing: this plan stops at the horizon; make a new one to continue.")
    lines += [f"Reminder {r.on:%Y-%m-%d}: {r.text}" for r in schedule.reminders]
    if schedule.missed_dose:
        lines += ["", f"If you miss a dose: {schedule.missed_dose.text}"]
    if schedule.warnings or schedule.notes:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in warning_texts(schedule)]
    lines += ["", DISCLAIMER]
    return "\n".join(lines) + "\n"


def month_grids(schedule: Schedule) -> list[tuple[str, list[list[tuple[int, str]]]]]:
    """Each month of the course as weeks of (day, mark): mark is "" or the phase number as text,
    "R" for a reminder day; day 0 pads the weeks."""
    if not schedule.doses:
        return []
    marks: dict[dt.date, str] = {}
    for r in schedule.reminders:
        marks[r.on] = "R"
    for d in schedule.doses:
        marks[d.at.date()] = str(d.phase)
    first, last = schedule.doses[0].at.date(), max(marks)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        weeks = [
            [(day, marks.get(dt.date(year, month, day), "") if day else "") for day in week]
            for week in calendar.Calendar().monthdayscalendar(year, month)
        ]
        months.append((f"{calendar.month_name[month]} {year}", weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_markdown(title: str, weeks: list[list[tuple[int, str]]]) -> str:
    """A month grid as a markdown table: ● a dose day (phase number when several), ◆ a reminder."""
    head = "| " + " | ".join(d[:2] for d in WEEKDAY_NAMES) + " |\n|" + "---|" * 7 + "\n"

    def cell(day: int, mark: str) -> str:
        if not day:
            return " "
        symbol = {"": "", "R": " ◆", "1": " ●"}.get(mark, f" ●{mark}")
        return f"**{day}**{symbol}" if mark and mark != "R" else f"{day}{symbol}"

    rows = "".join("| " + " | ".join(cell(d, m) for d, m in week) + " |\n" for week in weeks)
    return f"**{title}**\n\n{head}{rows}"


def highlighted_source(rule: DosingRule) -> str:
    """The source sentence as markdown with each value that produced a number in bold,
    tagged with its field: "**2 times per week** _(frequency)_". Markdown in the sentence
    itself is escaped, so monograph text cannot inject formatting or HTML."""
    sentence, out, at = rule.source.sentence, [], 0
    for span in sorted(rule.source.spans, key=lambda s: s.start):
        if span.start < at:
            continue
        out.append(escape_markdown(sentence[at : span.start]))
        out.append(f"**{escape_markdown(sentence[span.start:span.end])}** _({span.field.replace('_', ' ')})_")
        at = span.end
    out.append(escape_markdown(sentence[at:]))
    return "".join(out)


_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]<>()#+-.!|~$:&@=\"'^%")
# GFM autolinks are found in the text after escapes are undone (mdast-util-gfm-autolink-literal),
# so a backslash cannot stop "https://", "www." or "a@b.c": an invisible word joiner does.
_AUTOLINK = re.compile(r"(?i)(https?|www|ftp|mailto)(?=[:.])|(?=@)")
WORD_JOINER = "\u2060"


def escape_markdown(text: str) -> str:
    """Text from a file or a user, safe in any Streamlit markdown sink: every markdown, HTML,
    directive (``:red[...]``, ``:material/…:``) character is escaped, autolinks are broken with
    an invisible word joiner, and line breaks become spaces, so the text cannot start a heading,
    a link or an image."""
    text = _AUTOLINK.sub(lambda m: (m.group(1) or "") + WORD_JOINER, text)
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else " " if c in "\r\n" else c for c in text)


def dose_rows(doses: tuple[Dose, ...] | list[Dose]) -> list[dict[str, Any]]:
    return [{"number": d.number, "at": d.at.isoformat(), "amount": d.amount or "", "phase": d.phase} for d in doses]


# --- the app's and the course sheet's views (patient calendar, dose table, clinician tables) ---

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


def dose_how(phase: Phase | None, amount: str | None = None) -> str:
    """How to take one dose of a phase: its amount and time of day ("thin layer, at bedtime");
    ``amount``: the dose's own, where the label leaves it to the prescriber (amount_open)."""
    if phase is None:
        return ""
    written = amount if phase.amount_open and amount else phase.amount
    parts = [written] if written else []
    if phase.time_of_day:
        parts.append(_ANCHOR_TEXT.get(phase.time_of_day, phase.time_of_day))
    return ", ".join(parts)


def _phase_of(schedule: Schedule, dose: Dose) -> Phase | None:
    phases = schedule.rule.regimen.phases if schedule.rule.regimen else ()
    return phases[dose.phase - 1] if 0 < dose.phase <= len(phases) else None


def dose_table(schedule: Schedule) -> list[dict[str, Any]]:
    """One row per dose for people: "dose N of M", day, time with its zone, how to take it."""
    total = dose_total(schedule)
    phased = len(schedule.rule.regimen.phases) > 1 if schedule.rule.regimen else False
    rows = []
    for d in schedule.doses:
        row: dict[str, Any] = {
            "dose": f"{d.number} of {total}" if total else str(d.number),
            "day": f"{d.at:%a %d %b %Y}",
            "time": f"{d.at:%H:%M %Z}",
            "how": dose_how(_phase_of(schedule, d), d.amount) or (d.amount or ""),
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
    out += [("Review with prescriber", r.on) for r in schedule.reminders if r.title.startswith("review")]
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
        if r.title.startswith("review"):
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
    total = dose_total(schedule)
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


def _phase_values(phase: Phase) -> dict[str, str]:
    f, i, s, c = phase.frequency, phase.interval, phase.spacing, phase.cycle
    values = {
        "amount": phase.amount or "",
        "frequency": f"{f.times} per {f.per.value}" if f else "",
        "interval": f"every {i.every} {i.unit.value}(s)" if i else "",
        "spacing": (f"{s.min_days}-{s.max_days} days apart" if s.max_days else f"at least {s.min_days} days apart")
        if s
        else "",
        "duration": _duration(phase) or "",
        "doses": str(phase.doses) if phase.doses is not None else "",
        "max_per_day": f"at most {phase.max_per_day} a day" if phase.max_per_day else "",
        "time_of_day": phase.time_of_day or "",
        "cycle": f"{c.on_days} days on, {c.off_days} off" + (f", {c.repeats} times" if c.repeats else "") if c else "",
        "start_day": f"course day {phase.start_day}" if phase.start_day else "",
    }
    return {k: v for k, v in values.items() if v}


def regimen_fields(rule: DosingRule) -> list[dict[str, Any]]:
    """The structured regimen field by field, each beside the words of the label it was read
    from (the source spans; with several phases, the k-th span of a field goes to phase k)."""
    sentence = rule.source.sentence
    words: dict[str, list[str]] = {}
    for span in sorted(rule.source.spans, key=lambda s: s.start):
        words.setdefault(span.field, []).append(sentence[span.start : span.end])
    phases = rule.regimen.phases if rule.regimen else ()
    rows = []
    for number, phase in enumerate(phases, 1):
        for name, value in _phase_values(phase).items():
            found = words.get(name, [])
            text = found[number - 1] if len(found) == len(phases) else " / ".join(found)
            rows.append(
                {
                    "phase": number,
                    "field": name.replace("_", " "),
                    "value": value,
                    "label's words": text or "(default: not in the sentence)",
                }
            )
    return rows


PRESCRIBER_RHYTHMS = {
    "times a day": ("frequency", "day"),
    "times a week": ("frequency", "week"),
    "every N hours": ("interval", "hour"),
    "every N days": ("interval", "day"),
    "every N weeks": ("interval", "week"),
    "once a month": ("frequency", "month"),
}
PRESCRIBER_LIMITS = {"day": 6, "week": 7, "month": 1}  # the extractor's sane bounds, for typed regimens too


def prescriber_rule(
    *,
    rhythm: str,
    count: int,
    duration_kind: str,
    duration_min: int | None = None,
    duration_max: int | None = None,
    duration_unit: str = "day",
    doses: int | None = None,
    amount: str = "",
    spacing_min: int | None = None,
    spacing_max: int | None = None,
    time_of_day: str | None = None,
    population: str = "adults",
    rule_id: str = "prescriber",
) -> DosingRule:
    """A prescriber's own regimen, typed in a form, as an ok ``DosingRule`` of one phase.

    Validated by the rules schema (the same checks as a reviewed rule file) and the
    extractor's sane bounds; a ``RuleError`` lists every problem."""
    from ..errors import RuleError  # local: only this form helper raises or validates
    from ..model import SourceRef
    from ..read.rules import ruleset_from_data

    if rhythm not in PRESCRIBER_RHYTHMS:
        raise RuleError(f"unknown rhythm {rhythm!r}", key="rhythm", hint=", ".join(PRESCRIBER_RHYTHMS))
    kind, unit = PRESCRIBER_RHYTHMS[rhythm]
    problems = []
    if kind == "frequency" and count > PRESCRIBER_LIMITS[unit]:
        problems.append(f"at most {PRESCRIBER_LIMITS[unit]} doses a {unit}")
    if kind == "interval" and unit == "hour" and count < 4:
        problems.append("doses at least 4 hours apart")
    if problems:
        raise RuleError("the planner accepts " + " and ".join(problems), key="regimen")
    phase: dict[str, Any] = {
        kind: {"times": count, "per": unit} if kind == "frequency" else {"every": count, "unit": unit}
    }
    if amount.strip():
        phase["amount"] = amount.strip()
    if spacing_min:
        phase["spacing"] = {"min_days": spacing_min, **({"max_days": spacing_max} if spacing_max else {})}
    if duration_kind == "doses":
        phase["doses"] = doses
    else:
        duration: dict[str, Any] = {"kind": duration_kind, "unit": duration_unit}
        if duration_kind == "fixed":
            duration.update(min=duration_min, max=duration_min)
        elif duration_kind == "up-to":
            duration["max"] = duration_max
        elif duration_kind == "range":
            duration.update(min=duration_min, max=duration_max)
        phase["duration"] = duration
    if time_of_day:
        phase["time_of_day"] = time_of_day
    data = {
        "drug": "prescriber",
        "source": "prescriber",
        "source_sha256": "",
        "indications": [
            {
                "id": rule_id,
                "name": "Prescriber's regimen",
                "population": population,
                "status": "ok",
                "regimen": {"phases": [phase]},
                "source": {
                    "file": "prescriber",
                    "section": "entered by the prescriber",
                    "population": population,
                    "sentence": "",
                },
            }
        ],
    }
    rule = ruleset_from_data(data, "prescriber's regimen").rules[0]
    words = f"Prescriber's regimen: {describe_regimen(rule.regimen)}."
    return DosingRule(
        rule.id,
        rule.name,
        rule.population,
        rule.status,
        rule.regimen,
        SourceRef("prescriber", "entered by the prescriber", population, words),
    )
