"""Entry point: `streamlit run app.py`. Routes to the pages and draws the shared sidebar."""

from pathlib import Path

import streamlit as st

from ui import lesson, presentation, sidebar, state

HERE = Path(__file__).parent

st.set_page_config(page_title="logreg playground", page_icon=":material/monitoring:", layout="wide")
state.init()
presentation.page_config()
presentation.page_style()

pages = [
    st.Page(HERE / "pages/home.py", title="Start here", icon=":material/home:", default=True),
    st.Page(HERE / "pages/data.py", title="Data", icon=":material/dataset:"),
    st.Page(HERE / "pages/train.py", title="Train", icon=":material/model_training:"),
    st.Page(HERE / "pages/threshold.py", title="Threshold", icon=":material/tune:"),
    st.Page(HERE / "pages/explain.py", title="Why: coefficients and paths",
            icon=":material/query_stats:"),
    st.Page(HERE / "pages/multiclass.py", title="Multiclass", icon=":material/category:"),
    st.Page(HERE / "pages/compare.py", title="Runs", icon=":material/compare:"),
    st.Page(HERE / "pages/about.py", title="About the math", icon=":material/menu_book:"),
]
page = st.navigation(pages)
state.note_page(page.url_path)
lesson.route(page.url_path)
with st.sidebar:
    presentation.toggle()
page.run()
# After the page: a page may change a setting while it runs (a threshold rule), and the summary
# must show the value the page used. It still appears under the page links.
sidebar.draw()
state.mirror_url()
