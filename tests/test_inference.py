"""logreg.inference against statsmodels, scikit-learn, scipy and finite differences (issue 15)."""
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from sklearn.linear_model import LogisticRegression as SkLogistic
from sklearn.preprocessing import PolynomialFeatures

from logreg import LogisticRegression
from logreg import inference as inf
from logreg._special import chi2_sf, normal_two_sided_p
from logreg.objective import BinaryObjective
from logreg.pipeline import FeatureMap

RTOL = 1e-5


def credit_like(seed=0, n=2000):
    """Raw columns on very different scales: age ~45, income ~50,000, balance ~800."""
    rng = np.random.default_rng(seed)
    age = rng.normal(45, 12, n)
    income = rng.normal(50_000, 15_000, n)
    balance = rng.normal(800, 485, n)
    X = np.column_stack([age, income, balance])
    z = -6 + 0.03 * age + 1e-5 * income + 0.005 * balance
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    return X, y


def newton_fit(X, y, **params):
    return LogisticRegression(solver="newton", epochs=200, **params).fit(X, y)


def statsmodels_fit(X, y):
    return sm.Logit(y, sm.add_constant(X, has_constant="add")).fit(disp=0, method="newton",
                                                                    tol=1e-12, maxiter=200)


def assert_matches_statsmodels(table, ref):
    np.testing.assert_allclose(table["coef"], ref.params, rtol=RTOL, atol=1e-10)
    np.testing.assert_allclose(table["std_err"], ref.bse, rtol=RTOL)
    np.testing.assert_allclose(table["z"], ref.tvalues, rtol=RTOL)
    np.testing.assert_allclose(table["p_value"], ref.pvalues, rtol=1e-4, atol=1e-300)
    ci = np.asarray(ref.conf_int())
    np.testing.assert_allclose(table[["ci_low", "ci_high"]], ci, rtol=RTOL, atol=1e-10)
    np.testing.assert_allclose(table["odds_ratio"], np.exp(ref.params), rtol=RTOL)
    np.testing.assert_allclose(table[["or_ci_low", "or_ci_high"]], np.exp(ci), rtol=RTOL)
    a = table.attrs
    assert a["log_likelihood"] == pytest.approx(ref.llf, rel=1e-9)
    assert a["null_log_likelihood"] == pytest.approx(ref.llnull, rel=1e-9)
    assert a["pseudo_r2"] == pytest.approx(ref.prsquared, rel=RTOL)
    assert a["llr_p_value"] == pytest.approx(ref.llr_pvalue, rel=1e-4, abs=1e-300)
    assert a["aic"] == pytest.approx(ref.aic, rel=1e-9)
    assert a["bic"] == pytest.approx(ref.bic, rel=1e-9)
    assert a["n_obs"] == ref.nobs


# ---------------------------------------------------------------- special functions vs scipy

@pytest.mark.parametrize("z", [0.0, 0.3, -1.2, 1.959963984540054, 4.0, -8.5, 20.0, 37.0])
def test_normal_p_value_matches_scipy(z):
    assert normal_two_sided_p(z) == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)


@pytest.mark.parametrize("df", [1, 2, 3, 5, 20, 101])
@pytest.mark.parametrize("x", [1e-6, 0.1, 1.0, 3.84, 10.0, 50.0, 300.0, 1200.0])
def test_chi2_sf_matches_scipy(x, df):
    expected = stats.chi2.sf(x, df)
    assert chi2_sf(x, df) == pytest.approx(expected, rel=1e-10, abs=1e-300)


def test_chi2_sf_edges():
    assert chi2_sf(0.0, 3) == 1.0 and chi2_sf(math.inf, 3) == 0.0
    with pytest.raises(ValueError):
        chi2_sf(1.0, 0)


# ---------------------------------------------------------------- summary vs statsmodels

def test_summary_matches_statsmodels_on_raw_units():
    X, y = credit_like()
    model = newton_fit(X, y)
    table = inf.summary(model, X, y, feature_names=["age", "income", "balance"])
    assert list(table.columns) == list(inf.COLUMNS)
    assert list(table.index) == ["intercept", "age", "income", "balance"]
    assert_matches_statsmodels(table, statsmodels_fit(X, y))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_matches_statsmodels_standardized(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(500, 4))
    y = (rng.random(500) < 1 / (1 + np.exp(-(X @ [1.0, -0.5, 0.0, 0.2] + 0.3)))).astype(int)
    table = inf.summary(newton_fit(X, y), X, y)
    assert list(table.index) == ["intercept", "x1", "x2", "x3", "x4"]
    assert_matches_statsmodels(table, statsmodels_fit(X, y))


def test_summary_uses_text_labels():
    X, y = credit_like(seed=4, n=800)
    labels = np.where(y == 1, "Yes", "No")
    table = inf.summary(newton_fit(X, labels), X, labels)
    assert_matches_statsmodels(table, statsmodels_fit(X, y))


def test_hessian_is_the_jacobian_of_the_score():
    """The information the SEs invert equals a finite-difference derivative of the gradient."""
    X, y = credit_like(seed=5, n=300)
    X = (X - X.mean(0)) / X.std(0)
    model = newton_fit(X, y)
    stats_ = inf.fit_statistics(model, X, y)
    info = np.linalg.inv(stats_.cov)  # intercept first
    obj = BinaryObjective(X, y[:, None].astype(float))

    def grad(theta):  # total (not mean) negative log-likelihood gradient, intercept first
        _, gW, gb = obj.loss_gradient(theta[1:, None], theta[:1])
        return np.concatenate([gb, gW[:, 0]]) * len(y)

    theta = stats_.theta
    fd = np.zeros_like(info)
    h = 1e-5
    for j in range(theta.size):
        e = np.zeros_like(theta)
        e[j] = h
        fd[:, j] = (grad(theta + e) - grad(theta - e)) / (2 * h)
    np.testing.assert_allclose(info, fd, rtol=1e-6, atol=1e-6)


def test_penalized_summary_has_coefficients_and_a_note_only():
    X, y = credit_like(seed=6, n=500)
    X = (X - X.mean(0)) / X.std(0)
    model = newton_fit(X, y, penalty="l2", reg_strength=0.1)
    table = inf.summary(model, X, y)
    assert list(table.columns) == ["coef", "odds_ratio"]
    np.testing.assert_allclose(table["coef"], np.r_[model.intercept_, model.coef_[0]])
    assert "do not apply" in table.attrs["note"]
    assert np.isfinite(table.to_numpy()).all()


def test_separable_data_is_a_clear_error():
    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    with pytest.warns(UserWarning):
        model = newton_fit(X, y)
    with pytest.raises(ValueError, match="perfectly separated.*Leave out"):
        inf.summary(model, X, y)


def test_singular_hessian_names_the_columns():
    rng = np.random.default_rng(7)
    a = rng.normal(size=400)
    X = np.column_stack([a, rng.normal(size=400), 2.0 * a])  # the same quantity twice
    y = (rng.random(400) < 1 / (1 + np.exp(-a))).astype(int)
    model = newton_fit(X, y)
    with pytest.raises(ValueError, match=r"singular: .*'x1'.*'x3'.*Leave one"):
        inf.summary(model, X, y)


# ---------------------------------------------------------------- raw units

def test_unit_summary_equals_statsmodels_on_raw_columns():
    """A model on standardized features, mapped back: the table of a fit on the raw columns."""
    X, y = credit_like(seed=8)
    fmap = FeatureMap(X, ["age", "income", "balance"], standardize=True, degree=1)
    model = newton_fit(fmap.transform(X), y)
    table = inf.unit_summary(model, fmap, X, y)
    assert list(table.index) == ["intercept", "age", "income", "balance"]
    assert_matches_statsmodels(table[list(inf.COLUMNS)], statsmodels_fit(X, y))
    np.testing.assert_allclose(table["sd"].iloc[1:], X.std(axis=0))
    np.testing.assert_allclose(table["or_per_sd"].iloc[1:], np.exp(model.coef_[0]), rtol=1e-9)


def test_unit_summary_with_polynomial_terms_equals_raw_polynomial_fit():
    rng = np.random.default_rng(9)
    n = 1500
    X = np.column_stack([rng.normal(40, 10, n), rng.normal(5, 2, n)])
    z = -1 + 0.002 * (X[:, 0] - 40) ** 2 - 0.3 * (X[:, 1] - 5) + 0.01 * (X[:, 0] - 40) * X[:, 1]
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    fmap = FeatureMap(X, ["age", "balance"], standardize=True, degree=2)
    model = newton_fit(fmap.transform(X), y)
    table = inf.unit_summary(model, fmap, X, y)
    assert list(table.index) == ["intercept", "age", "balance", "age^2", "age balance",
                                 "balance^2"]
    raw = PolynomialFeatures(2, include_bias=False).fit_transform(X)
    assert_matches_statsmodels(table[list(inf.COLUMNS)], statsmodels_fit(raw, y))


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_to_raw_units_matches_sklearn_on_raw_data_and_predicts_the_same():
    X, y = credit_like(seed=10)
    fmap = FeatureMap(X, ["age", "income", "balance"], degree=1)
    model = newton_fit(fmap.transform(X), y)
    w, b = inf.to_raw_units(fmap, model.coef_[0], model.intercept_[0])
    ref = SkLogistic(C=np.inf, tol=1e-12, max_iter=10_000, solver="newton-cg").fit(X, y)
    np.testing.assert_allclose(w, ref.coef_[0], rtol=1e-4)
    assert b == pytest.approx(ref.intercept_[0], rel=1e-4)
    np.testing.assert_allclose(X @ w + b, model.decision_function(fmap.transform(X)),
                               rtol=1e-9, atol=1e-9)


def test_penalized_unit_summary_maps_coefficients_without_uncertainty():
    X, y = credit_like(seed=11, n=600)
    fmap = FeatureMap(X, ["age", "income", "balance"], degree=1)
    model = LogisticRegression(solver="gd", penalty="l1", reg_strength=0.01, epochs=300,
                               learning_rate=0.5).fit(fmap.transform(X), y)
    table = inf.unit_summary(model, fmap, X, y)
    assert "std_err" not in table.columns and "note" in table.attrs
    np.testing.assert_allclose(table["coef"].iloc[1:], model.coef_[0] / fmap.scale)


# ---------------------------------------------------------------- sentences

def test_effect_sentence_uses_the_table_numbers():
    X, y = credit_like(seed=12)
    fmap = FeatureMap(X, ["age", "income", "balance"], degree=1)
    table = inf.unit_summary(newton_fit(fmap.transform(X), y), fmap, X, y)
    row = table.loc["age"]
    text = inf.effect_sentence("age", row, "Yes")
    assert text.startswith(f"each +1 in age multiplies the odds of Yes by "
                           f"{inf.fmt_ratio(row['odds_ratio'])} (95%: "
                           f"{inf.fmt_ratio(row['or_ci_low'])} to "
                           f"{inf.fmt_ratio(row['or_ci_high'])})")
    assert f"(= {inf.fmt_amount(row['sd'])} of age)" in text
    assert ("no evidence" in text) == (row["or_ci_low"] <= 1 <= row["or_ci_high"])
    names = [name for name, _ in inf.top_effects(table, "Yes", k=3)]
    strength = (table["coef"] * table["sd"]).abs().drop("intercept")
    assert names == list(strength.sort_values(ascending=False).index)


def test_no_evidence_sentence_when_interval_spans_one():
    rng = np.random.default_rng(13)
    X = rng.normal(size=(300, 2))
    y = (rng.random(300) < 1 / (1 + np.exp(-X[:, 0]))).astype(int)
    table = inf.summary(newton_fit(X, y), X, y, feature_names=["signal", "noise"])
    assert table.loc["noise", "or_ci_low"] < 1 < table.loc["noise", "or_ci_high"]
    assert "no evidence of an effect" in inf.effect_sentence("noise", table.loc["noise"], "Yes")
    assert "no evidence" not in inf.effect_sentence("signal", table.loc["signal"], "Yes")


@pytest.mark.parametrize("value, text", [(1.03, "1.03"), (15.93, "15.9"), (1.0000105, "1.0000105"),
                                         (0.5, "0.50"), (1.0, "1.00"), (0.00712, "0.00712"),
                                         (2.5e-7, "2.5e-07")])
def test_fmt_ratio_shows_the_distance_from_one(value, text):
    assert inf.fmt_ratio(value) == text


# ---------------------------------------------------------------- regularization path

def path_data(seed=14, n=400, d=6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = np.array([1.5, -1.0, 0.5, 0.0, 0.0, 0.25])[:d]
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ w + 0.2)))).astype(int)
    return X, y


def test_l2_path_matches_sklearn_lbfgs():
    X, y = path_data()
    lams = np.geomspace(1.0, 1e-4, 8)
    coefs, intercepts = inf.regularization_path(X, y, lams, penalty="l2")
    assert coefs.shape == (8, X.shape[1]) and intercepts.shape == (8,)
    for lam, w, b in zip(lams, coefs, intercepts):
        ref = SkLogistic(C=1 / (lam * len(y)), solver="lbfgs", tol=1e-12, max_iter=10_000).fit(X, y)
        np.testing.assert_allclose(w, ref.coef_[0], atol=1e-4)
        assert b == pytest.approx(ref.intercept_[0], abs=1e-4)


def test_path_keeps_the_order_of_the_strengths():
    X, y = path_data(seed=15)
    lams = [0.01, 1.0, 0.1]
    coefs, _ = inf.regularization_path(X, y, lams)
    sorted_coefs, _ = inf.regularization_path(X, y, sorted(lams))
    np.testing.assert_allclose(coefs, sorted_coefs[[0, 2, 1]], atol=1e-8)


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
def test_l1_path_objective_matches_saga_with_the_same_zeros(penalty):
    X, y = path_data(seed=16)
    lams = np.array([0.1, 0.03, 0.01, 0.003])
    coefs, intercepts = inf.regularization_path(X, y, lams, penalty=penalty, l1_ratio=0.5)
    for lam, w, b in zip(lams, coefs, intercepts):
        ref = SkLogistic(C=1 / (lam * len(y)), l1_ratio=1.0 if penalty == "l1" else 0.5,
                         solver="saga", tol=1e-12, max_iter=100_000).fit(X, y)
        ours = inf.path_objective(X, y, w, b, lam, penalty=penalty)
        theirs = inf.path_objective(X, y, ref.coef_[0], ref.intercept_[0], lam, penalty=penalty)
        assert ours <= theirs + 1e-6
        assert abs(ours - theirs) < 1e-6
        np.testing.assert_array_equal(w == 0, np.abs(ref.coef_[0]) < 1e-8)


def test_l1_path_zeroes_weights_one_by_one():
    X, y = path_data(seed=17)
    lams = inf.default_strengths(X, y, 20, penalty="l1")
    coefs, _ = inf.regularization_path(X, y, lams, penalty="l1")
    zeros = (coefs == 0).sum(axis=1)
    assert zeros[0] == X.shape[1]  # the largest lambda zeroes everything
    assert zeros[-1] < X.shape[1]
    assert np.all(np.diff(zeros) <= 1) or np.all(np.diff(zeros) <= 0)


def test_path_rejects_bad_strengths():
    X, y = path_data()
    with pytest.raises(ValueError, match="reg_strengths"):
        inf.regularization_path(X, y, [-1.0])
    with pytest.raises(ValueError, match="penalty"):
        inf.regularization_path(X, y, [0.1], penalty="none")
