"""Plain words: every technical term the app shows, in one or two sentences.

``TERMS`` maps a term (as the glossary lists it) to its aliases (other spellings that appear on
screen) and its definition. The About page draws the list; ``lookup`` finds an entry by any of
its names; ``tip`` ends a tooltip with links to the glossary entries it uses (found by
``terms_used``: whole words, plurals, aliases), so every ``help=`` goes through it. Tests scan
every page's text for technical words the glossary does not define, and every tooltip for a
term it uses without linking it.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Optional

# term -> (aliases, definition). Aliases are matched as whole words, case-insensitively.
TERMS = {
    "Accuracy": ((), "The share of points the model puts in the right class at the current "
                     "threshold. On imbalanced data it can look high while the rare class is "
                     "mostly missed."),
    "Alpha (α)": (("alpha", "α"), "In this app, the learning rate: the size of each gradient "
                                   "step. (Some libraries use the name alpha for the penalty "
                                   "strength instead.)"),
    "AP (average precision)": (("AP", "average precision"),
                               "The area under the precision-recall curve: the mean precision "
                               "over all thresholds, weighted by how much recall each adds. "
                               "1 is perfect; a model that guesses scores about the share of "
                               "positives."),
    "Argmax": (("argmax",), "\"The argument of the maximum\": the class whose probability is "
                             "the highest. Multiclass models predict the argmax."),
    "AUC": (("AUC", "area under the curve"),
            "Area under the ROC curve: the chance that a random positive point gets a higher "
            "probability than a random negative one. 0.5 is guessing, 1 is perfect."),
    "Balanced accuracy": (("balanced accuracy",),
                          "The mean of the true positive rate and the true negative rate: "
                          "accuracy that counts each class equally, however rare."),
    "Batch (mini-batch)": (("batch", "mini-batch", "batch size", "full batch"),
                           "The points used for one gradient step. Full batch uses all of "
                           "them; a mini-batch uses a random handful, so an epoch takes many "
                           "cheap, noisy steps."),
    "Bootstrap interval": (("bootstrap", "bootstrap interval", "95% interval",
                            "confidence interval"),
                           "A range for a metric found by re-scoring many random resamples of "
                           "the points: it shows how much the number could move with other "
                           "data of the same kind."),
    "Brier score": (("Brier", "Brier score"),
                    "The mean squared gap between the predicted probability and the truth "
                    "(1 or 0). 0 is perfect; always answering 0.5 scores 0.25."),
    "Calibration": (("calibration", "calibrated"),
                    "How well probabilities match reality: of the points given p = 0.7, about "
                    "70% should really be positive."),
    "Class": (("class", "classes", "positive class", "negative class", "label"),
              "The group a point belongs to, the answer the model learns to predict. On binary "
              "pages one class is called positive (the one whose probability is shown)."),
    "Coefficient (weight)": (("coefficient", "coefficients", "weight", "weights"),
                             "The number the model multiplies a feature by. Its sign says "
                             "which class the feature pushes towards, its size how strongly."),
    "Confusion matrix": (("confusion matrix",),
                         "A table counting points by true class (rows) and predicted class "
                         "(columns): right answers on the diagonal, mistakes elsewhere."),
    "Converged": (("converged", "convergence", "converge"),
                  "Training has converged when further steps no longer change the loss or "
                  "the weights noticeably."),
    "Cost of a miss": (("cost", "expected cost", "cost of a miss", "false alarm", "miss"),
                       "What each kind of mistake costs you: a miss (a positive called "
                       "negative) and a false alarm (a negative called positive). The best "
                       "threshold depends on their ratio."),
    "Decision boundary": (("boundary", "decision boundary"),
                          "The line (or curve) where the model's probability equals the "
                          "threshold: points on one side are predicted one class, on the other "
                          "side the other."),
    "Diverged": (("diverged", "diverge", "divergence"),
                 "Training diverged when the steps were so big that the loss grew instead of "
                 "shrinking, until the numbers blew up."),
    "Elastic net": (("elastic net", "elastic-net", "L1 share", "l1 ratio"),
                    "A penalty that mixes L1 and L2; the L1 share says how much is L1."),
    "Epoch": (("epoch", "epochs"),
              "One pass over the training data. With full batch, one epoch is one gradient "
              "step; Newton's method counts iterations instead."),
    "F1": (("F1", "F1 score"),
           "The harmonic mean of precision and recall: high only when both are high."),
    "Hyperparameter": (("hyperparameter", "hyperparameters", "setting"),
                       "A setting you choose before training (learning rate, epochs, penalty, "
                       "degree), as opposed to the weights the model learns."),
    "Iteration": (("iteration", "iterations", "step"),
                  "One update of the weights. Newton's method counts iterations; gradient "
                  "descent counts epochs (with mini-batches, an epoch holds many steps)."),
    "One-hot encoding": (("one-hot", "one-hot encoded"),
                         "A text column turned into one 0/1 column per value, so the model "
                         "can weigh each category."),
    "Feature": (("feature", "features", "column"),
                "One measured input of a point, such as a column of your file; the model "
                "weighs features to make its score."),
    "FPR (false positive rate)": (("FPR", "false positive rate"),
                                  "Of the truly negative points, the share the model wrongly "
                                  "calls positive (false alarms)."),
    "Gradient": (("gradient", "slope"),
                 "The direction in which the loss rises fastest, with one number per weight. "
                 "Training steps against it."),
    "Gradient descent": (("gradient descent",),
                         "Training by repeated small steps downhill on the loss, each step the "
                         "learning rate times the gradient."),
    "Intercept": (("intercept", "bias"),
                  "The constant added to the score: the log-odds of the positive class when "
                  "every feature is 0 (at its mean, when standardized). It is never penalized."),
    "L1 (lasso)": (("L1", "lasso"),
                   "A penalty on the sum of the weights' sizes. It pushes weak weights to "
                   "exactly zero, so the model keeps only some features."),
    "L2 (ridge)": (("L2", "ridge"),
                   "A penalty on the sum of the squared weights. It shrinks every weight "
                   "towards zero without making any exactly zero."),
    "Lambda (λ)": (("lambda", "λ", "penalty strength"),
                   "The penalty strength: how much large weights cost compared with the "
                   "log-loss. Larger λ gives smaller weights and a smoother model."),
    "Learning rate": (("learning rate", "step size"),
                      "How big each gradient step is. Too small: training crawls. Too big: the "
                      "loss jumps around or blows up."),
    "Logistic regression": (("logistic regression",),
                            "A model that adds up the features with one weight each, plus an "
                            "intercept, and turns that score into a probability with the "
                            "sigmoid."),
    "Log-loss": (("log-loss", "log loss", "loss", "cross-entropy"),
                 "How wrong the probabilities are: minus the log of the probability given to "
                 "the true class, averaged over points. 0 is perfect; 0.693 is a coin flip."),
    "Log-odds": (("log-odds", "logit", "score"),
                 "The model's raw score, log(p / (1 - p)): 0 means p = 0.5, positive favours "
                 "the positive class. The sigmoid turns it into a probability."),
    "Macro / micro average": (("macro", "micro", "macro AUC", "micro AUC"),
                              "Two ways to average a metric over classes: macro takes the plain "
                              "mean of the per-class values; micro pools every point of every "
                              "class first, so big classes weigh more."),
    "Newton's method": (("Newton", "Newton's method", "IRLS"),
                        "A solver that uses the loss's curvature as well as its slope, so it "
                        "usually finishes in under ten iterations; it ignores the learning "
                        "rate and cannot use an L1 penalty."),
    "NPV (negative predictive value)": (("NPV", "negative predictive value"),
                                        "Of the points called negative, the share that really "
                                        "are negative."),
    "Odds ratio": (("odds ratio", "odds"),
                   "e to the power of a weight: how many times the odds p / (1 - p) are "
                   "multiplied when that feature goes up by one unit."),
    "One-vs-rest": (("one-vs-rest", "OvR"),
                    "A way to handle several classes with yes/no models: one per class, each "
                    "asking \"this class or any other?\"; the most confident model wins."),
    "Overfitting": (("overfitting", "overfit"),
                    "Learning the noise of the training points: the training loss keeps "
                    "falling while the test loss rises. Small noisy data and many features "
                    "make it likely; a penalty fights it."),
    "Penalty (regularization)": (("penalty", "regularization", "regularized"),
                                 "A cost on large weights added to the log-loss, which keeps "
                                 "the model simpler and less sure of itself."),
    "Polynomial degree": (("polynomial", "degree", "polynomial terms"),
                          "Adds squares, products and higher powers of the features as extra "
                          "features, so the boundary can curve."),
    "PR curve": (("PR curve", "precision-recall", "PR"),
                 "Precision against recall for every threshold; more telling than ROC when "
                 "positives are rare."),
    "Precision": (("precision", "PPV"),
                  "Of the points called positive, the share that really are positive."),
    "Prevalence": (("prevalence",),
                   "The share of positives in the population the model will be used on; it "
                   "changes precision and the expected cost, not the TPR or FPR."),
    "Probability": (("probability", "probabilities"),
                    "The model's output for a point: how likely it thinks the point is of the "
                    "positive class, from 0 to 1."),
    "ROC curve": (("ROC", "ROC curve"),
                  "The true positive rate against the false positive rate for every possible "
                  "threshold: the full trade-off between catches and false alarms."),
    "Sigmoid": (("sigmoid", "logistic function"),
                "The S-shaped function 1 / (1 + e^-z) that turns any score into a probability "
                "between 0 and 1."),
    "Softmax": (("softmax", "multinomial"),
                "One model for several classes: one score per class, turned into "
                "probabilities that sum to 1. The classes are compared with each other, not "
                "each against the rest."),
    "Solver": (("solver",),
               "The method that searches for the weights: gradient descent or Newton's "
               "method. Both minimize the same loss."),
    "Specificity": (("specificity", "TNR", "true negative rate"),
                    "Of the truly negative points, the share the model correctly calls "
                    "negative: 1 minus the FPR."),
    "Stratified": (("stratified",),
                   "Split or sampled so that every class keeps its share: a 10% class stays "
                   "10% of the test set."),
    "Standardize": (("standardize", "standardized", "standard deviation", "SD"),
                    "Rescale each feature to mean 0 and standard deviation 1 (its typical "
                    "spread), so one learning rate and one penalty suit every feature."),
    "Test set": (("test set", "test", "held-back", "held back", "validation"),
                 "Points kept out of training and used only to check the model on data it "
                 "has not seen."),
    "Threshold (T)": (("threshold",),
                      "The probability above which a point is called positive. 0.5 is "
                      "common, not compulsory: a lower threshold catches more positives and "
                      "raises more false alarms."),
    "Training set": (("training set", "training points", "train"),
                     "The points the model learns from."),
    "TPR (true positive rate)": (("TPR", "true positive rate", "recall", "sensitivity"),
                                 "Of the truly positive points, the share the model catches."),
    "Youden's J": (("Youden", "Youden's J", "Youden's rule"),
                   "TPR minus FPR. The threshold that maximizes it is a common default "
                   "choice when misses and false alarms cost about the same."),
}


def _names(term: str) -> tuple:
    aliases, _ = TERMS[term]
    base = re.sub(r"\s*\(.*\)$", "", term)
    return (term, base) + tuple(aliases)


_INDEX = {name.lower(): term for term in TERMS for name in _names(term)}


def lookup(word: str) -> Optional[str]:
    """The glossary term for any of its names (case-insensitive), or None."""
    return _INDEX.get(word.strip().lower())


def definition(term: str) -> str:
    return TERMS[term][1]


def _pattern(name: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", re.IGNORECASE)


def terms_in(text: str, names) -> list:
    """Which of ``names`` occur in ``text`` as whole words (case-insensitive)."""
    return [n for n in names if _pattern(n).search(text)]


# Terms a tooltip may use in their everyday sense without a pointer to the glossary: a "class",
# a "feature" (column), a "probability", the "test" and "training" points, a "setting", a
# "step". The glossary still defines them (the About page lists every entry).
EVERYDAY = ("Class", "Feature", "Probability", "Test set", "Training set", "Hyperparameter",
            "Iteration")

# Names too loose to link: a tooltip's "test scores" are numbers, not the log-odds "score".
LOOSE_NAMES = ("score",)

# Where a tooltip's link leads: the About page (url path "about") with ``?term=<slug>``, which
# shows that entry in a box at the top of the page. (A ``#anchor`` alone is not enough: the
# page's figures finish drawing after Streamlit scrolls to the heading and push it out of view.)
ABOUT_PATH = "about"
TERM_PARAM = "term"
_TERM_KEY = "glossary_term"  # the entry asked for, kept while the About page stays on screen
POINTER = "Glossary (About page): "


def _word(name: str) -> str:
    """Regex for ``name`` as a whole word, plurals too (epochs, classes, probabilities)."""
    if name[-1:].isalpha() and name[-1:].lower() == "y":
        core = re.escape(name[:-1]) + r"(?:y|ies)"
    elif name[-1:].isalpha():
        core = re.escape(name) + r"(?:e?s)?"
    else:
        core = re.escape(name)
    return core


# Longest names first, so "F1 score" claims its words before "score", "gradient descent"
# before "gradient". Each name is looked for only if its letters occur at all (a substring test
# is far cheaper than a regex search).
_PATTERNS = [(name, name.lower()[:-1] if name[-1:].lower() == "y" else name.lower(),
              re.compile(r"(?<![\w-])" + _word(name) + r"(?![\w-])", re.IGNORECASE))
             for name in sorted((n for n in _INDEX if n not in LOOSE_NAMES), key=len,
                                reverse=True)]


def terms_used(text: str, *, everyday: bool = False) -> list:
    """The glossary terms ``text`` uses, by any of their names (whole words, case-insensitive,
    plurals too; a longer name wins over a shorter one inside it), in order of first use.
    Terms in :data:`EVERYDAY` are left out unless ``everyday``. A pointer already at the end of
    the text (:func:`tip`) is not read."""
    body = text.split(POINTER, 1)[0]
    low = body.lower()
    claimed, hits = [], []
    for name, letters, pattern in _PATTERNS:
        if letters not in low:
            continue
        for match in pattern.finditer(body):
            start, end = match.span()
            if all(end <= a or start >= b for a, b in claimed):
                claimed.append((start, end))
                hits.append((start, _INDEX[name.lower()]))
    found = []
    for _, term in sorted(hits):
        if term not in found and (everyday or term not in EVERYDAY):
            found.append(term)
    return found


def anchor(term: str) -> str:
    """The About page's anchor for a glossary entry ("g-l2", "g-youden-s-j")."""
    base = re.sub(r"\s*\(.*\)$", "", term)
    return "g-" + re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")


def slug(term: str) -> str:
    """The entry's name in a link (``?term=l2``): its anchor without the ``g-``."""
    return anchor(term)[2:]


_BY_SLUG = {slug(t): t for t in TERMS}


def link(term: str) -> str:
    """A markdown link to the entry on the About page (Streamlit opens it in a new tab, so this
    tab keeps its settings)."""
    return f"[{term}]({ABOUT_PATH}?{TERM_PARAM}={slug(term)})"


def requested_term() -> Optional[str]:
    """The entry a tooltip's link asked the About page for, or None.

    The link's ``?term=`` is read on the run it arrives with (the app then rewrites the address
    to its settings) and kept while the About page stays on screen; another page drops it."""
    import streamlit as st

    asked = _BY_SLUG.get(str(st.query_params.get(TERM_PARAM, "")))
    if asked is not None:
        st.session_state[_TERM_KEY] = asked
    elif st.session_state.get("_page_changed"):
        st.session_state.pop(_TERM_KEY, None)
    return st.session_state.get(_TERM_KEY)


def entry_markdown(term: str) -> str:
    """The About page's entry: a small heading carrying the anchor :func:`link` points at, then
    the definition. (Markdown headings get anchors from their text, by rules of Streamlit's
    front end; ``data-anchor`` sets ours.)"""
    name = html.escape(term, quote=False)
    return (f'<h5 data-anchor="{anchor(term)}">{name}</h5>\n\n'
            f"{html.escape(definition(term), quote=False)}")


@functools.lru_cache(maxsize=2048)  # tooltips are drawn on every rerun; most never change
def tip(help_text: str, *extra: str) -> str:
    """A tooltip ending with links to the glossary entries it uses (found by
    :func:`terms_used`) and to any ``extra`` terms (any of their names)."""
    terms = terms_used(help_text)
    for name in extra:
        term = lookup(name) or name
        if term in TERMS and term not in terms:
            terms.append(term)
    if not terms:
        return help_text
    return f"{help_text}\n\n{POINTER}{', '.join(link(t) for t in terms)}."


def refer(help_text: str, *terms: str) -> str:
    """:func:`tip`, naming ``terms`` even if the text only implies them."""
    return tip(help_text, *terms)
