"""Parsing step one for YAML: text → plain data, safely, for monographs and rule files.

A safe loader (never constructs Python objects; tags such as ``!!python/object`` fail) that
also refuses what a trusted data file never needs: aliases (``&a`` / ``*a``, the "billion
laughs" expansion) and nesting deeper than ``MAX_DEPTH``. libyaml composes the node graph
once, in C (it stops at its own nesting limit of 1,000, so the stack is safe). One walk of
the nodes then checks them and builds the data: an alias is the one way a node is reached
twice, so identity finds it, and only then are the events read again, to name the first
problem's line. Plain strings, lists and dicts are built in the walk; every other node
(numbers, dates, ``!!set``, merge keys ``<<``) goes to PyYAML's own safe constructor, so
the data is exactly what ``yaml.safe_load`` gives (a property test holds it to that).
Building it here rather than through PyYAML's general constructor is about three times
faster, which the extraction budget needs (issue 7).
"""

from __future__ import annotations

import binascii
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 32
_Safe: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_SPECIAL_KEYS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}  # "<<" and "=" reshape a mapping


class _Unsafe(Exception):
    """An alias or a too-deep collection; ``load`` finds the first one for the message."""


def _refuse(problem: str, mark: Any) -> yaml.YAMLError:
    # Any: PyYAML's pure and C marks (yaml.Mark, yaml._yaml.Mark) share no type in the stubs.
    return yaml.composer.ComposerError(None, None, problem, mark)


def _duplicate(key: Any, first: yaml.Mark, again: yaml.Mark) -> yaml.YAMLError:
    """A key given twice in one mapping: PyYAML keeps the last value in silence; we refuse it,
    at the second one's line (issue 16, item 13)."""
    return yaml.constructor.ConstructorError(
        "while constructing a mapping", first, f"found duplicate key {key!r} (first on line {first.line + 1})", again
    )


class _Builder:
    def __init__(self, loader: Any, anchored: bool) -> None:
        self.loader = loader
        # An alias names an anchor ("&a"; one naming none fails composing): without an "&" in
        # the text no node is reached twice, and a scalar, which cannot nest, needs no visit.
        self.anchored = anchored
        self.seen: set[int] = set()

    def visit(self, node: Node, depth: int) -> None:
        if self.anchored:
            if id(node) in self.seen:
                raise _Unsafe
            self.seen.add(id(node))
        if type(node) is not ScalarNode and depth > MAX_DEPTH:
            raise _Unsafe

    def build(self, node: Node, depth: int) -> Any:
        kind, tag = type(node), node.tag
        if self.anchored or kind is not ScalarNode:
            self.visit(node, depth)
        if kind is ScalarNode:
            # construct_document, not construct_object: it also runs PyYAML's pending steps, so
            # "!!seq abc" fails as in yaml.safe_load instead of loading as an empty list
            return node.value if tag == _STR else self.construct(node)
        if kind is SequenceNode and tag == _SEQ:
            return [self.build(item, depth + 1) for item in node.value]
        if kind is MappingNode and tag == _MAP and not any(k.tag in _SPECIAL_KEYS for k, _ in node.value):
            mapping: dict[Any, Any] = {}
            marks: dict[Any, yaml.Mark] = {}
            for key_node, value_node in node.value:
                key, value = self.build(key_node, depth + 1), self.build(value_node, depth + 1)
                try:
                    first = marks.setdefault(key, key_node.start_mark)
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                    ) from None
                if first is not key_node.start_mark:
                    raise _duplicate(key, first, key_node.start_mark)
                mapping[key] = value
            return mapping
        self.check_below(node, depth)  # a tagged or merged collection: checked here, built by PyYAML
        return self.construct(node)

    def construct(self, node: Node) -> Any:
        """PyYAML's safe constructor, whose own errors for a bad value ("!!int x") are not YAML
        errors: they become one, with the value's line."""
        try:
            return self.loader.construct_document(node)
        except (ValueError, KeyError, TypeError, OverflowError, binascii.Error) as exc:
            tag = node.tag.rpartition(":")[2]
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{node.value if isinstance(node.value, str) else 'this value'!r} cannot be read "
                f"as !!{tag} ({type(exc).__name__})",
                node.start_mark,
            ) from None

    def check(self, node: Node, depth: int) -> None:
        self.visit(node, depth)
        self.check_below(node, depth)

    def check_below(self, node: Node, depth: int) -> None:
        if type(node) is MappingNode:  # a tagged or merged mapping: its own keys still once each
            marks: dict[tuple[str, str], yaml.Mark] = {}
            for key_node, _ in node.value:
                if type(key_node) is ScalarNode and key_node.tag not in _SPECIAL_KEYS:
                    first = marks.setdefault((key_node.tag, key_node.value), key_node.start_mark)
                    if first is not key_node.start_mark:
                        raise _duplicate(key_node.value, first, key_node.start_mark)
        if type(node) is not ScalarNode:
            for child in node.value:  # nodes, or (key, value) pairs of a mapping
                for grandchild in child if isinstance(child, tuple) else (child,):
                    self.check(grandchild, depth + 1)


def _first_problem(text: str) -> yaml.YAMLError | None:
    """The first alias or too-deep collection in document order, with its own mark; a syntax
    error met first is raised as it is. Read only on the error path."""
    depth = 0
    for event in yaml.parse(text, Loader=_Safe):
        if isinstance(event, yaml.AliasEvent):
            return _refuse("aliases (*name) are not allowed here", event.start_mark)
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return _refuse(f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
    return None


def load(text: str) -> Any:
    """YAML text → plain data; raises ``yaml.YAMLError`` with a problem and a mark.

    Errors come in document order, as one pass over the events would find them: composing
    stops at a syntax error (or at libyaml's own depth limit) that may lie after an alias or
    a too-deep collection, so on any failure the events are read again up to the first one."""
    loader = _Safe(text)
    try:
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            return _Builder(loader, anchored="&" in text).build(node, 1)
        except (_Unsafe, yaml.YAMLError, RecursionError) as failure:  # RecursionError: pure-Python composer
            first = _first_problem(text)
            if first is not None:
                raise first from None
            if isinstance(failure, _Unsafe):  # pragma: no cover - identity found what the events did not
                raise AssertionError("an unsafe node graph with no alias or deep collection") from None
            raise
    finally:
        loader.dispose()
