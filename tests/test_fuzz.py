"""Fuzzing: hostile and broken input gets a clear PlannerError or a needs-review rule, within
bounded time; never a crash, a hang, or a rule that plans into a broken schedule.

`make test` runs a bounded number of examples; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) many more.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from helpers import ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.files import MAX_INPUT_BYTES, load_monograph, read_text
from planner.model import Preferences, Status
from planner.plan.scheduler import build_schedule
from planner.read.extract import extract_rules
from planner.read.monograph import parse_monograph
from planner.read.reader import read_regimen
from planner.read.rules import dump_rules, load_rules, regimen_from_text

SEED = (ROOT / "monographs" / "imiquimod.md").read_text()
RULES = (ROOT / "rules" / "imiquimod.yaml").read_text()
BOUNDED = settings(deadline=dt.timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])


def plan_every_ok_rule(ruleset) -> None:
    """Every rule the extractor calls ok must plan, or be refused with a clear error."""
    for rule in ruleset.rules:
        if rule.status is Status.OK:
            try:
                build_schedule(rule, dt.date(2026, 12, 1), Preferences(until=dt.date(2027, 3, 1)))
            except PlannerError as exc:
                assert "internal check failed" not in str(exc)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """A real file with random cuts, duplications, insertions and changed numbers."""
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["cut", "dup", "insert", "number"]))
        at = draw(st.integers(0, len(text)))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 400)) :]
        elif kind == "dup":
            text = text[:at] + text[at : at + draw(st.integers(1, 400))] + text[at:]
        elif kind == "insert":
            text = text[:at] + draw(st.text(max_size=40)) + text[at:]
        else:
            text = text.replace(
                draw(st.sampled_from(["16", "3-4", "5", "2", "once", "twice"])),
                draw(st.sampled_from(["0", "10000", "-1", "1.5", "⅓", "99999999999", "twice"])),
            )
    return text


@BOUNDED
@given(mutated(SEED))
def test_mutated_monographs(text) -> None:
    try:
        ruleset = extract_rules(parse_monograph(text, "fuzz.md"))
    except PlannerError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for rule in ruleset.rules:
        assert rule.status is Status.NEEDS_REVIEW or rule.regimen is not None
        assert rule.status is Status.OK or rule.reasons
    plan_every_ok_rule(ruleset)


@BOUNDED
@given(st.text(max_size=2000))
@example("---\n---\n")
@example("---\ntitle: x\n---\n")
@example("## **Dosage**\n#### **Adults:**\n*   **X:** Apply twice daily for 2 weeks.\n")
@example("---\ntitle: x\n---\n## **Dosage**\n#### **Adults:**\n*   **X:** Take 1 g every 0 hours for 10000 weeks.\n")
def test_random_text_as_a_monograph(text) -> None:
    try:
        plan_every_ok_rule(extract_rules(parse_monograph(text, "fuzz.md")))
    except PlannerError:
        pass


WORDS = [
    "take",
    "apply",
    "once",
    "twice",
    "daily",
    "weekly",
    "every",
    "other",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "hours",
    "for",
    "up",
    "to",
    "then",
    "followed",
    "by",
    "on",
    "2",
    "3",
    "0",
    "7",
    "14",
    "28",
    "10000",
    "mg",
    "g",
    "a",
    "single",
    "dose",
    "doses",
    "times",
    "per",
    "apart",
    "-",
    "cycle",
    "off",
    "bedtime",
    "before",
    "breakfast",
    "or",
    "as",
    "directed",
    "consecutive",
    "total",
    "of",
    ",",
    ".",
]


@BOUNDED
@given(st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join))
def test_dosing_phrases_never_crash_and_ok_means_plannable(sentence) -> None:
    regimen, spans, reasons = read_regimen(sentence)
    assert (regimen is None) == bool(reasons)
    assert all(0 <= s.start <= s.end <= len(sentence) for s in spans)
    if regimen is not None:
        from planner.model import DosingRule, SourceRef

        rule = DosingRule("f", "F", "adults", Status.OK, regimen, SourceRef("f", "f", "adults", sentence))
        try:
            build_schedule(rule, dt.date(2026, 12, 1), Preferences(until=dt.date(2027, 6, 1)))
        except PlannerError as exc:
            assert "internal check failed" not in str(exc)


@BOUNDED
@given(mutated(RULES))
def test_mutated_rule_files(text) -> None:
    try:
        ruleset = load_rules(text, "fuzz.yaml")
    except PlannerError:
        return
    assert load_rules(dump_rules(ruleset)) == ruleset
    plan_every_ok_rule(ruleset)


@BOUNDED
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-5, 10**6) | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=30,
    )
)
def test_random_data_as_a_regimen(data) -> None:
    import json

    try:
        regimen = regimen_from_text(json.dumps(data))
    except PlannerError:
        return
    assert regimen.phases


@pytest.mark.parametrize("make", ["huge", "binary", "latin1", "empty"])
def test_hostile_files_are_refused_quickly(tmp_path, make) -> None:
    path = tmp_path / "x.md"
    if make == "huge":
        with open(path, "wb") as f:
            f.truncate(50 * 1024 * 1024)  # 50 MB, sparse: refused by size before reading
    elif make == "binary":
        path.write_bytes(bytes(range(256)) * 100)
    elif make == "latin1":
        path.write_bytes(SEED.replace("Imiquimod", "Imiquimöd").encode("latin-1"))
    else:
        path.write_bytes(b"")
    started = time.monotonic()
    with pytest.raises(PlannerError) as info:
        load_monograph(path)
    assert time.monotonic() - started < 5  # a bound against hangs, not a speed measurement
    assert "\n" not in str(info.value)
    if make == "huge":
        assert f"more than the {MAX_INPUT_BYTES:,} allowed" in str(info.value)


def test_read_text_names_the_file(tmp_path) -> None:
    with pytest.raises(PlannerError, match="x.md"):
        read_text(tmp_path / "x.md")


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1]\nb: *x\n",
        "- &x 1\n- *x\n",
        "a: [&x 1, *x]\n",
        "a: {k: &x 1, j: *x}\n",
        "a: !!str &x v\nb: *x\n",
        "? &x k\n: *x\n",
    ],
)
def test_every_alias_form_is_refused(text) -> None:
    import yaml

    from planner.read import safeyaml

    with pytest.raises(yaml.YAMLError, match="aliases"):
        safeyaml.load(text)


def test_deep_block_nesting_is_refused() -> None:
    import yaml

    from planner.read import safeyaml

    text = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v\n"
    with pytest.raises(yaml.YAMLError, match="nested deeper"):
        safeyaml.load(text)


CSV = (ROOT / "tests" / "data" / "batch" / "patients.csv").read_text()


@BOUNDED
@given(st.one_of(mutated(CSV), st.binary(max_size=500).map(lambda b: b.decode("latin-1"))))
def test_mutated_batch_csv(text) -> None:
    """The clinic CSV reader: a clear error for the file, or rows; each row a plan or a row error."""
    from planner.batch import plan_rows, read_rows

    try:
        rows = read_rows(text.encode("utf-8", "surrogatepass"), "fuzz.csv")
    except PlannerError as exc:
        assert "\n" not in str(exc)
        return
    for result in plan_rows(rows[:5], dt.datetime(2026, 11, 1, tzinfo=dt.UTC)):
        assert (result.data is None) == bool(result.error)
        assert "internal error" not in (result.error or "")
