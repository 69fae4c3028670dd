"""The predictions file's ``row`` is the row's number in the user's own file, so it joins back
to that file after rows with missing values were dropped (reference: pandas reading the file)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from logreg import data, exports, pipeline


def gappy_csv(n=120, seed=3) -> bytes:
    """Two numeric features, a text feature and a class; some cells empty in each feature column
    and in the class, a blank line in the middle (blank lines are not rows)."""
    rng = np.random.default_rng(seed)
    lines = ["age,income,region,bought"]
    for i in range(n):
        age, income = rng.integers(18, 80), rng.normal(50, 10)
        region = rng.choice(["north", "south", "east"])
        bought = "yes" if rng.random() < 0.2 + 0.01 * (age - 18) / 2 else "no"
        cells = [str(age), f"{income:.3f}", region, bought]
        if i % 7 == 3:
            cells[int(rng.integers(0, 4))] = ""  # a missing value somewhere in this row
        lines.append(",".join(cells))
        if i == 60:
            lines.append("")
    return ("\n".join(lines) + "\n").encode()


def _run(ds, test_size, seed):
    train, test = data.train_test_split(ds, test_size, seed)
    return pipeline.fit_binary(train.X, train.y, None if test is None else test.X,
                               None if test is None else test.y,
                               feature_names=ds.feature_names, class_names=ds.class_names,
                               settings=pipeline.TrainSettings(solver="newton", epochs=20))


@pytest.mark.parametrize("test_size", [0.25, 0.0])
def test_every_predictions_line_is_the_row_of_the_users_file_with_its_number(test_size):
    content = gappy_csv()
    ds = data.read_csv(content, target="bought")
    user = pd.read_csv(io.BytesIO(content))  # the analyst's own table, read independently
    user.index = np.arange(1, len(user) + 1)  # 1 = the first data row under the header
    complete = user.dropna()
    assert ds.n_samples == len(complete) < len(user)  # rows were dropped: the case that matters
    run = _run(ds, test_size, 8)
    text = exports.predictions_csv(run, 0.3, *exports.split_rows(ds, test_size, 8))
    assert "row" in text.splitlines()[0]
    lines = pd.read_csv(io.StringIO(text))
    assert lines["row"].tolist() == complete.index.tolist()  # each kept row once, in file order
    mine = user.loc[lines["row"]]
    np.testing.assert_allclose(lines["age"].to_numpy(), mine["age"].to_numpy(), rtol=0, atol=0)
    np.testing.assert_allclose(lines["income"].to_numpy(), mine["income"].to_numpy(), rtol=1e-15)
    for region in ("north", "south"):  # one-hot columns against the user's text column
        np.testing.assert_array_equal(lines[f"region={region}"].to_numpy(),
                                      (mine["region"] == region).to_numpy(dtype=float))
    assert (lines["true_class"].to_numpy() == mine["bought"].to_numpy()).all()


def test_a_file_with_no_dropped_row_and_generated_data_number_rows_one_to_n():
    ds = data.make_dataset("blobs", n_samples=80, random_state=2)
    assert ds.source_rows is None
    run = _run(ds, 0.25, 1)
    lines = pd.read_csv(io.StringIO(exports.predictions_csv(run, 0.5,
                                                            *exports.split_rows(ds, 0.25, 1))))
    assert lines["row"].tolist() == list(range(1, 81))
    np.testing.assert_array_equal(lines[list(ds.feature_names)].to_numpy(), ds.X)


def test_source_rows_survive_a_split_and_leaving_out_a_feature():
    from logreg import decisions

    ds = data.read_csv(gappy_csv(), target="bought")
    fewer = decisions.without_features(ds, ["income"])
    np.testing.assert_array_equal(fewer.source_rows, ds.source_rows)
    train, test = data.train_test_split(ds, 0.25, 8)
    both = np.sort(np.concatenate([train.file_rows(), test.file_rows()]))
    np.testing.assert_array_equal(both, ds.source_rows)
    # Equal values from other rows of the file are other data for a row-numbered export.
    import dataclasses
    moved = dataclasses.replace(ds, source_rows=ds.source_rows + 1)
    assert moved.content_hash != ds.content_hash
