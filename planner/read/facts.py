"""Dosing language, step 3a: the typed facts the grammar builds, and the amounts among them.

A ``Fact`` is one value a clause says (an amount, a rhythm, a duration, a cycle …) with the
character span it was read from; ``FactKind`` is the closed set of what a fact can be. The
amount builders live here beside them: an amount is the one fact whose words are kept (in
standard form), so how it is written is decided in one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from ..model import Unit
from .lexicon import Tag
from .tagger import Item

DAYS_IN = {Unit.DAY: 1, Unit.WEEK: 7}


class FactKind(str, Enum):
    AMOUNT = "amount"
    AMOUNT_CAP = "amount-cap"  # "(up to 2 packets)": a most, not the dose
    FREQUENCY = "frequency"
    FREQUENCY_RANGE = "frequency-range"
    INTERVAL = "interval"
    INTERVAL_RANGE = "interval-range"
    SPACING = "spacing"
    SPACING_HOURS = "spacing-hours"
    DURATION = "duration"
    MORE_THAN = "more-than"  # "for longer than 16 weeks": a most under a negation, a least without one
    DOSES = "doses"
    SINGLE = "single"
    CYCLE_COUNT = "cycle-count"
    CYCLE_LENGTH = "cycle-length"
    CYCLE = "cycle"  # on days, off days
    REST = "rest"  # days off, after the phase before
    DAY_RANGE = "day-range"  # (first day, last day or None)
    TIME_OF_DAY = "time-of-day"
    WEEKDAYS = "weekdays"
    HOURS_LATER = "hours-later"
    BARE_DURATION = "bare-duration"  # "60 to 90 days" with no "for": a duration only where nothing else is said
    DAY_LIST = "day-list"  # "on days 1, 8 and 15": treatment days within a cycle
    PERIOD = "period"  # a number of days no production could place
    STATED_COUNT = "stated-count"
    DISPENSED = "dispensed"  # "#6": units dispensed
    HOURS_SPAN = "hours-span"
    MAX_PER_DAY = "max-per-day"
    MOST_TIMES = "most-times"
    COUNT_AMOUNT = "count-amount"  # "take two daily": a count of units, the amount unless another is said
    DAILY_CAP = "daily-cap"  # "max 2 tabs/day", "mdd 3": a most a day, not a schedule
    CLOCK = "clock"  # times of day on the clock, HH:MM
    START_WINDOW = "start-window"  # "within 48 hours of the onset": when to start, not how long
    RELATIVE = "relative"  # "4 weeks after the end of radiotherapy": timed from another event
    AFTER_SPAN = "after-span"  # "reassess after 6 months": a time to check or change, not a length
    SHORT_SPAN = "short-span"  # "swish for 30 seconds", "30 minutes before": how long, not a course
    SHORT_INTERVAL = "short-interval"  # "every 30 minutes": not a rhythm the planner keeps
    REPEAT_AFTER = "repeat-after"  # "repeat in 12 hours": one more dose after that gap
    DAILY_AMOUNT_MAX = "daily-amount-max"  # "mdd 60 mg": a most per day in a unit, not the dose
    RHYTHM_CONFLICT = "rhythm-conflict"  # "every 8 hours weekly": two rhythms in one phrase
    DOSE_TIMES = "dose-times"  # "in the morning and at bedtime": a dose at each named time of the day


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    value: object
    start: int  # character span in the sentence
    end: int
    open_amount: bool = False


def number_of(item: Item) -> Fraction:
    assert isinstance(item.value, Fraction)
    return item.value


def whole(item: Item) -> int | None:
    value = number_of(item)
    return int(value) if value.denominator == 1 else None


def unit_of(item: Item) -> Unit:
    assert isinstance(item.value, Unit)
    return item.value


def fmt(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def _written(item: Item) -> str:
    """A number as written where that is plain digits ("1,250", "0.5"), else its value (".5" → "0.5")."""
    return item.text if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", item.text) else fmt(number_of(item))


_METERED = ("click", "pump")


def _amount_text(items: Sequence[Item]) -> tuple[str, bool]:
    """(amount as written in standard form, whether the prescriber sets it)."""
    numbers = [i for i in items if i.tag is Tag.NUMBER]
    unit = next((i for i in items if i.tag is Tag.DOSE_UNIT), None)
    written_unit = (
        unit.text.lower() if unit is not None and unit.text.lower() in ("gram", "grams", "g", "mg", "mcg") else None
    )
    form = next((i for i in items if i.tag is Tag.FORM), None)
    ranged = any(i.tag in (Tag.RANGE, Tag.OR) for i in items) and len(numbers) >= 2
    per_body = unit is not None and "/" in str(unit.value)
    if unit is not None:
        written = str(unit.value) if per_body or str(unit.value) == "%" else written_unit or str(unit.value)
        space = "" if str(unit.value) == "%" else " "
        preparation = next((i for i in items if i.tag is Tag.PREPARATION), None)
        if preparation is not None and not ranged:
            return f"{_written(numbers[-1])}{space}{written} {preparation.text.lower()}", per_body
        if ranged:
            return f"{fmt(number_of(numbers[0]))} to {fmt(number_of(numbers[1]))}{space}{written}", True
        strength = f"{_written(numbers[-1])}{space}{written}"
        metered = form is not None and form.value in _METERED  # "4 clicks 1 gram": the clicks measure the dose
        if len(numbers) == 2 and form is not None and number_of(numbers[0]) != 1 and not metered:
            count = fmt(number_of(numbers[0]))
            if form.start < numbers[1].start:  # "2 capsules 800 mg": each, or in all? The count is sure.
                return f"{count} {form.value}s", False
            return f"{count} {form.value}s of {strength}", per_body  # "two 100 mg tablets"
        return strength, per_body
    measure = next((i for i in items if i.tag is Tag.MEASURE), None)
    if measure is not None and form is None:  # "1/4 inch in eye": a ribbon of ointment
        return f"{fmt(number_of(numbers[0]))} {measure.text.lower()}", False
    assert form is not None
    if form.value in ("thin layer", "thin film"):
        return str(form.value), False
    if measure is not None:
        return f"{_written(numbers[0])} {measure.text.lower()} {form.value}", False
    if ranged:
        return f"{fmt(number_of(numbers[0]))} to {fmt(number_of(numbers[1]))} {form.value}s", True
    how_many = number_of(numbers[0]) if numbers else Fraction(1)
    return f"{fmt(how_many)} {form.value}{'' if how_many <= 1 else 's'}", False


def amount(items: Sequence[Item]) -> Fact:
    if len(items) == 1 and items[0].tag is Tag.FORM and items[0].text.lower() != str(items[0].value) and \
            items[0].text.lower().endswith("s"):  # "take tablets daily": how many is not said  # fmt: skip
        return Fact(FactKind.AMOUNT, None, items[0].start, items[0].end)
    text, open_amount = _amount_text(items)
    return Fact(FactKind.AMOUNT, text, items[0].start, items[-1].end, open_amount)
