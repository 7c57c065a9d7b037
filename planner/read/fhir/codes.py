"""The FHIR vocabulary the reader and the writer share: the planner's extension URLs, code
systems, timing and unit codes, and the amount <-> quantity convention. Stdlib only."""

from __future__ import annotations

import re
from decimal import Decimal

from ...model import Cycle, Unit

BASE = "https://planner.example/fhir/StructureDefinition/"
EXT = {
    name: BASE + name
    for name in (
        "dose-spacing",
        "course-duration",
        "max-doses-per-day",
        "planned-time",
        "time-of-day",
        "amount-text",
        "amount-open",
        "cycle",
        "phase-start-day",
    )
}
# A reader that ignored these would dose on days off: they ride in modifierExtension.
MODIFIERS = {EXT["cycle"], EXT["phase-start-day"]}
UCUM = "http://unitsofmeasure.org"
GTS = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation"
UNIT_CODES = {Unit.HOUR: "h", Unit.DAY: "d", Unit.WEEK: "wk", Unit.MONTH: "mo"}
UNIT_WORDS = {"h": "hours", "d": "days", "wk": "weeks", "mo": "months"}
# The planner's time-of-day anchors and their Timing.repeat.when codes (EventTiming).
WHEN = {
    "bedtime": "HS",
    "morning": "MORN",
    "evening": "EVE",
    "before-breakfast": "ACM",
    "breakfast": "CM",
    "before-meals": "AC",
    "with-meal": "C",
    "after-meal": "PC",
}
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# GTS abbreviations checked against timing.repeat: (frequency, period, periodUnit)
TIMING_CODES = {
    "QD": (1, 1, "d"),
    "BID": (2, 1, "d"),
    "TID": (3, 1, "d"),
    "QID": (4, 1, "d"),
    "QOD": (1, 2, "d"),
    "Q4H": (1, 4, "h"),
    "Q6H": (1, 6, "h"),
    "Q8H": (1, 8, "h"),
    "WK": (1, 1, "wk"),
    "MO": (1, 1, "mo"),
}
AMOUNT_UCUM = {
    "mg": "mg",
    "g": "g",
    "gram": "g",
    "grams": "g",
    "milligram": "mg",
    "milligrams": "mg",
    "mcg": "ug",
    "µg": "ug",
    "microgram": "ug",
    "micrograms": "ug",
    "mL": "mL",
    "ml": "mL",
    "IU": "[iU]",
    "mg/kg": "mg/kg",
    "mg/m²": "mg/m2",
    "mg/m2": "mg/m2",
}
_AMOUNT = re.compile(
    r"^(\d+(?:\.\d+)?)\s*(mg/m²|mg/m2|mg/kg|mg|mcg|µg|g|grams?|milligrams?|micrograms?" r"|IU|units?|mL|ml)$"
)


def amount_quantity(amount: str) -> tuple[Decimal, str] | None:
    """ "250 mg" → (250, "mg"); None for an amount in words ("thin layer")."""
    m = _AMOUNT.match(amount.strip())
    return (Decimal(m[1]), m[2]) if m else None


def amount_text(value: Decimal | int | float, unit: str) -> str:
    """(250, "mg") → "250 mg", the planner's spelling of a doseQuantity."""
    number = Decimal(str(value))
    return f"{int(number) if number == number.to_integral_value() else number.normalize()} {unit}"


def cycle_days(c: Cycle) -> int:
    """The boundsDuration of cycles: first day of the first to the last day on of the last, in days."""
    return (c.on_days + c.off_days) * (c.repeats or 0) - c.off_days
