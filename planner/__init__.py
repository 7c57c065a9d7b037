"""planner: drug monograph → dosing rules → schedule → calendar.

The pipeline, one package per direction of travel: ``read`` (text → model), ``plan`` (model
→ ``Schedule``), ``words`` (model → words and tables for people), ``write`` (``Schedule`` →
bytes); ``files``, ``batch`` and ``cli`` are the thin edges, ``streamlit_app.py`` the app.

The names below are what a program needs to plan from reviewed rules; they are the modules
``planner plan --drug`` loads anyway, so importing the package costs the CLI nothing extra.
The heavier stages stay importable from their packages, so no other command pays for them:
``planner.read.monograph.parse_monograph``, ``planner.read.extract.extract_rules``,
``planner.write.ics.to_ics``, ``planner.write.fhir.to_fhir``, ``planner.write.sheet.course_sheet``.
"""

from __future__ import annotations

from .errors import ExportError, MonographError, PlannerError, RuleError, ScheduleError
from .model import DISCLAIMER, Caution, DosingRule, Preferences, RuleSet, Schedule
from .plan.scheduler import build_schedule, plan_course
from .read.rules import dump_rules, load_rules

__all__ = [
    "DISCLAIMER",
    "Caution",
    "DosingRule",
    "ExportError",
    "MonographError",
    "PlannerError",
    "Preferences",
    "RuleError",
    "RuleSet",
    "Schedule",
    "ScheduleError",
    "build_schedule",
    "dump_rules",
    "load_rules",
    "plan_course",
]
