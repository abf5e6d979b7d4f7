"""Fleiss' kappa against Fleiss (1971), the Wikipedia worked example and statsmodels."""

import numpy as np
import pytest
from statsmodels.stats import inter_rater

from releases.agreement import fleiss_kappa, fleiss_kappa_from_counts
from tests.releases.published_data import FLEISS_1971_COUNTS, WIKIPEDIA_FLEISS_COUNTS


def _ratings_from_counts(counts: np.ndarray) -> np.ndarray:
    """Items x raters labels: rater r of item i gets the r-th label in category order."""
    return np.array([np.repeat(np.arange(1, counts.shape[1] + 1), row) for row in counts], dtype=float)


def test_it_reproduces_fleiss_1971_table_1():
    """Fleiss (1971), Psychological Bulletin 76, 378-382, Table 1 (30 patients x 6 psychiatrists x 5
    diagnoses): overall kappa = .430, per-category kappas .245, .245, .520, .471, .566."""
    result = fleiss_kappa_from_counts(FLEISS_1971_COUNTS, n_resamples=0)
    assert round(result.value, 3) == 0.430
    per_category = [round(c["value"], 3) for c in result.details["per_category"]]
    assert per_category == [0.245, 0.245, 0.520, 0.471, 0.566]
    assert result.n_items == 30
    assert result.details["ratings_per_item"] == 6


def test_raw_ratings_give_the_same_kappa_as_fleiss_layout():
    """Fleiss (1971) Table 1 entered as one label per rater and item (raters differ per patient in
    Fleiss' design, so which column holds which label does not matter): kappa = .430."""
    result = fleiss_kappa(_ratings_from_counts(FLEISS_1971_COUNTS), n_resamples=0)
    assert round(result.value, 3) == 0.430
    assert result.n_annotators == 6


def test_it_reproduces_the_wikipedia_example():
    """Wikipedia, "Fleiss' kappa", worked example (10 subjects, 14 raters, 5 categories): P-bar = 0.378,
    P-bar_e = 0.213, kappa = 0.210."""
    result = fleiss_kappa_from_counts(WIKIPEDIA_FLEISS_COUNTS, n_resamples=0)
    assert round(result.value, 3) == 0.210
    assert round(result.observed, 3) == 0.378
    assert round(result.expected, 3) == 0.213
    assert result.basis == "agreement"


@pytest.mark.parametrize(
    ("counts", "published"), [(FLEISS_1971_COUNTS, 0.430), (WIKIPEDIA_FLEISS_COUNTS, 0.210)]
)
def test_statsmodels_agrees_on_the_published_tables(counts, published):
    """statsmodels' fleiss_kappa also rounds to the published .430 (Fleiss 1971) and .210 (Wikipedia),
    and matches the value here to 1e-12."""
    theirs = inter_rater.fleiss_kappa(counts, method="fleiss")
    assert round(theirs, 3) == published
    assert fleiss_kappa_from_counts(counts, n_resamples=0).value == pytest.approx(theirs, abs=1e-12)


@pytest.mark.parametrize(
    ("seed", "n_items", "n_raters", "n_categories"),
    [(0, 10, 2, 2), (1, 30, 3, 4), (2, 80, 6, 5), (3, 400, 12, 7)],
)
def test_statsmodels_agrees_on_random_label_tables(seed, n_items, n_raters, n_categories):
    """Raters who mostly follow an item's true class: raw labels here against statsmodels'
    aggregate_raters + fleiss_kappa, and the counts layout against statsmodels on the same counts."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(n_categories, size=(n_items, 1))
    noise = rng.integers(n_categories, size=(n_items, n_raters))
    labels = np.where(rng.random((n_items, n_raters)) < 0.6, truth, noise).astype(float)
    counts, _ = inter_rater.aggregate_raters(labels)
    theirs = inter_rater.fleiss_kappa(counts, method="fleiss")
    assert fleiss_kappa(labels, n_resamples=0).value == pytest.approx(theirs, abs=1e-12)
    assert fleiss_kappa_from_counts(counts, n_resamples=0).value == pytest.approx(theirs, abs=1e-12)


def test_an_incomplete_design_is_undefined_with_the_reason():
    ratings = _ratings_from_counts(FLEISS_1971_COUNTS)
    ratings[0, 0] = np.nan
    result = fleiss_kappa(ratings)
    assert result.value is None
    assert "incomplete design" in result.undefined_reason
    assert "between 5 and 6 ratings" in result.undefined_reason


def test_items_nobody_rated_are_ignored():
    ratings = np.vstack([_ratings_from_counts(FLEISS_1971_COUNTS), np.full((3, 6), np.nan)])
    assert round(fleiss_kappa(ratings, n_resamples=0).value, 3) == 0.430


def test_its_interval_brackets_the_estimate_and_is_reproducible():
    first = fleiss_kappa_from_counts(FLEISS_1971_COUNTS, n_resamples=500, seed=11)
    again = fleiss_kappa_from_counts(FLEISS_1971_COUNTS, n_resamples=500, seed=11)
    assert first.ci == again.ci
    assert first.ci.low < first.value < first.ci.high
    assert first.ci.n_valid == 500


@pytest.mark.parametrize("bad", [[[1, -1]], [[0.5, 1]], [1, 2, 3]])
def test_a_malformed_counts_table_is_refused(bad):
    with pytest.raises(ValueError, match="counts must be"):
        fleiss_kappa_from_counts(bad)
