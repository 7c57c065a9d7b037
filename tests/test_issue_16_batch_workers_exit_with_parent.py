"""Issue 16, item 10: when ``planner batch --jobs N``'s main process was killed (SIGKILL or SIGTERM)
its workers never exited (watched for 14 minutes at about 110 MB each), and SIGTERM wrote no
``summary.csv`` and could leave a temporary file. Workers now exit with their parent
(``prctl(PR_SET_PDEATHSIG)``, else a ``getppid()`` watch), and SIGTERM stops the batch as Ctrl-C
does: exit 143, a summary saying which rows are left, no temporaries."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
ROWS = 20_000


def children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper that a container may lack counts as gone)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(test, seconds: float = 60.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if test():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def clinic(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("clinic") / "clinic.csv"
    lines = ["id,drug,indication,start,timezone"]
    lines += [f"p{n},imiquimod,actinic-keratosis,2026-12-07,Europe/Berlin" for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def started(clinic: Path, out: Path) -> tuple[subprocess.Popen[bytes], set[int]]:
    """A two-worker batch, once both workers run and the first calendar is written."""
    batch = subprocess.Popen(
        [sys.executable, "-m", "planner", "batch", str(clinic), "--out", str(out), "--jobs", "2"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert wait_for(lambda: len(children(batch.pid)) >= 2 and any(out.glob("*.ics"))), "the workers never started"
    return batch, children(batch.pid)


def test_workers_exit_when_the_batch_is_killed(clinic, tmp_path) -> None:
    batch, workers = started(clinic, tmp_path / "out")
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait(timeout=30)
    assert wait_for(lambda: not any(alive(w) for w in workers), 10), "workers outlived their parent"


def test_sigterm_is_handled_like_ctrl_c(clinic, tmp_path) -> None:
    out = tmp_path / "out"
    batch, workers = started(clinic, out)
    os.kill(batch.pid, signal.SIGTERM)
    assert batch.wait(timeout=60) == 143, batch.stderr.read() if batch.stderr else ""
    assert wait_for(lambda: not any(alive(w) for w in workers), 10)
    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8"))))
    assert len(rows) == ROWS
    status = {row["status"] for row in rows}
    assert status == {"written", "left"}, status  # stopped half way, and says so
    written = {row["file"] for row in rows if row["status"] == "written"}
    assert written == {p.name for p in out.glob("*.ics")}
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "a temporary was left behind"


def test_the_fallback_watch_ends_an_orphan() -> None:
    """Where prctl is not available: the worker polls getppid() and leaves once re-parented."""
    script = (
        "import os, sys, planner.processes as p\n"
        "p.PARENT_POLL_SECONDS = 0.05\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    p._watch_parent(parent)\n"
        "print(child, flush=True)\n"
        "os._exit(0)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=30)
    orphan = int(out.stdout)
    assert wait_for(lambda: not alive(orphan), 10), "the orphan kept running"


def test_prctl_is_asked_on_linux() -> None:
    script = "import planner.processes as p; print(p._pdeathsig())"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert out.stdout.strip() == "True", out.stderr
