"""logreg.why: a run's effects in the user's units (issue 18 item 3) against raw-data fits."""
import numpy as np
import pytest
import statsmodels.api as sm

from logreg import why
from logreg.runs import fit_binary
from logreg.settings import TrainSettings


def credit_run(solver="newton", penalty="none", degree=1, epochs=100, seed=0, n=1500):
    rng = np.random.default_rng(seed)
    balance = rng.normal(800, 485, n)
    income = rng.normal(40_000, 12_000, n)
    z = -3 + 0.004 * (balance - 800) + 2e-5 * (income - 40_000)
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    X = np.column_stack([balance, income])
    settings = TrainSettings(solver=solver, penalty=penalty, reg_strength=0.01, epochs=epochs,
                             degree=degree)
    return fit_binary(X[:1200], y[:1200], X[1200:], y[1200:], feature_names=("balance", "income"),
                      class_names=("No", "Yes"), settings=settings), X[:1200], y[:1200]


def test_unit_effects_equal_a_fit_on_the_raw_columns():
    run, X, y = credit_run()
    ref = sm.Logit(y, sm.add_constant(X)).fit(disp=0, tol=1e-12, maxiter=100)
    effects = why.unit_effects(run, run.model.coef_[0], run.model.intercept_[0])
    assert [e["name"] for e in effects] == ["balance", "income"]
    np.testing.assert_allclose([e["per_unit"] for e in effects], np.exp(ref.params[1:]),
                               rtol=1e-6)
    np.testing.assert_allclose([e["sd"] for e in effects], X.std(axis=0))
    np.testing.assert_allclose([e["per_sd"] for e in effects],
                               np.exp(ref.params[1:] * X.std(axis=0)), rtol=1e-6)


def test_hover_sentence_states_unit_and_sd_effects():
    run, X, _ = credit_run()
    sentences = why.weight_hover_sentences(run, run.model.coef_[0], run.model.intercept_[0])
    effect = why.unit_effects(run, run.model.coef_[0], run.model.intercept_[0])[0]
    text = sentences["balance"]
    assert text.startswith("each +1 in balance multiplies the odds of Yes by ")
    assert f"per standard deviation (= {X[:, 0].std():.3g} of balance)" in text
    # Per SD of a standardized feature is exp(model weight): the number the bars' length gives.
    assert effect["per_sd"] == pytest.approx(np.exp(run.model.coef_[0][0]), rel=1e-9)


def test_polynomial_terms_are_per_sd_of_the_term():
    run, _, _ = credit_run(degree=2)
    sentences = why.weight_hover_sentences(run, run.model.coef_[0], run.model.intercept_[0])
    assert "standard deviation of the term balance^2" in sentences["balance^2"]
    assert "depends on its value" in sentences["balance"]


def test_coefficient_report_of_an_unfinished_run_describes_the_optimum():
    run, _, _ = credit_run(solver="gd", epochs=3)
    report = why.coefficient_report(run)
    assert not report.finished
    assert "stopped before the optimum" in report.notes[0]
    w, b = why.finished_weights(run)
    finished, _, _ = credit_run(solver="newton", epochs=100)
    np.testing.assert_allclose(w, finished.model.coef_[0], rtol=1e-5)


def separable_run():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] > 0).astype(int)
    settings = TrainSettings(solver="gd", epochs=50)
    return fit_binary(X[:150], y[:150], X[150:], y[150:], feature_names=("a", "b"),
                      class_names=("No", "Yes"), settings=settings)


def test_separable_data_says_so_instead_of_a_table():
    run = separable_run()
    report = why.coefficient_report(run)
    assert report.table is None and report.error == why.SEPARATED_NOTE
    assert report.notes == []  # no "stopped before the optimum": there is no finite optimum
    surface = why.run_surface(run, resolution=20)
    assert surface.optimum is None and "separated" in surface.note
    assert np.isfinite(surface.surface.objective).all()


def test_penalized_separable_data_has_a_table():
    run = separable_run()
    settings = TrainSettings(solver="newton", penalty="l2", reg_strength=0.01, epochs=100)
    run = fit_binary(run.X_train, run.y_train, run.X_test, run.y_test, feature_names=("a", "b"),
                     class_names=("No", "Yes"), settings=settings)
    report = why.coefficient_report(run)
    assert report.table is not None and "do not apply" in " ".join(report.notes)


def test_one_feature_surface_is_a_clear_error():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(100, 1))
    y = (rng.random(100) < 1 / (1 + np.exp(-2 * X[:, 0]))).astype(int)
    run = fit_binary(X, y, None, None, feature_names=("only",), class_names=("No", "Yes"),
                     settings=TrainSettings(solver="newton"), drawn=(0, 0))
    with pytest.raises(ValueError, match="needs two weights"):
        why.run_surface(run)
    assert why.coefficient_report(run).table is not None
    path = why.run_path(run, k=5)
    assert path.test_loss is None and path.coefs.shape == (5, 1)


def test_long_run_surface_frames_stay_small_and_on_the_path():
    """A 3,000-epoch run: the surface replays at most SURFACE_FRAMES epochs and draws at most
    about PATH_POINTS of them, each point the run's own weights at that epoch."""
    from tests.app.conftest import values
    from logreg import figures_why

    run, _, _ = credit_run(solver="gd", epochs=3000)
    surface = why.run_surface(run)
    hist = run.model.history_["coef"][:, list(surface.indices)]
    fig = figures_why.surface_figure(surface.surface, surface.path, 3000, surface.optimum,
                                     names=surface.names).to_dict()
    frames = fig["frames"]
    assert len(frames) <= figures_why.SURFACE_FRAMES + 2
    assert [f["name"] for f in frames][-1] == str(run.model.n_iter_)
    rest = next(t for t in fig["data"] if t.get("name") == "rest of the run")
    assert len(values(rest["x"])) <= figures_why.PATH_POINTS + figures_why.SURFACE_FRAMES + 2
    for frame in frames:
        e = int(frame["name"])
        path, marker = frame["data"]
        idx = values(path["customdata"]).astype(int)
        assert idx.max() == e and np.all(np.diff(idx) > 0)
        np.testing.assert_allclose(np.column_stack([values(path["x"]), values(path["y"])]),
                                   hist[idx])
        np.testing.assert_allclose([values(marker["x"])[0], values(marker["y"])[0]], hist[e])
