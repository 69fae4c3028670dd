"""The per-epoch history recorded late, a block of epochs at once (issue 14: the Train page's fit).

The test-set loss (``val_loss``) and the convergence criterion (``grad_norm``) of every epoch are
computed after training from the weights and gradients kept per epoch. Checked here against the
closed form at each recorded epoch (numpy's ``logaddexp`` log-loss, the gradient from its
formula), and against the per-epoch path (a plain monitor function and an eager criterion,
which is what every epoch computed before), in the solvers' cases: full batch, mini-batches,
L1 / elastic net, Newton, stopping early, divergence, a callback that stops, sample weights,
one-vs-rest and softmax.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import logsumexp

from logreg import LogisticRegression, OneVsRestLogisticRegression, SoftmaxRegression
from logreg.objective import BinaryObjective, Penalty
from logreg.softmax_objective import SoftmaxObjective
from logreg.solvers import gradient_criteria, gradient_criterion, gradient_descent

RTOL = 1e-12


@pytest.fixture(scope="module")
def moons():
    rng = np.random.default_rng(3)
    n = 300
    t = rng.uniform(0, np.pi, n)
    y = rng.integers(0, 2, n)
    X = np.column_stack([np.where(y, 1 - np.cos(t), np.cos(t)),
                         np.where(y, 0.5 - np.sin(t), np.sin(t))]) + rng.normal(0, 0.2, (n, 2))
    X = (X - X.mean(0)) / X.std(0)
    X = np.column_stack([X, X[:, 0] * X[:, 1], X[:, 0] ** 2])  # 4 features
    return X[:220], y[:220], X[220:], y[220:]


@pytest.fixture(scope="module")
def three_classes():
    rng = np.random.default_rng(5)
    centers = np.array([[0.0, 2.0], [2.0, -1.0], [-2.0, -1.0]])
    y = rng.integers(0, 3, 240)
    X = centers[y] + rng.normal(0, 1.0, (240, 2))
    return X[:180], y[:180], X[180:], y[180:]


def binary_log_loss(X, y, coef, intercept, sw=None):
    """Closed form: mean of log(1 + e^z) - y z, per epoch (coef (E, d), intercept (E,))."""
    Z = X @ coef.T + intercept  # (n, E)
    losses = np.logaddexp(0.0, Z) - y[:, None] * Z
    return losses.mean(axis=0) if sw is None else sw @ losses / sw.sum()


def binary_criterion(X, y, coef, intercept, l2=0.0, l1=0.0, sw=None):
    """Closed form of the convergence criterion per epoch: the largest |entry| of the
    (sub)gradient, with the data gradient X^T (p - y) / n, 1^T (p - y) / n."""
    sw = np.ones(len(y)) if sw is None else sw
    out = []
    for w, b in zip(coef, intercept):
        r = sw * (1.0 / (1.0 + np.exp(-(X @ w + b))) - y) / sw.sum()
        g = X.T @ r + l2 * w
        if l1:
            g = np.where(w != 0, g + l1 * np.sign(w), np.maximum(np.abs(g) - l1, 0.0))
        out.append(max(np.abs(g).max(), abs(r.sum())))
    return np.array(out)


CASES = {
    "full batch": dict(learning_rate=0.5, epochs=120),
    "mini-batch": dict(learning_rate=0.1, epochs=40, batch_size=32, random_state=1),
    "l1": dict(learning_rate=0.5, epochs=80, penalty="l1", reg_strength=0.02),
    "elastic net": dict(learning_rate=0.5, epochs=80, penalty="elasticnet", reg_strength=0.02,
                        l1_ratio=0.4),
    "l2 newton": dict(solver="newton", epochs=30, penalty="l2", reg_strength=0.01),
    "stop early": dict(learning_rate=3.0, epochs=2000, stop_early=True),
    "tol": dict(learning_rate=0.5, epochs=2000, tol=1e-6),
}


def penalty_parts(params):
    p = Penalty.from_params(params.get("penalty", "none"), params.get("reg_strength", 0.0),
                            params.get("l1_ratio", 0.5))
    return p.l2, p.l1


@pytest.mark.parametrize("name", list(CASES))
def test_binary_history_equals_the_closed_form_at_every_epoch(moons, name):
    X, y, Xv, yv = moons
    params = CASES[name]
    model = LogisticRegression(**params).fit(X, y, eval_set=(Xv, yv))
    h = model.history_
    assert list(h) == ["loss", "data_loss", "coef", "intercept", "grad_norm", "val_loss"]
    assert all(len(v) == model.n_iter_ + 1 for v in h.values())
    np.testing.assert_allclose(h["val_loss"], binary_log_loss(Xv, yv, h["coef"], h["intercept"]),
                               rtol=1e-10)
    l2, l1 = penalty_parts(params)
    np.testing.assert_allclose(
        h["grad_norm"], binary_criterion(X, y, h["coef"], h["intercept"], l2, l1),
        rtol=1e-8, atol=1e-13)
    assert model.convergence_["value"] == h["grad_norm"][-1]


def _per_epoch_reference(X, y, Xv, yv, params, sw=None):
    """The same fit recorded the per-epoch way: a plain monitor function (no ``many``) and the
    criterion computed every epoch (``stop_early`` with ``gtol = 0``, which never stops a
    fit that has not reached the exact optimum)."""
    objective = BinaryObjective(X, y[:, None].astype(float), sw)
    val = BinaryObjective(Xv, yv[:, None].astype(float))
    penalty = Penalty.from_params(params.get("penalty", "none"), params.get("reg_strength", 0.0),
                                  params.get("l1_ratio", 0.5))
    W, b = np.zeros((X.shape[1], 1)), np.zeros(1)
    kwargs = dict(learning_rate=params["learning_rate"], epochs=params["epochs"],
                  batch_size=params.get("batch_size"), rng=np.random.default_rng(1))
    eager = gradient_descent(objective, penalty, W, b, **kwargs, gtol=0.0, stop_early=True,
                             monitor=lambda W, b: {"val_loss": val.loss(W, b)})

    class Many:
        values_per_epoch = val.n_samples

        def __call__(self, W, b):
            return {"val_loss": val.loss(W, b)}

        def many(self, Ws, bs):
            return {"val_loss": val.loss_many(Ws, bs)}

    late = gradient_descent(objective, penalty, W, b, **{**kwargs, "rng": np.random.default_rng(1)},
                            gtol=0.0, monitor=Many())
    return eager, late


@pytest.mark.parametrize("name", ["full batch", "mini-batch", "l1", "elastic net"])
@pytest.mark.parametrize("weighted", [False, True])
def test_late_history_equals_the_per_epoch_path(moons, name, weighted):
    X, y, Xv, yv = moons
    sw = np.random.default_rng(2).uniform(0.2, 3.0, len(y)) if weighted else None
    eager, late = _per_epoch_reference(X, y, Xv, yv, CASES[name], sw)
    assert list(late.history) == list(eager.history)
    for key in ("loss", "data_loss", "coef", "intercept", "grad_norm"):
        np.testing.assert_array_equal(late.history[key], eager.history[key], err_msg=key)
    np.testing.assert_allclose(late.history["val_loss"], eager.history["val_loss"], rtol=RTOL)
    assert late.grad_norm == eager.grad_norm


def test_diverged_run_keeps_its_history_and_criterion(moons):
    X, y, Xv, yv = moons
    model = LogisticRegression(learning_rate=1e4, epochs=50, penalty="l2", reg_strength=1.0)
    with pytest.warns(UserWarning):
        model.fit(X, y, eval_set=(Xv, yv))
    assert model.diverged_
    h = model.history_
    assert all(len(v) == model.n_iter_ + 1 for v in h.values())
    np.testing.assert_allclose(h["val_loss"], binary_log_loss(Xv, yv, h["coef"], h["intercept"]),
                               rtol=1e-10)
    np.testing.assert_allclose(h["grad_norm"],
                               binary_criterion(X, y, h["coef"], h["intercept"], l2=1.0),
                               rtol=1e-8)


def test_a_large_validation_set_is_recorded_in_blocks(moons, monkeypatch):
    """Blocks of a few epochs (as on a large validation set) give the same history."""
    import logreg.solvers as solvers

    X, y, Xv, yv = moons
    whole = LogisticRegression(learning_rate=0.5, epochs=50).fit(X, y, eval_set=(Xv, yv))
    monkeypatch.setattr(solvers, "_BLOCK_VALUES", 7 * len(yv))  # 7 epochs per block
    blocks = LogisticRegression(learning_rate=0.5, epochs=50).fit(X, y, eval_set=(Xv, yv))
    np.testing.assert_allclose(blocks.history_["val_loss"], whole.history_["val_loss"],
                               rtol=RTOL)
    np.testing.assert_array_equal(blocks.history_["grad_norm"], whole.history_["grad_norm"])


def test_callback_sees_the_history_of_its_epoch_even_when_read_later(moons):
    X, y, Xv, yv = moons
    seen = []

    def callback(epoch, model):
        seen.append((epoch, model.history_))  # read after training, not now
        return epoch == 30

    model = LogisticRegression(learning_rate=0.5, epochs=100).fit(X, y, eval_set=(Xv, yv),
                                                                  callback=callback)
    assert model.n_iter_ == 30 and model.stopped_early_
    for epoch, history in seen:
        assert set(history) == set(model.history_)
        for key, values in history.items():
            assert len(values) == epoch + 1
            np.testing.assert_array_equal(values, model.history_[key][:epoch + 1], err_msg=key)


def test_one_vs_rest_and_softmax_validation_loss_equal_the_closed_form(three_classes):
    X, y, Xv, yv = three_classes
    ovr = OneVsRestLogisticRegression(learning_rate=0.5, epochs=60).fit(X, y, eval_set=(Xv, yv))
    h = ovr.history_
    for m in range(3):
        np.testing.assert_allclose(
            h["val_loss"][:, m],
            binary_log_loss(Xv, (yv == m).astype(float), h["coef"][:, m], h["intercept"][:, m]),
            rtol=1e-10)
    soft = SoftmaxRegression(learning_rate=0.5, epochs=60).fit(X, y, eval_set=(Xv, yv))
    h = soft.history_
    Z = np.einsum("nd,ekd->enk", Xv, h["coef"]) + h["intercept"][:, None, :]  # (E, n, k)
    expected = (logsumexp(Z, axis=2) - Z[:, np.arange(len(yv)), yv]).mean(axis=1)
    np.testing.assert_allclose(np.ravel(h["val_loss"]), expected, rtol=1e-10)


def test_loss_many_equals_loss_per_epoch():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 3))
    Ws, bs = rng.normal(size=(9, 3, 2)) * 3, rng.normal(size=(9, 2))
    cases = [BinaryObjective(X, (rng.random((500, 2)) < 0.4).astype(float)),
             BinaryObjective(X, (rng.random((500, 2)) < 0.4).astype(float),
                             sample_weight=rng.uniform(0, 2, 500)),
             BinaryObjective(X, rng.random((500, 2))),  # soft labels: the plain formulas
             SoftmaxObjective(X, np.eye(2)[rng.integers(0, 2, 500)])]
    for objective in cases:
        expected = np.stack([objective.loss(W, b) for W, b in zip(Ws, bs)])
        np.testing.assert_allclose(objective.loss_many(Ws, bs), expected, rtol=RTOL)


def test_gradient_criteria_equal_the_criterion_epoch_by_epoch():
    rng = np.random.default_rng(1)
    E, d, M = 12, 4, 3
    G, gb = rng.normal(size=(E, d, M)), rng.normal(size=(E, M))
    W = rng.normal(size=(E, d, M))
    W[rng.random((E, d, M)) < 0.3] = 0.0  # zero weights: the L1 band
    G[2, 1, 1], W[5, 0, 0], gb[7, 2] = np.nan, np.inf, np.nan  # non-finite: inf
    for penalty in (Penalty(), Penalty(l2=0.3), Penalty(l1=0.5), Penalty(l1=0.2, l2=0.1)):
        with np.errstate(invalid="ignore"):
            expected = [gradient_criterion(G[e], gb[e], W[e], penalty) for e in range(E)]
            got = gradient_criteria(G, gb, W, penalty)
        np.testing.assert_array_equal(got, expected)
