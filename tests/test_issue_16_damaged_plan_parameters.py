"""Issue 16, items 4 and 12: a blank or non-base64 ``X-PLANNER-REGIMEN`` made ``--from-ics`` plan
the label's 32 doses instead of the prescriber's 8, with no word; a non-numeric or huge
``X-PLANNER-LENGTH`` ended in exit 1 ("internal error") and ``-3`` was accepted. Every damaged
or unreadable X-PLANNER-* parameter is now refused: one line, exit 2, nothing planned."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

import pytest
from helpers import ROOT

PRESCRIBED = {"phases": [{"frequency": {"times": 2, "per": "week"}, "doses": 8, "spacing": {"min_days": 3}}]}
PLAN = ("plan", "--drug", "imiquimod", "--indication", "actinic-keratosis", "--start", "2026-12-07")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={"SOURCE_DATE_EPOCH": "1796000000", "PATH": "/usr/bin:/bin"})  # fmt: skip


@pytest.fixture(scope="module")
def prescribed(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("ics") / "prescribed.ics"
    out = run(*PLAN, "--tz", "Europe/Berlin", "--regimen", json.dumps(PRESCRIBED), "--format", "ics", "-o", str(path))
    assert out.returncode == 0, out.stderr
    text = path.read_bytes().decode("utf-8").replace("\r\n ", "")  # unfolded: one line per property
    assert "X-PLANNER-REGIMEN:" in text and text.count("BEGIN:VEVENT") == 8
    return text


def damaged(tmp_path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "damaged.ics"
    path.write_text(text, encoding="utf-8", newline="")
    return run("plan", "--from-ics", str(path), "--format", "json")


def regimen_line(text: str) -> str:
    return next(line for line in text.split("\r\n") if line.startswith("X-PLANNER-REGIMEN:"))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


def test_the_undamaged_calendar_reopens_with_the_prescribers_eight_doses(tmp_path, prescribed) -> None:
    out = damaged(tmp_path, prescribed)
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["doses"]) == 8


@pytest.mark.parametrize(
    "value,why",
    [
        ("", "X-PLANNER-REGIMEN is damaged (blank)"),
        ("   ", "X-PLANNER-REGIMEN is damaged (blank)"),
        ("!!!!", "not base64 of UTF-8 text"),  # the lenient decoder made this b"": the label's regimen
        ("eyJwaGFzZXMiOlt", "not base64 of UTF-8 text"),  # cut short
        (b64(b"\xff\xfe"), "not base64 of UTF-8 text"),
        (b64(b"  \n"), "X-PLANNER-REGIMEN is damaged (empty)"),
        (b64(b"phases: [{frequency: "), "--regimen: not valid YAML or JSON"),
        (b64(b'{"phases": []}'), "--regimen"),
    ],
    ids=["blank", "spaces", "not-base64", "truncated", "not-utf-8", "empty-text", "not-yaml", "no-phases"],
)
def test_a_damaged_regimen_is_refused_never_replaced_by_the_label(tmp_path, prescribed, value, why) -> None:
    out = damaged(tmp_path, prescribed.replace(regimen_line(prescribed), "X-PLANNER-REGIMEN:" + value))
    assert out.returncode == 2, out.stdout[:200]
    assert out.stdout == "" and len(out.stderr.splitlines()) == 1 and why in out.stderr, out.stderr


@pytest.mark.parametrize(
    "line,why",
    [
        ("X-PLANNER-LENGTH:abc", "X-PLANNER-LENGTH is damaged: not a length: 'abc'"),
        ("X-PLANNER-LENGTH:-3", "X-PLANNER-LENGTH is damaged: not a length: '-3'"),
        ("X-PLANNER-LENGTH:" + "9" * 40, "X-PLANNER-LENGTH is damaged: not a length"),
        ("X-PLANNER-LENGTH:0", "X-PLANNER-LENGTH is damaged: not a length: '0'"),
        ("X-PLANNER-LENGTH:", "X-PLANNER-LENGTH is damaged (blank)"),
        ("X-PLANNER-TIME:25:99", "X-PLANNER-TIME is damaged: not a time of day"),
        ("X-PLANNER-TIME:08:00+05:00", "X-PLANNER-TIME is damaged: not a time of day"),
        ("X-PLANNER-WEEKDAYS:XX", "X-PLANNER-WEEKDAYS is damaged: not a weekday"),
        ("X-PLANNER-UNTIL:2027-02-30", "X-PLANNER-UNTIL is damaged: not a date"),
        ("X-PLANNER-TIMEZONE:Mars/Olympus", "X-PLANNER-TIMEZONE is damaged: unknown time zone"),
        ("X-PLANNER-INDICATION:actinic-keratosis", "X-PLANNER-INDICATION is damaged (given twice)"),
    ],
)
def test_other_damaged_parameters_are_refused(tmp_path, prescribed, line, why) -> None:
    key = line.split(":")[0] + ":"
    old = next((x for x in prescribed.split("\r\n") if x.startswith(key)), None)
    if old is not None and "twice" not in why:
        text = prescribed.replace(old, line)
    else:
        text = prescribed.replace("X-PLANNER-START:", line + "\r\nX-PLANNER-START:", 1)
    out = damaged(tmp_path, text)
    assert out.returncode == 2, out.stdout[:200]
    assert out.stdout == "" and len(out.stderr.splitlines()) == 1 and why in out.stderr, out.stderr


def test_a_damaged_start_names_its_parameter(tmp_path, prescribed) -> None:
    out = damaged(tmp_path, prescribed.replace("X-PLANNER-START:2026-12-07", "X-PLANNER-START:0001-01-01"))
    assert out.returncode == 2 and "X-PLANNER-START is damaged: 0001-01-01 is outside the years" in out.stderr
