"""The Streamlit app, driven with AppTest: choose, plan, download, compare, bad upload."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from planner.model import DISCLAIMER

APP = str(ROOT / "streamlit_app.py")


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_disclaimer_is_always_visible(app) -> None:
    assert DISCLAIMER in [w.value for w in app.warning]
    app.sidebar.radio[0].set_value("Clinician").run()
    assert DISCLAIMER in [w.value for w in app.warning]


def test_patient_plans_actinic_keratosis(app) -> None:
    app.date_input[0].set_value(dt.date(2026, 12, 1)).run()
    assert metrics(app)["Doses"] == "32"
    assert metrics(app)["Course end"] == "Fri 19 Mar 2027"
    body = texts(app)
    assert "Before you start, read these warnings" in body and "Pregnancy" in body
    assert "If you miss a dose" in body
    assert "**December 2026**" in body and "**1** ●" in body


def test_brand_search_and_other_indications(app) -> None:
    app.text_input[0].set_value("Aldara").run()
    assert "Imiquimod" in app.selectbox[0].options[0]
    indication = next(s for s in app.selectbox if s.label == "Indication")
    indication.set_value(1).run()
    assert metrics(app)["Doses"] == "30"
    next(s for s in app.selectbox if s.label == "Indication").set_value(2).run()
    assert metrics(app)["Doses"] == "48" and "up to 16 weeks" in texts(app)


def test_impossible_weekdays_show_a_message_not_a_traceback(app) -> None:
    app.multiselect[0].set_value(["MO", "TU"]).run()
    assert not app.exception
    assert any("break the label's spacing" in e.value and "for example MO,TH" in e.value for e in app.error)


def test_bad_time_is_a_message(app) -> None:
    app.text_input[1].set_value("25:00").run()
    assert not app.exception and any("Not a time of day" in e.value for e in app.error)


def test_download_is_the_calendar(app) -> None:
    (button,) = [b for b in app.get("download_button")]
    assert "Download calendar" in button.proto.label


def test_clinician_compares_the_three_regimens(app) -> None:
    app.sidebar.radio[0].set_value("Clinician").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["total doses"]) == [32, 30, 48]
    assert "**2 times per week** _(frequency)_" in texts(app)
