"""Which two features to draw when a table has more than two, and the sentence that says so."""

from __future__ import annotations

import warnings
from typing import Optional

import numpy as np


def informative_pair(X, y) -> tuple:
    """Indices of the two features that separate the classes best on their own (ANOVA F score).

    The default plane to draw when a table has more than two features: iris drawn on its sepal
    measurements hides a whole class, on its petal measurements it shows all three.
    """
    from sklearn.feature_selection import f_classif

    X = np.asarray(X, dtype=np.float64)
    if X.shape[1] <= 2:
        return (0, min(1, X.shape[1] - 1))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # constant columns make F undefined: they rank last
        scores, _ = f_classif(X, y)
    scores = np.nan_to_num(scores, nan=-1.0, posinf=np.finfo(float).max)
    first, second = np.argsort(-scores, kind="stable")[:2]
    return (int(first), int(second))


def drawn_note(feature_names, drawn) -> Optional[str]:
    """A sentence saying which features are drawn and that the others are held at their mean."""
    if len(feature_names) <= 2:
        return None
    others = len(feature_names) - 2
    return (f"Drawn in the plane of '{feature_names[drawn[0]]}' and '{feature_names[drawn[1]]}'; "
            f"the other {others} feature{'s' if others > 1 else ''} are held at their mean.")
