"""Property tests for logreg.metrics: what must hold for any labels and scores (issue 5)."""
import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn import metrics as sk

from logreg import metrics as m


@st.composite
def labelled_scores(draw, min_size=2, max_size=60):
    """Binary labels with both classes and scores with many ties (a few tenths) or none."""
    n = draw(st.integers(min_size, max_size))
    y = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    assume(y.any() and not y.all())
    if draw(st.booleans()):
        s = np.array(draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))) / 10.0
    else:
        s = np.array(
            draw(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=n, max_size=n))
        )
    return y, s


@given(labelled_scores())
def test_roc_matches_sklearn(data):
    y, s = data
    for ours, theirs in zip(m.roc_curve(y, s), sk.roc_curve(y, s, drop_intermediate=False)):
        np.testing.assert_array_equal(ours, theirs)
    assert abs(m.roc_auc(y, s) - sk.roc_auc_score(y, s)) <= 1e-12


@given(labelled_scores())
def test_roc_curve_is_monotone_from_origin_to_corner(data):
    fpr, tpr, thresholds = m.roc_curve(*data)
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0.0, 0.0, 1.0, 1.0)
    assert np.all(np.diff(thresholds) < 0)


@given(labelled_scores())
def test_precision_recall_curve_recall_decreases_to_zero(data):
    precision, recall, thresholds = m.precision_recall_curve(*data)
    assert np.all(np.diff(recall) <= 0) and recall[-1] == 0.0 and precision[-1] == 1.0
    assert np.all((precision >= 0) & (precision <= 1))
    assert np.all(np.diff(thresholds) > 0)
    assert 0.0 <= m.average_precision(*data) <= 1.0


@given(labelled_scores())
def test_auc_is_a_probability_and_flips_with_the_scores(data):
    y, s = data
    value = m.roc_auc(y, s)
    assert 0.0 <= value <= 1.0
    assert abs(m.roc_auc(y, -s) - (1.0 - value)) <= 1e-12
    assert abs(m.auc(*m.roc_curve(y, s)[:2]) - value) <= 1e-12


@given(labelled_scores(), st.sampled_from(["cube", "exp", "shift_scale", "arctan"]))
def test_auc_is_invariant_under_increasing_transforms(data, name):
    y, s = data
    transform = {
        "cube": lambda v: v**3,
        "exp": lambda v: np.exp(v / 1e5),
        "shift_scale": lambda v: 3.0 * v + 7.0,
        "arctan": np.arctan,
    }[name]
    t = transform(s)
    # Floating point can merge two close scores; the transform must keep them apart.
    assume(np.all(np.isfinite(t)) and np.unique(t).size == np.unique(s).size)
    assert m.roc_auc(y, t) == m.roc_auc(y, s)


@given(labelled_scores(), st.lists(st.floats(-2, 2), min_size=1, max_size=40))
def test_confusion_counts_add_up(data, thresholds):
    y, s = data
    c = m.confusion_at(y, s, np.array(thresholds))
    n_pos = int(np.count_nonzero(y))
    np.testing.assert_array_equal(c["tp"] + c["fp"] + c["tn"] + c["fn"], y.size)
    np.testing.assert_array_equal(c["tp"] + c["fn"], n_pos)
    for j, t in enumerate(thresholds):
        single = m.confusion_at(y, s, t)
        assert all(single[key] == c[key][j] for key in m.CONFUSION_KEYS)
        assert single["tp"] == int(np.count_nonzero(y & (s >= t)))


method_arguments = st.one_of(
    st.just(("youden", {})),
    st.just(("f1", {})),
    st.floats(0, 1).map(lambda v: ("target_tpr", {"target_tpr": v})),
    st.floats(0, 1).map(lambda v: ("max_fpr", {"max_fpr": v})),
    st.tuples(st.floats(0, 10), st.floats(0.01, 10)).map(
        lambda c: ("cost", {"cost_fp": c[0], "cost_fn": c[1]})
    ),
)


@given(labelled_scores(), method_arguments)
def test_choice_reproduces_its_rates_and_meets_its_constraint(data, method_and_kwargs):
    y, s = data
    method, kwargs = method_and_kwargs
    choice = m.choose_threshold(y, s, method, **kwargs)
    c = m.confusion_at(y, s, choice.threshold)
    assert (c["tpr"], c["fpr"]) == (choice.tpr, choice.fpr)
    if method == "target_tpr":
        assert choice.tpr >= kwargs["target_tpr"]
    if method == "max_fpr":
        assert choice.fpr <= kwargs["max_fpr"]
    assert choice.reason.endswith(".") and "\n" not in choice.reason


@given(labelled_scores())
def test_youden_choice_beats_every_roc_point(data):
    y, s = data
    choice = m.choose_threshold(y, s, "youden")
    fpr, tpr, _ = m.roc_curve(y, s)
    assert choice.tpr - choice.fpr >= np.max(tpr - fpr) - 1e-12


@given(labelled_scores(), st.floats(-2, 2))
def test_bootstrap_interval_contains_the_rates(data, threshold):
    y, s = data
    r = m.bootstrap_rates(y, s, threshold, n_boot=200, random_state=0)
    assert 0.0 <= r.tpr_low <= r.tpr_high <= 1.0
    assert 0.0 <= r.fpr_low <= r.fpr_high <= 1.0


@given(labelled_scores(), st.floats(-2, 2), st.floats(0, 10), st.floats(0.1, 10))
def test_expected_cost_at_sample_prevalence_is_average_error_cost(data, threshold, c_fp, c_fn):
    y, s = data
    c = m.confusion_at(y, s, threshold)
    expected = 1000.0 * (c_fp * c["fp"] + c_fn * c["fn"]) / y.size
    assert np.isclose(m.expected_cost(y, s, threshold, c_fp, c_fn), expected, rtol=1e-12, atol=1e-9)
