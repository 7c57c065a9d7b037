"""`planner batch`: one calendar per CSV row into one folder, a summary, exit codes, and the
calendar writer it relies on (planner/ics.py), checked byte for byte against icalendar."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
from helpers import DATA, STAMP, run_cli

from planner import batch
from planner.cli import main
from planner.files import catalog
from planner.model import DurationKind, Preferences, Status
from planner.plan.scheduler import plan_course
from planner.write.ical_text import fold as _fold
from planner.write.ics import to_ics

EPOCH = "1790000000"  # SOURCE_DATE_EPOCH: every DTSTAMP of a run
HEADER = ["id", "drug", "indication", "start", "timezone", "time", "weekdays", "until"]
AK = ["imiquimod", "actinic-keratosis", "2026-12-01"]


@pytest.fixture(autouse=True)
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code, _, err = run_cli(capsys, *argv)
    return code, err


def summary(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def plannable() -> list[tuple[str, str]]:
    return [(b.ruleset.drug, r.id) for b in catalog() if not b.stale for r in b.ruleset.rules if r.status is Status.OK]


# --- rows ----------------------------------------------------------------------------------


def test_every_good_row_gets_a_calendar_and_a_summary_line(tmp_path, capsys) -> None:
    rows = [
        ["A-1", *AK, "Europe/Berlin", "", "", ""],
        ["A-2", "Aldara", "superficial-basal-cell-carcinoma", "2026-12-01", "UTC", "07:00", "", ""],
        ["A-3", "imiquimod", "external-genital-perianal-warts", "2027-03-20", "America/Bogota", "", "", ""],
    ]
    out = tmp_path / "out"
    code, err = run(capsys, "batch", str(write_csv(tmp_path / "p.csv", rows)), "--out", str(out))
    assert code == 0 and err.strip() == f"wrote 3 of 3 calendars to {out}; summary in {out / 'summary.csv'}"
    assert sorted(p.name for p in out.iterdir()) == ["A-1.ics", "A-2.ics", "A-3.ics", "summary.csv"]
    assert [(r["line"], r["id"], r["status"], r["file"], r["error"]) for r in summary(out)] == [
        ("2", "A-1", "written", "A-1.ics", ""),
        ("3", "A-2", "written", "A-2.ics", ""),
        ("4", "A-3", "written", "A-3.ics", ""),
    ]
    assert (out / "A-1.ics").read_bytes().count(b"BEGIN:VEVENT") == 32


def test_a_bad_row_fails_alone_and_says_why(tmp_path, capsys) -> None:
    rows = [
        ["ok-1", *AK, "UTC", "", "", ""],
        ["b-drug", "nosuchdrug", "x", "2026-12-01", "UTC", "", "", ""],
        ["b-ind", "imiquimod", "acne", "2026-12-01", "UTC", "", "", ""],
        ["b-date", "imiquimod", "actinic-keratosis", "2026-02-30", "UTC", "", "", ""],
        ["b-days", *AK, "UTC", "", "MO,TU", ""],
        ["b-tz", *AK, "Mars/Base", "", "", ""],
        ["b-time", *AK, "UTC", "25:99", "", ""],
        ["b-empty", "", "actinic-keratosis", "2026-12-01", "UTC", "", "", ""],
        ["ok-2", *AK, "Asia/Tokyo", "21:30", "MO,TH", ""],
    ]
    out = tmp_path / "out"
    rows.append(["b-extra", *AK, "UTC", "", "", "", "x"])
    code, err = run(capsys, "batch", str(write_csv(tmp_path / "p.csv", rows)), "--out", str(out))
    assert code == 2 and "wrote 2 of 10 calendars" in err and "8 row(s) failed" in err
    result = {r["id"]: r for r in summary(out)}
    assert result["ok-1"]["status"] == result["ok-2"]["status"] == "written"
    expected = {
        "b-drug": "no bundled drug named 'nosuchdrug'",
        "b-ind": "has no indication 'acne'",
        "b-date": "start: not a date: '2026-02-30'",
        "b-days": "MO,TU break the label's spacing",
        "b-tz": "unknown time zone 'Mars/Base'",
        "b-time": "time: not a time of day: '25:99'",
        "b-empty": "drug: missing",
        "b-extra": "1 cell(s) more than the header has columns",
    }
    for row_id, message in expected.items():
        assert result[row_id]["status"] == "failed" and message in result[row_id]["error"], row_id
        assert result[row_id]["file"] == "" and not (out / f"{row_id}.ics").exists()


def test_ids_never_name_a_path_outside_the_folder(tmp_path, capsys, monkeypatch) -> None:
    ids = {
        "../../etc/x": "etc-x.ics",
        "/abs/path": "abs-path.ics",
        "C:\\Windows\\x": "C-Windows-x.ics",
        "．．／．．／etc／y": "etc-y.ics",  # full-width dots and slashes: NFKC makes them ../
        "a\u202egnp.exe": "a-gnp.exe.ics",  # a right-to-left override
        "ﬁle\u200b2": "file-2.ics",
        "CON": "CON_.ics",
        "Μαρία Π.": "Μαρία-Π.ics",
        ".hidden": "hidden.ics",
        "x" * 300: "x" * 80 + ".ics",
    }
    nameless = ["..", "\u200b", "///", "...."]
    monkeypatch.chdir(tmp_path)
    rows = [[i, *AK, "UTC", "", "", ""] for i in list(ids) + nameless]
    code, _ = run(capsys, "batch", str(write_csv(tmp_path / "p.csv", rows)), "--out", "out")
    out = (tmp_path / "out").resolve()
    assert code == 2
    assert sorted(p.name for p in out.iterdir()) == sorted(list(ids.values()) + ["summary.csv"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p.csv"], "nothing written beside the folder"
    for row in summary(out):
        if row["id"] in nameless:
            assert row["status"] == "failed" and "no letters or digits to name a file" in row["error"]
        else:
            assert row["file"] == ids[row["id"]] and (out / row["file"]).resolve().parent == out


def test_two_ids_that_name_the_same_file_are_refused(tmp_path, capsys) -> None:
    rows = [["Anna", *AK, "UTC", "", "", ""], ["anna", *AK, "UTC", "", "", ""], ["anna!", *AK, "UTC", "", "", ""]]
    out = tmp_path / "out"
    code, _ = run(capsys, "batch", str(write_csv(tmp_path / "p.csv", rows)), "--out", str(out))
    first, *rest = summary(out)
    assert code == 2 and first["file"] == "Anna.ics"
    assert all("gives the same file name as line 2" in r["error"] for r in rest)


def test_summary_cells_cannot_run_as_spreadsheet_formulas(tmp_path, capsys) -> None:
    ids = ['=HYPERLINK("http://x","y")', "+SUM(A1)", "-1", "@cmd"]
    rows = [[i, "imiquimod", "actinic-keratosis", "=1+1", "UTC", "", "", ""] for i in ids]
    rows.append(["=ok", *AK, "UTC", "", "", ""])
    out = tmp_path / "out"
    run(capsys, "batch", str(write_csv(tmp_path / "p.csv", rows)), "--out", str(out))
    result = summary(out)
    assert [r["id"] for r in result] == ["'" + i for i in ids] + ["'=ok"]
    assert result[-1]["file"] == "ok.ics" and result[0]["error"].startswith("start: not a date")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for r in result for cell in r.values())
    assert batch.neutralise("=1") == "'=1" and batch.neutralise("\tx") == "'\tx" and batch.neutralise("Anna") == "Anna"


# --- files --------------------------------------------------------------------------------


def test_existing_files_are_never_replaced_without_force(tmp_path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "A.ics").write_bytes(b"precious")
    csv_path = write_csv(tmp_path / "p.csv", [["A", *AK, "UTC", "", "", ""], ["B", *AK, "UTC", "", "", ""]])
    code, _ = run(capsys, "batch", str(csv_path), "--out", str(out))
    assert code == 2 and (out / "A.ics").read_bytes() == b"precious" and (out / "B.ics").exists()
    assert "A.ics already exists; nothing was written" in summary(out)[0]["error"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    code, err = run(capsys, "batch", str(csv_path), "--out", str(out))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "summary.csv: already exists" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "a refused run changes nothing"
    code, _ = run(capsys, "batch", str(csv_path), "--out", str(out), "--force")
    assert code == 0 and (out / "A.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert sorted(p.name for p in out.iterdir()) == ["A.ics", "B.ics", "summary.csv"], "no temporary file left"


def test_each_calendar_is_byte_identical_to_planner_plan(tmp_path, capsysbinary) -> None:
    ongoing = next(
        (
            (d, i)
            for d, i in plannable()
            for b in catalog()
            if b.ruleset.drug == d
            for r in b.ruleset.rules
            if r.id == i
            and r.regimen
            and any(p.duration and p.duration.kind is DurationKind.ONGOING for p in r.regimen.phases)
        ),
        None,
    )
    rows = [
        ["r1", *AK, "Europe/Berlin", "", "", ""],
        ["r2", *AK, "America/New_York", "21:30", "mo,Thursday", ""],
        ["r3", "Aldara", "external-genital-perianal-warts", "2026-10-25", "Australia/Adelaide", "07:15", "", ""],
        ["r4", *AK, "Africa/Abidjan", "", "", ""],
    ]
    if ongoing:
        rows.append(["r5", ongoing[0], ongoing[1], "2027-01-31", "Europe/Berlin", "", "", "2027-06-30"])
    out = tmp_path / "out"
    assert main(["batch", str(write_csv(tmp_path / "p.csv", rows)), "--out", str(out)]) == 0
    capsysbinary.readouterr()
    for row_id, drug, indication, start, zone, time, weekdays, until in rows:
        argv = ["plan", "--drug", drug, "--indication", indication, "--start", start, "--tz", zone, "--format", "ics"]
        for option, value in (("--time", time), ("--weekdays", weekdays), ("--until", until)):
            argv += [option, value] if value else []
        assert main(argv) == 0
        assert (out / f"{row_id}.ics").read_bytes() == capsysbinary.readouterr().out, row_id


def test_two_jobs_write_the_same_files_as_one(tmp_path, capsys) -> None:
    pairs = plannable()
    rows = [
        [
            f"p{i:03d}",
            *pairs[i % len(pairs)],
            (dt.date(2026, 1, 1) + dt.timedelta(days=37 * i)).isoformat(),
            ("Europe/Berlin", "UTC", "America/Bogota")[i % 3],
            "",
            "",
            "",
        ]
        for i in range(3 * len(pairs))
    ]
    rows.append(["bad", "nosuchdrug", "x", "2026-12-01", "UTC", "", "", ""])
    csv_path = write_csv(tmp_path / "p.csv", rows)
    results = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        code, _ = run(capsys, "batch", str(csv_path), "--out", str(out), "--jobs", jobs)
        results.append((code, {p.name: p.read_bytes() for p in out.iterdir()}))
    assert results[0] == results[1] and results[0][0] == 2 and len(results[0][1]) == len(rows)


def test_an_unexpected_error_is_reported_on_its_row_and_exits_1(tmp_path, capsys, monkeypatch) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(batch, "plan_request", boom)
    out = tmp_path / "out"
    csv_path = write_csv(tmp_path / "p.csv", [["A", *AK, "UTC", "", "", ""]])
    code, _ = run(capsys, "batch", str(csv_path), "--out", str(out))
    assert code == 1 and "internal error: RuntimeError: disk on fire" in summary(out)[0]["error"]


# --- the CSV itself -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "no header row"),
        (b" , \n", "no header row"),
        (b"name,drug,start\nx,y,z\n", "unknown column(s) 'name'"),
        (b"id,drug,indication,start\nx,y,z,2026-12-01\n", "missing column(s) timezone"),
        (b"id,drug,indication,start,timezone,id\n", "column(s) named twice: id"),
        (b"\xff\xfeid,drug\n", "not UTF-8 text (byte 0)"),
        (b"id,drug,indication,start,timezone\n\x00\x01\n", "NUL bytes"),
        (b'id,drug,indication,start,timezone\n"A,imiquimod\n', "not a valid CSV file"),
    ],
    ids=["empty", "blank-header", "unknown-column", "missing-column", "twice", "not-utf8", "nul", "open-quote"],
)
def test_a_malformed_csv_is_one_line_and_exit_2(tmp_path, capsys, content, message) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(content)
    code, err = run(capsys, "batch", str(path), "--out", str(tmp_path / "out"))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_too_large_missing_or_a_folder_is_one_line(tmp_path, capsys, monkeypatch) -> None:
    path = write_csv(tmp_path / "p.csv", [["A", *AK, "UTC", "", "", ""]])
    for target, message in ((tmp_path / "nope.csv", "No such file"), (tmp_path, "is a folder, not a file")):
        code, err = run(capsys, "batch", str(target), "--out", str(tmp_path / "out"))
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    monkeypatch.setattr(batch, "MAX_CSV_BYTES", 50)
    for target, message in ((path, "more than the 50 allowed"),):
        code, err = run(capsys, "batch", str(target), "--out", str(tmp_path / "out"))
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_excel_csv_with_bom_and_semicolons(tmp_path, capsys) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufeffID;Drug;Indication;Start;Timezone;Weekdays\r\nA;imiquimod;actinic-keratosis;2026-12-01;"
        "Europe/Berlin;MO,TH\r\n;;;;;\r\n".encode()
    )
    code, _ = run(capsys, "batch", str(path), "--out", str(tmp_path / "out"))
    assert code == 0 and [r["file"] for r in summary(tmp_path / "out")] == ["A.ics"]


def test_plan_rows_is_the_library_call_and_writes_nothing(tmp_path) -> None:
    data = "id,drug,indication,start,timezone\nA,imiquimod,actinic-keratosis,2026-12-01,UTC\nB,x,y,2026-12-01,UTC\n"
    results = batch.plan_rows(batch.read_rows(data.encode(), "p.csv"), STAMP)
    assert [(r.line, r.id, r.file, r.ok) for r in results] == [(2, "A", "A.ics", True), (3, "B", "B.ics", False)]
    schedule = plan_course(
        batch._bundled("imiquimod").ruleset, "actinic-keratosis", dt.date(2026, 12, 1), Preferences()
    )
    assert results[0].data == to_ics(schedule, STAMP) and "no bundled drug named 'x'" in (results[1].error or "")
    assert list(tmp_path.iterdir()) == []


def test_progress_bar_only_on_a_terminal() -> None:
    assert batch.terminal_progress(io.StringIO()) is None

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    show = batch.terminal_progress(screen)
    assert show is not None
    show(0, 4)
    show(4, 4)
    assert screen.getvalue().startswith("\rplanning [") and screen.getvalue().endswith("] 4/4\n")


# --- the calendar writer batch relies on (planner/ics.py) ------------------------------------


def rewritten(data: bytes) -> bytes:
    """What icalendar writes for our file after reading it: its order, escaping and folding."""
    return icalendar.Calendar.from_ical(data).to_ical()


@pytest.mark.parametrize(
    "zone", ["Europe/Berlin", "America/Bogota", "UTC", "Africa/Abidjan", "Australia/Lord_Howe", "America/St_Johns"]
)
def test_every_bundled_calendar_is_what_icalendar_writes(zone) -> None:
    for k, (drug, indication) in enumerate(plannable()):
        schedule = plan_course(batch._bundled(drug).ruleset, indication, dt.date(2026, 10, 20), Preferences(zone))
        alarm = (15, None, 1500)[k % 3]
        data = to_ics(schedule, STAMP, alarm_minutes=alarm)
        assert rewritten(data) == data, (drug, indication, alarm)


def test_hostile_text_is_escaped_and_folded_as_icalendar_does(imiquimod) -> None:
    rng = random.Random(5)
    alphabet = "ab ,;:\\^\"'\n\r\t–üß€😀\u2019N"
    for _ in range(60):

        def text(n: int) -> str:
            return "".join(rng.choice(alphabet) if rng.random() < 0.4 else "x" for _ in range(rng.randrange(n)))

        rule = imiquimod.rules[0]
        hostile = replace(rule, name=text(120), source=replace(rule.source, sentence=text(300)))
        ruleset = replace(
            imiquimod,
            drug=text(60) + "d",
            rules=(hostile,),
            missed_dose=replace(imiquimod.missed_dose, text=text(300)) if imiquimod.missed_dose else None,
        )
        data = to_ics(plan_course(ruleset, rule.id, dt.date(2026, 12, 1), Preferences("Europe/Berlin")), STAMP)
        assert rewritten(data) == data
        assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_folding_keeps_characters_and_escapes_whole() -> None:
    assert _fold("A" * 74) == b"A" * 74
    assert _fold("A" * 75) == b"A" * 74 + b"\r\n A"
    assert _fold("A" * 73 + "\\,B") == b"A" * 73 + b"\r\n \\,B"  # never between \ and its character
    assert _fold("A" * 73 + "€") == b"A" * 73 + b"\r\n \xe2\x82\xac"  # never inside a UTF-8 character


def test_the_example_file_and_its_pinned_summary(tmp_path, capsys) -> None:
    """tests/data/batch/patients.csv: what a clinic's file looks like, and the summary it gets."""
    out = tmp_path / "out"
    code, _ = run(capsys, "batch", str(DATA / "batch" / "patients.csv"), "--out", str(out))
    assert code == 2
    assert (out / "summary.csv").read_bytes() == (DATA / "batch" / "patients.summary.csv").read_bytes()


def test_a_batch_stopped_half_way_keeps_its_files_and_says_which_rows_are_left(tmp_path, monkeypatch) -> None:
    """Interrupted (here: the third row's writer fails hard): finished files stay, and
    summary.csv lists the rows left, so only those need re-running."""
    from planner import batch as batch_module
    from planner.batch import Options, read_rows, run_batch

    text = "id,drug,indication,start,timezone\n" + "".join(
        f"p{i},imiquimod,actinic-keratosis,2026-12-0{i},UTC\n" for i in range(1, 5)
    )
    rows = read_rows(text.encode())
    real = batch_module.files.write_output
    calls = {"n": 0}

    def flaky(path, data, force=False, **kw):
        if path.name.endswith(".ics"):
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt
        return real(path, data, force=force, **kw)

    monkeypatch.setattr(batch_module.files, "write_output", flaky)
    with pytest.raises(KeyboardInterrupt):
        run_batch(rows, tmp_path / "out", Options(stamp=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)), jobs=1)
    written = sorted(p.name for p in (tmp_path / "out").glob("*.ics"))
    assert written == ["p1.ics", "p2.ics"]
    summary = (tmp_path / "out" / "summary.csv").read_text()
    assert summary.count(",written,") == 2 and summary.count(",left,") == 2
