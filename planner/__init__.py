"""planner: drug monograph → dosing rules → schedule → calendar.

The stages, one module each: ``monograph`` (parse), ``extract`` (rules from text),
``rules`` (reviewed YAML), ``scheduler`` (doses), ``ics`` (calendar), ``views`` (people),
``files`` (the filesystem edge), ``cli`` and ``streamlit_app.py`` (thin shells).
"""

from .errors import ExportError, MonographError, PlannerError, RuleError, ScheduleError
from .extract import extract_rules
from .model import DISCLAIMER, Preferences
from .monograph import parse_monograph
from .rules import dump_rules, load_rules
from .scheduler import build_schedule, plan_course

__all__ = [
    "DISCLAIMER", "ExportError", "MonographError", "PlannerError", "Preferences", "RuleError",
    "ScheduleError", "build_schedule", "dump_rules", "extract_rules", "load_rules",
    "parse_monograph", "plan_course",
]
