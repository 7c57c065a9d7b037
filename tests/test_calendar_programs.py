"""The planner's .ics files in real calendar programs: khal and calcurse (Debian packages).

Each test plans a course, writes it with ``to_ics``, imports the file into a fresh, headless
khal or calcurse whose data, config and home all live in ``tmp_path``, lists what the program
stored, and checks that it shows exactly the planned doses: the same dose numbers, each once,
at the same instant, and at the same wall time and UTC offset in the program's own zone (the
plan's zone, or on purpose another one, "the traveller"). Both print times as
``YYYY-MM-DDTHH:MM+HHMM``, so a dose an hour off after a DST change differs in the string.
The all-day "review with your prescriber" reminders are checked separately.

Covered: every imiquimod indication in Europe/Berlin, America/Bogota and UTC across a year
end; Berlin across spring forward (2027-03-28) and fall back (2026-10-25) at 22:00; zones with
a half-hour offset (Asia/Kolkata, Australia/Adelaide, which also has southern-hemisphere DST);
a Berlin course viewed from other zones; doses at the edges of the DST changes.

What each program reads (this matters for what the tests can prove):
- khal 0.10 parses with python3-icalendar 4 and resolves ``TZID=Europe/Berlin`` through pytz;
  its documentation says VTIMEZONE components are ignored. It stores UTC and prints in
  ``[locale] local_timezone``.
- calcurse 4.7 converts ``TZID=`` times with the system tz database (it sets ``TZ`` to the
  TZID) and stores *wall times of the TZ environment variable* in its data file, so the import
  and the query must run under the same ``TZ``.
Neither reads the VTIMEZONE, so the last section checks the embedded VTIMEZONE the way a
program that honours it would (dateutil's RFC 5545 ``tzical`` reader).

Regressions found here are described in the docstrings of the tests that pin them.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import STAMP, UTC, need_program
from icalendar import Calendar

from planner.files import find_bundled
from planner.model import Preferences, Schedule
from planner.plan.scheduler import plan_course
from planner.write.ics import DOSE_MINUTES, to_ics

TIMEOUT = 60  # seconds, per program run
SHOWN = "%Y-%m-%dT%H:%M%z"  # how both programs are told to print a start or end
DOSE = re.compile(r"\bdose (\d+) of (\d+)\b")
AK, SBCC, WARTS = "actinic-keratosis", "superficial-basal-cell-carcinoma", "external-genital-perianal-warts"
INDICATIONS = (AK, SBCC, WARTS)
SUN_TUE_THU = (1, 3, 6)  # warts on weekdays that include the Sundays clocks change on


# --- plans ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    indication: str
    start: dt.date
    zone: str
    time: dt.time | None = None  # None: the label's time of day (bedtime, 22:00)
    weekdays: tuple[int, ...] | None = None
    viewer: str | None = None  # the calendar program's own zone; None: the plan's

    @property
    def shown_in(self) -> str:
        return self.viewer or self.zone

    def __str__(self) -> str:
        parts = [self.indication.split("-")[0], self.start.isoformat(), self.zone]
        if self.time:
            parts.append(f"{self.time:%H%M}")
        if self.viewer:
            parts.append(f"seen-in-{self.viewer}")
        return ",".join(parts)


@functools.cache
def schedule_of(case: Case) -> Schedule:
    prefs = Preferences(timezone=case.zone, times=(case.time,) if case.time else None, weekdays=case.weekdays)
    return plan_course(find_bundled("imiquimod").ruleset, case.indication, case.start, prefs)


@functools.cache
def ics_of(case: Case) -> bytes:
    return to_ics(schedule_of(case), STAMP)


YEAR_END = [Case(i, dt.date(2026, 12, 1), z) for i in INDICATIONS for z in ("Europe/Berlin", "America/Bogota", "UTC")]
SPRING_FORWARD = [Case(i, dt.date(2027, 2, 1), "Europe/Berlin") for i in (AK, WARTS)]
FALL_BACK = [Case(i, dt.date(2026, 10, 1), "Europe/Berlin", dt.time(22, 0)) for i in INDICATIONS]
ODD_OFFSETS = [
    Case(WARTS, dt.date(2026, 12, 1), "Asia/Kolkata"),  # +05:30, no DST
    Case(AK, dt.date(2027, 2, 1), "Australia/Adelaide"),  # +10:30 → +09:30 on 2027-04-04
    Case(SBCC, dt.date(2026, 9, 14), "Australia/Adelaide", dt.time(21, 30)),  # +09:30 → +10:30 on 2026-10-04
]
TRAVELLER = [
    Case(WARTS, dt.date(2026, 10, 1), "Europe/Berlin", viewer="UTC"),
    Case(WARTS, dt.date(2027, 2, 1), "Europe/Berlin", viewer="America/Bogota"),
    Case(AK, dt.date(2027, 2, 1), "Europe/Berlin", viewer="Australia/Adelaide"),  # both change, months apart
]
CASES = YEAR_END + SPRING_FORWARD + FALL_BACK + ODD_OFFSETS + TRAVELLER

# Doses right at a clock change (warts on Sun/Tue/Thu so a dose falls on the Sunday).
# 02:00 does not exist on 2027-03-28, the planner moves it to 03:00 CEST (= 01:00 UTC);
NONEXISTENT = Case(WARTS, dt.date(2027, 3, 1), "Europe/Berlin", dt.time(2, 0), SUN_TUE_THU)
# 03:00 is the first wall time after the change;
FIRST_AFTER_CHANGE = Case(WARTS, dt.date(2027, 2, 1), "Europe/Berlin", dt.time(3, 0), SUN_TUE_THU)
# 02:30 happens twice on 2026-10-25; the planner takes the first (CEST, 00:30 UTC), as
# RFC 5545 §3.3.5 says a TZID time in an overlap means.
AMBIGUOUS = Case(WARTS, dt.date(2026, 10, 1), "Europe/Berlin", dt.time(2, 30), SUN_TUE_THU)


# --- what a program shows -------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One calendar entry as the program printed it."""

    start: str  # SHOWN format (timed) or ISO date (all-day)
    end: str  # SHOWN format, "" for all-day entries
    title: str


def run(argv: list[str], env: dict[str, str], cwd: Path) -> str:
    try:
        done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=True)
    except subprocess.CalledProcessError as e:
        pytest.fail(f"{' '.join(argv)} exited {e.returncode}\n--- stdout\n{e.stdout}\n--- stderr\n{e.stderr}")
    return done.stdout


def sandbox(tmp_path: Path, zone: str) -> dict[str, str]:
    """An environment that keeps the program's files in tmp_path and fixes zone and locale."""
    home = tmp_path / "home"
    for sub in ("", ".config", ".local/share", ".cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TZ": zone,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }


def khal_events(ics: bytes, tmp_path: Path, zone: str) -> list[Shown]:
    """Import into a fresh khal whose local zone is ``zone``; every entry it lists."""
    khal = need_program("khal")
    base = tmp_path / "khal"
    vdir = base / "calendar"
    vdir.mkdir(parents=True)
    (base / "plan.ics").write_bytes(ics)
    config = base / "config"
    config.write_text(f"""\
[calendars]
[[plan]]
path = {vdir}
[locale]
local_timezone = {zone}
default_timezone = {zone}
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = {SHOWN}
longdatetimeformat = {SHOWN}
[sqlite]
path = {base / "khal.db"}
""")
    env = sandbox(tmp_path, zone)
    run([khal, "-c", str(config), "import", "--batch", "-a", "plan", str(base / "plan.ics")], env, base)
    stored = list(vdir.glob("*.ics"))
    assert stored, f"khal stored nothing in {vdir}"
    out = run(
        [
            khal,
            "-c",
            str(config),
            "list",
            "--format",
            "{start}\t{end}\t{all-day}\t{title}",
            "--day-format",
            "",
            "2026-01-01",
            "2029-12-31",
        ],
        env,
        base,
    )
    shown = []
    for line in filter(None, out.splitlines()):
        start, end, all_day, title = line.split("\t", 3)
        shown.append(Shown(start, "" if all_day == "True" else end, title))
    return shown


def calcurse_events(ics: bytes, tmp_path: Path, zone: str) -> list[Shown]:
    """Import into a fresh calcurse running with TZ=zone; every appointment and event.

    calcurse keeps wall times of TZ in its data file, so import and listing share one TZ."""
    calcurse = need_program("calcurse")
    base = tmp_path / "calcurse"
    data, conf = base / "data", base / "conf"
    data.mkdir(parents=True)
    conf.mkdir()
    (base / "plan.ics").write_bytes(ics)
    env = sandbox(tmp_path, zone)
    where = ["-D", str(data), "-C", str(conf)]
    report = run([calcurse, *where, "-i", str(base / "plan.ics")], env, base)
    assert "0 skipped" in report, f"calcurse skipped items:\n{report}"
    out = run(
        [
            calcurse,
            *where,
            "-G",
            "--format-apt",
            f"A\t%(start:{SHOWN})\t%(end:{SHOWN})\t%m\n",
            "--format-event",
            "E\t%(raw)\n",
        ],
        env,
        base,
    )
    shown = []
    for line in filter(None, out.splitlines()):
        kind, rest = line.split("\t", 1)
        if kind == "A":
            start, end, title = rest.split("\t", 2)
            shown.append(Shown(start, end, title))
        else:  # raw event line: "MM/DD/YYYY [id] >note-hash text" (the note is the description)
            found = re.fullmatch(r"(\d\d)/(\d\d)/(\d{4}) \[\d+\] (?:>\S+ )?(.*)", rest)
            assert found, f"unexpected calcurse event line {rest!r}"
            month, day, year, title = found.groups()
            shown.append(Shown(f"{year}-{month}-{day}", "", title))
    return shown


PROGRAMS = {"khal": khal_events, "calcurse": calcurse_events}


# --- what the plan says they should show ------------------------------------------------


def planned_doses(schedule: Schedule, zone: str) -> list[tuple[int, str]]:
    """(dose number, start as the program should print it in ``zone``), in plan order."""
    tz = ZoneInfo(zone)
    return [(d.number, d.at.astimezone(tz).strftime(SHOWN)) for d in schedule.doses]


def planned_reminders(schedule: Schedule) -> list[tuple[str, str]]:
    return [(r.on.isoformat(), f"{schedule.drug} – {r.title}") for r in schedule.reminders]


def check(shown: list[Shown], schedule: Schedule, zone: str) -> None:
    timed = [s for s in shown if s.end]
    doses = []
    for s in timed:
        found = DOSE.search(s.title)
        assert found, f"a timed entry that is not a dose: {s}"
        number, total = map(int, found.groups())
        assert total == len(schedule.doses), s.title
        start, end = dt.datetime.strptime(s.start, SHOWN), dt.datetime.strptime(s.end, SHOWN)
        assert end - start == dt.timedelta(minutes=DOSE_MINUTES), s
        doses.append((number, s.start))
    assert len(doses) == len(schedule.doses)
    assert sorted(doses) == sorted(planned_doses(schedule, zone))
    all_day = sorted((s.start, s.title) for s in shown if not s.end)
    assert all_day == sorted(planned_reminders(schedule))


# --- the tests -------------------------------------------------------------------------


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_program_shows_exactly_the_planned_doses(program: str, case: Case, tmp_path: Path) -> None:
    schedule = schedule_of(case)
    check(PROGRAMS[program](ics_of(case), tmp_path, case.shown_in), schedule, case.shown_in)


def test_cases_cross_what_they_claim() -> None:
    """The DST cases really contain doses on both sides of a change, the year-end ones on both
    sides of New Year; so the program tests above are not vacuous."""
    for case in SPRING_FORWARD + FALL_BACK + ODD_OFFSETS[1:]:
        offsets = {d.at.utcoffset() for d in schedule_of(case).doses}
        assert len(offsets) == 2, case
    for case in YEAR_END:
        years = {d.at.year for d in schedule_of(case).doses}
        assert years == {2026, 2027}, case
    assert {d.at.utcoffset() for d in schedule_of(ODD_OFFSETS[0]).doses} == {dt.timedelta(hours=5, minutes=30)}
    assert any(s.reminders for s in map(schedule_of, CASES))


def edge_dose(case: Case, day: dt.date) -> tuple[int, str]:
    """The one planned dose on ``day`` as (number, start in SHOWN format)."""
    [dose] = [d for d in schedule_of(case).doses if d.at.date() == day]
    return dose.number, dose.at.strftime(SHOWN)


def test_edge_cases_are_where_intended() -> None:
    assert edge_dose(NONEXISTENT, dt.date(2027, 3, 28))[1] == "2027-03-28T03:00+0200"
    assert edge_dose(FIRST_AFTER_CHANGE, dt.date(2027, 3, 28))[1] == "2027-03-28T03:00+0200"
    assert edge_dose(AMBIGUOUS, dt.date(2026, 10, 25))[1] == "2026-10-25T02:30+0200"  # 00:30 UTC


@pytest.mark.parametrize(
    ("program", "viewer"),
    [
        ("khal", "Europe/Berlin"),
        ("calcurse", "Europe/Berlin"),
        ("khal", "UTC"),
        ("calcurse", "UTC"),
    ],
)
@pytest.mark.parametrize("case", [NONEXISTENT, FIRST_AFTER_CHANGE, AMBIGUOUS], ids=str)
def test_doses_at_the_clock_change(program: str, viewer: str, case: Case, tmp_path: Path) -> None:
    """Doses in the hour the clocks skip or repeat, seen in the plan's zone and in UTC.

    Regression: khal 0.10.5 read DTSTART;TZID=Europe/Berlin:20261025T023000 (a wall time that
    happens twice) as the second 02:30, an hour after the plan's 00:30 UTC (RFC 5545 3.3.5 says
    the first). The planner now writes a dose in a repeated hour in UTC, which every reader agrees on.
    """
    check(PROGRAMS[program](ics_of(case), tmp_path, viewer), schedule_of(case), viewer)


# --- the embedded VTIMEZONE, for programs that honour it ---------------------------------
# Neither khal nor calcurse reads it (see the module docstring). Outlook-style clients and
# libraries that honour VTIMEZONE do; dateutil's tzical is such a reader, used here as one.


def vtimezone_reader(ics: bytes) -> dt.tzinfo:
    """The calendar's VTIMEZONE as a tzinfo, read by dateutil (which ignores no data in it)."""
    from dateutil.tz import tzical

    [component] = Calendar.from_ical(ics).walk("VTIMEZONE")
    # dateutil rejects X- properties (legal in RFC 5545) such as X-LIC-LOCATION: drop them.
    text = "\r\n".join(line for line in component.to_ical().decode().splitlines() if not line.startswith("X-"))
    return tzical(io.StringIO(text)).get()


def read_with_vtimezone(case: Case) -> list[tuple[int, str]]:
    """Every dose's DTSTART wall time, placed by the file's own VTIMEZONE."""
    tz = vtimezone_reader(ics_of(case))
    out = []
    for event in Calendar.from_ical(ics_of(case)).walk("VEVENT"):
        found = DOSE.search(str(event["SUMMARY"]))
        if found:
            start = event.decoded("DTSTART")
            if "TZID" not in event["DTSTART"].params:  # written in UTC: the VTIMEZONE plays no part
                placed = start.astimezone(ZoneInfo(case.zone))
            else:
                placed = start.replace(tzinfo=None).replace(tzinfo=tz)
            out.append((int(found.group(1)), placed.strftime(SHOWN)))
    return sorted(out)


def transition_blocks(ics: bytes) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
    """(DTSTART, TZOFFSETFROM, TZOFFSETTO) of each STANDARD/DAYLIGHT block, in onset order."""
    [component] = Calendar.from_ical(ics).walk("VTIMEZONE")
    blocks = [
        (b.decoded("DTSTART"), b.decoded("TZOFFSETFROM"), b.decoded("TZOFFSETTO")) for b in component.subcomponents
    ]
    return sorted(blocks)


def test_vtimezone_transitions_match_the_tz_database() -> None:
    """Each block after the first starts at the real change: DTSTART is the wall time just
    before it in whole minutes (02:00 for spring forward, 03:00 for fall back in Berlin),
    TZOFFSETFROM the offset before, TZOFFSETTO the one after; zones without DST get one block.

    Regression: planner.write.ics once bisected the change only to within a minute and took the offset
    "1 s before" from a point already after it, writing e.g. DTSTART:20270328T030014,
    TZOFFSETFROM:+0200, TZOFFSETTO:+0200 (see test_vtimezone_reader_sees_the_planned_doses)."""
    for case in CASES + [NONEXISTENT, FIRST_AFTER_CHANGE, AMBIGUOUS]:
        tz = ZoneInfo(case.zone)
        blocks = transition_blocks(ics_of(case))
        doses = schedule_of(case).doses
        changes = sum(a.at.utcoffset() != b.at.utcoffset() for a, b in zip(doses, doses[1:]))
        assert len(blocks) - 1 >= changes, case
        assert blocks[0][1] == blocks[0][2] == doses[0].at.utcoffset(), case
        for (_, _, before), (onset, offset_from, offset_to) in zip(blocks, blocks[1:]):
            change = (onset - offset_from).replace(tzinfo=UTC)  # RFC 5545: DTSTART is in TZOFFSETFROM
            assert (offset_from, onset.second) == (before, 0), (case, onset)
            assert (change - dt.timedelta(seconds=1)).astimezone(tz).utcoffset() == before, (case, onset)
            assert change.astimezone(tz).utcoffset() == offset_to, (case, onset)


@pytest.mark.parametrize("case", CASES + [NONEXISTENT, FIRST_AFTER_CHANGE, AMBIGUOUS], ids=str)
def test_vtimezone_reader_sees_the_planned_doses(case: Case) -> None:
    """Every dose, placed by the file's own VTIMEZONE, is at its planned wall time and offset.
    With the old off-by-seconds blocks, FIRST_AFTER_CHANGE's dose 24 (03:00 CEST on 2027-03-28)
    read as 03:00+0100 and AMBIGUOUS's dose 11 (02:30 CEST on 2026-10-25) as 02:30+0100:
    both an hour late."""
    assert read_with_vtimezone(case) == sorted(planned_doses(schedule_of(case), case.zone))
