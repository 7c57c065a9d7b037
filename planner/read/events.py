"""Dosing language, regimens timed from an event: a dosing text → its event window and the rest.

"Begin one week before leaving, take 1 tablet weekly during the stay and for 4 weeks after
coming back" is one rhythm (weekly) over a window only the user can date: from a lead before
the event's first day to a tail after its last day. ``find`` takes the window's words out of
the text (spans kept: they are blanked, or the tail is left as a plain "for 4 weeks" that the
reader reads as the phase's end); the reader reads what is left as usual, and ``timed``
turns that reading into regimens whose ``needs`` name the dates to ask for.

Which date an edge counts from follows its direction word: "before leaving / travel /
entering the area" counts back from the first day, "after coming back / leaving the area /
return" on from the last day. An event word that points the other way ("before coming back",
"after arrival") and events with a time of day (surgery, a procedure) are not read here: the
reader refuses them as before. A range of leads ("1 to 2 days before") is an option per value,
and the planner asks which (never the longer or the shorter on its own).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..model import Duration, DurationKind, EventNeed, EventStart, EventWindow, Option, Span, Unit
from .tokens import Kind, Token, tokenize

if TYPE_CHECKING:
    from .reader import Reading

_UNITS = {"day": Unit.DAY, "days": Unit.DAY, "week": Unit.WEEK, "weeks": Unit.WEEK, "month": Unit.MONTH,
          "months": Unit.MONTH}  # fmt: skip
_START_ONLY = {("arrival",), ("arriving",), ("entering",), ("entry",), ("you", "arrive"), ("you", "get", "there")}
_END_ONLY = {("return",), ("returning",), ("coming", "back"), ("you", "come", "back"), ("you", "return"),
             ("your", "return"), ("coming", "home"), ("you", "come", "home"), ("getting", "back"),
             ("you", "get", "back")}  # fmt: skip
_EITHER = {("leaving",), ("you", "leave"), ("departure",), ("departing",), ("travel",), ("travelling",),
           ("traveling",), ("you", "travel"), ("the", "trip"), ("your", "trip"), ("the", "journey"),
           ("your", "journey"), ("exposure",), ("the", "stay"), ("your", "stay")}  # fmt: skip
_EVENTS = _START_ONLY | _END_ONLY | _EITHER
# Words that belong to the event's phrase after its word: "travel to the malarious area".
_PLACE = {"to", "from", "in", "into", "the", "a", "malarious", "malaria", "endemic", "risk", "area", "areas",
          "region", "country", "zone", "home", "abroad"}  # fmt: skip
_DURING = {("during",), ("while", "there"), ("while", "away"), ("while", "abroad"), ("while", "travelling"),
           ("while", "traveling"), ("throughout",), ("while", "in"), ("while", "you", "are", "there"),
           ("while", "you", "are", "away"), ("while", "you", "are", "in")}  # fmt: skip
_CONTINUE = {"continuing", "continue", "continued", "keep", "keeping"}
REASON = "timed from an event: the calendar needs {dates}"
_DATE_WORDS = {EventNeed.EVENT_START: "the date you leave", EventNeed.EVENT_END: "the date you come back"}


@dataclass(frozen=True)
class Found:
    """The event window a text states, and the text the reader reads for the rest."""

    rest: str
    leads: tuple[Duration, ...]  # one per value of the lead ("1 to 2 days": two); () no lead
    tail: Duration | None
    during: bool  # "during the stay", "while there", "continuing": the doses go on through the event
    spans: tuple[Span, ...]


def dates_needed(needs: tuple[EventNeed, ...]) -> str:
    """ "the date you leave and the date you come back"."""
    return " and ".join(_DATE_WORDS[n] for n in needs)


def _event_at(tokens: list[Token], k: int) -> int | None:
    """The end index of an event phrase starting at ``k`` (with its place words), or None."""
    for size in (4, 3, 2, 1):
        if tuple(t.norm for t in tokens[k : k + size]) in _EVENTS:
            end = k + size
            while end < len(tokens) and tokens[end].norm in _PLACE:
                end += 1
            return end
    return None


def _stay_at(tokens: list[Token], k: int) -> int | None:
    """The end index of "during the stay", "while there", "throughout the trip" at ``k``, or None."""
    if tokens[k].norm not in ("during", "while", "throughout"):
        return None
    size = next((n for n in (4, 3, 2, 1) if tuple(t.norm for t in tokens[k : k + n]) in _DURING), 0)
    end = _event_at(tokens, k + size) if size == 1 else k + size if size else None
    while end is not None and end < len(tokens) and tokens[end].norm in _PLACE:
        end += 1
    return end


def _period(tokens: list[Token], end: int) -> tuple[int, tuple[int, ...], Unit] | None:
    """The period that ends just before ``end``: (first index, values, unit): "1 to 2 days", "a week"."""
    if end < 2 or tokens[end - 1].norm not in _UNITS:
        return None
    unit, k = _UNITS[tokens[end - 1].norm], end - 2
    value = tokens[k].value
    if tokens[k].norm in ("a", "an", "one"):
        values: tuple[int, ...] = (1,)
    elif value is not None and value.denominator == 1:
        values = (int(value),)
        if k >= 2 and tokens[k - 1].norm in ("to", "-", "or") and tokens[k - 2].kind is Kind.NUMBER:
            low = tokens[k - 2].value
            if low is None or low.denominator != 1 or not 0 < low < values[0]:
                return None
            values, k = tuple(range(int(low), values[0] + 1)), k - 2
    else:
        return None
    return k, values, unit


def _edge(tokens: list[Token], k: int) -> tuple[int, int, tuple[int, ...], Unit] | None:
    """ "[for] 1 to 2 days before leaving" at the direction word ``k``: (start, end, values, unit);
    None where the event's word points the other way ("before coming back", "after arrival")."""
    end = _event_at(tokens, k + 1)
    period = _period(tokens, k)
    if end is None or period is None:
        return None
    first, values, unit = period
    phrase = tuple(t.norm for t in tokens[k + 1 : end])
    wrong = _END_ONLY if tokens[k].norm == "before" else _START_ONLY
    if any(phrase[: len(e)] == e for e in wrong):
        return None
    start = tokens[first - 1].start if first and tokens[first - 1].norm == "for" else tokens[first].start
    return start, tokens[end - 1].end, values, unit


def _may_name_an_event(text: str) -> bool:
    """Most dosing texts name no event: no need to tokenize them."""
    low = text.lower()
    return any(word in low for word in ("before", "after", "during", "while", "throughout"))


def find(text: str) -> Found | None:
    """The event window of a text, or None when it states none this module reads."""
    if not _may_name_an_event(text):
        return None
    tokens = [t for t in tokenize(text) if t.kind is not Kind.PUNCT or t.norm not in ("(", ")")]
    words = {t.norm for t in tokens}
    chars = list(text)
    leads: tuple[Duration, ...] = ()
    tail: Duration | None = None
    during = bool(words & _CONTINUE)
    spans: list[Span] = []

    def blank(a: int, b: int, keep: str = "") -> None:
        chars[a:b] = list(keep.ljust(b - a))

    stays = [(t.start, tokens[end - 1].end) for k, t in enumerate(tokens) if (end := _stay_at(tokens, k))]
    for stay in stays:
        blank(*stay)
        spans.append(Span("event", *stay))
    during = during or bool(stays)
    for k, token in enumerate(tokens):
        if token.norm not in ("before", "after"):
            continue
        edge = _edge(tokens, k)
        if edge is None:
            return None  # "after meals", "before surgery", "before coming back": not an event window
        start, end, values, unit = edge
        if token.norm == "before":
            if leads:
                return None
            leads = tuple(Duration(DurationKind.FIXED, unit, v, v) for v in values)
            blank(start, end)
        else:
            if tail is not None or len(values) > 1:
                return None
            tail = Duration(DurationKind.FIXED, unit, values[0], values[0])
            blank(start, end, f"for {values[0]} {unit.value}s")  # the reader reads the end
        spans.append(Span("event", start, end))
    if not leads and tail is None:
        return None
    if stays and tail is None:
        blank(*stays[-1], "ongoing")  # it ends with the event: the reader reads no end of its own
    return Found("".join(chars), leads, tail, during, tuple(spans))


def timed(reading: Reading, found: Found) -> tuple[tuple[Option, ...], tuple[str, ...]]:
    """The regimens of a reading of ``found.rest`` with the window put back, and the reasons
    (the dates the calendar needs, or why the window does not fit the regimen)."""
    if reading.reasons or len(reading.options) != 1:
        why = reading.reasons or ("with several regimens: the prescriber chooses",)
        return (), ("timed from an event (for example travel): the calendar needs that event's dates", *why)
    regimen = reading.options[0].regimen
    if len(regimen.phases) != 1 or regimen.then is not None:
        return (), ("timed from an event, in several steps: the prescriber sets the dates",)
    phase = regimen.phases[0]
    own = phase.duration if phase.duration and phase.duration.kind is not DurationKind.ONGOING else None
    if found.tail is not None:
        if own != found.tail or phase.doses is not None or phase.cycle is not None:
            return (), ("timed from an event, with an end of its own as well: read two ways",)
        own = None
    if found.leads and found.tail is not None and not found.during:
        return (), ("timed from an event: whether to take it during the stay is not said",)
    if own is None and phase.doses is None and found.tail is None and not found.during:
        return (), ("timed from an event: when it ends is not said",)
    begins = EventStart.BEFORE if found.leads else EventStart.DURING if found.during else EventStart.AFTER
    ends_with_event = found.tail is not None or own is None and phase.doses is None
    needs = tuple(
        n for n, on in ((EventNeed.EVENT_START, begins is not EventStart.AFTER), (EventNeed.EVENT_END, ends_with_event))
        if on
    )  # fmt: skip
    options = []
    for lead in found.leads or (None,):
        window = EventWindow(begins, lead, found.tail)
        placed = replace(phase, duration=own, event=window)
        options.append(Option(replace(regimen, phases=(placed,), needs=needs), reading.options[0].kind))
    return tuple(options), (REASON.format(dates=dates_needed(needs)),)
