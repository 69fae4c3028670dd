"""A count-like numeric column picked as the target (an age, a number of purchases) is refused
with one message saying what is wrong and what to do; small whole-number class codes still work.
The reference for each column's number of different values is pandas reading the same file."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from logreg.data import MAX_NUMERIC_CLASSES, DataError, read_csv


def shop_csv(n=600, seed=4) -> bytes:
    """Customers: spend, visits, age (18-79), purchases (a count, 0-15), a 1-5 rating, a 0/1
    churn flag and a 0-9 segment code."""
    rng = np.random.default_rng(seed)
    lines = ["spend,visits,age,purchases,rating,churned,segment"]
    for i in range(n):
        lines.append(f"{rng.gamma(2, 30):.2f},{rng.poisson(4)},{rng.integers(18, 80)},"
                     f"{i % 16},{1 + i % 5},{int(rng.random() < 0.2)},{i % 10}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("target", ["purchases", "age"])
def test_a_count_like_target_is_refused_with_what_to_do(target):
    content = shop_csv()
    column = pd.read_csv(io.BytesIO(content))[target]
    k = column.nunique()
    assert k > MAX_NUMERIC_CLASSES and (target == "age" or k <= 20)  # 'purchases' once passed
    with pytest.raises(DataError) as err:
        read_csv(content, target=target)
    message = str(err.value)
    assert (f"The target column '{target}' holds numbers with {k} different values "
            f"(from {column.min()} to {column.max()}); this looks like a number to predict"
            in message)
    assert f"at most {MAX_NUMERIC_CLASSES} different values" in message
    assert "Pick the column that holds the classes as the target" in message


@pytest.mark.parametrize("target", ["churned", "rating", "segment"])
def test_small_whole_number_class_codes_are_classes(target):
    content = shop_csv()
    column = pd.read_csv(io.BytesIO(content))[target]
    ds = read_csv(content, target=target)
    assert ds.class_names == tuple(str(v) for v in sorted(column.unique()))
    assert ds.n_classes == column.nunique() <= MAX_NUMERIC_CLASSES
    np.testing.assert_array_equal(ds.class_counts, column.value_counts().sort_index().to_numpy())


def test_the_limit_is_exactly_ten_numbers_and_text_labels_keep_twenty():
    def table(k, label):
        return ("a,b,label\n" + "".join(f"{i},{i * 7 % 13},{label(i % k)}\n"
                                        for i in range(4 * k))).encode()

    assert read_csv(table(10, str)).n_classes == 10
    with pytest.raises(DataError, match="holds numbers with 11 different values"):
        read_csv(table(11, str))
    with pytest.raises(DataError, match="holds numbers with 11 different values"):
        read_csv(table(11, lambda v: f"{v + 0.5}"))  # numbers with decimals are no classes either
    assert read_csv(table(15, lambda v: f"L{v}")).n_classes == 15  # named classes: up to 20
