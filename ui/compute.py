"""Cached calls into logreg: every heavy result is keyed on a content hash plus the settings.

A trained run is a pure function of (dataset content, settings), so moving a slider back to a
previous value is instant, and the Threshold page never retrains. Unhashable inputs are passed
as ``_arg`` (skipped by Streamlit's hasher) next to the content hash that stands for them.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict

import streamlit as st

from logreg import data as lrdata
from logreg import _parallel, figures, metrics, pipeline, why
from logreg._figure_spec import LazyFigure
from logreg.replay_figure import replay_frame_epochs, training_replay_figure
from logreg.replay_figure import replay_grids as prepare_replay_grids

from . import state

# The live view stops training after this long, whatever the epochs (stated on screen).
TIME_BUDGET_S = 5.0


# Datasets are frozen with read-only arrays, so they are cached as shared objects
# (st.cache_resource): no copy per rerun, and their content_hash is computed once.
@st.cache_resource(max_entries=32, show_spinner=False)
def generated(kind, n_samples, noise, n_classes, balance, seed):
    balance = None if n_classes != 2 or balance == 0.5 else balance
    return lrdata.make_dataset(kind, n_samples=n_samples, noise=noise, n_classes=n_classes,
                               class_balance=balance, random_state=seed)


@st.cache_resource(max_entries=8, show_spinner=False)
def builtin(name):
    return lrdata.load_builtin(name)


# Uploads are parsed in ui/data_source.py and kept in the session's own state, never in these
# process-wide caches (the uploader promises the file is held for this browser session only).


@st.cache_resource(max_entries=8, show_spinner=False)
def without_features(data_hash, names, _dataset):
    """The dataset without the named features (the Data page's "leave out" picker)."""
    from logreg import decisions
    return decisions.without_features(_dataset, names)


@st.cache_data(max_entries=16, show_spinner=False)
def leaks(data_hash, _dataset):
    """Features that alone (nearly) separate the classes (``logreg.decisions.leaking_columns``)."""
    from logreg import decisions
    return decisions.leaking_columns(_dataset.X, _dataset.y, _dataset.feature_names)


@st.cache_data(max_entries=32, show_spinner=False)
def informative_pair(data_hash, _dataset):
    return pipeline.informative_pair(_dataset.X, _dataset.y)


@st.cache_resource(max_entries=32, show_spinner=False)
def split(data_hash, test_size, seed, _dataset):
    return lrdata.train_test_split(_dataset, test_size=test_size, random_state=seed)


def _arrays(train, test) -> dict:
    """The pipeline's data arguments from the train and (optional) test Datasets."""
    return dict(X_train=train.X, y_train=train.y, X_test=None if test is None else test.X,
                y_test=None if test is None else test.y, feature_names=train.feature_names,
                class_names=train.class_names)


# Fits on at most this many training rows run with BLAS in one thread (measured at 10,000; larger
# data keeps BLAS's own threads between the pool's threaded passes, as before).
ONE_BLAS_THREAD_ROWS = 50_000


def _one_blas_thread(rows: int = 0):
    """BLAS in one thread while the Train page's fit (``rows`` training rows, at most
    ``ONE_BLAS_THREAD_ROWS``), grids (40,000 x d) and accuracy curves are computed.

    Their matrices are thin (d of 2-20): a two-thread BLAS call there waits for its second thread
    more than it gains from it, most of all on a busy 2-core server (bench_app, alternating runs
    at load 7-8: rerun until the figures are sent 217-326 ms median with the limit, 413-479 ms
    without; the 10k-point fit alone 64-73 ms -> 38 ms with OPENBLAS_NUM_THREADS=1). Large passes
    already split their rows across the logreg thread pool with one BLAS thread each; this is
    that same process-wide, reference-counted limit.
    """
    if rows > ONE_BLAS_THREAD_ROWS:
        return contextlib.nullcontext()
    return _parallel.POOL.one_blas_thread()


@st.cache_data(max_entries=64, show_spinner="Training...")
def train_binary(run_key, positive, drawn, _train, _test, _settings):
    """A trained binary run; ``run_key`` stands for (data hash, split, settings, class, features)."""
    with _one_blas_thread(len(_train.y)):
        return pipeline.fit_binary(**_arrays(_train, _test), settings=_settings,
                                   positive=positive, drawn=drawn, time_budget=TIME_BUDGET_S,
                                   diagnose=False)


# Apart from the run: its reference fit and suggestion refits (up to ~0.5 s) come after the
# figures are on screen. A frozen dataclass, never mutated: shared without a copy.
@st.cache_resource(max_entries=64, show_spinner=False)
def diagnosis(run_key, _run, _settings, _key_at=None):
    """Finished or not, and why (``logreg.diagnostics.Diagnosis``) for the run of ``run_key``.

    ``_key_at(rate)``: the run key of the same data and settings at another learning rate; with
    it, a refit the diagnosis needs is taken from the models already trained (the runs of the
    rates the user came from, earlier refits) when there is one.
    """
    fitted = None if _key_at is None else _ModelsAtRates(_key_at)
    with _one_blas_thread(len(_run.y_train)):
        return pipeline.diagnose_binary(_run, _settings, learning_rates=state.LEARNING_RATES,
                                        time_budget=TIME_BUDGET_S, fitted=fitted)


class _ModelStore:
    """The last ``size`` trained models by run key (shared by every session: read only)."""

    def __init__(self, size: int = 128):
        self._items, self._size, self._lock = OrderedDict(), size, threading.Lock()

    def get(self, key):
        with self._lock:
            model = self._items.get(key)
            if model is not None:
                self._items.move_to_end(key)
            return model

    def put(self, key, model):
        if model.stopped_early_:  # cut by a time limit: not the run of those settings
            return
        with self._lock:
            self._items[key] = model
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


@st.cache_resource(show_spinner=False)
def trained_models() -> _ModelStore:
    return _ModelStore()


class _ModelsAtRates:
    """The store seen by learning rate, for one data set and its other settings."""

    def __init__(self, key_at):
        self._key_at = key_at

    def get(self, rate):
        return trained_models().get(self._key_at(rate))

    def __setitem__(self, rate, model):
        trained_models().put(self._key_at(rate), model)


def _prepared(fig: LazyFigure) -> LazyFigure:
    """``fig`` with its dict made once: ``st.plotly_chart`` reads ``to_dict()`` on every rerun,
    and a cached figure never changes (read-only by contract, shared between sessions)."""
    return fig.freeze()


# Figures are cached as objects (st.cache_resource: no copy per rerun) because building a plotly
# figure validates every property, which costs more than the math behind it. They are keyed on
# content hashes, never mutated, and so safe to share between sessions.
@st.cache_resource(max_entries=64, show_spinner=False)
def boundary_figure(run_key, epoch, threshold, resolution, _run, subtitle=None):
    xs, ys, proba = pipeline.boundary_grid(_run, epochs=[epoch], resolution=resolution)
    final = epoch == _run.model.n_iter_
    drawn = list(_run.drawn)
    return _prepared(figures.boundary_figure(
        xs, ys, proba[0], _run.X_train[:, drawn], _run.y_train, class_names=_run.class_names,
        feature_names=[_run.feature_names[i] for i in drawn], threshold=threshold,
        X_test=None if _run.X_test is None else _run.X_test[:, drawn], y_test=_run.y_test,
        p_train=_run.p_train if final else None, p_test=_run.p_test if final else None,
        epoch=epoch, subtitle=subtitle or pipeline.drawn_note(_run.feature_names, _run.drawn)))


# Grid points per axis of the replay: each epoch travels to the browser as a 200 x 200 palette PNG
# (about the bytes of an 80 x 80 heatmap, and the boundary line is drawn at this resolution).
REPLAY_RES = 200


# The replay's grids do not depend on the threshold: a threshold step only rebuilds the figure.
# They are kept ready for pictures (clipped, float32, in whole percent: replay_figure.ReplayGrids).
@st.cache_resource(max_entries=16, show_spinner=False)
def replay_grids(run_key, epochs: tuple, resolution, _run):
    with _one_blas_thread():
        xs, ys, probas = pipeline.boundary_grid(_run, epochs=list(epochs), resolution=resolution)
        return xs, ys, prepare_replay_grids(probas, overwrite=True)  # probas are ours alone


@st.cache_resource(max_entries=32, show_spinner="Preparing the replay...")
def replay_figure(run_key, threshold, start, resolution, _run):
    """The one Replay/Play figure: every frame epoch, opening at epoch ``start``."""
    epochs = replay_frame_epochs(_run.model.n_iter_, start)
    xs, ys, probas = replay_grids(run_key, tuple(int(e) for e in epochs), resolution, _run)
    history, drawn = _run.model.history_, list(_run.drawn)
    return _prepared(training_replay_figure(
        xs, ys, probas, epochs, history["data_loss"][epochs], history["coef"][epochs],
        history["intercept"][epochs], _run.X_train[:, drawn], _run.y_train,
        class_names=_run.class_names, feature_names=[_run.feature_names[i] for i in drawn],
        weight_names=list(_run.features.names), threshold=threshold, start=start,
        loss_epochs=_run.epochs, train_loss=history["data_loss"], val_loss=history.get("val_loss"),
        X_test=None if _run.X_test is None else _run.X_test[:, drawn], y_test=_run.y_test,
        p_train=_run.p_train, p_test=_run.p_test,
        subtitle=pipeline.drawn_note(_run.feature_names, _run.drawn)))


@st.cache_data(max_entries=64, show_spinner=False)
def accuracy(run_key, threshold, _run):
    with _one_blas_thread():
        return pipeline.accuracy_history(_run, threshold)


@st.cache_resource(max_entries=64, show_spinner=False)
def loss_figure(run_key, threshold, epoch, _run):
    history = _run.model.history_
    train_acc, test_acc = accuracy(run_key, threshold, _run)
    return _prepared(figures.loss_figure(
        _run.epochs, history["data_loss"], val_loss=history.get("val_loss"),
        train_accuracy=train_acc, val_accuracy=test_acc, current_epoch=epoch,
        diverged_epoch=_run.model.n_iter_ + 1 if _run.model.diverged_ else None,
        step_name="iteration" if _run.model.solver == "newton" else "epoch"))


@st.cache_resource(max_entries=64, show_spinner=False)
def coef_figure(run_key, epoch, _run):
    history = _run.model.history_
    coef, intercept = history["coef"][epoch], history["intercept"][epoch]
    return _prepared(figures.coef_figure(coef, list(_run.features.names), intercept=intercept,
                                         class_names=_run.class_names,
                                         l1_zeros=epoch > 0 and uses_l1(_run.model),
                                         **why.weights_in_units(_run, coef, intercept)))


def uses_l1(model) -> bool:
    """The model was trained with an L1 part in its penalty (L1 or elastic net, lambda > 0)."""
    return (model.penalty == "l1" or (model.penalty == "elasticnet" and model.l1_ratio > 0)) \
        and model.reg_strength > 0


@st.cache_data(max_entries=64, show_spinner=False)
def curves(run_key, which, _y, _p):
    """ROC and PR curves with their areas for one set ("train" or "test")."""
    fpr, tpr, thr = metrics.roc_curve(_y, _p)
    precision, recall, pr_thr = metrics.precision_recall_curve(_y, _p)
    return dict(fpr=fpr, tpr=tpr, thresholds=thr, auc=metrics.auc(fpr, tpr),
                precision=precision, recall=recall, pr_thresholds=pr_thr,
                ap=metrics.average_precision(_y, _p))


@st.cache_data(max_entries=64, show_spinner=False)
def bootstrap(run_key, which, threshold, _y, _p):
    return metrics.bootstrap_rates(_y, _p, threshold, n_boot=500, random_state=0)


@st.cache_data(max_entries=32, show_spinner="Training one model per class...")
def train_multiclass(run_key, kind, drawn, _train, _test, _settings):
    """A trained one-vs-rest or softmax run on every class; ``run_key`` stands for the inputs."""
    return pipeline.fit_multiclass(**_arrays(_train, _test), settings=_settings, kind=kind,
                                   drawn=drawn, time_budget=TIME_BUDGET_S)


@st.cache_data(max_entries=32, show_spinner=False)
def class_grids(run_key, kind, resolution, _run):
    return pipeline.class_grids(_run, resolution)


@st.cache_data(max_entries=32, show_spinner=False)
def multiclass_scores(run_key, kind, which, _y, _proba):
    """Per-class ROC curves and AUCs, macro/micro AUC and the k x k confusion matrix."""
    k = _proba.shape[1]
    return dict(curves=[c[:2] for c in metrics.per_class_roc(_y, _proba)],
                aucs=metrics.per_class_auc(_y, _proba), macro=metrics.macro_auc(_y, _proba),
                micro=metrics.micro_auc(_y, _proba),
                confusion=metrics.confusion_matrix(_y, _proba.argmax(axis=1), k),
                accuracy=float((_proba.argmax(axis=1) == _y).mean()))
