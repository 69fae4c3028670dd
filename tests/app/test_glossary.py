"""Plain words: every technical term on screen is defined in the glossary (About page)."""

from __future__ import annotations

import html
import json
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
    yield "home", goto(at, "home")
    goto(at, "data")
    at.radio(key="w_source").set_value("builtin").run()
    yield "data (built-in)", at
    at.radio(key="w_source").set_value("generate").run()
    yield "train", goto(at, "train")
    at.selectbox(key="w_penalty").set_value("elasticnet").run()
    yield "train (elastic net)", at
    yield "threshold", goto(at, "threshold")
    for rule in ("youden", "target_tpr", "max_fpr", "cost", "f1"):
        at.selectbox(key="w_rule").set_value(rule).run()
        yield f"threshold ({rule})", at
    goto(at, "pages/explain.py")
    for view in ("Coefficients", "Penalty path", "Loss surface"):
        at.segmented_control(key="w_why_view").set_value(view).run()
        yield f"why ({view})", at
    yield "compare", goto(at, "compare")
    yield "about", goto(at, "about")
    at.query_params.clear()
    at.session_state["s_source"] = "builtin"
    at.session_state["s_builtin"] = "iris"
    at.session_state["s_compare_softmax"] = True
    at.session_state["s_ovr_class"] = "versicolor"
    yield "multiclass", goto(at, "multiclass")


def tour_steps(app):
    """Every step of the guided tour, from its link (``?lesson=1``) through Next."""
    from ui import lesson

    app.query_params["lesson"] = "1"
    at = app.run()
    for k in range(1, len(lesson.STEPS) + 1):
        yield f"tour step {k}", at
        if k < len(lesson.STEPS):
            at.button(key="lesson_next").click().run()


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
        assert f">{html.escape(term, quote=False)}</h5>" in shown, term
        assert html.escape(glossary.definition(term), quote=False) in shown, term


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
    for text, wanted in zip(helps, ({"Softmax", "One-vs-rest"}, {"One-vs-rest", "Probability"},
                                    {"Macro / micro average", "AUC"})):
        assert wanted <= linked(text), text


def test_every_technical_word_in_the_tour_is_in_the_glossary(app):
    missing = {}
    for step, at in tour_steps(app):
        assert_clean(at)
        for word in glossary.terms_in(all_text(at), TECHNICAL):
            if glossary.lookup(word) is None:
                missing.setdefault(word, step)
    assert not missing, f"in the tour but not in the glossary: {missing}"


# ------------------------------------------------------------------------------------------------
# Tooltips: each one that uses a glossary term links to its entry on the About page
# ------------------------------------------------------------------------------------------------

def tooltips(at) -> list:
    """(label, help) of every element on the page with a tooltip: widgets, metrics, titles,
    popovers, and a table's column headers (their help sits in the column config)."""
    found = []

    def walk(node):
        proto = getattr(node, "proto", None)
        fields = {f.name for f in proto.DESCRIPTOR.fields} if proto is not None else set()
        if "help" in fields and proto.help:
            found.append((getattr(proto, "label", "") or getattr(proto, "body", ""), proto.help))
        if "columns" in fields and proto.columns:
            for name, config in json.loads(proto.columns).items():
                if isinstance(config, dict) and config.get("help"):
                    found.append((f"column {name}", config["help"]))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def names_used(text: str) -> dict:
    """Glossary term -> the name the text uses for it. Written apart from ui.glossary on
    purpose: every name of every entry, whole word, any case, plural with -s/-es/-ies; a name
    inside a longer one counts once, as the longer one ("F1 score" is F1, not a score)."""
    names = sorted(((name, term) for term in glossary.TERMS
                    for name in {term, re.sub(r"\s*\(.*\)$", "", term), *glossary.TERMS[term][0]}
                    if name not in glossary.LOOSE_NAMES), key=lambda nt: -len(nt[0]))
    used = {}
    for name, term in names:
        if name.lower().endswith("y"):
            stem = re.escape(name[:-1]) + "(?:y|ies)"
        else:
            stem = re.escape(name) + ("(?:s|es)?" if name[-1].isalpha() else "")
        pattern = re.compile(r"(?<![\w-])" + stem + r"(?![\w-])", re.IGNORECASE)
        if pattern.search(text):
            used.setdefault(term, name)
            text = pattern.sub(lambda m: "\0" * len(m.group(0)), text)
    return used


def linked(help_text: str) -> set:
    """The glossary terms a tooltip links to (``[name](about?term=<slug>)``)."""
    slugs = re.findall(r"\]\(about\?term=([a-z0-9-]+)\)", help_text)
    by_slug = {glossary.slug(t): t for t in glossary.TERMS}
    return {by_slug.get(s, f"unknown entry {s}") for s in slugs}


def unlinked(at) -> list:
    out = []
    for label, text in tooltips(at):
        body = text.split("Glossary (About page):", 1)[0]
        links = linked(text)
        assert all(t in glossary.TERMS for t in links), (label, links)
        for term, name in names_used(body).items():
            if term not in glossary.EVERYDAY and term not in links:
                out.append((label, name, term))
    return out


def test_every_tooltip_links_the_glossary_terms_it_uses(app):
    missing, seen = {}, 0
    for page, at in tour(app):
        assert_clean(at)
        seen += len(tooltips(at))
        for label, name, term in unlinked(at):
            missing.setdefault(f"{label!r} says {name!r}", page)
    assert seen > 100  # the walk really finds the tooltips
    assert not missing, f"tooltips without a link to the glossary entry they use: {missing}"


def test_every_tooltip_in_the_tour_links_the_glossary_terms_it_uses(app):
    missing = {}
    for step, at in tour_steps(app):
        assert_clean(at)
        for label, name, term in unlinked(at):
            missing.setdefault(f"{label!r} says {name!r}", step)
    assert not missing, f"tooltips without a link to the glossary entry they use: {missing}"


def test_the_checker_catches_a_tooltip_that_forgets_a_term():
    # The independent reader above, on texts with a known answer.
    assert names_used("The F1 score and two AUCs; epochs; probabilities") == {
        "F1": "F1 score", "AUC": "AUC", "Epoch": "epochs", "Probability": "probabilities"}
    assert names_used("lasso shrinks; ridge too") == {"L1 (lasso)": "lasso", "L2 (ridge)": "ridge"}
    text = "Larger λ = smaller weights."
    assert set(names_used(text)) == {"Lambda (λ)", "Coefficient (weight)"}
    assert linked(text) == set()
    assert linked(glossary.tip(text)) == {"Lambda (λ)", "Coefficient (weight)"}


def test_tip_finds_terms_by_any_name_and_links_each_once():
    text = glossary.tip("Lasso sets weights to zero; ridge shrinks every weight. The AUCs and "
                        "the F1 score: no log-odds score here.", "solver")
    pointer = text.split("\n\nGlossary (About page): ", 1)[1]
    assert pointer == ("[L1 (lasso)](about?term=l1), [Coefficient (weight)](about?term=coefficient), "
                       "[L2 (ridge)](about?term=l2), [AUC](about?term=auc), [F1](about?term=f1), "
                       "[Log-odds](about?term=log-odds), [Solver](about?term=solver).")
    assert glossary.tip("More points make smoother results.") == \
        "More points make smoother results."


def test_every_entry_has_its_own_anchor_on_the_about_page(app):
    anchors = [glossary.anchor(t) for t in glossary.TERMS]
    assert len(set(anchors)) == len(anchors)
    at = goto(app.run(), "about")
    shown = texts(at.markdown)
    for term in glossary.TERMS:
        assert f'<h5 data-anchor="{glossary.anchor(term)}">' in shown, term


def test_a_glossary_link_opens_the_about_page_on_its_entry(app):
    app.query_params["term"] = "youden-s-j"
    at = goto(app, "about")  # the link's first run draws the About page
    (box,) = at.info
    assert box.value.startswith("**Youden's J**: " + glossary.definition("Youden's J"))
    assert "term" not in at.query_params  # the address goes back to the settings it mirrors
    at.run()
    assert [b.value for b in at.info] == [box.value]  # kept while the page stays
    goto(at, "train")
    assert not goto(at, "about").info  # gone once the visitor moved on


def test_a_link_to_an_unknown_entry_shows_no_box(app):
    app.query_params["term"] = "no-such-term"
    assert not goto(app, "about").info
