"""Presentation: ``RuleSet`` / ``Schedule`` → plain data, text and month grids for people.

Pure and streamlit-free, so the CLI, the app and the calendar export share every string.
The plain-language regimen is generated from the structured rule, never copied from
the sentence, so a reviewer can see at once whether the two agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from .model import DISCLAIMER, DosingRule, DurationKind, Phase, Regimen, RuleSet, Schedule, Unit
from .rules import to_data

_COUNT_WORDS = {1: "once", 2: "twice"}
_ANCHOR_TEXT = {"bedtime": "at bedtime", "morning": "in the morning", "evening": "in the evening",
                "before-breakfast": "before breakfast", "with-meal": "with a meal",
                "after-meal": "after a meal"}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def _rhythm(phase: Phase) -> str:
    f, i = phase.frequency, phase.interval
    if f is not None:
        times = _COUNT_WORDS.get(f.times, f"{f.times} times")
        return {Unit.DAY: f"{times} a day", Unit.WEEK: f"{times} a week",
                Unit.MONTH: f"{times} a month", Unit.HOUR: f"{times} an hour"}[f.per]
    if i is not None:
        if i.every == 1:
            return {Unit.DAY: "once a day", Unit.WEEK: "once a week", Unit.MONTH: "once a month",
                    Unit.HOUR: "every hour"}[i.unit]
        return "every other day" if (i.every, i.unit) == (2, Unit.DAY) else f"every {i.every} {i.unit.value}s"
    return "once"


def _duration(phase: Phase) -> str | None:
    d = phase.duration
    if phase.doses is not None and d is None:
        return "a single dose" if phase.doses == 1 else f"for {phase.doses} doses"
    if d is None or d.kind is DurationKind.ONGOING:
        return "ongoing, with no set end"
    unit = d.unit.value
    if d.kind is DurationKind.FIXED:
        return f"for {_plural(d.min or 0, unit)}"
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
        parts.append(f"{c.on_days} days on, {c.off_days} days off"
                     + (f", {_plural(c.repeats, 'cycle')}" if c.repeats else ""))
    duration = _duration(phase)
    count = expected_doses(phase)
    if duration:
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
    data = to_data(rule)
    data.setdefault("regimen", {})
    data["source_text"] = rule.source.sentence
    data["plain"] = describe_regimen(rule.regimen)
    return data


def ruleset_data(ruleset: RuleSet) -> dict[str, Any]:
    data = to_data(ruleset)
    data["indications"] = [rule_data(r) for r in ruleset.rules]
    return data


_TOPIC_LABELS = {"age": "Age", "contraindication": "Contraindication", "missed-dose": "Missed dose",
                 "dosing": "Dosing"}


def warning_texts(schedule: Schedule) -> list[str]:
    """Scheduler notes first (what this plan changed), then the monograph's warnings, labelled."""
    labelled = [f"{_TOPIC_LABELS[w.topic]}: {w.text}" if w.topic in _TOPIC_LABELS else w.text
                for w in schedule.warnings]
    return list(schedule.notes) + labelled


def dose_total(schedule: Schedule) -> int | None:
    """The "M" of "dose N of M": unknown for ongoing plans, which stop only at the horizon."""
    return None if schedule.ongoing else len(schedule.doses)


def dose_title(schedule: Schedule, number: int) -> str:
    total = dose_total(schedule)
    of = f" of {total}" if total else ""
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
        "doses": [{"number": d.number, "at": d.at.isoformat(), "amount": d.amount or "", "phase": d.phase}
                  for d in schedule.doses],
        "reminders": [{"on": r.on.isoformat(), "text": r.text} for r in schedule.reminders],
        "warnings": warning_texts(schedule),
        "missed_dose": schedule.missed_dose.text if schedule.missed_dose else "",
        "disclaimer": DISCLAIMER,
    }


def schedule_text(schedule: Schedule) -> str:
    """A readable plan for the terminal: summary, doses, reminders, warnings, disclaimer."""
    lines = [f"{schedule.drug} – {schedule.rule.name or schedule.rule.id}",
             f"Regimen: {describe_regimen(schedule.rule.regimen)}",
             f"Label:   {schedule.rule.source.sentence}",
             f"Time zone: {schedule.preferences.timezone}", ""]
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
        weeks = [[(day, marks.get(dt.date(year, month, day), "") if day else "") for day in week]
                 for week in calendar.Calendar().monthdayscalendar(year, month)]
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


def compare_rows(ruleset: RuleSet) -> list[dict[str, Any]]:
    """One row per indication for side-by-side comparison of regimens."""
    rows = []
    for rule in ruleset.rules:
        phase = rule.regimen.phases[0] if rule.regimen else None
        f, s = (phase.frequency, phase.spacing) if phase else (None, None)
        rows.append({
            "indication": rule.name or rule.id,
            "status": rule.status.value,
            "regimen": describe_regimen(rule.regimen),
            "doses per week": f.times * (7 if f.per is Unit.DAY else 1) if f and f.per in (Unit.DAY, Unit.WEEK) else None,
            "duration": _duration(phase) if phase else None,
            "total doses": sum(expected_doses(p) or 0 for p in rule.regimen.phases) or None if rule.regimen else None,
            "spacing": (f"{s.min_days}-{s.max_days} days" if s.max_days else f"≥ {s.min_days} days") if s else None,
            "source sentence": rule.source.sentence,
            "review reasons": "; ".join(rule.reasons),
        })
    return rows


def highlighted_source(rule: DosingRule) -> str:
    """The source sentence as markdown with each value that produced a number in bold,
    tagged with its field: "**2 times per week** _(frequency)_". Markdown in the sentence
    itself is escaped, so monograph text cannot inject formatting or HTML."""
    sentence, out, at = rule.source.sentence, [], 0
    for span in sorted(rule.source.spans, key=lambda s: s.start):
        if span.start < at:
            continue
        out.append(escape_markdown(sentence[at:span.start]))
        out.append(f"**{escape_markdown(sentence[span.start:span.end])}** _({span.field.replace('_', ' ')})_")
        at = span.end
    out.append(escape_markdown(sentence[at:]))
    return "".join(out)


def escape_markdown(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~$" else c for c in text)
