"""Krippendorff's alpha against Krippendorff's own worked examples."""

import json

import krippendorff
import numpy as np
import pytest

from releases.agreement import krippendorff_alpha
from tests.releases.published_data import KRIPPENDORFF_2011, KRIPPENDORFF_2011_BINARY


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_it_reproduces_krippendorff_2011_reliability_data(level, published):
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", sections C-F: the 4 observers x
    12 units table with missing values gives 0.743 / 0.815 / 0.849 / 0.797 at the four levels."""
    result = krippendorff_alpha(KRIPPENDORFF_2011, level=level, n_resamples=0)
    assert round(result.value, 3) == published
    assert result.basis == "disagreement"
    assert result.value == pytest.approx(1 - result.observed / result.expected, abs=1e-12)
    # Unit 12 has a single value and is not pairable: 11 units, and (counted by hand from the table)
    # 3 + 8 * 4 + 3 + 2 = 40 pairable values.
    assert result.n_items == 11
    assert result.details["pairable_values"] == 40
    assert result.n_annotators == 4


def test_it_reproduces_the_binary_two_observer_example():
    """Krippendorff (2011), section A: ten units, two observers, 0/1 values; alpha = 0.095. By hand:
    o_00 = 10, o_01 = o_10 = 4, o_11 = 2, so alpha = 1 - (20 - 1) * 4 / (14 * 6) = 0.0952."""
    result = krippendorff_alpha(KRIPPENDORFF_2011_BINARY, level="nominal", n_resamples=0)
    assert round(result.value, 3) == 0.095
    assert result.value == pytest.approx(1 - 19 * 4 / (14 * 6), abs=1e-12)
    # D_o = 8 disagreeing pairings / 20 values; D_e = 2 * 14 * 6 / (20 * 19).
    assert result.observed == pytest.approx(8 / 20)
    assert result.expected == pytest.approx(2 * 14 * 6 / (20 * 19))


def test_ordinal_class_names_follow_the_given_scale():
    """The same Krippendorff (2011) data as ordered class names gives the published ordinal 0.815."""
    names = ["very low", "low", "mid", "high", "very high"]
    labelled = np.where(np.isnan(KRIPPENDORFF_2011), None, KRIPPENDORFF_2011).astype(object)
    labelled[~np.isnan(KRIPPENDORFF_2011)] = [
        names[int(v) - 1] for v in KRIPPENDORFF_2011[~np.isnan(KRIPPENDORFF_2011)]
    ]
    result = krippendorff_alpha(labelled, level="ordinal", categories=names, n_resamples=0)
    assert round(result.value, 3) == 0.815
    alphabetical = krippendorff_alpha(labelled, level="ordinal", n_resamples=0)
    assert round(alphabetical.value, 3) != 0.815  # the scale order matters, so it must be passed


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_it_agrees_with_the_krippendorff_package_on_random_incomplete_tables(level):
    """A second, independent implementation (the dense coincidence tensor of the `krippendorff`
    package) on 40 random incomplete tables per level, including non-integer scales."""
    rng = np.random.default_rng(7)
    for _ in range(40):
        items, coders = rng.integers(3, 30), rng.integers(2, 6)
        table = rng.integers(0, rng.integers(2, 8), size=(items, coders)) * rng.choice([1.0, 0.25, 7.5])
        table[rng.random(table.shape) < 0.35] = np.nan
        ours = krippendorff_alpha(table, level=level, n_resamples=0)
        try:
            theirs = krippendorff.alpha(reliability_data=table.T, level_of_measurement=level)
        except ValueError:
            theirs = np.nan
        if ours.value is None:
            assert not np.isfinite(theirs)
        else:
            assert ours.value == pytest.approx(theirs, abs=1e-9)


def test_continuous_ratings_with_thousands_of_distinct_values_stay_cheap():
    """Interval alpha of 20,000 items x 3 continuous ratings: the value is the classical one, computed
    here by hand as 1 - (n - 1) * sum within-item squared differences / sum all-pairs squared
    differences, which for complete data is 1 - mean within-item variance / pooled variance."""
    rng = np.random.default_rng(3)
    truth = rng.normal(size=20_000)
    table = truth[:, None] + rng.normal(scale=0.5, size=(20_000, 3))
    result = krippendorff_alpha(table, level="interval", n_resamples=50)
    n = table.size
    within = (2 * 3 * ((table - table.mean(axis=1, keepdims=True)) ** 2).sum(axis=1) / 2).sum()
    everything = 2 * n * ((table - table.mean()) ** 2).sum()
    assert result.value == pytest.approx(1 - (n - 1) * within / everything, abs=1e-9)
    assert result.ci.low < result.value < result.ci.high


def test_the_result_serialises_without_nan():
    result = krippendorff_alpha(KRIPPENDORFF_2011, level="interval", n_resamples=200)
    text = json.dumps(result.to_dict(), allow_nan=False)
    assert json.loads(text)["ci"]["n_resamples"] == 200
