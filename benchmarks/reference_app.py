"""The minimal Streamlit app bench_browser.py compares the playground with (issue 14).

One slider, one 200 x 200 probability heatmap and the same points as the app's default data
(moons, noise 0.2, seed 0, a quarter held back as test points), drawn with a plain ``go.Figure``.
Each slider step moves the heatmap, so every step sends and redraws the whole figure: what the
simplest Streamlit app with this plot costs. ``?n=10000`` sets the number of points.

Run: .venv/bin/python -m streamlit run benchmarks/reference_app.py
"""

import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from logreg.data import make_dataset  # noqa: E402  (the same points as the app)

n = int(st.query_params.get("n", 400))
data = make_dataset("moons", n_samples=n, noise=0.2, random_state=0)
X, y = data.X, data.y
shift = st.slider("Shift", 0.0, 1.0, 0.5, step=0.01)

xs = np.linspace(X[:, 0].min(), X[:, 0].max(), 200)
ys = np.linspace(X[:, 1].min(), X[:, 1].max(), 200)
gx, gy = np.meshgrid(xs, ys)
proba = 1.0 / (1.0 + np.exp(-(2.0 * (gx - shift) - 3.0 * gy)))

fig = go.Figure()
fig.add_trace(go.Heatmap(x=xs, y=ys, z=proba, zmin=0, zmax=1, colorscale="RdBu"))
for m in (0, 1):
    fig.add_trace(go.Scatter(x=X[y == m, 0], y=X[y == m, 1], mode="markers", name=f"class {m}"))
fig.update_layout(title=f"Reference · shift {shift:.2f}", height=520)
st.plotly_chart(fig, key="reference_chart")
