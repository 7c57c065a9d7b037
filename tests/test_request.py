"""One course, four ways to ask for it: CLI flags, a batch CSV row, the app's widget values and
a re-opened .ics give the same ``CourseRequest`` and the same calendar bytes (issue 12).

Also the precedence of a re-opened calendar's values under explicit flags (``--tz UTC``
counts as given), and the values every source refuses alike."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import build_parser, main
from planner.course import plan_request
from planner.errors import PlannerError
from planner.read.request import (
    CourseRequest,
    RulesSource,
    Source,
    Widgets,
    from_args,
    from_ics,
    from_row,
    from_widgets,
)
from planner.read.rows import read_rows
from planner.write.ics import to_ics

STAMP = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
ZONES = ("UTC", "Europe/Berlin", "America/Bogota", "Asia/Kolkata", "Australia/Lord_Howe")
# (drug as the calendar names it, indication, doses a day, weekday choices that fit the label)
COURSES = (
    ("Imiquimod", "actinic-keratosis", 1, ((), ("MO", "TH"), ("TU", "FR"), ("WE", "SA"))),
    ("Alendronate", "treatment-of-postmenopausal-osteoporosis", 1, ((), ("MO",), ("SU",))),
    ("Doxycycline", "chlamydial-infections-of-the-urethra-cervix-or-rectum", 2, ((),)),
    ("Azithromycin", "acute-bacterial-sinusitis", 1, ((),)),
)


@st.composite
def courses(draw: st.DrawFn) -> dict[str, object]:
    drug, indication, per_day, weekday_choices = draw(st.sampled_from(COURSES))
    times = ()
    if draw(st.booleans()):
        hours = sorted(draw(st.sets(st.integers(6, 22), min_size=per_day, max_size=per_day)))
        if per_day == 1 or hours[-1] - hours[0] >= 8:
            times = tuple(f"{h:02d}:{draw(st.sampled_from((0, 15, 30, 45))):02d}" for h in hours)
    return {
        "drug": drug,
        "indication": indication,
        "start": draw(st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31))),
        "timezone": draw(st.sampled_from(ZONES)),
        "times": times,
        "weekdays": draw(st.sampled_from(weekday_choices)),
    }


def by_flags(c: dict[str, object], *more: str) -> CourseRequest:
    argv = ["plan", "--drug", str(c["drug"]), "--indication", str(c["indication"]), "--start", str(c["start"])]
    argv += ["--tz", str(c["timezone"])]
    if c["times"]:
        argv += ["--time", ",".join(c["times"])]  # type: ignore[arg-type]
    if c["weekdays"]:
        argv += ["--weekdays", ",".join(c["weekdays"])]  # type: ignore[arg-type]
    return from_args(build_parser().parse_args([*argv, *more]))


def by_row(c: dict[str, object], until: str = "") -> CourseRequest:
    text = io.StringIO()
    text.write("id,drug,indication,start,timezone,time,weekdays,until\r\n")
    times, days = ",".join(c["times"]), ",".join(c["weekdays"])  # type: ignore[arg-type]
    text.write(f'p1,{c["drug"]},{c["indication"]},{c["start"]},{c["timezone"]},"{times}","{days}",{until}\r\n')
    (row,) = read_rows(text.getvalue().encode(), "clinic.csv")
    return from_row(row)


def by_widgets(c: dict[str, object]) -> CourseRequest:
    return from_widgets(
        Widgets(
            indication=str(c["indication"]),
            start=c["start"],  # type: ignore[arg-type]
            timezone=str(c["timezone"]),
            time=",".join(c["times"]),  # type: ignore[arg-type]
            weekdays=c["weekdays"],  # type: ignore[arg-type]
            drug=str(c["drug"]),
        )
    )


def calendar(request: CourseRequest) -> bytes:
    return to_ics(plan_request(request), STAMP, alarm_minutes=request.alarm_minutes)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(courses())
def test_four_sources_give_one_request_and_one_calendar(c: dict[str, object]) -> None:
    flags = by_flags(c)
    data = calendar(flags)
    reopened = from_ics(data.decode("utf-8"), "course.ics")
    assert by_row(c) == flags
    assert by_widgets(c) == flags
    assert reopened == flags
    assert flags.source == Source(RulesSource.DRUG, str(c["drug"]))
    assert calendar(by_row(c)) == calendar(by_widgets(c)) == calendar(reopened) == data


@settings(max_examples=15, deadline=None)
@given(courses(), st.integers(7, 700))
def test_an_until_reads_alike_from_flags_rows_and_calendars(c: dict[str, object], days: int) -> None:
    until = str(c["start"] + dt.timedelta(days=days))  # type: ignore[operator]
    flags = by_flags(c, "--until", until)
    assert by_row(c, until) == flags
    assert from_ics(calendar(flags).decode("utf-8")) == flags


def test_reopening_through_the_cli_gives_the_same_bytes(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(STAMP.timestamp())))
    first, again = tmp_path / "first.ics", tmp_path / "again.ics"
    plan = ["plan", "--drug", "Imiquimod", "--indication", "actinic-keratosis", "--start", "2026-12-07"]
    assert main([*plan, "--tz", "Europe/Berlin", "--time", "21:30", "--format", "ics", "-o", str(first)]) == 0
    assert main(["plan", "--from-ics", str(first), "--format", "ics", "-o", str(again)]) == 0
    assert again.read_bytes() == first.read_bytes()


def test_explicit_flags_win_over_the_calendar_and_tz_utc_counts_as_given(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(STAMP.timestamp())))
    berlin = tmp_path / "berlin.ics"
    plan = ["plan", "--drug", "Imiquimod", "--indication", "actinic-keratosis", "--start", "2026-12-07"]
    assert main([*plan, "--tz", "Europe/Berlin", "--time", "21:30", "--format", "ics", "-o", str(berlin)]) == 0
    text = berlin.read_text()
    kept = from_args(build_parser().parse_args(["plan", "--from-ics", str(berlin)]), text)
    assert kept.preferences.timezone == "Europe/Berlin" and kept.preferences.times == (dt.time(21, 30),)
    utc = from_args(build_parser().parse_args(["plan", "--from-ics", str(berlin), "--tz", "UTC"]), text)
    assert utc.preferences.timezone == "UTC" and utc.preferences.times == (dt.time(21, 30),)
    moved = from_args(build_parser().parse_args(["plan", "--from-ics", str(berlin), "--start", "2027-01-04"]), text)
    assert moved.start == dt.date(2027, 1, 4) and moved.indication == "actinic-keratosis"
    capsys.readouterr()
    assert main(["plan", "--from-ics", str(berlin), "--tz", "UTC", "--format", "json"]) == 0
    assert '"timezone": "UTC"' in capsys.readouterr().out


@pytest.mark.parametrize("time", ["08:00+05:00", "T0800", "08:00:00.5", "0800", "08:00:30", "24:00", "13pm", "8:60"])
def test_every_source_refuses_the_same_times(time: str) -> None:
    c = {"drug": "Imiquimod", "indication": "actinic-keratosis", "start": dt.date(2026, 12, 7),
         "timezone": "UTC", "times": (time,), "weekdays": ()}  # fmt: skip
    messages = set()
    for read in (by_flags, by_row, by_widgets):
        with pytest.raises(PlannerError) as caught:
            read(c)
        messages.add(str(caught.value))
    assert messages == {
        f"time: not a time of day: {time!r} (use HH:MM or 9:30pm, or HH:MM,HH:MM for several doses a day)"
    }


def test_every_source_refuses_the_same_years() -> None:
    for start in (dt.date(1, 1, 1), dt.date(9999, 12, 31)):
        c = {"drug": "Imiquimod", "indication": "actinic-keratosis", "start": start, "timezone": "UTC",
             "times": (), "weekdays": ()}  # fmt: skip
        for read in (by_flags, by_row, by_widgets):
            with pytest.raises(PlannerError, match="outside the years 1900 to 2200"):
                read(c)
