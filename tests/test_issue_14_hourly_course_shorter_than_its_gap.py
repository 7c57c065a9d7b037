"""Found while building issue 14: "every 48 hours for 1 day" planned no dose inside the day and
then failed with "more than 5000 doses". A course shorter than its gap is its first dose."""

from __future__ import annotations

import datetime as dt

from planner.model import Duration, DurationKind, Interval, Phase, Preferences, Regimen, Unit
from planner.plan.scheduler import plan_course
from planner.read.rules import with_regimen


def test_a_course_shorter_than_its_gap_is_one_dose(imiquimod) -> None:
    phase = Phase(
        amount="1 tablet", interval=Interval(48, Unit.HOUR), duration=Duration(DurationKind.FIXED, Unit.DAY, 1, 1)
    )
    rules = with_regimen(imiquimod, "actinic-keratosis", Regimen((phase,)))
    schedule = plan_course(rules, "actinic-keratosis", dt.date(2026, 12, 7), Preferences(timezone="Europe/Berlin"))
    assert len(schedule.doses) == 1 and schedule.doses[0].at.date() == dt.date(2026, 12, 7)
