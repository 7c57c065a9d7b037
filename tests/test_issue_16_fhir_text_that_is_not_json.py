"""Issue 16, item 12: a lone surrogate in FHIR JSON (``"\\ud800"``, valid JSON syntax but not a
character) reached the writers and ended in a UnicodeEncodeError traceback. It, invalid UTF-8
and text that is not JSON must each be one line on stderr and exit 2, from the real command."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import DATA

GOOD = (DATA / "fhir" / "valid" / "doxycycline-bid.json").read_text(encoding="utf-8")
SURROGATE = GOOD.replace('"text": "Take 1 tablet', '"text": "\\ud800 Take 1 tablet', 1)
assert SURROGATE != GOOD
CASES = {
    "lone-surrogate": (SURROGATE, "lone surrogate \\ud800"),
    "lone-surrogate-in-a-key": ('{"resourceType": "MedicationRequest", "\\udfff": 1}', "lone surrogate \\udfff"),
    "invalid-utf-8": (b'{"resourceType": "MedicationRequest", "status": "\xc3\x28"}', "not UTF-8 text"),
    "not-json": ("resourceType: MedicationRequest\n", "not valid JSON"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_fhir_text_is_one_line_and_exit_2(tmp_path, name) -> None:
    content, message = CASES[name]
    path = tmp_path / "rx.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    argv = [sys.executable, "-m", "planner", "plan", "--fhir", str(path), "--start", "2026-12-01", "--format", "ics"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("planner: error: ") and len(done.stderr.strip().splitlines()) == 1
    assert message in done.stderr and "Traceback" not in done.stderr
