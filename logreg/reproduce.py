"""A plain Python script that rebuilds a run of the app: data, split, features, model, numbers.

:func:`reproduce_script` writes the script from the app's settings (names as in the app's
settings table) and the model settings of the run. Run from the project root, the script prints
as its last two lines ``test_accuracy=<value>`` and ``test_auc=<value>`` at the run's threshold:
the numbers the app shows for the run. A commented scikit-learn equivalent shows the same model
with ``C = 1 / (lambda * n)``. No streamlit.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict
from typing import Optional

from .data import MULTICLASS_KINDS

_SKLEARN_PENALTY = {"none": "None", "l2": '"l2"', "l1": '"l1"', "elasticnet": '"elasticnet"'}


def _data_lines(settings: dict, upload_target: Optional[str]) -> list[str]:
    source = settings.get("source", "generate")
    if source == "builtin":
        return ["# Built-in data set (ships with scikit-learn, no download).",
                f"dataset = load_builtin({settings['builtin']!r})"]
    if source == "upload":
        name = settings.get("upload_name") or "your_file.csv"
        target = upload_target or None
        return ["# Your uploaded file: edit the path if it lives elsewhere (the app never keeps "
                "a copy).",
                f"CSV_PATH = Path({name!r})",
                f"dataset = read_csv(CSV_PATH, target={target!r})"]
    kind = settings["kind"]
    n_classes = settings["n_classes"] if kind in MULTICLASS_KINDS else 2
    balance = settings["balance"]
    balance = None if n_classes != 2 or balance == 0.5 else balance
    return ["# Generated data: the same seed always gives the same points.",
            f"dataset = make_dataset({kind!r}, n_samples={settings['n_samples']!r}, "
            f"noise={settings['noise']!r}, n_classes={n_classes!r}, class_balance={balance!r}, "
            f"random_state={settings['data_seed']!r})"]


def _left_out_lines(settings: dict) -> list[str]:
    out = [n for n in (settings.get("features_out") or "").split(",") if n]
    if not out:
        return []
    return ["# Columns left out on the Data page.",
            f"dataset = without_features(dataset, {out!r})"]


def _sklearn_lines(train_settings: dict) -> list[str]:
    penalty = train_settings["penalty"]
    lam = train_settings["reg_strength"]
    lines = ["# The same model in scikit-learn (for comparison; not run here). Our objective is",
             "# mean log-loss + lambda * penalty, scikit-learn's is C * summed log-loss + penalty,",
             "# so C = 1 / (lambda * n) with n the number of training rows.",
             "# from sklearn.linear_model import LogisticRegression as SkLogisticRegression",
             f"# lam, n = {lam!r}, len(y_train)"]
    if penalty == "none" or lam == 0:
        lines.append("# sk = SkLogisticRegression(penalty=None, max_iter=10_000)")
    else:
        solver = '"saga"' if penalty in ("l1", "elasticnet") else '"lbfgs"'
        extra = f", l1_ratio={train_settings['l1_ratio']!r}" if penalty == "elasticnet" else ""
        lines.append(f"# sk = SkLogisticRegression(penalty={_SKLEARN_PENALTY[penalty]}, "
                     f"C=1 / (lam * n), solver={solver}{extra}, max_iter=10_000)")
    lines += ["# sk.fit(Phi_train, y_train)",
              "# p_sk = sk.predict_proba(Phi_test)[:, 1]  # close to p_test below once both "
              "have converged"]
    return lines


def reproduce_script(settings: dict, train_settings, *, threshold: float, positive_name: str,
                     upload_target: Optional[str] = None, epochs_run: Optional[int] = None,
                     created: Optional[_dt.datetime] = None) -> str:
    """The script's text.

    Parameters
    ----------
    settings : dict
        The app's data settings (``source``, ``kind``, ``n_samples``, ``noise``, ``n_classes``,
        ``balance``, ``data_seed``, ``builtin``, ``upload_name``, ``features_out``,
        ``test_size``).
    train_settings : TrainSettings
        The model and feature settings of the run.
    threshold : float
        Probability at which a case is predicted positive.
    positive_name : str
        The class treated as positive.
    upload_target : str, optional
        The target column picked for an uploaded file (None: the last column).
    epochs_run : int, optional
        Epochs the app's run reached when its time budget stopped it early; the script then
        trains exactly that many, to print the app's numbers.
    """
    params = asdict(train_settings)
    note = []
    if epochs_run is not None and epochs_run < params["epochs"]:
        note = [f"# The app stopped training after {epochs_run:,} of {params['epochs']:,} epochs "
                "(its time budget); this script",
                f"# trains {epochs_run:,} to print the app's numbers. Set "
                f"epochs={params['epochs']!r} to train them all."]
        params["epochs"] = int(epochs_run)
    created = created or _dt.datetime.now()
    settings_text = ",\n    ".join(f"{k}={v!r}" for k, v in params.items())
    lines = [
        '"""Rebuild a logistic regression run of the logreg playground.',
        "",
        f"Made on {created:%Y-%m-%d %H:%M}. Run it from the project root (the folder holding",
        "`logreg/`): python this_script.py",
        '"""',
        "",
        "import sys",
        "from pathlib import Path",
        "",
        "import numpy as np",
        "",
        "sys.path.insert(0, str(Path.cwd()))  # run from the project root: its logreg package",
        "",
        "from logreg.data import load_builtin, make_dataset, read_csv, train_test_split",
        "from logreg.decisions import without_features",
        "from logreg.metrics import roc_auc",
        "from logreg.model import LogisticRegression",
        "from logreg.features import FeatureMap",
        "from logreg.settings import TrainSettings",
        "",
        "# 1. Data",
        *_data_lines(settings, upload_target),
        *_left_out_lines(settings),
        "",
        "# 2. Split: stratified, the same seed as the data.",
        f"train, test = train_test_split(dataset, test_size={settings['test_size']!r}, "
        f"random_state={settings.get('data_seed', 0)!r})",
        f"positive = list(dataset.class_names).index({str(positive_name)!r})  "
        "# the class predicted as 1",
        "y_train = (train.y == positive).astype(int)",
        "y_test = None if test is None else (test.y == positive).astype(int)",
        "",
        "# 3. Features: standardize, polynomial terms, standardize again (fitted on train rows).",
        "settings = TrainSettings(",
        f"    {settings_text},",
        ")",
        *note,
        "features = FeatureMap(train.X, train.feature_names, standardize=settings.standardize,",
        "                      degree=settings.degree)",
        "Phi_train = features.transform(train.X)",
        "Phi_test = None if test is None else features.transform(test.X)",
        "",
        "# 4. Model: the test set is only watched (its loss per epoch), never trained on.",
        "model = LogisticRegression(**settings.model_params())",
        "eval_set = (Phi_test, y_test) if Phi_test is not None and len(y_test) else None",
        "model.fit(Phi_train, y_train, eval_set=eval_set)",
        "",
        *_sklearn_lines(params),
        "",
        "# 5. Scores at the threshold: predicted positive when p >= THRESHOLD.",
        f"THRESHOLD = {float(threshold)!r}",
        "if Phi_test is None or not len(y_test):",
        "    print(\"No test set (test share 0): there are no test scores.\")",
        "    accuracy = auc = float(\"nan\")",
        "else:",
        "    z = Phi_test @ model.coef_.ravel() + model.intercept_.ravel()[0]  # logits",
        "    with np.errstate(divide=\"ignore\"):",
        "        # p >= T exactly when z >= logit(T), as the app counts it",
        "        cut = np.log(THRESHOLD) - np.log1p(-THRESHOLD)",
        "    accuracy = float(((z >= cut) == (y_test == 1)).mean())",
        "    p_test = model.predict_proba(Phi_test)[:, 1]",
        "    auc = float(roc_auc(y_test, p_test)) if 0 < y_test.sum() < len(y_test) "
        "else float(\"nan\")",
        "print(f\"{model.n_iter_} epochs, final training log-loss "
        "{model.history_['data_loss'][-1]:.4f}\")",
        "print(f\"test_accuracy={accuracy:.6f}\")",
        "print(f\"test_auc={auc:.6f}\")",
        "",
    ]
    return "\n".join(lines)
