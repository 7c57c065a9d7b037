"""The dates a regimen timed from an event needs (the day you leave, the day you come back),
asked only when the chosen regimen needs them; the planner dates the course from them."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from planner.model import DosingRule, EventNeed

LABELS = {EventNeed.EVENT_START: "The day you leave", EventNeed.EVENT_END: "The day you come back"}


def trip_dates(rule: DosingRule, option: int | None, today: dt.date) -> dict[EventNeed, dt.date] | None:
    """The event's dates a rule timed from an event needs, by need; None until the patient has
    given them (and chosen one of a range of start times)."""
    if len(rule.options) > 1 and option is None:
        st.info("The label gives a range of start times: choose which one your prescriber gave you.")
        return None
    needs = rule.options[(option or 1) - 1].regimen.needs
    st.markdown("#### Your trip")
    columns = st.columns(len(needs))
    given = {
        need: column.date_input(LABELS[need], value=None, min_value=today, key=f"patient-{need.value}-{rule.id}")
        for need, column in zip(needs, columns, strict=True)
    }
    if any(day is None for day in given.values()):
        st.info("Give " + " and ".join(LABELS[n].lower() for n, d in given.items() if d is None) + " to see the plan.")
        return None
    return {need: day for need, day in given.items() if day is not None}
