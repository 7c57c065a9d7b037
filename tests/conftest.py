"""Pytest fixtures and settings: the hypothesis profiles, the zones every scheduler test runs in, the seed rules.

Plain helpers (paths, STAMP, ZONES, need_program, the CLI runners, rule builders) live in helpers.py."""

from __future__ import annotations

import os

import pytest
from helpers import ZONES
from hypothesis import HealthCheck, settings

from planner.files import find_bundled
from planner.model import RuleSet

settings.register_profile("default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(params=ZONES)
def zone_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def imiquimod() -> RuleSet:
    return find_bundled("imiquimod").ruleset
