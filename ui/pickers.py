"""Pickers several pages share: which two features to draw, which class is positive."""

from __future__ import annotations

import streamlit as st

from . import glossary, state


def _copy_to_setting(widget_key: str, setting: str) -> None:
    state.put(setting, st.session_state[widget_key])


def _seed(key: str, value) -> None:
    """Show the current setting: it may have changed while this widget was not drawn."""
    if st.session_state.get(key) != value:
        st.session_state[key] = value


def axis_pickers(dataset, drawn, page: str, columns=None) -> None:
    """Two selectboxes for the drawn features (only when there are more than two).

    Each page keeps its own widget keys (a widget's key dies when its page is not shown); the
    choice itself is the shared ``feature_x`` / ``feature_y`` setting.
    """
    if dataset.n_features <= 2:
        return
    names = list(dataset.feature_names)
    left, right = columns if columns is not None else st.columns(2)
    for col, label, setting, index in ((left, "Horizontal axis", "feature_x", drawn[0]),
                                       (right, "Vertical axis", "feature_y", drawn[1])):
        key = f"{page}_{setting}"
        _seed(key, names[index])
        col.selectbox(label, names, key=key, on_change=_copy_to_setting,
                      args=(key, setting),
                      help=glossary.tip("Which two features to draw. The others are held at their mean."))


def positive_picker(dataset, positive: int, page: str, column=None) -> None:
    """Selectbox of the class treated as positive (only for more than two classes)."""
    if dataset.n_classes <= 2:
        return
    key = f"{page}_positive"
    _seed(key, dataset.class_names[positive])
    (column or st).selectbox("Positive class", list(dataset.class_names), key=key, on_change=_copy_to_setting, args=(key, "positive"),
                             help=glossary.tip("This page trains this class against all the others. The "
                                  "Multiclass page trains them all."))
