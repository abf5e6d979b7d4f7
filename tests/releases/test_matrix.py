"""Turning frames, arrays and long tables into the items x annotators matrix."""

import numpy as np
import pandas as pd
import pytest

from releases.agreement import as_rating_matrix, krippendorff_alpha, ratings_from_long


def test_a_long_table_pivots_to_items_by_annotators():
    long = pd.DataFrame(
        {
            "item": ["a", "a", "b", "c"],
            "annotator": ["u1", "u2", "u1", "u2"],
            "label": ["joy", "joy", "fear", "joy"],
        }
    )
    wide = ratings_from_long(long, item="item", annotator="annotator", value="label")
    matrix = as_rating_matrix(wide)
    assert matrix.items == ("a", "b", "c")
    assert matrix.annotators == ("u1", "u2")
    assert matrix.categories == ("fear", "joy")
    assert np.isnan(matrix.values[1, 1]) and np.isnan(matrix.values[2, 0])


def test_a_second_rating_of_the_same_item_by_the_same_annotator_is_refused():
    long = pd.DataFrame({"item": ["a", "a"], "annotator": ["u1", "u1"], "label": [1, 2]})
    with pytest.raises(ValueError, match="more than one rating"):
        ratings_from_long(long, item="item", annotator="annotator", value="label")


def test_labels_outside_the_declared_scheme_are_refused():
    with pytest.raises(ValueError, match="is not one of the categories"):
        krippendorff_alpha([["joy", "rage"]], categories=["joy", "fear"])


def test_interval_alpha_of_class_names_is_refused():
    with pytest.raises(ValueError, match="numeric ratings"):
        krippendorff_alpha([["joy", "fear"], ["joy", "joy"]], level="interval")


def test_numeric_categories_map_back_to_their_values_for_interval_measures():
    coded = as_rating_matrix(np.array([[1, 5], [2, 2]]), categories=[1, 2, 5])
    assert coded.values.tolist() == [[0, 2], [1, 1]]
    assert coded.numeric_values().tolist() == [[1, 5], [2, 2]]


def test_a_table_that_is_not_two_dimensional_is_refused():
    with pytest.raises(ValueError, match="2-D"):
        as_rating_matrix([1, 2, 3])
