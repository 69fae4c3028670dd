"""The predictions table offered for download: every row of the data, in the data's order.

Its ``row`` column is the row's number in the user's own file (1 = the first data row under the
header), so the table joins back to that file even after rows with missing values were dropped.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from .data import Dataset, train_test_split
from .io import _cell

__all__ = ["split_rows", "predictions_csv"]


def split_rows(dataset: Dataset, test_size, random_state):
    """The source rows of the training and test rows, in the order
    :func:`logreg.data.train_test_split` returns them with the same arguments.

    A source row is the row's 0-based position among the data rows of the file it was read from
    (``dataset.file_rows()``: a row dropped for missing values leaves a gap); for generated and
    built-in data, its position in ``dataset``. The split depends only on the labels and the seed,
    so splitting a copy whose one feature is the source row gives them. Returns
    ``(train_rows, test_rows)``; test_rows is None when the test share is 0.
    """
    numbered = Dataset(X=dataset.file_rows().astype(np.float64)[:, None], y=dataset.y,
                       feature_names=("row",), class_names=dataset.class_names)
    train, test = train_test_split(numbered, test_size=test_size, random_state=random_state)
    rows = lambda part: part.X[:, 0].astype(np.int64)  # noqa: E731
    return rows(train), None if test is None else rows(test)


def predictions_csv(run, threshold: float, train_rows, test_rows=None) -> str:
    """All rows with their split, the threshold used, both scores and the predicted class.

    Parameters
    ----------
    run : logreg.pipeline.BinaryRun
    threshold : float in [0, 1]; ``class_names[1]`` is predicted where its probability >= it.
    train_rows, test_rows : int arrays, the 0-based source rows of the run's training and test
        rows (from :func:`split_rows`); test_rows None when there is no test set.

    Returns
    -------
    str
        CSV with header ``row, split, features..., true_class, threshold, p_<neg>, p_<pos>,
        predicted_class``; ``row`` is the row's number in the user's file (1 = the first data
        row under the header, blank lines not counted; rows dropped for missing values are
        absent, so numbers can skip), lines are sorted by it. Numbers
        at full precision; text a spreadsheet would run as a formula gets a leading ``'``.
    """
    t = float(threshold)
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"threshold must be a number from 0 to 1; got {threshold!r}.")
    parts = [("train", np.asarray(train_rows), run.X_train, run.y_train, run.p_train)]
    if test_rows is not None and run.X_test is not None:
        parts.append(("test", np.asarray(test_rows), run.X_test, run.y_test, run.p_test))
    for name, rows, X, y, p in parts:
        if not (len(rows) == len(X) == len(y) == len(p)):
            raise ValueError(f"{len(rows)} row numbers for {len(y)} {name} rows.")
    rows = np.concatenate([r for _, r, *_ in parts])
    split = np.concatenate([np.full(len(r), name, dtype=object) for name, r, *_ in parts])
    X = np.vstack([part[2] for part in parts])
    y = np.concatenate([part[3] for part in parts])
    p = np.concatenate([part[4] for part in parts])
    order = np.argsort(rows, kind="stable")
    neg, pos = (str(c) for c in run.class_names)
    header = (["row", "split"] + list(run.feature_names)
              + ["true_class", "threshold", f"p_{neg}", f"p_{pos}", "predicted_class"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_cell(str(h)) for h in header])
    for i in order:
        score = float(p[i])
        writer.writerow([int(rows[i]) + 1, split[i]] + [_cell(v) for v in X[i]]
                        + [_cell(pos if y[i] == 1 else neg), _cell(t), _cell(1.0 - score),
                           _cell(score), _cell(pos if score >= t else neg)])
    return out.getvalue()
