"""What the label leaves to the user or the prescriber: which option, what amount, what follows.

Pure functions the scheduler calls: ``choose`` picks one of the options a label allows
(never merging two), ``dose_amount`` writes the amount of a dose where the label gives a
range or a dose by weight (the prescriber's amount, checked to lie in the label's range, or
"dose as prescribed (10 to 25 mg)"; never one the planner picked), and ``closing`` adds the
review reminder that ends a partial regimen ("then a maintenance dose as directed").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from fractions import Fraction

from ..errors import ScheduleError
from ..model import DosingRule, OptionKind, Phase, Preferences, Regimen, Reminder, ReminderKind
from ..read.tokens import Kind, tokenize


def choose(rule: DosingRule, option: int | None) -> tuple[DosingRule, tuple[str, ...]]:
    """The rule with the chosen option as its regimen, and what the plan must say about it."""
    options = rule.options
    if not options:
        if option not in (None, 1):
            raise ScheduleError(f"{rule.id} has one regimen, not {option}", key="option", hint="leave --option out")
        return rule, ()
    if option is not None and not 1 <= option <= len(options):
        raise ScheduleError(
            f"{rule.id} has {len(options)} options, not {option}", key="option", hint=f"choose 1 to {len(options)}"
        )
    picked = options[(option or 1) - 1]
    if picked.kind is OptionKind.CONDITIONAL and option is None:
        raise ScheduleError(f"option 1 of {rule.id} applies only under a condition", key="option")
    notes = []
    conditional = [k for k, o in enumerate(options, 1) if o.kind is OptionKind.CONDITIONAL]
    if len(options) - len(conditional) > 1:
        how = "you chose" if option else "the first the label lists; choose another with --option"
        notes.append(f"The label allows {len(options)} regimens; this is option {option or 1} ({how}).")
    for k in conditional:  # "repeat the course once if it returns": planned only when asked for
        said = "this plan" if k == option else f"not in this plan; --option {k} plans it"
        notes.append(f"Option {k} ({options[k - 1].note or 'under a condition'}) is {said}.")
    if picked.kind is OptionKind.LABEL_EXAMPLE:
        notes.append("This is the label's example: confirm it is what you were prescribed.")
    return replace(rule, regimen=picked.regimen), tuple(notes)


def _numbers(text: str) -> tuple[list[Fraction], str]:
    tokens = tokenize(text)
    if any(t.kind is Kind.BAD_NUMBER for t in tokens):
        return [], ""
    values = [t.value for t in tokens if t.kind is Kind.NUMBER and t.value is not None]
    unit = " ".join(t.norm for t in tokens if t.kind is Kind.WORD and t.norm not in ("to", "and"))
    return values, unit


def dose_amount(phase: Phase, prefs: Preferences) -> str | None:
    """The amount written on each dose of a phase."""
    if not phase.amount_open:
        return phase.amount
    if prefs.amount is None:
        return f"dose as prescribed ({phase.amount})"
    label, label_unit = _numbers(phase.amount or "")
    given, given_unit = _numbers(prefs.amount)
    if len(given) != 1:
        raise ScheduleError(
            f"the amount {prefs.amount!r} is not one number and a unit", key="amount", hint="e.g. 15 mg"
        )
    if "/" in (phase.amount or ""):  # by weight or body surface: the prescriber worked it out
        return f"{prefs.amount} (the label: {phase.amount})"
    if len(label) == 2 and given_unit == label_unit and not label[0] <= given[0] <= label[1]:
        raise ScheduleError(
            f"{prefs.amount} is outside the label's range ({phase.amount})", key="amount", hint=f"within {phase.amount}"
        )
    if given_unit != label_unit:
        raise ScheduleError(f"the amount {prefs.amount!r} is not in the label's unit ({phase.amount})", key="amount")
    return prefs.amount


def closing(regimen: Regimen, last: dt.date | None) -> tuple[Reminder, ...]:
    """A partial regimen ends with a review: the prescriber sets what follows."""
    if regimen.then is None or last is None:
        return ()
    return (
        Reminder(
            last,
            ReminderKind.REVIEW,
            f"The planned part ends here. What follows is set by your prescriber ({regimen.then}): "
            "ask them before this date.",
        ),
    )
