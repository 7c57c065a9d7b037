"""What a patient must know before the first dose, in a few plain points; every warning with
its label; the short text a calendar event carries; and the missed-dose card's words.
Pure and streamlit-free.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import DISCLAIMER, Caution, CautionTopic, MissedDoseAdvice, Monograph, RuleSet, Schedule
from .regimen import describe_regimen
from .today import date_text, next_dose

TOPIC_LABELS = {
    CautionTopic.AGE: "Age",
    CautionTopic.PREGNANCY: "Pregnancy",
    CautionTopic.BREASTFEEDING: "Breastfeeding",
    CautionTopic.CONTRAINDICATION: "Contraindication",
    CautionTopic.CAUTION: "Caution",
    CautionTopic.MISSED_DOSE: "Missed dose",
    CautionTopic.DOSING: "Dosing",
    CautionTopic.PRESCRIBER: "Your prescriber",
}
# the ones an event and the short list carry
KEY_TOPICS = (CautionTopic.CONTRAINDICATION, CautionTopic.PREGNANCY, CautionTopic.AGE)


def topic_label(topic: CautionTopic) -> str:
    return TOPIC_LABELS[topic]


def labelled(warning: Caution) -> str:
    """ "Contraindication: Application to broken or inflamed skin.": never a bare line read as an instruction."""
    label = topic_label(warning.topic)
    text = warning.text
    if text.lower().startswith(label.lower() + ":"):
        return text
    return f"{label}: {text}"


def warning_groups(schedule: Schedule) -> list[tuple[str, list[str]]]:
    """(label, texts) of every warning, grouped under its label in the label's order."""
    groups: dict[str, list[str]] = {}
    for w in schedule.warnings:
        groups.setdefault(topic_label(w.topic), []).append(w.text)
    return list(groups.items())


@dataclass(frozen=True)
class KeyPoint:
    label: str
    text: str


def key_points(schedule: Schedule, locale: str | None = None) -> list[KeyPoint]:
    """The three or four points to know: how, how long, a missed dose, what to read first."""
    points = [KeyPoint("How", describe_regimen(schedule.rule.regimen))]
    total = schedule.total
    if schedule.course_end:
        count = f"{total} doses, " if total else ""
        points.append(KeyPoint("How long", f"{count}last dose on {date_text(schedule.course_end, locale)}"))
    else:
        points.append(KeyPoint("How long", "ongoing: this calendar stops at its end; make a new one to continue"))
    points.append(KeyPoint("If you miss a dose", missed_text(schedule)))
    topics = [topic_label(w.topic) for w in schedule.warnings]
    if topics:
        named = ", ".join(dict.fromkeys(topics))
        points.append(KeyPoint("Read the warnings", f"{len(topics)} from the label, on: {named}"))
    points += [KeyPoint("This plan", note) for note in schedule.notes]
    return points


def missed_text(schedule: Schedule) -> str:
    """The label's own missed-dose words, or what to do when it has none."""
    if schedule.missed_dose and schedule.missed_dose.text:
        return schedule.missed_dose.text
    return "the label gives no rule: ask your prescriber or pharmacist what to do."


def key_warnings(schedule: Schedule) -> list[str]:
    """The warnings an event carries: what the plan changed, then do-not-use, pregnancy and age."""
    return list(schedule.notes) + [labelled(w) for w in schedule.warnings if w.topic in KEY_TOPICS]


def event_description(schedule: Schedule) -> str:
    """A calendar event's text: the dose, how to take it, the missed-dose rule, the key
    warnings and the disclaimer; the whole label stays on the sheet and in the app."""
    parts = [f"How: {describe_regimen(schedule.rule.regimen)}."]
    parts.append(f"If you miss a dose: {missed_text(schedule)}")
    warnings = key_warnings(schedule)
    if warnings:
        parts.append("Key warnings:\n" + "\n".join(f"- {w}" for w in warnings))
    others = len(schedule.warnings) - sum(1 for w in schedule.warnings if w.topic in KEY_TOPICS)
    if others:
        parts.append(f"{others} more warning(s) on the course sheet.")
    parts.append(DISCLAIMER)
    return "\n\n".join(parts)


# --- the missed-dose card -----------------------------------------------------------------


@dataclass(frozen=True)
class MissedCard:
    """Action first ("Skip dose 3"), then the next dose, then why, then the label's words."""

    action: str
    next_dose: str
    why: str
    source_text: str


def missed_card(advice: MissedDoseAdvice, number: int, moment: dt.datetime, locale: str | None = None) -> MissedCard:
    """The card's words for dose ``number``, from the missed-dose answer (action, next dose, why,
    the label's words); ``moment`` is when the patient remembered (or took it)."""
    action = f"Dose {number}: {advice.action}"
    upcoming = next_dose(advice.schedule, moment, locale)
    if advice.next_dose is None or upcoming is None:
        after = "That was the last dose of the course."
    else:
        day = upcoming.day.lower() if upcoming.day in ("Today", "Tomorrow") else upcoming.day
        after = f"Next: {upcoming.title.lower()}, {day} at {upcoming.time}"
        after += f" ({upcoming.how})." if upcoming.how else "."
    why = " ".join([advice.why, *advice.notes]).strip() or advice.guidance
    return MissedCard(action, after, why, advice.source_text)


# --- paragraphs of the Dosage section that are no use's regimen ------------------------------


@dataclass(frozen=True)
class Unplanned:
    """A dosing paragraph that produced no regimen ("Children: use under 12 is not recommended")."""

    who: str
    text: str
    why: str


def unplanned(monograph: Monograph, ruleset: RuleSet) -> list[Unplanned]:
    """Every paragraph of the label's Dosage section that no rule came from, with why it is not
    planned: nothing the label says about dosing disappears without a word."""
    used = {(r.source.line, r.source.sentence) for r in ruleset.rules}
    lines = {line for line, _ in used}
    out = []
    for entry in monograph.dosing:
        if entry.line in lines or (entry.line, entry.sentence) in used:
            continue
        who = entry.label or entry.population.replace("-", " ").capitalize()
        why = (
            "a note for this group of patients, not a regimen"
            if entry.population == "special-cases"
            else "no regimen the app could read in it: ask your prescriber"
        )
        out.append(Unplanned(who, entry.sentence, why))
    return out
