"""Text from a file or a user made safe for a markdown sink (the app's pages, the clinician's
highlighted sentence). Its own module: every escaped sink imports this, and nothing else.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]<>()#+-.!|~$:&@=\"'^%")
# GFM autolinks are found in the text after escapes are undone (mdast-util-gfm-autolink-literal),
# so a backslash cannot stop "https://", "www." or "a@b.c": an invisible word joiner does.
_AUTOLINK = re.compile(r"(?i)(https?|www|ftp|mailto)(?=[:.])|(?=@)")
WORD_JOINER = "\u2060"


def escape_markdown(text: str) -> str:
    """Text from a file or a user, safe in any Streamlit markdown sink: every markdown, HTML,
    directive (``:red[...]``, ``:material/…:``) character is escaped, autolinks are broken with
    an invisible word joiner, and line breaks become spaces, so the text cannot start a heading,
    a link or an image."""
    text = _AUTOLINK.sub(lambda m: (m.group(1) or "") + WORD_JOINER, text)
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else " " if c in "\r\n" else c for c in text)
