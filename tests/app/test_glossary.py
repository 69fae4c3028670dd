"""Plain words: every technical term on screen is defined in the glossary (About page)."""

from __future__ import annotations

import re

import pytest

from ui import glossary

from .conftest import assert_clean, goto, texts

# Words a visitor may not know, whatever page they turn up on. Kept here, apart from the
# glossary, so that a page gaining one of them fails this test until the glossary defines it.
TECHNICAL = (
    "accuracy", "alpha", "α", "AP", "average precision", "argmax", "AUC", "balanced accuracy",
    "batch", "mini-batch", "bootstrap", "Brier", "calibration", "class", "coefficient",
    "confusion matrix", "converged", "convergence", "cost", "decision boundary", "diverged",
    "elastic net", "epoch", "F1", "feature", "FPR", "false positive rate", "gradient",
    "gradient descent", "hyperparameter", "intercept", "IRLS", "iteration", "L1", "L2",
    "lambda", "λ", "lasso", "learning rate", "log-loss", "log-odds", "logit", "macro", "micro",
    "multinomial", "Newton", "NPV", "odds", "odds ratio", "one-hot", "one-vs-rest",
    "overfitting", "penalty", "polynomial", "PPV", "PR curve", "precision", "prevalence",
    "probability", "recall", "regularization", "ridge", "ROC", "sensitivity", "sigmoid",
    "softmax", "solver", "specificity", "standardize", "standard deviation", "stratified",
    "threshold", "TPR", "true positive rate", "validation", "weight", "Youden",
)
# The terms the issue names: each must have an entry.
REQUIRED = ("log-odds", "log-loss", "intercept", "weight", "coefficient", "odds ratio",
            "gradient", "epoch", "batch", "solver", "Newton", "regularization", "L1", "L2",
            "lasso", "ridge", "elastic net", "lambda", "alpha", "TPR", "FPR", "precision", "ROC",
            "AUC", "PR", "AP", "F1", "Youden's J", "bootstrap interval", "macro", "micro",
            "softmax", "one-vs-rest", "argmax", "calibration")


def all_text(at) -> str:
    """Everything a page shows or says on hover: element protos (labels, help, bodies) and
    the plotly figures (titles, axis titles, hover templates)."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    # Protobuf escapes non-ASCII and quotes: decode so 'λ' and "Youden's" match.
    # Typed plotly arrays are base64: their letters are not words.
    text = re.sub(r'"bdata": ?"[^"]*"', "", "\n".join(out))
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape",
                                                             "ignore") + "\n" + text


def tour(app):
    """Every page, with settings that show their conditional texts."""
    at = app.run()
    yield "data", at
    yield "train", goto(at, "train")
    at.selectbox(key="w_penalty").set_value("elasticnet").run()
    yield "train (elastic net)", at
    yield "threshold", goto(at, "threshold")
    for rule in ("youden", "target_tpr", "max_fpr", "cost", "f1"):
        at.selectbox(key="w_rule").set_value(rule).run()
        yield f"threshold ({rule})", at
    yield "compare", goto(at, "compare")
    yield "about", goto(at, "about")
    at.query_params.clear()
    at.session_state["s_source"] = "builtin"
    at.session_state["s_builtin"] = "iris"
    at.session_state["s_compare_softmax"] = True
    at.session_state["s_ovr_class"] = "versicolor"
    yield "multiclass", goto(at, "multiclass")


def test_every_technical_word_on_screen_is_in_the_glossary(app):
    missing = {}
    for page, at in tour(app):
        assert_clean(at)
        text = all_text(at)
        for word in glossary.terms_in(text, TECHNICAL):
            if glossary.lookup(word) is None:
                missing.setdefault(word, page)
    assert not missing, f"on screen but not in the glossary: {missing}"


def test_the_issue_terms_are_all_defined_in_one_or_two_sentences():
    for term in REQUIRED:
        entry = glossary.lookup(term)
        assert entry is not None, term
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", glossary.definition(entry)) if s]
        assert 1 <= len(sentences) <= 3, (term, sentences)


def test_the_about_page_shows_every_entry(app):
    at = goto(app.run(), "about")
    shown = texts(at.markdown)
    for term in glossary.TERMS:
        assert f"**{term}**" in shown, term
        assert glossary.definition(term) in shown, term


def test_tooltips_that_name_a_term_refer_to_the_glossary(app):
    at = goto(app.run(), "train")
    sidebar = texts(at.sidebar.markdown) + "\n".join(
        str(link.proto.label) for link in at.sidebar.get("page_link"))
    assert "glossary" in sidebar.lower()


def test_multiclass_tooltips_name_their_glossary_entries(app):
    at = app.run()
    at.session_state["s_source"] = "builtin"
    at.session_state["s_builtin"] = "iris"
    goto(at, "multiclass")
    helps = [at.toggle(key="w_compare_softmax").help, at.button_group(key="w_ovr_class").help]
    helps += [m.help for m in at.metric if m.label == "Macro AUC"]
    assert len(helps) == 3
    for text in helps:
        pointer = text.split("Glossary (About page): ", 1)[1]
        for name in re.findall(r"\*([^*]+)\*", pointer):
            assert name in glossary.TERMS, name


def test_every_technical_word_in_the_tour_is_in_the_glossary(app):
    from ui import lesson

    app.query_params["lesson"] = "1"
    at = app.run()
    missing = {}
    for k in range(1, len(lesson.STEPS) + 1):
        assert_clean(at)
        for word in glossary.terms_in(all_text(at), TECHNICAL):
            if glossary.lookup(word) is None:
                missing.setdefault(word, k)
        if k < len(lesson.STEPS):
            at.button(key="lesson_next").click().run()
    assert not missing, f"in the tour but not in the glossary: {missing}"
