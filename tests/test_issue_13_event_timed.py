"""Issue 13: a regimen timed from an event ("begin one week before leaving, weekly during the
stay and for 4 weeks after coming back") was refused outright. It is now read into options
whose phase carries an ``EventWindow`` and whose ``needs`` name the dates; it stays refused
without them (one line, exit 2, naming the dates), and with ``--event-start``/``--event-end``
it is planned as one continuous rhythm. A range of leads ("1 to 2 days before") is asked,
never chosen."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import ROOT
from hypothesis import given
from hypothesis import strategies as st

from planner.cli import main
from planner.errors import ScheduleError
from planner.model import (
    Duration,
    DurationKind,
    EventNeed,
    EventStart,
    EventWindow,
    Frequency,
    Preferences,
    Status,
    Unit,
)
from planner.plan.scheduler import plan_course
from planner.read.extract import extract_rules
from planner.read.monograph import parse_monograph
from planner.read.reader import read

DOXY = str(ROOT / "monographs" / "doxycycline.md")
BOTH = (EventNeed.EVENT_START, EventNeed.EVENT_END)


def _fixed(n: int, unit: Unit) -> Duration:
    return Duration(DurationKind.FIXED, unit, n, n)


def _window(text: str) -> list[tuple[Frequency | None, EventWindow | None, tuple[EventNeed, ...]]]:
    reading = read(text)
    assert not reading.options, reading  # never planned as it stands
    return [(o.regimen.phases[0].frequency, o.regimen.phases[0].event, o.regimen.needs) for o in reading.timed]


def test_the_issue_sentence_reads_as_one_weekly_window() -> None:
    text = "Begin one week before leaving, take 1 tablet weekly during the stay and for 4 weeks after coming back."
    reading = read(text)
    assert reading.reasons == ("timed from an event: the calendar needs the date you leave and the date you come back",)
    window = EventWindow(EventStart.BEFORE, _fixed(1, Unit.WEEK), _fixed(4, Unit.WEEK))
    assert _window(text) == [(Frequency(1, Unit.WEEK), window, BOTH)]
    assert reading.timed[0].regimen.phases[0].amount == "1 tablet"


LEAVE = st.sampled_from(["leaving", "departure", "travel", "you leave", "the trip", "entering the area"])
BACK = st.sampled_from(["coming back", "return", "returning", "you come back", "leaving the area"])
STAY = st.sampled_from(["during the stay", "while there", "during travel", "while you are away"])
NUMBER = {2: ["2", "two"], 7: ["7", "seven"]}


@given(LEAVE, BACK, STAY, st.sampled_from(NUMBER[2]), st.sampled_from(NUMBER[7]), st.booleans())
def test_rewordings_read_the_same(leave: str, back: str, stay: str, two: str, seven: str, lead_first: bool) -> None:
    """Words or digits, synonyms of leaving and coming back, and the order of the clauses."""
    lead = f"starting {two} days before {leave}"
    rest = f"take 1 tablet daily {stay} and for {seven} days after {back}"
    text = f"{lead}, {rest}." if lead_first else f"{rest}, {lead}."
    window = EventWindow(EventStart.BEFORE, _fixed(2, Unit.DAY), _fixed(7, Unit.DAY))
    assert _window(text[0].upper() + text[1:]) == [(Frequency(1, Unit.DAY), window, BOTH)]


def test_a_range_of_leads_is_an_option_per_value() -> None:
    text = "Take one tablet daily, starting 1 to 2 days before entering the malaria area and continuing for 7 days after leaving."
    leads = [w.lead for _, w, _ in _window(text) if w is not None]
    assert leads == [_fixed(1, Unit.DAY), _fixed(2, Unit.DAY)]


@pytest.mark.parametrize(
    "text",
    [
        "Take 2 grams 1 hour before the dental procedure.",  # a time of day: not a window of dates
        "Starting 4 weeks after the end of radiotherapy, take 200 mg once daily for 6 months.",
        "Take 1 tablet daily, starting 2 days before travel and for 7 days after return.",  # during the stay?
        "Take 1 tablet daily for 10 days, starting 2 days before coming back.",  # before the end: not read
    ],
)
def test_what_stays_refused(text: str) -> None:
    reading = read(text)
    assert not reading.options and not reading.timed and reading.reasons


def test_only_the_end_date_when_it_starts_after_the_event() -> None:
    [(_, window, needs)] = _window("Take 30 mg daily for 14 days after leaving the malarious area.")
    assert window == EventWindow(EventStart.AFTER, None, _fixed(14, Unit.DAY)) and needs == (EventNeed.EVENT_END,)


def _doxy():
    return extract_rules(parse_monograph((ROOT / "monographs" / "doxycycline.md").read_text(), DOXY))


def test_planned_from_the_dates_as_one_continuous_rhythm(zone_name: str) -> None:
    ruleset = _doxy()
    rule = ruleset.rule("malaria-prophylaxis")
    assert rule is not None and rule.status is Status.NEEDS_REVIEW and rule.regimen is None and len(rule.options) == 2
    prefs = Preferences(timezone=zone_name, event_start=dt.date(2027, 1, 10), event_end=dt.date(2027, 1, 14))
    schedule = plan_course(ruleset, "malaria-prophylaxis", None, prefs, option=2)
    days = [d.at.date() for d in schedule.doses]
    assert days[0] == dt.date(2027, 1, 8) and days[-1] == dt.date(2027, 1, 14) + dt.timedelta(days=28)
    assert days == [days[0] + dt.timedelta(days=k) for k in range(len(days))]  # daily, no gap, no double


def test_a_weekly_dose_stays_seven_days_apart_across_the_edges() -> None:
    from planner.model import DosingRule, Option, RuleSet, SourceRef

    text = "Begin one week before leaving, take 1 tablet weekly during the stay and for 4 weeks after coming back."
    timed = read(text).timed
    rule = DosingRule("m", "m", "adults", Status.NEEDS_REVIEW, None, SourceRef("x", "s", "adults", text),
                      ("timed",), options=timed)  # fmt: skip
    prefs = Preferences(event_start=dt.date(2027, 1, 10), event_end=dt.date(2027, 1, 26))  # not a whole week
    days = [d.at.date() for d in plan_course(RuleSet("M", "x", "0", (rule,)), "m", None, prefs).doses]
    assert days[0] == dt.date(2027, 1, 3) and {(b - a).days for a, b in zip(days, days[1:], strict=False)} == {7}
    assert len([d for d in days if d > dt.date(2027, 1, 26)]) == 4  # four weekly doses after coming back
    assert Option(timed[0].regimen).regimen.needs == BOTH


def test_refusals_name_the_dates_and_the_choice() -> None:
    ruleset = _doxy()
    with pytest.raises(ScheduleError, match=r"--event-start\).*--event-end\).*--option 1 \(1 day before"):
        plan_course(ruleset, "malaria-prophylaxis", dt.date(2027, 1, 1), Preferences())
    prefs = Preferences(event_start=dt.date(2027, 1, 10), event_end=dt.date(2027, 1, 14))
    with pytest.raises(ScheduleError, match="starts on 2027-01-09"):
        plan_course(ruleset, "malaria-prophylaxis", dt.date(2027, 1, 1), prefs, option=1)
    with pytest.raises(ScheduleError, match="before the date you leave"):
        bad = Preferences(event_start=dt.date(2027, 1, 10), event_end=dt.date(2027, 1, 1))
        plan_course(ruleset, "malaria-prophylaxis", None, bad, option=1)
    with pytest.raises(ScheduleError, match="not timed from an event"):
        plan_course(ruleset, ruleset.rules[0].id, dt.date(2027, 1, 1), prefs)


PLAN = ["plan", "--monograph", DOXY, "--indication", "malaria-prophylaxis"]


def test_cli_refuses_in_one_line_without_the_dates(capsys) -> None:
    assert main([*PLAN, "--start", "2027-01-01", "--option", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the date you leave (--event-start)" in err and "(--event-end)" in err


def test_cli_plans_from_the_dates(capsys) -> None:
    code = main(
        [*PLAN, "--option", "1", "--event-start", "2027-01-10", "--event-end", "2027-01-14", "--format", "json"]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["doses"][0]["at"].startswith("2027-01-09") and len(data["doses"]) == 1 + 5 + 28


def test_the_app_asks_for_the_trip_dates_and_the_start_time_choice() -> None:
    import sys

    from streamlit.testing.v1 import AppTest

    sys.path.insert(0, str(ROOT))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.context = {"locale": "en-GB", "timezone": "Europe/Berlin"}
    at.run()
    at.text_input(key="patient-query").set_value("doxycycline").run()
    at.selectbox(key="patient-indication").set_value("malaria-prophylaxis").run()
    assert not at.exception and "Next:" not in "".join(m.value for m in at.markdown)
    assert any("range of start times" in i.value for i in at.info)  # asked, not chosen
    at.radio(key="patient-option-malaria-prophylaxis").set_value(2).run()
    assert any("day you leave" in i.value.lower() for i in at.info)
    at.date_input(key="patient-event-start-malaria-prophylaxis").set_value(dt.date(2030, 1, 10)).run()
    at.date_input(key="patient-event-end-malaria-prophylaxis").set_value(dt.date(2030, 1, 14)).run()
    assert not at.exception, at.exception
    body = "\n".join(m.value for m in at.markdown)
    assert "Next: dose 1 of 35" in body and "It follows your trip's dates." in body


def test_a_calendar_reopens_with_its_trip_dates(capsys, tmp_path) -> None:
    ics = tmp_path / "trip.ics"
    dates = ["--event-start", "2027-01-10", "--event-end", "2027-01-14"]
    assert main([*PLAN, "--option", "1", *dates, "--format", "ics", "-o", str(ics)]) == 0
    capsys.readouterr()
    assert main(["plan", "--from-ics", str(ics), "--option", "1", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["doses"][0]["at"].startswith("2027-01-09")
