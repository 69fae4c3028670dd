"""One-vs-rest and softmax regression against scikit-learn, binary fits and finite differences (issue 6)."""
import warnings

import numpy as np
import pytest
from scipy.special import expit
from scipy.special import softmax as sp_softmax
from sklearn.datasets import load_iris, load_wine
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import log_loss
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from logreg import LogisticRegression, OneVsRestLogisticRegression, SoftmaxRegression
from logreg.model import SeparableWarning
from logreg.objective import Penalty
from logreg.softmax_objective import SoftmaxObjective, softmax

LOADERS = {"iris": load_iris, "wine": load_wine}


def standardized(name):
    X, y = LOADERS[name](return_X_y=True)
    return StandardScaler().fit_transform(X), y


def blobs(seed, n=300, d=3, n_classes=4, spread=1.0):
    """Overlapping Gaussian blobs: never separable, so every optimum is finite."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=1.5, size=(n_classes, d))
    y = rng.integers(0, n_classes, size=n)
    y[:n_classes] = np.arange(n_classes)
    return centers[y] + spread * rng.normal(size=(n, d)), y


def sklearn_C(reg_strength, n_samples):
    return 1.0 / (reg_strength * n_samples)


# --------------------------------------------------------------------------- against scikit-learn

@pytest.mark.parametrize("name", ["iris", "wine"])
def test_ovr_newton_matches_sklearn_one_vs_rest(name):
    X, y = standardized(name)
    lam = 0.01
    ours = OneVsRestLogisticRegression(solver="newton", penalty="l2", reg_strength=lam,
                                       epochs=50).fit(X, y)
    ref = OneVsRestClassifier(SkLogisticRegression(C=sklearn_C(lam, len(y)), tol=1e-12,
                                                   max_iter=10_000)).fit(X, y)
    ref_coef = np.vstack([est.coef_ for est in ref.estimators_])
    ref_intercept = np.concatenate([est.intercept_ for est in ref.estimators_])
    assert ours.coef_.shape == (len(ref.classes_), X.shape[1])
    np.testing.assert_allclose(ours.coef_, ref_coef, atol=1e-4, rtol=0)
    np.testing.assert_allclose(ours.intercept_, ref_intercept, atol=1e-4, rtol=0)
    # sklearn's OneVsRestClassifier also normalizes the per-class sigmoids to sum 1.
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("name", ["iris", "wine"])
@pytest.mark.parametrize("solver", ["newton", "gd"])
def test_softmax_matches_sklearn_multinomial(name, solver):
    X, y = standardized(name)
    lam = 0.01
    params = (dict(solver="newton", epochs=50) if solver == "newton"
              else dict(solver="gd", learning_rate=1.0, epochs=3000))
    ours = SoftmaxRegression(penalty="l2", reg_strength=lam, **params).fit(X, y)
    ref = SkLogisticRegression(C=sklearn_C(lam, len(y)), tol=1e-12, max_iter=10_000).fit(X, y)
    # With L2 the weights are unique (their class-sum is 0 at the optimum); the unpenalized
    # intercepts are unique only up to a common shift, which changes no probability.
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4, rtol=0)
    np.testing.assert_allclose(ours.intercept_ - ours.intercept_.mean(),
                               ref.intercept_ - ref.intercept_.mean(), atol=1e-4, rtol=0)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)


def test_softmax_without_intercept_matches_sklearn():
    X, y = standardized("iris")
    lam = 0.05
    ours = SoftmaxRegression(solver="newton", penalty="l2", reg_strength=lam,
                             fit_intercept=False, epochs=50).fit(X, y)
    ref = SkLogisticRegression(C=sklearn_C(lam, len(y)), fit_intercept=False, tol=1e-12,
                               max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4, rtol=0)
    np.testing.assert_array_equal(ours.intercept_, 0.0)


# --------------------------------------------------------------------------- OvR = M binary fits

HISTORY_CASES = {
    "full-batch gd": dict(epochs=25, learning_rate=0.5),
    "mini-batch, random init, elastic net": dict(
        epochs=6, batch_size=32, init="random", random_state=3, penalty="elasticnet",
        reg_strength=0.05, l1_ratio=0.3),
    "newton l2": dict(solver="newton", penalty="l2", reg_strength=0.01, epochs=5),
}


@pytest.mark.parametrize("case", list(HISTORY_CASES))
def test_each_ovr_history_equals_its_binary_fit(case):
    params = HISTORY_CASES[case]
    X, y = standardized("wine")
    X_val, y_val = X[::3], y[::3]
    ovr = OneVsRestLogisticRegression(**params).fit(X, y, eval_set=(X_val, y_val))
    M, d = len(ovr.classes_), X.shape[1]
    assert ovr.history_["loss"].shape == (ovr.n_iter_ + 1, M)
    assert ovr.history_["coef"].shape == (ovr.n_iter_ + 1, M, d)
    for m, label in enumerate(ovr.classes_):
        single = LogisticRegression(**params).fit(
            X, (y == label).astype(int), eval_set=(X_val, (y_val == label).astype(int)))
        assert single.n_iter_ == ovr.n_iter_
        for key in ("loss", "data_loss", "val_loss", "coef", "intercept"):
            np.testing.assert_allclose(ovr.history_[key][:, m], single.history_[key],
                                       atol=1e-12, rtol=0, err_msg=f"{key}, class {label}")
        np.testing.assert_allclose(ovr.coef_[m], single.coef_[0], atol=1e-12, rtol=0)


@pytest.mark.parametrize("params", [dict(epochs=20), dict(solver="newton", penalty="l2",
                                                          reg_strength=0.1, epochs=6)])
def test_ovr_on_two_classes_is_logistic_regression(params):
    X, y = blobs(0, n_classes=2)
    X_val, y_val = blobs(1, n_classes=2)
    ovr = OneVsRestLogisticRegression(threshold=0.3, **params).fit(X, y, eval_set=(X_val, y_val))
    binary = LogisticRegression(threshold=0.3, **params).fit(X, y, eval_set=(X_val, y_val))
    assert ovr.coef_.shape == (1, X.shape[1])
    assert set(ovr.history_) == set(binary.history_)
    for key, values in binary.history_.items():
        assert ovr.history_[key].shape == values.shape
        np.testing.assert_allclose(ovr.history_[key], values, atol=1e-12, rtol=0)
    np.testing.assert_allclose(ovr.decision_function(X_val), binary.decision_function(X_val),
                               atol=1e-12)
    np.testing.assert_allclose(ovr.predict_proba(X_val), binary.predict_proba(X_val), atol=1e-12)
    np.testing.assert_allclose(ovr.predict_proba_ovr(X_val), binary.predict_proba(X_val),
                               atol=1e-12)
    # threshold=0.3 applies: more positives than the argmax would give.
    np.testing.assert_array_equal(ovr.predict(X_val), binary.predict(X_val))
    assert (ovr.predict(X_val) == 1).sum() > (ovr.predict_proba(X_val)[:, 1] > 0.5).sum()


# --------------------------------------------------------------------------- predictions

def test_ovr_probabilities_are_normalized_sigmoids_and_predict_is_argmax():
    X, y = blobs(2)
    model = OneVsRestLogisticRegression(epochs=30).fit(X, y)
    scores = X @ model.coef_.T + model.intercept_
    np.testing.assert_allclose(model.decision_function(X), scores, atol=1e-12)
    raw = expit(scores)
    np.testing.assert_allclose(model.predict_proba_ovr(X), raw, atol=1e-12)
    np.testing.assert_allclose(model.predict_proba(X), raw / raw.sum(axis=1, keepdims=True),
                               atol=1e-12)
    np.testing.assert_array_equal(model.predict(X), model.classes_[np.argmax(raw, axis=1)])


def test_ovr_predict_proba_is_finite_when_every_sigmoid_underflows():
    X, y = blobs(3)
    model = OneVsRestLogisticRegression(epochs=5).fit(X, y)
    model.intercept_ = np.array([-2000.0, -2001.0, -2002.0, -2003.0])
    model.coef_ = np.zeros_like(model.coef_)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        proba = model.predict_proba(X[:5])
    # p_m = e^{z_m} to first order here, so the normalized values are a softmax of the logits.
    np.testing.assert_allclose(proba, np.tile(sp_softmax(model.intercept_), (5, 1)), rtol=1e-12)


def test_softmax_predict_proba_sums_to_one_without_overflow_for_huge_logits():
    X, y = blobs(4)
    model = SoftmaxRegression(epochs=20).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X),
                               sp_softmax(X @ model.coef_.T + model.intercept_, axis=1),
                               atol=1e-12)
    model.coef_ = model.coef_ * 1e250
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        proba = model.predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_array_equal(proba.argmax(axis=1), model.predict_proba(X).argmax(axis=1))
    np.testing.assert_array_equal(model.classes_[proba.argmax(axis=1)], model.predict(X))


@pytest.mark.parametrize("Estimator", [OneVsRestLogisticRegression, SoftmaxRegression])
def test_string_labels_round_trip(Estimator):
    X, y = blobs(5, n_classes=3)
    names = np.array(["eel", "cat", "dog"])[y]
    model = Estimator(solver="newton", penalty="l2", reg_strength=0.01, epochs=20).fit(X, names)
    numeric = Estimator(solver="newton", penalty="l2", reg_strength=0.01, epochs=20).fit(X, y)
    assert model.classes_.tolist() == ["cat", "dog", "eel"]
    # Sorted labels: cat = 1, dog = 2, eel = 0 in the numeric fit.
    order = [1, 2, 0]
    np.testing.assert_allclose(model.coef_, numeric.coef_[order], atol=1e-10)
    np.testing.assert_array_equal(model.predict(X), np.array(["eel", "cat", "dog"])[numeric.predict(X)])


@pytest.mark.parametrize("Estimator", [OneVsRestLogisticRegression, SoftmaxRegression])
def test_one_class_is_a_clear_error(Estimator):
    X, _ = blobs(6)
    with pytest.raises(ValueError, match="only one class"):
        Estimator().fit(X, np.full(len(X), "cat"))


def test_softmax_newton_refuses_l1():
    X, y = blobs(7)
    with pytest.raises(ValueError, match="newton"):
        SoftmaxRegression(solver="newton", penalty="l1", reg_strength=0.1).fit(X, y)


def test_softmax_shapes_and_validation_loss():
    X, y = blobs(8)
    X_val, y_val = blobs(9)
    model = SoftmaxRegression(epochs=15).fit(X, y, eval_set=(X_val, y_val))
    M, d, k = 4, X.shape[1], model.n_iter_ + 1
    assert model.coef_.shape == (M, d) and model.intercept_.shape == (M,)
    assert model.decision_function(X).shape == (len(X), M)
    for key, shape in [("loss", (k,)), ("data_loss", (k,)), ("val_loss", (k,)),
                       ("coef", (k, M, d)), ("intercept", (k, M))]:
        assert model.history_[key].shape == shape, key
    np.testing.assert_allclose(model.history_["val_loss"][-1],
                               log_loss(y_val, model.predict_proba(X_val)), rtol=1e-12)
    np.testing.assert_allclose(model.history_["coef"][-1], model.coef_)


def test_softmax_on_two_classes_is_binary_logistic_with_half_the_penalty():
    # Softmax keeps w_0 = -w_1 under L2, so lambda (|w_0|^2 + |w_1|^2)/2 = (lambda/2)|w_1 - w_0|^2/2.
    X, y = blobs(10, n_classes=2)
    soft = SoftmaxRegression(solver="newton", penalty="l2", reg_strength=0.2, epochs=30,
                             threshold=0.7).fit(X, y)
    binary = LogisticRegression(solver="newton", penalty="l2", reg_strength=0.1, epochs=30,
                                threshold=0.7).fit(X, y)
    assert soft.coef_.shape == (2, X.shape[1])
    np.testing.assert_allclose(soft.coef_[1] - soft.coef_[0], binary.coef_[0], atol=1e-9)
    np.testing.assert_allclose(soft.decision_function(X), binary.decision_function(X), atol=1e-9)
    np.testing.assert_allclose(soft.predict_proba(X), binary.predict_proba(X), atol=1e-9)
    np.testing.assert_array_equal(soft.predict(X), binary.predict(X))


def test_unpenalized_softmax_keeps_the_symmetric_parametrization():
    X, y = blobs(11)
    model = SoftmaxRegression(epochs=200, learning_rate=0.5).fit(X, y)
    assert np.abs(model.coef_).max() > 0.1
    np.testing.assert_allclose(model.coef_.sum(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(model.intercept_.sum(), 0.0, atol=1e-12)
    newton = SoftmaxRegression(solver="newton", epochs=30).fit(X, y)
    np.testing.assert_allclose(newton.coef_.sum(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(newton.intercept_.sum(), 0.0, atol=1e-9)


def test_softmax_warns_on_separable_data_only():
    X, y = blobs(12, n_classes=3, spread=0.01)
    with pytest.warns(SeparableWarning):
        SoftmaxRegression(epochs=300, learning_rate=1.0).fit(X, y)
    X, y = blobs(12, n_classes=3, spread=2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SeparableWarning)
        SoftmaxRegression(epochs=300, learning_rate=1.0).fit(X, y)


def test_softmax_sample_weights_equal_repeated_rows():
    X, y = blobs(13, n=120)
    w = np.random.default_rng(0).integers(0, 4, size=len(y))
    w[:4] = 1
    params = dict(solver="newton", penalty="l2", reg_strength=0.01, epochs=30)
    weighted = SoftmaxRegression(**params).fit(X, y, sample_weight=w)
    repeated = SoftmaxRegression(**params).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-9)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, atol=1e-9)


# --------------------------------------------------------------------------- the objective

def objective_and_point(seed, fit_intercept, weighted):
    rng = np.random.default_rng(seed)
    n, d, M = 40, 3, 4
    X = rng.normal(size=(n, d))
    y = rng.integers(0, M, size=n)
    Y = (y[:, None] == np.arange(M)).astype(float)
    sw = rng.uniform(0.1, 3.0, size=n) if weighted else None
    obj = SoftmaxObjective(X, Y, sw, fit_intercept=fit_intercept)
    W, b = rng.normal(size=(d, M)), rng.normal(size=M)
    return obj, X, y, sw, W, b


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_softmax_loss_gradient_hessian_match_references(fit_intercept, weighted):
    obj, X, y, sw, W, b = objective_and_point(14, fit_intercept, weighted)
    d, M = W.shape
    loss, grad_W, grad_b = obj.loss_gradient(W, b)
    # Loss: scikit-learn's log-loss of the softmax probabilities (an independent formula).
    expected = log_loss(y, sp_softmax(X @ W + b, axis=1), sample_weight=sw, labels=range(M))
    np.testing.assert_allclose(loss, [expected], rtol=1e-12)
    np.testing.assert_allclose(obj.loss(W, b), [expected], rtol=1e-12)

    theta = np.vstack([W, b])
    h = 1e-6

    def f(t):
        return obj.loss(t[:d], t[d])[0]

    numeric = np.zeros_like(theta)
    for idx in np.ndindex(theta.shape):
        step = np.zeros_like(theta)
        step[idx] = h
        numeric[idx] = (f(theta + step) - f(theta - step)) / (2 * h)
    if not fit_intercept:
        numeric[d] = 0.0
    np.testing.assert_allclose(np.vstack([grad_W, grad_b]), numeric, atol=1e-8)

    _, gW2, gb2, H = obj.newton_system(obj.linear(W, b))
    np.testing.assert_allclose(gW2, grad_W, atol=1e-14)
    np.testing.assert_allclose(gb2, grad_b, atol=1e-14)
    # Hessian column k: central difference of the full (intercept included) gradient.
    full = SoftmaxObjective(obj.X, obj.Y, sw, fit_intercept=True)
    D = theta.size
    numeric_H = np.zeros((D, D))
    for k in range(D):
        step = np.zeros(D)
        step[k] = h
        tp, tm = (theta.ravel() + step).reshape(theta.shape), (theta.ravel() - step).reshape(theta.shape)
        gp, gm = full.loss_gradient(tp[:d], tp[d]), full.loss_gradient(tm[:d], tm[d])
        numeric_H[:, k] = (np.vstack([gp[1], gp[2]]) - np.vstack([gm[1], gm[2]])).ravel() / (2 * h)
    np.testing.assert_allclose(H, numeric_H, atol=1e-7)


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_softmax_newton_direction_solves_the_newton_system(l2):
    obj, _, _, _, W, b = objective_and_point(15, True, False)
    d, M = W.shape
    _, grad_W, grad_b, H = obj.newton_system(obj.linear(W, b))
    dW, db = obj.newton_direction(grad_W, grad_b, H, W, Penalty(l2=l2))
    step = np.vstack([dW, db]).ravel()
    A = H + np.diag(np.r_[np.full(d * M, l2), np.zeros(M)])
    g = np.vstack([grad_W + l2 * W, grad_b]).ravel()
    np.testing.assert_allclose(A @ step, -g, atol=1e-9)
    # No move along "shift every intercept equally" (it changes nothing).
    assert abs(db.sum()) < 1e-9


def test_softmax_function_is_stable():
    Z = np.array([[1e308, -1e308, 0.0], [-1000.0, -1001.0, -1002.0], [0.0, 0.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        P = softmax(Z)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_allclose(P[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(P[1], sp_softmax([0.0, -1.0, -2.0]), rtol=1e-14)


# --------------------------------------------------------------------------- scikit-learn API

@parametrize_with_checks([OneVsRestLogisticRegression(), SoftmaxRegression()])
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)
