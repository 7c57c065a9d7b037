"""The prescriber's regimen, entered step by step (several steps make a taper), read back in
words and compared with the label. Used where a regimen needs review (patient) and in the
clinician's preview. Widgets only; the rule and the comparison come from planner.words."""

from __future__ import annotations

import importlib
import importlib.util
import zlib
from collections.abc import Callable

import streamlit as st

from planner.errors import PlannerError
from planner.model import DosingRule, Regimen
from planner.plan.scheduler import ANCHOR_TIMES
from planner.words.compare import differences
from planner.words.prescribed import LengthUnit, Rhythm, Step, prescribed_rule, read_back, rule_of

from .common import md

ANY_TIME = "(any time)"
MAX_STEPS = 8


def _sig_reader() -> Callable[[str], Regimen] | None:
    """The prescription-text reader (``planner.read.sig.read_sig``), where this version of the
    library has it: a feature check, never a stand-in."""
    if importlib.util.find_spec("planner.read.sig") is None:
        return None
    reader = getattr(importlib.import_module("planner.read.sig"), "read_sig", None)
    return reader if callable(reader) else None


def sig_box(key: str) -> Regimen | None:
    """The free-text box for a prescription such as "Take 1 tablet by mouth 3 times a day for 10
    days", read by the library's reader; None when it is blank, unread, or there is no reader."""
    reader = _sig_reader()
    if reader is None:
        return None
    text = st.text_area(
        "Type the prescription as written (or leave this blank and use the steps below)",
        key=f"{key}-sig",
        placeholder="e.g. Take 1 tablet by mouth 3 times a day for 10 days",
        height=68,
    )
    if not text.strip():
        return None
    try:
        return reader(text)
    except PlannerError as exc:
        st.error(f"This prescription was not read: {md(exc)}. Use the steps below instead.")
        return None


def _step(key: str, n: int) -> Step:
    with st.container(border=True):
        st.markdown(f"**Step {n}**")
        c1, c2, c3 = st.columns(3)
        amount = c1.text_input(
            "Amount each time", placeholder="e.g. 8 mg, 2 tablets, a thin layer", key=f"{key}-{n}-amount"
        )
        rhythm = c2.selectbox("How often", list(Rhythm), format_func=lambda r: r.value, key=f"{key}-{n}-rhythm")
        count = c3.number_input(
            "N (the N of “N times” or “every N”)", min_value=1, max_value=72, value=1, key=f"{key}-{n}-count"
        )
        c4, c5, c6 = st.columns(3)
        length = c4.number_input(
            "For how long", min_value=1, max_value=1830, value=7 if n == 1 else 1, key=f"{key}-{n}-length"
        )
        unit = c5.selectbox("Counted in", list(LengthUnit), format_func=lambda u: u.value, key=f"{key}-{n}-unit")
        anchor = c6.selectbox("Time of day", [ANY_TIME, *ANCHOR_TIMES], key=f"{key}-{n}-anchor")
    return Step(rhythm, int(count), int(length), unit, amount, None if anchor == ANY_TIME else anchor)


def steps_form(key: str) -> tuple[Step, ...]:
    """No st.form: Enter in a field only reruns the page, it never submits a half-filled form."""
    steps = st.number_input(
        "How many steps? A taper has one step for each change of dose.",
        min_value=1,
        max_value=MAX_STEPS,
        value=1,
        key=f"{key}-steps",
    )
    return tuple(_step(key, n) for n in range(1, int(steps) + 1))


def compare_with_label(entered: DosingRule, label: DosingRule) -> None:
    """Name every difference from the label's regimen, or say plainly that none could be compared."""
    assert entered.regimen is not None
    regimens = [label.regimen] if label.regimen else [o.regimen for o in label.options]
    if not regimens:
        st.info(
            f"The label gives no regimen for {md(label.name or label.id)} that this app could read, so "
            "yours is not compared with it: check it with your pharmacist. It was checked against the "
            "app's safety bounds (at most 6 doses a day, doses at least 4 hours apart, at most 5 years)."
            + (f"  \n**The label says:** {md(label.source.sentence)}" if label.source.sentence else "")
        )
        return
    found = differences(entered.regimen, regimens[0])
    name = md(label.name or label.id)
    if found:
        st.warning(
            f"**Differs from the label's regimen for {name}** ({md(read_back(label))}):\n"
            + "\n".join(f"- {md(d.text)}" for d in found)
        )
    else:
        st.info(
            f"Same doses a day, doses a week, length, number of doses and amount as the label's regimen for "
            f"{name}. Other limits of the label (spacing, time of day) are checked when the plan is made."
        )


def entered_rule(key: str, label: DosingRule, confirm: bool) -> DosingRule | None:
    """The prescription's words or the step form, the read-back and the comparison; with
    ``confirm``, a rule only once the patient confirms the words."""
    regimen = sig_box(key)
    try:
        if regimen is not None:
            rule = rule_of(regimen, population=label.population)
        else:
            rule = prescribed_rule(steps_form(key), population=label.population)
    except PlannerError as exc:
        st.error(f"This regimen cannot be planned: {md(exc)}")
        return None
    words = read_back(rule)
    st.markdown(f"**{'Read from the prescription' if regimen is not None else 'You entered'}:** {md(words)}.")
    compare_with_label(rule, label)
    if confirm and not st.checkbox(
        "Yes, this is the regimen my prescriber gave me", key=f"{key}-confirmed-{zlib.crc32(words.encode())}"
    ):
        st.info("Check the words above against your prescription, then tick the box to see your calendar.")
        return None
    return rule
