"""Regression: a late dose of an hour-based course looped for minutes, then raised OverflowError.

Valacyclovir for children with cold sores (2 g every 12 hours for 1 day, two doses): dose 1
taken 3 hours late left dose 2 nine hours after it. Shifting it by 12-hour steps never met
the limits, because the only valid place was past the end of the course, and nothing bounded
the search. Now the search stops at the course end and the dose is cancelled, with a note.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.files import find_bundled
from planner.limits import schedule_problems
from planner.missed import late_dose
from planner.model import Preferences
from planner.scheduler import plan_course


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"])
def test_late_first_dose_of_a_one_day_hourly_course(zone) -> None:
    rs = find_bundled("valacyclovir").ruleset
    s = plan_course(rs, "cold-sores-children-12-years-and-older-children", dt.date(2026, 3, 20),
                    Preferences(timezone=zone))
    updated, notes = late_dose(s, 1, s.doses[0].at + dt.timedelta(hours=3))
    assert updated.doses[1].cancelled and "past the end of the course" in notes[-1]
    assert not schedule_problems(updated, planned=False)
