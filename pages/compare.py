"""Compare page: the Train page's model next to a variant with some settings changed."""

from dataclasses import replace

import streamlit as st

from logreg import figures
from ui import compute, runs, state
from ui.errors import guard

B_KEY = "compare_b"  # durable copy of the variant's settings (widget keys die on page switch)
PENALTIES = {"none": "none", "l2": "L2 (ridge)", "l1": "L1 (lasso)",
             "elasticnet": "elastic net"}


def variant_controls(base):
    """Controls for variant B, starting from A's settings; returns B's settings."""
    saved = st.session_state.setdefault(B_KEY, {})

    def current(name, fallback):
        key = f"cmp_{name}"
        st.session_state.setdefault(key, saved.get(name, fallback))
        return key

    c = st.columns(6)
    values = {
        "learning_rate": c[0].select_slider("Learning rate α", state.LEARNING_RATES,
                                            key=current("learning_rate", base.learning_rate)),
        "epochs": c[1].select_slider("Epochs", state.EPOCHS, key=current("epochs", base.epochs)),
        "batch_size": c[2].select_slider("Batch size", state.BATCH_SIZES,
                                         format_func=lambda b: "full" if b == 0 else str(b),
                                         key=current("batch_size", base.batch_size or 0)),
        "penalty": c[3].selectbox("Penalty", list(PENALTIES), format_func=PENALTIES.get,
                                  key=current("penalty", base.penalty)),
        "degree": c[5].slider("Polynomial degree", 1, 5, key=current("degree", base.degree)),
    }
    values["reg_strength"] = c[4].select_slider(
        "Penalty strength λ", state.REG_STRENGTHS, disabled=values["penalty"] == "none",
        key=current("reg_strength", base.reg_strength))
    st.session_state[B_KEY] = values
    return replace(base, **{**values, "batch_size": values["batch_size"] or None})


def boundary_column(ctx, run, key, label):
    for message in run.messages:
        st.warning(message, icon=":material/warning:")
    st.plotly_chart(compute.boundary_figure(key, run.model.n_iter_, state.get("threshold"), 120,
                                            run, subtitle=label),
                    width="stretch", key=f"cmp_boundary_{label}")
    val = run.model.history_.get("val_loss")
    st.metric("Final test log-loss" if val is not None else "Final training loss",
              f"{(val if val is not None else run.model.history_['data_loss'])[-1]:.3f}",
              help=f"{run.model.n_iter_:,} epochs in {run.seconds * 1000:.0f} ms.")


def show_both(ctx, run_settings):
    trained = {label: compute.train_binary(ctx.key_for(settings), ctx.positive, ctx.drawn,
                                           ctx.train, ctx.test, settings)
               for label, settings in run_settings.items()}
    for column, (label, run) in zip(st.columns(2), trained.items()):
        with column:
            boundary_column(ctx, run, ctx.key_for(run_settings[label]), label)
    st.plotly_chart(figures.compare_loss_figure(
        [(label, run.epochs, run.model.history_["data_loss"],
          run.model.history_.get("val_loss")) for label, run in trained.items()],
        title="Loss while training: A against B"), width="stretch", key="cmp_loss")


st.title("Compare")
st.write("Two models side by side on the same data: **A** uses your Train page settings, **B** "
         "the variant below. Change one thing for B and see what it does to the boundary and "
         "the loss.")

with guard("comparing the models"):
    ctx = runs.binary_context()
    if ctx is not None:
        with st.container(border=True):
            st.caption("Variant B (everything else as on the Train page)")
            variant = variant_controls(ctx.settings)
        run_settings = {"A: Train page settings": ctx.settings, "B: variant": variant}
        problems = {runs.settings_problem(settings) for settings in run_settings.values()} - {None}
        for problem in problems:
            st.warning(problem, icon=":material/warning:")
        if not problems:
            show_both(ctx, run_settings)
