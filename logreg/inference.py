"""Why the model says what it says: the coefficient table with uncertainty, in model units or in
the units of the user's own columns, and the regularization path.

- :func:`summary` is statsmodels' ``Logit(y, add_constant(X)).fit()`` table for a fitted logreg
  model: Wald standard errors from the inverse Hessian of the log-likelihood at the fit, z, p,
  95% intervals, odds ratios, and the model-fit numbers (log-likelihoods, McFadden pseudo R²,
  likelihood-ratio p-value, AIC, BIC).
- :func:`raw_unit_map` / :func:`unit_summary` carry a model trained on standardized (and
  polynomial) features back to the raw columns: the logit is a polynomial in the raw values, and
  its coefficients are a *linear* function ``A theta`` of the model's, so the covariance maps as
  ``A Cov A^T``: no refit. On an unpenalized fit this is exactly the table of a fit on the raw
  columns (maximum likelihood does not depend on how the features are scaled).
- :func:`regularization_path` fits one model per penalty strength, each starting from the last.

Conventions: ``theta = [b, w_1, ..., w_d]`` (intercept first, as statsmodels' ``add_constant``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product as _cartesian

import numpy as np
import pandas as pd

from ._special import Z_95, chi2_sf, normal_two_sided_p
from .objective import BinaryObjective, Penalty

COLUMNS = ("coef", "std_err", "z", "p_value", "ci_low", "ci_high", "odds_ratio", "or_ci_low",
           "or_ci_high")
INTERCEPT = "intercept"
PENALIZED_NOTE = ("This model is penalized (regularized), so standard errors, p-values and "
                  "confidence intervals do not apply: the penalty pulls every coefficient towards "
                  "0, and the usual formulas assume it does not. Set the penalty to none to see "
                  "them.")
# Below this ratio of smallest to largest eigenvalue (of the Hessian scaled to unit diagonal),
# the Hessian is treated as singular: columns that are (nearly) linear combinations of others.
_SINGULAR_RCOND = 1e-10
# A path's Newton run ends after a full step taken with a decrement below this share of the
# objective (see _newton_l2): one Hessian pass fewer per strength than waiting for 1e-10.
_PATH_FINAL_DECREMENT = 1e-6


# ============================================================================================
# The statistics at a fit
# ============================================================================================

@dataclass(frozen=True)
class FitStatistics:
    """What the table is built from, in the model's own features.

    ``theta`` (d+1,) = [b, w]; ``cov`` (d+1, d+1) inverse observed information (None when the
    fit is penalized); log-likelihoods are sums over the ``n_obs`` rows (not means).
    """

    theta: np.ndarray
    cov: np.ndarray | None
    log_likelihood: float
    null_log_likelihood: float
    n_obs: int
    penalized: bool
    max_abs_score: float


def _binary_target(model, y) -> np.ndarray:
    y = np.asarray(y)
    classes = getattr(model, "classes_", None)
    if classes is None or len(classes) != 2:
        raise ValueError("summary needs a fitted binary model (two classes).")
    y01 = (y == classes[1]).astype(np.float64)
    if not ((y == classes[0]) | (y == classes[1])).all():
        raise ValueError(f"y holds labels other than the model's classes {list(classes)}.")
    return y01


def _is_penalized(model) -> bool:
    return getattr(model, "penalty", "none") != "none" and float(
        getattr(model, "reg_strength", 0.0)) > 0.0


def fit_statistics(model, X, y) -> FitStatistics:
    """Log-likelihood, score and inverse Hessian of a fitted binary model at its coefficients.

    Raises ValueError (with what to do) when the classes are perfectly separated or the Hessian
    is singular (collinear or constant columns): no finite table exists then.
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != np.asarray(model.coef_).shape[-1]:
        raise ValueError(f"X has shape {X.shape} but the model has "
                         f"{np.asarray(model.coef_).shape[-1]} features.")
    if not getattr(model, "fit_intercept", True):
        raise ValueError("summary needs a model fitted with an intercept (fit_intercept=True).")
    y01 = _binary_target(model, y)
    n, d = X.shape
    w = np.asarray(model.coef_, dtype=np.float64).reshape(-1)
    b = float(np.asarray(model.intercept_).reshape(-1)[0])
    objective = BinaryObjective(X, y01[:, None])
    # Logits by the objective's own row-split pass: a BLAS-threaded X @ w leaves BLAS threads
    # spinning, which slows the threaded Hessian pass right after it (see objective.linear).
    Z = objective.linear(w[:, None], np.array([b]))
    # One blocked pass: mean loss, mean gradient and mean Hessian [X 1]^T diag(p(1-p)) [X 1] / n.
    loss, grad_W, grad_b, H = objective.newton_system(Z)
    log_lik = -float(loss[0]) * n
    share = y01.mean()
    share = float(share)
    null = 0.0 if share in (0.0, 1.0) else n * (share * math.log(share)
                                                 + (1 - share) * math.log(1 - share))
    score = float(max(np.abs(grad_W).max(initial=0.0), abs(float(grad_b[0])))) * n
    names = _names(model, d, None)
    _check_not_separated(Z[:, 0], y01)
    penalized = _is_penalized(model)
    cov = None if penalized else _inverse_information(_intercept_first(H[0]) * n, names)
    return FitStatistics(np.concatenate([[b], w]), cov, log_lik, null, n, penalized, score)


def _intercept_first(H):
    """The solver's Hessian has the intercept last; the table has it first."""
    order = np.r_[H.shape[0] - 1, np.arange(H.shape[0] - 1)]
    return H[np.ix_(order, order)]


def _check_not_separated(z, y01):
    margin = np.where(y01 > 0.5, z, -z)
    if np.all(margin > 0):
        raise ValueError(
            "The classes are perfectly separated: some combination of the features puts every "
            "point on its own side, so the best coefficients are infinitely large and there are "
            "no standard errors or p-values. Leave out the feature that gives the answer away, "
            "or add an L2 penalty (the table then shows coefficients without uncertainty).")


def _inverse_information(info, names):
    """``info^-1`` after scaling to unit diagonal (raw columns may differ by 1e6 in scale)."""
    diag = np.diag(info).copy()
    labels = [INTERCEPT, *names]
    flat = [labels[j] for j in np.flatnonzero(~(diag > 0))]
    if flat:
        raise ValueError(_singular_message(flat))
    scale = 1.0 / np.sqrt(diag)
    scaled = info * scale[:, None] * scale[None, :]
    eig, vec = np.linalg.eigh(scaled)
    if not eig[0] > _SINGULAR_RCOND * eig[-1]:
        weights = np.abs(vec[:, 0])
        involved = [labels[j] for j in np.flatnonzero(weights > 0.25 * weights.max())]
        raise ValueError(_singular_message(involved))
    inv = (vec / eig) @ vec.T
    return inv * scale[:, None] * scale[None, :]


def _singular_message(involved):
    listed = ", ".join(f"'{n}'" for n in involved)
    return (f"The Hessian is singular: {listed} cannot be told apart (a column is constant, or "
            "is a combination of the others, e.g. the same quantity in two units). Leave one of "
            "them out and fit again.")


def _names(model, d, feature_names):
    if feature_names is not None:
        names = [str(n) for n in feature_names]
        if len(names) != d:
            raise ValueError(f"{len(names)} feature names for {d} features.")
        return names
    given = getattr(model, "feature_names_in_", None)
    if given is not None and len(given) == d:
        return [str(n) for n in given]
    return [f"x{j + 1}" for j in range(d)]


# ============================================================================================
# The table
# ============================================================================================

def _odds(values):
    with np.errstate(over="ignore"):
        return np.exp(np.clip(values, -745.0, 709.0))


def _table(theta, cov, index, stats: FitStatistics) -> pd.DataFrame:
    """The summary DataFrame from coefficients ``theta`` and their covariance (None: penalized)."""
    if cov is None:
        frame = pd.DataFrame({"coef": theta, "odds_ratio": _odds(theta)}, index=index)
    else:
        se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        z = theta / se
        low, high = theta - Z_95 * se, theta + Z_95 * se
        frame = pd.DataFrame({
            "coef": theta, "std_err": se, "z": z, "p_value": normal_two_sided_p(z),
            "ci_low": low, "ci_high": high, "odds_ratio": _odds(theta), "or_ci_low": _odds(low),
            "or_ci_high": _odds(high)}, index=index)
    frame.attrs.update(_fit_attrs(stats))
    return frame


def _fit_attrs(stats: FitStatistics) -> dict:
    k = stats.theta.size
    ll, ll0 = stats.log_likelihood, stats.null_log_likelihood
    llr = max(0.0, 2.0 * (ll - ll0))
    attrs = {
        "log_likelihood": ll, "null_log_likelihood": ll0,
        "pseudo_r2": (1.0 - ll / ll0) if ll0 != 0 else math.nan,
        "llr_p_value": chi2_sf(llr, k - 1) if k > 1 else math.nan,
        "aic": -2.0 * ll + 2.0 * k, "bic": -2.0 * ll + k * math.log(stats.n_obs),
        "n_obs": stats.n_obs, "penalized": stats.penalized,
        # The score (gradient of the log-likelihood) at the fit: ~0 at a finished fit.
        "max_abs_score": stats.max_abs_score,
    }
    if stats.penalized:
        attrs["note"] = PENALIZED_NOTE
    return attrs


def summary(model, X, y, feature_names=None) -> pd.DataFrame:
    """statsmodels' Logit summary for a fitted binary logreg model, as a DataFrame.

    Parameters
    ----------
    model : fitted ``logreg.LogisticRegression`` (binary; with an intercept)
    X : array (n, d), the features the model was trained on; y : (n,) labels (its classes)
    feature_names : d names for the rows, else the model's ``feature_names_in_``, else x1..xd

    Returns
    -------
    DataFrame indexed ``["intercept", *names]`` with columns ``coef, std_err, z, p_value,
    ci_low, ci_high`` (95% Wald) and ``odds_ratio, or_ci_low, or_ci_high`` (their ``exp``);
    ``.attrs``: ``log_likelihood``, ``null_log_likelihood``, ``pseudo_r2`` (McFadden),
    ``llr_p_value``, ``aic``, ``bic``, ``n_obs``. A penalized model gives ``coef`` and
    ``odds_ratio`` only, and ``.attrs["note"]`` says why.

    Raises
    ------
    ValueError
        The classes are perfectly separated, or the Hessian is singular (says which columns).
    """
    stats = fit_statistics(model, X, y)
    names = _names(model, stats.theta.size - 1, feature_names)
    return _table(stats.theta, stats.cov, [INTERCEPT, *names], stats)


# ============================================================================================
# Back to the user's units
# ============================================================================================

def _binomial_expansion(power, mean, scale):
    """``((x - mean) / scale) ** power`` as {raw power: coefficient}."""
    return {k: math.comb(power, k) * (-mean) ** (power - k) / scale ** power
            for k in range(power + 1)}


def _monomial_powers(n_inputs, degree):
    """Exponent rows of every monomial of degree 1..``degree`` in PolynomialFeatures' order."""
    if degree <= 1:
        return np.eye(n_inputs, dtype=int)
    from sklearn.preprocessing import PolynomialFeatures

    poly = PolynomialFeatures(degree, include_bias=False).fit(np.zeros((1, n_inputs)))
    return np.asarray(poly.powers_, dtype=int)


def raw_term_names(input_names, degree) -> list:
    """Names of the raw terms: the column names, then ``balance^2``, ``age balance``, ..."""
    powers = _monomial_powers(len(input_names), degree)
    names = []
    for row in powers:
        parts = [f"{input_names[j]}^{p}" if p > 1 else str(input_names[j])
                 for j, p in enumerate(row) if p]
        names.append(" ".join(parts))
    return names


def raw_unit_map(features) -> tuple[np.ndarray, list]:
    """The linear map from model coefficients to raw-unit coefficients, and the raw terms' names.

    ``features`` is a fitted ``pipeline.FeatureMap`` (raw -> standardize -> polynomial terms ->
    standardize). Returns ``A`` of shape (p+1, p+1) with ``theta_raw = A @ theta_model`` (both
    ``[b, w...]``), and the names of the raw terms (same order and count as the model's terms).
    """
    d = len(features.input_names)
    degree = int(features.degree) if features.poly is not None else 1
    powers = _monomial_powers(d, degree)
    index = {tuple(row): i + 1 for i, row in enumerate(powers)}
    p = powers.shape[0]
    mean2 = np.zeros(p) if features.mean2 is None else np.asarray(features.mean2, float)
    scale2 = np.ones(p) if features.scale2 is None else np.asarray(features.scale2, float)
    mean, scale = np.asarray(features.mean, float), np.asarray(features.scale, float)
    A = np.zeros((p + 1, p + 1))
    A[0, 0] = 1.0
    for j, row in enumerate(powers):
        # Model feature j = (t_j - mean2_j) / scale2_j with t_j = prod_k z_k^row_k and
        # z_k = (x_k - mean_k) / scale_k: expand t_j into raw monomials.
        factors = [list(_binomial_expansion(int(row[k]), mean[k], scale[k]).items())
                   if row[k] else [(0, 1.0)] for k in range(d)]
        w_scale = 1.0 / scale2[j]
        A[0, j + 1] -= mean2[j] * w_scale
        for combo in _cartesian(*factors):
            exponents = tuple(e for e, _ in combo)
            coef = math.prod(c for _, c in combo) * w_scale
            target = 0 if not any(exponents) else index[exponents]
            A[target, j + 1] += coef
    return A, raw_term_names(features.input_names, degree)


def raw_terms(features, X_raw) -> np.ndarray:
    """Values of the raw terms (columns and their powers/products) for rows ``X_raw``: (n, p)."""
    X_raw = np.asarray(X_raw, dtype=np.float64)
    degree = int(features.degree) if features.poly is not None else 1
    powers = _monomial_powers(X_raw.shape[1], degree)
    return np.stack([np.prod(X_raw ** row, axis=1) for row in powers], axis=1)


def to_raw_units(features, coef, intercept) -> tuple[np.ndarray, float]:
    """Model weights ``coef`` (p,) and ``intercept`` mapped to the raw terms: (p,), float."""
    A, _ = raw_unit_map(features)
    theta = A @ np.concatenate([[float(intercept)], np.asarray(coef, float).reshape(-1)])
    return theta[1:], float(theta[0])


def unit_summary(model, features, X_raw, y) -> pd.DataFrame:
    """:func:`summary` in the units of the user's columns (no refit), plus per-SD effects.

    Parameters
    ----------
    model : the binary model fitted on ``features.transform(X_raw)``
    features : its fitted ``FeatureMap``
    X_raw : (n, d) the training rows in raw units; y : (n,) labels

    Returns
    -------
    The summary table indexed ``["intercept", *raw term names]`` with ``theta_raw = A theta`` and
    ``cov_raw = A cov A^T``, and two more columns: ``sd`` (standard deviation of the raw term over
    ``X_raw``; NaN for the intercept) and ``or_per_sd`` (the odds ratio for +1 SD, ``exp(coef
    * sd)``), with ``or_per_sd_low/high`` when the fit is unpenalized.
    """
    stats = fit_statistics(model, features.transform(X_raw), y)
    A, names = raw_unit_map(features)
    theta = A @ stats.theta
    cov = None if stats.cov is None else A @ stats.cov @ A.T
    frame = _table(theta, cov, [INTERCEPT, *names], stats)
    sd = np.concatenate([[np.nan], raw_terms(features, X_raw).std(axis=0)])
    frame["sd"] = sd
    frame["or_per_sd"] = _odds(theta * sd)
    if cov is not None:
        frame["or_per_sd_low"] = _odds(frame["ci_low"].to_numpy() * sd)
        frame["or_per_sd_high"] = _odds(frame["ci_high"].to_numpy() * sd)
    return frame


# ============================================================================================
# Sentences
# ============================================================================================

def fmt_ratio(value: float) -> str:
    """An odds ratio with enough digits that its distance from 1 shows (1.03; 1.000021; 15.9;
    0.00712)."""
    if math.isnan(value):
        return "an undefined factor (training diverged)"
    if not math.isfinite(value):
        return "an astronomically large factor"
    gap = abs(value - 1.0)
    if value >= 10 or value < 0.1:
        return f"{value:.3g}"
    if gap >= 0.01 or gap == 0.0:
        return f"{value:.2f}"
    digits = min(12, 2 - int(math.floor(math.log10(gap))))
    return f"{value:.{digits}f}"


def fmt_amount(value: float) -> str:
    """A standard deviation in the column's units, 3 significant digits (485; 0.0123; 1.2e+04)."""
    return f"{value:.3g}" if abs(value) < 1e5 else f"{value:,.0f}"


def effect_sentence(name: str, row, target: str) -> str:
    """One plain sentence for one row of :func:`unit_summary` (or :func:`summary`).

    "each +1 in age multiplies the odds of Yes by 1.03 (95%: 1.01 to 1.05)", with the per-SD form
    when the row has an ``sd``, and "no evidence of an effect" when the interval spans 1.
    """
    ratio = float(row["odds_ratio"])
    text = f"each +1 in {name} multiplies the odds of {target} by {fmt_ratio(ratio)}"
    has_ci = "or_ci_low" in row.index and math.isfinite(float(row["or_ci_low"]))
    if has_ci:
        text += f" (95%: {fmt_ratio(float(row['or_ci_low']))} to {fmt_ratio(float(row['or_ci_high']))})"
    sd = float(row["sd"]) if "sd" in row.index else math.nan
    if math.isfinite(sd) and sd > 0:
        text += (f"; per standard deviation (= {fmt_amount(sd)} of {name}) by "
                 f"{fmt_ratio(float(row['or_per_sd']))}")
        if has_ci and "or_per_sd_low" in row.index:
            text += (f" (95%: {fmt_ratio(float(row['or_per_sd_low']))} to "
                     f"{fmt_ratio(float(row['or_per_sd_high']))})")
    if has_ci and float(row["ci_low"]) <= 0.0 <= float(row["ci_high"]):
        text += ": no evidence of an effect (the interval includes 1, no change)"
    elif not has_ci and ratio == 1.0:
        text += ": the penalty removed it"
    return text


def top_effects(table: pd.DataFrame, target: str, k: int = 5) -> list[tuple[str, str]]:
    """The ``k`` strongest effects as (term, sentence), strongest first.

    Strength is |log odds ratio per SD| when the table has SDs (units do not matter), else |z|,
    else |coef|. The intercept is left out.
    """
    rows = table.drop(index=INTERCEPT, errors="ignore")
    if "sd" in rows.columns:
        strength = np.abs(rows["coef"].to_numpy() * rows["sd"].to_numpy())
    elif "z" in rows.columns:
        strength = np.abs(rows["z"].to_numpy())
    else:
        strength = np.abs(rows["coef"].to_numpy())
    order = np.argsort(-np.nan_to_num(strength, nan=-1.0), kind="stable")[:k]
    return [(rows.index[i], effect_sentence(rows.index[i], rows.iloc[i], target)) for i in order]


def fit_lines(table: pd.DataFrame) -> list[str]:
    """The model-fit lines under the table: pseudo R², AIC/BIC, the likelihood-ratio test."""
    a = table.attrs
    lines = [f"McFadden pseudo R² = {a['pseudo_r2']:.3f} (0 = no better than always predicting "
             f"the overall share, 1 = perfect); log-likelihood {a['log_likelihood']:,.1f} vs "
             f"{a['null_log_likelihood']:,.1f} without features; {a['n_obs']:,} training rows.",
             f"AIC = {a['aic']:,.1f}, BIC = {a['bic']:,.1f} (lower is better when comparing "
             "models on the same rows)."]
    if not a.get("penalized"):
        p = a["llr_p_value"]
        shown = "< 1e-300" if p < 1e-300 else f"= {p:.3g}"
        lines.append(f"Likelihood-ratio test against the model without features: p {shown}.")
    return lines


# ============================================================================================
# Regularization path
# ============================================================================================

def _binary01(y):
    y = np.asarray(y)
    classes = np.unique(y)
    if classes.size != 2:
        raise ValueError(f"y must have exactly two classes, found {classes.size}.")
    return (y == classes[1]).astype(np.float64)


class _NewtonState:
    """Coefficients ``theta = [w, b]`` (intercept last), their logits and the data terms there.

    ``newton_system`` (one blocked pass over ``X``) gives the mean loss, gradient and Hessian.
    After the last step of a Newton run the state holds the quadratic model's loss and gradient
    and the previous Hessian (see :meth:`moved`): the next strength of the path starts from it
    without a pass of its own, and every point it accepts is checked with a fresh system.
    """

    def __init__(self, objective, theta, Z, model=None):
        self.objective, self.theta, self.Z = objective, theta, Z
        if model is None:
            loss, gW, gb, Hs = objective.newton_system(Z[:, None])
            self.loss, self.grad, self.H = float(loss[0]), np.concatenate([gW[:, 0], gb]), Hs[0]
        else:
            self.loss, self.grad, self.H = model

    def moved(self, D, XD, t, *, last=False):
        """The state after a step ``t D``. The last step of a run (its decrement at most
        ``_PATH_FINAL_DECREMENT``) takes the loss and gradient from the quadratic model
        (``g + H D``): exact to ~|D|^3, far below what the next strength needs, and no pass."""
        if not last:
            return _NewtonState(self.objective, self.theta + t * D, self.Z + t * XD)
        HD = self.H @ (t * D)
        model = (self.loss + float(self.grad @ (t * D)) + 0.5 * float((t * D) @ HD),
                 self.grad + HD, self.H)
        return _NewtonState(self.objective, self.theta + t * D, self.Z + t * XD, model)

    def loss_at(self, XD, t):
        return float(self.objective.loss_from_logits((self.Z + t * XD)[:, None])[0])


def _direction(objective, D):
    d = D.size - 1
    return objective.linear(D[:d, None], D[d:])[:, 0]


def _newton_l2(state: _NewtonState, l2, *, max_iter=50):
    """Newton on ``mean logloss + l2 |w|^2 / 2`` from ``state``; returns the state at the optimum.

    As ``solvers.newton``: the full step's system (one pass) also gives the loss for the Armijo
    test; only a failed full step backtracks, along the logits. A full step taken with a decrement
    below ``_PATH_FINAL_DECREMENT`` of the objective is the last (quadratic convergence: the next
    would be ~1e-12, coefficients within ~1e-6): its point gets no pass of its own.
    """
    d = state.theta.size - 1
    ridge = np.r_[np.full(d, l2), 0.0]

    def objective_value(st):
        return st.loss + 0.5 * l2 * float(st.theta[:d] @ st.theta[:d])

    for _ in range(max_iter):
        g = state.grad + ridge * state.theta
        A = state.H + np.diag(ridge)
        A[np.diag_indices_from(A)] += 1e-12 * max(np.trace(A), 1e-300)
        D = -np.linalg.solve(A, g)
        decrement = -float(g @ D)
        current = objective_value(state)
        if not decrement > 1e-20 + 1e-16 * abs(current):
            break
        final = decrement < _PATH_FINAL_DECREMENT * abs(current)
        XD = _direction(state.objective, D)
        full = state.moved(D, XD, 1.0, last=final)
        if objective_value(full) <= current - 1e-4 * decrement:
            state = full
            if final:
                break
            continue
        state = _backtracked(state, D, XD, lambda theta: 0.5 * l2 * float(theta[:d] @ theta[:d]),
                             current, -decrement, halvings=40)
        if state is None:
            break
    return state


def _backtracked(state, D, XD, penalty_of, current, decrease, *, halvings):
    """The state moved by the largest step t = 1/2, 1/4, ... that passes the Armijo test
    ``loss + penalty <= current + 1e-4 t decrease`` (``decrease`` < 0: the model's predicted
    change for the full step), or None when ``halvings`` halvings do not pass it."""
    t = 0.5
    for _halving in range(halvings):
        if state.loss_at(XD, t) + penalty_of(state.theta + t * D) <= current + 1e-4 * t * decrease:
            return state.moved(D, XD, t)
        t *= 0.5
    return None


def _prox_newton(state: _NewtonState, penalty: Penalty, *, max_outer=100):
    """Proximal Newton for L1/elastic net (as glmnet): quadratic model + coordinate descent.

    Minimizes ``mean logloss + l1 |w|_1 + l2 |w|^2 / 2`` (intercept unpenalized). Each outer step
    solves the L1-penalized quadratic model of the state's Hessian by cyclic coordinate descent on
    the small (d+1)-square system (exact zeros by soft-thresholding), then backtracks along that
    direction on the true objective. A handful of steps reach machine precision, where plain
    proximal gradient needs thousands.
    """
    d = state.theta.size - 1
    l1, l2 = penalty.l1, penalty.l2
    ridge = np.r_[np.full(d, l2), 0.0]

    def penalty_at(theta):
        w = theta[:d]
        return l1 * float(np.abs(w).sum()) + 0.5 * l2 * float(w @ w)

    for _ in range(max_outer):
        theta = state.theta
        current = state.loss + penalty_at(theta)
        g = state.grad + ridge * theta
        A = state.H + np.diag(ridge)
        diag = np.maximum(np.diag(A), 1e-12)
        v = theta.copy()
        r = np.zeros(d + 1)  # A (v - theta), updated one coordinate at a time
        for _sweep in range(1000):
            biggest = 0.0
            for j in range(d + 1):
                target = v[j] - (g[j] + r[j]) / diag[j]
                if j < d:
                    cut = l1 / diag[j]
                    target = math.copysign(max(abs(target) - cut, 0.0), target)
                delta = target - v[j]
                if delta != 0.0:
                    v[j] = target
                    r += delta * A[:, j]
                    biggest = max(biggest, abs(delta))
            if biggest < 1e-13:
                break
        D = v - theta
        if np.abs(D).max(initial=0.0) < 1e-12:
            break
        decrease = float(g @ D) + l1 * (np.abs(v[:d]).sum() - np.abs(theta[:d]).sum())
        if not decrease < -1e-16 * max(1.0, abs(current)):
            break
        XD = _direction(state.objective, D)
        # As _newton_l2: the full step's system gives its loss; a step whose decrease is below
        # _PATH_FINAL_DECREMENT of the objective is the last, its point taken from the model.
        final = -decrease < _PATH_FINAL_DECREMENT * abs(current)
        full = state.moved(D, XD, 1.0, last=final)
        if full.loss + penalty_at(v) <= current + 1e-4 * decrease:
            full.theta = np.where(v == 0.0, 0.0, full.theta)  # the model's exact zeros
            state = full
            if final:
                break
            continue
        state = _backtracked(state, D, XD, penalty_at, current, decrease, halvings=50)
        if state is None:
            break
    return state


def regularization_path(X, y, reg_strengths, *, penalty="l2", l1_ratio=0.5):
    """Coefficients of the penalized fit at each strength lambda, warm-started one from the next.

    Parameters
    ----------
    X : array (n, d) model features; y : (n,) two classes (the larger is positive)
    reg_strengths : sequence of k lambdas >= 0 (any order; solved from largest to smallest)
    penalty : "l2", "l1" or "elasticnet" (with ``l1_ratio``)

    Returns
    -------
    coefs : ndarray (k, d), intercepts : ndarray (k,), in the order of ``reg_strengths``.
    The objective is logreg's (mean log-loss + lambda R(w)), i.e. scikit-learn's with
    ``C = 1 / (lambda n)``. L2 uses Newton; L1 and elastic net proximal Newton.
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    y01 = _binary01(y)
    lams = np.asarray(reg_strengths, dtype=np.float64).reshape(-1)
    if lams.size == 0 or not np.isfinite(lams).all() or (lams < 0).any():
        raise ValueError("reg_strengths must be a non-empty list of finite values >= 0.")
    if penalty not in ("l2", "l1", "elasticnet"):
        raise ValueError(f"penalty must be 'l2', 'l1' or 'elasticnet', got {penalty!r}.")
    n, d = X.shape
    objective = BinaryObjective(X, y01[:, None])
    coefs, intercepts = np.zeros((lams.size, d)), np.zeros(lams.size)
    share = min(max(y01.mean(), 1e-12), 1 - 1e-12)
    # Start from the intercept-only fit (every weight 0): the optimum at a very large lambda.
    theta = np.r_[np.zeros(d), math.log(share / (1 - share))]
    state = _NewtonState(objective, theta, np.full(n, theta[-1]))
    for i in np.argsort(-lams, kind="stable"):
        pen = Penalty.from_params(penalty, lams[i], l1_ratio)
        state = _newton_l2(state, pen.l2) if penalty == "l2" else _prox_newton(state, pen)
        coefs[i], intercepts[i] = state.theta[:d], state.theta[d]
    return coefs, intercepts


def path_objective(X, y, coef, intercept, reg_strength, *, penalty="l2", l1_ratio=0.5) -> float:
    """logreg's penalized objective (mean log-loss + lambda R(w)) at one set of coefficients."""
    y01 = _binary01(y)
    objective = BinaryObjective(np.ascontiguousarray(X, dtype=np.float64), y01[:, None])
    pen = Penalty.from_params(penalty, reg_strength, l1_ratio)
    w = np.asarray(coef, float).reshape(-1, 1)
    return float(objective.loss(w, np.array([float(intercept)]))[0] + pen.value(w)[0])


def default_strengths(X, y, k=30, *, penalty="l2", l1_ratio=0.5) -> np.ndarray:
    """``k`` lambdas on a log grid from where every weight is 0 (L1) down by 1e-4.

    For L1 the largest is ``max |X^T (y - mean y)| / n / l1_share``: the smallest lambda that zeroes
    every weight. For L2 the same scale is used (weights are small but not 0 there).
    """
    X = np.asarray(X, dtype=np.float64)
    y01 = _binary01(y)
    share = 1.0 if penalty == "l2" else (1.0 if penalty == "l1" else max(l1_ratio, 1e-3))
    top = float(np.abs(X.T @ (y01 - y01.mean())).max(initial=0.0)) / X.shape[0] / share
    top = max(top, 1e-6)
    return np.geomspace(top, top * 1e-4, k)


def path_log_loss(X, y, coefs, intercepts) -> np.ndarray:
    """Mean log-loss (no penalty) of each path point on rows ``X`` (n, d), labels ``y``: (k,)."""
    y01 = _binary01(y) if np.unique(y).size == 2 else np.asarray(y, dtype=np.float64)
    objective = BinaryObjective(np.ascontiguousarray(X, dtype=np.float64), y01[:, None])
    Z = objective.X @ np.asarray(coefs, float).T + np.asarray(intercepts, float)
    return np.array([float(objective.loss_from_logits(Z[:, [k]])[0]) for k in range(Z.shape[1])])


# ============================================================================================
# The optimization view: the objective over two weights
# ============================================================================================

# Rows used for the surface: the objective over a 60 x 60 grid on 5,000 rows costs as much as
# 18 epochs on 1M rows; a fixed sample keeps it flat for big files (said on the figure).
SURFACE_ROWS = 5_000


@dataclass(frozen=True)
class Surface:
    """The training objective over a grid of two weights, the rest held fixed.

    ``w1`` (r,), ``w2`` (r,) grid axes; ``objective`` (r, r) with ``objective[a, b]`` at
    ``(w1[b], w2[a])`` (plotly's contour convention); ``penalty`` (r, r) the penalty term alone
    (``lambda R``, for the level set) or None without a penalty; ``rows_used`` of ``n_rows``.
    """

    w1: np.ndarray
    w2: np.ndarray
    objective: np.ndarray
    penalty: np.ndarray | None
    rows_used: int
    n_rows: int


def surface_window(points, pad=0.15, min_span=0.5):
    """Square axis limits (same span on both axes) covering every finite (w1, w2) in ``points``
    (m, 2) and the origin: drawn with equal scales, the plot is square and circles stay round."""
    P = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    P = np.vstack([P[np.isfinite(P).all(axis=1)], [0.0, 0.0]])
    lo, hi = P.min(axis=0), P.max(axis=0)
    span = np.full(2, max(float((hi - lo).max()), min_span))
    centre = (lo + hi) / 2
    return (centre - (0.5 + pad) * span), (centre + (0.5 + pad) * span)


def objective_surface(X, y, coef, intercept, i, j, lo, hi, *, penalty="none", reg_strength=0.0,
                      l1_ratio=0.5, resolution=60, max_rows=SURFACE_ROWS, seed=0) -> Surface:
    """logreg's training objective as a function of weights ``i`` and ``j`` alone.

    Every other weight and the intercept stay at ``coef`` / ``intercept`` (the fitted values);
    the penalty counts every weight, as in training. ``lo``, ``hi``: (2,) axis limits.
    More than ``max_rows`` rows: a fixed random sample of that many.
    """
    X = np.asarray(X, dtype=np.float64)
    y01 = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    if n > max_rows:
        rows = np.sort(np.random.default_rng(seed).choice(n, max_rows, replace=False))
        X, y01 = X[rows], y01[rows]
    w = np.asarray(coef, dtype=np.float64).reshape(-1).copy()
    w1 = np.linspace(lo[0], hi[0], resolution)
    w2 = np.linspace(lo[1], hi[1], resolution)
    base = X @ w + float(intercept) - X[:, i] * w[i] - X[:, j] * w[j]
    sign = 1.0 - 2.0 * y01
    J = np.empty((resolution, resolution))
    with np.errstate(over="ignore", under="ignore"):
        for a, v2 in enumerate(w2):
            Z = base[:, None] + X[:, [i]] * w1[None, :] + (X[:, j] * v2)[:, None]
            t = Z * sign[:, None]
            J[a] = (np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))).mean(axis=0)
    pen = Penalty.from_params(penalty, reg_strength, l1_ratio)
    grid = None
    if pen.l1 or pen.l2:
        others = np.delete(w, [i, j])
        G1, G2 = np.meshgrid(w1, w2)
        grid = (pen.l1 * (np.abs(G1) + np.abs(G2)) + 0.5 * pen.l2 * (G1 ** 2 + G2 ** 2)
                + pen.l1 * np.abs(others).sum() + 0.5 * pen.l2 * float(others @ others))
        J = J + grid
    return Surface(w1, w2, J, grid, X.shape[0], n)
