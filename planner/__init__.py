"""planner: drug monograph → dosing rules → schedule → calendar.

The stages, one module each: ``monograph`` (parse), ``extract`` (rules from text),
``rules`` (reviewed YAML), ``scheduler`` (doses), ``ics`` (calendar), ``views`` (people),
``files`` (the filesystem edge), ``cli`` and ``streamlit_app.py`` (thin shells).

The names below are imported when first used (PEP 562), so ``planner plan --drug`` does not
pay for the monograph parser and the phrase patterns it never runs (the CLI start budget).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

_WHERE = {
    "DISCLAIMER": "model",
    "Preferences": "model",
    "ExportError": "errors",
    "MonographError": "errors",
    "PlannerError": "errors",
    "RuleError": "errors",
    "ScheduleError": "errors",
    "extract_rules": "read.extract",
    "parse_monograph": "read.monograph",
    "dump_rules": "read.rules",
    "load_rules": "read.rules",
    "build_schedule": "plan.scheduler",
    "plan_course": "plan.scheduler",
}
__all__ = sorted(_WHERE)

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ imports on demand
    from .errors import ExportError, MonographError, PlannerError, RuleError, ScheduleError
    from .model import DISCLAIMER, Preferences
    from .plan.scheduler import build_schedule, plan_course
    from .read.extract import extract_rules
    from .read.monograph import parse_monograph
    from .read.rules import dump_rules, load_rules


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    elif importlib.util.find_spec(f"{__name__}.{name}") is not None:  # `planner.extract`, as eager imports allowed
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    globals()[name] = value  # once imported, a plain attribute
    return value
