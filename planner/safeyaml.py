"""Parsing step one for YAML: text → plain data, safely, for monographs and rule files.

A safe loader (never constructs Python objects; tags such as ``!!python/object`` fail) that
also refuses what a trusted data file never needs: aliases (``&a`` / ``*a``, the "billion
laughs" expansion) and nesting deeper than ``MAX_DEPTH``. The events of libyaml's parser are
checked first (it is iterative, so deep nesting cannot exhaust the stack), then libyaml's
safe loader builds the data: about ten times faster than the pure-Python loader.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 32
_Safe: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _refuse(problem: str, event: Any) -> yaml.YAMLError:
    return yaml.composer.ComposerError(None, None, problem, event.start_mark)


def load(text: str) -> Any:
    """YAML text → plain data; raises ``yaml.YAMLError`` with a problem and a mark."""
    depth = 0
    for event in yaml.parse(text, Loader=_Safe):
        if isinstance(event, yaml.AliasEvent):
            raise _refuse("aliases (*name) are not allowed here", event)
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise _refuse(f"nested deeper than {MAX_DEPTH} levels", event)
        elif isinstance(event, _CLOSE):
            depth -= 1
    return yaml.load(text, Loader=_Safe)  # noqa: S506 - a safe loader
