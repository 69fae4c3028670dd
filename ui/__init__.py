"""Streamlit glue shared by the pages: settings, cached compute, data source, error boundary."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# Streamlit 1.67 quirk: while a `pages/` folder sits next to app.py, a fresh server process runs
# in the legacy multipage mode until app.py first calls st.navigation. If the very first visit
# opens a page URL directly (a shared link), the page would run without app.py: no settings from
# the URL, no sidebar. Every page imports this package, so switch the legacy mode off here and
# rerun: the rerun goes through app.py and lands on the same page with the same URL.
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
