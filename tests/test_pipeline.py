"""logreg.pipeline: feature maps, runs, replay grids and model files, against independent references."""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from logreg import metrics, pipeline
from logreg.data import load_builtin, make_dataset, train_test_split


@pytest.fixture(scope="module")
def moons():
    data = make_dataset("moons", n_samples=300, noise=0.2, random_state=1)
    return train_test_split(data, test_size=0.25, random_state=1)


def fit(train, test, **settings):
    return pipeline.fit_binary(train.X, train.y, test.X, test.y,
                               feature_names=train.feature_names, class_names=train.class_names,
                               settings=pipeline.TrainSettings(**settings))


@pytest.mark.parametrize("degree", [1, 2, 4])
def test_feature_map_equals_sklearn_scaler_poly_scaler(degree):
    rng = np.random.default_rng(0)
    X = rng.normal(3.0, [1.0, 10.0, 0.1], size=(80, 3))
    X_new = rng.normal(size=(7, 3))
    fmap = pipeline.FeatureMap(X, ["a", "b", "c"], standardize=True, degree=degree)
    steps = [StandardScaler()]
    if degree > 1:
        steps += [PolynomialFeatures(degree, include_bias=False), StandardScaler()]
    reference = make_pipeline(*steps).fit(X)
    np.testing.assert_allclose(fmap.transform(X_new), reference.transform(X_new), rtol=1e-10,
                               atol=1e-10)
    assert len(fmap.names) == reference.transform(X_new).shape[1]


def test_feature_map_keeps_constant_columns_finite():
    X = np.column_stack([np.ones(10), np.arange(10.0)])
    out = pipeline.FeatureMap(X, ["const", "x"], degree=3).transform(X)
    assert np.isfinite(out).all()


def test_feature_map_refuses_an_explosion_of_polynomial_terms():
    X = np.zeros((5, 30))
    with pytest.raises(ValueError, match="lower degree"):
        pipeline.FeatureMap(X, [f"f{i}" for i in range(30)], degree=5)


def test_feature_map_round_trips_through_its_dict():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 2)) * [1, 5]
    fmap = pipeline.FeatureMap(X, ["x1", "x2"], degree=3)
    again = pipeline.FeatureMap.from_dict(fmap.to_dict())
    np.testing.assert_array_equal(again.transform(X), fmap.transform(X))


def test_run_probabilities_match_the_model_on_transformed_features(moons):
    train, test = moons
    run = fit(train, test, degree=2, epochs=50)
    expected = run.model.predict_proba(run.features.transform(test.X))[:, 1]
    np.testing.assert_allclose(run.p_test, expected)
    assert run.y_train.tolist() == (train.y == 1).astype(int).tolist()
    assert run.class_names == tuple(train.class_names)


def test_epoch_logits_replay_each_epoch_without_refitting(moons):
    train, test = moons
    run = fit(train, test, epochs=30)
    Z = pipeline.epoch_logits(run.model, run.features, test.X)
    assert Z.shape == (len(test.y), 31)
    for epoch in (0, 7, 30):
        # Independent: the same model trained for exactly `epoch` epochs (full batch is
        # deterministic), evaluated with its own decision_function.
        short = fit(train, test, epochs=max(epoch, 1))
        if epoch == 0:
            np.testing.assert_allclose(Z[:, 0], 0.0)
        else:
            np.testing.assert_allclose(
                Z[:, epoch], short.model.decision_function(short.features.transform(test.X)),
                rtol=1e-10, atol=1e-12)


def test_boundary_grid_is_the_model_probability_at_the_grid_points(moons):
    train, test = moons
    run = fit(train, test, degree=3, epochs=40)
    xs, ys, proba = pipeline.boundary_grid(run, resolution=25)
    gx, gy = np.meshgrid(xs, ys)
    direct = run.model.predict_proba(run.features.transform(np.column_stack([gx.ravel(),
                                                                             gy.ravel()])))
    np.testing.assert_allclose(proba, direct[:, 1].reshape(25, 25), rtol=1e-10)
    assert xs.min() < train.X[:, 0].min() and xs.max() > train.X[:, 0].max()


def test_boundary_grid_for_several_epochs_matches_single_epochs(moons):
    train, test = moons
    run = fit(train, test, epochs=20)
    _, _, many = pipeline.boundary_grid(run, epochs=[0, 5, 20], resolution=10)
    _, _, last = pipeline.boundary_grid(run, resolution=10)
    assert many.shape == (3, 10, 10)
    np.testing.assert_allclose(many[0], 0.5)  # zero weights: p = 0.5 everywhere
    np.testing.assert_allclose(many[2], last)


def test_grid_holds_other_features_at_their_mean():
    data = load_builtin("iris")
    rows = pipeline.grid_rows(data.X, np.array([1.0, 2.0]), np.array([3.0]), drawn=(2, 0))
    assert rows.shape == (2, 4)
    np.testing.assert_allclose(rows[:, 1], data.X[:, 1].mean())
    np.testing.assert_allclose(rows[:, 3], data.X[:, 3].mean())
    assert rows[:, 2].tolist() == [1.0, 2.0] and rows[:, 0].tolist() == [3.0, 3.0]


def test_accuracy_history_ends_at_the_final_accuracy(moons):
    train, test = moons
    run = fit(train, test, epochs=25)
    train_acc, test_acc = pipeline.accuracy_history(run, threshold=0.3)
    assert train_acc.shape == test_acc.shape == (26,)
    assert train_acc[-1] == pytest.approx(((run.p_train >= 0.3) == run.y_train).mean())
    assert test_acc[-1] == pytest.approx(((run.p_test >= 0.3) == run.y_test).mean())


def test_multiclass_labels_name_the_rest():
    y01, names = pipeline.binary_labels([0, 1, 2, 1], ("a", "b", "c"), positive=1)
    assert y01.tolist() == [0, 1, 0, 1] and names == ("not b", "b")


def test_time_budget_stops_training_and_says_so(moons):
    train, test = moons
    run = pipeline.fit_binary(train.X, train.y, None, None, feature_names=train.feature_names,
                              class_names=train.class_names,
                              settings=pipeline.TrainSettings(epochs=10_000, batch_size=1),
                              time_budget=0.05)
    assert run.model.stopped_early_ and run.model.n_iter_ < 10_000
    assert any("at most 0.05 s" in m for m in run.messages)


def test_exported_model_scores_the_same_when_loaded(moons):
    train, test = moons
    run = fit(train, test, degree=2, epochs=60, penalty="l2", reg_strength=0.01)
    text = pipeline.export_model(run, "moons", threshold=0.4)
    loaded = pipeline.load_model(text, test.X, test.y, train.class_names, train.feature_names)
    assert loaded.mismatch is None and loaded.threshold == 0.4
    assert loaded.accuracy == pytest.approx(((run.p_test >= 0.4) == run.y_test).mean())
    assert loaded.auc == pytest.approx(metrics.roc_auc(run.y_test, run.p_test), abs=1e-12)
    assert run.model.threshold == 0.5  # exporting did not touch the cached run's model


def test_loaded_model_on_other_features_says_why_it_cannot_score(moons):
    train, test = moons
    text = pipeline.export_model(fit(train, test, epochs=5), "moons", threshold=0.5)
    iris = load_builtin("iris")
    loaded = pipeline.load_model(text, iris.X, iris.y, iris.class_names, iris.feature_names)
    assert loaded.accuracy is None and "features" in loaded.mismatch


def test_multiclass_run_grids_argmax_matches_predict():
    data = make_dataset("blobs", n_samples=240, n_classes=3, noise=0.5, random_state=3)
    train, test = train_test_split(data, test_size=0.25, random_state=0)
    for kind in ("ovr", "softmax"):
        run = pipeline.fit_multiclass(train.X, train.y, test.X, test.y,
                                      feature_names=train.feature_names,
                                      class_names=train.class_names,
                                      settings=pipeline.TrainSettings(epochs=100), kind=kind)
        xs, ys, grids = pipeline.class_grids(run, resolution=12)
        assert grids.shape == (3, 12, 12)
        gx, gy = np.meshgrid(xs, ys)
        pred = run.model.predict(run.features.transform(np.column_stack([gx.ravel(),
                                                                         gy.ravel()])))
        np.testing.assert_array_equal(grids.reshape(3, -1).argmax(axis=0), pred)
        np.testing.assert_allclose(run.proba_test.sum(axis=1), 1.0)


def test_informative_pair_picks_the_features_that_separate_iris():
    iris = load_builtin("iris")
    pair = pipeline.informative_pair(iris.X, iris.y)
    assert sorted(iris.feature_names[i] for i in pair) == ["petal length (cm)", "petal width (cm)"]


def test_informative_pair_ranks_constant_columns_last():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 50)
    X = np.column_stack([np.ones(100), y + rng.normal(0, 0.5, 100), rng.normal(size=100),
                         y + rng.normal(0, 0.1, 100)])
    assert pipeline.informative_pair(X, y) == (3, 1)
