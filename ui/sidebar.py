"""The sidebar every page shares: what data and which model settings are in use right now."""

from __future__ import annotations

import streamlit as st

from logreg.data import describe
from logreg.decisions import threshold_text

from . import data_source, glossary, presets, state

_PENALTY_WORDS = {"none": "no penalty", "l2": "L2", "l1": "L1", "elasticnet": "elastic net"}


def model_summary() -> str:
    """One line per setting, in words."""
    batch = state.get("batch_size")
    if state.get("solver") == "newton":  # it uses neither the learning rate nor the batch size
        steps = [f"**Iterations:** {state.get('epochs'):,} (learning rate and batch size are "
                 "not used by Newton)"]
    else:
        steps = [f"**Learning rate:** {state.get('learning_rate'):g} · **epochs:** "
                 f"{state.get('epochs'):,}", f"**Batch:** {'full' if batch == 0 else batch}"]
    if state.get("stop_early"):
        steps.append("**Stop early:** at convergence")
    lines = [
        f"**Solver:** {'gradient descent' if state.get('solver') == 'gd' else 'Newton'}",
        *steps,
        f"**Penalty:** {_PENALTY_WORDS[state.get('penalty')]}"
        + ("" if state.get("penalty") == "none" else f" (λ = {state.get('reg_strength'):g})"),
        f"**Polynomial degree:** {state.get('degree')}",
        f"**Threshold:** {threshold_text(state.get('threshold'))}"
        + ("" if state.get("rule") == "slider" else " (set by a rule on the Threshold page)"),
    ]
    return "  \n".join(lines)


def draw() -> None:
    with st.sidebar:
        st.markdown("### Now using")
        try:
            dataset = data_source.current_dataset()
        except ValueError as exc:
            dataset = None
            st.caption(f"Data: not available ({exc})")
        if dataset is not None:
            st.markdown(f"**Data:** {dataset.name}  \n{describe(dataset)}")
        elif state.get("source") == "upload":
            st.caption("Data: upload a CSV on the Data page.")
        st.markdown(model_summary())
        st.button("Start over with the default settings", on_click=state.reset_all,
                  icon=":material/restart_alt:",
                  help=glossary.tip(presets.start_over_help()))
        st.divider()
        st.page_link("pages/about.py", label="The math and a glossary", icon=":material/menu_book:")
