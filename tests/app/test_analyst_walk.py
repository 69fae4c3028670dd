"""The analyst's walk on an uploaded, imbalanced file: choose the class to catch, leave out a
column, and get the numbers the Threshold page shows in files."""

from __future__ import annotations

import re

import numpy as np

from logreg.data import read_csv, train_test_split

from .conftest import assert_clean, goto, state, texts, upload


def loans_csv(n=400, seed=5) -> bytes:
    """A credit table whose rare class ('default', about 10%) sorts FIRST: by default the app
    would try to catch 'paid'."""
    rng = np.random.default_rng(seed)
    income = rng.lognormal(10.8, 0.4, n)
    util = rng.beta(2, 5, n)
    logit = -3.0 + 4.0 * util - 0.8 * (np.log(income) - 10.8)
    status = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "default", "paid")
    lines = ["income,utilization,status"] + [f"{a:.0f},{b:.4f},{c}"
                                             for a, b, c in zip(income, util, status)]
    return ("\n".join(lines) + "\n").encode()


def test_two_class_upload_lets_the_analyst_choose_the_class_to_catch(app):
    content = loans_csv()
    at = upload(app.run(), "loans.csv", content)
    assert_clean(at)
    picker = at.selectbox(key="data_positive")
    assert list(picker.options) == ["default", "paid"] and picker.value == "paid"
    picker.set_value("default").run()
    assert_clean(at)
    assert state(at, "positive") == "default"
    assert "treat **'default'** as the positive class" in texts(at.markdown)

    # The Threshold page catches 'default': the rule's test-set sentence counts the test rows
    # that are 'default' in the file (split independently here with the same arguments).
    data = read_csv(content)
    _, test = train_test_split(data, test_size=state(at, "test_size"),
                               random_state=state(at, "data_seed"))
    n_default = int(np.sum(test.y == list(data.class_names).index("default")))
    assert 0 < n_default < test.n_samples / 4
    goto(at, "threshold")
    at.selectbox(key="w_rule").set_value("target_tpr").run()
    assert_clean(at)
    sentence = next(t for t in texts(at.info).split("\n") if "which the rule did not see" in t)
    caught = re.search(r"of 'default' \((\d+) of (\d+)\)", sentence)
    flagged = re.search(r"of 'paid' \((\d+) of ([\d,]+)\)", sentence)
    assert caught and int(caught.group(2)) == n_default, sentence
    assert flagged and int(flagged.group(2).replace(",", "")) == test.n_samples - n_default
    # Back on the Data page the picker shows the choice (its widget was not drawn meanwhile).
    goto(at, "data")
    assert at.selectbox(key="data_positive").value == "default"


def _page_links(at) -> list:
    return [el.proto.label for el in at.get("page_link")]


def test_data_page_does_not_send_the_user_to_the_data_page(app):
    at = app.run()
    at.radio(key="w_source").set_value("upload").run()
    assert_clean(at)
    assert "No data yet: upload a CSV in the box on the right" in texts(at.info)
    assert "Go to the Data page" not in _page_links(at)
    # A file that cannot be used: the error beside it says why; the plot's place says where.
    upload(at, "status_only.csv", b"status\nyes\nno\nyes\n")
    assert at.error and "Data** page" not in texts(at.info)
    assert "the file could not be used as it is" in texts(at.info)
    assert "Go to the Data page" not in _page_links(at)
    # Other pages still point to the Data page.
    goto(at, "train")
    assert "No data yet: upload a CSV on the **Data** page" in texts(at.info)
    assert "Go to the Data page" in _page_links(at)
