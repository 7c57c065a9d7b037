"""What every page has: the title, the disclaimer at the top and the bottom, the privacy note."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from planner.errors import PlannerError
from planner.model import DISCLAIMER
from planner.words.markdown import escape_markdown

PRIVACY = (
    "Privacy: nothing you enter is stored on the server beyond this browser session. "
    "Plans are kept in memory for your session only and dropped when you close the tab."
)


def header() -> None:
    st.markdown("### Dosing schedule planner")  # small: the next dose must fit on a phone's first screen
    st.warning(DISCLAIMER)


def footer() -> None:
    st.divider()
    st.markdown(PRIVACY)  # body text, not a caption: captions fall below AA contrast
    st.markdown(DISCLAIMER)


def framed(body: Callable[[], None]) -> None:
    """A page between the header and the footer; a PlannerError the page missed is one message."""
    header()
    try:
        body()
    except PlannerError as exc:
        st.error(escape_markdown(str(exc)))
    footer()
