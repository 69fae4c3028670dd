"""Every kind of figure the app draws, twice: in Streamlit's chart theme and flat.

``themed_<name>``: the figure as the builders make it, ``st.plotly_chart``'s default theme.
``flat_<name>``: the same figure through ``ui.chart_look.flat``, ``theme=None`` (how the app sends
it). With ``?bare=1`` also ``bare_<name>``: without the template and the theme. tests/e2e/test_chart_look.py compares what plotly draws for the two;
scripts/capture_streamlit_look.py reads the theme's look from a themed chart.

Run: .venv/bin/python -m streamlit run tests/e2e/look_app.py
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import streamlit as st  # noqa: E402

from logreg import figures_why, metrics, pipeline  # noqa: E402
from logreg.data import make_dataset, train_test_split  # noqa: E402
from logreg.replay_figure import replay_frame_epochs, training_replay_figure  # noqa: E402
from tests.test_figures import build_all, sample_data  # noqa: E402
from ui import chart_look  # noqa: E402
from ui.presentation import _StyledFigure  # noqa: E402


@st.cache_resource
def figures() -> dict:
    """name -> figure: every builder of tests/test_figures.py, the Threshold page's cost and
    calibration charts, the penalty path and the Train page's figure."""
    d = sample_data()
    out = build_all(d)
    curve = metrics.expected_cost_curve(d["y"], d["p"], 1.0, 5.0)
    out["cost_curve"] = figures_why.cost_curve_figure(
        curve["thresholds"], curve["cost"], best_threshold=curve["best_threshold"],
        best_cost=curve["best_cost"], current=0.5,
        current_cost=float(metrics.expected_cost(d["y"], d["p"], 0.5, 1.0, 5.0)),
        set_words="test set")
    out["calibration"] = figures_why.reliability_figure(
        metrics.calibration_bins(d["y"], d["p"], 10), metrics.brier_score(d["y"], d["p"]),
        target="class 1", n_bins=10)
    strengths = np.logspace(-4, 1, 12)
    out["path"] = figures_why.path_figure(
        strengths, np.outer(1 / (1 + strengths), [1.5, -0.8, 0.3]), ["x1", "x2", "x1 x2"],
        current=0.01)
    data = make_dataset("moons", n_samples=300, noise=0.2, random_state=0)
    train, test = train_test_split(data, test_size=0.25, random_state=0)
    run = pipeline.fit_binary(train.X, train.y, test.X, test.y,
                              feature_names=train.feature_names, class_names=train.class_names,
                              settings=pipeline.TrainSettings(epochs=60))
    epochs = replay_frame_epochs(run.model.n_iter_)
    xs, ys, probas = pipeline.boundary_grid(run, epochs=list(epochs), resolution=80)
    h = run.model.history_
    out["replay"] = training_replay_figure(
        xs, ys, probas, epochs, h["data_loss"][epochs], h["coef"][epochs], h["intercept"][epochs],
        run.X_train, run.y_train, class_names=run.class_names, feature_names=run.feature_names,
        weight_names=list(run.features.names), loss_epochs=run.epochs, train_loss=h["data_loss"],
        val_loss=h.get("val_loss"), X_test=run.X_test, y_test=run.y_test, p_train=run.p_train,
        p_test=run.p_test, threshold=0.5)
    return out


st.set_page_config(layout="wide")
only = st.query_params.get("only")
for name, fig in figures().items():
    if only and name != only:
        continue
    st.plotly_chart(fig, key=f"themed_{name}")
    st.plotly_chart(_StyledFigure(chart_look.flat(fig.to_dict())), key=f"flat_{name}", theme=None)
    if st.query_params.get("bare"):
        # The same figure without the look (no template, no theme): what it must not look like.
        bare = fig.to_dict()
        bare["layout"] = {k: v for k, v in bare["layout"].items() if k != "template"}
        st.plotly_chart(_StyledFigure(bare), key=f"bare_{name}", theme=None)
