"""The planner's web app: widgets → planner library → views. No planning logic lives here.

Run with `make run`. Nothing about the patient is stored on the server: every choice lives
in the browser session only, and the .ics carries what is needed to re-open a course.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import streamlit as st

from planner import PlannerError, Preferences, plan_course, views
from planner.extract import extract_rules
from planner.files import Bundled, catalog, search
from planner.ics import to_ics
from planner.model import DISCLAIMER, RuleSet, Schedule, Status
from planner.monograph import parse_monograph
from planner.scheduler import WEEKDAYS

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


@st.cache_data(show_spinner=False)
def bundled_drugs() -> list[Bundled]:
    return catalog()


@st.cache_data(show_spinner=False)
def uploaded_ruleset(data: bytes, name: str) -> RuleSet:
    if len(data) > MAX_UPLOAD_BYTES:
        raise PlannerError(f"{name}: the file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PlannerError(f"{name}: not a UTF-8 text file; upload a monograph in markdown (.md)") from None
    return extract_rules(parse_monograph(text, name), name)


def timezones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def choose_ruleset() -> RuleSet | None:
    source = st.radio("Monograph", ["Bundled library", "Upload a monograph (.md)"], horizontal=True)
    if source.startswith("Upload"):
        upload = st.file_uploader("Monograph file", type=["md", "markdown", "txt"])
        if upload is None:
            return None
        try:
            return uploaded_ruleset(upload.getvalue(), upload.name)
        except PlannerError as exc:
            st.error(str(exc))
            return None
    query = st.text_input("Search by generic or brand name", placeholder="e.g. imiquimod or Aldara")
    found = search(query, bundled_drugs())
    if not found:
        st.info("No bundled drug matches that name.")
        return None
    labels = [f"{b.ruleset.drug} ({', '.join(b.ruleset.brand_names)})" if b.ruleset.brand_names
              else b.ruleset.drug for b in found]
    chosen = found[st.selectbox("Drug", range(len(found)), format_func=lambda i: labels[i])]
    if chosen.stale:
        st.error(f"The rules for {chosen.ruleset.drug} are stale: its monograph changed after review. "
                 "They are not planned until re-reviewed.")
        return None
    return chosen.ruleset


def patient_view() -> None:
    ruleset = choose_ruleset()
    if ruleset is None:
        return
    ok = [r for r in ruleset.rules if r.status is Status.OK]
    for rule in ruleset.rules:
        if rule.status is not Status.OK:
            st.warning(f"{rule.name or rule.id}: needs review, not planned ({'; '.join(rule.reasons)}).")
    if not ok:
        st.error("No indication of this monograph can be planned without review by a prescriber.")
        return
    rule = ok[st.selectbox("Indication", range(len(ok)), format_func=lambda i: ok[i].name or ok[i].id)]
    st.caption(f"Regimen: {views.describe_regimen(rule.regimen)}  \nLabel: {rule.source.sentence}")
    zones = timezones()
    browser_zone = getattr(st.context, "timezone", None) or "UTC"
    col1, col2 = st.columns(2)
    start = col1.date_input("Start date", value=dt.date.today())
    zone = col2.selectbox("Time zone", zones, index=zones.index(browser_zone) if browser_zone in zones else zones.index("UTC"))
    col3, col4 = st.columns(2)
    time_text = col3.text_input("Time of day (HH:MM, blank for the label's default)", value="")
    weekdays = col4.multiselect("Preferred weekdays (weekly regimens)", WEEKDAYS)
    try:
        times = tuple(dt.time.fromisoformat(t.strip()) for t in time_text.split(",")) if time_text.strip() else None
    except ValueError:
        st.error(f"Not a time of day: {time_text!r}. Use HH:MM, e.g. 21:30.")
        return
    prefs = Preferences(timezone=zone, times=times,
                        weekdays=tuple(WEEKDAYS.index(d) for d in weekdays) or None)
    try:
        schedule = plan_course(ruleset, rule.id, start, prefs)
    except PlannerError as exc:
        st.error(str(exc))
        return
    show_schedule(schedule)


def show_schedule(schedule: Schedule) -> None:
    texts = views.warning_texts(schedule)
    if texts:
        with st.container(border=True):
            st.markdown("**Before you start, read these warnings from the monograph:**")
            for text in texts:
                st.markdown(f"- {views.escape_markdown(text)}")
    total = views.dose_total(schedule)
    c1, c2, c3 = st.columns(3)
    c1.metric("Doses", total if total else f"{len(schedule.doses)} (ongoing)")
    c2.metric("First dose", f"{schedule.doses[0].at:%a %d %b %Y}" if schedule.doses else "—")
    c3.metric("Course end", f"{schedule.course_end:%a %d %b %Y}" if schedule.course_end else "ongoing")
    for reminder in schedule.reminders:
        st.info(f"{reminder.on:%a %d %b %Y}: {reminder.text}")
    if schedule.missed_dose:
        st.markdown(f"**If you miss a dose:** {views.escape_markdown(schedule.missed_dose.text)}")
    stamp = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    data = to_ics(schedule, stamp)
    st.download_button("Download calendar (.ics)", data, file_name=f"{schedule.drug.lower()}-{schedule.rule.id}.ics",
                       mime="text/calendar")
    st.caption("Google Calendar: Settings → Import & export → Import. Apple Calendar: File → Import. "
               "Outlook: Add calendar → Upload from file. Thunderbird: File → Open → Calendar File.")
    tabs = st.tabs(["Calendar", "Dose list"])
    with tabs[0]:
        st.caption("● dose day · ●2 a dose of phase 2 · ◆ review reminder")
        for title, weeks in views.month_grids(schedule):
            st.markdown(views.month_markdown(title, weeks))
    with tabs[1]:
        st.dataframe([{"dose": f"{d.number}" + (f" of {total}" if total else ""),
                       "when": f"{d.at:%a %Y-%m-%d %H:%M %Z}", "amount": d.amount or "", "phase": d.phase}
                      for d in schedule.doses], hide_index=True)


def clinician_view() -> None:
    ruleset = choose_ruleset()
    if ruleset is None:
        return
    st.subheader(f"{ruleset.drug}: regimens side by side")
    st.dataframe(views.compare_rows(ruleset), hide_index=True)
    for rule in ruleset.rules:
        with st.expander(f"{rule.name or rule.id} — {rule.status.value}"):
            st.markdown(f"**Structured:** {views.describe_regimen(rule.regimen)}")
            st.markdown(f"**Source** ({views.escape_markdown(rule.source.section)}, line {rule.source.line}): "
                        f"{views.highlighted_source(rule)}")
            for reason in rule.reasons:
                st.warning(reason)


def main() -> None:
    st.set_page_config(page_title="Dosing schedule planner", page_icon="💊")
    st.title("Dosing schedule planner")
    st.warning(DISCLAIMER)
    view = st.sidebar.radio("View", ["Patient", "Clinician"])
    if view == "Patient":
        patient_view()
    else:
        clinician_view()
    st.caption(DISCLAIMER)


main()
