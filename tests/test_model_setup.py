"""Fit set-up shortcuts against the plain computations they replace: counting integer labels
instead of sorting them, and the one-pass finiteness check of the features."""
import numpy as np
import pytest

from logreg._validation import MAX_ABS_FEATURE, check_finite_features
from logreg.model import _classes_and_counts


@pytest.mark.parametrize("y", [
    np.array([3, 1, 3, 2, 1]),
    np.array([-5, 7, -5, 0, 7, 7], dtype=np.int8),
    np.array([2, 9, 2], dtype=np.uint64),
    np.array([-100, 100, 0, 100], dtype=np.int8),  # offsets past the int8 range
    np.array([2**64 - 1, 2**64 - 3], dtype=np.uint64),  # beyond int64
    np.array([0, 10**12, 5]),                    # a range too wide to count: sorted instead
    np.array([np.iinfo(np.int64).min, 0, np.iinfo(np.int64).max, 0]),
    np.array([1.5, 0.0, 1.5]),
    np.array(["b", "a", "b"]),
    np.array([True, False, True]),
])
def test_classes_and_counts_equal_numpy_unique(y):
    classes, counts = _classes_and_counts(y)
    expected_classes, expected_counts = np.unique(y, return_counts=True)
    np.testing.assert_array_equal(classes, expected_classes)
    assert classes.dtype == expected_classes.dtype
    np.testing.assert_array_equal(counts, expected_counts)
    used = np.arange(len(y)) % 2 == 0
    _, used_counts = _classes_and_counts(y, used)
    np.testing.assert_array_equal(
        used_counts, [np.count_nonzero((y == c) & used) for c in expected_classes])


def test_finite_check_accepts_large_legal_values_whose_squares_sum_past_the_bound():
    X = np.full((300, 2), MAX_ABS_FEATURE / 2)  # sum of squares 1.5e202 > 1e200: exact test
    check_finite_features(X)
    check_finite_features(np.full((3, 3), MAX_ABS_FEATURE))


@pytest.mark.parametrize("bad, words", [(np.nan, "NaN or infinite"), (np.inf, "NaN or infinite"),
                                        (-np.inf, "NaN or infinite"), (1e101, "too large"),
                                        (-1e200, "too large"), (1e300, "too large")])
def test_finite_check_rejects_every_bad_value(bad, words):
    X = np.ones((50, 4))
    X[17, 2] = bad
    with pytest.raises(ValueError, match=words):
        check_finite_features(X)
    with pytest.raises(ValueError, match=words):
        check_finite_features(np.asfortranarray(X))  # the non-contiguous path
