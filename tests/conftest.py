"""Shared fixtures: the repo's data, a fixed DTSTAMP, and the zones every scheduler test runs in."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from planner.files import find_bundled
from planner.model import RuleSet

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
STAMP = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
# Europe/Berlin has DST, America/Bogota has none, UTC is the control.
ZONES = ("Europe/Berlin", "America/Bogota", "UTC")

settings.register_profile("default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def need_program(name: str, package: str | None = None) -> str:
    """Path of a system program; skip with a hint when missing, but fail under CI=true."""
    import shutil

    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt-get install {package or name}; .ci/run does this)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(params=ZONES)
def zone_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def imiquimod() -> RuleSet:
    return find_bundled("imiquimod").ruleset
