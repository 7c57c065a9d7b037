"""Issue 16, item 11: kill -9 while writing ``-o`` left a hidden partial ``.NAME.XXXXXXXX.tmp``
holding the patient's plan, for good. The next write of that file (``plan -o``, ``batch``)
now removes stale temporaries of our own naming beside it; nothing else is touched."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import ROOT

from planner import files

PLAN = ("plan", "--drug", "imiquimod", "--indication", "actinic-keratosis", "--start", "2026-12-07")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)  # fmt: skip


def test_the_next_plan_removes_its_own_stale_temporaries(tmp_path) -> None:
    stale = [tmp_path / ".plan.ics.k3x_9a0q.tmp", tmp_path / ".plan.ics.abcdefgh.tmp"]
    for path in stale:
        path.write_text("BEGIN:VCALENDAR\r\nSUMMARY:Imiquimod – dose 1 of 32", encoding="utf-8")
    kept = [
        tmp_path / ".other.ics.abcdefgh.tmp",  # another file's: its own next write removes it
        tmp_path / ".plan.ics.keep",  # not our naming
        tmp_path / ".plan.ics.ABCDEFGH.tmp",  # mkstemp never writes capitals
        tmp_path / "plan.ics.abcdefgh.tmp",  # not hidden
    ]
    for path in kept:
        path.write_text("someone else's", encoding="utf-8")
    (tmp_path / "elsewhere").write_text("keep me", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", tmp_path / ".plan.ics.linkedxx.tmp")  # only regular files go
    out = run(*PLAN, "--format", "ics", "-o", str(tmp_path / "plan.ics"))
    assert out.returncode == 0, out.stderr
    assert not any(p.exists() for p in stale)
    assert all(p.read_text(encoding="utf-8") == "someone else's" for p in kept)
    assert (tmp_path / ".plan.ics.linkedxx.tmp").is_symlink() and (tmp_path / "elsewhere").exists()
    assert (tmp_path / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_a_refused_write_removes_them_too(tmp_path) -> None:
    """The stale copy is removed even when the file exists and is not replaced (no --force)."""
    (tmp_path / "plan.ics").write_text("the old plan", encoding="utf-8")
    stale = tmp_path / ".plan.ics.abcdefgh.tmp"
    stale.write_text("partial", encoding="utf-8")
    out = run(*PLAN, "--format", "ics", "-o", str(tmp_path / "plan.ics"))
    assert out.returncode == 2 and "already exists" in out.stderr
    assert (tmp_path / "plan.ics").read_text(encoding="utf-8") == "the old plan"


def test_a_batch_removes_the_stale_temporaries_of_its_files(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = [out / ".p1.ics.abcdefgh.tmp", out / ".summary.csv.abcdefgh.tmp"]
    other = out / ".notes.txt.abcdefgh.tmp"
    for path in [*mine, other]:
        path.write_text("partial", encoding="utf-8")
    (tmp_path / "clinic.csv").write_text(
        "id,drug,indication,start,timezone\np1,imiquimod,actinic-keratosis,2026-12-07,UTC\n", encoding="utf-8"
    )
    done = run("batch", str(tmp_path / "clinic.csv"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert not any(p.exists() for p in mine) and other.exists()


def test_the_pattern_matches_what_write_output_makes(tmp_path, monkeypatch) -> None:
    """If tempfile's naming changed, the cleaner would silently stop matching: pin it."""
    made = []
    real = os.replace

    def spy(src, dst) -> None:
        made.append(os.path.basename(src))
        real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    files.write_output(tmp_path / "x.ics", b"data")
    assert made and files._TEMPORARY.fullmatch(made[0])["name"] == "x.ics"
    assert len(made[0].encode()) == len("x.ics") + files.TEMP_AFFIX_BYTES
