"""The strict YAML loader: the same data as ``yaml.safe_load`` for every document it accepts,
and a refusal, with the line, for aliases and deep nesting."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.read import safeyaml

SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def outcome(load, text: str) -> tuple:
    try:
        return ("data", load(text))
    except yaml.YAMLError as exc:
        return ("error", type(exc).__name__, str(exc))


def reference(text: str) -> object:
    return yaml.load(text, Loader=SAFE)  # noqa: S506 - a safe loader


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [1, 2.5, true, null, 2020-01-01, 'x', ~, 0x1f, .inf]\n",
        "<<: {a: 1}\nb: 2\n",
        "m:\n  <<: [{a: 1}, {b: 2}]\n  a: 3\n",  # merge keys
        "s: !!set {a, b}\n",
        "o: !!omap [a: 1, b: 2]\n",
        "p: !!pairs [a: 1, a: 2]\n",
        "b: !!binary aGVsbG8=\n",
        "t: 2001-12-14t21:59:43.10-05:00\n",
        "= : x\n",
        "x: !!str 12\n",
        "x: !!int '12'\n",
        "x: !!float 1\n",
        "? [1]\n: x\n",
        "? {a: 1}\n: x\n",
        "{1: 2, 1.5: 3, null: 4, false: 5}",
        "x: !!python/object:os.system x\n",
        "x: !custom 1",
        "",
        "# only a comment\n",
        "--- 1\n--- 2\n",
        "[1, [2, [3, {a: [4]}]]]",
        "plain",
        "a: |\n  two\n  lines\n",
        "a: >-\n  folded\n  text\n",
        "a: !!seq abc\n",
        "a: !!map abc\n",
        "a: !!set abc\n",
        "a: !!omap abc\n",
        "!!seq abc",
        "a: !!seq abc\nb: {<<: {c: 1}}\n",
        "a: !!timestamp 2020-01-01\n",
        "a: !!bool yes\n",
    ],
)
def test_same_data_or_error_as_safe_load(text) -> None:
    assert outcome(safeyaml.load, text) == outcome(reference, text)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(timezones=st.just(dt.UTC)),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([None, True, False]))
def test_generated_documents_load_as_safe_load(data, flow) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    assert outcome(safeyaml.load, text) == outcome(reference, text)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &x [1]\nb: *x\n", 2),
        ("- &x 1\n- 2\n- *x\n", 3),
        ("a:\n  b: !!set {? &k k}\n  c: *k\n", 3),
    ],
)
def test_an_alias_is_refused_at_its_own_line(text, line) -> None:
    with pytest.raises(yaml.YAMLError, match="aliases") as info:
        safeyaml.load(text)
    assert info.value.problem_mark.line + 1 == line


def test_nesting_is_bounded_and_the_first_too_deep_collection_is_named() -> None:
    ok = "[" * safeyaml.MAX_DEPTH + "]" * safeyaml.MAX_DEPTH
    assert safeyaml.load(ok) == reference(ok)
    deep = "a: 1\nb: " + "[" * (safeyaml.MAX_DEPTH + 1) + "]" * (safeyaml.MAX_DEPTH + 1) + "\n"
    with pytest.raises(yaml.YAMLError, match="nested deeper") as info:
        safeyaml.load(deep)
    assert info.value.problem_mark.line == 1


def test_a_very_deep_document_is_refused_not_a_crash() -> None:
    with pytest.raises(yaml.YAMLError):
        safeyaml.load("[" * 100_000)


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("a: &x 1\nb: *x\nc: [\n", "aliases", 2),  # the alias comes before the syntax error
        ("a:\n" + "".join(" " * i + "-\n" for i in range(1, 1002)), "nested deeper", 33),  # past libyaml's 1,000
    ],
)
def test_the_first_problem_in_document_order_is_named(text, problem, line) -> None:
    with pytest.raises(yaml.YAMLError, match=problem) as info:
        safeyaml.load(text)
    assert info.value.problem_mark.line + 1 == line


def test_a_collection_tag_on_a_scalar_never_empties_a_rules_warnings() -> None:
    """'warnings: !!seq Do not …' once loaded as an empty list: a rule file without its warnings."""
    with pytest.raises(yaml.YAMLError, match="expected a sequence node"):
        safeyaml.load("drug: x\nwarnings: !!seq Do not take it daily\n")


@pytest.mark.parametrize(
    "text",
    [
        "a: !!int x\n",
        "a: !!bool maybe\n",
        "a: !!timestamp 2020-13-45\n",
        "a: !!float abc\n",
        "a: !!int 99999999999999999999999e9\n",
    ],
)
def test_a_value_its_tag_cannot_read_is_a_yaml_error_with_its_line(text) -> None:
    """yaml.safe_load raises ValueError or KeyError here, which the rule loader would not catch."""
    with pytest.raises(yaml.YAMLError, match="cannot be read as") as info:
        safeyaml.load(text)
    assert info.value.problem_mark.line == 0
