"""The printable course sheet (planner.write.sheet): a one-page PDF a patient can tick off."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from helpers import STAMP
from pypdf import PdfReader

from planner import Preferences, plan_course
from planner.model import DISCLAIMER
from planner.plan.scheduler import build_schedule
from planner.words.prescribed import LengthUnit, Rhythm, Step, prescribed_rule
from planner.write.sheet import course_sheet, latin1

START = dt.date(2026, 12, 1)


def text_of(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


@pytest.mark.parametrize(
    "indication, doses, last_month",
    [
        ("actinic-keratosis", 32, "March 2027"),
        ("superficial-basal-cell-carcinoma", 30, "January 2027"),
        ("external-genital-perianal-warts", 48, "March 2027"),
    ],
)
def test_one_page_with_grids_instructions_missed_dose_and_disclaimer(imiquimod, indication, doses, last_month) -> None:
    schedule = plan_course(imiquimod, indication, START, Preferences("Europe/Berlin"))
    data = course_sheet(schedule, STAMP)
    pages, text = text_of(data)
    assert pages <= 2  # the label's warnings, at 10 pt, may go on to a second page
    first = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert last_month in first and "If you miss a dose" in first  # the calendar and the rule: page 1
    assert f"{doses} doses" in text and "Tick the box of each dose" in text
    assert "December 2026" in text and last_month in text
    assert "How to take it" in text and schedule.rule.source.sentence in text
    assert "If you miss a dose Apply the missed dose as soon as you remember" in text
    assert "Warnings from the label" in text and "Pregnancy Category C" in text
    assert " ".join(DISCLAIMER.split()) in text
    assert f"#{doses}" in text  # every dose day carries its number beside the tick box


def test_body_text_is_at_least_10_pt(imiquimod) -> None:
    """Every sentence of the sheet is printed at 10 pt or more (it was 6.5 pt; dose numbers 4.6 pt)."""
    schedule = plan_course(imiquimod, "actinic-keratosis", START, Preferences("Europe/Berlin"))
    sizes: list[tuple[float, str]] = []
    for page in PdfReader(io.BytesIO(course_sheet(schedule, STAMP))).pages:
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: sizes.append((size * tm[0], text.strip())))
    sentences = [(size, text) for size, text in sizes if len(text) > 25 and not text.startswith("This is a reminder")]
    assert sentences and min(size for size, _ in sentences) >= 10, min(sentences)
    numbers = [size for size, text in sizes if text.startswith("#")]
    assert numbers and min(numbers) >= 7


def test_review_day_and_first_dose_are_named(imiquimod) -> None:
    schedule = plan_course(imiquimod, "external-genital-perianal-warts", START, Preferences("UTC"))
    _, text = text_of(course_sheet(schedule, STAMP))
    assert "First dose: Tue 01 Dec 2026" in text and "Review with prescriber: Sat 20 Mar 2027" in text
    assert "Review with your prescriber, R: review" in text


def test_same_schedule_same_bytes(imiquimod) -> None:
    schedule = plan_course(imiquimod, "actinic-keratosis", START, Preferences("Europe/Berlin"))
    assert course_sheet(schedule, STAMP) == course_sheet(schedule, STAMP)
    assert b"D:20261101120000Z" in course_sheet(schedule, STAMP)  # the creation date is the parameter


def test_a_year_of_twice_daily_doses_fits_one_page_and_unicode_is_folded() -> None:
    rule = prescribed_rule((Step(Rhythm.TIMES_A_DAY, 2, unit=LengthUnit.ONGOING, amount="500 µg ≥ 1 – “x”"),))
    schedule = build_schedule(rule, START, Preferences("Asia/Tokyo", until=dt.date(2027, 11, 30)), drug="Ωmega")
    pages, text = text_of(course_sheet(schedule, STAMP))
    assert pages == 1
    assert "730 doses planned (ongoing treatment)" in text and "November 2027" in text
    assert '500 µg >= 1 - "x"' in text and "?mega" in text
    assert "gives no missed-dose rule" in text


def test_a_longer_plan_continues_on_more_pages() -> None:
    rule = prescribed_rule((Step(Rhythm.EVERY_N_DAYS, 30, unit=LengthUnit.ONGOING),))
    schedule = build_schedule(rule, START, Preferences("UTC", until=dt.date(2029, 12, 31)))
    pages, text = text_of(course_sheet(schedule, STAMP))
    assert pages >= 2 and "December 2029" in text and f"Page {pages}/{pages}" in text


def test_latin1_folding() -> None:
    assert latin1("a – b — “c” ≥ 3 → é ü µ ²") == 'a - b - "c" >= 3 -> é ü µ ²'
    assert latin1("ω ﬁ") == "? fi"
    assert all(ord(c) <= 0xFF for c in latin1("日本 ₂ ﬁ"))


def test_the_bundled_drugs_all_render() -> None:
    """Every plannable bundled indication gives a sheet (cycles, phases, single doses)."""
    from planner.files import catalog
    from planner.model import Status

    for bundled in catalog():
        for rule in bundled.ruleset.rules:
            if rule.status is Status.OK:
                schedule = plan_course(bundled.ruleset, rule.id, START, Preferences("Europe/Berlin"))
                pages, text = text_of(course_sheet(schedule, STAMP))
                assert 1 <= pages <= 2 and " ".join(DISCLAIMER.split()) in text, (bundled.ruleset.drug, rule.id)
