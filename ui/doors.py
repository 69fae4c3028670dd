"""The three ways in from the home page, and the one step that follows a door on another page."""

from __future__ import annotations

import streamlit as st

from . import state

# Set by the "threshold for my data" door; the Data page then points on to the Threshold page.
NEXT_KEY = "door_next"


def start_tour() -> None:
    """Guided tour: the lesson's first step (``ui/lesson.py`` reads the ``lesson`` setting)."""
    state.put("lesson", 1)
    st.session_state.pop(NEXT_KEY, None)


def explore() -> None:
    """Explore the settings: the Train page as it is, no tour."""
    state.put("lesson", 0)
    st.session_state.pop(NEXT_KEY, None)


def my_data() -> None:
    """Choose a threshold for my data: upload on the Data page, then the Threshold page."""
    state.put_many({"lesson": 0, "source": "upload"})
    st.session_state[NEXT_KEY] = "threshold"


def next_step(dataset) -> None:
    """On the Data page, after the "my data" door: once a file is loaded, the way on."""
    if st.session_state.get(NEXT_KEY) != "threshold" or dataset is None:
        return
    if state.get("source") != "upload":
        return
    st.page_link("pages/threshold.py", label="Next: choose a threshold for this data",
                 icon=":material/arrow_forward:")
