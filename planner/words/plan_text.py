"""Words for a planned course: ``Schedule`` → its titles, its warnings labelled, and the
readable plan the terminal prints. The calendar, the sheet and FHIR text take their titles
and warning lines from here, so every output says the same. Pure and streamlit-free.
"""

from __future__ import annotations

from ..model import DISCLAIMER, CautionTopic, Schedule
from .regimen import describe_regimen

# The topics whose texts do not already say what they are about (a pregnancy text does).
_TOPIC_LABELS = {
    CautionTopic.AGE: "Age",
    CautionTopic.CONTRAINDICATION: "Contraindication",
    CautionTopic.MISSED_DOSE: "Missed dose",
    CautionTopic.DOSING: "Dosing",
}


def warning_texts(schedule: Schedule) -> list[str]:
    """Scheduler notes first (what this plan changed), then the monograph's warnings, labelled."""
    labelled = [
        f"{_TOPIC_LABELS[w.topic]}: {w.text}" if w.topic in _TOPIC_LABELS else w.text for w in schedule.warnings
    ]
    return list(schedule.notes) + labelled


NEUTRAL_NAME = "Medication"  # what a neutral title says instead of the drug (lock screens, shared calendars)


def title_name(schedule: Schedule) -> str:
    """The drug's name in titles, or "Medication" where the patient asked for neutral titles."""
    return NEUTRAL_NAME if schedule.preferences.neutral_titles else schedule.drug


def dose_title(schedule: Schedule, number: int) -> str:
    """ "Imiquimod – dose 3 of 32 (actinic keratosis)", or neutral: "Medication – dose 3 of 32"."""
    total = schedule.total
    of = f" of {total}" if total else ""
    if schedule.preferences.neutral_titles:
        return f"{NEUTRAL_NAME} – dose {number}{of}"
    name = schedule.rule.name.lower() or schedule.rule.id
    return f"{schedule.drug} – dose {number}{of} ({name})"


def schedule_text(schedule: Schedule) -> str:
    """A readable plan for the terminal: summary, doses, reminders, warnings, disclaimer."""
    lines = [
        f"{schedule.drug} – {schedule.rule.name or schedule.rule.id}",
        f"Regimen: {describe_regimen(schedule.rule.regimen)}",
        f"Label:   {schedule.rule.source.sentence}",
        f"Time zone: {schedule.preferences.timezone}",
        "",
    ]
    total = schedule.total
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
