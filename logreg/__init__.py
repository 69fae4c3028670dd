"""logreg: logistic regression in numpy, built to be watched while it learns."""

__version__ = "0.1.0"
