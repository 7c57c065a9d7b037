"""A planned course for the patient, result first: the next-dose card, "Before you start", the
calendar and the dose list, the downloads."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import streamlit as st

from planner.model import Schedule, SourceKind, slug
from planner.words.before import key_points, warning_groups
from planner.words.calendar import IMPORT_HOWTO, dose_table
from planner.words.today import next_dose
from planner.write.ics import to_ics
from planner.write.sheet import course_sheet

from .calendar import calendar_picture
from .common import md, now_utc


def next_dose_card(schedule: Schedule, now: dt.datetime, locale: str | None) -> None:
    upcoming = next_dose(schedule, now, locale)
    with st.container(border=True, key="next-dose-card"):
        if upcoming is None:
            st.markdown("### Course complete")
            st.markdown("Every planned dose is in the past. Ask your prescriber before taking more.")
            return
        st.markdown(f"### Next: {upcoming.title.lower()}")
        how = f" · {md(upcoming.how)}" if upcoming.how else ""
        st.markdown(f"**{upcoming.day}, {upcoming.time}**{how}")
        st.markdown(upcoming.progress)


def before_you_start(schedule: Schedule, locale: str | None) -> None:
    with st.container(border=True):
        st.markdown("**Before you start**")
        st.markdown("\n".join(f"- **{md(p.label)}:** {md(p.text)}" for p in key_points(schedule, locale)))
        for reminder in schedule.reminders:
            st.markdown(f"- **{reminder.on:%a %d %b %Y}:** {md(reminder.text)}")
        groups = warning_groups(schedule)
        if groups:
            with st.expander(f"All {sum(len(t) for _, t in groups)} warnings from the label"):
                for label, texts in groups:
                    st.markdown(f"**{md(label)}**\n" + "\n".join(f"- {md(t)}" for t in texts))
        entered = schedule.rule.source.kind is SourceKind.PRESCRIBER  # the rule the patient typed in, not the label's
        if not entered:
            st.markdown(f"**The label says:** {md(schedule.rule.source.sentence)}")


def course_views(schedule: Schedule, key: str, today: dt.date) -> None:
    tabs = st.tabs(["Calendar", "Dose list"])
    with tabs[0]:
        calendar_picture(schedule, key, today)
    with tabs[1]:
        st.dataframe(pa.Table.from_pylist(dose_table(schedule)), hide_index=True)  # Arrow: no pandas


def downloads(schedule: Schedule, key: str) -> None:
    st.subheader("Take it with you")
    stamp = now_utc()
    name = f"{slug(schedule.drug) or 'plan'}-{schedule.rule.id}"
    c1, c2 = st.columns(2)
    # Both files are made when their button is clicked (deferred), not on every rerun.
    # A download changes nothing on the page, so it does not rerun it ("ignore").
    c1.download_button(
        "Download calendar (.ics)",
        lambda: to_ics(schedule, stamp),
        file_name=f"{name}.ics",
        mime="text/calendar",
        key=f"{key}-ics",
        on_click="ignore",
    )
    c2.download_button(
        "Download printable course sheet (PDF)",
        lambda: course_sheet(schedule, stamp),
        file_name=f"{name}-sheet.pdf",
        mime="application/pdf",
        key=f"{key}-sheet",
        on_click="ignore",
    )
    with st.expander("How to import the .ics"):
        st.markdown("\n".join(f"- **{app}**: {line}" for app, line in IMPORT_HOWTO))
