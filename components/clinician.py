"""The clinician's page: every regimen beside its sentence, numbers that count cycles and
every phase, the library check, and a prescriber's regimen previewed against the label."""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from planner.course import plan_request
from planner.errors import PlannerError
from planner.files import data_dir
from planner.model import RuleSet, Status
from planner.read.request import Widgets, from_widgets
from planner.words.calendar import dose_table
from planner.words.compare import compare_drugs, compare_rows
from planner.words.regimen import describe_regimen
from planner.words.review import highlighted_source, regimen_fields

from .common import broken_rule_files, browser_today, choose_ruleset, choose_zone, library, md
from .prescribed import entered_rule

COMPARE_COLUMNS = (
    "drug",
    "indication",
    "status",
    "doses per week",
    "duration",
    "total doses",
    "spacing",
    "regimen",
    "source sentence",
)


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """st.table wraps long text (the regimen, the sentence); its cells are markdown, so escaped."""
    st.table([{c: md(row.get(c, "")) for c in columns if c in row} for row in rows], hide_index=True)


def compare(ruleset: RuleSet) -> None:
    st.subheader(f"{md(ruleset.drug)}: regimens side by side", anchor=False)
    _table(compare_rows(ruleset), COMPARE_COLUMNS[1:])
    others = [b.ruleset for b in library() if b.ruleset.drug != ruleset.drug]
    names = [r.drug for r in others]
    chosen = st.multiselect("Compare with", names, key="clinician-compare")
    if chosen:
        _table(compare_drugs([ruleset] + [others[names.index(n)] for n in chosen]), COMPARE_COLUMNS)


def rules_and_sources(ruleset: RuleSet) -> None:
    st.subheader("Each rule beside its monograph sentence")
    st.markdown(f"Source: {md(ruleset.source)}. In each sentence, the bold words produced the value named after them.")
    for rule in ruleset.rules:
        ok = rule.status is Status.OK
        with st.expander(
            f"{md(rule.name or rule.id)} — {rule.status.value}",
            expanded=not ok,
            icon=":material/check_circle:" if ok else ":material/warning:",
        ):
            left, right = st.columns(2)
            with left:
                st.markdown(f"**Structured regimen:** {md(describe_regimen(rule.regimen))}")
                fields = regimen_fields(rule)
                if fields:
                    st.dataframe(fields, hide_index=True)
            with right:
                where = f"{rule.source.section}" + (f", line {rule.source.line}" if rule.source.line else "")
                st.markdown(f"**Monograph sentence** ({md(where)}):")
                st.markdown(f"> {highlighted_source(rule)}")
            for reason in rule.reasons:
                st.warning(f"Needs review: {md(reason)}")


def library_check() -> None:
    bundled = library()
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
            f"Stale: {md(b.path.name)} — {md(b.ruleset.source)} changed after review; "
            "plans refuse these rules until they are re-reviewed."
        )
    for path, error in broken:
        st.error(f"Broken: {md(path)} — {md(error)}")


def prescriber_preview(ruleset: RuleSet) -> None:
    st.subheader("Preview a prescriber's own regimen")
    by_id = {r.id: r for r in ruleset.rules}
    label_id = st.selectbox(
        "Compare with the label's regimen for", list(by_id), format_func=lambda i: by_id[i].name or i, key="rx-label"
    )
    label = by_id[label_id]
    st.markdown(
        f"For {md(ruleset.drug)}: the monograph's warnings and missed-dose rule for {md(label.population)} apply."
    )
    rule = entered_rule("rx", label, confirm=False)
    c1, c2 = st.columns(2)
    start = c1.date_input("Start date", value=browser_today(), key="rx-start")
    with c2:
        zone = choose_zone("rx-zone")
    if rule is None or zone is None:
        return
    rules = dataclasses.replace(ruleset, rules=(*ruleset.rules, rule))
    try:
        schedule = plan_request(from_widgets(Widgets(rule.id, start, zone, rules=rules)), rules)
    except PlannerError as exc:
        st.error(f"This regimen cannot be planned: {md(exc)}")
        return
    st.success(f"{len(schedule.active)} doses planned within the planner's limits for this regimen.")
    st.dataframe(dose_table(schedule), hide_index=True)


def clinician_page() -> None:
    st.header("Review regimens")
    ruleset = choose_ruleset("clinician", patient=False)
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
        prescriber_preview(ruleset)
