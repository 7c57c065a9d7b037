"""Re-opening a course, syntax step: the text of a calendar the planner wrote → its X-PLANNER-*
parameters as plain strings, or a ``PlannerError`` when they are missing or damaged.

The planner stores nothing about a patient; instead every .ics carries its plan's parameters
as X-PLANNER-* properties (drug, indication, start, timezone, time, weekdays, until, length,
source, and a prescriber's regimen). ``read.request.from_ics`` gives them their meaning.
A damaged parameter is refused, never dropped: a blank or undecodable regimen silently
replaced by the label's would plan another course (issue 16, item 4).
"""

from __future__ import annotations

import base64
import binascii
import re

from ..errors import PlannerError

_PROPERTY = re.compile(r"^X-PLANNER-([A-Z]+)(?:;[^:]*)?:(.*)$")
KEYS = ("drug", "indication", "start", "timezone", "time", "weekdays", "until", "length", "source", "regimen",
        "eventstart", "eventend", "option", "amount")  # fmt: skip
REQUIRED = ("drug", "indication", "start")
BUNDLED_PREFIX = "monographs/"  # X-PLANNER-SOURCE of a plan from the bundled rules
MAX_REGIMEN_CHARS = 64 * 1024  # an embedded regimen is a few hundred characters


def plan_parameters(text: str, path: str = "") -> dict[str, str]:
    """The X-PLANNER-* values of the calendar's header (before its first component), with the
    regimen decoded from base64; every value present is non-blank."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    found: dict[str, str] = {}
    for line in unfolded.splitlines():
        if line.startswith("BEGIN:") and line != "BEGIN:VCALENDAR":
            break
        if (m := _PROPERTY.match(line)) and (key := m.group(1).lower()) in KEYS:
            if key in found:
                raise _damaged(key, "given twice", path)
            found[key] = m.group(2).replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        raise PlannerError(
            f"not a calendar made by planner (no X-PLANNER-{missing[0].upper()})",
            path=path,
            hint="re-open a .ics that `planner plan --format ics` wrote",
        )
    blank = [k for k, v in found.items() if not v.strip()]
    if blank:
        raise _damaged(blank[0], "blank", path)
    source = found.get("source", BUNDLED_PREFIX)
    if not source.startswith(BUNDLED_PREFIX) and "regimen" not in found:
        raise PlannerError(
            f"this calendar was planned from {source}, not from the bundled rules",
            path=path,
            hint=f"plan again from {source} (--monograph or --fhir)",
        )
    if "regimen" in found:
        found["regimen"] = _regimen_text(found["regimen"], path)
    return found


def _regimen_text(value: str, path: str) -> str:
    """base64url → the regimen's JSON text; strict, since the lenient decoder drops any
    character outside the alphabet and so turns damage into an empty regimen."""
    if len(value) > MAX_REGIMEN_CHARS:
        raise _damaged("regimen", f"longer than {MAX_REGIMEN_CHARS:,} characters", path)
    try:
        data = base64.b64decode(value.encode("ascii"), altchars=b"-_", validate=True)
        text = data.decode("utf-8")
    except (binascii.Error, UnicodeError):
        raise _damaged("regimen", "not base64 of UTF-8 text", path) from None
    if not text.strip():
        raise _damaged("regimen", "empty", path)
    return text


def _damaged(key: str, why: str, path: str) -> PlannerError:
    return PlannerError(
        f"X-PLANNER-{key.upper()} is damaged ({why}); nothing was planned",
        path=path,
        hint="re-open an unchanged copy of the calendar, or plan again with --drug or --regimen",
    )
