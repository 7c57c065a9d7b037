"""Issue 16, item 12: a batch id of 80 letters of a script written with 3 or 4 bytes each made a
file name over the 255-byte limit once ``.ics`` and the temporary's affixes were added (exit 1
on that row); ``--length -3`` was accepted and a huge one crashed. Names are now capped in
bytes, an ``-o`` name too long for its temporary is one line and exit 2, and a length is a
whole number from 1 to 1830 (the lone surrogate in FHIR JSON is test_issue_16_fhir_text_that_is_not_json)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from helpers import ROOT

from planner import batch, files

PLAN = ("plan", "--drug", "fluorouracil", "--indication", "actinic-keratosis", "--start", "2026-12-07")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip


@pytest.mark.parametrize("letter", ["é", "日", "\U00020000", "a"], ids=["2-byte", "3-byte", "4-byte", "ascii"])
def test_a_file_stem_fits_255_bytes_with_every_affix(letter: str) -> None:
    stem = batch.file_stem(letter * 200)
    assert stem and set(stem) == {letter} and len(stem) <= batch.MAX_STEM
    assert len(f"{stem}.ics".encode()) + files.TEMP_AFFIX_BYTES <= 255


def test_a_batch_of_long_ids_writes_every_calendar(tmp_path) -> None:
    ids = ["\U00020000" * 80, "日" * 80, "é" * 80 + "x"]
    lines = ["id,drug,indication,start,timezone"] + [f"{i},imiquimod,actinic-keratosis,2026-12-07,UTC" for i in ids]
    (tmp_path / "clinic.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run("batch", str(tmp_path / "clinic.csv"), "--out", str(tmp_path / "out"))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "summary.csv").read_text(encoding="utf-8"))))
    assert [r["status"] for r in rows] == ["written"] * 3
    assert all((tmp_path / "out" / r["file"]).is_file() for r in rows)


def test_an_output_name_too_long_for_its_temporary_is_one_line(tmp_path) -> None:
    name = "日" * 80 + ".ics"  # 244 bytes: fits the folder, not ".NAME.XXXXXXXX.tmp"
    out = run(*PLAN, "--format", "ics", "-o", str(tmp_path / name))
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1, out.stderr
    assert "the file name is 244 bytes; at most 241 fit" in out.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("length", ["-3", "0", "99999", "9" * 30])
def test_a_length_out_of_bounds_is_refused(length: str) -> None:
    out = run(*PLAN, f"--length={length}", "--format", "json")
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1, out.stderr
    assert f"length: not a length: '{length}'" in out.stderr


def test_a_length_in_the_labels_range_is_planned() -> None:
    out = run(*PLAN, "--length", "3", "--format", "json")
    assert out.returncode == 0, out.stderr
