"""Re-opening a course: the text of a calendar the planner wrote → the plan's parameters.

The planner stores nothing about a patient; instead every .ics carries its plan's
parameters as X-PLANNER-* properties (drug, indication, start, timezone, time, weekdays,
until). Reading them back re-creates the same plan, with the same event UIDs.
"""

from __future__ import annotations

import base64
import re

from ..errors import PlannerError

_PROPERTY = re.compile(r"^X-PLANNER-([A-Z]+)(?:;[^:]*)?:(.*)$")
KEYS = ("drug", "indication", "start", "timezone", "time", "weekdays", "until", "length", "source", "regimen")


def plan_parameters(text: str, path: str = "") -> dict[str, str]:
    """The X-PLANNER-* values of the calendar's header (before its first component)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    found: dict[str, str] = {}
    for line in unfolded.splitlines():
        if line.startswith("BEGIN:") and line != "BEGIN:VCALENDAR":
            break
        if m := _PROPERTY.match(line):
            key = m.group(1).lower()
            if key in KEYS:
                found[key] = m.group(2).replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
    missing = [k for k in ("drug", "indication", "start") if k not in found]
    if missing:
        raise PlannerError(
            f"not a calendar made by planner (no X-PLANNER-{missing[0].upper()})",
            path=path,
            hint="re-open a .ics that `planner plan --format ics` wrote",
        )
    source = found.get("source", "monographs/")
    if not source.startswith("monographs/") and "regimen" not in found:
        raise PlannerError(
            f"this calendar was planned from {source}, not from the bundled rules",
            path=path,
            hint=f"plan again from {source} (--monograph or --fhir)",
        )
    if "regimen" in found:
        try:
            found["regimen"] = base64.urlsafe_b64decode(found["regimen"].encode()).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise PlannerError("X-PLANNER-REGIMEN is damaged", path=path) from None
    return found
