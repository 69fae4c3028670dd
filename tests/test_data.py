"""Tests for logreg.data: Dataset, generators, built-in sets, read_csv, standardize and splitting."""

import dataclasses
import io
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from logreg.data import (
    BUILTIN_NAMES,
    DATASET_KINDS,
    DATASETS,
    MAX_ABS_VALUE,
    MAX_CLASSES,
    MAX_FEATURES,
    DataError,
    Dataset,
    describe,
    load_builtin,
    make_dataset,
    read_csv,
    standardize,
    train_test_split,
)

DATA = Path(__file__).parent / "data"


def small_dataset(n_per_class=(3, 3), name="toy"):
    y = np.repeat(np.arange(len(n_per_class)), n_per_class)
    X = np.arange(2 * len(y), dtype=float).reshape(-1, 2)
    return Dataset(X, y, ("a", "b"), tuple(f"c{i}" for i in range(len(n_per_class))), name, ("note",))


def assert_plain_message(exc: DataError):
    message = str(exc)
    assert len(message) > 30, message
    for jargon in ("Traceback", "ParserError", "KeyError", "Errno", "tokenizing", "dtype"):
        assert jargon not in message, message


# --------------------------------------------------------------------------------------------------
# Dataset
# --------------------------------------------------------------------------------------------------


def test_constants_match_the_issue():
    assert (MAX_FEATURES, MAX_CLASSES, MAX_ABS_VALUE) == (1000, 20, 1e12)
    assert issubclass(DataError, ValueError)
    assert DATASET_KINDS == ("blobs", "moons", "circles", "xor", "spiral", "linear")
    assert BUILTIN_NAMES == ("iris", "breast_cancer", "wine")


def test_dataset_converts_types_and_is_read_only_without_touching_the_callers_arrays():
    X = np.array([[1, 2], [3, 4], [5, 6], [7, 8]], dtype=np.float64)
    y = [0, 1, 0, 1]
    ds = Dataset(X, y, ["a", "b"], ["no", "yes"], "t", ["n1"])
    assert ds.X.dtype == np.float64 and ds.y.dtype == np.int64
    assert ds.feature_names == ("a", "b") and ds.class_names == ("no", "yes")
    assert ds.notes == ("n1",)
    assert not ds.X.flags.writeable and not ds.y.flags.writeable
    assert X.flags.writeable  # the caller's array is untouched
    assert np.shares_memory(ds.X, X)  # and not copied
    with pytest.raises(dataclasses.FrozenInstanceError):
        ds.name = "other"
    assert (ds.n_samples, ds.n_features, ds.n_classes) == (4, 2, 2)
    np.testing.assert_array_equal(ds.class_counts, [2, 2])


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(X=np.zeros(3), y=[0, 1, 0], feature_names=("a",), class_names=("x", "y")),
        dict(X=np.zeros((3, 1)), y=[0, 1], feature_names=("a",), class_names=("x", "y")),
        dict(X=np.zeros((3, 1)), y=[0, 1, 2], feature_names=("a",), class_names=("x", "y")),
        dict(X=np.zeros((3, 1)), y=[0, 1, 0], feature_names=("a", "b"), class_names=("x", "y")),
        dict(X=np.zeros((3, 1)), y=[0.5, 1, 0], feature_names=("a",), class_names=("x", "y")),
    ],
)
def test_dataset_rejects_inconsistent_parts(kwargs):
    with pytest.raises(DataError):
        Dataset(**kwargs)


def test_content_hash_depends_on_content_only_and_is_cached():
    ds = make_dataset("moons", random_state=0)
    h = ds.content_hash
    assert isinstance(h, str) and len(h) == 40 and int(h, 16) >= 0
    assert ds.content_hash is h  # cached on the instance
    same = Dataset(np.asfortranarray(ds.X), ds.y, ds.feature_names, ds.class_names, "renamed", ())
    assert same.content_hash == h  # memory layout, name and notes do not matter
    changed_X = ds.X.copy()
    changed_X[0, 0] += 1e-9
    assert Dataset(changed_X, ds.y, ds.feature_names, ds.class_names).content_hash != h
    assert Dataset(ds.X, ds.y, ("u", "v"), ds.class_names).content_hash != h
    assert Dataset(ds.X, ds.y, ds.feature_names, ("a", "b")).content_hash != h
    assert make_dataset("moons", random_state=1).content_hash != h


def test_dataset_equality_pickling_and_repr():
    a = make_dataset("xor", n_samples=50, random_state=3)
    b = make_dataset("xor", n_samples=50, random_state=3)
    assert a == b and hash(a) == hash(b)
    assert a != make_dataset("xor", n_samples=50, random_state=4)
    restored = pickle.loads(pickle.dumps(a))
    assert restored == a and restored.content_hash == a.content_hash
    assert "xor" in repr(a) and "n_samples=50" in repr(a)


def test_subset_and_to_frame_keep_names():
    ds = small_dataset((2, 3))
    sub = ds.subset([4, 0], name="part")
    assert sub.name == "part" and sub.class_names == ds.class_names and sub.notes == ds.notes
    np.testing.assert_array_equal(sub.y, [1, 0])
    frame = ds.to_frame()
    assert list(frame.columns) == ["a", "b", "class"]
    assert frame["class"].tolist() == ["c0", "c0", "c1", "c1", "c1"]


def test_describe_is_one_plain_sentence():
    assert (
        describe(make_dataset("blobs", random_state=0))
        == "200 samples, 2 features, 2 classes (100 / 100)"
    )
    big = Dataset(
        np.zeros((1500, 1)), np.r_[np.zeros(1000), np.ones(500)].astype(int), ("a",), ("x", "y")
    )
    assert describe(big) == "1,500 samples, 1 feature, 2 classes (1,000 / 500)"


# --------------------------------------------------------------------------------------------------
# Generators
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DATASET_KINDS)
def test_generators_give_the_requested_shape_names_and_balanced_classes(kind):
    ds = make_dataset(kind, n_samples=301, random_state=0)
    assert ds.X.shape == (301, 2) and ds.y.shape == (301,)
    assert ds.feature_names == ("x1", "x2")
    assert ds.class_names == ("class 0", "class 1")
    assert ds.name == kind
    np.testing.assert_array_equal(ds.class_counts, [151, 150])
    assert np.all(np.isfinite(ds.X))
    # Shuffled: the first rows are not all one class.
    assert 0 < ds.y[:40].mean() < 1


@pytest.mark.parametrize("kind", DATASET_KINDS)
def test_generators_are_deterministic_per_seed(kind):
    a = make_dataset(kind, random_state=42)
    b = make_dataset(kind, random_state=42)
    c = make_dataset(kind, random_state=43)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize("kind", DATASET_KINDS)
def test_registered_generators_take_a_passed_rng(kind):
    X1, y1 = DATASETS[kind](100, 0.1, np.random.default_rng(5))
    X2, y2 = DATASETS[kind](100, 0.1, np.random.default_rng(5))
    np.testing.assert_array_equal(X1, X2)
    assert X1.shape == (100, 2) and set(np.unique(y1)) == {0, 1}
    ds = make_dataset(kind, n_samples=100, random_state=np.random.default_rng(5))
    np.testing.assert_array_equal(ds.X, X1)


@pytest.mark.parametrize("kind", ["blobs", "spiral"])
@pytest.mark.parametrize("k", [3, 4, 7])
def test_blobs_and_spiral_make_several_classes(kind, k):
    ds = make_dataset(kind, n_samples=70 * k, n_classes=k, random_state=1)
    assert ds.n_classes == k
    assert ds.class_names == tuple(f"class {i}" for i in range(k))
    np.testing.assert_array_equal(ds.class_counts, [70] * k)


@pytest.mark.parametrize("kind", ["moons", "circles", "xor", "linear"])
def test_two_class_kinds_refuse_more_classes_and_say_which_kinds_can(kind):
    with pytest.raises(DataError, match="'blobs' or 'spiral'"):
        make_dataset(kind, n_classes=3)


def test_class_balance_share_of_class_1_for_binary():
    ds = make_dataset("blobs", n_samples=200, class_balance=0.1, random_state=0)
    np.testing.assert_array_equal(ds.class_counts, [180, 20])
    assert any("imbalanced" in n for n in ds.notes)
    ds = make_dataset("linear", n_samples=200, class_balance=0.7, random_state=0)
    np.testing.assert_array_equal(ds.class_counts, [60, 140])


def test_class_balance_for_multiclass_accepts_proportions_or_a_share():
    ds = make_dataset("spiral", n_samples=200, n_classes=3, class_balance=[5, 3, 2], random_state=0)
    np.testing.assert_array_equal(ds.class_counts, [100, 60, 40])
    ds = make_dataset("blobs", n_samples=200, n_classes=3, class_balance=0.5, random_state=0)
    np.testing.assert_array_equal(ds.class_counts, [50, 100, 50])


@pytest.mark.parametrize(
    "kwargs, phrase",
    [
        (dict(kind="squares"), "choose one of"),
        (dict(kind="moons", n_samples=3), "at least 2 samples"),
        (dict(kind="moons", n_samples=2.5), "whole number"),
        (dict(kind="moons", n_samples=10**9), "fewer samples"),
        (dict(kind="moons", noise=-1), "noise"),
        (dict(kind="moons", noise=float("nan")), "noise"),
        (dict(kind="blobs", n_classes=1), "n_classes"),
        (dict(kind="blobs", n_classes=21), "n_classes"),
        (dict(kind="blobs", class_balance=0.0), "between 0 and 1"),
        (dict(kind="blobs", class_balance=1.5), "between 0 and 1"),
        (dict(kind="blobs", class_balance=0.001), "at least 2"),
        (dict(kind="blobs", class_balance=[1, 2, 3]), "proportions"),
        (dict(kind="blobs", class_balance="half"), "proportions"),
        (dict(kind="blobs", random_state="seed"), "random_state"),
    ],
)
def test_make_dataset_rejects_bad_settings_with_a_plain_message(kwargs, phrase):
    with pytest.raises(DataError, match=phrase):
        make_dataset(**kwargs)


def _accuracy(X, y, degree=1):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    model = make_pipeline(
        PolynomialFeatures(degree), StandardScaler(), LogisticRegression(C=100, max_iter=2000)
    )
    return model.fit(X, y).score(X, y)


def test_noise_zero_linear_and_blobs_are_linearly_separable():
    for kind in ("linear", "blobs"):
        ds = make_dataset(kind, n_samples=300, noise=0.0, random_state=0)
        assert _accuracy(ds.X, ds.y) >= 0.99, kind


@pytest.mark.parametrize("kind", ["circles", "xor"])
def test_circles_and_xor_need_polynomial_terms(kind):
    ds = make_dataset(kind, n_samples=400, noise=0.1, random_state=0)
    assert _accuracy(ds.X, ds.y, degree=1) < 0.75
    assert _accuracy(ds.X, ds.y, degree=2) > 0.9


@pytest.mark.parametrize("kind", ["blobs", "moons", "linear"])
def test_default_noise_is_a_mild_demo(kind):
    ds = make_dataset(kind, n_samples=400, random_state=0)
    degree = 3 if kind == "moons" else 1
    assert 0.9 < _accuracy(ds.X, ds.y, degree=degree)
    noisy = make_dataset(kind, n_samples=400, noise=0.5, random_state=0)
    assert _accuracy(noisy.X, noisy.y, degree=degree) < _accuracy(ds.X, ds.y, degree=degree)


# --------------------------------------------------------------------------------------------------
# Built-in datasets
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_load_builtin_matches_scikit_learn(name):
    from sklearn import datasets as skd

    bunch = getattr(skd, f"load_{name}")()
    ds = load_builtin(name)
    assert ds.X.shape == bunch.data.shape
    np.testing.assert_array_equal(ds.X, bunch.data)
    np.testing.assert_array_equal(ds.y, bunch.target)
    assert ds.class_names == tuple(bunch.target_names)
    assert ds.feature_names == tuple(bunch.feature_names)
    assert ds.name == name and ds.notes


def test_load_builtin_forgives_spelling_and_rejects_unknown_names():
    assert load_builtin("Breast Cancer") is load_builtin("breast_cancer")
    with pytest.raises(DataError, match="iris, breast_cancer, wine"):
        load_builtin("titanic")
    with pytest.raises(DataError):
        load_builtin(None)


# --------------------------------------------------------------------------------------------------
# read_csv: good files
# --------------------------------------------------------------------------------------------------

GOOD = [
    # file, pandas options that parse it, expected note fragment (or None)
    ("good_comma.csv", dict(sep=","), None),
    ("good_semicolon_decimal_comma.csv", dict(sep=";", decimal=","), "decimal comma"),
    ("good_tab.tsv", dict(sep="\t"), "tabs"),
    ("good_pipe.csv", dict(sep="|"), "'|'"),
    ("good_bom_crlf_spaces.csv", dict(sep=",", skipinitialspace=True), None),
    ("good_latin1.csv", dict(sep=";", encoding="latin-1"), "Latin-1"),
    ("good_numeric_labels.csv", dict(sep=","), None),
    ("good_quoted.csv", dict(sep=","), None),
    ("good_utf16.txt", dict(sep="\t", encoding="utf-16"), "UTF-16"),
]


@pytest.mark.parametrize("name, options, note", GOOD)
def test_good_files_round_trip_to_pandas_values(name, options, note):
    path = DATA / name
    ds = read_csv(path)
    expected = pd.read_csv(path, **options)
    expected.columns = [c.replace("\ufeff", "").strip() for c in expected.columns]
    target = expected.columns[-1]
    features = list(expected.columns[:-1])
    assert ds.feature_names == tuple(features)
    np.testing.assert_allclose(ds.X, expected[features].to_numpy(dtype=float), rtol=0, atol=0)
    labels = expected[target].map(lambda v: v.strip() if isinstance(v, str) else str(v))
    assert ds.class_names == tuple(
        sorted(labels.unique(), key=lambda s: float(s) if s.lstrip("-").isdigit() else s)
    )
    assert [ds.class_names[c] for c in ds.y] == labels.tolist()
    assert ds.name == path.stem
    if note:
        assert any(note in n for n in ds.notes), ds.notes


def test_bom_crlf_and_spaces_are_stripped_from_names_and_labels():
    ds = read_csv(DATA / "good_bom_crlf_spaces.csv")
    assert ds.feature_names == ("alpha", "beta", "count")
    assert ds.class_names == ("setosa", "virginica")


def test_string_labels_sorted_like_label_encoder():
    from sklearn.preprocessing import LabelEncoder

    raw = b"a,label\n1,zebra\n2,Apple\n3,mango\n4,zebra\n5,Apple\n6,mango\n"
    ds = read_csv(raw)
    enc = LabelEncoder().fit(["zebra", "Apple", "mango"])
    assert ds.class_names == tuple(enc.classes_)
    np.testing.assert_array_equal(ds.y, enc.transform(["zebra", "Apple", "mango"] * 2))


@pytest.mark.parametrize(
    "labels, names",
    [
        (["0", "1"], ("0", "1")),
        (["1", "2"], ("1", "2")),
        (["-1", "1"], ("-1", "1")),
        (["1.0", "0.0"], ("0", "1")),
        (["True", "False"], ("False", "True")),
        (["0.5", "1.5"], ("0.5", "1.5")),
    ],
)
def test_numeric_labels_become_their_string_forms(labels, names):
    rows = "".join(f"{i},{labels[i % 2]}\n" for i in range(8))
    ds = read_csv(("x,y\n" + rows).encode())
    assert ds.class_names == names
    assert ds.class_counts.tolist() == [4, 4]


def test_numeric_labels_codes_follow_numeric_order():
    raw = b"x,y\n1,10\n2,9\n3,10\n4,9\n5,100\n6,100\n"
    ds = read_csv(raw)
    assert ds.class_names == ("9", "10", "100")
    np.testing.assert_array_equal(ds.y, [1, 0, 1, 0, 2, 2])


def test_headerless_file_gets_column_names_and_a_note():
    ds = read_csv(DATA / "good_headerless.csv")
    expected = pd.read_csv(DATA / "good_headerless.csv", header=None)
    assert ds.feature_names == ("column 1", "column 2")
    np.testing.assert_array_equal(ds.X, expected[[0, 1]].to_numpy())
    assert ds.n_samples == 10
    assert any("first row holds only numbers" in n for n in ds.notes)


def test_titanic_like_file_reports_every_clean_up_in_notes():
    ds = read_csv(DATA / "titanic_like.csv", target="Survived")
    assert ds.feature_names == ("Sex=male", "Age", "Embarked=Q", "Embarked=S", "Fare")
    notes = " ".join(ds.notes)
    for fragment in (
        "'PassengerId'",
        "'Name'",
        "'Cabin'",
        "'Ship'",
        "Turned the text column 'Sex'",
        "Dropped 5 of 40 rows",
    ):
        assert fragment in notes, fragment
    frame = pd.read_csv(DATA / "titanic_like.csv").dropna(subset=["Age"])
    np.testing.assert_array_equal(ds.X[:, 0], (frame["Sex"] == "male").to_numpy(dtype=float))
    np.testing.assert_array_equal(ds.X[:, 1], frame["Age"].to_numpy())
    np.testing.assert_array_equal(ds.X[:, 2], (frame["Embarked"] == "Q").to_numpy(dtype=float))
    assert ds.class_names == ("0", "1")


def test_explicit_features_keep_an_id_column_and_a_mostly_empty_one():
    ds = read_csv(
        DATA / "titanic_like.csv", target="survived", features=["PassengerId", "Cabin", "Fare"]
    )
    assert ds.feature_names[0] == "PassengerId"
    assert any(f.startswith("Cabin=") for f in ds.feature_names)
    assert ds.n_samples == 10  # only the rows with a cabin


def test_features_option_selects_columns_and_unknown_names_list_the_available_ones():
    ds = read_csv(DATA / "good_comma.csv", features=["beta", " alpha "])
    assert ds.feature_names == ("beta", "alpha")
    with pytest.raises(DataError) as err:
        read_csv(DATA / "good_comma.csv", features=["beta", "gamma"])
    assert "'gamma'" in str(err.value) and "'alpha', 'beta', 'count', 'species'" in str(err.value)
    with pytest.raises(DataError, match="at least one"):
        read_csv(DATA / "good_comma.csv", features=[])


def test_target_in_features_is_used_only_as_target():
    ds = read_csv(DATA / "good_comma.csv", target="count", features=["count", "beta"])
    assert ds.feature_names == ("beta",)
    assert any("is the target" in n for n in ds.notes)


def test_target_by_name_is_case_and_space_tolerant():
    ds = read_csv(DATA / "good_comma.csv", target=" SPECIES ")
    assert ds.class_names == ("setosa", "virginica")


def test_rows_with_extra_values_are_skipped_with_a_note():
    ds = read_csv(DATA / "ragged_rows.csv")
    assert ds.n_samples == 5
    assert any("more values than there are columns" in n for n in ds.notes)


def test_placeholders_in_numeric_columns_become_missing():
    ds = read_csv(DATA / "question_marks.csv")
    assert ds.feature_names == ("a", "b") and ds.n_samples == 6
    assert any("'?'" in n for n in ds.notes)


def test_unclosed_quote_is_read_leniently_with_a_note():
    ds = read_csv(DATA / "unclosed_quote.csv")
    assert ds.n_samples == 5
    assert any("never closed" in n for n in ds.notes)


def test_categorical_feature_is_one_hot_encoded_with_a_baseline():
    raw = b"colour,size,label\nred,1,a\nblue,2,b\ngreen,3,a\nred,4,b\nblue,5,a\ngreen,6,b\n"
    ds = read_csv(raw)
    assert ds.feature_names == ("colour=green", "colour=red", "size")
    np.testing.assert_array_equal(ds.X[:, 0], [0, 0, 1, 0, 0, 1])
    np.testing.assert_array_equal(ds.X[:, 1], [1, 0, 0, 1, 0, 0])
    assert any("'blue' as the baseline" in n for n in ds.notes)


def test_high_cardinality_text_id_like_and_constant_columns_are_left_out():
    n = 60
    rng = np.random.default_rng(0)
    lines = ["index,email,comment,const,score,code,label"]
    for i in range(n):
        lines.append(
            f"{i},user{i}@x.org,word{i % 30},7,{rng.normal():.3f},{rng.integers(10**6)},{'ab'[i % 2]}"
        )
    ds = read_csv("\n".join(lines).encode())
    assert ds.feature_names == ("score", "code")
    notes = " ".join(ds.notes)
    assert "'index'" in notes and "row number or ID" in notes
    assert "'email'" in notes and "different text value" in notes
    assert "'comment'" in notes and "30 different text values" in notes
    assert "'const'" in notes and "same value" in notes
    assert "'code' has a different whole number in every row" in notes


def test_mixed_comma_decimals_in_a_comma_file_are_read_as_numbers():
    raw = b'a,b,label\n"1,5",1,x\n"2,5",2,y\n"3,0",3,x\n"4,25",4,y\n'
    ds = read_csv(raw)
    np.testing.assert_array_equal(ds.X[:, 0], [1.5, 2.5, 3.0, 4.25])


def test_space_separated_table_is_read():
    ds = read_csv(b"a b label\n1 2 x\n3 4 y\n5 6 x\n7 9 y\n")
    assert ds.feature_names == ("a", "b") and any("spaces" in n for n in ds.notes)


def test_invalid_utf8_after_the_sniffed_head_falls_back_to_latin1():
    body = "".join(f"{i % 7},{i % 5},{'ab'[i % 2]}\n" for i in range(12000)).encode()
    raw = b"a,b,label\n" + body + b"1,2,caf\xe9\n1,3,caf\xe9\n"
    assert len(raw) > 70_000
    ds = read_csv(raw)
    assert ds.class_names == ("a", "b", "café")
    assert any("Latin-1" in n for n in ds.notes)


class FakeUpload(io.BytesIO):
    """Like Streamlit's UploadedFile: a BytesIO with a name, possibly already read."""

    name = "my upload.csv"


@pytest.mark.parametrize(
    "make_source",
    [
        lambda p: p,
        lambda p: str(p),
        lambda p: p.read_bytes(),
        lambda p: bytearray(p.read_bytes()),
        lambda p: io.BytesIO(p.read_bytes()),
        lambda p: io.StringIO(p.read_text()),
        lambda p: p.read_text(),
    ],
    ids=["Path", "str path", "bytes", "bytearray", "BytesIO", "StringIO", "text"],
)
def test_every_kind_of_source_gives_the_same_data(make_source):
    path = DATA / "good_comma.csv"
    reference = read_csv(path)
    ds = read_csv(make_source(path))
    np.testing.assert_array_equal(ds.X, reference.X)
    np.testing.assert_array_equal(ds.y, reference.y)


def test_open_files_and_uploads_are_read_whole_and_named():
    path = DATA / "good_comma.csv"
    with open(path, "rb") as fh:
        assert read_csv(fh).n_samples == 24
    with open(path, encoding="utf-8") as fh:
        assert read_csv(fh).name == "good_comma"
    upload = FakeUpload(path.read_bytes())
    upload.read()  # a Streamlit rerun hands over the same, already-read object
    ds = read_csv(upload)
    assert ds.n_samples == 24 and ds.name == "my upload"


# --------------------------------------------------------------------------------------------------
# read_csv: bad files, each with a plain message
# --------------------------------------------------------------------------------------------------

BAD = [
    ("empty.csv", "empty"),
    ("blank_lines.csv", "empty"),
    ("header_only.csv", "no data rows"),
    ("not_a_table.txt", "not a table"),
    ("one_column.csv", "not a table"),
    ("image.png", "png image"),
    ("archive.zip", "zip archive"),
    ("workbook.xlsx", "excel"),
    ("binary_junk.bin", "binary data"),
    ("page.html", "web page"),
    ("data.json", "json"),
    ("no_numeric_feature.csv", "no usable numeric feature"),
    ("one_class.csv", "only one class"),
    ("singleton_class.csv", "fewer than 2 samples"),
    ("inf_value.csv", "infinite value"),
    ("huge_value.csv", "larger than 1e+12"),
    ("missing_everywhere.csv", "missing value"),
]


@pytest.mark.parametrize("name, phrase", BAD)
def test_bad_files_raise_data_error_saying_what_is_wrong(name, phrase):
    with pytest.raises(DataError) as err:
        read_csv(DATA / name)
    assert phrase in str(err.value).lower()
    assert_plain_message(err.value)


@pytest.mark.parametrize("name, phrase", BAD)
def test_bad_files_as_bytes_and_uploads_raise_the_same(name, phrase):
    raw = (DATA / name).read_bytes()
    for source in (raw, FakeUpload(raw)):
        with pytest.raises(DataError) as err:
            read_csv(source)
        assert phrase in str(err.value).lower()


def test_missing_target_column_lists_the_columns():
    with pytest.raises(DataError) as err:
        read_csv(DATA / "good_comma.csv", target="price")
    message = str(err.value)
    assert "no column called 'price'" in message and "'alpha', 'beta', 'count', 'species'" in message


def test_too_many_classes_looks_like_a_number_to_predict():
    rng = np.random.default_rng(0)
    prices = rng.permutation(np.repeat(np.arange(341), 2))
    lines = ["size,rooms,price"] + [f"{rng.normal():.3f},{i % 5},{p}" for i, p in enumerate(prices)]
    with pytest.raises(DataError) as err:
        read_csv("\n".join(lines).encode())
    message = str(err.value)
    assert (
        "column 'price' holds numbers with 341 different values (from 0 to 340); this looks like "
        "a number to predict" in message
    )
    assert "at most 10 different values" in message


def test_twenty_classes_are_fine_and_twenty_one_are_not():
    def table(k):
        return ("a,b,label\n" + "".join(f"{i},{i * 7 % 13},L{i % k}\n" for i in range(4 * k))).encode()

    assert read_csv(table(MAX_CLASSES)).n_classes == MAX_CLASSES
    with pytest.raises(DataError, match="21 different values"):
        read_csv(table(MAX_CLASSES + 1))


def test_more_than_1000_feature_columns_is_refused():
    rng = np.random.default_rng(0)
    d = MAX_FEATURES + 1
    header = ",".join([f"f{j}" for j in range(d)] + ["label"])
    rows = [",".join(f"{v:.3f}" for v in rng.normal(size=d)) + f",{i % 2}" for i in range(6)]
    with pytest.raises(DataError, match="at most 1,000"):
        read_csv(("\n".join([header] + rows)).encode())
    ok = [",".join(f"{v:.3f}" for v in rng.normal(size=MAX_FEATURES)) + f",{i % 2}" for i in range(6)]
    header_ok = ",".join([f"f{j}" for j in range(MAX_FEATURES)] + ["label"])
    assert read_csv(("\n".join([header_ok] + ok)).encode()).n_features == MAX_FEATURES


def test_absurdly_wide_line_is_refused_quickly():
    with pytest.raises(DataError, match="columns"):
        read_csv(b"," * 3_000_000 + b"\n1,2\n")


def test_fewer_than_two_samples_after_dropping_missing_rows_says_so():
    raw = b"a,b,label\n1,2,x\n2,3,x\n3,,y\n4,5,y\n"
    with pytest.raises(DataError, match="after dropping 1 row with missing values"):
        read_csv(raw)


@pytest.mark.parametrize(
    "source, phrase",
    [
        (12345, "file path"),
        (None, "file path"),
        (Path("/no/such/file.csv"), "no file"),
        (Path(__file__).parent, "folder"),
    ],
)
def test_bad_sources_raise_data_error(source, phrase):
    with pytest.raises(DataError, match=phrase):
        read_csv(source)


def test_bad_target_and_features_arguments_raise_data_error():
    with pytest.raises(DataError, match="column name"):
        read_csv(DATA / "good_comma.csv", target=3)
    with pytest.raises(DataError, match="list of column names"):
        read_csv(DATA / "good_comma.csv", features=[1, 2])


class BrokenFile(io.RawIOBase):
    def read(self, *args):
        raise OSError("device went away")


def test_a_file_object_that_fails_to_read_raises_data_error():
    with pytest.raises(DataError, match="could not be read"):
        read_csv(BrokenFile())


@pytest.mark.parametrize(
    "raw",
    [
        b"\x00" * 50,
        b'"' * 1000,
        b"\r\r\r\r",
        b"a,b\n" + b"1," * 100_000,
        b"x" * 5_000_000,
        b"a;b\n" + b'"' * 10 + b"\n1;2\n",
        b"\xff\xfe" + b"\x00\xd8" * 3,  # UTF-16 BOM, then an unpaired surrogate
        b"\xef\xbb\xbf",
        b"a,b,c\n1,2\n3\n4,5,6,7,8\n",
        "é,ü\n½,¾\n".encode("utf-16-be"),
    ],
)
def test_nasty_inputs_give_only_data_errors(raw):
    try:
        read_csv(raw)
    except DataError as exc:
        assert str(exc) and not getattr(exc, "_unexpected", False), str(exc)


def test_importing_logreg_data_adds_no_ui_and_no_heavy_imports():
    code = (
        "import sys, logreg; before = set(sys.modules); import logreg.data; "
        "added = set(sys.modules) - before; "
        "print(sorted({m.split('.')[0] for m in added} & {'streamlit', 'sklearn', 'pandas'}), "
        "'streamlit' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    assert out.stdout.strip() == "[] False"


# --------------------------------------------------------------------------------------------------
# standardize
# --------------------------------------------------------------------------------------------------


def test_standardize_fits_on_train_only_like_standard_scaler():
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(0)
    X_train = rng.normal(3, 2, size=(50, 3))
    X_test = rng.normal(-1, 5, size=(20, 3))
    X_train_std, X_test_std, mean, scale = standardize(X_train, X_test)
    ref = StandardScaler().fit(X_train)
    np.testing.assert_allclose(mean, ref.mean_)
    np.testing.assert_allclose(scale, ref.scale_)
    np.testing.assert_allclose(X_train_std, ref.transform(X_train))
    np.testing.assert_allclose(X_test_std, ref.transform(X_test))
    np.testing.assert_allclose(X_train_std.mean(axis=0), 0, atol=1e-12)


def test_standardize_gives_constant_columns_scale_one_and_returns_a_named_result():
    X = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    result = standardize(X)
    assert result.X_test is None
    np.testing.assert_array_equal(result.scale[1], 1.0)
    np.testing.assert_array_equal(result.X_train[:, 1], 0.0)
    assert np.all(np.isfinite(result.X_train))
    grid = np.array([[2.0, 6.0]])
    np.testing.assert_allclose(result.transform(grid), [[0.0, 1.0]])
    assert X[0, 0] == 1.0  # inputs untouched


@pytest.mark.parametrize(
    "X_train, X_test",
    [
        (np.zeros((0, 2)), None),
        (np.array([[1.0, np.nan]]), None),
        (np.array([1.0, 2.0]), None),
        (np.ones((3, 2)), np.ones((2, 3))),
        (np.ones((3, 2)), np.array([[np.inf, 1.0]])),
        ([["a", "b"]], None),
    ],
)
def test_standardize_rejects_bad_input(X_train, X_test):
    with pytest.raises(DataError):
        standardize(X_train, X_test)


# --------------------------------------------------------------------------------------------------
# train_test_split
# --------------------------------------------------------------------------------------------------


def test_split_is_stratified_disjoint_and_complete():
    ds = make_dataset("blobs", n_samples=200, class_balance=0.1, random_state=0)
    train, test = train_test_split(ds, test_size=0.25, random_state=0)
    assert test.n_samples == 50 and train.n_samples == 150
    np.testing.assert_array_equal(test.class_counts, [45, 5])
    np.testing.assert_array_equal(train.class_counts, [135, 15])
    rows = lambda d: {tuple(r) + (c,) for r, c in zip(d.X, d.y)}  # noqa: E731
    assert rows(train) | rows(test) == rows(ds) and not rows(train) & rows(test)
    assert train.feature_names == ds.feature_names and test.class_names == ds.class_names
    assert train.notes == ds.notes and train.name == "blobs (train)" and test.name == "blobs (test)"


def test_split_is_deterministic_per_seed():
    ds = load_builtin("iris")
    a = train_test_split(ds, 0.3, random_state=1)
    b = train_test_split(ds, 0.3, random_state=1)
    c = train_test_split(ds, 0.3, random_state=2)
    assert a[0] == b[0] and a[1] == b[1]
    assert a[0] != c[0]
    np.testing.assert_array_equal(a[1].class_counts, [15, 15, 15])


def test_split_with_test_size_zero_trains_on_everything():
    ds = small_dataset()
    train, test = train_test_split(ds, test_size=0)
    assert train is ds and test is None


def test_split_keeps_every_class_in_train():
    ds = small_dataset((2, 2, 30))
    train, test = train_test_split(ds, test_size=0.8, random_state=0)
    assert np.all(train.class_counts >= 1)
    assert test.n_samples == 28


def test_split_accepts_a_number_of_test_rows():
    train, test = train_test_split(small_dataset((5, 5)), test_size=4, random_state=0)
    assert test.n_samples == 4 and train.n_samples == 6
    np.testing.assert_array_equal(test.class_counts, [2, 2])


@pytest.mark.parametrize("test_size", [0.9, 1.0, -0.1, 1.5, float("nan"), "half", True, 6, -1])
def test_impossible_or_invalid_splits_raise_data_error(test_size):
    with pytest.raises(DataError):
        train_test_split(small_dataset((2, 2, 2)), test_size=test_size, random_state=0)


def test_split_needs_a_dataset():
    with pytest.raises(DataError):
        train_test_split(np.zeros((4, 2)))


# ----- csv_columns: the target picker's list, before the full parse ------------------------------
@pytest.mark.parametrize("text, expected", [
    (b"a, b ,y\n1,2,u\n3,4,v\n", ("a", "b", "y")),
    (b"a;b;y\n1,5;2;u\n3;4;v\n", ("a", "b", "y")),
    (b"\xef\xbb\xbfx\ty\tlabel\n1\t2\ta\n3\t4\tb\n", ("x", "y", "label")),
    (b"1,2,3\n4,5,6\n", ("column 1", "column 2", "column 3")),
])
def test_csv_columns_names_columns_as_read_csv_does(text, expected):
    from logreg.data import csv_columns

    assert csv_columns(text) == expected
    pandas_names = tuple(pd.read_csv(io.BytesIO(text), sep=None, engine="python").columns)
    if not expected[0].startswith("column"):
        assert tuple(n.strip().lstrip("\ufeff") for n in pandas_names) == expected
    # Every name it offers is a target read_csv accepts.
    for name in expected:
        try:
            read_csv(text, target=name)
        except DataError as exc:  # e.g. too few rows per class: fine, but never "no such column"
            assert "There is no column called" not in str(exc)


@pytest.mark.parametrize("text", [b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00", b"just one line"])
def test_csv_columns_refuses_non_tables_with_a_data_error(text):
    from logreg.data import csv_columns

    with pytest.raises(DataError):
        csv_columns(text)
