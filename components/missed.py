"""Missed or late dose: "I missed it" beside "I took it late", the picker on the last dose due,
and one card with the action first, then the next dose, then why."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from planner.errors import PlannerError
from planner.model import MissedDoseAdvice, Schedule, slug
from planner.plan.missed import late_dose_advice, missed_dose_advice
from planner.words.before import labelled, missed_card, missed_text
from planner.words.calendar import dose_table
from planner.words.today import date_text, last_due
from planner.write.ics import to_ics

from .common import md, now_utc

MISSED, LATE = "I missed it", "I took it late"


def _card(advice: MissedDoseAdvice, number: int, moment: dt.datetime, locale: str | None) -> None:
    card = missed_card(advice, number, moment, locale)
    with st.container(border=True, key="missed-card"):
        st.markdown(f"### {md(card.action)}")
        st.markdown(f"**{md(card.next_dose)}**")
        st.markdown(md(card.why))
        if card.source_text:
            st.markdown(f"**The label says:** {md(card.source_text)}")
        warnings = [labelled(w) for w in advice.schedule.warnings]
        if warnings:
            with st.expander(f"{len(warnings)} warnings from the label still apply"):
                st.markdown("\n".join(f"- {md(w)}" for w in warnings))
    updated = advice.schedule
    with st.expander("The updated plan"):
        st.dataframe(dose_table(updated), hide_index=True)
    st.download_button(
        "Download the updated calendar (.ics)",
        to_ics(updated, now_utc()),
        file_name=f"{slug(updated.drug) or 'plan'}-{updated.rule.id}-updated.ics",
        mime="text/calendar",
        key="missed-ics",
        on_click="ignore",
    )
    st.markdown("Import it like the first one: the changed doses replace the old ones in your calendar.")


def missed_section(schedule: Schedule, now: dt.datetime, locale: str | None) -> None:
    st.subheader("Missed or late dose")
    active = schedule.active
    if not active:
        return
    plan = f"{schedule.rule.id}-{schedule.start}-{schedule.preferences}"  # a new plan: fresh widgets
    c1, c2 = st.columns(2)
    if c1.button(MISSED, key="missed-missed", width="stretch"):
        st.session_state["missed-mode"] = (plan, MISSED)
    if c2.button(LATE, key="missed-late", width="stretch"):
        st.session_state["missed-mode"] = (plan, LATE)
    chosen = st.session_state.get("missed-mode")
    if not chosen or chosen[0] != plan:
        st.markdown(f"**If you miss a dose, the label says:** {md(missed_text(schedule))}")
        return
    mode = chosen[1]
    labels = {d.number: f"dose {d.number} – {date_text(d.at.date(), locale)} {d.at:%H:%M}" for d in active}
    due = last_due(schedule, now)
    numbers = list(labels)
    c3, c4, c5 = st.columns(3)
    number = c3.selectbox(
        "Which dose did you miss?" if mode == MISSED else "Which dose did you take late?",
        numbers,
        index=numbers.index(due) if due in labels else 0,
        format_func=labels.__getitem__,
        key=f"missed-number-{plan}-{mode}",
    )
    due_at = next(d.at for d in active if d.number == number)
    moment = now if now > due_at else due_at + dt.timedelta(hours=1)
    asked = "When did you remember? Day" if mode == MISSED else "When did you take it? Day"
    day = c4.date_input(asked, value=moment.date(), key=f"missed-day-{plan}-{mode}-{number}")
    clock = c5.time_input("Time", value=moment.time(), key=f"missed-time-{plan}-{mode}-{number}")
    at = dt.datetime.combine(day, clock)  # wall time in the plan's zone
    try:
        advice = (missed_dose_advice if mode == MISSED else late_dose_advice)(schedule, number, at)
    except PlannerError as exc:
        st.error(md(exc))
        return
    _card(advice, number, at.replace(tzinfo=due_at.tzinfo), locale)
