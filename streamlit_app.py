"""The planner's web app: navigation over the pages in pages/, drawn by components/.

Run with `make run` (it listens on 127.0.0.1 only; see docs/app.md to expose it behind a
reverse proxy with authentication). No planning logic lives here or in pages/: components/
draws, planner/ plans. Nothing about the patient is stored on the server beyond the browser
session, and the .ics carries what is needed to re-open a course.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Dosing schedule planner", page_icon="💊", layout="wide")
page = st.navigation(
    [
        st.Page("pages/patient.py", title="Plan my course", icon=":material/calendar_month:", default=True),
        st.Page("pages/clinician.py", title="For clinicians", icon=":material/fact_check:"),
    ]
)
page.run()  # each page draws the disclaimer at its top and bottom (components.frame.framed)
