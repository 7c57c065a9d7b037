"""End to end in a real browser: the app served by `streamlit run`, driven in Debian's headless
Chromium with Playwright (never `playwright install`), at 1280 px and on a phone (390×844).
Asserts what the user sees: the next dose on the first screen, nothing scrolling sideways, the
missed-dose action first, a taper entered where the label needs review, a hostile upload that
stays text, and what the downloads hold.

Skips with a hint when chromium (or the playwright package) is missing; fails under CI=true.
Deselect with `-m "not browser"`; on a busy machine run one at a time with -k.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
from collections.abc import Iterator
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from helpers import ROOT, need_program

from planner.model import DISCLAIMER

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _helpers():  # noqa: ANN202
    """docs/screenshots.py: starting the app and driving its widgets, shared with the README shots."""
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "docs" / "screenshots.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shots = _helpers()


@pytest.fixture(scope="module")
def browser() -> Iterator[tuple[object, str]]:
    chromium = need_program("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "the playwright package is not installed (pip install -e '.[test]')"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with shots.running_app() as url, sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=chromium, args=shots.CHROMIUM_ARGS)
        try:
            yield launched, url
        finally:
            launched.close()


def new_page(browser, viewport: dict[str, int], zone: str = "Europe/Berlin"):  # noqa: ANN001, ANN201
    launched, url = browser
    page = launched.new_page(viewport=viewport, timezone_id=zone, locale="en-GB", accept_downloads=True)
    return page, url


def daytime_zone() -> str:
    """A zone where it is day now: there, today's first dose (at bedtime) has not passed, so the
    page opens on the next-dose card and not on "dose 1 was due today at 22:00, which has passed"
    (the card that asks comes first by design; the clock is the app server's, not the browser's)."""
    now = dt.datetime.now(dt.UTC)
    zones = ("Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Auckland")
    return next(z for z in zones if 8 <= now.astimezone(ZoneInfo(z)).hour < 18)


def no_sideways_scroll(page) -> None:  # noqa: ANN001
    widths = page.evaluate(
        "[...[document.documentElement, document.querySelector('[data-testid=stMain]')]]"
        ".map(e => [e.scrollWidth, e.clientWidth])"
    )
    assert all(scroll <= client for scroll, client in widths), widths


def choose(page, label: str, option: str) -> None:  # noqa: ANN001
    """Pick an option of a Streamlit selectbox by its visible label."""
    page.get_by_label(label).click()
    page.get_by_role("option", name=option).first.click()
    shots.settle(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390x844"])
def test_next_dose_on_the_first_screen_and_nothing_scrolls_sideways(browser, viewport) -> None:
    page, url = new_page(browser, viewport, daytime_zone())
    shots.choose_medicine(page, url)
    card = page.locator(".st-key-next-dose-card")
    card.wait_for()
    box = card.bounding_box()
    assert box is not None and box["y"] + box["height"] <= viewport["height"], box  # no scrolling needed
    assert card.inner_text().startswith("Next: dose")
    assert page.get_by_role("button", name="Deploy").count() == 0  # toolbarMode viewer
    charts = page.locator("[data-testid=stVegaLiteChart]")
    charts.nth(3).wait_for()  # four months: the calendar charts draw
    page.wait_for_timeout(1000)
    no_sideways_scroll(page)
    assert charts.count() >= 4
    for index in range(charts.count()):
        chart = charts.nth(index).bounding_box()
        assert chart is not None and chart["x"] >= 0 and chart["x"] + chart["width"] <= viewport["width"]
    main = page.get_by_test_id("stMain").inner_text()
    assert main.count(DISCLAIMER) == 2  # top and bottom of the page
    assert "monograph" not in main.lower() and "bundled" not in main.lower()
    page.close()


def test_patient_downloads_in_chromium(browser) -> None:
    page, url = new_page(browser, DESKTOP)
    shots.plan_actinic_keratosis(page, url)
    main = page.get_by_test_id("stMain").inner_text()
    assert "last dose on Fri 19 Mar 2027" in main and "(32 doses)" in main
    with page.expect_download() as download:
        page.get_by_role("button", name="Download calendar (.ics)").click()
    ics = download.value.path().read_bytes().decode().replace("\r\n ", "")
    assert ics.count("BEGIN:VEVENT") == 32 and "dose 32 of 32" in ics
    with page.expect_download() as download:  # the sheet is made on the click (deferred)
        page.get_by_role("button", name="Download printable course sheet (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    page.close()


def test_missed_dose_action_comes_first_on_a_phone(browser) -> None:
    page, url = new_page(browser, PHONE)
    shots.plan_actinic_keratosis(page, url)
    late = page.get_by_role("button", name="I took it late")
    missed = page.get_by_role("button", name="I missed it")
    assert late.count() == 1  # beside "I missed it"
    missed.click()
    card = page.locator(".st-key-missed-card")
    card.wait_for()
    first = card.inner_text().strip().splitlines()[0]
    assert re.match(r"Dose \d+: \w", first), first  # the action ("Dose 3: Skip it"), before anything else
    assert "Next: dose" in card.inner_text() or "last dose" in card.inner_text()
    no_sideways_scroll(page)
    page.close()


def test_review_then_entered_taper_then_calendar_on_a_phone(browser) -> None:
    page, url = new_page(browser, PHONE)
    shots.choose_medicine(page, url, "methylprednisolone")
    taper = "Short-Course Taper (21-Tablet Dose Pack of 4 mg Tablets) (enter your prescriber's regimen)"
    choose(page, "What it is for", taper)
    page.get_by_text("Enter the regimen your prescriber gave you").wait_for()
    assert page.get_by_text("the label does not say exactly how to take it").count() >= 1
    steps = page.get_by_label("How many steps? A taper has one step for each change of dose.")
    steps.fill("3")
    steps.press("Enter")
    shots.settle(page)
    amounts = page.get_by_label("Amount each time")
    assert amounts.count() == 3
    for index, amount in enumerate(("24 mg", "16 mg", "8 mg")):
        amounts.nth(index).fill(amount)
        amounts.nth(index).press("Enter")
        shots.settle(page)
    for index in range(3):
        length = page.get_by_label("For how long").nth(index)
        length.fill("2")
        length.press("Enter")
        shots.settle(page)
    page.get_by_text("You entered: step 1: 24 mg, once a day, for 2 days").wait_for()
    page.get_by_text("Yes, this is the regimen my prescriber gave me").click()
    shots.settle(page)
    card = page.locator(".st-key-next-dose-card")
    card.wait_for()
    assert "of 6" in card.inner_text()
    page.wait_for_timeout(1500)
    assert page.locator("[data-testid=stVegaLiteChart]").count() >= 1
    no_sideways_scroll(page)
    page.close()


def test_hostile_upload_stays_text(browser, tmp_path) -> None:
    from test_app import hostile_monograph

    page, url = new_page(browser, DESKTOP)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) else None)
    path = tmp_path / "evil.md"
    path.write_bytes(hostile_monograph())
    for target in ("", "/clinician"):
        page.goto(url + target, wait_until="networkidle")
        page.get_by_text("Use a label file (.md)" if not target else "Upload a monograph (.md)").click()
        shots.settle(page)
        page.locator("input[type=file]").set_input_files(str(path))
        shots.settle(page)
        page.wait_for_timeout(1500)
        main = page.get_by_test_id("stMain")
        # the patient's page plans it; the clinician's shows the names and sentences, as text
        assert ("evil.example" if target else "Next: dose") in main.inner_text()
        links = main.locator("a").evaluate_all("as => as.map(a => a.href)")
        assert not [h for h in links if urlparse(h).hostname != "127.0.0.1"], links  # heading anchors only
        images = main.locator("img").evaluate_all("is => is.map(i => i.src)")
        assert not [s for s in images if "evil" in s or s.endswith("/x")], images
    assert not outside, outside  # no request left the page
    page.close()
