"""Stage 3b: missed and late doses — the label's rule applied, never a double dose, never a
longer course — and calendar updates that re-import cleanly (same UIDs, SEQUENCE, CANCELLED)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
from helpers import AK_BERLIN, STAMP, need_program
from hypothesis import given
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from test_calendar_programs import run, sandbox

from planner.cli import main
from planner.errors import ScheduleError
from planner.files import find_bundled
from planner.limits import schedule_problems
from planner.model import AdviceKind, Preferences
from planner.plan.missed import late_dose, missed_dose_advice
from planner.plan.scheduler import plan_course
from planner.read.missed_words import missed_dose
from planner.write.ics import to_ics

BERLIN = Preferences(timezone="Europe/Berlin")


@pytest.fixture(scope="module")
def ak(imiquimod_module):
    return plan_course(imiquimod_module, "actinic-keratosis", dt.date(2026, 12, 1), BERLIN)


@pytest.fixture(scope="module")
def imiquimod_module():
    return find_bundled("imiquimod").ruleset


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# --- imiquimod: "as soon as you remember, unless it is close to the time for your next dose" ---


def test_remembered_the_same_evening_take_now(ak) -> None:
    advice = missed_dose_advice(ak, 2, at("2026-12-04T23:00"))
    assert advice.kind is AdviceKind.TAKE_NOW and advice.take_at.isoformat() == "2026-12-04T23:00:00+01:00"
    assert advice.action == "Apply it now" and advice.next_dose.isoformat() == "2026-12-08T22:00:00+01:00"
    assert "Never take two doses" in advice.guidance and "not close" in advice.why
    moved = [d for d in advice.schedule.doses if d.revision]
    assert [(d.number, d.revision, d.cancelled) for d in moved] == [(2, 1, False)]
    assert advice.source_text.startswith("Apply the missed dose as soon as you remember")
    assert advice.warnings and all("missed" in w for w in advice.warnings), "only the warnings about missed doses"


def test_close_is_read_from_the_spacing_and_then_skip(ak) -> None:
    """Tuesday's dose remembered Wednesday: a make-up would sit 2 days before Friday's (3-4 apart)."""
    advice = missed_dose_advice(ak, 1, at("2026-12-02T08:00"))
    assert advice.kind is AdviceKind.SKIP and advice.take_at is None and advice.action == "Skip it"
    assert advice.why == "too close to your next dose: doses must be 3 to 4 days apart"
    assert advice.next_dose.isoformat() == "2026-12-04T22:00:00+01:00"
    assert advice.schedule.doses[0].cancelled and advice.schedule.doses[0].revision == 1
    assert len(advice.schedule.doses) == 32 and advice.schedule.course_end == ak.course_end  # never extended


def test_next_dose_already_due_is_a_skip(ak) -> None:
    advice = missed_dose_advice(ak, 1, at("2026-12-05T09:00"))
    assert advice.kind is AdviceKind.SKIP and "already due" in advice.why


def test_not_yet_due_and_unknown_dose_are_errors(ak) -> None:
    with pytest.raises(ScheduleError, match="not due until"):
        missed_dose_advice(ak, 3, at("2026-12-01T23:00"))
    with pytest.raises(ScheduleError, match="choose a dose from 1 to 32"):
        missed_dose_advice(ak, 33, at("2027-05-01T08:00"))


@given(st.integers(1, 32), st.integers(0, 24 * 20))
def test_advice_never_breaks_the_label(number, hours_late) -> None:
    schedule = plan_course(find_bundled("imiquimod").ruleset, "actinic-keratosis", dt.date(2026, 12, 1), BERLIN)
    dose = schedule.doses[number - 1]
    advice = missed_dose_advice(schedule, number, dose.at + dt.timedelta(hours=hours_late))
    updated = advice.schedule
    assert not schedule_problems(updated, planned=False)
    assert len(updated.active) <= 32 and updated.course_end == schedule.course_end
    assert max(d.at.date() for d in updated.active) <= schedule.course_end, "never extends"
    days = [d.at.date() for d in updated.active]
    assert len(days) == len(set(days)), "never two doses on one day"


# --- weekly and monthly drugs return to the usual day --------------------------------------


def weekly_schedule():
    from planner.model import (
        DosingRule,
        Duration,
        DurationKind,
        Frequency,
        Phase,
        Regimen,
        RuleSet,
        SourceRef,
        Status,
        Unit,
    )

    text = (
        "If you miss your weekly dose, take one tablet on the morning after you remember, then go back "
        "to taking one tablet once a week on your originally chosen day. Do not take two tablets on the "
        "same day."
    )
    rule = DosingRule(
        "weekly",
        "Weekly",
        "adults",
        Status.OK,
        Regimen(
            (
                Phase(
                    amount="70 mg",
                    frequency=Frequency(1, Unit.WEEK),
                    duration=Duration(DurationKind.ONGOING),
                    time_of_day="before-breakfast",
                ),
            )
        ),
        SourceRef("x.md", "Dosage", "adults", "s"),
    )
    rs = RuleSet("Alendronate", "x.md", "0" * 64, (rule,), missed_dose=missed_dose(text))
    return plan_course(rs, "weekly", dt.date(2026, 12, 7), Preferences(timezone="America/New_York"))


def test_weekly_take_next_morning_then_usual_day() -> None:
    schedule = weekly_schedule()
    advice = missed_dose_advice(schedule, 2, at("2026-12-15T18:00"))
    assert advice.kind is AdviceKind.TAKE_AT and advice.take_at.isoformat() == "2026-12-16T07:30:00-05:00"
    assert advice.action == "Take it tomorrow at 07:30"
    assert [d.at.date().isoformat() for d in advice.schedule.active[1:3]] == ["2026-12-16", "2026-12-21"]


def test_weekly_next_morning_on_the_usual_day_is_a_skip() -> None:
    schedule = weekly_schedule()
    advice = missed_dose_advice(schedule, 2, at("2026-12-20T18:00"))
    assert advice.kind is AdviceKind.SKIP and "the day of your next dose" in advice.why


# --- late doses: shift only what the spacing requires, never the course end --------------


def test_late_by_hours_moves_only_that_dose(ak) -> None:
    updated, notes = late_dose(ak, 5, at("2026-12-15T23:40"))
    changed = [(d.number, d.at.strftime("%d %H:%M")) for d in updated.doses if d.revision]
    assert changed == [(5, "15 23:40")] and len(notes) == 1


def test_late_by_a_day_shifts_only_what_the_spacing_requires(ak) -> None:
    updated, notes = late_dose(ak, 1, at("2026-12-02T09:00"))
    assert not schedule_problems(updated, planned=False)
    changed = [(d.number, d.at.strftime("%a %d")) for d in updated.doses if d.revision]
    assert changed == [(1, "Wed 02"), (2, "Sat 05")]  # Friday's dose now 3 days after; Tuesday's stays
    assert "dose 2 moved to Sat 05 Dec 2026" in notes[1]


def test_late_near_the_end_cancels_rather_than_extends(ak) -> None:
    updated, notes = late_dose(ak, 31, at("2027-03-18T09:00"))
    assert updated.doses[-1].cancelled and "past the end" in notes[-1]
    assert max(d.at for d in updated.active).date() <= ak.course_end


# --- calendar updates ------------------------------------------------------------------------


def test_update_keeps_uids_raises_sequence_and_cancels(ak) -> None:
    original = icalendar.Calendar.from_ical(to_ics(ak, STAMP))
    update = icalendar.Calendar.from_ical(to_ics(missed_dose_advice(ak, 1, at("2026-12-02T08:00")).schedule, STAMP))
    assert [str(e["UID"]) for e in original.events] == [str(e["UID"]) for e in update.events]
    first = update.events[0]
    assert (first["SEQUENCE"], str(first["STATUS"])) == (1, "CANCELLED")
    assert all(e["SEQUENCE"] == 0 and "STATUS" not in e for e in update.events[1:32])
    moved = icalendar.Calendar.from_ical(to_ics(missed_dose_advice(ak, 2, at("2026-12-04T23:00")).schedule, STAMP))
    assert moved.events[1]["SEQUENCE"] == 1 and moved.events[1].start.hour == 23
    assert IcsCalendarStream.calendar_from_ics(
        to_ics(missed_dose_advice(ak, 1, at("2026-12-02T08:00")).schedule, STAMP).decode()
    )


def khal_after_imports(files: list[bytes], tmp_path: Path) -> list[tuple[str, str, str]]:
    """Import each calendar in order into one khal; (start, status, title) of what it then shows."""
    khal = need_program("khal")
    vdir = tmp_path / "cal"
    vdir.mkdir()
    config = tmp_path / "config"
    config.write_text(
        f"[calendars]\n[[c]]\npath = {vdir}\n[locale]\nlocal_timezone = Europe/Berlin\n"
        "default_timezone = Europe/Berlin\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
        "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%dT%H:%M\n"
        f"longdatetimeformat = %Y-%m-%dT%H:%M\n[sqlite]\npath = {tmp_path / 'k.db'}\n"
    )
    env = sandbox(tmp_path, "Europe/Berlin")
    for n, data in enumerate(files):
        (tmp_path / f"{n}.ics").write_bytes(data)
        run([khal, "-c", str(config), "import", "--batch", str(tmp_path / f"{n}.ics")], env, tmp_path)
    out = run(
        [
            khal,
            "-c",
            str(config),
            "list",
            "--format",
            "{start}\t{status}\t{title}",
            "--day-format",
            "",
            "2026-11-01",
            "2027-06-01",
        ],
        env,
        tmp_path,
    )
    return [tuple(part.strip() for part in line.split("\t")) for line in out.splitlines() if line.strip()]


def test_khal_original_then_update_shows_exactly_the_updated_plan(ak, tmp_path) -> None:
    skipped = missed_dose_advice(ak, 1, at("2026-12-02T08:00")).schedule
    moved = missed_dose_advice(skipped, 2, at("2026-12-04T23:00")).schedule
    shown = khal_after_imports([to_ics(ak, STAMP), to_ics(skipped, STAMP), to_ics(moved, STAMP)], tmp_path)
    doses = [s for s in shown if "dose" in s[2]]
    assert len(doses) == 32, "updated, not duplicated"
    active = [(start, title.split(" – ")[1]) for start, status, title in doses if status != "CANCELLED"]
    assert active == [
        (d.at.strftime("%Y-%m-%dT%H:%M"), f"dose {d.number} of 32 (actinic keratosis)") for d in moved.active
    ]
    assert [s[0] for s in doses if s[1] == "CANCELLED"] == ["2026-12-01T22:00"]


# --- CLI ----------------------------------------------------------------------------------------

COURSE = ["missed", *AK_BERLIN]


def test_cli_missed_json_contract(capsys) -> None:
    assert main(COURSE + ["--missed", "2", "--remembered", "2026-12-04T23:00", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"action", "take_at", "guidance", "source_text", "doses", "warnings"} <= set(data)
    assert data["action"] == "Apply it now" and data["kind"] == "take-now"
    assert data["take_at"] == "2026-12-04T23:00:00+01:00" and data["next_dose"] == "2026-12-08T22:00:00+01:00"
    assert data["why"] and data["source_text"].startswith("Apply the missed dose")
    assert data["doses"][0] == {"number": 2, "at": "2026-12-04T23:00:00+01:00", "amount": "thin layer", "phase": 1}
    assert len(data["doses"]) == 31 and any("Do not extend" in w for w in data["warnings"])


def test_cli_missed_skip_leaves_the_dose_out(capsys) -> None:
    assert main(COURSE + ["--missed", "1", "--remembered", "2026-12-02T08:00+01:00", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "skip" and data["take_at"] is None and data["doses"][0]["number"] == 2
    assert data["changed"] == [{"number": 1, "at": "2026-12-01T22:00:00+01:00", "cancelled": True, "sequence": 1}]


def test_cli_missed_ics_and_text(capsys) -> None:
    assert main(COURSE + ["--missed", "1", "--remembered", "2026-12-02T08:00", "--format", "ics"]) == 0
    assert "STATUS:CANCELLED" in capsys.readouterr().out
    assert main(COURSE + ["--missed", "1", "--taken", "2026-12-02T09:00"]) == 0
    assert "moved to Sat 05 Dec 2026" in capsys.readouterr().out


@pytest.mark.parametrize(
    "extra,message",
    [
        (["--missed", "1", "--remembered", "yesterday"], "not a date and time"),
        (["--missed", "99", "--remembered", "2026-12-02T08:00"], "no dose 99"),
        (["--missed", "3", "--remembered", "2026-12-01T08:00"], "not due until"),
    ],
)
def test_cli_missed_bad_input(capsys, extra, message) -> None:
    assert main(COURSE + extra) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_updated_calendar_says_which_answer_changed_a_dose(ak) -> None:
    advice = missed_dose_advice(ak, 1, at("2026-12-02T08:00"))
    events = icalendar.Calendar.from_ical(to_ics(advice.schedule, STAMP)).events
    changed = str(events[0]["DESCRIPTION"])
    assert "Missed dose 1 (Tue 01 Dec 2026 at 22:00): Skip it. Why: too close to your next dose" in changed
    assert "Missed dose 1 " not in str(events[1]["DESCRIPTION"]), "unchanged doses keep the plan's description"


def test_only_the_missed_dose_warnings_of_its_own_form() -> None:
    rs = find_bundled("risedronate").ruleset
    weekly = plan_course(rs, "postmenopausal-osteoporosis-once-a-week-tablet", dt.date(2026, 12, 1), BERLIN)
    advice = missed_dose_advice(weekly, 2, at("2026-12-10T12:00"))
    assert advice.action == "Take it tomorrow at 07:30"
    assert not any("within 7 days" in w for w in advice.warnings), "the monthly tablet's rule is not the weekly's"
    assert not any(w.topic == "contraindication" and w.text in advice.warnings for w in weekly.warnings)
