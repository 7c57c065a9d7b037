"""The presentation helpers the app and the course sheet share (planner.words: calendar, review, prescribed),
and files.catalog_errors: each tested on its own, without streamlit."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from helpers import ROOT

from planner import Preferences, RuleError, plan_course
from planner.files import catalog, catalog_errors, find_bundled
from planner.plan.scheduler import build_schedule
from planner.words.calendar import IMPORT_HOWTO, calendar_cells, calendar_legend, day_kinds, dose_table, key_dates
from planner.words.compare import compare_drugs
from planner.words.prescribed import LengthUnit, Rhythm, Step, prescribed_rule
from planner.words.regimen import dose_how
from planner.words.review import regimen_fields

START = dt.date(2026, 12, 1)


def test_dose_table_says_dose_n_of_m_and_how(imiquimod) -> None:
    schedule = plan_course(imiquimod, "actinic-keratosis", START, Preferences("Europe/Berlin"))
    table = dose_table(schedule)
    assert table[0] == {
        "dose": "1 of 32",
        "day": "Tue 01 Dec 2026",
        "time": "22:00 CET",
        "how": "thin layer, at bedtime",
    }
    assert table[-1]["dose"] == "32 of 32"
    assert dose_how(schedule.rule.regimen.phases[0]) == "thin layer, at bedtime"


def test_dose_table_of_an_ongoing_plan_has_no_total() -> None:
    rule = prescribed_rule((Step(Rhythm.EVERY_N_DAYS, 2, unit=LengthUnit.ONGOING),))
    schedule = build_schedule(rule, START, Preferences("UTC"))
    assert dose_table(schedule)[0]["dose"] == "1" and dose_table(schedule)[0]["how"] == ""
    assert key_dates(schedule)[-1][0] == "Calendar ends (ongoing)"


def test_key_dates_name_the_review(imiquimod) -> None:
    schedule = plan_course(imiquimod, "external-genital-perianal-warts", START, Preferences("UTC"))
    assert key_dates(schedule) == [
        ("First dose", START),
        ("Course end", dt.date(2027, 3, 20)),
        ("Review with prescriber", dt.date(2027, 3, 20)),
    ]


def test_day_kinds_mark_doses_reviews_and_plain_days(imiquimod) -> None:
    schedule = plan_course(imiquimod, "external-genital-perianal-warts", START, Preferences("UTC"))
    kinds = day_kinds(schedule)
    assert kinds[START] == "dose-1" and kinds[START + dt.timedelta(days=1)] == "course"
    assert kinds[dt.date(2027, 3, 20)] == "review" and max(kinds) == dt.date(2027, 3, 20)
    assert [k for k, _, _ in calendar_legend(schedule)] == ["dose-1", "review", "course", "outside"]


def test_cycles_show_rest_periods() -> None:
    ruleset = find_bundled("capecitabine").ruleset
    schedule = plan_course(ruleset, "dukes-c-colon-cancer-adjuvant", START, Preferences("UTC"))
    kinds = day_kinds(schedule)
    days = [kinds[START + dt.timedelta(days=n)] for n in range(28)]
    assert days == ["dose-1"] * 14 + ["rest"] * 7 + ["dose-1"] * 7
    assert "rest" in [k for k, _, _ in calendar_legend(schedule)]


def test_phases_have_their_own_colour_and_label() -> None:
    ruleset = find_bundled("azithromycin").ruleset
    rule = next(r for r in ruleset.rules if len(r.regimen.phases if r.regimen else ()) > 1)
    schedule = plan_course(ruleset, rule.id, START, Preferences("UTC"))
    legend = calendar_legend(schedule)
    assert [label for _, label, _ in legend[:2]] == ["Dose day, phase 1", "Dose day, phase 2"]
    assert legend[0][2] != legend[1][2]
    assert dose_table(schedule)[0]["phase"] == 1


def test_calendar_cells_cover_whole_months(imiquimod) -> None:
    schedule = plan_course(imiquimod, "actinic-keratosis", START, Preferences("Europe/Berlin"))
    cells = calendar_cells(schedule)
    assert len(cells) == 31 + 31 + 28 + 31
    first = cells[0]
    assert first == {
        "month": "December 2026",
        "order": 0,
        "week": 0,
        "weekday": "Tu",
        "day": 1,
        "date": "2026-12-01",
        "kind": "Dose day",
        "dark": True,
        "doses": "dose 1 of 32 at 22:00",
    }
    assert sum(c["kind"] == "Dose day" for c in cells) == 32


def test_regimen_fields_pair_values_with_the_labels_words(imiquimod) -> None:
    fields = regimen_fields(imiquimod.rule("actinic-keratosis"))
    assert {"phase": 1, "field": "frequency", "value": "2 per week", "label's words": "2 times per week"} in fields
    assert {"phase": 1, "field": "max per day", "value": "at most 1 a day", "label's words": "once daily"} in fields
    assert regimen_fields(find_bundled("fluorouracil").ruleset.rule("superficial-basal-cell-carcinoma")) == []


def test_compare_drugs_leads_each_row_with_its_drug(imiquimod) -> None:
    rows = compare_drugs([imiquimod, find_bundled("fluorouracil").ruleset])
    assert [r["drug"] for r in rows][:3] == ["Imiquimod"] * 3 and rows[-1]["drug"] == "Fluorouracil"
    assert rows[0]["total doses"] == "32"


def test_an_entered_regimen_is_checked_against_the_planner_limits() -> None:
    """The app's form is checked by planner.limits (the views copy of the bounds is gone)."""
    rule = prescribed_rule((Step(Rhythm.TIMES_A_WEEK, 2, length=8, unit=LengthUnit.WEEKS, amount="a thin layer"),))
    assert rule.status.value == "ok" and len(build_schedule(rule, START, Preferences("UTC")).doses) == 16
    with pytest.raises(RuleError, match="8 times per day is outside the usual range"):
        prescribed_rule((Step(Rhythm.TIMES_A_DAY, 8, unit=LengthUnit.ONGOING),))
    with pytest.raises(RuleError, match="every 2 hour"):
        prescribed_rule((Step(Rhythm.EVERY_N_HOURS, 2, unit=LengthUnit.ONGOING),))


def test_an_entered_regimen_of_doses() -> None:
    rule = prescribed_rule((Step(Rhythm.EVERY_N_HOURS, 12, length=6, unit=LengthUnit.DOSES),))
    schedule = build_schedule(rule, START, Preferences("Europe/Berlin"))
    assert len(schedule.doses) == 6 and (schedule.doses[1].at - schedule.doses[0].at) == dt.timedelta(hours=12)


def test_import_howto_names_the_four_calendars() -> None:
    assert [app for app, _ in IMPORT_HOWTO] == ["Google Calendar", "Apple Calendar", "Outlook", "Thunderbird"]
    assert all(len(line) < 100 for _, line in IMPORT_HOWTO)


def test_catalog_errors_lists_what_catalog_leaves_out(tmp_path, monkeypatch) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "monographs").mkdir()
    shutil.copy(ROOT / "rules" / "imiquimod.yaml", tmp_path / "rules")
    shutil.copy(ROOT / "monographs" / "imiquimod.md", tmp_path / "monographs")
    (tmp_path / "rules" / "broken.yaml").write_text("drug: [\n")
    (tmp_path / "rules" / "orphan.yaml").write_text(
        (ROOT / "rules" / "imiquimod.yaml").read_text().replace("monographs/imiquimod.md", "monographs/gone.md")
    )
    monkeypatch.setenv("PLANNER_DATA", str(tmp_path))
    assert [b.ruleset.drug for b in catalog()] == ["Imiquimod"]
    errors = dict(catalog_errors())
    assert set(errors) == {"rules/broken.yaml", "rules/orphan.yaml"}
    assert "not valid YAML" in errors["rules/broken.yaml"] and "gone.md" in errors["rules/orphan.yaml"]
