"""Parsing step one for YAML: text → plain data, safely, for monographs and rule files.

A safe loader (never constructs Python objects; tags such as ``!!python/object`` fail) that
also refuses what a trusted data file never needs: aliases (``&a`` / ``*a``, the "billion
laughs" expansion) and nesting deeper than ``MAX_DEPTH``. libyaml composes the node graph
once (in C, and it stops at its own nesting limit of 1,000, so the stack is safe); the graph
is checked, then the same nodes become data. An alias is the one way a node is reached
twice, so identity finds it; only then are the events read again, to name the first
problem's line. One parse instead of an event pass plus a load: the text is scanned once,
which is most of the cost.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 32
_Safe: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse(problem: str, mark: yaml.Mark) -> yaml.YAMLError:
    return yaml.composer.ComposerError(None, None, problem, mark)


def _is_safe(root: yaml.Node) -> bool:
    """No node reached twice (an alias), no collection nested deeper than ``MAX_DEPTH``."""
    seen: set[int] = set()
    todo = [(root, 1)]
    while todo:
        node, depth = todo.pop()
        if id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > MAX_DEPTH:
            return False
        children = (n for pair in node.value for n in pair) if isinstance(node, yaml.MappingNode) else node.value
        todo.extend((child, depth + 1) for child in children)
    return True


def _first_problem(text: str) -> yaml.YAMLError:
    """The first alias or too-deep collection in document order, with its own mark (error path only)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Safe):
        if isinstance(event, yaml.AliasEvent):
            return _refuse("aliases (*name) are not allowed here", event.start_mark)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return _refuse(f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    raise AssertionError("an unsafe node graph with no alias or deep collection")  # pragma: no cover


def load(text: str) -> Any:
    """YAML text → plain data; raises ``yaml.YAMLError`` with a problem and a mark."""
    loader = _Safe(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if not _is_safe(node):
            raise _first_problem(text)
        return loader.construct_document(node)
    finally:
        loader.dispose()
