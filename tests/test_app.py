"""The Streamlit app, driven with AppTest: the patient's result-first page (next dose, Before you
start, calendar with today, missed or late dose), the review path (the prescriber's regimen in
steps, a taper), the clinician's numbers and preview, escaping, and bad uploads, which must give
a message in the page and never a traceback. The clock is fixed (components.common.utc_now).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import sys
import time
import tomllib
from pathlib import Path

import pytest
from helpers import DATA, ROOT
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from planner.model import DISCLAIMER

sys.path.insert(0, str(ROOT))  # the app's components/ package, as `streamlit run` finds it
import components.common  # noqa: E402

APP = str(ROOT / "streamlit_app.py")
START = dt.date(2026, 12, 1)  # a Tuesday: actinic keratosis gets TU/FR, 32 doses to Fri 19 Mar 2027
NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)  # a Saturday: doses 1 and 2 are past, dose 3 is Tue 8 Dec
TAPER = "short-course-taper-21-tablet-dose-pack-of-4-mg-tablets"


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The app's one clock read, fixed; a test may move it (``clock[0] = ...``)."""
    moment = [NOW]
    monkeypatch.setattr(components.common, "utc_now", lambda: moment[0])
    return moment


def make_app(timezone: str | None = "Europe/Berlin", locale: str = "en-GB") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.context = {"locale": locale, **({"timezone": timezone} if timezone else {})}
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def app() -> AppTest:
    return make_app()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes behind every download button, by file name (AppTest keeps no media files)."""
    files: dict[str, bytes] = {}
    original = MediaFileManager.add

    def add(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):  # noqa: ANN001
        if file_name and isinstance(path_or_data, bytes):
            files[file_name] = path_or_data
        return original(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):  # noqa: ANN001
        files[file_name] = data_callable()  # what a click on the button downloads
        return original_deferred(self, data_callable, mimetype, coordinates, file_name, element_id=element_id)

    original_deferred = MediaFileManager.add_deferred
    monkeypatch.setattr(MediaFileManager, "add", add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return files


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [i.value for i in at.info] + [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


def plain(text: str) -> str:
    """Markdown escapes undone, to compare with the words a reader sees."""
    return re.sub(r"\\(.)", r"\1", text)


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def widget(at: AppTest, kind: str, label: str):  # noqa: ANN201
    return next(w for w in getattr(at, kind) if w.label == label)


def plan(at: AppTest, drug: str = "Aldara", indication: str | None = None, start: dt.date = START) -> AppTest:
    at.text_input(key="patient-query").set_value(drug).run()
    if indication:
        at.selectbox(key="patient-indication").set_value(indication).run()
    at.date_input(key="patient-start").set_value(start).run()
    assert not at.exception
    return at


def assert_disclaimer(at: AppTest) -> None:
    """Top (a warning) and bottom (body text) of every page state."""
    assert not at.exception
    assert at.warning[0].value == DISCLAIMER
    assert at.markdown[-1].value == DISCLAIMER


def rows(element) -> list[dict]:  # noqa: ANN001
    return element.value.to_dict("records")


def order(at: AppTest, *needles: str) -> list[int]:
    """Where in the page (element index) each text first appears."""
    values = [str(getattr(e, "value", "")) + str(getattr(e, "label", "")) for e in at.main]
    return [next(i for i, v in enumerate(values) if needle in v) for needle in needles]


# --- choosing --------------------------------------------------------------------------------


def test_no_plan_before_a_drug_is_chosen(app) -> None:
    assert "Choose your medicine" in texts(app)
    assert "Next:" not in texts(app)
    assert_disclaimer(app)


def test_brand_name_finds_the_generic(app) -> None:
    app.text_input(key="patient-query").set_value("Aldara").run()
    drug = widget(app, "selectbox", "Medicine")
    assert drug.value == "Imiquimod" and "Aldara" in drug.options[0]
    assert widget(app, "selectbox", "What it is for").options == [
        "Actinic Keratosis",
        "Superficial Basal Cell Carcinoma",
        "External Genital/Perianal Warts",
    ]


def test_unknown_name_is_a_message(app) -> None:
    app.text_input(key="patient-query").set_value("no-such-drug").run()
    assert "No medicine of that name" in texts(app)
    assert_disclaimer(app)


def test_patient_path_has_no_monograph_or_bundled_wording(app) -> None:
    plan(app)
    app.button(key="missed-missed").click().run()
    words = texts(app) + " ".join(str(getattr(w, "label", "")) for w in app.main)
    words += " ".join(str(o) for r in app.radio for o in r.options)
    assert "monograph" not in words.lower() and "bundled" not in words.lower()


# --- planning: result first ----------------------------------------------------------------------


def test_patient_sees_the_next_dose_first(app) -> None:
    plan(app)
    body = texts(app)
    assert "### Next: dose 3 of 32" in body
    assert "**Tue 8 Dec 2026, 22:00** · thin layer, at bedtime" in body
    assert "2 of 32 doses were due before now." in body
    card, before, calendar, missed, take = order(
        app, "Next: dose", "Before you start", "Today has a black outline", "Missed or late dose", "Take it with you"
    )
    assert card < before < calendar < missed < take
    assert "last dose on Fri 19 Mar 2027" in plain(body)
    doses = rows(app.dataframe[0])
    assert len(doses) == 32
    assert doses[0] == {
        "dose": "1 of 32",
        "day": "Tue 01 Dec 2026",
        "time": "22:00 CET",
        "how": "thin layer, at bedtime",
    }
    assert doses[-1]["dose"] == "32 of 32" and doses[-1]["day"] == "Fri 19 Mar 2027"
    assert_disclaimer(app)


def test_us_locale_writes_dates_month_first() -> None:
    at = plan(make_app(locale="en-US"))
    assert "**Tue, Dec 8, 2026, 22:00**" in texts(at)
    assert at.date_input(key="patient-start").proto.format == "MM/DD/YYYY"


def test_before_you_start_is_short_and_every_warning_keeps_its_label(app) -> None:
    plan(app)
    (box,) = [m.value for m in app.markdown if m.value.startswith("- **How:**")]
    assert box.count("\n- ") == 3  # how, how long, a missed dose, the warnings to read: four points
    assert "Read the warnings:** 12 from the label, on: Age, Caution, Pregnancy, Breastfeeding" in plain(box)
    groups = {m.value.split("**")[1]: m.value for m in app.markdown if m.value.startswith("**") and "\n- " in m.value}
    assert {"Age", "Pregnancy", "Breastfeeding", "Contraindication", "Caution", "Missed dose"} <= set(groups)
    assert "Application to broken or inflamed skin" in plain(groups["Contraindication"])
    assert "All 12 warnings from the label" in [e.label for e in app.expander]


def chart(at: AppTest) -> tuple[list[dict], list[dict]]:
    """The calendar's Vega-Lite specs (one a month) and their data rows."""
    import pyarrow as pa

    elements = [e for e in at.main if e.type == "vega_lite_chart"]
    specs = [json.loads(e.proto.spec) for e in elements]
    data = [row for e in elements for row in pa.ipc.open_stream(e.proto.data.data).read_all().to_pylist()]
    return specs, data


def test_calendar_marks_every_dose_day_and_today(app) -> None:
    plan(app)
    specs, data = chart(app)
    assert [s["title"]["text"] for s in specs] == ["December 2026", "January 2027", "February 2027", "March 2027"]
    legend = specs[0]["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert legend == ["Dose day", "No dose that day", "Before or after the course"]
    assert all(s["layer"][0]["encoding"]["color"]["legend"] is None for s in specs[1:])  # one legend
    days = [d for d in data if d["week"] >= 0]
    assert [d["date"] for d in days if d["kind"] == "Dose day"][:3] == ["2026-12-01", "2026-12-04", "2026-12-08"]
    assert sum(d["kind"] == "Dose day" for d in days) == 32
    assert [d["date"] for d in days if d["today"]] == ["2026-12-05"]
    assert next(d for d in days if d["date"] == "2027-03-19")["doses"] == "dose 32 of 32 at 22:00"
    assert all("width" not in s for s in specs)  # as wide as its column: one column of months on a phone


def test_calendar_shows_rest_periods() -> None:
    at = make_app()
    plan(at, "capecitabine", indication="dukes-c-colon-cancer-adjuvant")
    _, data = chart(at)
    kinds = [
        d["kind"]
        for d in sorted((d for d in data if d["week"] >= 0), key=lambda d: d["date"])
        if d["date"] >= "2026-12-01"
    ]
    assert kinds[:14] == ["Dose day"] * 14 and kinds[14:21] == ["Rest period: no doses"] * 7


def test_other_indications_and_review_date(app) -> None:
    plan(app, indication="superficial-basal-cell-carcinoma")
    assert "### Next: dose 6 of 30" in texts(app)
    app.selectbox(key="patient-indication").set_value("external-genital-perianal-warts").run()
    body = plain(texts(app))
    assert "of 48" in body and "up to 16 weeks" in body
    assert "Sat 20 Mar 2027:** Review with your prescriber" in body


def test_weekday_names_and_a_12_hour_time(app) -> None:
    plan(app)
    days = app.multiselect(key="patient-weekdays")
    assert days.options[:2] == ["Monday", "Tuesday"]  # names, not MO/TU
    days.set_value(["MO", "TH"]).run()
    app.text_input(key="patient-time").set_value("9:30pm").run()
    doses = rows(app.dataframe[0])
    assert doses[0]["day"] == "Thu 03 Dec 2026" and doses[0]["time"] == "21:30 CET"
    assert {d["day"][:3] for d in doses} == {"Mon", "Thu"}


def test_first_of_two_weekdays_keeps_the_plan(app) -> None:
    plan(app)
    app.multiselect(key="patient-weekdays").set_value(["MO"]).run()
    assert not errors(app)
    assert "Choose 1 more day(s)" in texts(app) and "### Next: dose 3 of 32" in texts(app)


def test_impossible_weekdays_are_a_message(app) -> None:
    plan(app)
    app.multiselect(key="patient-weekdays").set_value(["MO", "TU"]).run()
    assert "break the label" in errors(app) and "for example" in errors(app)
    assert "Next:" not in texts(app)
    assert_disclaimer(app)


def test_bad_time_is_a_message(app) -> None:
    plan(app)
    app.text_input(key="patient-time").set_value("25:00").run()
    assert "not a time of day" in errors(app)  # the same message as the CLI
    assert_disclaimer(app)


def test_time_zone_and_today_come_from_the_browser(clock) -> None:
    clock[0] = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)  # already Sunday 6 Dec in Tokyo
    at = make_app(timezone="Asia/Tokyo")
    at.text_input(key="patient-query").set_value("Aldara").run()
    assert widget(at, "selectbox", "Time zone").value == "Asia/Tokyo"
    assert at.date_input(key="patient-start").value == dt.date(2026, 12, 6)


def test_without_a_browser_zone_the_patient_picks_one() -> None:
    at = plan(make_app(timezone=None))
    zone = widget(at, "selectbox", "Time zone")
    assert zone.value is None and "Choose your time zone" in texts(at)
    assert "Next:" not in texts(at)
    zone.set_value("America/Bogota").run()
    assert rows(at.dataframe[0])[0]["time"] == "22:00 -05"


def test_a_first_dose_already_past_is_asked_about(clock) -> None:
    clock[0] = dt.datetime(2026, 12, 1, 21, 30, tzinfo=dt.UTC)  # 22:30 in Berlin: dose 1 (22:00) has passed
    at = make_app()
    at.text_input(key="patient-query").set_value("Aldara").run()
    (question,) = [r for r in at.radio if r.label.startswith("Dose 1 was due today at 22:00")]
    assert question.value == "Start tomorrow"
    assert "Starts Wed 2 Dec 2026" in texts(at) and "### Next: dose 1 of 32" in texts(at)
    question.set_value("Start today: I take dose 1 late").run()
    assert "Starts Tue 1 Dec 2026" in texts(at) and "### Next: dose 2 of 32" in texts(at)


def test_rerun_after_a_widget_change_is_fast(app) -> None:
    plan(app)
    start = time.perf_counter()
    app.text_input(key="patient-time").set_value("21:00").run()
    assert time.perf_counter() - start < 3.0  # pure steps are cached; this guards against losing that


# --- downloads ----------------------------------------------------------------------------------


def test_downloads_hold_the_calendar_and_the_sheet(app, downloads) -> None:
    plan(app)
    ics = downloads["imiquimod-actinic-keratosis.ics"].decode()
    unfolded = ics.replace("\r\n ", "")
    assert unfolded.count("BEGIN:VEVENT") == 32
    assert "Imiquimod – dose 1 of 32 (actinic keratosis)" in unfolded
    assert DISCLAIMER.replace(",", "\\,").replace(";", "\\;") in unfolded
    assert "X-PLANNER-START:2026-12-01" in unfolded and "TZID=Europe/Berlin" in unfolded

    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(downloads["imiquimod-actinic-keratosis-sheet.pdf"]))
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "Imiquimod - Actinic Keratosis" in text and "32 doses" in text
    assert "If you miss a dose" in text
    body = texts(app)
    for app_name in ("Google Calendar", "Apple Calendar", "Outlook", "Thunderbird"):
        assert f"**{app_name}**:" in body


# --- missed or late dose --------------------------------------------------------------------------


def test_missed_dose_card_puts_the_action_first(clock, downloads) -> None:
    clock[0] = dt.datetime(2026, 12, 8, 22, 30, tzinfo=dt.UTC)  # 23:30 in Berlin, dose 3 was due at 22:00
    at = plan(make_app())
    assert [b.label for b in at.button][:2] == ["I missed it", "I took it late"]
    at.button(key="missed-missed").click().run()
    picker = widget(at, "selectbox", "Which dose did you miss?")
    assert picker.value == 3  # the last dose due, not dose 1
    card = [m.value for m in at.markdown]
    first = next(i for i, v in enumerate(card) if plain(v).startswith("### Dose 3: ") and plain(v).endswith(" it now"))
    assert plain(card[first + 1]) == "**Next: dose 4 of 32, Fri 11 Dec 2026 at 22:00 (thin layer, at bedtime).**"
    assert "12 warnings from the label still apply" in [e.label for e in at.expander]
    updated = downloads["imiquimod-actinic-keratosis-updated.ics"].decode().replace("\r\n ", "")
    assert "SEQUENCE:1" in updated and DISCLAIMER[:40] in updated
    # remembered only when the next dose is due: skip it, never two for one
    widget(at, "date_input", "When did you remember? Day").set_value(dt.date(2026, 12, 11)).run()
    widget(at, "time_input", "Time").set_value(dt.time(23, 0)).run()
    assert "### Dose 3: Skip it" in plain(texts(at))
    assert_disclaimer(at)


def test_late_dose_sits_beside_missed(clock) -> None:
    clock[0] = dt.datetime(2026, 12, 9, 6, 0, tzinfo=dt.UTC)
    at = plan(make_app())
    at.button(key="missed-late").click().run()
    picker = widget(at, "selectbox", "Which dose did you take late?")
    assert picker.value == 3
    widget(at, "date_input", "When did you take it? Day").set_value(dt.date(2026, 12, 9)).run()
    widget(at, "time_input", "Time").set_value(dt.time(1, 0)).run()
    assert not at.exception
    assert "### Dose 3: " in plain(texts(at))
    assert "late" in plain(texts(at)).split("### Dose 3: ")[1][:300].lower()


# --- never a dead end: the prescriber's regimen --------------------------------------------------


def enter_taper(at: AppTest, amounts: tuple[str, ...] = ("24 mg", "16 mg", "8 mg"), days: int = 2) -> AppTest:
    at.number_input(key="patient-rx-steps").set_value(len(amounts)).run()
    for n, amount in enumerate(amounts, 1):
        at.text_input(key=f"patient-rx-{n}-amount").set_value(amount)
        at.number_input(key=f"patient-rx-{n}-length").set_value(days)
    at.run()
    assert not at.exception
    return at


def test_review_gives_why_and_a_step_form_not_a_dead_end(app) -> None:
    app.text_input(key="patient-query").set_value("methylprednisolone").run()
    app.selectbox(key="patient-indication").set_value(TAPER).run()
    body = plain(texts(app))
    assert "the label does not say exactly how to take it for this use" in body
    assert "two different values for amount" in body  # the rule's own reasons, said
    assert "#### Enter the regimen your prescriber gave you" in body
    assert "7 part(s) of the label not planned" in [e.label for e in app.expander]  # 2 uses, 5 paragraphs
    assert "Children**: “Pediatric dosing is individualized" in body
    assert "Other Corticosteroid-Responsive Conditions**: not planned, because" in body
    enter_taper(app)
    body = plain(texts(app))
    assert (
        "You entered:** step 1: 24 mg, once a day, for 2 days (2 doses); step 2: 16 mg, once a day, for 2 days "
        "(2 doses); step 3: 8 mg, once a day, for 2 days (2 doses)." in body
    )
    assert "The label gives no regimen for Short-Course Taper" in body  # said plainly, no false comparison
    assert "Next:" not in body  # not before the patient confirms the words
    next(c for c in app.checkbox if c.key.startswith("patient-rx-confirmed")).check().run()
    app.date_input(key="patient-start").set_value(dt.date(2026, 12, 10)).run()
    assert not app.exception
    body = texts(app)
    assert "### Next: dose 1 of 6" in body and "**Thu 10 Dec 2026, 09:00** · 24 mg" in body
    assert [(r["how"], r["phase"]) for r in rows(app.dataframe[0])] == [
        ("24 mg", 1),
        ("24 mg", 1),
        ("16 mg", 2),
        ("16 mg", 2),
        ("8 mg", 3),
        ("8 mg", 3),
    ]
    _, data = chart(app)
    assert {d["kind"] for d in data if d["week"] >= 0} >= {"Dose day, phase 1", "Dose day, phase 3"}
    assert "Breastfeeding" in body and "Do not take a double dose" in plain(body)  # the label's rules still apply
    assert "The label says:** Your prescriber" not in body
    assert_disclaimer(app)


def test_changed_steps_must_be_confirmed_again(app) -> None:
    app.text_input(key="patient-query").set_value("methylprednisolone").run()
    app.selectbox(key="patient-indication").set_value(TAPER).run()
    enter_taper(app)
    next(c for c in app.checkbox if c.key.startswith("patient-rx-confirmed")).check().run()
    assert "### Next:" in texts(app)
    app.text_input(key="patient-rx-1-amount").set_value("32 mg").run()
    assert "### Next:" not in texts(app)


def test_an_ongoing_step_before_another_is_refused(app) -> None:
    app.text_input(key="patient-query").set_value("methylprednisolone").run()
    app.selectbox(key="patient-indication").set_value(TAPER).run()
    enter_taper(app, ("8 mg", "4 mg"))
    app.selectbox(key="patient-rx-1-unit").set_value(app.selectbox(key="patient-rx-1-unit").options[3]).run()
    assert "step 1 has no set end" in plain(errors(app))


# --- clinician ---------------------------------------------------------------------------------


def clinician(at: AppTest, drug: str = "imiquimod") -> AppTest:
    at.switch_page("pages/clinician.py").run()
    at.text_input(key="clinician-query").set_value(drug).run()
    assert not at.exception
    return at


def table(at: AppTest, index: int = 0) -> list[dict]:
    return [{k: plain(str(v)) for k, v in r.items()} for r in at.table[index].value.to_dict("records")]


def test_clinician_compares_the_three_regimens(app) -> None:
    clinician(app)
    rows_ = table(app)
    assert [r["total doses"] for r in rows_] == ["32", "30", "48"]
    assert [r["doses per week"] for r in rows_] == ["2", "5", "3"]
    assert [r["spacing"] for r in rows_] == ["3-4 days", "", "≥ 2 days"]
    assert [r["duration"] for r in rows_] == ["16 weeks", "6 weeks", "up to 16 weeks"]
    assert rows_[0]["source sentence"].startswith("Apply a thin layer once daily")
    assert_disclaimer(app)


def test_clinician_numbers_count_cycles_and_every_phase(app) -> None:
    clinician(app, "podofilox")
    assert [r["doses per week"] for r in table(app)] == ["6", "6"]  # 2 a day on 3 days of 7, not 14
    assert [r["duration"] for r in table(app)] == ["up to 4 weeks", "up to 4 weeks"]
    clinician(app, "methylprednisolone")
    ms = next(r for r in table(app) if r["indication"].startswith("Acute Exacerbations"))
    assert ms["doses per week"] == "7, then 3-4" and ms["duration"] == "37 days"  # both phases, not the first
    assert all("None" not in v for r in table(app) for v in r.values())


def test_clinician_compares_two_drugs(app) -> None:
    clinician(app)
    app.multiselect(key="clinician-compare").set_value(["Fluorouracil"]).run()
    rows_ = table(app, 1)
    assert {r["drug"] for r in rows_} == {"Imiquimod", "Fluorouracil"}
    ak = {r["drug"]: r for r in rows_ if r["indication"] == "Actinic Keratosis"}
    assert ak["Imiquimod"]["total doses"] == "32" and ak["Fluorouracil"]["duration"] == "2 to 4 weeks"


def test_rule_beside_its_sentence_with_highlights(app) -> None:
    clinician(app)
    body = texts(app)
    assert "**2 times per week** _(frequency)_" in body and "**for 16 weeks** _(duration)_" in body
    fields = rows(app.dataframe[0])
    assert {"phase": 1, "field": "spacing", "value": "3-4 days apart", "label's words": "3-4 days apart"} in fields


def test_needs_review_rules_and_reasons(app) -> None:
    clinician(app, "fluorouracil")
    assert "Needs review: as needed: not scheduled" in plain(texts(app))


def prescribe(at: AppTest, **values: object) -> AppTest:
    for key, value in values.items():
        at.main.get("selectbox")  # noqa: B018 - the tree is current
        widget_ = next(w for w in at.main if getattr(w, "key", None) == f"rx-1-{key}")
        widget_.set_value(value)
    at.run()
    assert not at.exception
    return at


def test_prescriber_preview_names_differences_and_never_claims_every_check(app) -> None:
    clinician(app)
    from planner.words.prescribed import LengthUnit, Rhythm

    prescribe(app, amount="a thin layer", rhythm=Rhythm.TIMES_A_DAY, count=1, length=7, unit=LengthUnit.DAYS)
    body = plain(texts(app))
    assert "Differs from the label's regimen for Actinic Keratosis" in body
    assert "most doses a week: you entered 7, the label says at most 2" in body
    assert "length: you entered 7 days, the label says 16 weeks" in body
    assert "You entered:** a thin layer, once a day, for 7 days (7 doses)." in body
    assert "every label check passed" not in body and "The label says: a thin layer" not in body
    assert "7 doses planned within the planner's limits" in body


def test_prescriber_regimen_that_breaks_a_bound_is_a_message(app) -> None:
    clinician(app)
    from planner.words.prescribed import Rhythm

    prescribe(app, rhythm=Rhythm.TIMES_A_DAY, count=12)
    assert "12 times per day is outside the usual range" in plain(errors(app))
    assert_disclaimer(app)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the library where imiquimod's monograph changed and one rule file is broken."""
    (tmp_path / "monographs").mkdir()
    (tmp_path / "rules").mkdir()
    shutil.copy(ROOT / "rules" / "imiquimod.yaml", tmp_path / "rules")
    text = (ROOT / "monographs" / "imiquimod.md").read_text()
    (tmp_path / "monographs" / "imiquimod.md").write_text(text + "\nA new paragraph after review.\n")
    (tmp_path / "rules" / "broken.yaml").write_text("drug: Broken\nindications: 3\n")
    monkeypatch.setenv("PLANNER_DATA", str(tmp_path))
    return tmp_path


def test_stale_rules_are_refused_for_patients_and_flagged_for_clinicians(data_dir) -> None:
    at = make_app()
    at.text_input(key="patient-query").set_value("imiquimod").run()
    assert "out of date" in errors(at) and "Next:" not in texts(at)
    assert_disclaimer(at)
    clinician(at)
    body = plain(texts(at))
    assert "Stale: monographs/imiquimod.md changed after these rules were reviewed" in body
    assert "Stale: imiquimod.yaml" in body
    assert "1 rule file(s) load, 1 stale, 1 broken" in body
    assert "Broken: rules/broken.yaml" in plain(errors(at)) and "indications" in errors(at)


def test_library_check_with_a_healthy_library(app) -> None:
    clinician(app)
    assert "0 stale, 0 broken" in texts(app)


# --- uploads -------------------------------------------------------------------------------------

SOURCES = {"patient": "Use a label file (.md)", "clinician": "Upload a monograph (.md)"}


def upload(name: str, data: bytes, view: str = "patient") -> AppTest:
    at = make_app()
    if view == "clinician":
        at.switch_page("pages/clinician.py").run()
    at.radio(key=f"{view}-source").set_value(SOURCES[view]).run()
    at.file_uploader(key=f"{view}-upload").set_value((name, data, "text/markdown")).run()
    assert not at.exception
    return at


def test_upload_a_label_and_plan_it() -> None:
    at = upload("valacyclovir.md", (ROOT / "monographs" / "valacyclovir.md").read_bytes())
    assert not errors(at)
    at.selectbox(key="patient-indication").set_value("genital-herpes-initial-episode").run()
    at.date_input(key="patient-start").set_value(START).run()
    assert "of 20" in texts(at)
    assert_disclaimer(at)


BAD_UPLOADS = {
    "not-markdown": ("notes.pdf", b"%PDF-1.4 not a monograph", "not a markdown file"),
    "broken-front-matter": (
        "broken-yaml.md",
        (DATA / "monographs/invalid/broken-yaml.md").read_bytes(),
        "front matter is not valid YAML",
    ),
    "no-front-matter": ("plain.md", b"# Just a heading\n\nSome text.\n", "no YAML front matter"),
    "huge": (
        "huge.md",
        b"---\ntitle: Huge\n---\n" + b"x" * (2 * 1024 * 1024),
        "larger than the 2,097,152 bytes allowed",
    ),
    "no-dosing-section": (
        "no-dosage.md",
        (DATA / "monographs/invalid/no-dosage.md").read_bytes(),
        "no dosing bullets found under a 'Dosage' heading",
    ),
    "binary": ("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a binary file"),
    "not-utf8": ("latin1.md", "---\ntitle: Caf\xe9\n---\n".encode("latin-1"), "not UTF-8 text"),
    "python-tag": (
        "python-tag.md",
        (DATA / "monographs/invalid/python-tag.md").read_bytes(),
        "could not determine a constructor",
    ),
}


@pytest.mark.parametrize("view", ["patient", "clinician"])
@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_bad_upload_is_a_clear_message(case: str, view: str) -> None:
    name, data, message = BAD_UPLOADS[case]
    at = upload(name, data, view)
    assert "This file cannot be used" in errors(at) and message in plain(errors(at))
    assert "Next:" not in texts(at)
    assert_disclaimer(at)


HOSTILE = {
    "title: Imiquimod": "title: '![x](https://evil.example/d.png) [click](https://evil.example) :red[Imiq] www.evil.example'",
    "**Actinic Keratosis:**": "**Actinic Keratosis <img src=https://evil.example/i.png> [K](https://evil.example) https://evil.example:**",
    "Apply 5 times per week for 6 weeks.": "Apply 5 times per week for 6 weeks <img src=x onerror=alert(1)> [x](javascript:alert(1)).",
}


def hostile_monograph() -> bytes:
    text = (ROOT / "monographs" / "imiquimod.md").read_text()
    for old, new in HOSTILE.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


LIVE = re.compile(r"(?<!\\)(<img|<a |!\[|\]\(|https?://|www\.|:red\[)")


def markdown_sinks(at: AppTest) -> list[str]:
    values = [texts(at)] + [str(e.label) for e in at.expander] + [str(h.value) for h in at.subheader]
    values += [str(c) for t in at.table for c in t.value.to_numpy().ravel()]
    return values


@pytest.mark.parametrize("view", ["patient", "clinician"])
def test_hostile_monograph_text_is_escaped_in_every_sink(view: str) -> None:
    at = upload("evil.md", hostile_monograph(), view)
    if view == "patient":  # the hostile use is the first one: planned, with its missed-dose card
        at.button(key="missed-missed").click().run()
        assert "### Dose " in texts(at) and "missed-card" in str([getattr(e, "key", "") for e in at.main])
    sinks = markdown_sinks(at)
    if view == "clinician":
        assert any("evil" in s for s in sinks)  # the text is shown, as text
    else:  # a widget's options are plain text, never markdown
        assert "<img src=https://evil.example/i.png>" in at.selectbox(key="patient-indication").options[0]
    for sink in sinks:
        assert not LIVE.search(sink), sink
    source = "".join(p.read_text() for p in (ROOT / "components").glob("*.py")) + Path(APP).read_text()
    assert "unsafe_allow_html" not in source and "st.html" not in source


def test_a_file_name_cannot_become_a_link() -> None:
    at = upload("[x](https:__evil.example).pdf", b"%PDF-1.4")
    assert not LIVE.search(errors(at)) and "evil" in errors(at)


def test_server_settings_refuse_big_uploads_and_listen_locally() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == 2 and config["server"]["address"] == "127.0.0.1"
    assert config["client"]["toolbarMode"] == "viewer"
    assert "--server.address $(ADDRESS)" in (ROOT / "Makefile").read_text()


def test_the_prescription_words_are_read_back_then_planned(app) -> None:
    app.text_input(key="patient-query").set_value("methylprednisolone").run()
    app.selectbox(key="patient-indication").set_value("other-corticosteroid-responsive-conditions").run()
    app.text_area(key="patient-rx-sig").set_value("Take 1 tablet by mouth 3 times a day for 10 days").run()
    assert not app.exception
    body = plain(texts(app))
    assert "Read from the prescription:** 1 tablet, 3 times a day, for 10 days (30 doses)." in body
    next(c for c in app.checkbox if c.key.startswith("patient-rx-confirmed")).check().run()
    assert "### Next: dose 1 of 30" in texts(app)
    app.text_area(key="patient-rx-sig").set_value("Take as directed").run()
    assert "This prescription was not read" in plain(errors(app))


def test_the_patient_says_which_option_and_the_open_amount(app) -> None:
    app.text_input(key="patient-query").set_value("valacyclovir").run()
    app.selectbox(key="patient-indication").set_value("genital-herpes-suppressive-therapy").run()
    (option,) = [r for r in app.radio if r.label == "Which regimen did your prescriber choose?"]
    assert len(option.options) == 2
    option.set_value(2).run()
    assert "this is option 2 (you chose)" in plain(texts(app))
    plan(app, "capecitabine", indication="dukes-c-colon-cancer-adjuvant")
    app.text_input(key="patient-amount-dukes-c-colon-cancer-adjuvant").set_value("1500 mg").run()
    assert not app.exception
    assert {r["how"] for r in rows(app.dataframe[0])} == {"1500 mg (the label: 1250 mg/m²), after a meal"}
    assert "· 1500 mg (the label: 1250 mg/m²), after a meal" in plain(texts(app))  # the next-dose card too


def test_no_form_can_be_submitted_half_filled() -> None:
    """Enter in a field of an st.form submits it (issue 15, 6): the app has none; Enter only reruns."""
    source = "".join(p.read_text() for p in (ROOT / "components").glob("*.py"))
    assert "st.form(" not in source and "form_submit_button" not in source


def test_neutral_titles_leave_out_the_drug_and_condition(app, downloads) -> None:
    plan(app)
    app.checkbox(key="patient-neutral").check().run()
    ics = downloads["imiquimod-actinic-keratosis.ics"].decode().replace("\r\n ", "")
    summaries = [line for line in ics.splitlines() if line.startswith(("SUMMARY", "X-WR-CALNAME"))]
    assert "SUMMARY:Medication – dose 1 of 32" in summaries and "X-WR-CALNAME:Medication" in summaries
    assert not [s for s in summaries if "miquimod" in s or "eratosis" in s]


def test_a_hostile_amount_typed_by_the_user_stays_text(app) -> None:
    app.text_input(key="patient-query").set_value("methylprednisolone").run()
    app.selectbox(key="patient-indication").set_value(TAPER).run()
    app.text_input(key="patient-rx-1-amount").set_value("![x](https://evil.example/a.png) <b>8</b> :red[mg]").run()
    next(c for c in app.checkbox if c.key.startswith("patient-rx-confirmed")).check().run()
    assert not app.exception and "### Next: dose 1 of 7" in texts(app)
    sinks = markdown_sinks(app)
    assert any("evil" in s for s in sinks)
    for sink in sinks:
        assert not LIVE.search(sink), sink
