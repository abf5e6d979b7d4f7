"""The bootstrap resamples items with a seeded generator, reproducibly."""

import numpy as np

from releases.agreement import krippendorff_alpha
from releases.agreement.bootstrap import replicate_weights
from tests.releases.published_data import KRIPPENDORFF_2011


def test_replicates_are_item_draws_made_in_order_from_the_seed():
    """Replicate b is rng.integers(0, n, n) drawn in sequence: the weights are its item counts."""
    rng = np.random.default_rng(42)
    by_hand = np.stack([np.bincount(rng.integers(0, 7, size=7), minlength=7) for _ in range(300)])
    blocks = np.concatenate(list(replicate_weights(n_units=7, n_resamples=300, seed=42)))
    assert blocks.shape == (300, 7)
    assert (blocks == by_hand).all()
    assert (blocks.sum(axis=1) == 7).all()


def test_the_same_seed_gives_the_same_interval_and_another_seed_another():
    first = krippendorff_alpha(KRIPPENDORFF_2011, level="interval", n_resamples=400, seed=3)
    again = krippendorff_alpha(KRIPPENDORFF_2011, level="interval", n_resamples=400, seed=3)
    other = krippendorff_alpha(KRIPPENDORFF_2011, level="interval", n_resamples=400, seed=4)
    assert first.ci == again.ci
    assert (first.ci.low, first.ci.high) != (other.ci.low, other.ci.high)
    assert first.ci.seed == 3 and first.ci.level == 0.95


def test_the_interval_is_the_percentile_interval_of_alpha_on_resampled_items():
    """Redo the bootstrap by hand: draw items, build each resampled table, compute alpha on it."""
    result = krippendorff_alpha(KRIPPENDORFF_2011, level="nominal", n_resamples=200, seed=1)
    pairable = KRIPPENDORFF_2011[(~np.isnan(KRIPPENDORFF_2011)).sum(axis=1) >= 2]
    rng = np.random.default_rng(1)
    values = []
    for _ in range(200):
        sample = pairable[rng.integers(0, len(pairable), size=len(pairable))]
        value = krippendorff_alpha(sample, level="nominal", n_resamples=0).value
        if value is not None:
            values.append(value)
    low, high = np.percentile(values, [2.5, 97.5])
    assert result.ci.n_valid == len(values)
    assert np.isclose(result.ci.low, low) and np.isclose(result.ci.high, high)


def test_no_resamples_means_no_interval_and_no_complaint():
    result = krippendorff_alpha(KRIPPENDORFF_2011, n_resamples=0)
    assert result.ci is None and result.ci_undefined_reason is None


def test_a_ninety_percent_interval_is_inside_the_ninety_five():
    wide = krippendorff_alpha(KRIPPENDORFF_2011, level="interval", n_resamples=400, seed=0)
    narrow = krippendorff_alpha(KRIPPENDORFF_2011, level="interval", n_resamples=400, seed=0, confidence=0.9)
    assert wide.ci.low <= narrow.ci.low <= narrow.ci.high <= wide.ci.high
