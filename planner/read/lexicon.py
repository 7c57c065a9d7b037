"""Dosing language, the lexicon: words and phrases → semantic tags, the only word lists.

Each entry maps a phrase (lower case, as tokens) to a ``Tag`` and a value. The tagger takes
the longest phrase that matches, so "every other day" is one tag, not three. Synonyms share
a tag: the grammar above never sees "twice", "BID" or "two times a day", only a frequency.
Prescription abbreviations are here too (BID, q8h, qHS, PRN), written with or without dots.
"""

from __future__ import annotations

import re
from enum import Enum

from ..model import Unit
from .tokens import RUN_TOGETHER_DAYS, tokenize


class Tag(str, Enum):
    NUMBER = "N"
    BAD_NUMBER = "!"
    DOSE_UNIT = "U"  # mg, mcg, IU, mg/kg, %
    FORM = "F"  # tablet, capsule, packet, strand, puff
    TIME_UNIT = "T"  # hour, day, week, month
    ADVERB = "A"  # daily, weekly, monthly, nightly: a whole frequency
    TIMES = "O"  # once, twice, thrice: a count of times
    MULT = "X"  # "times" after a number
    PER = "P"  # a, an, per, each, /
    EVERY = "E"  # every, q
    OTHER = "Y"  # other, alternate, second (every other day)
    SIG = "S"  # an abbreviation or phrase that is a whole rhythm: BID, TID, q8h, QOD
    FOR = "D"  # for, over, x (before a duration)
    UP_TO = "L"  # up to, no longer than, not more than, a maximum of
    AT_LEAST = "K"
    TOTAL = "Z"  # a total of
    CONSECUTIVE = "C"  # consecutive, in a row
    UNTIL = "u"
    THEN = "H"  # then, followed by, after this
    OR = "V"  # or, alternatively
    AND = "&"
    WEEKDAY = "W"
    ANCHOR = "M"  # bedtime, morning, with a meal
    NEGATION = "G"
    AS_DIRECTED = "a"
    AS_NEEDED = "p"
    USUALLY = "h"  # usually, often, typically: a hedge that keeps the reading
    EXAMPLE = "x"  # "is often prescribed as", "for example": the label's example
    MAY = "m"  # may, might, can
    INDIVIDUAL = "i"  # individualised, depending on, based on
    LAB = "l"  # INR, blood glucose, levels: doses set by readings
    DOSE_WORD = "d"  # dose, doses, application
    SINGLE = "1"  # single, one-time
    REST = "r"  # off, rest, break, no-treatment period
    CYCLE = "c"
    RANGE = "-"  # to, through, -, and (in "between 2 and 3")
    STOP = "s"  # stop, discontinue
    REPEAT = "R"
    IF = "f"  # if, when, unless
    LATER = "t"  # later, apart
    AFTER = "q"  # after, before: "starting 4 weeks after the end of radiotherapy"
    ONGOING = "g"  # long-term, ongoing, indefinitely, same day each week
    EVENT = "e"  # travel, leaving, arrival, surgery: a regimen timed from an event
    CLEAR = "k"  # clearance, healed, resolved: a clinical end point
    ON = "n"  # on
    DAY_ORDINAL = "o"  # first, second … in "on the first day"
    DIVIDED = "v"  # "in 2 divided doses": a daily amount split into doses
    EXCEPT = "z"  # "except on weekends"
    AWAKE = "æ"  # "while awake", "during waking hours"
    WITHIN = "y"  # "starting within 48 hours of the onset"
    CLOCK = "J"  # "at 10:00", "8 am", "noon"
    MERIDIEM = "B"  # am, pm
    DAILY_MOST = "@"
    CHANGE = "Δ"  # decrease, increase, reduce, switch to: a step of a titration
    SOME = "~"  # several, a few: a number of units not given ("for several weeks")
    INITIAL = "^"  # starting dose, initially: the first step of a dose the prescriber then changes
    DISPENSE = "Ω"  # "#6": the quantity dispensed  # "mdd", "maximum daily dose"
    SLASH_PER = "Q"  # "/day", "/wk": "3/day" is a frequency, "2 daily" a count of units
    ERROR_PRONE = "I"  # "od": once daily or the right eye
    NOT_ADVISED = "%"  # "has not been studied", "is not recommended"
    MEASURE = "b"  # cm, inch, fingertip unit: the size of a topical dose
    PREPARATION = "j"  # gel, cream, ointment: follows a strength ("the 0.015% gel")
    OPEN = "("
    CLOSE = ")"
    COMMA = ","
    STOPPER = "."  # ; . :
    SHORT_UNIT = "μ"  # seconds, minutes: how long an application lasts, never a course
    EQUALS = "="  # "3 mL = 150 mg": the same dose in another unit
    CLINIC = "Ψ"  # "in office", "in clinic": given by the clinic, not planned at home
    RUN_TOGETHER = "Ξ"  # "sundaytuesdaythursday": day names with no space between (tokens.RUN_TOGETHER_DAYS)
    WORD = "w"


_UNITS = {
    "mg": "mg", "milligram": "mg", "milligrams": "mg", "mcg": "mcg", "µg": "mcg", "ug": "mcg", "microgram": "mcg",
    "micrograms": "mcg", "g": "g", "gm": "g", "gram": "g", "grams": "g", "iu": "IU", "units": "units",
    "unit": "units", "ml": "mL", "millilitre": "mL", "milliliter": "mL", "millilitres": "mL", "milliliters": "mL",
    "%": "%", "mmol": "mmol", "meq": "mEq",
}  # fmt: skip
_FORMS = {
    "tablet": "tablet", "tablets": "tablet", "tab": "tablet", "tabs": "tablet", "capsule": "capsule",
    "capsules": "capsule", "cap": "capsule", "caps": "capsule", "packet": "packet", "packets": "packet",
    "sachet": "sachet", "sachets": "sachet", "strand": "strand", "puff": "puff", "puffs": "puff", "drop": "drop",
    "drops": "drop", "gtt": "drop", "gtts": "drop", "spray": "spray", "sprays": "spray", "patch": "patch",
    "patches": "patch", "suppository": "suppository", "suppositories": "suppository", "tube": "tube",
    "tubes": "tube", "pill": "pill", "pills": "pill", "teaspoon": "teaspoon", "teaspoons": "teaspoon",
    "teaspoonful": "teaspoon", "spoonful": "spoonful", "spoonfuls": "spoonful", "spoonsful": "spoonful",
    "spoon": "spoonful", "spoons": "spoonful", "tsp": "teaspoon", "tablespoon": "tablespoon",
    "tablespoons": "tablespoon",
    "tbsp": "tablespoon", "lozenge": "lozenge", "lozenges": "lozenge", "applicatorful": "applicatorful",
    "applicatorfuls": "applicatorful", "appful": "applicatorful", "appfuls": "applicatorful",
    "inhalation": "inhalation", "thin layer": "thin layer", "thin film": "thin film", "inhalations": "inhalation",
    "vial": "vial", "ampule": "ampule",
    "pump": "pump", "pumps": "pump", "click": "click", "clicks": "click", "injection": "injection",
    "injections": "injection",
}  # fmt: skip
_TIME_UNITS = {
    "hour": Unit.HOUR, "hours": Unit.HOUR, "hr": Unit.HOUR, "hrs": Unit.HOUR, "h": Unit.HOUR, "day": Unit.DAY,
    "days": Unit.DAY, "d": Unit.DAY, "nights": Unit.DAY, "week": Unit.WEEK, "weeks": Unit.WEEK, "wk": Unit.WEEK,
    "wks": Unit.WEEK,
    "month": Unit.MONTH, "months": Unit.MONTH, "mo": Unit.MONTH, "mos": Unit.MONTH,
}  # fmt: skip
_WEEKDAYS = {
    name: i
    for i, names in enumerate((
        ("monday", "mondays", "mon"), ("tuesday", "tuesdays", "tue", "tues"), ("wednesday", "wednesdays", "wed"),
        ("thursday", "thursdays", "thu", "thur", "thurs"), ("friday", "fridays", "fri"),
        ("saturday", "saturdays", "sat"), ("sunday", "sundays", "sun"),
    ))
    for name in names
}  # fmt: skip

# Years are counted in months (Unit has no year): the tagger reads "5 years" as 60 months.
YEARS = frozenset({"year", "years", "yr", "yrs"})
FORTNIGHTS = frozenset({"fortnight", "fortnights"})  # and "5 fortnights" as 10 weeks

# (tag, value) per phrase; phrases are tuples of token texts (lower case).
PHRASES: dict[tuple[str, ...], tuple[Tag, object]] = {}


def _add(tag: Tag, value: object, *phrases: str) -> None:
    for phrase in phrases:
        PHRASES[tuple(token.norm for token in tokenize(phrase))] = (tag, value)
        if " . " in phrase:  # "b . i . d ." (spaced) is also written "b.i.d.": then one token (tokens._dotted)
            PHRASES.setdefault(tuple(token.norm for token in tokenize(re.sub(r"\s*\.\s*", ".", phrase))), (tag, value))


for _w, _u in _UNITS.items():
    _add(Tag.DOSE_UNIT, _u, _w)
for _base in ("mg", "mcg", "g", "units", "iu"):
    for _per, _name in (("kg", "kg"), ("m²", "m²"), ("m2", "m²"), ("kilogram", "kg"), ("lb", "lb"), ("pound", "lb")):
        _add(Tag.DOSE_UNIT, f"{_UNITS[_base]}/{_name}", f"{_base}/{_per}", f"{_base} per {_per}")
for _w, _f in _FORMS.items():
    _add(Tag.FORM, _f, _w)
for _w, _t in _TIME_UNITS.items():
    _add(Tag.TIME_UNIT, _t, _w)
for _w, _d in _WEEKDAYS.items():
    _add(Tag.WEEKDAY, _d, _w)
# Several days in one word, as prescriptions write them
_add(Tag.WEEKDAY, (0, 2, 4), "mwf", "m - w - f", "m / w / f", "mo - we - fr", "mon / wed / fri")
_add(Tag.WEEKDAY, (1, 3), "tth", "tuth", "t - th", "tu - th", "tu / th", "tues / thurs", "tue / thu")
_add(Tag.WEEKDAY, (0, 1, 2, 3, 4), "weekdays", "every weekday", "each weekday", "on weekdays", "weekday")
_add(Tag.WEEKDAY, (5, 6), "weekends", "on weekends", "at weekends", "at the weekend", "on the weekend")

_add(Tag.ADVERB, (1, Unit.DAY, None), "daily", "a day", "per day", "each day", "every day", "a-day", "once-a-day",
     "once-daily", "once - daily")  # fmt: skip
_add(Tag.ADVERB, (1, Unit.WEEK, None), "weekly", "a week", "per week", "each week", "once-weekly")
_add(Tag.ADVERB, (1, Unit.MONTH, None), "monthly", "a month", "per month", "each month")
_add(Tag.SLASH_PER, Unit.DAY, "/day", "/d", "/ day", "a - day")
_add(Tag.SLASH_PER, Unit.WEEK, "/week", "/wk", "/ week")
_add(Tag.SLASH_PER, Unit.MONTH, "/month", "/mo", "/ month")
_add(
    Tag.ADVERB, (1, Unit.DAY, "bedtime"), "nightly", "every night", "each night", "at night", "every evening at bedtime"
)
_add(Tag.ADVERB, (1, Unit.DAY, "morning"), "every morning", "each morning", "qam", "q . a . m .", "q am")
_add(Tag.ADVERB, (1, Unit.DAY, "evening"), "every evening", "each evening", "qpm", "q . p . m .", "q pm")
_add(Tag.ADVERB, (1, Unit.DAY, "bedtime"), "nocte", "o . n .")
_add(Tag.ADVERB, (1, Unit.DAY, "morning"), "mane", "om", "o . m .")
_add(Tag.ADVERB, (1, Unit.DAY, "bedtime"), "qhs", "q . h . s .", "q hs", "q . hs")
_add(Tag.TIMES, 1, "once")
_add(Tag.TIMES, 2, "twice")
_add(Tag.SIG, ("f", 2, Unit.DAY), "twice-a-day", "twice-daily")
_add(Tag.SIG, ("f", 3, Unit.DAY), "three-times-a-day", "three-times-daily")
_add(Tag.TIMES, 3, "thrice")
_add(Tag.MULT, None, "times", "time", "x")
_add(Tag.PER, None, "a", "an", "per", "each", "/", "every single")
_add(Tag.EVERY, None, "every", "q", "each", "once every")
_add(Tag.OTHER, None, "other", "alternate", "second")
for _code, _rhythm in {
    "qd": ("f", 1, Unit.DAY),
    "q . d .": ("f", 1, Unit.DAY),
    "q1d": ("f", 1, Unit.DAY),
    "bd": ("f", 2, Unit.DAY),
    "b . d .": ("f", 2, Unit.DAY),
    "tds": ("f", 3, Unit.DAY),
    "t . d . s .": ("f", 3, Unit.DAY),
    "qds": ("f", 4, Unit.DAY),
    "q . d . s .": ("f", 4, Unit.DAY),
    "qweek": ("f", 1, Unit.WEEK),
    "qmonth": ("f", 1, Unit.MONTH),
    "q2w": ("i", 2, Unit.WEEK),
    "bid": ("f", 2, Unit.DAY),
    "b . i . d .": ("f", 2, Unit.DAY),
    "b . i . d": ("f", 2, Unit.DAY),
    "tid": ("f", 3, Unit.DAY),
    "t . i . d .": ("f", 3, Unit.DAY),
    "t . i . d": ("f", 3, Unit.DAY),
    "qid": ("f", 4, Unit.DAY),
    "q . i . d .": ("f", 4, Unit.DAY),
    "q . i . d": ("f", 4, Unit.DAY),
    "qod": ("i", 2, Unit.DAY),
    "q . o . d .": ("i", 2, Unit.DAY),
    "every other day": ("i", 2, Unit.DAY),
    "on alternate days": ("i", 2, Unit.DAY),
    "every second day": ("i", 2, Unit.DAY),
    "every other night": ("i", 2, Unit.DAY),
    "every second night": ("i", 2, Unit.DAY),
    "on alternate nights": ("i", 2, Unit.DAY),
    "alternate nights": ("i", 2, Unit.DAY),
    "qwk": ("f", 1, Unit.WEEK),
    "q week": ("f", 1, Unit.WEEK),
    "biw": ("f", 2, Unit.WEEK),
    "tiw": ("f", 3, Unit.WEEK),
    "qmo": ("f", 1, Unit.MONTH),
    # a year is 12 calendar months: "once a year" is every 12 months, on the same date
    "once a year": ("i", 12, Unit.MONTH),
    "once yearly": ("i", 12, Unit.MONTH),
    "yearly": ("i", 12, Unit.MONTH),
    "annually": ("i", 12, Unit.MONTH),
    "once annually": ("i", 12, Unit.MONTH),
    "every year": ("i", 12, Unit.MONTH),
    "once every year": ("i", 12, Unit.MONTH),
    "each year": ("i", 12, Unit.MONTH),
    "every morning and evening": ("f", 2, Unit.DAY),
    "every morning and every evening": ("f", 2, Unit.DAY),
    "each morning and evening": ("f", 2, Unit.DAY),
    "morning and evening": ("f", 2, Unit.DAY),
    "in the morning and evening": ("f", 2, Unit.DAY),
    "in the morning and in the evening": ("f", 2, Unit.DAY),
    "morning and night": ("f", 2, Unit.DAY),
}.items():
    _add(Tag.SIG, _rhythm, _code)
_add(Tag.FOR, None, "for", "over", "over the next", "for the next", "during", "x", "for a period of", "lasting")
_add(Tag.UP_TO, None, "up to", "no longer than", "not longer than", "no more than", "not more than",
     "a maximum of", "maximum of", "at most", "not to exceed", "max", "maximum", "a max of", "or for up to",
     "not exceeding")  # fmt: skip
# A comparative is a most only under a negation ("do not use for longer than 16 weeks"); alone it is a
# least ("daily use for more than 3 months is needed"): the draft decides, by the negation's scope.
_add(Tag.UP_TO, "than", "for longer than", "longer than", "more than", "for more than")
_add(Tag.AT_LEAST, None, "at least", "a minimum of", "minimum of", "no less than", "not less than")
# After the period: "for three months or more", "6 weeks or longer", "for 3 months at least".
_add(Tag.AT_LEAST, None, "or more", "or longer", "or over", "or beyond")
# "for the first 3 days", "for the next 4 days": the phase's own length (its place is its order).
_add(Tag.FOR, None, "for the first", "for the next", "during the first", "during the next", "over the first")
_add(Tag.TOTAL, None, "a total of", "total of", "in total", "total", "a course of", "in all")
_add(Tag.CONSECUTIVE, None, "consecutive", "in a row", "successive", "straight")
_add(Tag.UNTIL, None, "until", "till", "til")
_add(Tag.THEN, None, "then", "followed by", "after this", "after that", "thereafter", "afterwards", "and then",
     "after which", "subsequently")  # fmt: skip
# "Step 1: …. Step 2: …": numbered steps are phases one after another, as with "then".
_STEPS = ("1", "2", "3", "4", "5", "6", "one", "two", "three", "four", "five", "six")
_add(Tag.THEN, None, *(f"step {n}{mark}" for n in _STEPS for mark in ("", " :", " ,", " -")))
_add(Tag.OR, None, "or", "alternatively", "or alternatively")
_add(Tag.AND, None, "and", "&", "plus")
_add(Tag.ANCHOR, "bedtime", "bedtime", "at bedtime", "before bedtime", "before bed", "at bed time", "hs",
     "at night before bed", "before going to bed", "before sleep", "at hs")  # fmt: skip
_add(Tag.ANCHOR, "morning", "in the morning", "morning", "on rising", "on waking", "upon waking",
     "first thing in the morning", "mornings")  # fmt: skip
_add(Tag.ANCHOR, "evening", "in the evening", "evening", "evenings", "early evening", "in the early evening",
     "before evening meal", "before the evening meal", "before dinner", "before supper")  # fmt: skip
# Noon is a time of day of its own; alone it is planned at 12:00 (phase._time_of_day).
_add(Tag.ANCHOR, "midday", "at noon", "noon", "midday", "at midday", "at lunch", "with lunch", "before lunch",
     "at lunchtime", "lunchtime")  # fmt: skip
_add(Tag.ANCHOR, "before-breakfast", "before breakfast", "before the first food", "before the first meal",
     "before the first drink", "ac breakfast")  # fmt: skip
_add(Tag.ANCHOR, "evening", "at dinner", "at supper", "with dinner", "with supper", "at dinnertime", "after dinner",
     "after supper", "after evening meal", "after the evening meal", "after your evening meal")  # fmt: skip
_add(Tag.ANCHOR, "midday", "after lunch", "with midday meal", "after the midday meal")
# Two or three meals named: a dose with each ("twice a day with breakfast and dinner").
_TWO_MEALS = ("breakfast and dinner", "breakfast and supper", "breakfast and evening meal",
              "breakfast and the evening meal", "breakfast and lunch")  # fmt: skip
_THREE_MEALS = ("breakfast , lunch and dinner", "breakfast lunch and dinner", "breakfast , lunch and supper",
                "breakfast , lunch , and dinner", "breakfast lunch and supper")  # fmt: skip
for _times, _meals in ((2, _TWO_MEALS), (3, _THREE_MEALS)):
    for _meal in _meals:
        _with = (f"with {_meal}", f"at {_meal}", f"with {_meal.replace(' and ', ' and with ')}")
        _add(Tag.ADVERB, (_times, Unit.DAY, "with-meal"), *_with)
_add(Tag.ANCHOR, "breakfast", "at breakfast", "with breakfast", "at breakfast time", "with your breakfast")
_add(Tag.ANCHOR, "with-meal", "with food", "with meals", "with a meal",
     "with evening meal", "with your evening meal", "with the evening meal", "with milk or food", "with meal",
     "wf", "w / f", "with foods")  # fmt: skip
_add(Tag.ANCHOR, "before-meals", "before meals", "before a meal", "before each meal", "before food", "ac")
_add(Tag.ANCHOR, "after-meal", "after a meal", "after meals", "after food", "after eating", "pc",
     "after the end of a meal", "after the end of meals", "after a meal or snack")  # fmt: skip
_add(Tag.NEGATION, None, "not", "never", "no", "do not", "don't", "must not", "should not", "nor")
_add(Tag.AS_DIRECTED, None, "as directed", "directed by", "as instructed", "as prescribed", "ud", "u . d .",
     "as per", "as advised", "decided by", "set by", "determined by")  # fmt: skip
_add(Tag.AS_NEEDED, None, "as needed", "when needed", "if needed", "prn", "p . r . n .", "as required",
     "when required", "if required", "as necessary", "when necessary", "on demand", "when you need it",
     "if you need it", "when you need to")  # fmt: skip
_add(Tag.USUALLY, None, "usually", "typically", "generally", "commonly", "normally", "most often")
_add(Tag.EXAMPLE, None, "often prescribed as", "is often prescribed as", "for example", "e . g .", "such as",
     "is often", "commonly prescribed as", "an example", "is suggested", "are suggested")  # fmt: skip
_add(Tag.MAY, None, "may", "might", "can", "could")
_add(Tag.INDIVIDUAL, None, "individualized", "individualised", "depending on", "depends on", "based on",
     "according to", "adjusted", "adjust", "titrated", "titrate", "tailored")  # fmt: skip
_add(Tag.LAB, None, "inr", "blood glucose", "glucose", "blood sugar", "sliding scale", "levels", "level",
     "blood counts", "blood tests", "blood test", "readings", "reading", "lab results")  # fmt: skip
_add(Tag.DOSE_WORD, None, "dose", "doses", "application", "applications", "administration", "treatment",
     "treatments", "course")  # fmt: skip
_add(Tag.SINGLE, "x1", "x1", "x 1")  # "x1": one dose, or (beside a rhythm) one day?
_add(Tag.SINGLE, None, "once only", "single", "one-time", "once only", "one-off", "stat", "at once",
     "now", "immediately", "right away", "as one dose")  # fmt: skip
_add(Tag.REST, None, "stop for", "withhold for", "withhold", "withhold use", "withhold treatment", "off", "rest",
     "break", "no - treatment", "no treatment", "treatment - free", "drug - free", "without treatment", "pause",
     "rest period", "no - treatment period", "treatment - free period", "no - treatment interval",
     "drug - free interval", "of no treatment", "of no therapy", "off treatment")  # fmt: skip
for _free in (
    "treatment",
    "drug",
    "tablet",
    "pill",
    "capsule",
    "patch",
    "medication",
    "medicine",
    "therapy",
    "dose",
    "dosing",
    "hormone",
):  # "a 7-day tablet-free interval": a rest, whatever is left out
    _add(
        Tag.REST,
        None,
        f"{_free} - free",
        f"{_free} free",
        *(f"{_free} - free {p}" for p in ("period", "interval", "week", "break")),
    )
_add(Tag.CYCLE, None, "cycle", "cycles")
_add(Tag.RANGE, None, "to", "-", "through", "thru")
_add(Tag.STOP, None, "stop", "discontinue", "stop treatment", "stop taking", "stop using")
_add(Tag.REPEAT, None, "repeat", "repeated", "repeating")
_add(Tag.IF, None, "if", "unless", "in case")
_add(Tag.LATER, None, "later", "apart")
_add(Tag.AFTER, None, "after", "before", "prior to", "after the end of", "after completing", "after finishing")
_add(Tag.ONGOING, None, "for life", "lifelong", "life - long", "for the rest of your life", "for the rest of life")
_add(Tag.ONGOING, None, "long - term", "long term", "ongoing", "indefinitely", "continuously",
     "on the same day each week", "on the same day every week", "same day each week", "same day every week",
     "on the same date each month", "on the same date every month", "same date each month",
     "same day each month", "on the same day of the week", "the same day of the week",
     "continued while", "continue while", "for as long as", "as long as", "until progression",
     "until disease progression", "until unacceptable toxicity", "continued while it helps")  # fmt: skip
_EVENTS = ("leaving", "you leave", "departure", "arrival", "arriving", "coming back", "returning", "you return",
           "you come back", "travel", "travelling", "traveling", "the trip", "the stay", "surgery", "the procedure",
           "exposure", "entering", "entry", "the journey", "your trip", "your stay")  # fmt: skip
_add(Tag.EVENT, None, *(f"{rel} {event}" for rel in ("before", "after", "during") for event in _EVENTS))
_add(Tag.CLEAR, None, "clearance", "clear", "cleared", "healed", "heal", "healing", "resolved", "resolution",
     "gone", "disappear", "disappeared", "no longer visible", "clears")  # fmt: skip
_add(Tag.ON, None, "on")
_add(Tag.WITHIN, None, "within", "no later than")
_add(Tag.ERROR_PRONE, None, "od", "o . d .", "1od")
# "1 gtt daily in OD": after "in", "od" is the right eye (oculus dexter), a place, never a rhythm.
_add(Tag.WORD, None, "in od", "in the od", "into od", "in o . d .", "in os", "in ou", "into os", "into ou")
_add(Tag.NOT_ADVISED, None, "has not been studied", "have not been studied", "not been established",
     "is not recommended", "are not recommended", "not been evaluated")  # fmt: skip
_add(Tag.REPEAT, None, "a second", "another", "a further", "an additional", "additional")
# The waking day: read with "every 4 hours, five times a day" (phase.awake_hours), else refused.
_add(Tag.AWAKE, None, "while awake", "during waking hours", "when awake", "while you are awake")
_add(Tag.CHANGE, None, "decrease", "decrease to", "increase", "increase to", "reduce", "reduce to", "taper",
     "taper by", "step down", "go up", "go down", "increased", "increased to", "decreased", "decreased to",
     "reduced", "reduced to", "switch to", "switched to", "be switched to", "changed to", "be changed to")  # fmt: skip
_add(Tag.SOME, None, "several", "a few", "few", "some", "many", "a couple of", "a number of")
# A length named but not counted: "for a while", "for some time"
_add(Tag.SOME, None, "a while", "a short while", "a little while", "some time", "a long time", "a short time",
     "a short period", "a long period", "a time")  # fmt: skip
_add(Tag.INITIAL, None, "starting dose", "starting doses", "starting dosage", "initial dose", "initial doses",
     "initial dosage", "initially", "start with", "to start with", "to begin with", "at first")  # fmt: skip
_add(Tag.DISPENSE, None, "#", "qty", "quantity", "disp", "dispense")
_add(Tag.ANCHOR, "before-breakfast", "before eating or drinking", "before eating or drinking anything")
_add(Tag.DAILY_MOST, None, "mdd", "max daily dose", "maximum daily dose", "max per day", "maximum per day")
_add(Tag.MERIDIEM, "am", "am", "a . m .", "a.m.")
_add(Tag.MERIDIEM, "pm", "pm", "p . m .", "p.m.")
_add(Tag.DIVIDED, None, "divided", "divided doses", "in divided doses", "equally divided", "split into")
_add(Tag.EXCEPT, None, "except", "except on", "excluding", "other than on", "apart from")
_add(Tag.MEASURE, None, "cm", "inch", "inches", "fingertip unit", "fingertip units", "fingertip", "fingertips")
_add(Tag.PREPARATION, None, "gel", "cream", "ointment", "solution", "lotion", "foam", "shampoo", "suspension",
     "syrup", "elixir", "liquid", "oral solution", "oral suspension", "film", "paste")  # fmt: skip
# "by subcutaneous injection": the route, not a count of injections ("1 injection SQ weekly" is one).
_add(
    Tag.WORD,
    None,
    *(
        f"{by}{how}injection"
        for by in ("", "by ", "as an ", "as a ", "via ")
        for how in ("", "subcutaneous ", "intramuscular ", "intravenous ", "sc ", "sq ", "im ", "iv ")
        if by or how
    ),
)
_add(Tag.WORD, None, "with or without food", "with or without meals", "with or without a meal")
# Checking a reading is an action of its own, not a dose set by the reading ("use to check glucose 3 times daily").
_add(Tag.WORD, None, "check glucose", "check blood glucose", "check blood sugar", "check your blood sugar",
     "check your blood glucose", "test blood sugar", "test blood glucose", "test glucose",
     "monitor blood glucose")  # fmt: skip
_add(Tag.SHORT_UNIT, None, "second", "seconds", "sec", "secs", "minute", "minutes", "mins", "min")
_add(Tag.CLINIC, None, "in office", "in the office", "in clinic", "in the clinic", "at the clinic", "at the office",
     "in the doctor's office", "at the doctor's office", "by the nurse", "by a nurse", "in the hospital")  # fmt: skip
_add(Tag.RUN_TOGETHER, None, RUN_TOGETHER_DAYS)
_add(Tag.EQUALS, None, "=", "equals", "is equal to", "equivalent to")
_add(Tag.DAY_ORDINAL, 1, "first")
_add(Tag.OPEN, None, "(", "[")
_add(Tag.CLOSE, None, ")", "]")
_add(Tag.COMMA, None, ",")
_add(Tag.STOPPER, None, ";", ".", ":", "instr")  # "instr": where a prescription's free-text instructions begin

# Every word of the lexicon's phrases: a sig that ends in a part of one ("take with mea") was cut off.
WORDS = frozenset(word for phrase in PHRASES for word in phrase)


def cut_off(last: str) -> bool:
    """ "mea" (of "meal"): a last word of three or more letters that is no word of the lexicon but
    begins one of its words."""
    if len(last) < 3 or not last.isalpha() or last in WORDS:
        return False
    return any(word.startswith(last) for word in WORDS)


# Prescription abbreviations are also written with a dot after each letter ("a.c.", "t.i.w."),
# which the tokenizer keeps as one token (tokens._dotted).
for _abbr in ("ac", "pc", "hs", "bid", "tid", "qid", "qd", "qod", "qam", "qpm", "qhs", "prn", "stat", "tiw", "biw",
              "qwk", "qmo", "om", "ud", "bd", "tds", "qds"):  # fmt: skip
    PHRASES.setdefault(("".join(f"{letter}." for letter in _abbr),), PHRASES[(_abbr,)])

# The lengths of the phrases that start with each word, longest first: the tagger tries only those.
STARTS: dict[str, tuple[int, ...]] = {}
for _phrase in PHRASES:
    STARTS[_phrase[0]] = tuple(sorted({*STARTS.get(_phrase[0], ()), len(_phrase)}, reverse=True))
