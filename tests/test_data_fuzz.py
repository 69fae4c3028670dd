"""Property tests: read_csv gives a valid Dataset or a DataError with a message, whatever the bytes."""

import io

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logreg.data import (
    MAX_ABS_VALUE,
    MAX_CLASSES,
    MAX_FEATURES,
    DataError,
    Dataset,
    read_csv,
)

DELIMITERS = [",", ";", "\t", "|"]


def assert_valid_dataset(ds: Dataset) -> None:
    assert isinstance(ds, Dataset)
    n, d = ds.X.shape
    assert ds.X.dtype == np.float64 and ds.y.dtype == np.int64
    assert ds.y.shape == (n,)
    assert 1 <= d <= MAX_FEATURES and len(ds.feature_names) == d
    assert all(isinstance(f, str) for f in ds.feature_names)
    assert 2 <= ds.n_classes <= MAX_CLASSES
    assert np.all(np.isfinite(ds.X)) and np.all(np.abs(ds.X) <= MAX_ABS_VALUE)
    counts = np.bincount(ds.y, minlength=ds.n_classes)
    assert counts.shape == (ds.n_classes,) and counts.min() >= 2
    assert len(set(ds.class_names)) == ds.n_classes
    assert isinstance(ds.notes, tuple) and all(isinstance(s, str) and s for s in ds.notes)
    assert len(ds.content_hash) == 40


def check_outcome(source, **kwargs):
    """Call read_csv; accept only a valid Dataset or a planned DataError with a message."""
    try:
        ds = read_csv(source, **kwargs)
    except DataError as exc:
        message = str(exc)
        assert message.strip(), "DataError without a message"
        # The safety net in read_csv marks errors it did not plan for; those are bugs to fix.
        assert not getattr(exc, "_unexpected", False), f"unplanned error: {message}"
        return None
    assert_valid_dataset(ds)
    return ds


@given(st.binary(max_size=3000))
def test_random_bytes_give_dataset_or_data_error(data):
    check_outcome(data)


@given(st.binary(max_size=600), st.sampled_from([b"", b"\xef\xbb\xbf", b"a,b,c\n", b"x;y\n1;2\n"]))
def test_random_bytes_after_a_plausible_start(data, prefix):
    check_outcome(prefix + data)


special_cells = st.sampled_from(
    [
        "",
        " ",
        "NA",
        "nan",
        "?",
        "-",
        "inf",
        "-inf",
        "1e400",
        "1e13",
        "1,5",
        " 2,25 ",
        "1.234,5",
        "1,234.5",
        "True",
        "false",
        '"',
        '""',
        "'",
        "\u00e9t\u00e9",
        "\u4e2d\u6587",
        "\ufeff",
        "0x10",
        "  spaced  ",
        "#",
        "=1+1",
        "\\N",
    ]
)
plain_text = st.text(alphabet="abcdefgh XYZ_-.:\u00e9\u00fc\u4e2d", max_size=8)
nasty_text = st.one_of(
    st.text(alphabet="ab ,;:'\"\t|\r\n", max_size=6),
    st.text(max_size=6),
)
cells = st.one_of(
    st.integers(min_value=-5, max_value=5).map(str),
    st.integers(min_value=0, max_value=2).map(str),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-100, max_value=100).map(lambda f: f"{f:.3f}"),
    st.sampled_from(["a", "b", "c", "yes", "no"]),
    plain_text,
    special_cells,
    nasty_text,
)


@st.composite
def small_tables(draw):
    n_cols = draw(st.integers(min_value=1, max_value=6))
    n_rows = draw(st.integers(min_value=0, max_value=25))
    sep = draw(st.sampled_from(DELIMITERS))
    header = draw(
        st.one_of(
            st.lists(nasty_text, min_size=n_cols, max_size=n_cols),
            st.lists(plain_text, min_size=n_cols, max_size=n_cols),
            st.just([f"c{i}" for i in range(n_cols)]),
        )
    )
    ragged = draw(st.integers(0, 3)) == 0
    rows = []
    for _ in range(n_rows):
        width = n_cols + (draw(st.integers(-1, 1)) if ragged else 0)
        rows.append([draw(cells) for _ in range(max(width, 0))])
    # Often make the last column a small set of labels so many tables load.
    if draw(st.booleans()):
        labels = draw(
            st.lists(st.sampled_from(["x", "y", "z", "0", "1", " x "]), min_size=1, max_size=3)
        )
        for r in rows:
            if r:
                r[-1] = draw(st.sampled_from(labels))
    # And often make the other columns numeric.
    if draw(st.booleans()):
        for r in rows:
            for j in range(len(r) - 1):
                r[j] = draw(
                    st.one_of(
                        st.floats(-50, 50).map(lambda f: f"{f:.2f}"),
                        st.integers(0, 3).map(str),
                        special_cells,
                    )
                )
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [sep.join(header)] if draw(st.booleans()) or not rows else []
    lines += [sep.join(r) for r in rows]
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    return data, header


@given(small_tables(), st.data())
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_random_small_tables_give_dataset_or_data_error(table, data):
    raw, header = table
    target = data.draw(st.one_of(st.none(), st.sampled_from(header), st.text(max_size=4)))
    features = data.draw(
        st.one_of(st.none(), st.lists(st.sampled_from(header + ["nope"]), min_size=0, max_size=3))
    )
    source_kind = data.draw(st.sampled_from(["bytes", "binary file", "text file"]))
    if source_kind == "bytes":
        source = raw
    elif source_kind == "binary file":
        source = io.BytesIO(raw)
    else:
        source = io.StringIO(raw.decode("utf-8", errors="replace"))
    check_outcome(source, target=target, features=features)


@st.composite
def numeric_tables(draw):
    n_features = draw(st.integers(min_value=1, max_value=5))
    n_rows = draw(st.integers(min_value=4, max_value=40))
    values = draw(
        st.lists(
            st.lists(
                st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, width=64),
                min_size=n_features,
                max_size=n_features,
            ),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
    labels = [i % 2 for i in range(n_rows)]
    sep = draw(st.sampled_from(DELIMITERS))
    return np.array(values, dtype=np.float64), labels, sep


@given(numeric_tables())
def test_numeric_tables_round_trip_to_the_same_values(table):
    X, labels, sep = table
    names = [f"f{j}" for j in range(X.shape[1])]
    lines = [sep.join(names + ["label"])]
    lines += [sep.join([repr(float(v)) for v in row] + [str(lab)]) for row, lab in zip(X, labels)]
    raw = ("\n".join(lines) + "\n").encode()
    ds = check_outcome(raw)
    expected = pd.read_csv(io.BytesIO(raw), sep=sep)
    kept = [c for c in names if expected[c].nunique() > 1]  # constant columns are left out
    if not kept:
        assert ds is None
        return
    assert ds is not None
    assert ds.feature_names == tuple(kept)
    np.testing.assert_array_equal(ds.X, expected[kept].to_numpy(dtype=np.float64))
    assert ds.class_names == ("0", "1")
    np.testing.assert_array_equal(ds.y, expected["label"].to_numpy())
