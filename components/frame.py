"""What every page has: the title, the disclaimer at the top and the bottom, the privacy note."""

from __future__ import annotations

import streamlit as st

from planner.model import DISCLAIMER

PRIVACY = (
    "Privacy: nothing you enter is stored on the server beyond this browser session. "
    "Plans are kept in memory for your session only and dropped when you close the tab."
)


def header() -> None:
    st.title("Dosing schedule planner")
    st.warning(DISCLAIMER)


def footer() -> None:
    st.divider()
    st.markdown(PRIVACY)  # body text, not a caption: captions fall below AA contrast
    st.markdown(DISCLAIMER)
