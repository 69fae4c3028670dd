"""Streamlit glue shared by the pages: settings, cached compute, data source, error boundary."""

import gc

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import logreg.figures  # noqa: F401  (with plotly, scikit-learn and pandas: see gc.freeze below)
import logreg.pipeline  # noqa: F401

# This package is imported once per server process, after the heavy libraries. Their objects
# (~165,000: modules, classes, functions) live as long as the server, yet every full garbage
# collection walked them all: ~110 ms, landing in some unlucky user's rerun. Frozen, they are
# left out of collections; the collector walks only what the app made since (~28,000). Collect
# first, so that no garbage is frozen with them.
gc.collect()
gc.freeze()

# Streamlit 1.67 quirk: while a `pages/` folder sits next to app.py, a fresh server process runs
# in the legacy multipage mode until app.py first calls st.navigation. If the very first visit
# opens a page URL directly (a shared link), the page would run without app.py: no settings from
# the URL, no sidebar. Every page imports this package, so switch the legacy mode off here and
# rerun: the rerun goes through app.py and lands on the same page with the same URL.
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
