"""Dosing language, step 3b: the builders of the grammar's productions, items → one ``Fact``.

Each builder receives the items one production covered (``grammar._PRODUCTIONS``) and says
what they mean: a rhythm, a duration, a cycle, a time of day. They never look outside their
items, so each can be read and tested alone; the amounts are built in ``facts``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Duration, DurationKind, Frequency, Interval, Spacing, Unit
from .facts import DAYS_IN, Fact, FactKind, amount, fmt, number_of, unit_of, whole
from .lexicon import Tag
from .tagger import Item, days_of


def fact(kind: FactKind, value: object) -> Callable[[Sequence[Item]], Fact]:
    return lambda items: Fact(kind, value, items[0].start, items[-1].end)


def single(items: Sequence[Item]) -> Fact:
    """ "as a single dose", "stat", "x1": the value says which ("x1" beside a rhythm is read two ways)."""
    return Fact(FactKind.SINGLE, items[0].value or True, items[0].start, items[-1].end)


def times_per(items: Sequence[Item]) -> Fact:
    """ "twice daily", "3 times a day", "two times per week", "3 x daily", "3/day"."""
    count = next(i for i in items if i.tag in (Tag.NUMBER, Tag.TIMES))
    times = whole(count) if count.tag is Tag.NUMBER else int(str(count.value))
    rhythm = next(i for i in items if i.tag in (Tag.ADVERB, Tag.TIME_UNIT, Tag.SLASH_PER))
    per = _adverb_value(rhythm)[1] if rhythm.tag is Tag.ADVERB else unit_of(rhythm)
    if times is None or per is Unit.HOUR:
        return Fact(FactKind.FREQUENCY, None, items[0].start, items[-1].end)
    out = Fact(FactKind.FREQUENCY, Frequency(times, per), items[0].start, items[-1].end)
    return out


def days_a_week(items: Sequence[Item]) -> Fact:
    """ "5 days a week", "five days per week": that many doses a week (one a day: a "once daily"
    beside it caps the day); any other pair of units is not a rhythm that is read."""
    days, period = items[1], items[-1]
    week = _adverb_value(period)[:2] == (1, Unit.WEEK) if period.tag is Tag.ADVERB else unit_of(period) is Unit.WEEK
    n = whole(items[0])
    if unit_of(days) is not Unit.DAY or not week or n is None or not 1 <= n <= 7:
        return Fact(FactKind.FREQUENCY, None, items[0].start, items[-1].end)
    return Fact(FactKind.FREQUENCY, Frequency(n, Unit.WEEK), items[0].start, items[-1].end)


def ranged_strength(items: Sequence[Item]) -> Fact:
    """ "1-2 tablets 1.25-2.5 mg total": the strength range is the amount (the count range says the same)."""
    strength = amount(items[-4:])
    return Fact(FactKind.AMOUNT, strength.value, items[0].start, items[-1].end, strength.open_amount)


def bare_count(items: Sequence[Item]) -> Fact:
    """ "take two daily", "1 po qd", "one or two four times a day", "inhale 2 doses": units not named."""
    numbers = [i for i in items if i.tag is Tag.NUMBER]
    word = next((f" {i.text.lower()}" for i in items if i.tag is Tag.DOSE_WORD), "")  # "2 doses", "1 application"
    if len(numbers) == 2:
        text = f"{fmt(number_of(numbers[0]))} to {fmt(number_of(numbers[1]))}{word}"
        return Fact(FactKind.COUNT_AMOUNT, text, items[0].start, items[-1].end, True)
    text = fmt(number_of(numbers[0])) + word
    return Fact(FactKind.COUNT_AMOUNT, text, items[0].start, items[-1].end)


def times_range(items: Sequence[Item]) -> Fact:
    """ "3-4 times a day", "3 or 4 times daily", "once or twice daily": the counts and the period."""
    counts = [i for i in items if i.tag in (Tag.NUMBER, Tag.TIMES)]
    numbers = [whole(i) if i.tag is Tag.NUMBER else int(str(i.value)) for i in counts]
    rhythm = next(i for i in items if i.tag in (Tag.ADVERB, Tag.TIME_UNIT, Tag.SLASH_PER))
    per = _adverb_value(rhythm)[1] if rhythm.tag is Tag.ADVERB else unit_of(rhythm)
    return Fact(FactKind.FREQUENCY_RANGE, (numbers[0], numbers[1], per), items[0].start, items[-1].end)


def clock(items: Sequence[Item]) -> Fact:
    """ "10:00", "8 am", "8:30 pm", "noon" → HH:MM (None when it is not a time)."""
    hour: int | None
    if items[0].tag is Tag.CLOCK:
        hour, minute = (int(part) for part in str(items[0].value).split(":"))
    else:
        hour, minute = whole(items[0]), 0
    meridiem = next((str(i.value) for i in items if i.tag is Tag.MERIDIEM), None)
    if hour is None or minute is None or not (0 <= minute < 60) or not (0 <= hour < 24):
        return Fact(FactKind.CLOCK, None, items[0].start, items[-1].end)
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return Fact(FactKind.CLOCK, None, items[0].start, items[-1].end)
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return Fact(FactKind.CLOCK, (f"{hour:02d}:{minute:02d}",), items[0].start, items[-1].end)


def daily_cap(items: Sequence[Item]) -> Fact:
    number = next(i for i in items if i.tag is Tag.NUMBER)
    return Fact(FactKind.DAILY_CAP, whole(number), items[0].start, items[-1].end)


def one_period(items: Sequence[Item]) -> Fact:
    """ "for a week", "for a day": the lexicon's "a week" is a duration after "for"."""
    times, per, _anchor = _adverb_value(items[-1])
    duration = Duration(DurationKind.FIXED, per, 1, 1) if times == 1 else None
    return Fact(FactKind.DURATION, duration, items[0].start, items[-1].end)


def _adverb_value(item: Item) -> tuple[int, Unit, str | None]:
    """The lexicon's value of a whole frequency word ("daily", "nightly"): (times, per, anchor)."""
    value = item.value
    assert isinstance(value, tuple) and len(value) == 3
    times, per, anchor = value[0], value[1], value[2]
    assert isinstance(times, int) and isinstance(per, Unit)
    return times, per, anchor if isinstance(anchor, str) else None


def _code_value(item: Item) -> tuple[str, int, Unit]:
    """The lexicon's value of a rhythm code ("BID", "q2w"): ("f" frequency or "i" interval, n, unit)."""
    value = item.value
    assert isinstance(value, tuple) and len(value) == 3
    kind, n, unit = value[0], value[1], value[2]
    assert isinstance(kind, str) and isinstance(n, int) and isinstance(unit, Unit)
    return kind, n, unit


def adverb(items: Sequence[Item]) -> Fact:
    times, per, _anchor = _adverb_value(items[-1])
    count = items[0] if items[0].tag is Tag.TIMES else None
    if count is not None:
        times = int(str(count.value))
    return Fact(FactKind.FREQUENCY, Frequency(times, per), items[0].start, items[-1].end)


def sig(items: Sequence[Item]) -> Fact:
    kind, n, unit = _code_value(items[0])
    if kind == "f":
        return Fact(FactKind.FREQUENCY, Frequency(n, unit), items[0].start, items[-1].end)
    return Fact(FactKind.INTERVAL, Interval(n, unit), items[0].start, items[-1].end)


def every(items: Sequence[Item]) -> Fact:
    """ "every 12 hours", "q8h", "every 2 weeks", "every week", "every other day"."""
    unit = unit_of(items[-1])
    number = next((i for i in items if i.tag is Tag.NUMBER), None)
    every = 2 if any(i.tag is Tag.OTHER for i in items) else whole(number) if number else 1
    if every is None:
        return Fact(FactKind.INTERVAL, None, items[0].start, items[-1].end)
    if every == 1 and unit is not Unit.HOUR:
        return Fact(FactKind.FREQUENCY, Frequency(1, unit), items[0].start, items[-1].end)
    return Fact(FactKind.INTERVAL, Interval(every, unit), items[0].start, items[-1].end)


def every_range(items: Sequence[Item]) -> Fact:
    low, high = (whole(i) for i in items if i.tag is Tag.NUMBER)
    return Fact(FactKind.INTERVAL_RANGE, (low, high, unit_of(items[-1])), items[0].start, items[-1].end)


def spacing(items: Sequence[Item]) -> Fact:
    numbers = [whole(i) for i in items if i.tag is Tag.NUMBER]
    unit = next(unit_of(i) for i in items if i.tag is Tag.TIME_UNIT)
    low = numbers[0] or 0
    high = None if any(i.tag is Tag.AT_LEAST for i in items) else numbers[-1]
    kind = FactKind.SPACING_HOURS if unit is Unit.HOUR else FactKind.SPACING
    return Fact(kind, Spacing(low, high), items[0].start, items[-1].end)


def duration(items: Sequence[Item]) -> Fact:
    """ "for 10 days", "for up to 8 weeks", "for 60 to 90 days", "for a total of twelve weeks",
    "no longer than 16 weeks", "at least 6 months", "a 7-day course"."""
    numbers = [whole(i) for i in items if i.tag is Tag.NUMBER]
    unit = unit_of(next(i for i in items if i.tag is Tag.TIME_UNIT))
    start, end = items[0].start, items[-1].end
    if unit is Unit.HOUR:  # "leave it on for 8 hours", "at least one-half hour before": not a course
        return Fact(FactKind.HOURS_SPAN, None, start, end)
    if None in numbers:
        return Fact(FactKind.DURATION, None, start, end)
    low, high = numbers[0], numbers[-1]
    if any(i.tag is Tag.UP_TO and i.value == "than" for i in items):  # "for longer than 16 weeks"
        return Fact(FactKind.MORE_THAN, Duration(DurationKind.UP_TO, unit, None, high), start, end)
    if any(i.tag is Tag.UP_TO for i in items):
        return Fact(FactKind.DURATION, Duration(DurationKind.UP_TO, unit, None, high), start, end)
    if len(numbers) == 2:
        return Fact(FactKind.DURATION, Duration(DurationKind.RANGE, unit, low, high), start, end)
    if any(i.tag is Tag.AT_LEAST for i in items):
        return Fact(FactKind.DURATION, Duration(DurationKind.RANGE, unit, low, None), start, end)
    return Fact(FactKind.DURATION, Duration(DurationKind.FIXED, unit, low, low), start, end)


def x_one_period(items: Sequence[Item]) -> Fact:
    """ "x1 day", "x 1 week": for one day (the "x" of "for" glued to its number)."""
    unit = unit_of(items[-1])
    start, end = items[0].start, items[-1].end
    if unit is Unit.HOUR:
        return Fact(FactKind.HOURS_SPAN, None, start, end)
    return Fact(FactKind.DURATION, Duration(DurationKind.FIXED, unit, 1, 1), start, end)


def bare_duration(items: Sequence[Item]) -> Fact:
    fact = duration(items)
    return fact if fact.kind is FactKind.HOURS_SPAN else Fact(FactKind.BARE_DURATION, fact.value, fact.start, fact.end)


def doses(items: Sequence[Item]) -> Fact:
    number = next(i for i in items if i.tag is Tag.NUMBER)
    return Fact(FactKind.DOSES, whole(number), items[0].start, items[-1].end)


def stated_count(items: Sequence[Item]) -> Fact:
    """ "(8 doses)", "the two doses": a count to check against the rhythm, never a rhythm."""
    return Fact(FactKind.STATED_COUNT, whole(items[0]), items[0].start, items[-1].end)


def dispensed(items: Sequence[Item]) -> Fact:
    return Fact(FactKind.DISPENSED, whole(items[-1]), items[0].start, items[-1].end)


def cycle_count(items: Sequence[Item]) -> Fact:
    """ "for 8 cycles", "two 2-week treatment cycles" (count, and the length of each)."""
    numbers = [i for i in items if i.tag is Tag.NUMBER]
    unit = next((i for i in items if i.tag is Tag.TIME_UNIT), None)
    up_to = any(i.tag is Tag.UP_TO for i in items)
    each = whole(numbers[1]) if len(numbers) > 1 else None
    length = each * DAYS_IN.get(unit_of(unit), 0) if unit is not None and each is not None else None
    return Fact(FactKind.CYCLE_COUNT, (whole(numbers[0]), up_to, length), items[0].start, items[-1].end)


def repeat_count(items: Sequence[Item]) -> Fact:
    """ "repeat this one-week cycle up to 4 times"."""
    number = [i for i in items if i.tag is Tag.NUMBER][-1]
    up_to = any(i.tag is Tag.UP_TO for i in items)
    return Fact(FactKind.CYCLE_COUNT, (whole(number), up_to, None), items[0].start, items[-1].end)


def cycle_length(items: Sequence[Item]) -> Fact:
    number = next(i for i in items if i.tag is Tag.NUMBER)
    days = (whole(number) or 0) * DAYS_IN.get(unit_of(next(i for i in items if i.tag is Tag.TIME_UNIT)), 0)
    return Fact(FactKind.CYCLE_LENGTH, days or None, items[0].start, items[-1].end)


def rest(items: Sequence[Item]) -> Fact:
    number = next(i for i in items if i.tag is Tag.NUMBER)
    unit = unit_of(next(i for i in items if i.tag is Tag.TIME_UNIT))
    days = (whole(number) or 0) * DAYS_IN.get(unit, 0)
    return Fact(FactKind.REST, days or None, items[0].start, items[-1].end)


def days_of_cycle(items: Sequence[Item]) -> Fact:
    """ "(on) days 1 to 14 of each 21-day cycle"."""
    first, last, length = (whole(i) for i in items if i.tag is Tag.NUMBER)
    if first != 1 or None in (last, length):
        return Fact(FactKind.CYCLE, None, items[0].start, items[-1].end)
    assert last is not None and length is not None
    return Fact(FactKind.CYCLE, (last, length - last), items[0].start, items[-1].end)


def day_range(items: Sequence[Item]) -> Fact:
    """ "on day 1", "on days 2 through 5", "on the first day", "from day 3"; "for weeks 1 to 6"
    counts weeks (days 1 to 42), and a month has no fixed number of days."""
    numbers = [whole(i) for i in items if i.tag is Tag.NUMBER]
    first = numbers[0] if numbers else 1
    last = numbers[1] if len(numbers) > 1 else first if any(i.tag is Tag.ON for i in items) else None
    return _coursedays_of(items, first, last)


def _coursedays_of(items: Sequence[Item], first: int | None, last: int | None) -> Fact:
    unit = unit_of(next(i for i in items if i.tag is Tag.TIME_UNIT))
    start, end = items[0].start, items[-1].end
    if unit not in DAYS_IN or first is None:
        return Fact(FactKind.DAY_RANGE, None, start, end)
    size = DAYS_IN[unit]
    return Fact(FactKind.DAY_RANGE, ((first - 1) * size + 1, None if last is None else last * size), start, end)


def day_list(items: Sequence[Item]) -> Fact:
    """ "on days 1, 8 and 15": days within a cycle; "weeks 7 and 8", "days 2, 3 and 4": numbers
    one after another are a range of the course's days."""
    numbers = [n for i in items if i.tag is Tag.NUMBER and (n := whole(i)) is not None]
    if len(numbers) == sum(i.tag is Tag.NUMBER for i in items) and numbers == list(
        range(numbers[0], numbers[0] + len(numbers))
    ):
        return _coursedays_of(items, numbers[0], numbers[-1])
    return Fact(FactKind.DAY_LIST, True, items[0].start, items[-1].end)


def weekdays(items: Sequence[Item]) -> Fact:
    days = tuple(sorted({d for i in items if i.tag is Tag.WEEKDAY for d in days_of(i)}))
    return Fact(FactKind.WEEKDAYS, days, items[0].start, items[-1].end)


def weekday_range(items: Sequence[Item]) -> Fact:
    """ "Monday through Friday", "Mon-Fri": every day from the first to the last, around the week's end too."""
    first, last = days_of(items[0]), days_of(items[-1])
    if len(first) != 1 or len(last) != 1:
        return Fact(FactKind.RHYTHM_CONFLICT, None, items[0].start, items[-1].end)
    span = (last[0] - first[0]) % 7
    days = tuple(sorted((first[0] + k) % 7 for k in range(span + 1)))
    return Fact(FactKind.WEEKDAYS, days, items[0].start, items[-1].end)


def hours_later(items: Sequence[Item]) -> Fact:
    number = next(i for i in items if i.tag is Tag.NUMBER)
    return Fact(FactKind.HOURS_LATER, number_of(number), items[0].start, items[-1].end)


def anchor(items: Sequence[Item]) -> Fact:
    return Fact(FactKind.TIME_OF_DAY, items[-1].value, items[0].start, items[-1].end)


def every_daily(items: Sequence[Item]) -> Fact:
    """ "every 12 hours daily": hours that divide the day, every day; any other pairing is two rhythms."""
    interval = every(items[:-1])
    adverb = items[-1].value
    plain_daily = isinstance(adverb, tuple) and adverb == (1, Unit.DAY, None)
    value = interval.value
    if plain_daily and isinstance(value, Interval) and value.unit is Unit.HOUR and 24 % value.every == 0:
        return Fact(FactKind.INTERVAL, value, items[0].start, items[-1].end)
    return Fact(FactKind.RHYTHM_CONFLICT, None, items[0].start, items[-1].end)


def code_range(items: Sequence[Item]) -> Fact:
    """ "BID-TID": two rhythm codes of one period are a range of times a day."""
    low, high = items[0].value, items[-1].value
    if not (isinstance(low, tuple) and isinstance(high, tuple)) or low[0] != "f" or high[0] != "f" or low[2] != high[2]:
        return Fact(FactKind.RHYTHM_CONFLICT, None, items[0].start, items[-1].end)
    return Fact(FactKind.FREQUENCY_RANGE, (low[1], high[1], low[2]), items[0].start, items[-1].end)


def repeat_after(items: Sequence[Item]) -> Fact:
    """ "repeat in 12 hours", "repeat after 2 weeks": the dose once more after that gap."""
    number = next(i for i in items if i.tag is Tag.NUMBER)
    every = whole(number)
    value = Interval(every, unit_of(items[-1])) if every else None
    return Fact(FactKind.REPEAT_AFTER, value, items[0].start, items[-1].end)


def equivalent(items: Sequence[Item]) -> Fact:
    """ "3 mL = 150 mg", "5 mL (equivalent to 250 mg)": the dose is the amount first named."""
    at = next(k for k, i in enumerate(items) if i.tag is Tag.EQUALS)
    return amount(items[:at])


def daily_amount_max(items: Sequence[Item]) -> Fact:
    """ "mdd 60 mg", "maximum daily dose 2 milligram": a most per day, in a unit."""
    number = next(i for i in items if i.tag is Tag.NUMBER)
    unit = next(i for i in items if i.tag is Tag.DOSE_UNIT)
    return Fact(FactKind.DAILY_AMOUNT_MAX, (number_of(number), str(unit.value)), items[0].start, items[-1].end)
