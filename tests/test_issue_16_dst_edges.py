"""Issue 16, item 15: valid plans refused as "internal check failed" at some DST edges.

The bug: a dose time that a clock jump skips is moved forward by the jump (``clock.local_time``),
which is right when it stays on its day (Berlin's 02:30 on 2027-03-28 becomes 03:30). But in
America/Scoresbysund the clocks go from 23:00 to 24:00 (2026-03-28: 23:00 -02 is 00:00 -01), so a
23:30 dose moved to 00:30 *of the next day*, next to that day's own dose; and Pacific/Apia skipped
the whole of 2011-12-30, so every dose of that day landed on the 31st. The label check
(``limits.phase_problems`` counts doses per calendar day and days between doses) then refused the
plan as "internal check failed, no calendar made", a bug guard's message for a valid request.

Now such a plan is refused with one line that says which dose time (or start date) to change
and gives one that works; a move to the next day that breaks nothing (a single dose) is kept,
and its note names the day. A sweep of 20,736 plans (15 zones with odd transitions, 4 changes
each, 5 drugs, every half hour, docs/hardening.md) found 160 "internal check failed" before,
none after.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from zoneinfo import ZoneInfo

import pytest
from helpers import run_module
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.clock import jump
from planner.errors import ScheduleError
from planner.files import find_bundled
from planner.limits import schedule_problems
from planner.model import Preferences
from planner.plan.scheduler import plan_course

SCORESBYSUND, APIA = "America/Scoresbysund", "Pacific/Apia"
JUMP_DAY = dt.date(2026, 3, 28)  # Scoresbysund: 23:00 -02 -> 00:00 -01 on the 29th
SKIPPED_DAY = dt.date(2011, 12, 30)  # Apia: 2011-12-29 23:59:59 -10 -> 2011-12-31 00:00 +14


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_module("plan", *args)


def test_the_clock_names_the_jump() -> None:
    assert jump(JUMP_DAY, dt.time(23, 30), ZoneInfo(SCORESBYSUND)) == (
        dt.datetime(2026, 3, 28, 23, 0),
        dt.datetime(2026, 3, 29, 0, 0),
    )
    assert jump(SKIPPED_DAY, dt.time(9, 0), ZoneInfo(APIA)) == (
        dt.datetime(2011, 12, 30, 0, 0),
        dt.datetime(2011, 12, 31, 0, 0),
    )
    assert jump(dt.date(2027, 3, 28), dt.time(2, 30), ZoneInfo("Europe/Berlin")) == (
        dt.datetime(2027, 3, 28, 2, 0),
        dt.datetime(2027, 3, 28, 3, 0),
    )
    assert jump(dt.date(2027, 3, 28), dt.time(3, 0), ZoneInfo("Europe/Berlin")) is None  # exists
    assert jump(dt.date(2026, 10, 25), dt.time(2, 30), ZoneInfo("Europe/Berlin")) is None  # repeated, not skipped


def test_scoresbysund_at_23_30_says_which_time_to_change() -> None:
    done = cli(
        "--drug", "risedronate", "--indication", "paget-s-disease-of-bone",
        "--start", "2026-03-27", "--time", "23:30", "--tz", SCORESBYSUND,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "internal check failed" not in line and "Traceback" not in line
    assert "23:30 does not exist on 2026-03-28 in America/Scoresbysund" in line
    assert "the clocks go from 23:00 to 00:00 on 2026-03-29" in line
    assert "choose a dose time before 23:00, for example 22:30" in line


def test_the_suggested_time_plans() -> None:
    done = cli(
        "--drug", "risedronate", "--indication", "paget-s-disease-of-bone",
        "--start", "2026-03-27", "--time", "22:30", "--tz", SCORESBYSUND, "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"2026-03-28T22:30:00-02:00"' in done.stdout and '"2026-03-29T22:30:00-01:00"' in done.stdout


def test_a_weekly_dose_on_the_jump_says_which_time_to_change() -> None:
    with pytest.raises(ScheduleError, match="before 23:00, for example 22:30") as caught:
        plan_course(
            find_bundled("risedronate").ruleset,
            "osteoporosis-in-men",
            JUMP_DAY,
            Preferences(timezone=SCORESBYSUND, times=(dt.time(23, 0),)),
        )
    assert caught.value.key == "time" and "more than 1 doses in 7 days" in caught.value.message


def test_apias_skipped_day_says_which_start_to_choose() -> None:
    done = cli(
        "--drug", "alendronate", "--indication", "paget-s-disease-of-bone", "--start", "2011-12-25", "--tz", APIA
    )
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "internal check failed" not in line
    assert "2011-12-30 does not exist in Pacific/Apia" in line and "(start on 2011-12-31 or later)" in line
    after = cli(
        "--drug", "alendronate", "--indication", "paget-s-disease-of-bone", "--start", "2011-12-31", "--tz", APIA
    )
    assert after.returncode == 0, after.stderr


def test_a_single_dose_moved_to_the_next_day_is_kept_and_said() -> None:
    schedule = plan_course(
        find_bundled("azithromycin").ruleset,
        "gonococcal-urethritis-and-cervicitis",
        JUMP_DAY,
        Preferences(timezone=SCORESBYSUND, times=(dt.time(23, 30),)),
    )
    [dose] = schedule.doses
    assert dose.at == dt.datetime(2026, 3, 29, 0, 30, tzinfo=ZoneInfo(SCORESBYSUND))
    assert dose.at.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)
    assert (
        "23:30 does not exist on 2026-03-28 in America/Scoresbysund (clocks go forward): "
        "that dose is at 00:30 on 2026-03-29"
    ) in schedule.notes


def test_a_move_within_the_day_is_unchanged() -> None:
    schedule = plan_course(
        find_bundled("risedronate").ruleset,
        "paget-s-disease-of-bone",
        dt.date(2027, 3, 27),
        Preferences(timezone="Europe/Berlin", times=(dt.time(2, 30),)),
    )
    assert "02:30 does not exist on 2027-03-28 in Europe/Berlin (clocks go forward): that dose is at 03:30" in (
        schedule.notes
    )


EDGES = st.sampled_from([(SCORESBYSUND, JUMP_DAY), (APIA, SKIPPED_DAY), ("America/Nuuk", JUMP_DAY)])
RULES = st.sampled_from(
    [
        ("risedronate", "paget-s-disease-of-bone"),  # once daily
        ("risedronate", "osteoporosis-in-men"),  # once a week
        ("imiquimod", "actinic-keratosis"),  # twice a week, 3-4 days apart
        ("azithromycin", "acute-bacterial-sinusitis"),  # once daily, 3 days
        ("alendronate", "paget-s-disease-of-bone"),
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    EDGES,
    RULES,
    st.integers(min_value=0, max_value=8),
    st.integers(min_value=0, max_value=24 * 4 - 1),
)
def test_near_a_jump_a_plan_is_valid_or_refused_with_a_reason(edge, rule, days_before, quarter) -> None:
    """Property: around these jumps every request either plans within the label's limits or is
    refused with a ScheduleError that is not the bug guard's "internal check failed"."""
    zone, day = edge
    drug, indication = rule
    at = dt.time(*divmod(quarter * 15, 60))
    prefs = Preferences(timezone=zone, times=(at,), until=day + dt.timedelta(days=20))
    try:
        schedule = plan_course(find_bundled(drug).ruleset, indication, day - dt.timedelta(days=days_before), prefs)
    except ScheduleError as e:
        assert "internal check failed" not in str(e)
        return
    assert schedule_problems(schedule) == []
