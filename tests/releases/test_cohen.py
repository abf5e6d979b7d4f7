"""Cohen's kappa (plain and weighted) against textbook examples and statsmodels."""

import numpy as np
import pytest
from statsmodels.stats import inter_rater

from releases.agreement import cohen_kappa, lin_ccc, mean_pairwise_cohen_kappa
from tests.releases.published_data import COHEN_1968_COUNTS, COHEN_1968_WEIGHTS, labels_from_table


def test_it_reproduces_the_wikipedia_example():
    """Wikipedia, "Cohen's kappa", example: 50 grant proposals; A and B both yes 20, A yes / B no 5,
    A no / B yes 10, both no 15. p_o = 0.7, p_e = 0.5, kappa = 0.4."""
    a = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    result = cohen_kappa(a, b, n_resamples=0)
    assert round(result.value, 3) == 0.400
    assert round(result.observed, 3) == 0.700
    assert round(result.expected, 3) == 0.500
    assert result.n_items == 50


def test_it_reproduces_cohen_1968_plain_and_weighted_kappa():
    """Cohen (1968), Psychological Bulletin 70, 213-220, Table 1: 200 cases, 3 diagnoses, disagreement
    weights 0 1 3 / 1 0 6 / 3 6 0. Reported: kappa = .492, weighted kappa = .348."""
    judge_b, judge_a = labels_from_table(COHEN_1968_COUNTS)
    assert round(cohen_kappa(judge_b, judge_a, n_resamples=0).value, 3) == 0.492
    weighted = cohen_kappa(judge_b, judge_a, weights=COHEN_1968_WEIGHTS, n_resamples=0)
    assert round(weighted.value, 3) == 0.348
    assert weighted.measure == "cohen_kappa_custom"


def test_quadratic_weighted_kappa_equals_the_concordance_of_the_category_positions():
    """With quadratic weights, kappa_w = 2 cov / (var_a + var_b + (mean_a - mean_b)^2) with 1/n moments,
    i.e. Lin's CCC of the category positions (Fleiss & Cohen 1973); on Cohen's (1968) table."""
    judge_b, judge_a = labels_from_table(COHEN_1968_COUNTS)
    quadratic = cohen_kappa(judge_b, judge_a, weights="quadratic", n_resamples=0)
    ccc = lin_ccc(judge_b, judge_a, n_resamples=0)
    assert quadratic.value == pytest.approx(ccc.value, abs=1e-12)
    x, y = np.array(judge_b, float), np.array(judge_a, float)
    by_hand = 2 * np.mean((x - x.mean()) * (y - y.mean())) / (x.var() + y.var() + (x.mean() - y.mean()) ** 2)
    assert quadratic.value == pytest.approx(by_hand, abs=1e-12)


def test_linear_weights_by_hand():
    """Linear weights |i - j| on Cohen's (1968) table, by hand: observed weighted disagreement
    (14 + 10 + 10 + 6) * 1 + (18 + 2) * 2 = 80 per 200; expected from the marginals (rows .6 .3 .1,
    columns .5 .3 .2): 1 * (.18 + .15 + .06 + .03) + 2 * (.12 + .05) = .76; kappa = 1 - .4 / .76."""
    judge_b, judge_a = labels_from_table(COHEN_1968_COUNTS)
    result = cohen_kappa(judge_b, judge_a, weights="linear", n_resamples=0)
    assert result.value == pytest.approx(1 - 0.4 / 0.76, abs=1e-12)


def _joint_table(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a-by-b counts of the items both labeled, over every label either rater used anywhere (the
    default scale of ``cohen_kappa``, so weighted positions line up even for a label seen only on an
    item the other rater skipped)."""
    both = ~np.isnan(a) & ~np.isnan(b)
    levels = np.unique(np.concatenate([a, b])[~np.isnan(np.concatenate([a, b]))])
    table = np.zeros((levels.size, levels.size))
    np.add.at(table, (np.searchsorted(levels, a[both]), np.searchsorted(levels, b[both])), 1)
    return table


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_statsmodels_agrees_on_cohen_1968(weights):
    """statsmodels' cohens_kappa on Cohen's (1968) table: plain kappa .4915 rounds to the published
    .492 as here; the linear (1 - .4 / .76) and quadratic forms match to 1e-12."""
    judge_b, judge_a = labels_from_table(COHEN_1968_COUNTS)
    theirs = inter_rater.cohens_kappa(COHEN_1968_COUNTS, wt=weights, return_results=False)
    ours = cohen_kappa(judge_b, judge_a, weights=weights, n_resamples=0).value
    assert ours == pytest.approx(theirs, abs=1e-12)
    if weights is None:
        assert round(theirs, 3) == 0.492


def test_statsmodels_agrees_on_cohen_1968_custom_weights():
    """With Cohen's (1968) disagreement weights 0 1 3 / 1 0 6 / 3 6 0 passed as a matrix, statsmodels
    gives .3478, the published weighted kappa .348, as here."""
    judge_b, judge_a = labels_from_table(COHEN_1968_COUNTS)
    theirs = inter_rater.cohens_kappa(COHEN_1968_COUNTS, weights=COHEN_1968_WEIGHTS, return_results=False)
    assert round(theirs, 3) == 0.348
    ours = cohen_kappa(judge_b, judge_a, weights=COHEN_1968_WEIGHTS, n_resamples=0).value
    assert ours == pytest.approx(theirs, abs=1e-12)


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
@pytest.mark.parametrize(
    ("seed", "n_items", "n_categories"), [(0, 20, 2), (1, 60, 3), (2, 150, 5), (3, 500, 7)]
)
def test_statsmodels_agrees_on_random_label_pairs(weights, seed, n_items, n_categories):
    """Two raters on an ordinal scale, the second off by a step now and then, a few items unlabeled:
    kappa here against statsmodels on the joint table of the items both labeled (category positions
    are the ranks of the labels used, as statsmodels' default scores are)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(n_categories, size=n_items).astype(float)
    b = np.clip(a + rng.choice([-1, 0, 0, 1], size=n_items), 0, n_categories - 1)
    b = np.where(rng.random(n_items) < 0.2, rng.integers(n_categories, size=n_items), b).astype(float)
    a[rng.random(n_items) < 0.05] = np.nan
    b[rng.random(n_items) < 0.05] = np.nan
    theirs = inter_rater.cohens_kappa(_joint_table(a, b), wt=weights, return_results=False)
    result = cohen_kappa(a, b, weights=weights, n_resamples=0)
    assert result.value == pytest.approx(theirs, abs=1e-12)
    assert result.n_items == int((~np.isnan(a) & ~np.isnan(b)).sum())


def test_weights_follow_the_declared_scale_not_just_the_labels_used():
    """Raters who only used 1 and 5 of a 1..5 scale: with the full scale declared, 1 vs 5 is the maximal
    disagreement (the same kappa as a two-point scale, since the weights scale together)."""
    a, b = [1, 1, 5, 5, 1], [1, 5, 5, 5, 1]
    declared = cohen_kappa(a, b, weights="linear", categories=[1, 2, 3, 4, 5], n_resamples=0)
    seen = cohen_kappa(a, b, weights="linear", n_resamples=0)
    assert declared.value == pytest.approx(seen.value)
    assert declared.n_items == 5


def test_unlabeled_items_are_left_out():
    a = ["x", "y", None, "x", np.nan]
    b = ["x", "y", "x", None, "y"]
    result = cohen_kappa(a, b, n_resamples=0)
    assert result.value == 1.0
    assert result.n_items == 2


def test_mean_pairwise_kappa_averages_the_pairs_on_their_shared_items():
    ratings = np.array(
        [[1, 1, 1], [2, 2, 1], [1, 2, 2], [2, 2, np.nan], [1, 1, 2], [2, np.nan, 2]], dtype=float
    )
    pairs = [(0, 1), (0, 2), (1, 2)]
    expected = np.mean([cohen_kappa(ratings[:, i], ratings[:, j], n_resamples=0).value for i, j in pairs])
    result = mean_pairwise_cohen_kappa(ratings, n_resamples=0)
    assert result.value == pytest.approx(expected)
    assert [p["n_items"] for p in result.details["pairs"]] == [5, 5, 4]
    # Pair (0, 1) by hand: items 1-5 -> agreements on 4 of 5, p_o = .8; marginals a: 1,2,1,2,1 / b: 1,2,2,2,1
    # -> p_e = .6 * .4 + .4 * .6 = .48; kappa = (.8 - .48) / .52.
    assert result.details["pairs"][0]["value"] == pytest.approx((0.8 - 0.48) / 0.52)


def test_a_bad_weight_matrix_is_refused():
    with pytest.raises(ValueError, match="zero on the diagonal"):
        cohen_kappa([0, 1], [1, 0], weights=np.ones((2, 2)))
