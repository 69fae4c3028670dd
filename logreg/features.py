"""Raw features -> model features: standardize, polynomial terms, standardize again.

Coordinates: points and boundary grids are in the *original* units of the drawn features;
:class:`FeatureMap` turns raw features into the model's features, and a model file stores it
(:meth:`FeatureMap.to_dict`) so raw rows can be prepared the same way later.
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import PolynomialFeatures

# Polynomial terms grow as C(d + degree, degree); past this many model features the live view
# stops being live, so the user is asked for a lower degree instead.
MAX_MODEL_FEATURES = 1000


class FeatureMap:
    """Raw features (n, d) -> model features (n, p): standardize, polynomial terms, standardize.

    The statistics are fitted on the training rows only. The second standardization rescales the
    polynomial terms (x^5 of a standardized feature has variance ~945), so one learning rate
    suits every degree.
    """

    def __init__(self, X_train: np.ndarray, feature_names, *, standardize=True, degree=1):
        X_train = np.asarray(X_train, dtype=np.float64)
        d = X_train.shape[1]
        self.degree = int(degree)
        self.standardize = bool(standardize)
        self.input_names = tuple(feature_names)
        self.mean, self.scale = _moments(X_train) if standardize else (np.zeros(d), np.ones(d))
        self.poly = None
        if self.degree > 1:
            self.poly = PolynomialFeatures(self.degree, include_bias=False)
            self.poly.fit(np.zeros((1, d)))
            p = self.poly.n_output_features_
            if p > MAX_MODEL_FEATURES:
                raise ValueError(
                    f"Polynomial terms of degree {self.degree} on {d} features make {p:,} model "
                    f"features (the limit is {MAX_MODEL_FEATURES:,}). Choose a lower degree, or "
                    "load fewer feature columns."
                )
        inner = self._expand(X_train)
        self.mean2, self.scale2 = _moments(inner) if (standardize and self.poly) else (None, None)

    def _expand(self, X):
        Z = (np.asarray(X, dtype=np.float64) - self.mean) / self.scale
        return self.poly.transform(Z) if self.poly is not None else Z

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Model features of raw rows ``X`` (n, d) -> (n, p)."""
        Z = self._expand(X)
        if self.mean2 is not None:
            Z = (Z - self.mean2) / self.scale2
        return Z

    @property
    def names(self) -> tuple:
        """Names of the model features, e.g. ``("x1", "x2", "x1^2", "x1 x2", "x2^2")``."""
        if self.poly is None:
            return self.input_names
        return tuple(self.poly.get_feature_names_out(list(self.input_names)))

    def to_dict(self) -> dict:
        """What a model export needs to rebuild the features: plain lists and numbers."""
        out = {"raw_feature_names": list(self.input_names), "standardize": self.standardize,
               "polynomial_degree": self.degree, "mean": self.mean.tolist(),
               "scale": self.scale.tolist()}
        if self.mean2 is not None:
            out["poly_mean"], out["poly_scale"] = self.mean2.tolist(), self.scale2.tolist()
        return out

    @classmethod
    def from_dict(cls, spec: dict) -> "FeatureMap":
        """Rebuild from :meth:`to_dict` output (a loaded model file); ValueError if malformed."""
        try:
            names = [str(n) for n in spec["raw_feature_names"]]
            mean = np.asarray(spec["mean"], dtype=np.float64)
            scale = np.asarray(spec["scale"], dtype=np.float64)
            degree = int(spec["polynomial_degree"])
            fmap = cls(np.zeros((1, len(names))), names, standardize=False, degree=degree)
            fmap.standardize = bool(spec["standardize"])
            fmap.mean, fmap.scale = mean, scale
            if "poly_mean" in spec:
                fmap.mean2 = np.asarray(spec["poly_mean"], dtype=np.float64)
                fmap.scale2 = np.asarray(spec["poly_scale"], dtype=np.float64)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(
                "The model file does not say how its features were prepared (standardization, "
                f"polynomial degree): {exc}. Export the model again from this app."
            ) from None
        if mean.shape != (len(names),) or scale.shape != (len(names),) or not (scale > 0).all():
            raise ValueError("The model file's standardization does not match its features.")
        return fmap


def _moments(X):
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    # A constant column has no spread to divide by; leaving it unscaled keeps it constant (and
    # harmless) instead of turning it into NaN.
    scale[~(scale > 1e-12)] = 1.0
    return mean, scale
