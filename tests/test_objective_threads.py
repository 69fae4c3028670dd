"""The row-split (threaded) passes of the binary objective equal the single-threaded ones, and the
shared pool is safe when several fits use it at once. The threaded path is forced on small data
by lowering the objective's threshold."""
import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from logreg import LogisticRegression, OneVsRestLogisticRegression
from logreg.objective import BinaryObjective


def make_problem(n, d, n_outputs, weighted, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    Y = (rng.random((n, n_outputs)) < 0.4).astype(float)
    sw = rng.uniform(0.1, 3.0, size=n) if weighted else None
    W = rng.normal(scale=0.7, size=(d, n_outputs))
    b = rng.normal(scale=0.5, size=n_outputs)
    return X, Y, sw, W, b


def objective(X, Y, sw, n_ranges, block_rows=None):
    """An objective whose passes use ``n_ranges`` row ranges (1: the calling thread only)."""
    obj = BinaryObjective(X, Y, sw)
    obj.n_ranges = n_ranges
    obj.threaded_min_values = 0
    if block_rows is not None:
        obj.block_rows = obj.newton_block_rows = block_rows
    return obj


def blas_threads():
    return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]


@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n_ranges, block_rows", [(2, 100), (3, 17), (4, 1)])
def test_threaded_loss_gradient_equals_one_thread(n_outputs, weighted, n_ranges, block_rows):
    # Odd row counts: the ranges and their last blocks are uneven.
    X, Y, sw, W, b = make_problem(1001, 5, n_outputs, weighted)
    expected = objective(X, Y, sw, 1).loss_gradient(W, b)
    got = objective(X, Y, sw, n_ranges, block_rows).loss_gradient(W, b)
    for g, e in zip(got, expected):
        assert g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_threaded_newton_system_equals_one_thread(n_outputs, weighted):
    X, Y, sw, W, b = make_problem(777, 4, n_outputs, weighted, seed=1)
    one = objective(X, Y, sw, 1)
    Z = one.linear(W, b)
    expected = one.newton_system(Z)
    got = objective(X, Y, sw, 3, block_rows=50).newton_system(Z)
    for g, e in zip(got, expected):
        assert g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)


def test_threaded_minibatch_rows_equal_one_thread():
    X, Y, sw, W, b = make_problem(501, 3, 2, True, seed=2)
    rows = np.sort(np.random.default_rng(0).choice(501, 201, replace=False))
    expected = objective(X, Y, sw, 1).loss_gradient(W, b, rows=rows)
    got = objective(X, Y, sw, 2, block_rows=16).loss_gradient(W, b, rows=rows)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)


def test_small_data_stays_in_the_calling_thread():
    X, Y, sw, W, b = make_problem(10_000, 2, 1, False)
    obj = BinaryObjective(X, Y)
    assert obj._ranges_for(10_000) == 1


def test_concurrent_threaded_passes_agree_and_restore_the_blas_threads():
    # Several fits at once (a multi-user server): each gets its own result, and BLAS gets its
    # thread count back once the last pass ends.
    before = blas_threads()
    problems = [make_problem(600 + 7 * k, 4, 1 + k % 3, k % 2 == 1, seed=k) for k in range(6)]
    expected = [objective(X, Y, sw, 1).loss_gradient(W, b) for X, Y, sw, W, b in problems]
    results = [None] * len(problems)

    def work(k):
        X, Y, sw, W, b = problems[k]
        obj = objective(X, Y, sw, 3, block_rows=32)
        for _ in range(20):
            results[k] = obj.loss_gradient(W, b)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(problems))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for got, want in zip(results, expected):
        for g, e in zip(got, want):
            np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)
    assert blas_threads() == before


def test_a_failing_range_raises_in_the_caller_and_releases_the_pool():
    before = blas_threads()
    X, Y, sw, W, b = make_problem(300, 3, 1, False)
    obj = objective(X, Y, sw, 3)
    with pytest.raises(ValueError):
        obj.loss_gradient(np.zeros((4, 1)), b)  # wrong number of features
    assert blas_threads() == before
    obj.loss_gradient(W, b)


@pytest.mark.parametrize("cls, n_classes", [(LogisticRegression, 2),
                                            (OneVsRestLogisticRegression, 4)])
def test_fits_on_data_above_the_threshold_equal_one_thread_fits(monkeypatch, cls, n_classes):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3001, 3))
    y = rng.integers(0, n_classes, size=3001)
    params = dict(learning_rate=0.5, epochs=15)
    monkeypatch.setattr("logreg._parallel.THREADED_MIN_VALUES", 1 << 40)
    single = cls(**params).fit(X, y)
    monkeypatch.setattr("logreg._parallel.THREADED_MIN_VALUES", 0)
    threaded = cls(**params).fit(X, y)
    np.testing.assert_allclose(threaded.history_["loss"], single.history_["loss"], rtol=1e-12)
    np.testing.assert_allclose(threaded.coef_, single.coef_, rtol=1e-11, atol=1e-14)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n_ranges", [1, 2])
def test_blocked_loss_from_logits_equals_log1pexp_even_at_infinite_logits(weighted, n_ranges):
    import warnings

    from logreg.objective import log1pexp

    X, Y, sw, W, b = make_problem(203, 3, 2, weighted, seed=4)
    obj = objective(X, Y, sw, n_ranges, block_rows=16)
    Z = obj.linear(W, b) * np.geomspace(1e-3, 1e3, 203)[:, None]
    Z[5, 0], Z[6, 1], Z[7, 0] = np.inf, -np.inf, 1e308
    s = np.ones(203) if sw is None else sw
    expected = s @ log1pexp((1 - 2 * Y) * Z) / s.sum()
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        got = obj.loss_from_logits(Z)
    np.testing.assert_allclose(got, expected, rtol=1e-13)


@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("block_rows", [10, 5000])  # 5000: fewer blocks than threads
def test_threaded_linear_equals_one_thread(n_outputs, block_rows):
    before = blas_threads()
    X, Y, sw, W, b = make_problem(999, 4, n_outputs, False, seed=5)
    expected = X @ W + b
    got = objective(X, Y, sw, 3, block_rows=block_rows).linear(W, b)
    assert blas_threads() == before
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=1e-14)


def test_pool_map_returns_results_in_range_order_and_raises_a_workers_error():
    from logreg._parallel import POOL as _POOL

    before = blas_threads()
    ranges = [(k, k + 1) for k in range(12)]
    assert _POOL.map(lambda lo, hi: lo * 10 + hi, ranges, 3) == [k * 11 + 1 for k in range(12)]

    def fails_late(lo, hi):
        if lo == 9:
            raise ValueError("range 9")
        return lo

    with pytest.raises(ValueError, match="range 9"):
        _POOL.map(fails_late, ranges, 3)
    assert blas_threads() == before
    assert _POOL.map(lambda lo, hi: hi, ranges, 2) == list(range(1, 13))


def test_threaded_sum_of_squares_and_finite_check(monkeypatch):
    from logreg._validation import check_finite_features
    from logreg._parallel import sum_of_squares

    X = np.random.default_rng(6).normal(size=(1003, 7))
    monkeypatch.setattr("logreg._parallel.THREADED_MIN_VALUES", 0)
    np.testing.assert_allclose(sum_of_squares(X), np.sum(X ** 2), rtol=1e-13)
    check_finite_features(X)
    X[1001, 3] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        check_finite_features(X)
