"""Streamlit glue shared by the pages: settings, cached compute, data source, error boundary."""
