"""logreg.metrics against scikit-learn, on degenerate inputs, and on its own promises (issue 5)."""
import importlib.util
import math
from dataclasses import FrozenInstanceError
from pathlib import Path

import numpy as np
import pytest
from sklearn import metrics as sk
from sklearn.preprocessing import label_binarize

from logreg import metrics as m


def tied_data(seed, n=400, decimals=1, prevalence=0.3):
    """Labels and scores rounded to `decimals`, so most scores are tied."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < prevalence).astype(int)
    y[:2] = [0, 1]
    scores = np.round(rng.normal(size=n) + y, decimals)
    return y, scores


def probabilities(seed, n=2000, prevalence=0.3):
    rng = np.random.default_rng(seed)
    y = rng.random(n) < prevalence
    logit = 1.5 * rng.normal(size=n) + np.where(y, 1.0, -1.0)
    return y, np.round(1 / (1 + np.exp(-logit)), 3)


def assert_same_arrays(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------- parity with sklearn

SEEDS_AND_TIES = [(seed, decimals) for seed in range(4) for decimals in (0, 1, 2, 6)]


@pytest.mark.parametrize("seed,decimals", SEEDS_AND_TIES)
def test_roc_curve_matches_sklearn_without_dropping_points(seed, decimals):
    y, s = tied_data(seed, decimals=decimals)
    expected = sk.roc_curve(y, s, drop_intermediate=False)
    assert_same_arrays(m.roc_curve(y, s), expected)
    assert expected[2][0] == np.inf


@pytest.mark.parametrize("seed,decimals", SEEDS_AND_TIES)
def test_roc_curve_drop_intermediate_matches_sklearn_default(seed, decimals):
    y, s = tied_data(seed, decimals=decimals)
    assert_same_arrays(m.roc_curve(y, s, drop_intermediate=True), sk.roc_curve(y, s))


@pytest.mark.parametrize("seed,decimals", SEEDS_AND_TIES)
def test_roc_auc_and_auc_match_roc_auc_score(seed, decimals):
    y, s = tied_data(seed, decimals=decimals)
    expected = sk.roc_auc_score(y, s)
    assert abs(m.roc_auc(y, s) - expected) <= 1e-12
    fpr, tpr, _ = m.roc_curve(y, s)
    assert abs(m.auc(fpr, tpr) - expected) <= 1e-12
    assert m.auc(fpr, tpr) == sk.auc(fpr, tpr)


@pytest.mark.parametrize("seed,decimals", SEEDS_AND_TIES)
def test_precision_recall_curve_matches_sklearn_default(seed, decimals):
    y, s = tied_data(seed, decimals=decimals)
    # sklearn 1.9.1's default is drop_intermediate=False, like ours.
    assert_same_arrays(m.precision_recall_curve(y, s), sk.precision_recall_curve(y, s))
    assert_same_arrays(
        m.precision_recall_curve(y, s, drop_intermediate=True),
        sk.precision_recall_curve(y, s, drop_intermediate=True),
    )


@pytest.mark.parametrize("seed,decimals", SEEDS_AND_TIES)
def test_average_precision_matches_sklearn(seed, decimals):
    y, s = tied_data(seed, decimals=decimals)
    assert abs(m.average_precision(y, s) - sk.average_precision_score(y, s)) <= 1e-12


def test_roc_auc_is_exact_on_a_large_tied_sample():
    y, s = tied_data(7, n=200_000, decimals=2, prevalence=0.1)
    assert abs(m.roc_auc(y, s) - sk.roc_auc_score(y, s)) <= 1e-12


DEGENERATE = {
    "all scores equal": ([0, 1, 0, 1, 1], [0.5] * 5),
    "perfect separation": ([0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.9]),
    "perfectly inverted": ([1, 1, 0, 0, 0], [0.1, 0.2, 0.3, 0.8, 0.9]),
    "single positive": ([0, 0, 1, 0, 0, 0], [0.3, 0.1, 0.3, 0.9, 0.2, 0.3]),
    "single negative": ([1, 1, 0, 1], [0.7, 0.2, 0.4, 0.4]),
    "two cases": ([1, 0], [0.0, 0.0]),
}


@pytest.mark.parametrize("case", DEGENERATE)
def test_degenerate_inputs_match_sklearn(case):
    y, s = DEGENERATE[case]
    assert_same_arrays(m.roc_curve(y, s), sk.roc_curve(y, s, drop_intermediate=False))
    assert_same_arrays(m.precision_recall_curve(y, s), sk.precision_recall_curve(y, s))
    assert abs(m.roc_auc(y, s) - sk.roc_auc_score(y, s)) <= 1e-12
    assert abs(m.average_precision(y, s) - sk.average_precision_score(y, s)) <= 1e-12


def test_degenerate_auc_values():
    assert m.roc_auc(*DEGENERATE["all scores equal"]) == 0.5
    assert m.roc_auc(*DEGENERATE["perfect separation"]) == 1.0
    assert m.roc_auc(*DEGENERATE["perfectly inverted"]) == 0.0
    fpr, tpr, thresholds = m.roc_curve(*DEGENERATE["all scores equal"])
    assert fpr.tolist() == [0.0, 1.0] and tpr.tolist() == [0.0, 1.0]
    assert thresholds.tolist() == [np.inf, 0.5]


def test_auc_accepts_decreasing_x_and_rejects_unsorted_x():
    assert m.auc([1.0, 0.5, 0.0], [1.0, 1.0, 0.0]) == sk.auc([1.0, 0.5, 0.0], [1.0, 1.0, 0.0])
    with pytest.raises(ValueError, match="sorted"):
        m.auc([0.0, 1.0, 0.5], [0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="at least 2 points"):
        m.auc([0.0], [0.0])


# ---------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "y,kwargs",
    [
        (np.array([False, True, False, True, True, False]), {}),
        (np.array([-1, 1, -1, 1, 1, -1]), {}),
        (np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0]), {}),
        (np.array([1, 2, 1, 2, 2, 1]), {"pos_label": 2}),
        (np.array(["stay", "churn", "stay", "churn", "churn", "stay"]), {"pos_label": "churn"}),
        (np.array([True, False, True, False, False, True]), {"pos_label": False}),
    ],
)
def test_label_encodings_give_the_same_curve(y, kwargs):
    s = [0.1, 0.7, 0.4, 0.4, 0.9, 0.2]
    reference = m.roc_curve([0, 1, 0, 1, 1, 0], s)
    assert_same_arrays(m.roc_curve(y, s, **kwargs), reference)
    assert_same_arrays(m.roc_curve(y, s, **kwargs), sk.roc_curve(y, s, drop_intermediate=False,
                                                                 **kwargs))


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call",
    [
        lambda y, s: m.roc_curve(y, s),
        lambda y, s: m.roc_auc(y, s),
        lambda y, s: m.choose_threshold(y, s, "youden"),
        lambda y, s: m.bootstrap_rates(y, s, 0.5),
        lambda y, s: m.expected_cost(y, s, 0.5, 1.0, 1.0),
    ],
)
@pytest.mark.parametrize("only", [0, 1])
def test_one_class_only_is_a_clear_error(call, only):
    with pytest.raises(ValueError, match="contains only .* cases .* both classes"):
        call(np.full(5, only), [0.1, 0.2, 0.3, 0.4, 0.5])


def test_precision_recall_needs_positives_but_not_negatives():
    with pytest.raises(ValueError, match="only negative cases"):
        m.precision_recall_curve([0, 0, 0], [0.1, 0.2, 0.3])
    precision, recall, _ = m.precision_recall_curve([1, 1, 1], [0.1, 0.2, 0.3])
    assert np.all(precision == 1.0)
    assert m.average_precision([1, 1, 1], [0.1, 0.2, 0.3]) == 1.0


@pytest.mark.parametrize(
    "y,s,message",
    [
        ([0, 1, 1], [0.1, 0.2], "y_true has 3 labels but scores has 2 values"),
        ([0, 1, 1], [0.1, np.nan, 0.3], "1 NaN and 0 infinite"),
        ([0, 1, 1], [0.1, np.inf, -np.inf], "0 NaN and 2 infinite"),
        ([], [], "empty"),
        ([0, 1, 2], [0.1, 0.2, 0.3], "3 distinct labels .*per_class_roc"),
        ([1, 2, 2], [0.1, 0.2, 0.3], "pos_label="),
        (["a", "b", "a"], [0.1, 0.2, 0.3], "pos_label="),
        ([0, 1, np.nan], [0.1, 0.2, 0.3], "NaN or infinite labels"),
        ([[0, 1]], [[0.1, 0.2]], "1-D"),
        ([0, 1, 1], [[0.1], [0.2], [0.3]], "1-D"),
        ([0, 1, 1], ["low", "high", "high"], "numbers"),
    ],
)
def test_bad_input_is_a_clear_error(y, s, message):
    for call in (m.roc_curve, m.roc_auc, m.precision_recall_curve, m.average_precision,
                 lambda y, s: m.confusion_at(y, s, 0.5),
                 lambda y, s: m.choose_threshold(y, s, "f1")):
        with pytest.raises(ValueError, match=message):
            call(y, s)


def test_nan_threshold_is_rejected():
    with pytest.raises(ValueError, match="threshold is NaN"):
        m.confusion_at([0, 1], [0.1, 0.9], float("nan"))


# ---------------------------------------------------------------- confusion at a threshold


def sklearn_confusion(y, s, t):
    pred = (np.asarray(s) >= t).astype(int)
    y = np.asarray(y).astype(int)
    tn, fp, fn, tp = sk.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    both = len(np.unique(y)) == 2
    return {
        "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "tpr": sk.recall_score(y, pred, zero_division=0),
        "fpr": fp / (fp + tn) if fp + tn else 0.0,
        "tnr": tn / (fp + tn) if fp + tn else 0.0,
        "precision": sk.precision_score(y, pred, zero_division=0),
        "recall": sk.recall_score(y, pred, zero_division=0),
        "f1": sk.f1_score(y, pred, zero_division=0),
        "accuracy": sk.accuracy_score(y, pred),
        "balanced_accuracy": (sk.balanced_accuracy_score(y, pred) if both
                              else (tp / (tp + fn) if tp + fn else tn / (tn + fp))),
    }


@pytest.mark.parametrize("threshold", [-10.0, 0.0, 0.5, 1.0, 2.5, 10.0])
def test_confusion_at_matches_sklearn_metrics(threshold):
    y, s = tied_data(3, decimals=1)
    ours = m.confusion_at(y, s, threshold)
    theirs = sklearn_confusion(y, s, threshold)
    assert set(ours) == set(m.CONFUSION_KEYS) == set(theirs)
    for key in m.CONFUSION_KEYS:
        assert ours[key] == pytest.approx(theirs[key], abs=1e-12), key


def test_confusion_at_flags_scores_equal_to_the_threshold():
    c = m.confusion_at([0, 1, 1], [0.2, 0.5, 0.7], 0.5)
    assert (c["tp"], c["fp"], c["tn"], c["fn"]) == (2, 0, 1, 0)


def test_confusion_at_scalar_returns_python_numbers():
    c = m.confusion_at([0, 1, 1, 0], [0.2, 0.5, 0.7, 0.9], 0.5)
    assert all(type(c[k]) is int for k in ("tp", "fp", "tn", "fn"))
    assert all(type(c[k]) is float for k in m.CONFUSION_KEYS[4:])


def test_undefined_ratios_are_zero():
    nothing_flagged = m.confusion_at([0, 1, 1], [0.1, 0.2, 0.3], 0.9)
    assert nothing_flagged["precision"] == 0.0 and nothing_flagged["f1"] == 0.0
    no_positives = m.confusion_at([0, 0, 0], [0.1, 0.2, 0.3], 0.2)
    assert no_positives["tpr"] == 0.0 and no_positives["recall"] == 0.0
    assert no_positives["balanced_accuracy"] == no_positives["tnr"] == pytest.approx(1 / 3)
    for y in ([0, 0, 0], [1, 1, 1]):
        for t in (0.0, 0.2, 1.0):
            ours = m.confusion_at(y, [0.1, 0.2, 0.3], t)
            theirs = sklearn_confusion(y, [0.1, 0.2, 0.3], t)
            for key in m.CONFUSION_KEYS:
                assert ours[key] == pytest.approx(theirs[key], abs=1e-12), (y, t, key)


@pytest.mark.parametrize("n_thresholds", [3, 16, 17, 200])
def test_vectorized_thresholds_equal_one_call_per_threshold(n_thresholds):
    y, s = probabilities(5)
    thresholds = np.concatenate(
        [np.random.default_rng(0).random(n_thresholds - 2), [np.inf, -np.inf]]
    )
    swept = m.confusion_at(y, s, thresholds)
    assert swept.keys() == m.confusion_sweep(y, s, thresholds).keys()
    for j, t in enumerate(thresholds):
        single = m.confusion_at(y, s, t)
        for key in m.CONFUSION_KEYS:
            assert swept[key][j] == single[key], (t, key)


def test_confusion_at_reproduces_every_roc_point():
    y, s = tied_data(2, decimals=1)
    fpr, tpr, thresholds = m.roc_curve(y, s)
    swept = m.confusion_sweep(y, s, thresholds)
    np.testing.assert_array_equal(swept["tpr"], tpr)
    np.testing.assert_array_equal(swept["fpr"], fpr)


# ---------------------------------------------------------------- choosing a threshold


def roc_points(y, s):
    fpr, tpr, thresholds = m.roc_curve(y, s)
    return fpr, tpr


METHOD_ARGS = [
    ("youden", {}),
    ("target_tpr", {"target_tpr": 0.9}),
    ("target_tpr", {"target_tpr": 0.0}),
    ("target_tpr", {"target_tpr": 1.0}),
    ("max_fpr", {"max_fpr": 0.05}),
    ("max_fpr", {"max_fpr": 0.0}),
    ("max_fpr", {"max_fpr": 1.0}),
    ("cost", {"cost_fp": 1.0, "cost_fn": 5.0}),
    ("cost", {"cost_fp": 0.0, "cost_fn": 1.0}),
    ("f1", {}),
]


@pytest.mark.parametrize("method,kwargs", METHOD_ARGS)
def test_choice_is_a_score_and_reproduces_its_rates(method, kwargs):
    y, s = probabilities(11)
    choice = m.choose_threshold(y, s, method, **kwargs)
    assert choice.threshold in set(s.tolist()) or choice.threshold == 1.0
    c = m.confusion_at(y, s, choice.threshold)
    assert (c["tpr"], c["fpr"]) == (choice.tpr, choice.fpr)


def test_youden_maximizes_j():
    y, s = probabilities(1)
    choice = m.choose_threshold(y, s, "youden")
    fpr, tpr = roc_points(y, s)
    assert choice.tpr - choice.fpr == pytest.approx(np.max(tpr - fpr), abs=1e-12)
    assert "maximizes TPR − FPR (Youden's J" in choice.reason


def test_target_tpr_gives_lowest_fpr_reaching_the_target():
    y, s = probabilities(2)
    fpr, tpr = roc_points(y, s)
    for target in (0.5, 0.8, 0.9, 0.95):
        choice = m.choose_threshold(y, s, "target_tpr", target_tpr=target)
        assert choice.tpr >= target
        assert choice.fpr == fpr[tpr >= target].min()
        # Among points with that FPR, the one catching the most.
        assert choice.tpr == tpr[fpr == choice.fpr].max()


def test_max_fpr_gives_highest_tpr_within_the_limit():
    y, s = probabilities(3)
    fpr, tpr = roc_points(y, s)
    for limit in (0.01, 0.05, 0.2):
        choice = m.choose_threshold(y, s, "max_fpr", max_fpr=limit)
        assert choice.fpr <= limit
        assert choice.tpr == tpr[fpr <= limit].max()
        assert choice.fpr == fpr[tpr == choice.tpr].min()


def test_cost_choice_has_the_lowest_cost_of_all_thresholds():
    y, s = probabilities(4)
    _, _, thresholds = m.roc_curve(y, s)
    choice = m.choose_threshold(y, s, "cost", cost_fp=1.0, cost_fn=4.0)
    all_costs = m.expected_cost(y, s, thresholds, 1.0, 4.0)
    assert m.expected_cost(y, s, choice.threshold, 1.0, 4.0) == pytest.approx(all_costs.min())


def test_f1_choice_has_the_best_f1_of_all_thresholds():
    y, s = probabilities(6)
    _, _, thresholds = m.roc_curve(y, s)
    choice = m.choose_threshold(y, s, "f1")
    best = m.confusion_sweep(y, s, thresholds)["f1"].max()
    pred = s >= choice.threshold
    assert sk.f1_score(y, pred) == pytest.approx(best, abs=1e-12)


def test_reason_is_one_sentence_with_the_class_names():
    y, s = probabilities(8)
    names = {"positive_name": "churners", "negative_name": "loyal customers"}
    for method, kwargs in METHOD_ARGS:
        reason = m.choose_threshold(y, s, method, **kwargs, **names).reason
        assert reason.endswith(".") and reason.count(". ") == 0, reason
        assert "churners" in reason and "loyal customers" in reason, reason
    choice = m.choose_threshold(y, s, "target_tpr", target_tpr=0.9, **names)
    caught = f"{round(choice.tpr * 100)}% of churners are caught"
    flagged = f"{round(choice.fpr * 100)}% of loyal customers are flagged"
    assert caught in choice.reason and flagged in choice.reason
    assert choice.reason.startswith("At 0.")
    # The number in the sentence gives the same confusion as the returned score.
    shown = float(choice.reason.split(",")[0].removeprefix("At "))
    assert m.confusion_at(y, s, shown)["tpr"] == choice.tpr


def test_reason_example_from_the_issue_reads_naturally():
    y = np.array([0] * 10 + [1] * 4)
    s = np.array([0.1, 0.2, 0.2, 0.3, 0.3, 0.33, 0.35, 0.36, 0.15, 0.37, 0.37, 0.6, 0.8, 0.9])
    choice = m.choose_threshold(y, s, "youden", positive_name="churners",
                                negative_name="loyal customers")
    assert choice.threshold == 0.37
    assert choice.reason == (
        "At 0.37, 100% of churners are caught and 10% of loyal customers are flagged; "
        "this threshold maximizes TPR − FPR (Youden's J = 0.90)."
    )


def test_unreachable_fpr_limit_falls_back_to_flagging_no_one():
    y = [0, 1, 0, 1]
    s = [0.9, 0.8, 0.2, 0.1]  # the top score is a negative: any flag costs FPR > 0
    choice = m.choose_threshold(y, s, "max_fpr", max_fpr=0.0)
    assert (choice.threshold, choice.tpr, choice.fpr) == (1.0, 0.0, 0.0)
    assert choice.reason.startswith("No threshold catches any positives while flagging at most 0%")
    assert "flags no one" in choice.reason
    logits = m.choose_threshold(y, [9.0, 8.0, 2.0, 1.0], "max_fpr", max_fpr=0.0)
    assert logits.threshold == np.nextafter(9.0, np.inf)
    assert "above the highest score (9)" in logits.reason
    assert m.confusion_at(y, [9.0, 8.0, 2.0, 1.0], logits.threshold)["fpr"] == 0.0


def test_flag_nothing_threshold_above_a_score_of_exactly_one():
    choice = m.choose_threshold([0, 1, 0], [1.0, 0.5, 0.2], "max_fpr", max_fpr=0.0)
    assert choice.threshold > 1.0 and choice.tpr == 0.0


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"method": "best"}, "'youden', 'target_tpr', 'max_fpr', 'cost', 'f1'"),
        ({"method": "target_tpr"}, "needs target_tpr="),
        ({"method": "target_tpr", "target_tpr": 90}, "between 0 and 1"),
        ({"method": "target_tpr", "target_tpr": -0.1}, "between 0 and 1"),
        ({"method": "target_tpr", "target_tpr": float("nan")}, "must be a number"),
        ({"method": "max_fpr"}, "needs max_fpr="),
        ({"method": "max_fpr", "max_fpr": 1.5}, "between 0 and 1"),
        ({"method": "cost", "cost_fp": -1.0}, "cost_fp must be between 0"),
        ({"method": "cost", "cost_fp": 0.0, "cost_fn": 0.0}, "both 0"),
    ],
)
def test_invalid_choice_arguments_name_the_valid_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        m.choose_threshold([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], **kwargs)


def test_threshold_choice_is_frozen():
    choice = m.choose_threshold([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], "youden")
    with pytest.raises(FrozenInstanceError):
        choice.threshold = 0.5


# ---------------------------------------------------------------- bootstrap intervals


def test_bootstrap_interval_contains_the_estimate_and_shrinks_with_n():
    widths = []
    for n in (300, 3_000, 30_000):
        y, s = probabilities(9, n=n)
        r = m.bootstrap_rates(y, s, 0.5, n_boot=2000, random_state=0)
        c = m.confusion_at(y, s, 0.5)
        assert (r.tpr, r.fpr) == (c["tpr"], c["fpr"])
        assert r.tpr_low <= r.tpr <= r.tpr_high
        assert r.fpr_low <= r.fpr <= r.fpr_high
        widths.append((r.tpr_high - r.tpr_low, r.fpr_high - r.fpr_low))
    for (tpr_a, fpr_a), (tpr_b, fpr_b) in zip(widths, widths[1:]):
        # About 1/sqrt(10) per tenfold n.
        assert tpr_b < 0.5 * tpr_a and fpr_b < 0.5 * fpr_a


def test_bootstrap_width_matches_the_binomial_standard_error():
    y, s = probabilities(10, n=20_000)
    r = m.bootstrap_rates(y, s, 0.5, n_boot=4000, random_state=1)
    n_pos = int(np.count_nonzero(y))
    se = math.sqrt(r.tpr * (1 - r.tpr) / n_pos)
    assert (r.tpr_high - r.tpr_low) == pytest.approx(2 * 1.96 * se, rel=0.1)


def test_bootstrap_agrees_with_resampling_rows():
    y, s = probabilities(12, n=1000)
    rng = np.random.default_rng(3)
    idx = rng.integers(0, y.size, size=(2000, y.size))
    yb, hit = y[idx], s[idx] >= 0.5
    naive_tpr = (hit & yb).sum(1) / yb.sum(1)
    low, high = np.percentile(naive_tpr, [2.5, 97.5])
    r = m.bootstrap_rates(y, s, 0.5, n_boot=2000, random_state=4)
    assert r.tpr_low == pytest.approx(low, abs=0.01)
    assert r.tpr_high == pytest.approx(high, abs=0.01)


def test_bootstrap_is_reproducible_and_reports_skipped_resamples():
    y = np.array([1] + [0] * 9)
    s = np.linspace(1, 0, 10)
    a = m.bootstrap_rates(y, s, 0.5, n_boot=500, random_state=42)
    b = m.bootstrap_rates(y, s, 0.5, n_boot=500, random_state=np.random.default_rng(42))
    assert a == b
    # P(no positive among 10 draws) = 0.9**10, about 35%.
    assert 100 < a.n_skipped_tpr < 250 and a.n_skipped_fpr == 0
    assert a.tpr_low == a.tpr_high == 1.0


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"n_boot": 0}, "positive integer"),
        ({"n_boot": 10.5}, "positive integer"),
        ({"threshold": float("nan")}, "threshold must be a number"),
        ({"level": 1.0}, "strictly between 0 and 1"),
    ],
)
def test_bootstrap_bad_arguments(kwargs, message):
    args = {"threshold": 0.5, **kwargs}
    with pytest.raises(ValueError, match=message):
        m.bootstrap_rates([0, 1, 0, 1], [0.1, 0.6, 0.3, 0.8], **args)


# ---------------------------------------------------------------- cost


def test_expected_cost_closed_form_at_sample_prevalence():
    y, s = probabilities(13)
    c = m.confusion_at(y, s, 0.4)
    expected = 1000 * (3.0 * c["fp"] + 7.0 * c["fn"]) / y.size
    assert m.expected_cost(y, s, 0.4, 3.0, 7.0) == pytest.approx(expected, rel=1e-12)


def test_expected_cost_at_a_stated_prevalence():
    y, s = probabilities(14)
    c = m.confusion_at(y, s, 0.6)
    expected = 1000 * (0.05 * (1 - c["tpr"]) * 20.0 + 0.95 * c["fpr"] * 1.0)
    assert m.expected_cost(y, s, 0.6, 1.0, 20.0, prevalence=0.05) == pytest.approx(expected)
    swept = m.expected_cost(y, s, [0.2, 0.6], 1.0, 20.0, prevalence=0.05)
    assert swept.shape == (2,) and swept[1] == pytest.approx(expected)
    with pytest.raises(ValueError, match="prevalence must be between 0 and 1"):
        m.expected_cost(y, s, 0.6, 1.0, 20.0, prevalence=5)


def test_iso_cost_slope_formula_and_limits():
    assert m.iso_cost_slope(1.0, 5.0, 0.2) == pytest.approx(1.0 * 0.8 / (5.0 * 0.2))
    assert m.iso_cost_slope(1.0, 0.0, 0.3) == math.inf
    assert m.iso_cost_slope(0.0, 1.0, 0.3) == 0.0
    with pytest.raises(ValueError, match="every threshold costs the same"):
        m.iso_cost_slope(0.0, 1.0, 0.0)


@pytest.mark.parametrize(
    "cost_fp,cost_fn,prevalence", [(1, 5, 0.2), (5, 1, 0.5), (1, 1, 0.01), (1, 0, 0.3), (0, 1, 0.3)]
)
def test_iso_cost_line_passes_through_the_point_inside_the_unit_square(
    cost_fp, cost_fn, prevalence
):
    x, y = m.iso_cost_line(cost_fp, cost_fn, prevalence, through=(0.2, 0.7))
    assert x.shape == y.shape == (2,)
    assert np.all((0 <= x) & (x <= 1) & (0 <= y) & (y <= 1))
    slope = m.iso_cost_slope(cost_fp, cost_fn, prevalence)
    if math.isinf(slope):
        assert x.tolist() == [0.2, 0.2]
    else:
        assert np.interp(0.2, x, y) == pytest.approx(0.7)
        if x[1] > x[0]:
            assert (y[1] - y[0]) / (x[1] - x[0]) == pytest.approx(slope)
    # At least one end lies on the square's border.
    assert np.any(np.isclose(np.concatenate([x, y]), 0) | np.isclose(np.concatenate([x, y]), 1))


def test_cost_optimal_point_lies_on_the_highest_iso_cost_line():
    y, s = probabilities(15)
    choice = m.choose_threshold(y, s, "cost", cost_fp=1.0, cost_fn=3.0)
    slope = m.iso_cost_slope(1.0, 3.0, float(np.mean(y)))
    fpr, tpr = roc_points(y, s)
    intercepts = tpr - slope * fpr
    assert choice.tpr - slope * choice.fpr == pytest.approx(intercepts.max(), abs=1e-12)


# ---------------------------------------------------------------- multiclass


def softmax_data(seed, n=600, k=4, decimals=2):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    y[:k] = np.arange(k)
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[y]
    proba = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    return y, np.round(proba, decimals)


@pytest.mark.parametrize("seed", range(3))
def test_one_vs_rest_curves_and_aucs_match_sklearn(seed):
    y, proba = softmax_data(seed)
    proba = proba / proba.sum(1, keepdims=True)  # sklearn checks rows sum to 1
    k = proba.shape[1]
    curves = m.per_class_roc(y, proba)
    assert len(curves) == k
    for j, curve in enumerate(curves):
        assert_same_arrays(curve, sk.roc_curve(y == j, proba[:, j], drop_intermediate=False))
    aucs = m.per_class_auc(y, proba)
    np.testing.assert_allclose(
        aucs, sk.roc_auc_score(y, proba, multi_class="ovr", average=None), atol=1e-12
    )
    assert abs(m.macro_auc(y, proba)
               - sk.roc_auc_score(y, proba, multi_class="ovr", average="macro")) <= 1e-12
    onehot = label_binarize(y, classes=range(k))
    assert abs(m.micro_auc(y, proba) - sk.roc_auc_score(onehot.ravel(), proba.ravel())) <= 1e-12
    assert abs(m.micro_auc(y, proba)
               - sk.roc_auc_score(y, proba, multi_class="ovr", average="micro")) <= 1e-12


def test_multiclass_helpers_work_for_two_classes():
    y, proba = softmax_data(4, k=2)
    assert m.per_class_auc(y, proba)[1] == m.roc_auc(y == 1, proba[:, 1])
    manual = sk.roc_auc_score(np.eye(2)[y].ravel(), proba.ravel())
    assert abs(m.micro_auc(y, proba) - manual) <= 1e-12


def test_confusion_matrix_matches_sklearn():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 4, 500), rng.integers(0, 4, 500)
    expected = sk.confusion_matrix(y_true, y_pred, labels=range(5))
    np.testing.assert_array_equal(m.confusion_matrix(y_true, y_pred, 5), expected)
    np.testing.assert_array_equal(m.confusion_matrix(y_true, y_pred), expected[:4, :4])
    assert m.confusion_matrix([0, 1, 1], [1, 1, 0], 2).tolist() == [[0, 1], [1, 1]]


@pytest.mark.parametrize(
    "y,proba,message",
    [
        ([0, 1, 1], [[0.5, 0.5, 0.0]] * 3, "class 2 has no cases"),
        ([0, 1, 3], [[0.5, 0.5, 0.0]] * 3, "class code 3, outside 0..2"),
        ([0, 1], [[0.5, 0.5, 0.0]] * 3, "2 cases but proba has 3 rows"),
        ([0, 1, 1], [0.5, 0.5, 0.5], "2-D array"),
        ([0, 1, 1], [[0.5, 0.5], [0.5, np.nan], [0.5, 0.5]], "NaN"),
        (["a", "b"], [[0.5, 0.5]] * 2, "integer class codes"),
    ],
)
def test_multiclass_bad_input(y, proba, message):
    for call in (m.per_class_roc, m.per_class_auc, m.macro_auc, m.micro_auc):
        with pytest.raises(ValueError, match=message):
            call(y, proba)


def test_confusion_matrix_bad_input():
    with pytest.raises(ValueError, match="3 cases but y_pred has 2"):
        m.confusion_matrix([0, 1, 1], [0, 1], 2)
    with pytest.raises(ValueError, match="class code 2, outside 0..1"):
        m.confusion_matrix([0, 1, 2], [0, 1, 1], 2)
    with pytest.raises(ValueError, match="empty"):
        m.confusion_matrix([], [], 2)


# ---------------------------------------------------------------- benchmark stays runnable


def test_benchmark_runs_on_a_small_sample():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_metrics.py"
    spec = importlib.util.spec_from_file_location("bench_metrics", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = bench.run(n=5_000, repeats=1, n_thresholds=20)
    assert set(bench.TARGETS) <= set(results)
    assert all(ratio > 0 for _, _, ratio in results.values())


def test_cost_rule_at_a_stated_prevalence_minimizes_expected_cost():
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 400)
    s = np.clip(0.3 * y + rng.normal(0.35, 0.2, 400), 0, 1)
    for prevalence in (0.05, 0.5, 0.9):
        choice = m.choose_threshold(y, s, "cost", cost_fp=1.0, cost_fn=8.0,
                                          prevalence=prevalence)
        # Independent check: expected_cost at every candidate threshold, brute force.
        candidates = np.concatenate(([1.0], np.unique(s)))
        costs = m.expected_cost(y, s, candidates, 1.0, 8.0, prevalence=prevalence)
        assert m.expected_cost(y, s, choice.threshold, 1.0, 8.0, prevalence=prevalence) \
            == pytest.approx(costs.min(), rel=1e-12)
        assert f"{prevalence * 100:g}%" in choice.reason
    # Without a prevalence: the sample's own, same choice as the count form.
    a = m.choose_threshold(y, s, "cost", cost_fp=1.0, cost_fn=8.0)
    b = m.choose_threshold(y, s, "cost", cost_fp=1.0, cost_fn=8.0, prevalence=y.mean())
    assert m.confusion_at(y, s, a.threshold)["tpr"] == \
        m.confusion_at(y, s, b.threshold)["tpr"]


@pytest.mark.parametrize("rate, shown", [
    (0.004, "0.4%"), (3 / 4410, "0.1%"), (0.9996, "99.96%"), (0.5, "50%"), (0.123, "12%"),
    (0.0, "0%"), (1.0, "100%"), (1e-6, "under 0.01%"), (1 - 1e-6, "over 99.99%"),
])
def test_a_rate_in_a_sentence_is_never_rounded_to_0_or_100_percent(rate, shown):
    # The cost rule once said "0% of cases are flagged" when 3 of 4,410 were.
    from logreg.metrics import _pct
    assert _pct(rate) == shown
