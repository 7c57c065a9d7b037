"""The CLI contract: commands, JSON field names, exit codes, and never overwriting a file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import ROOT, run_cli

from planner.cli import main
from planner.model import DISCLAIMER

SEED = str(ROOT / "monographs" / "imiquimod.md")
PLAN = ["plan", "--drug", "imiquimod", "--indication", "actinic-keratosis", "--start", "2026-12-01"]


def test_extract_json_contract(capsys) -> None:
    code, out, _ = run_cli(capsys, "extract", SEED, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["drug"] == "Imiquimod" and data["source"].endswith("imiquimod.md")
    first = data["indications"][0]
    assert {"id", "name", "population", "status", "reasons", "regimen", "source_text"} <= set(first)
    assert first["id"] == "actinic-keratosis" and first["status"] == "ok" and first["reasons"] == []
    assert first["regimen"]["phases"][0]["frequency"] == {"times": 2, "per": "week"}
    assert first["source_text"].startswith("Apply a thin layer once daily")


def test_extract_yaml_is_the_reviewed_file(capsys) -> None:
    code, out, _ = run_cli(capsys, "extract", SEED, "--format", "yaml")
    assert code == 0 and out == (ROOT / "rules" / "imiquimod.yaml").read_text()


def test_plan_json_contract(capsys) -> None:
    code, out, _ = run_cli(capsys, *PLAN, "--tz", "Europe/Berlin", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert {
        "drug",
        "indication",
        "timezone",
        "ongoing",
        "course_end",
        "doses",
        "warnings",
        "missed_dose",
        "disclaimer",
    } <= set(data)
    assert (data["drug"], data["indication"], data["timezone"], data["ongoing"]) == (
        "Imiquimod",
        "actinic-keratosis",
        "Europe/Berlin",
        False,
    )
    assert len(data["doses"]) == 32 and data["course_end"] == "2027-03-19"
    assert data["doses"][0] == {"number": 1, "at": "2026-12-01T22:00:00+01:00", "amount": "thin layer", "phase": 1}
    assert data["disclaimer"] == DISCLAIMER and "Do not extend" in data["missed_dose"]
    assert any("Pregnancy" in w for w in data["warnings"])


@pytest.mark.parametrize(
    "indication,count", [("superficial-basal-cell-carcinoma", 30), ("external-genital-perianal-warts", 48)]
)
def test_plan_other_indications(capsys, indication, count) -> None:
    code, out, _ = run_cli(
        capsys, "plan", "--monograph", SEED, "--indication", indication, "--start", "2026-12-01", "--format", "json"
    )
    assert code == 0 and len(json.loads(out)["doses"]) == count


def test_plan_text_and_ics_carry_the_disclaimer(capsys) -> None:
    code, out, _ = run_cli(capsys, *PLAN, "--weekdays", "MO,TH", "--time", "21:30", "--format", "text")
    assert code == 0 and DISCLAIMER in out and "Mon 2026-12-03" not in out and "Thu 2026-12-03 21:30" in out
    code, out, _ = run_cli(capsys, *PLAN, "--format", "ics")
    assert code == 0 and out.startswith("BEGIN:VCALENDAR") and "not medical advice" in out.replace("\r\n ", "")


def test_brand_name_finds_the_drug(capsys) -> None:
    code, out, _ = run_cli(
        capsys,
        "plan",
        "--drug",
        "Aldara",
        "--indication",
        "actinic-keratosis",
        "--start",
        "2026-12-01",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["drug"] == "Imiquimod"


def test_list(capsys) -> None:
    code, out, _ = run_cli(capsys, "list")
    assert code == 0 and "Imiquimod (Aldara, Zyclara)" in out and "actinic-keratosis" in out and DISCLAIMER in out
    code, out, _ = run_cli(capsys, "list", "--format", "json")
    assert any(d["drug"] == "Imiquimod" for d in json.loads(out))


@pytest.mark.parametrize(
    "argv,message",
    [
        (
            ["plan", "--drug", "nosuchdrug", "--indication", "x", "--start", "2026-12-01"],
            "no bundled drug named 'nosuchdrug'",
        ),
        (["plan", "--drug", "../etc/passwd", "--indication", "x", "--start", "2026-12-01"], "not a drug name"),
        (PLAN[:4] + ["acne", "--start", "2026-12-01"], "has no indication 'acne'"),
        (PLAN[:-1] + ["2026-13-45"], "not a date: '2026-13-45'"),
        (PLAN + ["--tz", "Mars/Base"], "unknown time zone 'Mars/Base'"),
        (PLAN + ["--weekdays", "MO,TU"], "MO,TU break the label's spacing"),
        (PLAN + ["--weekdays", "XX"], "not a weekday: 'XX'"),
        (PLAN + ["--time", "25:99"], "not a time of day"),
        (["plan", "--monograph", "no/such/file.md", "--indication", "x", "--start", "2026-12-01"], "No such file"),
        (["extract", str(ROOT / "tests")], "is a directory"),
        (["extract", "/dev/zero"], "larger than the"),
        (PLAN[:-1] + ["9999-12-01"], "outside the years 1900 to 2200"),
        (PLAN + ["--time", "08:00+05:00"], "not a time of day"),
        (PLAN + ["--alarm", "99999999999"], "is not -1 or 0 to 10080"),
        (
            PLAN[:4]
            + [
                "typo",
                "--start",
                "2026-12-01",
                "--regimen",
                "{phases: [{frequency: {times: 1, per: day}, duration: {kind: fixed, unit: day, min: 3, max: 3}}]}",
            ],
            "has no indication 'typo'",
        ),
        (
            ["plan", "--indication", "x", "--start", "2026-12-01"],
            "one of the arguments --drug --monograph --fhir --from-ics is required",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message) -> None:
    exits = "required" in message or "10080" in message  # argparse's own errors exit itself
    with pytest.raises(SystemExit) if exits else _nothing():
        code, _, err = run_cli(capsys, *argv)
        assert code == 2
    err = err if not exits else capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_binary_and_non_utf8_monographs(tmp_path, capsys) -> None:
    junk = tmp_path / "junk.md"
    junk.write_bytes(b"\xff\xfe\x00binary")
    code, _, err = run_cli(capsys, "extract", str(junk))
    assert code == 2 and "a binary file, not text" in err
    junk.write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    code, _, err = run_cli(capsys, "extract", str(junk))
    assert code == 2 and "not UTF-8 text (byte 14)" in err


def test_output_file_is_never_overwritten_without_force(tmp_path, capsys) -> None:
    target = tmp_path / "plan.ics"
    target.write_text("precious")
    code, _, err = run_cli(capsys, *PLAN, "--format", "ics", "-o", str(target))
    assert code == 2 and "already exists" in err and target.read_text() == "precious"
    code, _, _ = run_cli(capsys, *PLAN, "--format", "ics", "-o", str(target), "--force")
    assert code == 0 and target.read_text().startswith("BEGIN:VCALENDAR")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"], "no temporary file left behind"


def test_python_dash_m_and_console_script() -> None:
    for command in ([sys.executable, "-m", "planner"], [str(ROOT / ".venv" / "bin" / "planner")]):
        if not command[0].endswith("python") and not (ROOT / ".venv" / "bin" / "planner").exists():
            continue
        done = subprocess.run(command + ["list"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "Imiquimod" in done.stdout


def test_cli_does_not_import_streamlit_or_icalendar_for_json() -> None:
    code = (
        "import sys, planner.cli as c; c.main(['plan','--drug','imiquimod','--indication','actinic-keratosis',"
        "'--start','2026-12-01','--format','json']); print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('streamlit','icalendar')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().endswith("[]")


def test_unexpected_errors_exit_1_with_a_debug_hint(monkeypatch, capsys) -> None:
    import planner.cli as cli

    def boom(args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli, "cmd_list", boom)
    code, _, err = run_cli(capsys, "list")
    assert code == 1 and "re-run with --debug" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        main(["--debug", "list"])


def test_validate_reports_stale_rules(tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "monographs").mkdir()
    (tmp_path / "rules" / "imiquimod.yaml").write_text((ROOT / "rules" / "imiquimod.yaml").read_text())
    seed = (ROOT / "monographs" / "imiquimod.md").read_text()
    (tmp_path / "monographs" / "imiquimod.md").write_text(seed)
    monkeypatch.setenv("PLANNER_DATA", str(tmp_path))
    assert run_cli(capsys, "validate")[0] == 0
    (tmp_path / "monographs" / "imiquimod.md").write_text(seed.replace("Headache, fatigue", "Headache"))
    code, out, _ = run_cli(capsys, "validate")
    assert code == 2 and "stale" in out
    code, _, err = run_cli(capsys, *PLAN)
    assert code == 2 and "stale" in err and "--accept-stale" in err
    assert run_cli(capsys, *PLAN, "--accept-stale")[0] == 0
    (tmp_path / "monographs" / "imiquimod.md").write_text(seed.replace("for 6 weeks", "for 9 weeks"))
    code, _, err = run_cli(capsys, *PLAN, "--accept-stale")
    assert code == 2 and "not in monographs/imiquimod.md" in err


def test_reopen_a_course_from_its_own_calendar(tmp_path, capsys, monkeypatch) -> None:
    """Nothing about the patient is stored: the .ics carries what re-creates the same plan."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    first = tmp_path / "a.ics"
    assert (
        main(
            PLAN
            + ["--tz", "Europe/Berlin", "--weekdays", "MO,TH", "--time", "21:30", "--format", "ics", "-o", str(first)]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["plan", "--from-ics", str(first), "--format", "ics"]) == 0
    assert capsys.readouterr().out.encode() == first.read_bytes()
    assert main(["plan", "--from-ics", str(first), "--time", "08:00", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["timezone"] == "Europe/Berlin" and data["doses"][0]["at"] == "2026-12-03T08:00:00+01:00"


def test_reopen_refuses_a_foreign_calendar(tmp_path, capsys) -> None:
    other = tmp_path / "other.ics"
    other.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nEND:VCALENDAR\r\n")
    assert main(["plan", "--from-ics", str(other), "--format", "json"]) == 2
    assert "not a calendar made by planner" in capsys.readouterr().err


def test_a_drug_with_several_indications_needs_one(capsys) -> None:
    assert main(["plan", "--drug", "imiquimod", "--start", "2026-12-01"]) == 2
    assert "--indication is required with --drug" in capsys.readouterr().err


def test_reopen_keeps_a_prescribers_regimen_and_refuses_other_sources(tmp_path, capsys) -> None:
    """Review finding: re-opening a calendar planned with --regimen re-planned the bundled rule."""
    rx = tmp_path / "rx.ics"
    regimen = "{phases: [{frequency: {times: 1, per: day}, duration: {kind: fixed, unit: day, min: 3, max: 3}}]}"
    assert main(PLAN + ["--regimen", regimen, "--format", "ics", "-o", str(rx)]) == 0
    capsys.readouterr()
    assert main(["plan", "--from-ics", str(rx), "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["doses"]) == 3
    elsewhere = tmp_path / "label.md"
    elsewhere.write_text((ROOT / "monographs" / "imiquimod.md").read_text())
    other = tmp_path / "other.ics"
    assert (
        main(
            [
                "plan",
                "--monograph",
                str(elsewhere),
                "--indication",
                "actinic-keratosis",
                "--start",
                "2026-12-01",
                "--format",
                "ics",
                "-o",
                str(other),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["plan", "--from-ics", str(other)]) == 2
    assert "planned from label.md, not from the bundled rules" in capsys.readouterr().err


def test_fhir_prescription_start_is_kept(tmp_path, capsys) -> None:
    """Review finding: a prescription's boundsPeriod.start was ignored in favour of --start."""
    rx = tmp_path / "rx.json"
    assert main(PLAN[:-1] + ["2026-12-10", "--tz", "Europe/Berlin", "--format", "fhir", "-o", str(rx)]) == 0
    capsys.readouterr()
    assert main(["plan", "--fhir", str(rx), "--tz", "Europe/Berlin", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["doses"][0]["at"].startswith("2026-12-10")
    assert main(["plan", "--fhir", str(rx), "--start", "2026-12-01"]) == 2
    assert "the prescription starts on 2026-12-10, not 2026-12-01" in capsys.readouterr().err
