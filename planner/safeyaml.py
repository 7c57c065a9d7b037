"""Parsing step one for YAML: text → plain data, safely, for monographs and rule files.

A safe loader (never constructs Python objects; tags such as ``!!python/object`` fail) that
also refuses what a trusted data file never needs: aliases (``&a`` / ``*a``, the "billion
laughs" expansion) and nesting deeper than ``MAX_DEPTH``.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_DEPTH = 32
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases and with a nesting limit (pure Python: it needs the hooks)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed here",
                                              event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels",
                                                  self.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s*&]", re.M)
_DEEP_INDENT = re.compile(rf"^ {{{2 * MAX_DEPTH},}}", re.M)


def _plain(text: str) -> bool:
    """Surely free of aliases and deep nesting: then libyaml's fast safe loader may read it."""
    return (not _ANCHOR_OR_ALIAS.search(text) and text.count("[") + text.count("{") < MAX_DEPTH
            and not _DEEP_INDENT.search(text))


def load(text: str) -> Any:
    """YAML text → plain data; raises ``yaml.YAMLError`` with a problem and a mark.

    Most files take the fast C loader (about ten times quicker); anything that might hold an
    alias or deep nesting takes the strict pure-Python one, which refuses both."""
    loader = _Base if _plain(text) else StrictLoader
    return yaml.load(text, Loader=loader)  # noqa: S506 - both are safe loaders
