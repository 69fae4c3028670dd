"""Compare page: the Train page's model next to a variant with one or two settings changed."""

from dataclasses import replace

import streamlit as st

from logreg import figures
from ui import compute, runs, state
from ui.errors import guard

B_KEY = "compare_b"  # durable copy of the variant's settings (widget keys die on page switch)
B_FIELDS = {
    "learning_rate": ("Learning rate α", state.LEARNING_RATES),
    "epochs": ("Epochs", state.EPOCHS),
    "reg_strength": ("Penalty strength λ", state.REG_STRENGTHS),
    "degree": ("Polynomial degree", (1, 2, 3, 4, 5)),
    "batch_size": ("Batch size (0 = full)", state.BATCH_SIZES),
}
PENALTIES = ("none", "l2", "l1", "elasticnet")


def variant_controls(base):
    saved = st.session_state.setdefault(B_KEY, {})
    cols = st.columns(len(B_FIELDS) + 1)
    values = {}
    for col, (name, (label, options)) in zip(cols, B_FIELDS.items()):
        current = saved.get(name, getattr(base, name) if name != "batch_size" else
                            (base.batch_size or 0))
        values[name] = col.select_slider(label, options, value=current, key=f"cmp_{name}")
    values["penalty"] = cols[-1].selectbox("Penalty", PENALTIES,
                                           index=PENALTIES.index(saved.get("penalty",
                                                                           base.penalty)),
                                           key="cmp_penalty")
    st.session_state[B_KEY] = values
    return replace(base, **{**values, "batch_size": values["batch_size"] or None})


def column(ctx, settings, label):
    key = ctx.key_for(settings)
    run = compute.train_binary(key, ctx.positive, ctx.drawn, ctx.train, ctx.test, settings)
    for message in run.messages:
        st.warning(message, icon=":material/warning:")
    st.plotly_chart(compute.boundary_figure(key, run.model.n_iter_, state.get("threshold"), 120,
                                            run, subtitle=label),
                    width="stretch", key=f"cmp_boundary_{label}")
    history = run.model.history_
    st.plotly_chart(figures.loss_figure(run.epochs, history["data_loss"],
                                        val_loss=history.get("val_loss"),
                                        title=f"Loss: {label}"),
                    width="stretch", key=f"cmp_loss_{label}")
    val = history.get("val_loss")
    st.metric("Final test log-loss" if val is not None else "Final training loss",
              f"{(val if val is not None else history['data_loss'])[-1]:.3f}")


st.title("Compare")
st.write("Two models side by side on the same data: on the left your Train page settings, on "
         "the right a variant. Change one thing on the right and see what it does.")

with guard("comparing the models"):
    ctx = runs.binary_context()
    if ctx is not None:
        with st.container(border=True):
            st.caption("Variant settings (everything else as on the Train page)")
            variant = variant_controls(ctx.settings)
        left, right = st.columns(2)
        with left:
            column(ctx, ctx.settings, "A: Train page settings")
        with right:
            column(ctx, variant, "B: variant")
