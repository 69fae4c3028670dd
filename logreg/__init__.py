"""logreg: logistic regression in numpy, built to be watched while it learns.

The estimators follow scikit-learn's conventions (``fit``, ``predict_proba``, ``coef_``,
``get_params``), so they can be compared with ``sklearn.linear_model.LogisticRegression`` directly.
"""

from .model import DivergenceWarning, LogisticRegression, SeparableWarning
from .multiclass import OneVsRestLogisticRegression, SoftmaxRegression

__version__ = "0.1.0"

__all__ = ["LogisticRegression", "OneVsRestLogisticRegression", "SoftmaxRegression",
           "DivergenceWarning", "SeparableWarning", "__version__"]
