"""Issue 16, item 14: a monograph saved with a UTF-8 byte-order mark was refused.

The bug: Notepad and Excel save UTF-8 with a byte-order mark (EF BB BF) in front. The CSV and
FHIR readers dropped it, but a monograph with one was refused ("no YAML front matter": the
file no longer started with ``---``), and so were rule files, ``--regimen @FILE`` and
``--from-ics`` files. Now ``files.text_of``, the one place bytes become text (files on disk and
the app's uploads), drops a leading mark; one anywhere else stays part of the text.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import ROOT, run_module

from planner.errors import MonographError
from planner.files import load_monograph, text_of

UTF8_BOM = b"\xef\xbb\xbf"
MONOGRAPH = ROOT / "monographs" / "imiquimod.md"


@pytest.fixture
def with_bom(tmp_path: Path) -> Path:
    path = tmp_path / "imiquimod-bom.md"
    path.write_bytes(UTF8_BOM + MONOGRAPH.read_bytes())
    return path


def test_extract_reads_a_monograph_with_a_bom_as_without(with_bom: Path, tmp_path: Path) -> None:
    plain = tmp_path / "imiquimod-bom-less.md"
    shutil.copy(MONOGRAPH, plain)
    done, reference = (
        run_module("extract", "--format", "json", str(with_bom)),
        run_module("extract", "--format", "json", str(plain)),
    )
    assert done.returncode == 0, done.stderr
    assert reference.returncode == 0, reference.stderr
    got = json.loads(done.stdout.replace(with_bom.name, "imiquimod.md"))  # the file names differ
    assert got["drug"] == "Imiquimod" and len(got["indications"]) >= 3
    assert got == json.loads(reference.stdout.replace(plain.name, "imiquimod.md"))


def test_plan_from_a_monograph_with_a_bom(with_bom: Path) -> None:
    done = run_module(
        "plan", "--monograph", str(with_bom), "--indication", "actinic-keratosis", "--start", "2026-12-01",
        "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["doses"]


def test_the_mark_does_not_change_the_monographs_hash(with_bom: Path) -> None:
    """A reviewed rule file names its monograph's SHA-256: saving the monograph with a mark
    must not make the rules stale."""
    assert load_monograph(with_bom).sha256 == load_monograph(MONOGRAPH).sha256


def test_only_a_leading_mark_is_dropped() -> None:
    assert text_of(UTF8_BOM + b"---\ntitle: X\n---\n", "x.md") == "---\ntitle: X\n---\n"
    assert text_of(b"a" + UTF8_BOM + b"b", "x.md") == "a\ufeffb"
    assert text_of(UTF8_BOM + UTF8_BOM + b"x", "x.md") == "\ufeffx"  # one mark is a mark; two are text


def test_bad_utf8_after_a_mark_names_the_files_own_byte() -> None:
    with pytest.raises(MonographError, match=r"not UTF-8 text \(byte 5\)"):
        text_of(UTF8_BOM + b"ab\xff", "x.md")


def test_a_regimen_file_with_a_bom(tmp_path: Path) -> None:
    regimen = tmp_path / "regimen.yaml"
    regimen.write_bytes(
        UTF8_BOM + b"phases: [{frequency: {times: 1, per: day}, duration: {kind: fixed, unit: day, min: 3, max: 3}}]\n"
    )
    done = run_module(
        "plan", "--drug", "imiquimod", "--indication", "actinic-keratosis", "--start", "2026-12-01",
        "--regimen", f"@{regimen}", "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["doses"]) == 3
