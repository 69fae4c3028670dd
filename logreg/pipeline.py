"""From a dataset and the app's settings to a trained run, and the numbers the pages draw.

This module is a facade: the code lives in modules named for what they hold, and every name the
pages, ``ui/`` and tests have used as ``pipeline.X`` is re-exported here, so ``from logreg import
pipeline`` keeps working. New code may import from the modules directly:

===========================  ==================================================================
``logreg/settings.py``       ``TrainSettings``: the model and feature settings of a run
``logreg/features.py``       ``FeatureMap``: raw -> model features (standardize, polynomial terms)
``logreg/runs.py``           ``fit_binary`` / ``BinaryRun``, ``fit_multiclass`` / ``MulticlassRun``
``logreg/replay.py``         a run at any epoch: ``epoch_logits``, ``accuracy_history``
``logreg/grids.py``          probabilities over the drawn plane: ``boundary_grid``, ``class_grids``
``logreg/feature_pair.py``   which two features to draw: ``informative_pair``, ``drawn_note``
``logreg/model_files.py``    ``export_model``, ``load_model``
===========================  ==================================================================

New computations on a run (statistical inference, reports, reproduction scripts) go in modules of
their own beside these (``logreg/inference.py``, ``logreg/report.py``, ...), taking a run or its
model and arrays; they need not be added here.
"""

from __future__ import annotations

# Every module-level name the old pipeline.py had, private ones included (code being written
# against it right now may reach for them).
from .feature_pair import drawn_note, informative_pair
from .features import MAX_MODEL_FEATURES, FeatureMap, _moments  # noqa: F401
from .grids import boundary_grid, class_grids, grid_axes, grid_rows
from .model_files import LoadedModel, export_model, load_model
from .objective import sigmoid  # noqa: F401
from .replay import ACCURACY_SAMPLE, _logit, accuracy_history, epoch_logits  # noqa: F401
from .runs import (BinaryRun, MulticlassRun, _train, binary_labels,  # noqa: F401
                   diagnose_binary, fit_binary, fit_multiclass)
from .settings import TrainSettings

__all__ = [
    "ACCURACY_SAMPLE",
    "BinaryRun",
    "FeatureMap",
    "LoadedModel",
    "MAX_MODEL_FEATURES",
    "MulticlassRun",
    "TrainSettings",
    "accuracy_history",
    "binary_labels",
    "diagnose_binary",
    "boundary_grid",
    "class_grids",
    "drawn_note",
    "epoch_logits",
    "export_model",
    "fit_binary",
    "fit_multiclass",
    "grid_axes",
    "grid_rows",
    "informative_pair",
    "load_model",
]
