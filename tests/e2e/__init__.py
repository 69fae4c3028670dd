"""Real-browser tests (Playwright + Debian chromium) against `streamlit run app.py`."""
