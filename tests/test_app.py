"""The Streamlit app, driven with AppTest: every flow of the patient and clinician views.

Choose (search, brand name, upload), plan, what the downloads contain, the missed-dose
flow, clinician comparison, review and stale display, the prescriber's own regimen, and
bad uploads, which must give a message in the page and never a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import DATA, ROOT
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from planner.model import DISCLAIMER

APP = str(ROOT / "streamlit_app.py")
START = dt.date(2026, 12, 1)  # a Tuesday: actinic keratosis gets TU/FR, 32 doses to Fri 19 Mar 2027


def make_app(timezone: str | None = "Europe/Berlin") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if timezone:
        at.context = {"timezone": timezone}  # what the browser reports as st.context.timezone
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


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


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
    """Top (a warning) and bottom (a caption) of every page state."""
    assert not at.exception
    assert at.warning[0].value == DISCLAIMER
    assert at.caption[-1].value == DISCLAIMER or DISCLAIMER in [c.value for c in at.caption]


def rows(element) -> list[dict]:  # noqa: ANN001
    return element.value.to_dict("records")


# --- choosing --------------------------------------------------------------------------------


def test_no_plan_before_a_drug_is_chosen(app) -> None:
    assert "Choose a drug" in texts(app)
    assert not app.metric
    assert_disclaimer(app)


def test_brand_name_finds_the_generic(app) -> None:
    app.text_input(key="patient-query").set_value("Aldara").run()
    drug = widget(app, "selectbox", "Drug")
    assert drug.value == "Imiquimod" and "Aldara" in drug.options[0]
    assert widget(app, "selectbox", "Indication").options == [
        "Actinic Keratosis",
        "Superficial Basal Cell Carcinoma",
        "External Genital/Perianal Warts",
    ]


def test_unknown_name_is_a_message(app) -> None:
    app.text_input(key="patient-query").set_value("no-such-drug").run()
    assert "No bundled drug matches" in texts(app)
    assert_disclaimer(app)


# --- planning ----------------------------------------------------------------------------------


def test_patient_plans_actinic_keratosis(app) -> None:
    plan(app)
    assert metrics(app) == {"Doses": "32", "First dose": "01 Dec 2026", "Course end": "19 Mar 2027"}
    body = texts(app)
    assert "thin layer, twice a week, 3 to 4 days apart" in body
    assert "Apply a thin layer once daily to the affected area before bedtime" in body
    assert "If you miss a dose" in body
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


def test_warnings_come_before_the_downloads(app) -> None:
    plan(app)
    order = [type(e).__name__ for e in app.main]
    body = texts(app)
    for topic in (
        "Age: Use in children under 12",
        "Pregnancy",
        "Breastfeeding",
        "Contraindication",
        "Do not extend treatment beyond the recommended duration",
    ):
        assert topic in body
    warnings_at = next(i for i, e in enumerate(app.main) if "Before you start" in str(getattr(e, "value", "")))
    download_at = order.index("DownloadButton") if "DownloadButton" in order else None
    buttons = [i for i, e in enumerate(app.main) if e.type == "download_button"]
    assert buttons and warnings_at < min(buttons), (warnings_at, buttons, download_at)


def chart(at: AppTest) -> tuple[dict, list[dict]]:
    """The calendar picture's Vega-Lite spec and its data rows."""
    import json

    import pyarrow as pa

    (element,) = [e for e in at.main if e.type == "vega_lite_chart"]
    table = pa.ipc.open_stream(element.proto.data.data).read_all()
    return json.loads(element.proto.spec), table.to_pylist()


def test_calendar_picture_marks_every_dose_day(app) -> None:
    plan(app)
    spec, data = chart(app)
    assert spec["facet"]["field"] == "month"
    legend = spec["spec"]["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert legend == ["Dose day", "No dose that day", "Before or after the course"]
    days = [d for d in data if d["week"] >= 0]
    assert [d["date"] for d in days if d["kind"] == "Dose day"][:3] == ["2026-12-01", "2026-12-04", "2026-12-08"]
    assert sum(d["kind"] == "Dose day" for d in days) == 32
    assert {d["month"] for d in days} == {"December 2026", "January 2027", "February 2027", "March 2027"}
    assert next(d for d in days if d["date"] == "2027-03-19")["doses"] == "dose 32 of 32 at 22:00"


def test_calendar_picture_shows_rest_periods() -> None:
    at = make_app()
    plan(at, "capecitabine", indication="dukes-c-colon-cancer-adjuvant")
    spec, data = chart(at)
    kinds = [
        d["kind"]
        for d in sorted((d for d in data if d["week"] >= 0), key=lambda d: d["date"])
        if d["date"] >= "2026-12-01"
    ]
    assert kinds[:14] == ["Dose day"] * 14 and kinds[14:21] == ["Rest period: no doses"] * 7
    assert "Rest period: no doses" in spec["spec"]["layer"][0]["encoding"]["color"]["scale"]["domain"]


def test_other_indications_and_review_date(app) -> None:
    plan(app, indication="superficial-basal-cell-carcinoma")
    assert metrics(app)["Doses"] == "30"
    app.selectbox(key="patient-indication").set_value("external-genital-perianal-warts").run()
    assert metrics(app)["Doses"] == "48"
    assert metrics(app)["Review with prescriber"] == "20 Mar 2027"
    assert "up to 16 weeks" in texts(app) and "Review with your prescriber" in texts(app)


def test_preferred_weekdays_and_time(app) -> None:
    plan(app)
    app.multiselect(key="patient-weekdays").set_value(["MO", "TH"]).run()
    app.text_input(key="patient-time").set_value("21:30").run()
    doses = rows(app.dataframe[0])
    assert doses[0]["day"] == "Thu 03 Dec 2026" and doses[0]["time"] == "21:30 CET"
    assert {d["day"][:3] for d in doses} == {"Mon", "Thu"}


def test_impossible_weekdays_are_a_message(app) -> None:
    plan(app)
    app.multiselect(key="patient-weekdays").set_value(["MO", "TU"]).run()
    assert "break the label's spacing" in errors(app) and "for example" in errors(app)
    assert not app.metric
    assert_disclaimer(app)


def test_bad_time_is_a_message(app) -> None:
    plan(app)
    app.text_input(key="patient-time").set_value("25:00").run()
    assert "not a time of day" in errors(app)  # the same message as the CLI
    assert_disclaimer(app)


def test_time_zone_comes_from_the_browser(app) -> None:
    plan(app)
    assert widget(app, "selectbox", "Time zone").value == "Europe/Berlin"


def test_without_a_browser_zone_the_patient_picks_one() -> None:
    at = plan(make_app(timezone=None))
    zone = widget(at, "selectbox", "Time zone")
    assert zone.value is None and "Choose your time zone" in texts(at)
    assert not at.metric
    zone.set_value("America/Bogota").run()
    assert metrics(at)["Doses"] == "32"
    assert rows(at.dataframe[0])[0]["time"] == "22:00 -05"


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
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "Imiquimod - Actinic Keratosis" in text and "32 doses" in text
    assert "If you miss a dose" in text and " ".join(DISCLAIMER.split()) in text

    body = texts(app)
    for app_name in ("Google Calendar", "Apple Calendar", "Outlook", "Thunderbird"):
        assert f"**{app_name}**:" in body


# --- missed dose --------------------------------------------------------------------------------


def test_missed_dose_gives_advice_and_an_updated_calendar(app, downloads) -> None:
    plan(app)
    if not [s for s in app.selectbox if s.label == "Which dose did you miss?"]:
        pytest.skip("planner.plan.missed is not available: the page shows the monograph's rule")
    widget(app, "selectbox", "Which dose did you miss?").set_value(3).run()
    widget(app, "date_input", "When did you remember? Day").set_value(dt.date(2026, 12, 8)).run()
    widget(app, "time_input", "Time").set_value(dt.time(23, 0)).run()
    app.button(key="missed-ask").click().run()
    assert not app.exception
    assert "Dose 3: Apply it now" in texts(app) and "Next dose: Fri 11 Dec 2026 at 22:00" in texts(app)
    assert "The monograph says:** Apply the missed dose as soon as you remember" in texts(app)
    updated = downloads["imiquimod-actinic-keratosis-updated.ics"].decode().replace("\r\n ", "")
    assert "SEQUENCE:1" in updated and DISCLAIMER[:40] in updated
    # remembered only when the next dose is due: skip it, never two for one
    widget(app, "date_input", "When did you remember? Day").set_value(dt.date(2026, 12, 11)).run()
    assert "Dose 3: Skip it" in texts(app)
    assert_disclaimer(app)


def test_without_the_missed_dose_engine_the_label_rule_is_shown(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "planner.plan.missed", None)  # makes `from planner.plan.missed import …` fail
    at = plan(make_app())
    assert "I missed a dose" in [h.value for h in at.subheader]
    assert "**The monograph says:** Apply the missed dose as soon as you remember" in texts(at)
    assert not [s for s in at.selectbox if s.label == "Which dose did you miss?"]
    assert_disclaimer(at)


# --- clinician ---------------------------------------------------------------------------------


def clinician(at: AppTest, drug: str = "imiquimod") -> AppTest:
    at.sidebar.radio(key="view").set_value("Clinician").run()
    at.text_input(key="clinician-query").set_value(drug).run()
    assert not at.exception
    return at


def test_clinician_compares_the_three_regimens(app) -> None:
    clinician(app)
    table = rows(app.dataframe[0])
    assert [r["total doses"] for r in table] == [32, 30, 48]
    assert [r["doses per week"] for r in table] == [2, 5, 3]
    assert [r["spacing"] if isinstance(r["spacing"], str) else None for r in table] == ["3-4 days", None, "≥ 2 days"]
    assert_disclaimer(app)


def test_clinician_compares_two_drugs(app) -> None:
    clinician(app)
    app.multiselect(key="clinician-compare").set_value(["Fluorouracil"]).run()
    table = rows(app.dataframe[1])
    assert {r["drug"] for r in table} == {"Imiquimod", "Fluorouracil"}
    ak = {r["drug"]: r for r in table if r["indication"] == "Actinic Keratosis"}
    assert ak["Imiquimod"]["total doses"] == 32 and ak["Fluorouracil"]["duration"] == "for 2 to 4 weeks"


def test_rule_beside_its_sentence_with_highlights(app) -> None:
    clinician(app)
    body = texts(app)
    assert "**2 times per week** _(frequency)_" in body and "**for 16 weeks** _(duration)_" in body
    fields = rows(app.dataframe[1])
    assert {"phase": 1, "field": "spacing", "value": "3-4 days apart", "label's words": "3-4 days apart"} in fields


def test_needs_review_rules_and_reasons(app) -> None:
    clinician(app, "fluorouracil")
    assert "Needs review: as needed: not scheduled" in texts(app)
    app.sidebar.radio(key="view").set_value("Patient").run()
    app.text_input(key="patient-query").set_value("fluorouracil").run()
    assert widget(app, "selectbox", "Indication").options == ["Actinic Keratosis"]
    assert "1 indication(s) not planned: they need review by a prescriber" in [e.label for e in app.expander]
    assert "as needed: not scheduled" in texts(app)


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
    assert "out of date" in errors(at) and not at.metric
    assert_disclaimer(at)
    clinician(at)
    body = texts(at)
    assert "Stale: monographs/imiquimod.md changed after these rules were reviewed" in body
    assert "Stale: imiquimod.yaml" in body
    assert "1 rule file(s) load, 1 stale, 1 broken" in body
    assert "Broken: rules/broken.yaml" in errors(at) and "indications" in errors(at)


def test_library_check_with_a_healthy_library(app) -> None:
    clinician(app)
    assert "0 stale, 0 broken" in texts(app)


def prescribe(at: AppTest, **values: object) -> AppTest:
    for key, value in values.items():
        widget_ = next(w for w in at.main if getattr(w, "key", None) == f"rx-{key}")
        widget_.set_value(value)
    next(b for b in at.button if b.label == "Preview").click().run()
    assert not at.exception
    return at


def test_prescriber_regimen_is_previewed_with_the_same_checks(app, downloads) -> None:
    clinician(app)
    prescribe(
        app,
        amount="a thin layer",
        rhythm="times a week",
        count=2,
        duration="for exactly",
        min=8,
        unit="week",
        **{"spacing-min": 3, "spacing-max": 4, "anchor": "bedtime", "start": START},
    )
    assert "every label check passed" in texts(app)
    assert metrics(app)["Doses"] == "16"
    assert rows(app.dataframe[-1])[0] == {
        "dose": "1 of 16",
        "day": "Tue 01 Dec 2026",
        "time": "22:00 CET",
        "how": "a thin layer, at bedtime",
    }
    assert "Pregnancy" in texts(app)  # the drug's warnings for the population still apply
    assert "imiquimod-prescriber.ics" in downloads


def test_prescriber_regimen_that_breaks_a_rule_is_a_message(app) -> None:
    clinician(app)
    prescribe(app, rhythm="times a week", count=3, **{"spacing-min": 3, "spacing-max": 3})
    assert "This regimen cannot be planned" in errors(app) and "spacing" in errors(app)
    prescribe(app, rhythm="times a day", count=2, duration="for a range", min=14, max=7)
    assert "min 14 is more than max 7" in errors(app)
    prescribe(app, rhythm="times a day", count=12, duration="for exactly")
    assert "at most 6 doses a day" in errors(app)
    assert_disclaimer(app)


# --- uploads -------------------------------------------------------------------------------------


def upload(name: str, data: bytes, view: str = "patient") -> AppTest:
    at = make_app()
    if view == "clinician":
        at.sidebar.radio(key="view").set_value("Clinician").run()
    at.radio(key=f"{view}-source").set_value("Upload a monograph (.md)").run()
    at.file_uploader(key=f"{view}-upload").set_value((name, data, "text/markdown")).run()
    assert not at.exception
    return at


def test_upload_a_monograph_and_plan_it() -> None:
    at = upload("valacyclovir.md", (ROOT / "monographs" / "valacyclovir.md").read_bytes())
    assert not errors(at)
    at.selectbox(key="patient-indication").set_value("genital-herpes-initial-episode").run()
    at.date_input(key="patient-start").set_value(START).run()
    assert metrics(at)["Doses"] == "20"
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
    assert "This file cannot be used" in errors(at) and message in errors(at)
    assert not at.metric
    assert_disclaimer(at)


def test_monograph_text_is_escaped_not_rendered() -> None:
    text = (
        (ROOT / "monographs" / "imiquimod.md")
        .read_text()
        .replace(
            "Apply 5 times per week for 6 weeks.",
            "Apply 5 times per week for 6 weeks <img src=x onerror=alert(1)> [x](javascript:alert(1)).",
        )
    )
    at = upload("evil.md", text.encode())
    at.selectbox(key="patient-indication").set_value("superficial-basal-cell-carcinoma").run()
    body = texts(at)
    assert "\\<img src=x onerror=alert\\(1\\)\\>" in body and not re.search(r"(?<!\\)<img", body)
    assert "\\[x\\]\\(javascript" in body and "[x](javascript" not in body
    assert "unsafe_allow_html" not in Path(APP).read_text() and "st.html" not in Path(APP).read_text()
