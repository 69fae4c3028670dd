"""The guided tour: an ordered story of steps, each setting the data and controls and saying,
from the run on screen, what to look at.

The step is the ``lesson`` setting (0 = no tour), so ``?lesson=k`` in the address opens step k and
a copied link opens the same step. A step's settings are applied when it is entered (Back / Next,
or a link); afterwards the controls are the user's, and the sentences, built by
``logreg.lesson_text`` from the run, describe whatever is on screen.

Pages call three functions: ``route(page)`` in app.py (opens a linked step, moves to the page a
step lives on), ``slot(page)`` at the top of a page (the tour panel, or the demo notice's place)
and ``explain_binary`` / ``explain_multiclass`` once the run is there.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Optional

import streamlit as st

from logreg import lesson_text as text

from . import compute, glossary, presets, state

PAGE_FILES = {"train": "pages/train.py", "multiclass": "pages/multiclass.py"}
PAGE_WORDS = {"train": "Train", "multiclass": "Multiclass"}
APPLIED = "_lesson_applied"   # the step whose settings this session applied last
GOTO = "_lesson_goto"         # the page a just-entered step lives on
ROUTED = "_lesson_routed"     # set after the session's first run

# Every setting a step pins, so each step is the same whatever came before it.
_BASE = dict(source="generate", kind="moons", n_samples=400, noise=0.2, n_classes=2,
             balance=0.5, data_seed=0, builtin="breast_cancer", standardize=True,
             test_size=0.25, learning_rate=0.5, epochs=200, batch_size=0, solver="gd",
             penalty="none", reg_strength=0.01, l1_ratio=0.5, degree=1, init="zeros",
             train_seed=0, positive="", feature_x="", feature_y="", threshold=0.5,
             rule="slider", cost_fp=1.0, cost_fn=5.0, compare_softmax=False, ovr_class="",
             stop_early=False)
_OVERFIT = dict(_BASE, n_samples=60, noise=0.35, test_size=0.5, degree=5, epochs=2000)


@dataclass(frozen=True)
class Step:
    """One stop of the tour.

    ``explain(run, threshold, other)`` builds the sentences from the run on screen; ``other`` is
    a second run with ``compare`` changed (``TrainSettings`` fields) that the text compares with,
    or None. ``try_this`` is an invitation without numbers or claims.
    """

    title: str
    settings: dict
    explain: Callable
    try_this: str = ""
    page: str = "train"
    compare: Optional[dict] = None
    focus: tuple = ()   # the settings this step is about: the controls presentation mode keeps


def _cost_sentence(run, threshold, other):
    return text.threshold_cost(run, threshold, state.get("cost_fp"), state.get("cost_fn"))


STEPS = (
    Step("A boundary and a probability",
         dict(_BASE, kind="linear", noise=0.3),
         lambda r, t, o: text.boundary_and_probability(r, t),
         "Hover over the plot to read the probability at any spot.",
         focus=("threshold",)),
    Step("Learning rate too small",
         dict(_BASE, learning_rate=0.001),
         lambda r, t, o: text.learning_rate(r, t),
         "Look at the loss curve: how steep is it at the end?",
         focus=("learning_rate",)),
    Step("Learning rate about right",
         dict(_BASE, learning_rate=0.5),
         lambda r, t, o: text.learning_rate(r, t),
         "Only the learning rate changed since the last step.",
         focus=("learning_rate",)),
    Step("Learning rate too big",
         dict(_BASE, learning_rate=100.0),
         lambda r, t, o: text.learning_rate(r, t),
         "Only the learning rate changed again. Then try 10 or 30.",
         focus=("learning_rate",)),
    Step("Epochs: how long to train",
         dict(_BASE, epochs=10),
         lambda r, t, o: text.epochs(r, t),
         "Move the Epochs slider to the right and watch the loss curve grow.",
         focus=("epochs",)),
    Step("A curved boundary from polynomial terms",
         dict(_BASE, kind="circles", noise=0.1, epochs=300, degree=2),
         lambda r, t, o: text.curved_boundary(r, t, o),
         "Set the polynomial degree back to 1 and watch the boundary.",
         compare=dict(degree=1),
         focus=("degree",)),
    Step("Overfitting: learning the noise",
         _OVERFIT,
         lambda r, t, o: text.overfitting(r, t),
         "Compare the training and test loss curves.",
         focus=("degree", "epochs")),
    Step("L2 penalty: weights shrink",
         dict(_OVERFIT, penalty="l2", reg_strength=0.01),
         lambda r, t, o: text.l2_shrinks(r, t, o),
         "Move λ up and down and watch the weights chart.",
         compare=dict(penalty="none"),
         focus=("penalty", "reg_strength")),
    Step("L1 penalty: weights become zero",
         # Settings that finish (converged, stopped early): the zeros of the finished model.
         dict(_BASE, source="builtin", builtin="breast_cancer", learning_rate=3.0, epochs=1000,
              stop_early=True, penalty="l1", reg_strength=0.03),
         lambda r, t, o: text.l1_zeros(r, t),
         "Raise λ to keep even fewer features.",
         focus=("penalty", "reg_strength")),
    Step("A rare class",
         dict(_BASE, kind="blobs", noise=0.6, balance=0.1),
         lambda r, t, o: text.rare_class(r, t),
         "Count the points of the rare class on the wrong side of the line.",
         focus=("threshold",)),
    Step("Moving the threshold: the cost of a miss",
         dict(_BASE, kind="blobs", noise=0.6, balance=0.1, threshold=0.2),
         _cost_sentence,
         "Move the threshold T and watch the line move.",
         focus=("threshold",)),
    Step("Three classes: one yes/no model per class",
         dict(_BASE, source="builtin", builtin="iris", ovr_class="versicolor"),
         lambda ovr, soft: text.one_vs_rest(ovr),
         "Below the regions, pick another class to see its own model alone.",
         page="multiclass", focus=("ovr_class",)),
    Step("Softmax: all classes in one model",
         dict(_BASE, source="builtin", builtin="iris", compare_softmax=True),
         lambda ovr, soft: text.softmax_comparison(ovr, soft) if soft is not None
         else text.one_vs_rest(ovr),
         "Compare the two region maps side by side.",
         page="multiclass", focus=("compare_softmax",)),
)


def focus() -> tuple:
    """Names of the settings the current step is about (empty when the tour is off)."""
    k = current()
    return STEPS[k - 1].focus if k else ()


def on_page(page: str) -> bool:
    """True when the current step lives on ``page``."""
    k = current()
    return bool(k) and STEPS[k - 1].page == page


def current() -> int:
    """The step on screen, 1..len(STEPS), or 0 when the tour is off."""
    return min(int(state.get("lesson")), len(STEPS))


def apply(k: int, keep=()) -> None:
    """Enter step ``k``: its settings (except the names in ``keep``), the step itself, and the
    page it lives on. ``k = 0`` leaves the tour. Safe as a button callback."""
    if k <= 0:
        state.put("lesson", 0)
        st.session_state[APPLIED] = 0
        return
    step = STEPS[k - 1]
    state.put_many({n: v for n, v in step.settings.items() if n not in keep and n in state.BY_NAME})
    state.put("lesson", k)
    st.session_state[APPLIED] = k
    st.session_state[GOTO] = step.page
    st.session_state.pop(presets.NOTICE_KEY, None)  # one story at a time


def route(page_path: str) -> None:
    """Call in app.py after ``st.navigation``: open a step named in the address, and follow a
    step to its page."""
    k = current()
    first_run = not st.session_state.get(ROUTED)
    st.session_state[ROUTED] = True
    if k and st.session_state.get(APPLIED) != k:
        # A link (or a typed ?lesson=k) opening the session: the step's settings, then whatever
        # else the link says. Later (a button that set the step), the step's settings alone:
        # the address then only mirrors the settings the step replaces.
        apply(k, keep=set(st.query_params) - {"lesson"} if first_run else ())
    goto = st.session_state.pop(GOTO, None)
    if goto and goto != page_path:
        st.switch_page(PAGE_FILES[goto])


def _changed(step: Step) -> list:
    return [n for n, v in step.settings.items() if n in state.BY_NAME and state.get(n) != v]


def slot(page: str, compact: bool = False):
    """Draw the tour panel (when a step is on) at the top of ``page``; return the place its
    sentences (or a demo's notice) go. ``compact``: laid out for a narrow column beside a plot
    (the title on its own line, then Back and Next)."""
    k = current()
    if not k:
        return st.empty()
    step = STEPS[k - 1]
    n = len(STEPS)
    box = st.container(border=True, key="lesson_panel")
    with box:
        if compact:
            st.markdown(f"**Guided tour · step {k} of {n}: {step.title}**")
            back, nxt, _ = st.columns([1, 1, 0.2], vertical_alignment="center")
        else:
            head, back, nxt = st.columns([5, 1, 1], vertical_alignment="center")
            head.markdown(f"**Guided tour · step {k} of {n}: {step.title}**")
        back.button("Back", key="lesson_back", icon=":material/arrow_back:", disabled=k <= 1,
                    on_click=apply, args=(k - 1,), width="stretch")
        last = k >= n  # the last step's button ends the tour, so the story has an end
        nxt.button("Finish" if last else "Next", key="lesson_next", type="primary",
                   icon=":material/check:" if last else ":material/arrow_forward:",
                   on_click=apply, args=(0 if last else k + 1,), width="stretch",
                   help="Leave the tour; the settings stay as they are." if last else None)
        if step.page != page:
            st.write(f"This step is on the {PAGE_WORDS[step.page]} page.")
            st.page_link(PAGE_FILES[step.page], label=f"Go to the {PAGE_WORDS[step.page]} page",
                         icon=":material/arrow_forward:")
            place = None
        else:
            place = st.empty()
        hint, restore, leave = (st.container(), st.container(), st.container()) if compact \
            else st.columns([5, 1, 1], vertical_alignment="center")
        changed = _changed(step) if place is not None else []
        if changed:
            hint.caption("You changed some of this step's settings; the text describes what is "
                         "on screen now.")
            restore.button("Restore", key="lesson_restore", type="tertiary", on_click=apply,
                           args=(k,), icon=":material/undo:",
                           help=glossary.tip("Put back this step's settings."))
        elif step.try_this and place is not None:
            hint.caption(step.try_this)
        leave.button("Exit tour", key="lesson_exit", type="tertiary", on_click=apply, args=(0,),
                     width="stretch", help=glossary.tip("Leave the tour; the settings stay as they are."))
    return place


def _other_run(ctx, step: Step):
    if not step.compare:
        return None
    settings = dataclasses.replace(ctx.settings, **step.compare)
    if settings == ctx.settings:
        return None
    return compute.train_binary(ctx.key_for(settings), ctx.positive, ctx.drawn, ctx.train,
                                ctx.test, settings)


def explain_binary(place, ctx, run, threshold: float) -> None:
    """Fill ``place`` (from ``slot``) with the step's sentences, or the demo's notice."""
    if place is None:
        return
    k = current()
    if not k:
        notice = presets.notice(run, threshold)
        if notice:
            place.info(notice, icon=":material/visibility:")
        return
    step = STEPS[k - 1]
    if step.explain is not None:
        place.markdown(step.explain(run, threshold, _other_run(ctx, step)))


def explain_multiclass(place, ovr, softmax=None) -> None:
    """Fill ``place`` (from ``slot``) with a multiclass step's sentences."""
    if place is None or not current():
        return
    place.markdown(STEPS[current() - 1].explain(ovr, softmax))
