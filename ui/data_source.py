"""The dataset the pages work on, resolved from the settings (or the session's upload)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path
from typing import Optional

import streamlit as st

from logreg import data as lrdata
from logreg import exports
from logreg.data import MULTICLASS_KINDS

from . import compute, state

UPLOAD_KEY = "upload_dataset"
UPLOAD_NAME_KEY = "upload_file_name"  # the uploaded file's name, as the user's computer has it


def features_out() -> list:
    """Names of the features the user left out on the Data page (the ``features_out`` setting)."""
    text = state.get("features_out")
    return [name for name in text.split(",") if name] if text else []


def current_dataset():
    """The chosen Dataset without the features the user left out, or None when the source is
    "upload" and nothing is uploaded yet.

    Raises ``DataError`` (a ValueError) when the settings cannot make a dataset.
    """
    dataset = full_dataset()
    out = features_out()
    if dataset is None or not out:
        return dataset
    return _leave_out(dataset, out, state.get("source"))


def _leave_out(dataset, out, source):
    """``dataset`` without the features named in ``out``. An upload is read again without the
    left-out columns, so their empty cells no longer drop rows (see :func:`upload_without`)."""
    if source == "upload":
        dataset, out = upload_without(dataset, out)
        if not out:
            return dataset
    return compute.without_features(dataset.content_hash, tuple(out), dataset)


def full_dataset():
    """The chosen Dataset with every feature (see :func:`current_dataset`)."""
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
        dataset = compute.builtin(values["builtin"])
    elif source == "upload":
        dataset = st.session_state.get(UPLOAD_KEY)
    else:
        kind = values["kind"]
        n_classes = values["n_classes"] if kind in MULTICLASS_KINDS else 2
        dataset = compute.generated(kind, values["n_samples"], values["noise"], n_classes,
                                    values["balance"], values["data_seed"])
    out = [n for n in (values.get("features_out") or "").split(",") if n]
    if dataset is None or not out:
        return dataset
    return _leave_out(dataset, out, source)


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


def require_dataset(*, on_data_page: bool = False) -> Optional[object]:
    """The dataset, or None after telling the user how to get one (the caller then returns).

    On the Data page itself the way is the uploader beside the message, not a link to the page
    the user is on.
    """
    dataset = current_dataset()
    if dataset is None:
        wanted = safe_file_name(state.get("upload_name"))
        where = "in the box on the right" if on_data_page else "on the **Data** page"
        if wanted:
            # A link to an uploaded-data state: links carry the settings and the file's name,
            # never the file.
            st.info(f"This view was made with an uploaded file, **{wanted}**. Files are not "
                    f"part of a link: upload {wanted} {where} to continue.",
                    icon=":material/upload_file:")
        elif on_data_page and st.session_state.get("upload_file") is not None:
            st.info("No data yet: the file could not be used as it is. The message on the "
                    "right says what to change.", icon=":material/upload_file:")
        else:
            st.info(f"No data yet: upload a CSV {where}, or pick a generated or built-in set.")
        if not on_data_page:
            st.page_link("pages/data.py", label="Go to the Data page", icon=":material/dataset:")
    return dataset


def predictions_file(dataset, run, threshold):
    """A callable that builds the predictions CSV of every row (for a download button).

    The settings are read now: the callable runs later, outside the script run, when the button
    is clicked.
    """
    test_size, seed = state.get("test_size"), state.get("data_seed")

    def build() -> str:
        train_rows, test_rows = exports.split_rows(dataset, test_size, seed)
        return exports.predictions_csv(run, threshold, train_rows, test_rows)

    return build


# ---- uploads: parsed once per browser session, kept in that session's state only -------------
# Not in st.cache_data: that cache is shared by every session of the server process and outlives
# the session, while the uploader's help promises the file is held for this session only.
_PARSED_KEY = "upload_parsed"
_SOURCE_KEY = "upload_source"      # (content, file name, target) of the last file read whole
_REREAD_KEY = "upload_reread"      # {(digest, target, features): Dataset}, the last few re-reads
_REREADS_KEPT = 4  # the pages' data and a few Runs entries with other left-out columns


def _digest(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def upload_columns(content: bytes) -> list:
    """Column names of an upload, for the target picker ([] when the file cannot be read)."""
    cached = st.session_state.get("upload_columns")
    key = _digest(content)
    if cached is None or cached[0] != key:
        try:
            columns = list(lrdata.csv_columns(content))
        except ValueError:
            columns = []
        cached = st.session_state["upload_columns"] = (key, columns)
    return cached[1]


def parse_upload(content: bytes, name: str, target):
    """The upload as a Dataset named after the file; raises DataError (a ValueError) when it is
    not a usable table. Parsed once per (content, target) in this session."""
    key = (_digest(content), name, target)
    cached = st.session_state.get(_PARSED_KEY)
    if cached is not None and cached[0] == key:
        return cached[1]
    with st.spinner("Reading the file..."):
        dataset = lrdata.read_csv(content, target=target or None)
    dataset = dataclasses.replace(dataset, name=Path(name).stem or dataset.name)
    st.session_state[_PARSED_KEY] = (key, dataset)
    st.session_state[_SOURCE_KEY] = (content, name, target)
    return dataset


def upload_without(full, out):
    """The upload ``full`` read again without the file's columns named in ``out``.

    ``read_csv`` drops every row with an empty cell in a column it uses, so leaving out a column
    with many empty cells after reading would keep those rows lost. Returns ``(dataset, rest)``:
    the re-read dataset (named as ``full``, with a note saying what was left out and how many
    rows that kept) and the names in ``out`` that are not whole columns of the file (one-hot
    columns such as ``color=red``), still to be removed. ``(full, out)`` when the file is not
    this session's or no name in ``out`` is a column used from it.
    """
    plan = _reread_plan(full, out)
    if plan is None:
        return full, list(out)
    content, target, whole, keep = plan
    key = (_digest(content), target, tuple(keep))
    store = st.session_state.setdefault(_REREAD_KEY, {})
    if key not in store:
        try:
            with st.spinner("Reading the file again without the left-out columns..."):
                again = lrdata.read_csv(content, target=target or None, features=keep)
        except ValueError:
            return full, list(out)
        listed = ", ".join(f"'{c}'" for c in whole)
        note = f"Left out on the Data page: {listed}."
        if again.n_samples > full.n_samples:
            its = "Its" if len(whole) == 1 else "Their"
            note = (f"Left out on the Data page: {listed}. {its} empty cells no longer drop rows: "
                    f"{again.n_samples:,} rows are used instead of {full.n_samples:,}.")
        # The first read's notes still true (a left-out ID column, a decimal comma), then this
        # read's own (it may still drop rows, for other columns).
        kept = [n for n in full.notes if n not in again.notes and not n.startswith("Dropped ")
                and not any(f"'{c}'" in n for c in whole)]
        while len(store) >= _REREADS_KEPT:
            store.pop(next(iter(store)))
        store[key] = dataclasses.replace(again, name=full.name,
                                         notes=tuple(kept) + tuple(again.notes) + (note,))
    return store[key], [n for n in out if n not in whole]


def _reread_plan(full, out):
    """``(content, target, whole, keep)`` to read the upload ``full`` again: ``whole`` the file's
    columns in ``out``, ``keep`` the other columns the first read used (file order). None when
    ``full`` is not this session's last read file or nothing in ``out`` is a whole column."""
    source = st.session_state.get(_SOURCE_KEY)
    parsed = st.session_state.get(_PARSED_KEY)
    if source is None or parsed is None or parsed[1].content_hash != full.content_hash:
        return None
    content, _name, target = source
    names = set(full.feature_names)
    # The file's columns the first read used: a feature itself, or the text column of its
    # one-hot columns ("color" of "color=red"). The target and columns it left out stay out.
    used = [c for c in upload_columns(content)
            if c in names or any(f.startswith(f"{c}=") for f in names)]
    whole = [c for c in used if c in out]
    keep = [c for c in used if c not in out]
    if not whole or not keep:
        return None
    return content, target, whole, keep


def reread_features() -> Optional[list]:
    """The file's columns the current upload was re-read with (:func:`upload_without`), in the
    file's order; None when the data on the pages is not such a re-read."""
    if state.get("source") != "upload" or not features_out():
        return None
    full = full_dataset()
    if full is None:
        return None
    again, _rest = upload_without(full, features_out())
    plan = _reread_plan(full, features_out())
    return None if again is full or plan is None else list(plan[3])
