"""Domain types shared by every stage: monograph → rules → schedule → calendar.

Small frozen dataclasses and closed vocabularies (enums whose values are the words the files
use); a stage that changes a value returns a new one made with ``dataclasses.replace``.
Standard library imports only. One module per stage's types; import them from here.
"""

from __future__ import annotations

from .common import DISCLAIMER, WEEKDAY_NAMES, WEEKDAYS, slug
from .missed import MissedClause, MissedDose, MissedKind, MissedWhen
from .monograph import DosingEntry, Faq, Monograph, Section
from .regimen import (
    CourseKind,
    Cycle,
    Duration,
    DurationKind,
    EventNeed,
    EventStart,
    EventWindow,
    Frequency,
    Interval,
    Option,
    OptionKind,
    Phase,
    Regimen,
    Spacing,
    Unit,
)
from .rules import Caution, CautionTopic, DosingRule, RuleSet, SourceKind, SourceRef, Span, Status
from .schedule import AdviceKind, Dose, MissedDoseAdvice, Preferences, Reminder, ReminderKind, Schedule

__all__ = [
    "AdviceKind",
    "Caution",
    "CautionTopic",
    "CourseKind",
    "Cycle",
    "DISCLAIMER",
    "Dose",
    "DosingEntry",
    "DosingRule",
    "Duration",
    "DurationKind",
    "EventNeed",
    "EventStart",
    "EventWindow",
    "Faq",
    "Frequency",
    "Interval",
    "MissedClause",
    "MissedDose",
    "MissedDoseAdvice",
    "MissedKind",
    "MissedWhen",
    "Monograph",
    "Option",
    "OptionKind",
    "Phase",
    "Preferences",
    "Regimen",
    "Reminder",
    "ReminderKind",
    "RuleSet",
    "Schedule",
    "Section",
    "SourceKind",
    "SourceRef",
    "Spacing",
    "Span",
    "Status",
    "Unit",
    "WEEKDAYS",
    "WEEKDAY_NAMES",
    "slug",
]
