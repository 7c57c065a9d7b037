"""The patient's page: choose the medicine and its use, and see the next dose first. Where the
label needs review, the patient enters the prescriber's regimen instead: never a dead end."""

from __future__ import annotations

import dataclasses
import datetime as dt

import streamlit as st

from planner.course import plan_request
from planner.errors import PlannerError
from planner.model import WEEKDAY_NAMES, WEEKDAYS, DosingRule, EventNeed, RuleSet, Schedule, Status, Unit
from planner.plan.events import is_timed
from planner.read.request import CourseRequest, Widgets, from_widgets, with_start
from planner.words.before import unplanned
from planner.words.regimen import describe_regimen
from planner.words.today import date_format, date_text, past_first_dose

from .common import browser_locale, browser_today, choose_ruleset, choose_zone, in_library, md, monograph_of, now_in
from .missed import missed_section
from .prescribed import entered_rule
from .result import before_you_start, course_views, downloads, next_dose_card
from .trip import trip_dates

TOMORROW, TODAY = "Start tomorrow", "Start today: I take dose 1 late"


def _use_label(rule: DosingRule) -> str:
    name = rule.name or rule.id
    if is_timed(rule):
        return f"{name} (give your trip's dates)"
    return name if rule.status is Status.OK else f"{name} (enter your prescriber's regimen)"


def choose_use(ruleset: RuleSet) -> DosingRule:
    by_id = {r.id: r for r in ruleset.rules}
    ids = list(by_id)
    first_ok = next((i for i, r in enumerate(ruleset.rules) if r.status is Status.OK), 0)
    chosen = st.selectbox(
        "What it is for", ids, index=first_ok, format_func=lambda i: _use_label(by_id[i]), key="patient-indication"
    )
    return by_id[chosen]


def choices(rule: DosingRule) -> tuple[int | None, str | None]:
    """What the label leaves to the prescriber: which of its regimens, and an open amount."""
    option = None
    if len(rule.options) > 1:
        option = st.radio(
            "Which regimen did your prescriber choose?",
            list(range(1, len(rule.options) + 1)),
            format_func=lambda k: md(describe_regimen(rule.options[k - 1].regimen)),  # radio labels are markdown
            key=f"patient-option-{rule.id}",
            index=None if is_timed(rule) else 0,  # a range of start times: the patient's to choose, never ours
        )
    chosen = rule.options[(option or 1) - 1].regimen if rule.options else rule.regimen
    open_amounts = [p.amount for p in (chosen.phases if chosen else ()) if p.amount_open]
    amount = None
    if open_amounts:
        text = st.text_input(
            "Amount each time, from your prescription",
            placeholder=f"the label gives {open_amounts[0]}" if open_amounts[0] else "e.g. 250 mg",
            key=f"patient-amount-{rule.id}",
            help="The label leaves the amount to your prescriber; the calendar writes what you enter here.",
        )
        amount = text.strip() or None
    return option, amount


def not_planned(ruleset: RuleSet) -> None:
    """Every part of the label that is not planned, with why: uses that need review, and
    paragraphs with no regimen (children, special cases)."""
    review = [r for r in ruleset.rules if r.status is not Status.OK]
    monograph = monograph_of(ruleset)
    others = unplanned(monograph, ruleset) if monograph else []
    if review or others:
        with st.expander(f"{len(review) + len(others)} part(s) of the label not planned"):
            lines = [f"- **{md(r.name or r.id)}**: not planned, because {md('; '.join(r.reasons))}" for r in review]
            lines += [f"- **{md(u.who)}**: “{md(u.text)}” Not planned: {md(u.why)}." for u in others]
            st.markdown("\n".join(lines))


def review_entry(ruleset: RuleSet, rule: DosingRule) -> tuple[RuleSet, DosingRule] | None:
    st.warning(
        f"**{md(rule.name or rule.id)}**: the label does not say exactly how to take it for this use, so this "
        f"app does not guess. Why: {md('; '.join(rule.reasons) or 'the label leaves it to the prescriber')}."
    )
    not_planned(ruleset)
    st.markdown("#### Enter the regimen your prescriber gave you")
    st.markdown(
        "It is on your prescription or the pharmacy label. The label's missed-dose rule and warnings still apply."
    )
    entered = entered_rule("patient-rx", rule, confirm=True)
    if entered is None:
        return None
    return dataclasses.replace(ruleset, rules=(*ruleset.rules, entered)), entered


def _weekdays(rule: DosingRule) -> tuple[str, ...]:
    weekly = [
        p.frequency.times
        for p in (rule.regimen.phases if rule.regimen else ())
        if p.frequency is not None and p.frequency.per is Unit.WEEK
    ]
    if not weekly:
        return ()
    chosen = st.multiselect(
        f"Days of the week (choose {weekly[0]}, or leave blank)",
        list(WEEKDAYS),
        format_func=lambda code: WEEKDAY_NAMES[WEEKDAYS.index(code)],
        key="patient-weekdays",
    )
    if chosen and len(chosen) < weekly[0]:
        st.info(f"Choose {weekly[0] - len(chosen)} more day(s); until then the plan uses the usual days.")
        return ()
    return tuple(chosen)


def settings(rule: DosingRule, today: dt.date, locale: str | None) -> Widgets | None:
    """The start, zone, time, days and title widgets, as their values (read by ``from_widgets``)."""
    with st.expander("Start date, time and days", expanded=False):
        c1, c2 = st.columns(2)
        start = c1.date_input("Start date", value=today, format=date_format(locale), key="patient-start")
        with c2:
            zone = choose_zone("patient-zone")
        c3, c4 = st.columns(2)
        time_text = c3.text_input(
            "Time of day (e.g. 21:30 or 9:30pm)", key="patient-time", placeholder="blank: the usual time"
        )
        with c4:
            weekdays = _weekdays(rule)
        neutral = st.checkbox(
            "Neutral calendar titles (“Medication – dose 3 of 32”): no drug or condition on lock screens",
            key="patient-neutral",
        )
    if zone is None:
        st.info("Choose your time zone under “Start date, time and days” to see the plan.")
        return None
    return Widgets(rule.id, start, zone, time_text, weekdays, neutral_titles=neutral)


def course_request(widgets: Widgets, ruleset: RuleSet, option: int | None, amount: str | None) -> CourseRequest | None:
    """The course the widgets ask for, read as the CLI reads its options; a bad value is shown."""
    bundled = in_library(ruleset)  # a library drug by name; an upload or an entered regimen as rules
    chosen = dataclasses.replace(
        widgets, drug=ruleset.drug if bundled else None, rules=None if bundled else ruleset, option=option,
        amount=amount,
    )  # fmt: skip
    try:
        return from_widgets(chosen)
    except PlannerError as exc:
        st.error(md(exc))
        return None


def _plan(request: CourseRequest, ruleset: RuleSet) -> Schedule | None:
    try:
        return plan_request(request, ruleset)  # ~1 ms: cheaper than a cache
    except PlannerError as exc:
        st.error(f"This plan cannot be made: {md(exc)}")
        return None


def _first_dose_past(schedule: Schedule, now: dt.datetime, locale: str | None) -> bool:
    """Ask when dose 1 of a plan started today is already past; True: move the start to tomorrow."""
    past = past_first_dose(schedule, now)
    if past is None or schedule.start != now.date():
        return False
    choice = st.radio(
        f"Dose 1 was due today at {past.at:%H:%M}, which has passed (it is {now:%H:%M}). When do you start?",
        [TOMORROW, TODAY],
        key=f"patient-first-{schedule.rule.id}-{schedule.start}",
        horizontal=True,
    )
    return choice == TOMORROW


def patient_page() -> None:
    ruleset = choose_ruleset("patient", patient=True)
    if ruleset is None:
        return
    rule = choose_use(ruleset)
    from_label = rule.status is Status.OK or is_timed(rule)
    if not from_label:
        entered = review_entry(ruleset, rule)
        if entered is None:
            return
        ruleset, rule = entered
    option, amount = choices(rule)
    locale = browser_locale()
    card = st.container()
    widgets = settings(rule, browser_today(), locale)
    request = course_request(widgets, ruleset, option, amount) if widgets else None
    if request is not None and is_timed(rule):  # the trip's dates give the start
        trip = trip_dates(rule, option, browser_today())
        if trip is None:
            return
        prefs = dataclasses.replace(
            request.preferences, event_start=trip.get(EventNeed.EVENT_START), event_end=trip.get(EventNeed.EVENT_END)
        )
        request = dataclasses.replace(request, start=None, preferences=prefs)
    elif request is None or request.start is None:
        return
    schedule = _plan(request, ruleset)
    if schedule is None:
        return
    now = now_in(request.preferences.zone)
    with card:
        if request.start is not None and _first_dose_past(schedule, now, locale):
            schedule = _plan(with_start(request, request.start + dt.timedelta(days=1)), ruleset)
            if schedule is None:
                return
        next_dose_card(schedule, now, locale)
        how = (
            "It follows your trip's dates." if request.start is None else "Change it under “Start date, time and days”."
        )
        st.markdown(f"Starts {date_text(schedule.start, locale)}. {how}")
    if from_label:  # (the review path lists them above its form)
        not_planned(ruleset)  # below the next dose: it must stay on the first screen
    before_you_start(schedule, locale)
    course_views(schedule, "patient", now.date())
    missed_section(schedule, now, locale)
    downloads(schedule, "patient")
