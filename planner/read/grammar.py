"""Dosing language, step 3: tagged items of one clause → typed facts (amount, rhythm, duration …).

The grammar is a list of productions over the items' one-letter tag codes (``lexicon.Tag``):
each production is a regular expression over the code string of a clause, and a function
that turns the items it covers into a ``Fact``. Productions run longest first and every item
is used by at most one of them, so "every 2 weeks" is an interval and never also a duration.
Because the productions see tags, not words, "twice daily", "2 times a day", "two times per
day" and "BID" are one production's input.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from ..model import Duration, DurationKind, Frequency, Interval, Spacing, Unit
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
    DAILY_CAP = "daily-cap"  # "max 2 tabs/day", "mdd 3"  # "up to three times a day": a most, not a schedule  # "once daily" beside a weekly rhythm
    CLOCK = "clock"  # times of day on the clock, HH:MM
    START_WINDOW = "start-window"  # "within 48 hours of the onset": when to start, not how long
    RELATIVE = "relative"  # "4 weeks after the end of radiotherapy": timed from another event
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


def _n(item: Item) -> Fraction:
    assert isinstance(item.value, Fraction)
    return item.value


def _whole(item: Item) -> int | None:
    value = _n(item)
    return int(value) if value.denominator == 1 else None


def _unit(item: Item) -> Unit:
    assert isinstance(item.value, Unit)
    return item.value


def _fmt(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def _written(item: Item) -> str:
    """A number as written where that is plain digits ("1,250", "0.5"), else its value (".5" → "0.5")."""
    return item.text if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", item.text) else _fmt(_n(item))


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
            return f"{_fmt(_n(numbers[0]))} to {_fmt(_n(numbers[1]))}{space}{written}", True
        strength = f"{_written(numbers[-1])}{space}{written}"
        if len(numbers) == 2 and form is not None and _n(numbers[0]) != 1:
            count = _fmt(_n(numbers[0]))
            if form.start < numbers[1].start:  # "2 capsules 800 mg": each, or in all? The count is sure.
                return f"{count} {form.value}s", False
            return f"{count} {form.value}s of {strength}", per_body  # "two 100 mg tablets"
        return strength, per_body
    measure = next((i for i in items if i.tag is Tag.MEASURE), None)
    assert form is not None
    if form.value in ("thin layer", "thin film"):
        return str(form.value), False
    if measure is not None:
        return f"{_written(numbers[0])} {measure.text.lower()} {form.value}", False
    if ranged:
        return f"{_fmt(_n(numbers[0]))} to {_fmt(_n(numbers[1]))} {form.value}s", True
    count = _n(numbers[0]) if numbers else Fraction(1)
    return f"{_fmt(count)} {form.value}{'' if count <= 1 else 's'}", False


def _amount(items: Sequence[Item]) -> Fact:
    if len(items) == 1 and items[0].tag is Tag.FORM and items[0].text.lower() != str(items[0].value) and \
            items[0].text.lower().endswith("s"):  # "take tablets daily": how many is not said  # fmt: skip
        return Fact(FactKind.AMOUNT, None, items[0].start, items[0].end)
    text, open_amount = _amount_text(items)
    return Fact(FactKind.AMOUNT, text, items[0].start, items[-1].end, open_amount)


def _fact(kind: FactKind, value: object) -> Callable[[Sequence[Item]], Fact]:
    return lambda items: Fact(kind, value, items[0].start, items[-1].end)


def _times_per(items: Sequence[Item]) -> Fact:
    """ "twice daily", "3 times a day", "two times per week", "3 x daily", "3/day"."""
    count = next(i for i in items if i.tag in (Tag.NUMBER, Tag.TIMES))
    times = _whole(count) if count.tag is Tag.NUMBER else int(str(count.value))
    rhythm = next(i for i in items if i.tag in (Tag.ADVERB, Tag.TIME_UNIT, Tag.SLASH_PER))
    per = rhythm.value[1] if rhythm.tag is Tag.ADVERB else rhythm.value  # type: ignore[index]
    if times is None or per is Unit.HOUR:
        return Fact(FactKind.FREQUENCY, None, items[0].start, items[-1].end)
    out = Fact(FactKind.FREQUENCY, Frequency(times, per), items[0].start, items[-1].end)
    return out


def _bare_count(items: Sequence[Item]) -> Fact:
    """ "take two daily", "1 po qd", "one or two four times a day", "inhale 2 doses": units not named."""
    numbers = [i for i in items if i.tag is Tag.NUMBER]
    word = next((f" {i.text.lower()}" for i in items if i.tag is Tag.DOSE_WORD), "")  # "2 doses", "1 application"
    if len(numbers) == 2:
        text = f"{_fmt(_n(numbers[0]))} to {_fmt(_n(numbers[1]))}{word}"
        return Fact(FactKind.COUNT_AMOUNT, text, items[0].start, items[-1].end, True)
    text = _fmt(_n(numbers[0])) + word
    return Fact(FactKind.COUNT_AMOUNT, text, items[0].start, items[-1].end)


def _times_range(items: Sequence[Item]) -> Fact:
    numbers = [_whole(i) for i in items if i.tag is Tag.NUMBER]
    rhythm = next(i for i in items if i.tag in (Tag.ADVERB, Tag.TIME_UNIT, Tag.SLASH_PER))
    per = rhythm.value[1] if rhythm.tag is Tag.ADVERB else rhythm.value  # type: ignore[index]
    return Fact(FactKind.FREQUENCY_RANGE, (numbers[0], numbers[1], per), items[0].start, items[-1].end)


def _clock(items: Sequence[Item]) -> Fact:
    """ "10:00", "8 am", "8:30 pm", "noon" → HH:MM (None when it is not a time)."""
    if items[0].tag is Tag.CLOCK:
        hour, minute = (int(part) for part in str(items[0].value).split(":"))
    else:
        hour, minute = _whole(items[0]), 0
    meridiem = next((str(i.value) for i in items if i.tag is Tag.MERIDIEM), None)
    if hour is None or minute is None or not (0 <= minute < 60) or not (0 <= hour < 24):
        return Fact(FactKind.CLOCK, None, items[0].start, items[-1].end)
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return Fact(FactKind.CLOCK, None, items[0].start, items[-1].end)
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return Fact(FactKind.CLOCK, (f"{hour:02d}:{minute:02d}",), items[0].start, items[-1].end)


def _daily_cap(items: Sequence[Item]) -> Fact:
    number = next(i for i in items if i.tag is Tag.NUMBER)
    return Fact(FactKind.DAILY_CAP, _whole(number), items[0].start, items[-1].end)


def _one_period(items: Sequence[Item]) -> Fact:
    """ "for a week", "for a day": the lexicon's "a week" is a duration after "for"."""
    times, per, _anchor = items[-1].value  # type: ignore[misc]
    duration = Duration(DurationKind.FIXED, per, 1, 1) if times == 1 else None
    return Fact(FactKind.DURATION, duration, items[0].start, items[-1].end)


def _adverb(items: Sequence[Item]) -> Fact:
    times, per, _anchor = items[-1].value  # type: ignore[misc]
    count = items[0] if items[0].tag is Tag.TIMES else None
    if count is not None:
        times = int(str(count.value))
    return Fact(FactKind.FREQUENCY, Frequency(times, per), items[0].start, items[-1].end)


def _sig(items: Sequence[Item]) -> Fact:
    kind, n, unit = items[0].value  # type: ignore[misc]
    if kind == "f":
        return Fact(FactKind.FREQUENCY, Frequency(n, unit), items[0].start, items[-1].end)
    return Fact(FactKind.INTERVAL, Interval(n, unit), items[0].start, items[-1].end)


def _every(items: Sequence[Item]) -> Fact:
    """ "every 12 hours", "q8h", "every 2 weeks", "every week", "every other day"."""
    unit = _unit(items[-1])
    number = next((i for i in items if i.tag is Tag.NUMBER), None)
    every = 2 if any(i.tag is Tag.OTHER for i in items) else _whole(number) if number else 1
    if every is None:
        return Fact(FactKind.INTERVAL, None, items[0].start, items[-1].end)
    if every == 1 and unit is not Unit.HOUR:
        return Fact(FactKind.FREQUENCY, Frequency(1, unit), items[0].start, items[-1].end)
    return Fact(FactKind.INTERVAL, Interval(every, unit), items[0].start, items[-1].end)


def _every_range(items: Sequence[Item]) -> Fact:
    low, high = (_whole(i) for i in items if i.tag is Tag.NUMBER)
    return Fact(FactKind.INTERVAL_RANGE, (low, high, _unit(items[-1])), items[0].start, items[-1].end)


def _spacing(items: Sequence[Item]) -> Fact:
    numbers = [_whole(i) for i in items if i.tag is Tag.NUMBER]
    unit = next(_unit(i) for i in items if i.tag is Tag.TIME_UNIT)
    low = numbers[0] or 0
    high = None if any(i.tag is Tag.AT_LEAST for i in items) else numbers[-1]
    kind = FactKind.SPACING_HOURS if unit is Unit.HOUR else FactKind.SPACING
    return Fact(kind, Spacing(low, high), items[0].start, items[-1].end)


def _duration(items: Sequence[Item]) -> Fact:
    """ "for 10 days", "for up to 8 weeks", "for 60 to 90 days", "for a total of twelve weeks",
    "no longer than 16 weeks", "at least 6 months", "a 7-day course"."""
    numbers = [_whole(i) for i in items if i.tag is Tag.NUMBER]
    unit = _unit(next(i for i in items if i.tag is Tag.TIME_UNIT))
    start, end = items[0].start, items[-1].end
    if unit is Unit.HOUR:  # "leave it on for 8 hours", "at least one-half hour before": not a course
        return Fact(FactKind.HOURS_SPAN, None, start, end)
    if None in numbers:
        return Fact(FactKind.DURATION, None, start, end)
    low, high = numbers[0], numbers[-1]
    if any(i.tag is Tag.UP_TO for i in items):
        return Fact(FactKind.DURATION, Duration(DurationKind.UP_TO, unit, None, high), start, end)
    if len(numbers) == 2:
        return Fact(FactKind.DURATION, Duration(DurationKind.RANGE, unit, low, high), start, end)
    if any(i.tag is Tag.AT_LEAST for i in items):
        return Fact(FactKind.DURATION, Duration(DurationKind.RANGE, unit, low, None), start, end)
    return Fact(FactKind.DURATION, Duration(DurationKind.FIXED, unit, low, low), start, end)


def _bare_duration(items: Sequence[Item]) -> Fact:
    fact = _duration(items)
    return fact if fact.kind is FactKind.HOURS_SPAN else Fact(FactKind.BARE_DURATION, fact.value, fact.start, fact.end)


def _doses(items: Sequence[Item]) -> Fact:
    number = next(i for i in items if i.tag is Tag.NUMBER)
    return Fact(FactKind.DOSES, _whole(number), items[0].start, items[-1].end)


def _stated_count(items: Sequence[Item]) -> Fact:
    """ "(8 doses)", "the two doses": a count to check against the rhythm, never a rhythm."""
    return Fact(FactKind.STATED_COUNT, _whole(items[0]), items[0].start, items[-1].end)


def _dispensed(items: Sequence[Item]) -> Fact:
    return Fact(FactKind.DISPENSED, _whole(items[-1]), items[0].start, items[-1].end)


def _cycle_count(items: Sequence[Item]) -> Fact:
    """ "for 8 cycles", "two 2-week treatment cycles" (count, and the length of each)."""
    numbers = [i for i in items if i.tag is Tag.NUMBER]
    unit = next((i for i in items if i.tag is Tag.TIME_UNIT), None)
    up_to = any(i.tag is Tag.UP_TO for i in items)
    length = _whole(numbers[1]) * DAYS_IN.get(_unit(unit), 0) if unit is not None and len(numbers) > 1 else None
    return Fact(FactKind.CYCLE_COUNT, (_whole(numbers[0]), up_to, length), items[0].start, items[-1].end)


def _repeat_count(items: Sequence[Item]) -> Fact:
    """ "repeat this one-week cycle up to 4 times"."""
    number = [i for i in items if i.tag is Tag.NUMBER][-1]
    up_to = any(i.tag is Tag.UP_TO for i in items)
    return Fact(FactKind.CYCLE_COUNT, (_whole(number), up_to, None), items[0].start, items[-1].end)


def _cycle_length(items: Sequence[Item]) -> Fact:
    number = next(i for i in items if i.tag is Tag.NUMBER)
    days = (_whole(number) or 0) * DAYS_IN.get(_unit(next(i for i in items if i.tag is Tag.TIME_UNIT)), 0)
    return Fact(FactKind.CYCLE_LENGTH, days or None, items[0].start, items[-1].end)


def _rest(items: Sequence[Item]) -> Fact:
    number = next(i for i in items if i.tag is Tag.NUMBER)
    unit = _unit(next(i for i in items if i.tag is Tag.TIME_UNIT))
    days = (_whole(number) or 0) * DAYS_IN.get(unit, 0)
    return Fact(FactKind.REST, days or None, items[0].start, items[-1].end)


def _days_of_cycle(items: Sequence[Item]) -> Fact:
    """ "(on) days 1 to 14 of each 21-day cycle"."""
    first, last, length = (_whole(i) for i in items if i.tag is Tag.NUMBER)
    if first != 1 or None in (last, length):
        return Fact(FactKind.CYCLE, None, items[0].start, items[-1].end)
    assert last is not None and length is not None
    return Fact(FactKind.CYCLE, (last, length - last), items[0].start, items[-1].end)


def _day_range(items: Sequence[Item]) -> Fact:
    """ "on day 1", "on days 2 through 5", "on the first day", "from day 3"."""
    numbers = [_whole(i) for i in items if i.tag is Tag.NUMBER]
    first = numbers[0] if numbers else 1
    last = numbers[1] if len(numbers) > 1 else first if any(i.tag is Tag.ON for i in items) else None
    return Fact(FactKind.DAY_RANGE, (first, last), items[0].start, items[-1].end)


def _weekdays(items: Sequence[Item]) -> Fact:
    days = tuple(sorted({int(str(i.value)) for i in items if i.tag is Tag.WEEKDAY}))
    return Fact(FactKind.WEEKDAYS, days, items[0].start, items[-1].end)


def _hours_later(items: Sequence[Item]) -> Fact:
    number = next(i for i in items if i.tag is Tag.NUMBER)
    return Fact(FactKind.HOURS_LATER, _n(number), items[0].start, items[-1].end)


def _anchor(items: Sequence[Item]) -> Fact:
    return Fact(FactKind.TIME_OF_DAY, items[-1].value, items[0].start, items[-1].end)


def _every_daily(items: Sequence[Item]) -> Fact:
    """ "every 12 hours daily": hours that divide the day, every day; any other pairing is two rhythms."""
    interval = _every(items[:-1])
    adverb = items[-1].value
    plain_daily = isinstance(adverb, tuple) and adverb == (1, Unit.DAY, None)
    value = interval.value
    if plain_daily and isinstance(value, Interval) and value.unit is Unit.HOUR and 24 % value.every == 0:
        return Fact(FactKind.INTERVAL, value, items[0].start, items[-1].end)
    return Fact(FactKind.RHYTHM_CONFLICT, None, items[0].start, items[-1].end)


def _code_range(items: Sequence[Item]) -> Fact:
    """ "BID-TID": two rhythm codes of one period are a range of times a day."""
    low, high = items[0].value, items[-1].value
    if not (isinstance(low, tuple) and isinstance(high, tuple)) or low[0] != "f" or high[0] != "f" or low[2] != high[2]:
        return Fact(FactKind.RHYTHM_CONFLICT, None, items[0].start, items[-1].end)
    return Fact(FactKind.FREQUENCY_RANGE, (low[1], high[1], low[2]), items[0].start, items[-1].end)


def _repeat_after(items: Sequence[Item]) -> Fact:
    """ "repeat in 12 hours", "repeat after 2 weeks": the dose once more after that gap."""
    number = next(i for i in items if i.tag is Tag.NUMBER)
    every = _whole(number)
    value = Interval(every, _unit(items[-1])) if every else None
    return Fact(FactKind.REPEAT_AFTER, value, items[0].start, items[-1].end)


def _equivalent(items: Sequence[Item]) -> Fact:
    """ "3 mL = 150 mg", "5 mL (equivalent to 250 mg)": the dose is the amount first named."""
    at = next(k for k, i in enumerate(items) if i.tag is Tag.EQUALS)
    return _amount(items[:at])


def _daily_amount_max(items: Sequence[Item]) -> Fact:
    """ "mdd 60 mg", "maximum daily dose 2 milligram": a most per day, in a unit."""
    number = next(i for i in items if i.tag is Tag.NUMBER)
    unit = next(i for i in items if i.tag is Tag.DOSE_UNIT)
    return Fact(FactKind.DAILY_AMOUNT_MAX, (_n(number), str(unit.value)), items[0].start, items[-1].end)


# Productions: (name, pattern over tag codes, builder). Codes: see lexicon.Tag.
_PRODUCTIONS: tuple[tuple[str, str, Callable[[Sequence[Item]], Fact]], ...] = (
    ("days of cycle", r"n?w?T N - N (?:w|,)*E? N - T c", _days_of_cycle),
    ("cycle count", r"[DZ]+L?N (?:N - T)?(?:w|d)*c", _cycle_count),
    ("repeat count", r"R (?:w )?(?:N - T )?c? L? N X", _repeat_count),
    ("rest", r"N - T (?:w)?r|N T (?:w)?r|r (?:w )?D N C?T|r N C?T", _rest),
    ("start window", r"y N T", _fact(FactKind.START_WINDOW, True)),
    ("short interval", r"E N μ", _fact(FactKind.SHORT_INTERVAL, None)),
    ("short span", r"[KLD]*N (?:- N )?μ", _fact(FactKind.SHORT_SPAN, True)),
    ("repeat after", r"R (?:[wqd] )*N T", _repeat_after),
    ("equivalence", r"N (?:U|F) \(? = N U \)?", _equivalent),
    ("cycle length", r"N - T (?:w|d)?c", _cycle_length),
    ("bare count", r"(?<!L)N (?:[-V] N )?d?(?=[wan]*[ASEO1]|[MJ]|N[XD]|N[-V]N[XD]|-(?:w)+[ASEO])", _bare_count),
    ("frequency range", r"N [-V] N [XD] (?:[PE] T|A|Q)", _times_range),
    ("interval range", r"E N - N T", _every_range),
    ("spacing", r"K?N (?:- N )?T t|K N T t", _spacing),
    ("hours later", r"N T t", _hours_later),
    ("relative", r"N T q", _fact(FactKind.RELATIVE, True)),
    ("most times", r"L (?:N [XD]|O) (?:[PE] T|A)", _fact(FactKind.MOST_TIMES, True)),
    ("every daily", r"E N T A", _every_daily),
    ("code range", r"S - S", _code_range),
    ("times per", r"N [XD] (?:[PE] T|A|Q)|N Q|O [XD]? (?:[PE] T|A|Q)", _times_per),
    ("one period", r"D A", _one_period),
    ("times adverb", r"O A|A", _adverb),
    ("rhythm code", r"S", _sig),
    ("every", r"E (?:N |Y )?T", _every),
    ("doses", r"D (?:w )?Z?N (?:w )?d|Z N (?:w )?d|N (?:w )?d (?:w )?Z", _doses),
    ("stated count", r"N d", _stated_count),
    ("dispensed", r"Ω N", _dispensed),
    ("single", r"1", _fact(FactKind.SINGLE, True)),
    ("day list", r"T N (?:, N)+ (?:,)?& N|T N & N", _fact(FactKind.DAY_LIST, True)),
    (
        "duration",
        r"(?:D|G)?[ZKL]*D[ZKL]*(?:n )?N (?:- N )?C?T C?|[ZKL]+(?:n )?N (?:- N )?C?T C?|n N C T|N - T (?:w )?d",
        _duration,
    ),
    ("day range", r"n?(?:w )?T N (?:- N)?|n (?:w )?o T", _day_range),
    ("bare duration", r"N (?:- N )?C?T", _bare_duration),
    ("weekdays", r"W(?:[,&]*W)*", _weekdays),
    ("daily most dose", r"@ N U", _daily_amount_max),
    ("daily cap", r"L N (?:F|d)? (?:Q|A)|L N (?=[^UFTXNDd]|$)|@ N (?:F|d)?", _daily_cap),
    ("form cap", r"L N F", _fact(FactKind.AMOUNT_CAP, None)),
    ("amount cap", r"L N U", _fact(FactKind.AMOUNT_CAP, "unit")),
    ("clock", r"J B?|N B", _clock),
    ("amount range", r"N (?:U )?[-V] N U|N [-V] N F", _amount),
    ("amount", r"N N U (?:w )?F|N F (?:w )?\(? N U|N U j?F?|N b F|N F F|N F|N w F|F", _amount),
    ("anchor", r"M", _anchor),
)
_COMPILED = tuple((name, re.compile(pattern.replace(" ", "")), build) for name, pattern, build in _PRODUCTIONS)


@dataclass(frozen=True)
class Parsed:
    facts: tuple[Fact, ...]
    left: tuple[Item, ...]  # items no production used (cues the sentence level reads)


def parse(items: Sequence[Item]) -> Parsed:
    """The facts of one clause, each item used once, longest productions first."""
    return _parse(tuple(items))


@functools.lru_cache(maxsize=8192)  # pure; a clause is parsed by several questions about it
def _parse(items: tuple[Item, ...]) -> Parsed:
    codes = [i.code for i in items]
    found: list[tuple[int, Fact]] = []
    text, dirty = "".join(codes), False
    for _name, pattern, build in _COMPILED:
        if dirty:  # rejoin only after a production used some items
            text, dirty = "".join(codes), False
        for m in pattern.finditer(text):
            if m.start() == m.end():
                continue
            dirty = True
            covered = items[m.start() : m.end()]
            found.append((m.start(), build(covered)))
            found.extend((m.start(), _adverb_anchor(i)) for i in covered if _has_anchor(i))
            for k in range(m.start(), m.end()):
                codes[k] = "#"  # used: no later production may cross it
    found.sort(key=lambda pair: pair[0])
    left = tuple(item for item, code in zip(items, codes, strict=True) if code != "#")
    return Parsed(tuple(f for _, f in found), left)


def _has_anchor(item: Item) -> bool:
    return item.tag is Tag.ADVERB and isinstance(item.value, tuple) and item.value[2] is not None


def _adverb_anchor(item: Item) -> Fact:
    assert isinstance(item.value, tuple)
    return Fact(FactKind.TIME_OF_DAY, item.value[2], item.start, item.end)
