"""The error boundary every page runs inside: users see one clear message, never a traceback."""

from __future__ import annotations

import traceback
from contextlib import contextmanager

import streamlit as st


@contextmanager
def guard(doing: str):
    """Show ``logreg``'s ValueErrors (including DataError) as they are: they already say what is
    wrong and what to do. Anything else is a bug of ours: apologize, keep the details folded.

    Streamlit's own stop/rerun signals derive from BaseException and pass straight through.
    """
    try:
        yield
    except ValueError as exc:
        st.error(str(exc), icon=":material/warning:")
    except Exception:  # noqa: BLE001 - the page must stay usable whatever happens
        st.error(
            f"Sorry, something went wrong while {doing}. The rest of the app keeps working: "
            "try other settings, or reload the page.",
            icon=":material/sentiment_dissatisfied:",
        )
        with st.expander("Technical details"):
            st.code(traceback.format_exc(), language="text")
