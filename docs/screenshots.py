"""Make the README's screenshots: both views at 1280 px and on a phone (390×844), in docs/screenshots/.

Run from the project root after changing the app:

    make screenshots

It starts the app on a free local port, drives Debian's Chromium (/usr/bin/chromium, or
$CHROMIUM) with Playwright for Python, and never downloads a browser.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START = "2026-12-01"  # the README's example course


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_app(timeout: float = 60) -> Iterator[str]:
    """The app served on a free local port; yields its URL and stops it afterwards."""
    port = free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    process = subprocess.Popen(
        [
            str(streamlit),
            "run",
            str(ROOT / "streamlit_app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                    raise RuntimeError(f"the app did not start:\n{output}") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def set_date(page, label: str, iso: str) -> None:  # type: ignore[no-untyped-def]
    """Type an ISO date into a Streamlit date input, one segment (year, month, day) at a time."""
    year, month, day = iso.split("-")
    for segment, value in (("year", year), ("month", month), ("day", day)):
        page.get_by_role("spinbutton", name=f"{segment}, {label}").click()
        page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.mouse.click(page.viewport_size["width"] - 20, 200)  # leaving the field commits the date


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished the rerun a widget started."""
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000)
    page.wait_for_timeout(300)


def choose_medicine(page, url: str, name: str = "Aldara") -> None:  # type: ignore[no-untyped-def]
    page.goto(url, wait_until="networkidle")
    page.get_by_label("Your medicine: generic or brand name").wait_for()
    search = page.get_by_label("Your medicine: generic or brand name")
    search.fill(name)
    search.press("Enter")
    settle(page)


def plan_actinic_keratosis(page, url: str, start: str = START) -> None:  # type: ignore[no-untyped-def]
    """Open the patient view and plan the seed's first indication from ``start``."""
    choose_medicine(page, url)
    page.get_by_text("Next: dose").first.wait_for()
    page.locator("summary", has_text="Start date, time and days").click()
    set_date(page, "Start date", start)
    page.get_by_text("Starts ").first.wait_for()
    page.get_by_text("last dose on Fri 19 Mar 2027").first.wait_for()  # the course end of a start on 1 Dec 2026
    page.locator("summary", has_text="Start date, time and days").click()  # fold the settings again
    page.wait_for_timeout(1500)  # let the calendar charts draw


def open_clinician(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/clinician", wait_until="networkidle")
    page.get_by_text("Review regimens").wait_for()
    page.wait_for_function("document.querySelectorAll('[data-testid=stTextInputField]').length === 1")
    search = page.get_by_label("Search by generic or brand name")
    search.fill("imiquimod")
    search.press("Enter")
    page.get_by_text("regimens side by side").wait_for()
    page.get_by_text("Actinic Keratosis — ok").click()  # open the first rule beside its sentence
    page.wait_for_timeout(1000)


def whole_page(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Screenshot all of the app: Streamlit scrolls inside its main block, not the window."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": int(height) + 40})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})


def enter_taper(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """The review path: methylprednisolone's dose-pack taper, entered as three steps and confirmed."""
    choose_medicine(page, url, "methylprednisolone")
    page.get_by_label("What it is for").click()
    page.get_by_role("option", name="Short-Course Taper").first.click()
    settle(page)
    steps = page.get_by_label("How many steps? A taper has one step for each change of dose.")
    steps.fill("3")
    steps.press("Enter")
    settle(page)
    for index, amount in enumerate(("24 mg", "16 mg", "8 mg")):
        field = page.get_by_label("Amount each time").nth(index)
        field.fill(amount)
        field.press("Enter")
        settle(page)
        length = page.get_by_label("For how long").nth(index)
        length.fill("2")
        length.press("Enter")
        settle(page)
    page.get_by_text("Yes, this is the regimen my prescriber gave me").click()
    settle(page)
    page.locator(".st-key-next-dose-card").wait_for()
    page.wait_for_timeout(1500)


WIDTHS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


def main() -> None:
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs" / "screenshots"
    out.mkdir(exist_ok=True)
    with running_app() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, viewport in WIDTHS.items():
            page = browser.new_page(viewport=viewport, timezone_id="Europe/Berlin", locale="en-GB")
            plan_actinic_keratosis(page, url)
            page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0); window.scrollTo(0, 0)")
            page.wait_for_timeout(300)
            page.screenshot(path=str(out / f"patient-{name}-first-screen.png"))
            whole_page(page, out / f"patient-{name}.png")
            open_clinician(page, url)
            whole_page(page, out / f"clinician-{name}.png")
            if name == "390":
                enter_taper(page, url)
                whole_page(page, out / "patient-review-taper-390.png")
            page.close()
        browser.close()
    print(f"wrote {sorted(p.name for p in out.glob('*.png'))}")


if __name__ == "__main__":
    main()
