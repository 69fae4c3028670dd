"""Fuzzing logreg.metrics and logreg.io with random, extreme and malformed inputs.

Contract (issue 9): a result within its documented range, or a ``ValueError`` with a message;
never another exception and never a numpy ``RuntimeWarning``. Correctness on valid data is
tests/test_metrics.py's and tests/test_io.py's job; here valid results are checked against their
documented ranges and, where cheap, against scikit-learn.
"""

import copy
import json
import math

import numpy as np
import pytest
from hypothesis import assume, event, given, note
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import average_precision_score, roc_auc_score

from logreg import LogisticRegression, OneVsRestLogisticRegression, SoftmaxRegression
from logreg import metrics
from logreg.io import load_model_bundle, model_from_json, model_to_json

# Every test here fails on a numpy RuntimeWarning (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("runtime_warnings_are_errors")

MAX_FLOAT = float(np.finfo(np.float64).max)

EXTREMES = [0.0, -0.0, 1.0, 0.5, 1e-300, -1e-300, 5e-324, 1e300, -1e300, 1.7976931348623157e308,
            -1.7976931348623157e308, 2.0**53, math.nan, math.inf, -math.inf]
FINITE_EXTREMES = [v for v in EXTREMES if math.isfinite(v)]
MAX_N = 12


def _refused(call):
    """(True, None) after checking the ValueError's message, or (False, the result of call())."""
    try:
        result = call()
    except ValueError as exc:
        assert str(exc).strip(), f"ValueError without a message: {exc!r}"
        note(f"refused: {exc}")
        event("refused")
        return True, None
    event("result")  # --hypothesis-show-statistics shows both outcomes are exercised
    return False, result


# ----- strategies -----------------------------------------------------------------------------
def scores_strategy(n, allow_bad=True):
    """Scores of length n: extremes, ties (few distinct values), NaN/inf, sometimes text."""
    pool = EXTREMES if allow_bad else FINITE_EXTREMES
    element = st.one_of(st.sampled_from(pool), st.floats(-10, 10), st.sampled_from([0.2, 0.7]))
    numeric = hnp.arrays(np.float64, n, elements=element)
    if not allow_bad:
        return numeric
    return st.one_of(
        numeric,
        numeric.map(lambda a: a.astype(np.float32) if np.all(np.abs(a[np.isfinite(a)]) < 1e38)
                    else a),
        numeric.map(lambda a: a.astype(object)),
        numeric.map(lambda a: [repr(float(v)) for v in a]),  # numbers as text
        st.lists(st.sampled_from(["x", "", "0.5", None]), min_size=n, max_size=n),
        st.lists(st.floats(0, 1), min_size=0, max_size=MAX_N + 1),  # often the wrong length
        hnp.arrays(np.float64, (n, 2), elements=st.floats(0, 1)),  # 2-D
        hnp.arrays(np.int64, n, elements=st.integers(-3, 3)),
        hnp.arrays(np.bool_, n),
    )


LABEL_FORMS = {
    "01": [0, 1],
    "bool": [False, True],
    "pm1": [-1, 1],
    "float": [0.0, 1.0],
    "str": ["churn", "stay"],
    "three": [0, 1, 2],
    "nan": [0.0, 1.0, math.nan],
    "mixed": [0, "1", None],
    "odd ints": [2, 5],
}


def mostly(valid, bad):
    """Valid values four times in five, so the result path is exercised as much as refusals."""
    return st.integers(0, 4).flatmap(lambda i: bad if i == 0 else valid)


@st.composite
def binary_inputs(draw, allow_bad=True):
    """(y_true, scores, pos_label): valid (both classes, finite scores) two times in three."""
    if not allow_bad or draw(st.integers(0, 2)):
        n = draw(st.integers(2, MAX_N))
        forms = ["01", "bool", "pm1"] + (["float", "str", "odd ints"] if allow_bad else [])
        pool = LABEL_FORMS[draw(st.sampled_from(forms))]
        y = [pool[0], pool[1]] + draw(st.lists(st.sampled_from(pool[:2]), min_size=n - 2,
                                               max_size=n - 2))
        pos_label = pool[1] if pool[0] in ("churn", 2) else draw(st.sampled_from([None, pool[1]]))
        return np.array(y), draw(scores_strategy(n, allow_bad=False)), pos_label
    n = draw(st.integers(0, MAX_N))
    pool = LABEL_FORMS[draw(st.sampled_from(sorted(LABEL_FORMS)))]
    y = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
    if pool is LABEL_FORMS["mixed"]:
        y = np.array(y, dtype=object)
    pos_label = None
    if draw(st.booleans()):
        pos_label = draw(st.sampled_from(pool + ["absent", 1, True]))
    if draw(st.integers(0, 9)) == 0:
        y = np.array(y).reshape(-1, 1)  # 2-D labels
    return y, draw(scores_strategy(n, allow_bad=draw(st.booleans()))), pos_label


def _check_rates(values):
    values = np.asarray(values, dtype=np.float64)
    assert np.isfinite(values).all() and ((values >= 0) & (values <= 1)).all(), values


# ----- binary metrics -------------------------------------------------------------------------
@given(binary_inputs())
def test_curves_and_auc_give_documented_results_or_value_error(inputs):
    y, s, pos_label = inputs
    refused, curve = _refused(lambda: metrics.roc_curve(y, s, pos_label=pos_label))
    if not refused:
        fpr, tpr, thr = curve
        _check_rates(fpr), _check_rates(tpr)
        assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0.0, 0.0, 1.0, 1.0)
        assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
        assert thr[0] == np.inf and np.isfinite(thr[1:]).all() and np.all(np.diff(thr) < 0)
    refused_auc, area = _refused(lambda: metrics.roc_auc(y, s, pos_label=pos_label))
    assert refused_auc == refused  # the same inputs are valid for both
    if not refused:
        assert 0.0 <= area <= 1.0
        assert area == pytest.approx(metrics.auc(fpr, tpr), abs=1e-12)
    refused_pr, pr = _refused(lambda: metrics.precision_recall_curve(y, s, pos_label=pos_label))
    if not refused_pr:
        precision, recall, thr = pr
        _check_rates(precision), _check_rates(recall)
        assert np.isfinite(thr).all() and np.all(np.diff(thr) > 0)
        ap = metrics.average_precision(y, s, pos_label=pos_label)
        assert 0.0 <= ap <= 1.0


@given(binary_inputs(allow_bad=False))
def test_auc_and_average_precision_match_sklearn_on_extreme_scores(inputs):
    y, s, _ = inputs
    y01 = (np.asarray(y) == 1).astype(int)
    assume(0 < y01.sum() < len(y01))
    assert metrics.roc_auc(y, s) == pytest.approx(roc_auc_score(y01, s), abs=1e-12)
    assert metrics.average_precision(y, s) == pytest.approx(average_precision_score(y01, s),
                                                            abs=1e-12)


thresholds_strategy = st.one_of(
    st.sampled_from(EXTREMES + [True, "0.5", None, [0.5], [[0.5]], []]),
    st.floats(-2, 2),
    hnp.arrays(np.float64, st.integers(0, 20), elements=st.sampled_from(EXTREMES)),
)


@given(binary_inputs(), thresholds_strategy)
def test_confusion_at_any_threshold_adds_up_or_is_refused(inputs, threshold):
    y, s, pos_label = inputs
    refused, c = _refused(lambda: metrics.confusion_at(y, s, threshold, pos_label=pos_label))
    if refused:
        return
    n = len(y)
    total = np.asarray(c["tp"]) + c["fp"] + c["tn"] + c["fn"]
    assert np.all(total == n)
    for key in ("tpr", "fpr", "tnr", "precision", "recall", "f1", "accuracy",
                "balanced_accuracy"):
        _check_rates(c[key])


METHODS = mostly(st.sampled_from(metrics.THRESHOLD_METHODS), st.sampled_from(["bogus", None]))
RATE_ARGS = mostly(st.floats(0, 1), st.sampled_from([None, math.nan, -0.1, 1.5, "0.9", True]))
COSTS = mostly(st.one_of(st.floats(0, 1e6), st.sampled_from(
    [0.0, 1.0, 1e300, 1e308, MAX_FLOAT])),
    st.sampled_from([math.inf, math.nan, -1.0, "1", None]))
PREVALENCE = mostly(st.one_of(st.none(), st.floats(0, 1)), st.sampled_from([math.nan, 2.0, "x"]))


@given(binary_inputs(), METHODS, RATE_ARGS, RATE_ARGS, COSTS, COSTS)
def test_choose_threshold_reproduces_its_rates_or_is_refused(inputs, method, target, max_fpr,
                                                             cost_fp, cost_fn):
    y, s, pos_label = inputs
    refused, choice = _refused(lambda: metrics.choose_threshold(
        y, s, method, target_tpr=target, max_fpr=max_fpr, cost_fp=cost_fp, cost_fn=cost_fn,
        pos_label=pos_label))
    if refused:
        return
    assert not math.isnan(choice.threshold)
    _check_rates([choice.tpr, choice.fpr])
    assert isinstance(choice.reason, str) and choice.reason
    again = metrics.confusion_at(y, s, choice.threshold, pos_label=pos_label)
    assert (again["tpr"], again["fpr"]) == (choice.tpr, choice.fpr)


@given(binary_inputs(), st.one_of(st.floats(-2, 2), st.sampled_from(EXTREMES)),
       mostly(st.integers(1, 50), st.sampled_from([0, -1, 2.5, True, None])),
       mostly(st.floats(0.01, 0.99), st.sampled_from([0.0, 1.0, math.nan])))
def test_bootstrap_rates_are_rates_or_refused(inputs, threshold, n_boot, level):
    y, s, pos_label = inputs
    refused, r = _refused(lambda: metrics.bootstrap_rates(
        y, s, threshold, n_boot=n_boot, random_state=0, level=level, pos_label=pos_label))
    if refused:
        return
    _check_rates([r.tpr, r.fpr])
    for low, high, skipped in ((r.tpr_low, r.tpr_high, r.n_skipped_tpr),
                               (r.fpr_low, r.fpr_high, r.n_skipped_fpr)):
        if skipped == r.n_boot:  # no resample defines the rate: documented NaN interval
            assert math.isnan(low) and math.isnan(high)
        else:
            _check_rates([low, high])
            assert low <= high


@given(binary_inputs(), st.one_of(st.floats(-2, 2), st.sampled_from(EXTREMES)), COSTS, COSTS,
       PREVALENCE)
def test_expected_cost_is_finite_and_non_negative_or_refused(inputs, threshold, cost_fp, cost_fn,
                                                             prevalence):
    y, s, pos_label = inputs
    refused, cost = _refused(lambda: metrics.expected_cost(
        y, s, threshold, cost_fp, cost_fn, prevalence, pos_label=pos_label))
    if not refused:
        assert math.isfinite(cost) and cost >= 0


@given(COSTS, COSTS, PREVALENCE.filter(lambda p: p is not None),
       mostly(st.tuples(st.floats(0, 1), st.floats(0, 1)),
              st.one_of(st.tuples(st.floats(-0.5, 1.5), st.floats(-0.5, 1.5)),
                        st.sampled_from([(0.5,), "ab", None, (math.nan, 0.5)]))))
def test_iso_cost_line_stays_in_the_unit_square_or_is_refused(cost_fp, cost_fn, prevalence,
                                                              through):
    refused, line = _refused(lambda: metrics.iso_cost_line(cost_fp, cost_fn, prevalence, through))
    if not refused:
        _check_rates(line[0]), _check_rates(line[1])


@given(st.integers(10_000, 200_000), st.integers(0, 3) | st.integers(1, 3), st.integers(1, 4),
       st.integers(0, 2**32 - 1))
def test_huge_n_with_a_tiny_minority_and_few_distinct_scores(n, n_pos, n_distinct, seed):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    y[rng.choice(n, n_pos, replace=False)] = 1
    s = rng.integers(0, n_distinct, n) / max(n_distinct - 1, 1)
    refused, area = _refused(lambda: metrics.roc_auc(y, s))
    assert refused == (n_pos == 0)
    if not refused:
        assert area == pytest.approx(roc_auc_score(y, s), abs=1e-12)
        c = metrics.confusion_at(y, s, 0.5)
        assert c["tp"] + c["fn"] == n_pos
        r = metrics.bootstrap_rates(y, s, 0.5, n_boot=200, random_state=seed)
        _check_rates([r.tpr, r.fpr, r.fpr_low, r.fpr_high])


# ----- multiclass metrics ---------------------------------------------------------------------
@st.composite
def multiclass_inputs(draw):
    """(class codes, proba): valid (every class present, k >= 2) two times in three."""
    k = draw(st.integers(2, 4))
    if draw(st.integers(0, 2)):
        n = draw(st.integers(k + 1, MAX_N))
        codes = np.array(draw(st.permutations((np.arange(n) % k).tolist())))
        # One class must not hold every case: k >= 2 classes all present guarantees it.
        proba = draw(hnp.arrays(np.float64, (n, k), elements=st.one_of(
            st.floats(0, 1), st.sampled_from(FINITE_EXTREMES))))
        return codes, proba
    k = draw(st.integers(1, 4))
    n = draw(st.integers(0, MAX_N))
    codes = draw(st.one_of(
        hnp.arrays(np.int64, n, elements=st.integers(-1, k)),
        hnp.arrays(np.float64, n, elements=st.sampled_from([0.0, 1.0, 2.0, 0.5, math.nan])),
        st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n),
    ))
    rows = n if draw(st.integers(0, 5)) else draw(st.integers(0, MAX_N))
    proba = draw(st.one_of(
        hnp.arrays(np.float64, (rows, k), elements=st.one_of(st.floats(0, 1),
                                                             st.sampled_from(EXTREMES))),
        hnp.arrays(np.float64, rows, elements=st.floats(0, 1)),
    ))
    return codes, proba


@given(multiclass_inputs())
def test_multiclass_aucs_are_probabilities_or_refused(inputs):
    codes, proba = inputs
    for name in ("per_class_auc", "macro_auc", "micro_auc"):
        refused, value = _refused(lambda: getattr(metrics, name)(codes, proba))
        if not refused:
            _check_rates(np.atleast_1d(value))
    refused, curves = _refused(lambda: metrics.per_class_roc(codes, proba))
    if not refused:
        assert len(curves) == proba.shape[1]


@given(st.data())
def test_confusion_matrix_counts_every_case_or_is_refused(data):
    n = data.draw(st.integers(0, MAX_N))
    valid = st.one_of(hnp.arrays(np.int64, n, elements=st.integers(0, 3)),
                      hnp.arrays(np.float64, n, elements=st.sampled_from([0.0, 1.0, 2.0])))
    codes = mostly(valid, st.one_of(
        hnp.arrays(np.int64, n, elements=st.integers(-1, 4)),
        hnp.arrays(np.float64, n, elements=st.sampled_from([0.0, 1.0, 1.5, math.inf])),
        st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n),
        hnp.arrays(np.int64, data.draw(st.integers(0, MAX_N)), elements=st.integers(0, 3))))
    y_true = data.draw(codes)
    y_pred = data.draw(codes)
    n_classes = data.draw(mostly(st.one_of(st.none(), st.integers(4, 6)),
                                 st.one_of(st.integers(-1, 3), st.sampled_from([2.0, True]))))
    refused, cm = _refused(lambda: metrics.confusion_matrix(y_true, y_pred, n_classes))
    if not refused:
        assert cm.ndim == 2 and cm.shape[0] == cm.shape[1]
        assert cm.sum() == len(y_true) == len(y_pred) and (cm >= 0).all()


# ----- logreg.io ------------------------------------------------------------------------------
def _valid_documents():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    docs = []
    for cls, y in ((LogisticRegression, np.arange(30) % 2),
                   (OneVsRestLogisticRegression, np.array(["a", "b", "c"])[np.arange(30) % 3]),
                   (SoftmaxRegression, np.arange(30) % 3 == 0)):
        model = cls(epochs=5, learning_rate=0.5).fit(X, y)
        docs.append(json.loads(model_to_json(
            model, feature_names=["x1", "x2", "x3"],
            preprocessing={"standardize": {"mean": [0.0, 1.0, 2.0], "scale": [1.0, 1.0, 2.0]}},
            metadata={"dataset": "fuzz"})))
    return docs


VALID_DOCS = _valid_documents()
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
              st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
              st.sampled_from(["__class__", "__reduce__", "os.system", "LogisticRegression",
                               "logreg-model", "int", "str", "float", "bool"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=6), children, max_size=4)),
    max_leaves=12,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _check_loaded_or_refused(text):
    try:
        bundle = load_model_bundle(text)
    except ValueError as exc:
        assert str(exc).strip()
        note(f"refused: {exc}")
        event("refused")
        return None
    event("loaded")
    model = bundle.model
    X = np.random.default_rng(1).normal(scale=3, size=(5, model.n_features_in_))
    if getattr(model, "feature_names_in_", None) is not None:
        import pandas as pd
        X = pd.DataFrame(X, columns=list(model.feature_names_in_))
    P = model.predict_proba(X)
    assert P.shape == (5, len(model.classes_))
    assert np.isfinite(P).all() and ((P >= 0) & (P <= 1)).all()
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-9)
    assert set(model.predict(X).tolist()) <= set(model.classes_.tolist())
    assert model_from_json(text).get_params() == model.get_params()
    return model


@given(st.one_of(st.text(max_size=200), st.binary(max_size=200), json_values.map(json.dumps)))
def test_random_text_or_bytes_is_refused(text):
    assert _check_loaded_or_refused(text) is None


@given(st.sampled_from(range(len(VALID_DOCS))), st.data())
def test_mutated_documents_load_soundly_or_are_refused(index, data):
    doc = copy.deepcopy(VALID_DOCS[index])
    for _ in range(data.draw(st.integers(1, 3), label="n mutations")):
        paths = list(_paths(doc))
        path = data.draw(st.sampled_from(paths), label="path")
        action = data.draw(st.sampled_from(["replace", "delete", "add key", "perturb number"]),
                           label="action")
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if not path:
            doc = data.draw(json_values, label="whole document")
            break
        last = path[-1]
        if action == "replace":
            parent[last] = data.draw(json_values, label="value")
        elif action == "delete":
            del parent[last]
        elif action == "add key" and isinstance(parent[last], dict):
            parent[last][data.draw(st.text(max_size=10), label="key")] = data.draw(json_values)
        elif action == "perturb number" and isinstance(parent[last], (int, float)):
            parent[last] = parent[last] * data.draw(st.sampled_from([-1, 0, 1e300, 1e-300, 2]))
    text = json.dumps(doc)  # allow_nan: NaN and Infinity tokens get written, as an attacker might
    if data.draw(st.booleans(), label="as bytes"):
        text = text.encode()
    _check_loaded_or_refused(text)


@given(st.sampled_from(range(len(VALID_DOCS))), st.data())
def test_character_level_corruption_loads_soundly_or_is_refused(index, data):
    text = json.dumps(VALID_DOCS[index])
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 10)))
        text = text[:i] + data.draw(st.text(max_size=5)) + text[j:]
    _check_loaded_or_refused(text)


# ----- reproducers of bugs found by fuzzing, fixed since ------------------------------------------
@pytest.mark.parametrize("call", [
    lambda: metrics.choose_threshold([0, 0, 1], [0.0, 0.0, 0.0], "cost", cost_fp=1e308,
                                     cost_fn=0.0),
    lambda: metrics.expected_cost([0, 1, 0], [0.1, 0.2, 0.3], 0.25, 1e308, 1e308),
], ids=["choose_threshold", "expected_cost"])
def test_costs_near_the_largest_float_are_refused_in_words(call):
    with pytest.raises(ValueError, match="larger units"):
        call()


def test_top_score_at_the_largest_float_still_has_a_flag_nothing_threshold():
    choice = metrics.choose_threshold([0, 1], [MAX_FLOAT, 0.0], "youden")
    assert not math.isnan(choice.threshold)
    again = metrics.confusion_at([0, 1], [MAX_FLOAT, 0.0], choice.threshold)
    assert (again["tpr"], again["fpr"]) == (choice.tpr, choice.fpr)
