"""Issue 16, item 13: names that look the same but differ, and keys given twice.

The bugs: an indication spelled with a zero-width space looked the same as another but was a
different indication; a right-to-left override (U+202E) in a drug or indication name was kept,
into the .ics titles, where it turns the rest of the title around; and a key given twice in
front matter or a rules file silently took the last value (PyYAML's way).

Now, at the reading edge (``read/monograph.py``, ``read/rules.py``, which FHIR rules also pass),
one helper (``read/text.py``) refuses a name holding an invisible or text-direction character,
naming the character and the line; two indications of one population whose names look the same
(letter case, width, compatibility forms) are refused; and a key given twice in one YAML mapping
is an error at the second one's line (``read/safeyaml.py``), in front matter, rules and --regimen.
"""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from helpers import ROOT, run_module
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import RuleError
from planner.read.rules import load_rules
from planner.read.text import name_key, name_problem

MONOGRAPH = (ROOT / "monographs" / "imiquimod.md").read_text(encoding="utf-8")
RULES = (ROOT / "rules" / "imiquimod.yaml").read_text(encoding="utf-8")
SBCC = "**Superficial Basal Cell Carcinoma:**"


def monograph(tmp_path: Path, old: str, new: str) -> Path:
    assert old in MONOGRAPH
    path = tmp_path / "imiquimod.md"
    path.write_text(MONOGRAPH.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def refused(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2 and done.stdout == "", done.stderr
    [line] = done.stderr.splitlines()
    assert "Traceback" not in line
    return line


def test_an_indication_with_a_zero_width_space_is_refused_at_its_line(tmp_path: Path) -> None:
    """The issue's case: it looked like "Actinic Keratosis" but was another indication."""
    path = monograph(tmp_path, SBCC, "**Actinic\u200b Keratosis:**")
    line = refused(run_module("extract", str(path)))
    at = line_of(path, "Actinic\u200b Keratosis")
    assert f"{path}:{at}: indication:" in line
    assert "holds an invisible character (U+200B ZERO WIDTH SPACE)" in line


def test_a_right_to_left_override_never_reaches_a_calendar_title(tmp_path: Path) -> None:
    path = monograph(tmp_path, SBCC, "**Superficial \u202eamonicrac:**")
    done = run_module("plan", "--monograph", str(path), "--indication", "superficial-amonicrac", "--start", "2026-12-01",
               "--format", "ics")  # fmt: skip
    line = refused(done)
    assert "holds a character that changes the text direction (U+202E RIGHT-TO-LEFT OVERRIDE)" in line
    assert "\u202e" not in done.stdout


def test_a_drug_title_with_a_bidi_control_is_refused(tmp_path: Path) -> None:
    path = monograph(tmp_path, "title: Imiquimod", "title: Imi\u2067quimod")
    line = refused(run_module("extract", str(path)))
    assert f"{path}:2: title:" in line and "U+2067 RIGHT-TO-LEFT ISOLATE" in line


def test_two_indications_that_look_the_same_are_refused(tmp_path: Path) -> None:
    path = monograph(tmp_path, SBCC, "**ＡCTINIC keratosis:**")  # a fullwidth A, other letter case
    line = refused(run_module("extract", str(path)))
    first = line_of(path, "**Actinic Keratosis:**")
    assert f"looks the same as the adults indication 'Actinic Keratosis' on line {first}" in line
    assert f"{path}:{line_of(path, 'ＡCTINIC')}: indication:" in line


def test_a_key_given_twice_in_front_matter_is_refused_at_its_line(tmp_path: Path) -> None:
    path = monograph(tmp_path, "title: Imiquimod\n", "title: Imiquimod\ntitle: Placebo\n")
    line = refused(run_module("extract", str(path)))
    assert (
        line
        == f"planner: error: {path}:3: front matter is not valid YAML (found duplicate key 'title' (first on line 2))"
    )


def test_a_key_given_twice_in_a_rules_file_is_refused_at_its_line() -> None:
    text = RULES.replace("  status: ok\n", "  status: ok\n  status: needs-review\n", 1)
    with pytest.raises(RuleError) as caught:
        load_rules(text, "rules/x.yaml")
    second = next(n for n, line in enumerate(text.splitlines(), 1) if line == "  status: needs-review")
    assert caught.value.line == second
    assert str(caught.value) == (
        f"rules/x.yaml:{second}: not valid YAML (found duplicate key 'status' (first on line {second - 1}))"
    )


def test_a_regimen_with_a_key_given_twice_is_refused() -> None:
    regimen = "{phases: [{frequency: {times: 1, times: 2, per: day}, duration: {kind: fixed, min: 3, max: 3}}]}"
    line = refused(run_module("plan", "--drug", "imiquimod", "--indication", "actinic-keratosis", "--start", "2026-12-01",
                       "--regimen", regimen))  # fmt: skip
    assert "found duplicate key 'times'" in line


def test_names_in_a_rules_file_are_checked() -> None:
    text = RULES.replace("name: Superficial Basal Cell Carcinoma", "name: Actinic keratosis", 1)
    text = text.replace("drug: Imiquimod", "drug: Imiquimod\u200d", 1).replace("- Zyclara", "- Zycl\u00adara", 1)
    with pytest.raises(RuleError) as caught:
        load_rules(text, "rules/x.yaml")
    assert str(caught.value).splitlines() == [
        "rules/x.yaml: drug: 'Imiquimod\\u200d' holds an invisible character (U+200D ZERO WIDTH JOINER)",
        "rules/x.yaml: brand_names[1]: 'Zycl\\xadara' holds an invisible character (U+00AD SOFT HYPHEN)",
        "rules/x.yaml: indications[1].name: 'Actinic keratosis' looks the same as the adults indication [0] "
        "'Actinic Keratosis'",
    ]


def test_the_bundled_names_are_all_visible_and_distinct() -> None:
    from planner.files import catalog_errors

    assert catalog_errors() == []


HIDDEN = st.sampled_from(
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202d", "\u2066", "\u200f", "\u061c",
     "\u0007", "\u3164", "\ufe0f", "\U000e0001"]
)  # fmt: skip
NAMES = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ éüñ-/()'0123456789"), min_size=1)


@given(NAMES, HIDDEN, st.integers(min_value=0))
def test_any_hidden_character_anywhere_is_named(name: str, hidden: str, where: int) -> None:
    """Property: a visible name passes; the same name with one hidden character anywhere is
    refused with that character's code point, and looks the same (one key) as the visible one."""
    assert name_problem(name) is None
    at = where % (len(name) + 1)
    spoiled = name[:at] + hidden + name[at:]
    problem = name_problem(spoiled)
    assert problem is not None and f"U+{ord(hidden):04X}" in problem
    if unicodedata.category(hidden) == "Cf":
        assert name_key(spoiled) == name_key(name)
