"""The app's pure words (planner.words.today, compare, prescribed, before): the next dose, the
comparison numbers over cycles and phases, a regimen entered in steps, the short texts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner import Preferences, RuleError, plan_course
from planner.files import find_bundled
from planner.plan.scheduler import build_schedule
from planner.read.request import parse_times
from planner.words.before import event_description, key_points, labelled, warning_groups
from planner.words.compare import compare_rows, course_length, differences, total_doses, weekly_text
from planner.words.markdown import escape_markdown
from planner.words.prescribed import LengthUnit, Rhythm, Step, prescribed_rule, read_back
from planner.words.today import date_text, last_due, next_dose, past_first_dose

START = dt.date(2026, 12, 1)
BERLIN = Preferences("Europe/Berlin")


@pytest.fixture
def course(imiquimod):  # noqa: ANN001, ANN201
    return plan_course(imiquimod, "actinic-keratosis", START, BERLIN)


def test_next_dose_counts_what_is_done(course) -> None:
    now = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
    upcoming = next_dose(course, now)
    assert (upcoming.title, upcoming.day, upcoming.time, upcoming.how) == (
        "Dose 3 of 32",
        "Tue 8 Dec 2026",
        "22:00",
        "thin layer, at bedtime",
    )
    assert upcoming.progress == "2 of 32 doses were due before now."
    assert last_due(course, now) == 2
    assert next_dose(course, dt.datetime(2026, 12, 8, 12, 0, tzinfo=dt.UTC)).day == "Today"
    assert next_dose(course, dt.datetime(2027, 3, 20, tzinfo=dt.UTC)) is None


def test_a_past_first_dose_is_found(course) -> None:
    assert past_first_dose(course, dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)) is None
    assert past_first_dose(course, dt.datetime(2026, 12, 1, 21, 30, tzinfo=dt.UTC)).number == 1


def test_dates_follow_the_locale() -> None:
    day = dt.date(2026, 12, 4)
    assert date_text(day, "en-GB") == "Fri 4 Dec 2026" and date_text(day, "de-DE") == "Fri 4 Dec 2026"
    assert date_text(day, "en-US") == "Fri, Dec 4, 2026"


def test_comparison_counts_cycles_and_every_phase() -> None:
    podofilox = {r["indication"]: r for r in compare_rows(find_bundled("podofilox").ruleset)}
    row = podofilox["External Genital Warts (Solution or Gel)"]
    assert (row["doses per week"], row["duration"], row["total doses"]) == ("6", "up to 4 weeks", "")
    capecitabine = {r["indication"]: r for r in compare_rows(find_bundled("capecitabine").ruleset)}
    assert capecitabine["Dukes C Colon Cancer (Adjuvant)"]["total doses"] == "224"  # 2 × 14 days × 8 cycles
    for drug in ("azithromycin", "methylprednisolone", "doxycycline"):
        for r in compare_rows(find_bundled(drug).ruleset):
            assert all(isinstance(v, str) and v != "None" for v in r.values()), r


def test_a_taper_in_steps_reads_back_and_totals() -> None:
    steps = tuple(Step(Rhythm.TIMES_A_DAY, 1, 2, LengthUnit.DAYS, f"{mg} mg") for mg in (24, 16, 8))
    rule = prescribed_rule(steps)
    assert len(rule.regimen.phases) == 3
    assert read_back(rule).startswith("step 1: 24 mg, once a day, for 2 days (2 doses); step 2: 16 mg")
    assert total_doses(rule.regimen) == 6 and course_length(rule.regimen) == "6 days"
    schedule = build_schedule(rule, START, BERLIN)
    assert [d.amount for d in schedule.doses] == ["24 mg"] * 2 + ["16 mg"] * 2 + ["8 mg"] * 2


def test_steps_are_checked() -> None:
    with pytest.raises(RuleError, match="outside the usual range"):
        prescribed_rule((Step(Rhythm.TIMES_A_DAY, 12),))
    with pytest.raises(RuleError, match="no set end"):
        prescribed_rule((Step(Rhythm.TIMES_A_DAY, unit=LengthUnit.ONGOING), Step(Rhythm.TIMES_A_DAY)))
    with pytest.raises(RuleError, match="at least one step"):
        prescribed_rule(())


def test_differences_are_named(imiquimod) -> None:
    label = imiquimod.rule("actinic-keratosis").regimen
    daily = prescribed_rule((Step(Rhythm.TIMES_A_DAY, 1, 7, LengthUnit.DAYS),)).regimen
    found = {d.what: d.text for d in differences(daily, label)}
    assert found["most doses a week"] == "most doses a week: you entered 7, the label says at most 2"
    assert found["length"] == "length: you entered 7 days, the label says 16 weeks"
    same = prescribed_rule((Step(Rhythm.TIMES_A_WEEK, 2, 16, LengthUnit.WEEKS, "thin layer"),)).regimen
    assert differences(same, label) == []


def test_weekly_text_of_each_phase() -> None:
    azithro = find_bundled("azithromycin").ruleset.rules[0].regimen
    assert weekly_text(azithro) == "single dose, then 7"


def test_warnings_keep_their_labels_and_events_stay_short(course) -> None:
    texts = [labelled(w) for w in course.warnings]
    assert "Contraindication: Application to broken or inflamed skin." in texts
    assert all(": " in t.split(".")[0] or t.startswith(("Caution", "Pregnancy")) for t in texts)
    assert [label for label, _ in warning_groups(course)][:3] == ["Age", "Caution", "Pregnancy"]
    points = key_points(course)
    assert [p.label for p in points] == ["How", "How long", "If you miss a dose", "Read the warnings"]
    text = event_description(course)
    assert len(text) < 1500 and "Breastfeeding" not in text and "Key warnings:" in text


@given(st.integers(1, 12), st.integers(0, 59), st.booleans())
def test_12_hour_times_read_as_24_hour(hour: int, minute: int, pm: bool) -> None:
    (read,) = parse_times(f"{hour}:{minute:02d}{'pm' if pm else 'am'}")
    assert read == dt.time(hour % 12 + (12 if pm else 0), minute)
    assert parse_times(f"{read:%H:%M}") == (read,)


@given(st.text())
def test_escaped_text_has_no_live_markdown(text: str) -> None:
    """Read left to right: every markdown character comes escaped, and unescaping gives the text back."""
    escaped, out, i = escape_markdown(text), [], 0
    while i < len(escaped):
        c = escaped[i]
        if c == "\\":
            assert escaped[i + 1] in "\\`*_{}[]<>()#+-.!|~$:&@=\"'^%"
            out.append(escaped[i + 1])
            i += 2
            continue
        assert c not in "\\`*_{}[]<>()#!|~$:&@\n\r", (text, escaped)
        out.append(c)
        i += 1
    # the escaper adds word joiners to break autolinks; one already in the text is kept, so both lose them here
    assert "".join(out).replace("\u2060", "") == text.replace("\r", " ").replace("\n", " ").replace("\u2060", "")
    assert not re.search(r"(?i)(https?:|www\.|\w@)", "".join(out))  # no autolink survives


def test_paragraphs_with_no_regimen_are_listed_with_why() -> None:
    from pathlib import Path

    from helpers import ROOT

    from planner.files import load_monograph
    from planner.words.before import unplanned

    found = unplanned(load_monograph(Path(ROOT / "monographs" / "imiquimod.md")), find_bundled("imiquimod").ruleset)
    assert [u.who for u in found] == [
        "Children",
        "Elderly Patients",
        "Patients with Renal Impairment",
        "Patients with Hepatic Dysfunction",
        "Patients with Comorbid Conditions",
    ]
    assert found[0].text.startswith("Use in children under 12") and "ask your prescriber" in found[0].why
