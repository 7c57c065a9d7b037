"""The month calendar: one small Vega-Lite picture a month, three to a row on a wide screen and
one column on a phone (Streamlit stacks columns below 640 px), each as wide as its column."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import streamlit as st

from planner.model import WEEKDAY_NAMES, Schedule
from planner.words.calendar import calendar_cells, calendar_legend

TODAY_STROKE = "#000000"
TEXT = "#1f1f1f"  # on the light cells; white on the dark ones: both above 4.5:1


def _spec(legend: list[tuple[str, str, str]], days: list[str], month: str, show_legend: bool) -> dict[str, Any]:
    position = {
        "x": {"field": "weekday", "type": "ordinal", "sort": days, "axis": None},
        "y": {"field": "week", "type": "ordinal", "axis": None},
    }
    colour: dict[str, Any] = {
        "field": "kind",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [label for _, label, _ in legend], "range": [c for _, _, c in legend]},
        "legend": {
            "orient": "bottom",
            "direction": "vertical",
            "labelLimit": 300,
            "labelFontSize": 13,
            "labelColor": TEXT,
            "symbolStrokeColor": "#767676",
        }
        if show_legend
        else None,
    }
    return {
        "height": 7 * 30 + (24 * len(legend) + 16 if show_legend else 0),  # autosize fits the legend in
        "title": {"text": month, "anchor": "start", "fontSize": 15, "color": TEXT},
        "config": {"view": {"stroke": None}, "background": "#ffffff"},
        "layer": [
            {
                "transform": [{"filter": "datum.week >= 0"}],
                "mark": {"type": "rect", "stroke": "#767676", "strokeWidth": 0.5},
                "encoding": {
                    **position,
                    "color": colour,
                    "tooltip": [
                        {"field": "date", "title": "Date"},
                        {"field": "kind", "title": "Day"},
                        {"field": "doses", "title": "Doses"},
                    ],
                },
            },
            {
                "transform": [{"filter": "datum.today"}],
                "mark": {"type": "rect", "fill": None, "stroke": TODAY_STROKE, "strokeWidth": 3},
                "encoding": position,
            },
            {
                "mark": {"type": "text", "fontSize": 13},
                "encoding": {
                    **position,
                    "text": {"field": "text"},
                    "color": {"condition": {"test": "datum.dark", "value": "#ffffff"}, "value": TEXT},
                    "fontWeight": {"condition": {"test": "datum.today", "value": "bold"}, "value": "normal"},
                },
            },
        ],
    }


def calendar_picture(schedule: Schedule, key: str, today: dt.date) -> None:
    cells = calendar_cells(schedule)
    if not cells:
        return
    legend = calendar_legend(schedule)
    days = [name[:2] for name in WEEKDAY_NAMES]
    months: dict[str, list[dict[str, Any]]] = {}
    for c in cells:
        months.setdefault(c["month"], []).append({**c, "text": str(c["day"]), "today": c["date"] == today.isoformat()})
    names = list(months)
    if any(c["today"] for rows in months.values() for c in rows):
        st.markdown("Today has a black outline.")
    for row in range(0, len(names), 3):
        columns = st.columns(3)
        for offset, name in enumerate(names[row : row + 3]):
            blank = dict.fromkeys(months[name][0])  # every column of a day, so Arrow keeps them all
            heads = [
                {**blank, "month": name, "week": -1, "weekday": d, "text": d, "dark": False, "today": False}
                for d in days
            ]
            with columns[offset]:
                st.vega_lite_chart(
                    # an Arrow table built directly: through pandas, five charts cost ~90 ms a rerun
                    pa.Table.from_pylist(heads + months[name]),
                    _spec(legend, days, name, show_legend=row + offset == 0),
                    theme=None,
                    width="stretch",
                    key=f"{key}-calendar-{row + offset}",
                    alt=f"Calendar of {name}: the dose days of this course",
                )
