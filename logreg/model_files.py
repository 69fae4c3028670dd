"""A run's model and per-row results as files, and a model file read back and scored on the
current data. The file formats themselves (JSON model, results CSV) are :mod:`logreg.io`'s."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from .features import FeatureMap
from .runs import BinaryRun


def export_model(run: BinaryRun, dataset_name: str, threshold: float) -> str:
    """The run's model (with the chosen ``threshold``) as JSON, plus how to prepare raw rows."""
    import copy

    from .io import model_to_json

    model = copy.copy(run.model).set_params(threshold=threshold)  # the cached run stays as is

    preprocessing = {**run.features.to_dict(), "positive_class": run.class_names[1],
                     "negative_class": run.class_names[0], "drawn_features": list(run.drawn)}
    return model_to_json(model, feature_names=list(run.features.names),
                         preprocessing=preprocessing, metadata={"dataset": dataset_name})


@dataclass(frozen=True)
class LoadedModel:
    """A model file read back, and how it does on the current data (None when it cannot apply)."""

    description: str
    params: dict
    threshold: float
    accuracy: Optional[float]
    auc: Optional[float]
    mismatch: Optional[str]


def load_model(text, X, y_codes, class_names, feature_names) -> LoadedModel:
    """Read a model file (ValueError if it is not a valid one) and score it on raw rows ``X``.

    Scoring needs the file's raw feature names to equal the current data's and its positive
    class to be one of the current classes; otherwise ``mismatch`` says why it was not scored.
    """
    from .io import load_model_bundle
    from .metrics import roc_auc

    bundle = load_model_bundle(text)
    model = bundle.model
    params = model.get_params()
    spec = bundle.preprocessing or {}
    description = (f"{type(model).__name__} with {model.n_features_in_} model features, classes "
                   f"{', '.join(map(str, model.classes_))}, made by logreg "
                   f"{bundle.library_version}.")
    mismatch, accuracy, auc = None, None, None
    raw = [str(n) for n in spec.get("raw_feature_names", [])]
    positive = spec.get("positive_class")
    if not raw or positive is None or not hasattr(model, "predict_proba"):
        mismatch = "The file was not exported by this app, so it cannot be applied to this data."
    elif raw != [str(n) for n in feature_names]:
        mismatch = (f"The model was trained on features {', '.join(raw[:6])}; the current data "
                    f"has {', '.join(map(str, feature_names[:6]))}.")
    elif str(positive) not in [str(c) for c in class_names]:
        mismatch = f"The model's positive class '{positive}' is not a class of the current data."
    else:
        features = FeatureMap.from_dict(spec)
        y01 = (np.asarray(y_codes) == [str(c) for c in class_names].index(str(positive)))
        p = model.predict_proba(features.transform(X))[:, -1]
        accuracy = float(((p >= model.threshold) == y01).mean())
        auc = roc_auc(y01.astype(int), p) if 0 < y01.sum() < len(y01) else None
    return LoadedModel(description, params, float(model.threshold), accuracy, auc, mismatch)
