"""Entry point: `streamlit run app.py`. Routes to the pages; placeholder until the app issue lands."""
import streamlit as st

st.set_page_config(page_title="logreg playground", layout="wide")
st.title("logreg playground")
st.write("See logistic regression learn. The pages arrive with the app issue.")
