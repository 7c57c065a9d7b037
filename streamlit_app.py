"""The planner's web app: widgets → planner library → views. No planning logic lives here.

Run with `make run`. Nothing about the patient is stored on the server beyond the browser
session: plans are cached per session only (``scope="session"``, dropped when the tab
closes), and the .ics carries what is needed to re-open a course.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import zoneinfo
from typing import Any

import streamlit as st

from planner import PlannerError, Preferences, plan_course
from planner.files import Bundled, catalog, catalog_errors, data_dir, search, text_of
from planner.model import DISCLAIMER, RuleSet, Schedule, Status, Unit, slug
from planner.plan.scheduler import ANCHOR_TIMES, WEEKDAYS
from planner.read.extract import extract_rules
from planner.read.monograph import parse_monograph
from planner.read.request import parse_times
from planner.words import views
from planner.write.ics import to_ics
from planner.write.sheet import course_sheet

try:  # the missed-dose engine is optional: without it the page shows the label's own rule
    from planner.plan.missed import missed_dose_advice
    from planner.words.missed import answer_lines
except ImportError:  # pragma: no cover - depends on the library version
    missed_dose_advice = None  # type: ignore[assignment]

LOG = logging.getLogger("planner.app")
MAX_UPLOAD_MB = 2
MONOGRAPH_SUFFIXES = (".md", ".markdown")

# --- cached loaders and pure pipeline steps ----------------------------------------


# Shared, not copied (cache_resource): the values are frozen dataclasses and tuples, and
# cache_data unpickled the whole catalogue on every rerun. Re-read every five minutes.
@st.cache_resource(show_spinner=False, ttl=300)
def bundled_drugs(folder: str) -> tuple[Bundled, ...]:
    return tuple(catalog())


@st.cache_resource(show_spinner=False, ttl=300)
def broken_rule_files(folder: str) -> tuple[tuple[str, str], ...]:
    return tuple(catalog_errors())


@st.cache_data(show_spinner=False, max_entries=32)
def uploaded_ruleset(data: bytes, name: str) -> RuleSet:
    """An uploaded monograph, checked like a file on disk; a PlannerError explains a bad one."""
    if not name.lower().endswith(MONOGRAPH_SUFFIXES):
        raise PlannerError(f"{name}: not a markdown file; upload the monograph as .md")
    return extract_rules(parse_monograph(text_of(data, name), name), name)  # the checks of a file on disk


@st.cache_resource(show_spinner=False)
def timezones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


# --- choosing a monograph --------------------------------------------------------------


def choose_ruleset(view: str, allow_stale: bool = False) -> RuleSet | None:
    source = st.radio(
        "Monograph", ["Bundled library", "Upload a monograph (.md)"], horizontal=True, key=f"{view}-source"
    )
    if source.startswith("Upload"):
        # the MIME type keeps the browser's file filter but leaves the name check to us, so a
        # wrong file gets our clear message rather than Streamlit's exception
        upload = st.file_uploader(
            "Monograph file (markdown with front matter)",
            type=["md", "markdown", "text/markdown"],
            max_upload_size=MAX_UPLOAD_MB,
            key=f"{view}-upload",
        )
        if upload is None:
            st.info("Upload a drug monograph in markdown (.md) to read its dosing rules.")
            return None
        try:
            return uploaded_ruleset(upload.getvalue(), upload.name)
        except PlannerError as exc:
            st.error(f"This file cannot be used: {exc}")
        except Exception:  # an upload must never show a traceback; the log keeps it
            LOG.exception("unexpected error reading an upload")
            st.error(f"This file cannot be used: {upload.name} could not be read as a monograph.")
        return None
    query = st.text_input(
        "Search by generic or brand name", placeholder="e.g. imiquimod or Aldara", key=f"{view}-query"
    )
    found = search(query, bundled_drugs(str(data_dir())))
    if not found:
        st.info("No bundled drug matches that name. Try the generic name, or upload a monograph.")
        return None
    by_name = {b.ruleset.drug: b for b in found}
    # keyed by the options: a new search gives a fresh choice (the only match, or none yet)
    name = st.selectbox(
        "Drug",
        list(by_name),
        index=0 if len(found) == 1 else None,
        key=f"{view}-drug-{'|'.join(by_name)}",
        format_func=lambda n: f"{n} ({', '.join(by_name[n].ruleset.brand_names)})"
        if by_name[n].ruleset.brand_names
        else n,
        placeholder=f"Choose one of {len(found)} drugs",
    )
    if name is None:
        st.info("Choose a drug, or type its generic or brand name above.")
        return None
    chosen = by_name[name]
    if chosen.stale and not allow_stale:
        st.error(
            f"The rules for {chosen.ruleset.drug} are out of date: its monograph changed after they "
            "were reviewed. They are not planned until a clinician re-reviews them."
        )
        return None
    if chosen.stale:
        st.warning(
            f"Stale: {chosen.ruleset.source} changed after these rules were reviewed. "
            "Re-run `planner extract`, review the diff, and update the rules file."
        )
    return chosen.ruleset


def choose_zone(key: str) -> str | None:
    zones = timezones()
    browser = st.context.timezone
    zone: str | None
    if browser in zones:
        zone = st.selectbox(
            "Time zone",
            zones,
            index=zones.index(browser),
            key=key,
            help="Dose times are in this zone. Taken from your browser; change it if needed.",
        )
    else:
        zone = st.selectbox(
            "Time zone",
            zones,
            index=None,
            placeholder="Choose your time zone",
            key=key,
            help="Your browser did not say its time zone. Dose times are in the zone you choose.",
        )
        if zone is None:
            st.info("Choose your time zone (e.g. Europe/Berlin) to see the plan: dose times depend on it.")
    return zone


def read_times(text: str) -> tuple[dt.time, ...] | None:
    """The widget's "HH:MM[,HH:MM]" text (blank: the label's default), read as the CLI reads --time."""
    return parse_times(text) if text.strip() else None


# --- the patient's page ------------------------------------------------------------------


def patient_view() -> None:
    st.header("Plan a course")
    ruleset = choose_ruleset("patient")
    if ruleset is None:
        return
    ok = [r for r in ruleset.rules if r.status is Status.OK]
    review = [r for r in ruleset.rules if r.status is not Status.OK]
    if review:
        with st.expander(f"{len(review)} indication(s) not planned: they need review by a prescriber"):
            for rule in review:
                st.markdown(
                    f"- **{views.escape_markdown(rule.name or rule.id)}**: "
                    f"{views.escape_markdown('; '.join(rule.reasons))}"
                )
    if not ok:
        st.error("No indication of this monograph can be planned without review by a prescriber.")
        return
    by_id = {r.id: r for r in ok}
    rule = by_id[
        st.selectbox("Indication", list(by_id), format_func=lambda i: by_id[i].name or i, key="patient-indication")
    ]
    st.markdown(
        f"**Regimen:** {views.escape_markdown(views.describe_regimen(rule.regimen))}  \n"
        f"**The label says:** {views.escape_markdown(rule.source.sentence)}"
    )
    weekly = [
        p.frequency.times
        for p in (rule.regimen.phases if rule.regimen else ())
        if p.frequency is not None and p.frequency.per is Unit.WEEK
    ]
    c1, c2 = st.columns(2)
    start = c1.date_input("Start date", value=dt.date.today(), key="patient-start")
    with c2:
        zone = choose_zone("patient-zone")
    c3, c4 = st.columns(2)
    time_text = c3.text_input(
        "Time of day (HH:MM; blank for the default)",
        key="patient-time",
        placeholder="blank: the usual time for this regimen",
    )
    weekdays: list[str] = []
    if weekly:
        weekdays = c4.multiselect(
            f"Preferred weekdays (choose {weekly[0]}, or leave blank)", WEEKDAYS, key="patient-weekdays"
        )
    if zone is None:
        return
    try:
        times = read_times(time_text)
    except ValueError as exc:
        st.error(str(exc))
        return
    prefs = Preferences(timezone=zone, times=times, weekdays=tuple(WEEKDAYS.index(d) for d in weekdays) or None)
    try:
        schedule = plan_course(ruleset, rule.id, start, prefs)  # ~1 ms: cheaper than a cache
    except PlannerError as exc:
        st.error(f"This plan cannot be made: {exc}")
        return
    show_schedule(schedule, "patient")
    missed_dose_section(schedule)


def show_warnings(schedule: Schedule) -> None:
    texts = views.warning_texts(schedule)
    if not texts:
        return
    with st.container(border=True):
        st.markdown("**Before you start, read these warnings from the monograph:**")
        st.markdown("\n".join(f"- {views.escape_markdown(t)}" for t in texts))


def calendar_picture(schedule: Schedule, key: str) -> None:
    """The month grids of ``views.calendar_cells`` as a Vega-Lite picture, one panel a month."""
    cells = views.calendar_cells(schedule)
    if not cells:
        return
    legend = views.calendar_legend(schedule)
    days = [name[:2] for name in views.WEEKDAY_NAMES]
    months = {c["month"]: c["order"] for c in cells}
    heads = [
        {"month": m, "order": o, "week": -1, "weekday": d, "text": d, "dark": False}
        for m, o in months.items()
        for d in days
    ]  # a weekday row atop each month
    data = heads + [{**c, "text": str(c["day"])} for c in cells]
    position = {
        "x": {"field": "weekday", "type": "ordinal", "sort": days, "axis": None},
        "y": {"field": "week", "type": "ordinal", "axis": None},
    }
    spec: dict[str, Any] = {
        "facet": {
            "field": "month",
            "type": "ordinal",
            "sort": {"field": "order"},
            "header": {"title": None, "labelFontSize": 15, "labelFontWeight": "bold", "labelPadding": 4},
        },
        "columns": 3,
        "spacing": {"row": 24, "column": 28},
        "config": {"view": {"stroke": None}},
        "spec": {
            "width": 7 * 30,
            "height": 7 * 26,
            "layer": [
                {
                    "transform": [{"filter": "datum.week >= 0"}],
                    "mark": {"type": "rect", "stroke": "#9e9e9e", "strokeWidth": 0.5},
                    "encoding": {
                        **position,
                        "color": {
                            "field": "kind",
                            "type": "nominal",
                            "title": None,
                            "scale": {
                                "domain": [label for _, label, _ in legend],
                                "range": [colour for _, _, colour in legend],
                            },
                            "legend": {
                                "orient": "bottom",
                                "direction": "horizontal",
                                "labelLimit": 300,
                                "labelFontSize": 12,
                                "symbolStrokeColor": "#9e9e9e",
                            },
                        },
                        "tooltip": [
                            {"field": "date", "title": "Date"},
                            {"field": "kind", "title": "Day"},
                            {"field": "doses", "title": "Doses"},
                        ],
                    },
                },
                {
                    "mark": {"type": "text", "fontSize": 12},
                    "encoding": {
                        **position,
                        "text": {"field": "text"},
                        "color": {"condition": {"test": "datum.dark", "value": "white"}, "value": "#424242"},
                    },
                },
            ],
        },
    }
    st.vega_lite_chart(
        data, spec, theme=None, key=f"{key}-calendar", alt=f"Calendar of {len(schedule.active)} doses, month by month"
    )


def show_schedule(schedule: Schedule, key: str) -> None:
    """The course at a glance, then the downloads (after the warnings, always)."""
    show_warnings(schedule)
    total = views.dose_total(schedule)
    dates = views.key_dates(schedule)
    cols = st.columns(1 + len(dates))
    cols[0].metric("Doses", total if total else f"{len(schedule.active)} (ongoing)")
    for col, (label, day) in zip(cols[1:], dates, strict=False):
        col.metric(label, f"{day:%d %b %Y}", help=f"{day:%A %d %B %Y}")
    for reminder in schedule.reminders:
        st.info(f"{reminder.on:%a %d %b %Y}: {reminder.text}")
    st.markdown(
        f"**How to take each dose:** {views.escape_markdown(views.describe_regimen(schedule.rule.regimen))}"
        f"  \n**The label says:** {views.escape_markdown(schedule.rule.source.sentence)}"
    )
    tabs = st.tabs(["Calendar", "Dose list"])
    with tabs[0]:
        calendar_picture(schedule, key)
    with tabs[1]:
        st.dataframe(views.dose_table(schedule), hide_index=True)
    if schedule.missed_dose:
        st.markdown(f"**If you miss a dose:** {views.escape_markdown(schedule.missed_dose.text)}")
    downloads(schedule, key)


def downloads(schedule: Schedule, key: str) -> None:
    st.subheader("Take it with you")
    stamp = now_utc()
    name = f"{slug(schedule.drug) or 'plan'}-{schedule.rule.id}"
    c1, c2 = st.columns(2)
    # The .ics takes about a millisecond: written on every run (cheaper than hashing the
    # schedule for a cache). The PDF took half of each rerun: it is made when clicked.
    # A download changes nothing on the page, so it does not rerun it ("ignore"): a rerun
    # would also replace the PDF button's pending file while the user may be clicking it.
    c1.download_button(
        "Download calendar (.ics)",
        to_ics(schedule, stamp),
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
    st.markdown("**Importing the .ics:**\n" + "\n".join(f"- **{app}**: {line}" for app, line in views.IMPORT_HOWTO))


def missed_dose_section(schedule: Schedule) -> None:
    st.subheader("I missed a dose")
    label = schedule.missed_dose.text if schedule.missed_dose else None
    if missed_dose_advice is None:
        st.markdown(
            f"**The monograph says:** {views.escape_markdown(label)}"
            if label
            else "The monograph gives no missed-dose rule: ask your prescriber or pharmacist what to do."
        )
        return
    active = schedule.active
    if not active:
        return
    plan = f"{schedule.rule.id}-{schedule.start}-{schedule.preferences}"  # new plan, fresh widgets
    labels = {d.number: f"dose {d.number} – {d.at:%a %d %b %Y %H:%M}" for d in active}
    c1, c2, c3 = st.columns(3)
    number = c1.selectbox(
        "Which dose did you miss?", list(labels), format_func=labels.__getitem__, key=f"missed-number-{plan}"
    )
    due = next(d.at for d in active if d.number == number)
    now = dt.datetime.now(due.tzinfo)  # the shell owns the clock; the library takes the moment
    remembered_at = now if now > due else due + dt.timedelta(hours=1)
    day = c2.date_input("When did you remember? Day", value=remembered_at.date(), key=f"missed-day-{plan}-{number}")
    clock = c3.time_input(
        "Time", value=remembered_at.time().replace(second=0, microsecond=0), key=f"missed-time-{plan}-{number}"
    )
    if st.button("What should I do?", key="missed-ask"):
        st.session_state["missed-asked"] = plan
    if st.session_state.get("missed-asked") != plan:
        return
    remembered = dt.datetime.combine(day, clock)  # wall time in the plan's zone
    try:
        advice = missed_dose_advice(schedule, number, remembered)
    except PlannerError as exc:
        st.error(str(exc))
        return
    box = {"skip": st.warning, "take-now": st.success}.get(advice.kind.value, st.info)
    box(f"Dose {number}: {advice.action}")  # the answer first, then its lines (planner.words.missed)
    st.markdown("\n".join(f"- {views.escape_markdown(line)}" for line in answer_lines(advice)[1:3] + advice.notes))
    if advice.source_text:
        st.markdown(f"**The monograph says:** {views.escape_markdown(advice.source_text)}")
    st.caption(f"Rule applied: {views.escape_markdown(advice.rule_applied)}")
    for text in advice.warnings:
        st.warning(text)
    updated = advice.schedule
    with st.expander("The updated plan"):
        st.dataframe(views.dose_table(updated), hide_index=True)
    st.download_button(
        "Download the updated calendar (.ics)",
        to_ics(updated, now_utc()),
        file_name=f"{slug(updated.drug) or 'plan'}-{updated.rule.id}-updated.ics",
        mime="text/calendar",
        key="missed-ics",
        on_click="ignore",
    )
    st.caption("Import it like the first one: the changed doses replace the old ones in your calendar.")


# --- the clinician's page ------------------------------------------------------------------

COMPARE_COLUMNS = ["drug", "indication", "status", "doses per week", "duration", "total doses", "spacing", "regimen"]


def clinician_view() -> None:
    st.header("Review regimens")
    ruleset = choose_ruleset("clinician", allow_stale=True)
    if ruleset is None:
        library_check()
        return
    tabs = st.tabs(["Regimens and sources", "Library check", "Prescriber's regimen"])
    with tabs[0]:
        compare(ruleset)
        rules_and_sources(ruleset)
    with tabs[1]:
        library_check()
    with tabs[2]:
        prescriber_regimen(ruleset)


def compare(ruleset: RuleSet) -> None:
    st.subheader(f"{ruleset.drug}: regimens side by side")
    st.dataframe(views.compare_rows(ruleset), hide_index=True, column_order=COMPARE_COLUMNS[1:])
    others = [b.ruleset for b in bundled_drugs(str(data_dir())) if b.ruleset.drug != ruleset.drug]
    if not others:
        st.caption("Only this drug is in the library: upload a monograph to compare it with a bundled one.")
        return
    names = [r.drug for r in others]
    chosen = st.multiselect("Compare with", names, key="clinician-compare")
    if chosen:
        table = views.compare_drugs([ruleset] + [others[names.index(n)] for n in chosen])
        st.dataframe(table, hide_index=True, column_order=COMPARE_COLUMNS)


def rules_and_sources(ruleset: RuleSet) -> None:
    st.subheader("Each rule beside its monograph sentence")
    st.caption(
        f"Source: {views.escape_markdown(ruleset.source)}. In each sentence, the bold words produced "
        "the value named after them."
    )
    for rule in ruleset.rules:
        ok = rule.status is Status.OK
        with st.expander(
            f"{rule.name or rule.id} — {rule.status.value}",
            expanded=not ok,
            icon=":material/check_circle:" if ok else ":material/warning:",
        ):
            left, right = st.columns(2)
            with left:
                st.markdown(f"**Structured regimen:** {views.escape_markdown(views.describe_regimen(rule.regimen))}")
                fields = views.regimen_fields(rule)
                if fields:
                    st.dataframe(fields, hide_index=True)
            with right:
                where = f"{rule.source.section}" + (f", line {rule.source.line}" if rule.source.line else "")
                st.markdown(f"**Monograph sentence** ({views.escape_markdown(where)}):")
                st.markdown(f"> {views.highlighted_source(rule)}")
            for reason in rule.reasons:
                st.warning(f"Needs review: {reason}")


def library_check() -> None:
    bundled = bundled_drugs(str(data_dir()))
    broken = broken_rule_files(str(data_dir()))
    stale = [b for b in bundled if b.stale]
    review = sum(r.status is not Status.OK for b in bundled for r in b.ruleset.rules)
    st.subheader("Library check")
    st.markdown(
        f"{len(bundled)} rule file(s) load, {len(stale)} stale, {len(broken)} broken; "
        f"{review} indication(s) need review."
    )
    for b in stale:
        st.warning(
            f"Stale: {b.path.name} — {b.ruleset.source} changed after review; "
            "plans refuse these rules until they are re-reviewed."
        )
    for path, error in broken:
        st.error(f"Broken: {path} — {error}")


PRESCRIBER_DURATIONS = {
    "for exactly": "fixed",
    "for up to": "up-to",
    "for a range": "range",
    "ongoing": "ongoing",
    "a number of doses": "doses",
}


def prescriber_regimen(ruleset: RuleSet) -> None:
    st.subheader("Preview a prescriber's own regimen")
    st.caption(f"For {ruleset.drug}: the monograph's warnings and missed-dose rule for the population apply.")
    with st.form("prescriber"):
        c1, c2, c3 = st.columns(3)
        amount = c1.text_input("Amount per dose", placeholder="e.g. 500 mg or a thin layer", key="rx-amount")
        rhythm = c2.selectbox("Rhythm", list(views.PRESCRIBER_RHYTHMS), key="rx-rhythm")
        count = c3.number_input("N (times, or every N)", min_value=1, max_value=72, value=1, key="rx-count")
        c4, c5, c6 = st.columns(3)
        duration = c4.selectbox("Duration", list(PRESCRIBER_DURATIONS), key="rx-duration")
        low = c5.number_input("Length (or the shortest)", min_value=1, max_value=1830, value=7, key="rx-min")
        high = c6.number_input("Longest (up to / range)", min_value=1, max_value=1830, value=14, key="rx-max")
        c7, c8, c9 = st.columns(3)
        unit = c7.selectbox("Unit", ["day", "week", "month"], key="rx-unit")
        doses = c8.number_input("Number of doses", min_value=1, max_value=5000, value=1, key="rx-doses")
        anchor = c9.selectbox("Time of day", ["(none)"] + list(ANCHOR_TIMES), key="rx-anchor")
        c10, c11, c12 = st.columns(3)
        spacing_min = c10.number_input(
            "Days apart, at least (0: none)", min_value=0, max_value=60, value=0, key="rx-spacing-min"
        )
        spacing_max = c11.number_input(
            "Days apart, at most (0: none)", min_value=0, max_value=60, value=0, key="rx-spacing-max"
        )
        population = c12.selectbox("Population", ["adults", "children"], key="rx-population")
        c13, c14, c15 = st.columns(3)
        start = c13.date_input("Start date", value=dt.date.today(), key="rx-start")
        with c14:
            zone = choose_zone("rx-zone")
        time_text = c15.text_input("Times (HH:MM, comma-separated; blank: default)", key="rx-time")
        submitted = st.form_submit_button("Preview")
    if submitted:
        st.session_state["rx-previewed"] = True
    if not st.session_state.get("rx-previewed") or zone is None:
        return
    try:
        rule = views.prescriber_rule(
            amount=amount,
            rhythm=rhythm,
            count=int(count),
            duration_kind=PRESCRIBER_DURATIONS[duration],
            duration_min=int(low),
            duration_max=int(high),
            duration_unit=unit,
            doses=int(doses),
            spacing_min=int(spacing_min) or None,
            spacing_max=int(spacing_max) or None,
            time_of_day=None if anchor == "(none)" else anchor,
            population=population,
        )
        prefs = Preferences(timezone=zone, times=read_times(time_text))
        with_rule = dataclasses.replace(ruleset, rules=ruleset.rules + (rule,))
        schedule = plan_course(with_rule, rule.id, start, prefs)
    except (PlannerError, ValueError) as exc:
        st.error(f"This regimen cannot be planned: {exc}")
        return
    st.success(
        f"{views.describe_regimen(rule.regimen)}: {len(schedule.active)} doses planned, "
        "and every label check passed."
    )
    show_schedule(schedule, "rx")


# --- the page --------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="Dosing schedule planner", page_icon="💊", layout="wide")
    st.title("Dosing schedule planner")
    st.warning(DISCLAIMER)
    view = st.sidebar.radio("View", ["Patient", "Clinician"], key="view")
    st.sidebar.caption(
        "Privacy: nothing you enter is stored on the server beyond this browser session. "
        "Plans are kept in memory for your session only and dropped when you close the tab."
    )
    try:
        if view == "Patient":
            patient_view()
        else:
            clinician_view()
    except PlannerError as exc:
        st.error(str(exc))
    st.divider()
    st.caption(DISCLAIMER)


main()
