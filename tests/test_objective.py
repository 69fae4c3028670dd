"""The logistic objective against independent references: scipy's expit, numpy's logaddexp,
scikit-learn's log_loss, and central finite differences for every gradient and Hessian."""
import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn.metrics import log_loss

from logreg.objective import BinaryObjective, Penalty, log1pexp, logloss_from_logits, sigmoid

# Logits from 0 to the largest finite doubles, through the points where exp over- and underflows.
EXTREME_Z = np.array([0.0, 1e-300, 1e-8, 0.5, 1.0, 20.0, 36.0, 40.0, 100.0, 700.0, 709.0, 710.0,
                      745.0, 746.0, 1e4, 1e10, 1e100, 1e300, 1e308, np.finfo(float).max])
EXTREME_Z = np.concatenate([-EXTREME_Z[::-1], EXTREME_Z])


def make_problem(n=40, d=3, n_outputs=1, weighted=False, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.array([1.0, 3.0, 0.3, 2.0, 1.0][:d])
    Y = (rng.random((n, n_outputs)) < 0.4).astype(float)
    Y[0], Y[1] = 0.0, 1.0
    sw = rng.uniform(0.1, 3.0, size=n) if weighted else None
    W = rng.normal(scale=0.7, size=(d, n_outputs))
    b = rng.normal(scale=0.5, size=n_outputs)
    return X, Y, sw, W, b


def objective_value(obj, penalty, W, b):
    """Sum over outputs of data loss + penalty (outputs are independent, so the gradient of the sum
    with respect to column m is the gradient of output m's objective)."""
    return float(np.sum(obj.loss(W, b) + penalty.value(W)))


def central_gradient(f, params, h=1e-6):
    grad = np.zeros_like(params)
    for i in range(params.size):
        step = np.zeros_like(params)
        step.flat[i] = h
        grad.flat[i] = (f(params + step) - f(params - step)) / (2 * h)
    return grad


# ----- sigmoid, log1pexp --------------------------------------------------------------------

def test_sigmoid_matches_scipy_expit_and_never_warns():
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        p = sigmoid(EXTREME_Z)
    # atol: near z = -745 ours returns the subnormal e^z where expit rounds to 0.
    np.testing.assert_allclose(p, expit(EXTREME_Z), rtol=1e-15, atol=1e-300)
    assert np.all((p >= 0) & (p <= 1))
    z = np.linspace(-40, 40, 2001)
    np.testing.assert_allclose(sigmoid(z), expit(z), rtol=1e-14, atol=0)
    np.testing.assert_allclose(sigmoid(-z) + sigmoid(z), 1.0, rtol=0, atol=3e-16)


def test_log1pexp_matches_numpy_logaddexp_and_never_warns():
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        value = log1pexp(EXTREME_Z)
    np.testing.assert_allclose(value, np.logaddexp(0.0, EXTREME_Z), rtol=1e-15, atol=0)
    assert np.all(np.isfinite(value)) and np.all(value >= 0)
    # Deep in the left tail log(1 + e^z) ~ e^z, far below what log(1 + exp(z)) can resolve.
    assert log1pexp(np.array(-50.0)) == pytest.approx(np.exp(-50.0), rel=1e-15)


def test_logloss_from_logits_matches_sklearn_log_loss():
    rng = np.random.default_rng(1)
    z = rng.normal(scale=4, size=200)
    y = (rng.random(200) < 0.5).astype(float)
    ours = logloss_from_logits(y, z).mean()
    assert ours == pytest.approx(log_loss(y, expit(z)), rel=1e-12)


# ----- loss, gradient and Hessian ----------------------------------------------------------

@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("l2", [0.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_gradient_matches_finite_differences(fit_intercept, weighted, l2, n_outputs):
    X, Y, sw, W, b = make_problem(n_outputs=n_outputs, weighted=weighted)
    if not fit_intercept:
        b = np.zeros(n_outputs)
    obj = BinaryObjective(X, Y, sw, fit_intercept=fit_intercept)
    penalty = Penalty(l2=l2)
    loss, grad_W, grad_b = obj.loss_gradient(W, b)

    # Independent reference for the loss itself: scikit-learn's log_loss per output.
    Z = X @ W + b
    for m in range(n_outputs):
        expected = log_loss(Y[:, m], expit(Z[:, m]), sample_weight=sw)
        assert loss[m] == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(obj.loss(W, b), loss, rtol=1e-13)
    np.testing.assert_allclose(obj.loss_from_logits(Z), loss, rtol=1e-13)

    num_W = central_gradient(lambda V: objective_value(obj, penalty, V, b), W)
    np.testing.assert_allclose(grad_W + l2 * W, num_W, rtol=1e-6, atol=1e-8)
    if fit_intercept:
        num_b = central_gradient(lambda c: objective_value(obj, penalty, W, c), b)
        np.testing.assert_allclose(grad_b, num_b, rtol=1e-6, atol=1e-8)
    else:
        np.testing.assert_array_equal(grad_b, 0.0)


def full_gradient(obj, W, b):
    """Gradient over [w; b], (d + 1, M), with the intercept row even when it is not fitted."""
    _, grad_W, _ = obj.loss_gradient(W, b)
    P = expit(obj.X @ W + b)
    s = np.ones(obj.n_samples) if obj.sw is None else obj.sw
    grad_b = s @ (P - obj.Y) / s.sum()
    return np.vstack([grad_W, grad_b])


@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_newton_hessian_matches_finite_differences_of_the_gradient(weighted, n_outputs):
    X, Y, sw, W, b = make_problem(n_outputs=n_outputs, weighted=weighted)
    obj = BinaryObjective(X, Y, sw)
    d = X.shape[1]
    loss, grad_W, grad_b, H = obj.newton_system(obj.linear(W, b))
    ref_loss, ref_grad_W, ref_grad_b = obj.loss_gradient(W, b)
    np.testing.assert_allclose(loss, ref_loss, rtol=1e-13)
    np.testing.assert_allclose(grad_W, ref_grad_W, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad_b, ref_grad_b, rtol=1e-12, atol=1e-15)

    h = 1e-5
    for m in range(n_outputs):
        numeric = np.zeros((d + 1, d + 1))
        for j in range(d + 1):
            dW, db = np.zeros_like(W), np.zeros_like(b)
            if j < d:
                dW[j, m] = h
            else:
                db[m] = h
            diff = full_gradient(obj, W + dW, b + db) - full_gradient(obj, W - dW, b - db)
            numeric[:, j] = diff[:, m] / (2 * h)
        np.testing.assert_allclose(H[m], numeric, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(H[m], H[m].T, rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_newton_direction_solves_the_penalized_newton_system(fit_intercept, l2):
    X, Y, sw, W, b = make_problem(n_outputs=2, weighted=True)
    obj = BinaryObjective(X, Y, sw, fit_intercept=fit_intercept)
    d = X.shape[1]
    _, grad_W, grad_b, H = obj.newton_system(obj.linear(W, b))
    dW, db = obj.newton_direction(grad_W, grad_b, H, W, Penalty(l2=l2))
    for m in range(2):
        # Reference: the plain linear system on the parameters being fitted.
        k = d + 1 if fit_intercept else d
        A = H[m][:k, :k] + l2 * np.diag([1.0] * d + [0.0] * (k - d))
        g = np.concatenate([grad_W[:, m] + l2 * W[:, m], grad_b[m:m + 1]])[:k]
        expected = np.linalg.solve(A, -g)
        np.testing.assert_allclose(dW[:, m], expected[:d], rtol=1e-8, atol=1e-12)
        if fit_intercept:
            assert db[m] == pytest.approx(expected[d], rel=1e-8, abs=1e-12)
        else:
            assert db[m] == 0.0


def test_soft_labels_take_the_plain_path_with_correct_gradient_and_hessian():
    X, _, sw, W, b = make_problem(n_outputs=2, weighted=True)
    Y = np.random.default_rng(3).uniform(size=(X.shape[0], 2))
    obj = BinaryObjective(X, Y, sw)
    _, grad_W, grad_b = obj.loss_gradient(W, b)
    penalty = Penalty()
    np.testing.assert_allclose(grad_W, central_gradient(
        lambda V: objective_value(obj, penalty, V, b), W), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(grad_b, central_gradient(
        lambda c: objective_value(obj, penalty, W, c), b), rtol=1e-6, atol=1e-8)
    _, _, _, H = obj.newton_system(obj.linear(W, b))
    P = expit(X @ W + b)
    Xa = np.column_stack([X, np.ones(len(X))])
    for m in range(2):
        curv = sw * P[:, m] * (1 - P[:, m]) / sw.sum()
        np.testing.assert_allclose(H[m], Xa.T @ (Xa * curv[:, None]), rtol=1e-12)


def test_minibatch_rows_equal_an_objective_built_on_those_rows():
    X, Y, sw, W, b = make_problem(n=60, n_outputs=3, weighted=True)
    rows = np.array([1, 4, 5, 17, 30, 59])
    got = BinaryObjective(X, Y, sw).loss_gradient(W, b, rows=rows)
    expected = BinaryObjective(X[rows], Y[rows], sw[rows]).loss_gradient(W, b)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize("weighted", [False, True])
def test_blocked_pass_equals_the_direct_formulas(weighted):
    # Tiny blocks (7 rows, the last one partial) against whole-array formulas written out here.
    X, Y, sw, W, b = make_problem(n=101, n_outputs=2, weighted=weighted)
    obj = BinaryObjective(X, Y, sw)
    obj.block_rows = obj.newton_block_rows = 7
    s = np.ones(len(X)) if sw is None else sw
    Z = X @ W + b
    P = expit(Z)
    loss, grad_W, grad_b = obj.loss_gradient(W, b)
    np.testing.assert_allclose(loss, s @ (np.logaddexp(0, Z) - Y * Z) / s.sum(), rtol=1e-13)
    np.testing.assert_allclose(grad_W, X.T @ ((P - Y) * s[:, None]) / s.sum(), rtol=1e-12)
    np.testing.assert_allclose(grad_b, s @ (P - Y) / s.sum(), rtol=1e-12)
    _, _, _, H = obj.newton_system(Z)
    Xa = np.column_stack([X, np.ones(len(X))])
    for m in range(2):
        curv = s * P[:, m] * (1 - P[:, m]) / s.sum()
        np.testing.assert_allclose(H[m], Xa.T @ (Xa * curv[:, None]), rtol=1e-12)


def test_extreme_logits_give_finite_loss_gradient_and_hessian():
    X, Y, _, W, b = make_problem()
    obj = BinaryObjective(X, Y)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        loss, grad_W, grad_b = obj.loss_gradient(W * 1e250, b)
        Z = obj.linear(W * 1e250, b)
        n_loss, _, _, H = obj.newton_system(Z)
    assert np.isfinite(loss).all() and np.isfinite(grad_W).all() and np.isfinite(grad_b).all()
    np.testing.assert_allclose(n_loss, loss, rtol=1e-13)
    assert np.isfinite(H).all()
    # Every sample's probability is exactly 0 or 1: the curvature is 0 (solved by newton's ridge).
    np.testing.assert_array_equal(H, 0.0)


# ----- penalty -----------------------------------------------------------------------------

@pytest.mark.parametrize("penalty, expected", [
    ("none", Penalty()), ("l2", Penalty(l2=0.4)), ("l1", Penalty(l1=0.4)),
    ("elasticnet", Penalty(l1=0.1, l2=0.30000000000000004)),
])
def test_penalty_from_params_splits_lambda_by_l1_ratio(penalty, expected):
    assert Penalty.from_params(penalty, 0.4, 0.25) == expected
    assert Penalty.from_params(penalty, 0.0, 0.25) == Penalty()


def test_penalty_value_and_l1_prox_match_their_formulas():
    W = np.array([[1.5, -0.2], [-0.05, 0.0], [0.3, -2.0]])
    pen = Penalty(l1=0.5, l2=0.2)
    expected = 0.5 * np.abs(W).sum(axis=0) + 0.1 * (W ** 2).sum(axis=0)
    np.testing.assert_allclose(pen.value(W), expected, rtol=1e-15)
    shrunk = pen.prox(W, step=0.4)  # threshold 0.4 * 0.5 = 0.2
    np.testing.assert_allclose(shrunk, [[1.3, 0.0], [0.0, 0.0], [0.1, -1.8]], rtol=1e-15)
    assert np.all(shrunk[np.abs(W) <= 0.2] == 0.0)
    assert Penalty(l2=1.0).prox(W, 0.4) is W


def test_unknown_penalty_is_a_value_error_listing_the_choices():
    with pytest.raises(ValueError, match="'l3'.*'none', 'l2', 'l1' or 'elasticnet'"):
        Penalty.from_params("l3", 0.1, 0.5)
