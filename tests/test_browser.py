"""End to end in a real browser: the app served by `streamlit run`, driven in Debian's headless
Chromium with Playwright (never `playwright install`). Plans the seed's actinic keratosis
course, checks what the page shows and what the .ics download holds, saves a screenshot.

Skips with a hint when chromium (or the playwright package) is missing; fails under CI=true.
Deselect with `-m "not browser"`.
"""

from __future__ import annotations

import importlib.util
import os

import pytest
from conftest import ROOT, need_program

from planner.model import DISCLAIMER

pytestmark = pytest.mark.browser


def _helpers():  # noqa: ANN202
    """docs/screenshots.py: starting the app and driving its widgets, shared with the README shots."""
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "docs" / "screenshots.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _playwright():  # noqa: ANN202
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "the playwright package is not installed (pip install -e '.[test]')"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return sync_playwright


def test_patient_plans_actinic_keratosis_in_chromium(tmp_path) -> None:
    chromium = need_program("chromium")
    sync_playwright = _playwright()
    shots = _helpers()
    with shots.running_app() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=shots.CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": 1280, "height": 900}, timezone_id="Europe/Berlin", accept_downloads=True
            )
            shots.plan_actinic_keratosis(page, url)
            doses = page.get_by_test_id("stMetric").first.inner_text()
            assert doses.split() == ["Doses", "32"]
            main = page.get_by_test_id("stMain").inner_text()
            assert "19 Mar 2027" in main and "(32 doses)" in main
            zone = page.get_by_role("combobox", name="Time zone").input_value()
            assert zone == "Europe/Berlin"  # st.context.timezone: the browser's zone is the default
            assert main.count(DISCLAIMER) == 2  # top and bottom of the page
            assert "Before you start, read these warnings" in main
            with page.expect_download() as download:
                page.get_by_role("button", name="Download calendar (.ics)").click()
            ics = download.value.path().read_bytes().decode().replace("\r\n ", "")
            assert ics.count("BEGIN:VEVENT") == 32 and "dose 32 of 32" in ics
            with page.expect_download() as download:  # the sheet is made on the click (deferred)
                page.get_by_role("button", name="Download printable course sheet (PDF)").click()
            sheet = download.value.path().read_bytes()
            assert sheet.startswith(b"%PDF-") and download.value.suggested_filename.endswith("-sheet.pdf")
            shots.whole_page(page, tmp_path / "patient.png")
        finally:
            browser.close()
    assert (tmp_path / "patient.png").stat().st_size > 10_000
