"""Shared set-up for the tests: the repo's paths, the fixed DTSTAMP and zones, running the CLI
(in-process or as ``python -m planner``), small rule builders, and finding system programs.

Plain functions and constants, imported as ``from helpers import ...`` (``tests/`` is on
``pythonpath`` in pyproject.toml); pytest fixtures and markers stay in ``conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest

from planner import clock
from planner.cli import main
from planner.model import DosingRule, Duration, DurationKind, Phase, Regimen, SourceRef, Status, Unit

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"
STAMP = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
UTC = clock.UTC  # the planner's one UTC
# Europe/Berlin has DST, America/Bogota has none, UTC is the control.
ZONES = ("Europe/Berlin", "America/Bogota", "UTC")
# Every IANA zone this machine knows, for the property and time tests.
ALL_ZONES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})
# The seed's course as CLI flags: imiquimod for actinic keratosis from Tue 2026-12-01 in Berlin.
AK_BERLIN = (
    "--drug",
    "imiquimod",
    "--indication",
    "actinic-keratosis",
    "--start",
    "2026-12-01",
    "--tz",
    "Europe/Berlin",
)


def need_program(name: str, package: str | None = None) -> str:
    """Path of a system program; skip with a hint when missing, but fail under CI=true."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt-get install {package or name}; .ci/run does this)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``planner <argv>`` in-process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m planner <args>`` in a child process from the repo's root."""
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def fixed(n: int, unit: Unit = Unit.DAY) -> Duration:
    """A course of exactly ``n`` units."""
    return Duration(DurationKind.FIXED, unit, n, n)


def rule(
    *phases: Phase,
    id: str = "test",
    name: str = "Test",
    file: str = "x.md",
    section: str = "Dosage",
    sentence: str = "test",
    regimen: Regimen | None = None,
) -> DosingRule:
    """An ok adult rule of these phases (or this regimen), with a made-up source."""
    return DosingRule(
        id=id,
        name=name,
        population="adults",
        status=Status.OK,
        regimen=regimen if regimen is not None else Regimen(tuple(phases)),
        source=SourceRef(file, section, "adults", sentence),
    )
