"""tests/data/others_monographs, graded by the development set's checker: never a plan that
breaks its label (0 wrong). The set is a check written outside the reader's development."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

CHECK = ROOT.parent / "shared" / "devset" / "check.py"
OTHERS = ROOT / "tests" / "data" / "others_monographs"
PLANNER = Path(sys.executable).with_name("planner")


@pytest.mark.skipif(not CHECK.is_file(), reason="needs ../shared/devset/check.py beside the checkout")
def test_no_plan_breaks_its_label_on_monographs_written_by_others() -> None:
    assert PLANNER.is_file(), f"no planner script beside {sys.executable}"
    done = subprocess.run(
        [sys.executable, str(CHECK), "--planner", str(PLANNER), "--holdout", str(OTHERS)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    found = re.search(r"(\d+) wrong", last)
    assert found is not None, last
    wrong = [line for line in done.stdout.splitlines() if line.startswith("wrong")]
    assert found.group(1) == "0", "\n".join(wrong)
    assert not re.search(r"[1-9]\d* error", last), last
