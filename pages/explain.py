"""Why page: the coefficient table with uncertainty, the regularization path and the loss
surface with the solver's path (issue 15). Widgets and layout only: ui.why draws each section."""

import streamlit as st

from ui import runs, state, why
from ui.errors import guard

st.title("Why: coefficients and paths")
st.write("Why the model says what it says: how sure it is about each effect (in the units of "
         "your own columns), what the penalty strength does to the weights, and the way the "
         "solver took to get there.")

with guard("explaining the model"):
    ctx = runs.trainable_context()
    if ctx is not None:
        run = runs.binary_run(ctx)
        tabs = state.BY_NAME["why_view"].choices
        key = state.bind("why_view")["key"]

        def keep_view():
            # A click on the chosen view would leave none chosen: it stays chosen instead.
            if st.session_state[key]:
                state.put("why_view", st.session_state[key])
            else:
                st.session_state[key] = state.get("why_view")

        # A setting (in the page's link): a shared link opens on the same view.
        view = st.segmented_control("View", tabs, key=key, on_change=keep_view,
                                    label_visibility="collapsed") or state.get("why_view")
        if view == tabs[1]:
            why.path_section(run, ctx.key)
        elif view == tabs[2]:
            why.surface_section(run, ctx.key)
        else:
            why.coefficients_section(run, ctx.key)
