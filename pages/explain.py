"""Why page: the coefficient table with uncertainty, the regularization path and the loss
surface with the solver's path (issue 15). Widgets and layout only: ui.why draws each section."""

import streamlit as st

from ui import runs, why
from ui.errors import guard

st.title("Why: coefficients and paths")
st.write("Why the model says what it says: how sure it is about each effect (in the units of "
         "your own columns), what the penalty strength does to the weights, and the way the "
         "solver took to get there.")

with guard("explaining the model"):
    ctx = runs.trainable_context()
    if ctx is not None:
        run = runs.binary_run(ctx)
        tabs = ("Coefficients", "Penalty path", "Loss surface")
        view = st.segmented_control("View", tabs, default=tabs[0], key="why_view",
                                    label_visibility="collapsed")
        if view == tabs[1]:
            why.path_section(run, ctx.key)
        elif view == tabs[2]:
            why.surface_section(run, ctx.key)
        else:
            why.coefficients_section(run, ctx.key)
