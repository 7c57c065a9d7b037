"""The monograph reader splits the front matter itself; python-frontmatter defines the format.

``monograph._loads`` replaces ``frontmatter.loads`` by its few steps. These tests hold it to
``frontmatter.loads`` with a handler that only swaps in our safe YAML loader (python-frontmatter's
own boundary split, its own ``Post``): the same metadata and content, or the same error. Where
python-frontmatter fails with a ``TypeError`` (a key that ``Post(content, handler, **metadata)``
cannot take as a keyword), ours refuses the YAML instead, which the reader reports as a
``MonographError`` (exit 2).
"""

from __future__ import annotations

from typing import Any

import frontmatter
import pytest
import yaml
from frontmatter.default_handlers import YAMLHandler
from helpers import DATA, ROOT
from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner.read import safeyaml
from planner.read.monograph import _loads


class _SafeYAMLOnly(YAMLHandler):
    """python-frontmatter's handler as it is, but for the loader (ours refuses aliases)."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return safeyaml.load(fm)


def outcome(call: Any, text: str) -> tuple[str, object]:
    try:
        return "ok", call(text)
    except TypeError:
        return "not a keyword", None
    except (yaml.YAMLError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


def reference(text: str) -> tuple[dict[str, Any], str]:
    post = frontmatter.loads(text, handler=_SafeYAMLOnly())
    return post.metadata, post.content


def assert_same(text: str) -> None:
    ours, theirs = outcome(_loads, text), outcome(reference, text)
    if theirs[0] == "not a keyword":
        assert ours[0] == "ConstructorError", (text, ours)
        assert "key" in str(ours[1])
    else:
        assert ours == theirs, text


pieces = st.sampled_from(
    [
        "---",
        "----",
        "--- ",
        "---\t",
        " ---",
        "-- -",
        "title: Foo",
        "title: ''",
        "description: a --- b",
        "1: x",
        "null: x",
        "content: x",
        "self: x",
        "handler: x",
        "metadata: x",
        "- a list",
        "a: &x 1",
        "b: *x",
        "[",
        "# Dosage",
        "* bullet",
        "",
        " ",
        "text",
    ]
)
breaks = st.sampled_from(["\n", "\r\n", "\r", "\r\r\n", "\n\n", " \n"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(pieces, breaks), max_size=12))
    lead = draw(st.sampled_from(["", " ", "\n", "\r\n", "\ufeff", "x\n"]))
    return lead + "".join(piece + brk for piece, brk in parts)


@settings(max_examples=3000, deadline=None)
@given(texts())
@example("---\r\r\ntitle: Foo\r\r\n---\r\r\nbody\r\r\n")
@example("---\ncontent: x\n---\n")
@example("---\n0: x\ntitle: Foo\n---\n")
def test_our_split_gives_what_frontmatter_loads_gives(text: str) -> None:
    assert_same(text)


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "monographs").glob("*.md")) + sorted((DATA / "monographs").rglob("*.md")),
    ids=lambda p: p.name,
)
def test_every_monograph_we_hold_splits_as_frontmatter_splits_it(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert_same(text)
    assert_same(text.replace("\n", "\r\n"))
