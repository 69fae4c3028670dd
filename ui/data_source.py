"""The dataset the pages work on, resolved from the settings (or the session's upload)."""

from __future__ import annotations

import re
from typing import Optional

import streamlit as st

from logreg.data import MULTICLASS_KINDS

from . import compute, state

UPLOAD_KEY = "upload_dataset"
UPLOAD_NAME_KEY = "upload_file_name"  # the uploaded file's name, as the user's computer has it


def current_dataset():
    """The chosen Dataset, or None when the source is "upload" and nothing is uploaded yet.

    Raises ``DataError`` (a ValueError) when the settings cannot make a dataset.
    """
    source = state.get("source")
    if source == "builtin":
        return compute.builtin(state.get("builtin"))
    if source == "upload":
        dataset = st.session_state.get(UPLOAD_KEY)
        name = st.session_state.get(UPLOAD_NAME_KEY)
        # The file's name is a setting (in the link), so a link can say which file to upload.
        if dataset is not None and name and state.get("upload_name") != name:
            state.put("upload_name", name)
        return dataset
    kind = state.get("kind")
    # Only some shapes have more than two classes; the others ignore the class count.
    n_classes = state.get("n_classes") if kind in MULTICLASS_KINDS else 2
    return compute.generated(kind, state.get("n_samples"), state.get("noise"), n_classes,
                             state.get("balance"), state.get("data_seed"))


def dataset_for(values: dict):
    """The Dataset that a set of saved settings names (a history entry's), or None.

    An upload can only be the file in this session now; the caller checks its content hash.
    """
    source = values.get("source")
    if source == "builtin":
        return compute.builtin(values["builtin"])
    if source == "upload":
        return st.session_state.get(UPLOAD_KEY)
    kind = values["kind"]
    n_classes = values["n_classes"] if kind in MULTICLASS_KINDS else 2
    return compute.generated(kind, values["n_samples"], values["noise"], n_classes,
                             values["balance"], values["data_seed"])


def current_split(dataset):
    """(train, test) Datasets; test is None when the test share is 0."""
    return compute.split(dataset.content_hash, state.get("test_size"), state.get("data_seed"),
                         dataset)


def positive_code(dataset) -> int:
    """Code of the class treated as positive on the binary pages (default: the last class)."""
    name = state.get("positive")
    names = [str(c) for c in dataset.class_names]
    return names.index(name) if name in names else len(names) - 1


def drawn_features(dataset) -> tuple:
    """Indices of the two features drawn on boundary plots.

    The user's choice where it names columns of this data; otherwise the pair that separates
    the classes best.
    """
    names = list(dataset.feature_names)
    if len(names) < 2:
        return (0, 0)
    best = compute.informative_pair(dataset.content_hash, dataset)
    i = names.index(state.get("feature_x")) if state.get("feature_x") in names else best[0]
    j = names.index(state.get("feature_y")) if state.get("feature_y") in names else best[1]
    if i == j:
        j = best[1] if best[1] != i else best[0]
    return (i, j)


def safe_file_name(name) -> str:
    """A file name from a link, shown as plain text: letters, digits and ``._-() `` only."""
    return re.sub(r"[^\w .()-]", "", str(name or ""))[:120].strip()


def require_dataset() -> Optional[object]:
    """The dataset, or None after telling the user how to get one (the caller then returns)."""
    dataset = current_dataset()
    if dataset is None:
        wanted = safe_file_name(state.get("upload_name"))
        if wanted:
            # A link to an uploaded-data state: links carry the settings and the file's name,
            # never the file.
            st.info(f"This view was made with an uploaded file, **{wanted}**. Files are not "
                    f"part of a link: upload {wanted} on the **Data** page to continue.",
                    icon=":material/upload_file:")
        else:
            st.info("No data yet: upload a CSV on the **Data** page, or pick a generated or "
                    "built-in set.")
        st.page_link("pages/data.py", label="Go to the Data page", icon=":material/dataset:")
    return dataset
