"""Soft-label agreement: Jensen-Shannon divergence and alpha on the expected class."""

import numpy as np
import pytest

from releases.agreement import expected_class_alpha, mean_pairwise_jsd, one_hot, soft_item_ambiguity
from tests.releases.published_data import KRIPPENDORFF_2011


def _h(p):
    p = np.asarray(p, float)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def test_jensen_shannon_by_hand():
    """JS(P, Q) = H((P + Q) / 2) - (H(P) + H(Q)) / 2 in bits: 0 for identical, 1 for disjoint,
    and for (.5, .5) vs (1, 0): H(.75, .25) - 1/2."""
    d = np.array(
        [
            [[0.2, 0.8], [0.2, 0.8]],
            [[1.0, 0.0], [0.0, 1.0]],
            [[0.5, 0.5], [1.0, 0.0]],
        ]
    )
    result = mean_pairwise_jsd(d, n_resamples=0)
    expected = (0 + 1 + (_h([0.75, 0.25]) - 0.5)) / 3
    assert result.value == pytest.approx(expected, abs=1e-12)
    assert result.n_items == 3


def test_unnormalised_rows_are_normalised_and_missing_annotators_skipped():
    d = np.array([[[2.0, 2.0], [1.0, 0.0], [np.nan, np.nan]], [[3.0, 1.0], [np.nan, np.nan], [0.0, 0.0]]])
    result = mean_pairwise_jsd(d, n_resamples=0)
    assert result.value == pytest.approx(_h([0.75, 0.25]) - 0.5)
    assert result.n_items == 1  # the second item has one usable distribution
    table = soft_item_ambiguity(d)
    assert table["mean_jsd"].isna().tolist() == [False, True]


def test_alpha_on_the_expected_class_of_one_hot_labels_is_interval_alpha():
    """Hard labels as one-hot distributions with class values 1..5 reproduce Krippendorff's (2011)
    interval alpha of 0.849 on his reliability data."""
    codes = KRIPPENDORFF_2011 - 1
    result = expected_class_alpha(one_hot(codes, 5), class_values=[1, 2, 3, 4, 5], n_resamples=0)
    assert round(result.value, 3) == 0.849


def test_negative_probabilities_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        mean_pairwise_jsd(np.array([[[-0.1, 1.1], [0.5, 0.5]]]))
