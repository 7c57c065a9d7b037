"""A label that names no length of treatment: planned as ongoing (until the prescriber stops it),
with a note; a label that names a length the reader could not place, starts a dose the
prescriber then changes, or leaves the schedule to the prescriber, is not silence and is not
planned as ongoing. The same meaning reworded reads the same."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planner.model import DurationKind, Frequency, Interval, Unit
from planner.read.reader import Context, read

NOTE = "the label sets no end: the treatment goes on until your prescriber stops it"
RHYTHMS = {
    "once daily": Frequency(1, Unit.DAY), "once a day": Frequency(1, Unit.DAY), "every day": Frequency(1, Unit.DAY),
    "twice daily": Frequency(2, Unit.DAY), "two times a day": Frequency(2, Unit.DAY),
    "three times a day": Frequency(3, Unit.DAY), "once weekly": Frequency(1, Unit.WEEK),
    "once a week": Frequency(1, Unit.WEEK), "every 12 hours": Interval(12, Unit.HOUR),
    "every 3 months": Interval(3, Unit.MONTH), "three times a week": Frequency(3, Unit.WEEK),
}  # fmt: skip
AMOUNTS = {"5 mg": "5 mg", "one 35 mg tablet": "35 mg", "2 tablets": "2 tablets", "500 mg": "500 mg"}
OPENINGS = ["Take {a} {r}", "The usual dose is {a} {r}", "{a} by mouth {r}", "Patients take {a} {r}"]
TAILS = ["", ", with a full glass of water", ", at least 30 minutes before the first food of the day",
         ", with or without food", ", swallowed whole"]  # fmt: skip


def _rhythm(phase: object) -> object:
    return getattr(phase, "frequency", None) or getattr(phase, "interval", None)


@given(st.sampled_from(OPENINGS), st.sampled_from(sorted(AMOUNTS)), st.sampled_from(sorted(RHYTHMS)),
       st.sampled_from(TAILS))  # fmt: skip
def test_a_label_silent_about_an_end_is_ongoing_with_a_note(opening: str, amount: str, rhythm: str, tail: str) -> None:
    text = opening.format(a=amount, r=rhythm) + tail + "."
    reading = read(text[0].upper() + text[1:], Context.MONOGRAPH)
    assert reading.options, (text, reading.reasons)
    (phase,) = reading.options[0].regimen.phases
    assert phase.duration is not None and phase.duration.kind is DurationKind.ONGOING
    assert (phase.amount, _rhythm(phase)) == (AMOUNTS[amount], RHYTHMS[rhythm])
    assert NOTE in reading.notes


NOT_SILENCE = [
    "Initially, take {a} {r}.",  # a first step the prescriber then changes
    "The starting dose is {a} {r}.",
    "Take {a} {r} as directed by your doctor.",  # the schedule is the prescriber's
    "Take {a} {r}, adjusted according to response.",
    "Take {a} {r} for postmenopausal women.",  # a "for" the reader does not place
    "Take {a} {r} for several weeks.",  # a length with no number
    "Take {a} {r}; a few months of treatment are needed.",
    "Take {a} {r}. A patient who becomes dizzy may be switched to 1 mg twice daily.",
    "Take {a} {r} until the rash clears.",
]


@given(st.sampled_from(NOT_SILENCE), st.sampled_from(sorted(AMOUNTS)), st.sampled_from(sorted(RHYTHMS)))
def test_a_length_or_a_prescribers_change_is_not_silence(template: str, amount: str, rhythm: str) -> None:
    reading = read(template.format(a=amount, r=rhythm), Context.MONOGRAPH)
    assert NOTE not in reading.notes
    ongoing = [
        p for o in reading.options for p in o.regimen.phases if p.duration and p.duration.kind is DurationKind.ONGOING
    ]
    assert not ongoing, (template, reading)


def test_a_stated_length_is_kept_and_a_prescription_needs_no_note() -> None:
    fixed = read("Take 500 mg twice daily for 7 days.", Context.MONOGRAPH)
    assert fixed.regimen is not None and fixed.regimen.phases[0].duration.kind is DurationKind.FIXED
    assert NOTE not in fixed.notes
    sig = read("Take 500 mg twice daily", Context.SIG)  # a prescription: ongoing already, no label to speak of
    assert sig.regimen is not None and sig.regimen.phases[0].duration.kind is DurationKind.ONGOING
    assert NOTE not in sig.notes
