"""First-screen layout of the pages (issue 13 item 1): a chart at the height its page chose,
with its legend under the plot still clear of the x axis when it wraps into more rows.

Pages pass :func:`fit` as ``reshape=`` to :func:`ui.presentation.chart`.
"""

from __future__ import annotations

import math

from logreg._figure_style import LEGEND_ROWS_PX, legend_below_y, legend_gap_px

# What one row of a horizontal legend (13 px entries) takes from the plot, in px, as measured
# in the browser (a 4-row legend takes about 124 px).
LEGEND_ROW_PX = 32
# Traces that never show in a legend unless asked to.
NO_LEGEND = {"heatmap", "contour", "image", "histogram2d"}


def _legend_below(legend: dict) -> bool:
    return (legend.get("orientation") == "h" and legend.get("yanchor") == "top"
            and isinstance(legend.get("y"), (int, float)) and legend["y"] < 0)


def legend_items(spec: dict) -> int:
    """How many entries a figure dict's legend shows."""
    return sum(1 for t in spec.get("data") or []
               if t.get("name") and (t.get("showlegend") is True or (
                   t.get("showlegend") is None and t.get("type") not in NO_LEGEND)))


def fit(height: int, per_row: float | None = None):
    """A ``reshape`` giving a figure dict ``height`` px, and its legend under the plot (if any)
    the figure's own gap under the axis when it wraps to ``per_row`` entries a row (in the
    narrowest column the page puts it in, 1280x720 with the sidebar open; None: two rows).

    Plotly shrinks the plot area for every legend row and places the legend in fractions of
    that area, so each extra row pulls a legend placed for two rows up towards the axis title.
    """
    def reshape(spec: dict) -> dict:
        layout = dict(spec.get("layout") or {})
        legend = layout.get("legend") or {}
        if _legend_below(legend):
            margin = layout.get("margin") or {}
            rows = 0 if per_row is None else math.ceil(legend_items(spec) / per_row)
            # logreg._figure_style allows LEGEND_ROWS_PX for the legend; the rest is extra.
            extra = max(0, rows * LEGEND_ROW_PX - LEGEND_ROWS_PX)
            layout["legend"] = {**legend, "y": legend_below_y(
                height, margin.get("t", 70) + extra, margin.get("b", 60),
                legend_gap_px(layout))}
        layout["height"] = int(height)
        return {**spec, "layout": layout}
    return reshape
