"""Whole-release fast paths give the same floats as their per-item definitions."""

from __future__ import annotations

import numpy as np

from releases.aggregation.categorical import mean_distribution, mean_distributions
from releases.aggregation.dimensional import aggregate_dimensional_items
from releases.agreement.bootstrap import replicate_weights

RATINGS = {"name": "vad", "kind": "dimensional", "ratings": [{"name": "valence"}, {"name": "arousal"}]}


def test_grouped_rating_means_and_medians_equal_numpy_per_item():
    rng = np.random.default_rng(1)
    items = []
    for _ in range(300):
        coders = int(rng.integers(0, 6))
        items.append(
            {
                f"A{c}": {"valence": float(rng.normal()), "arousal": int(rng.integers(1, 10))}
                if rng.random() > 0.1
                else {"valence": None, "arousal": float("nan")}
                for c in range(coders)
            }
        )
    for values, got in zip(items, aggregate_dimensional_items(RATINGS, items), strict=True):
        for name in ("valence", "arousal"):
            found = [v[name] for v in values.values() if v[name] is not None and np.isfinite(v[name])]
            assert got["mean"][name] == (float(np.mean(found)) if found else None)
            assert got["median"][name] == (float(np.median(found)) if found else None)


def test_grouped_soft_means_equal_the_per_item_mean():
    rng = np.random.default_rng(2)
    classes = ["a", "b", "c", "d"]
    items = [
        {
            f"A{c}": {"distribution": {k: float(rng.random()) for k in classes if rng.random() > 0.3}}
            for c in range(int(rng.integers(0, 5)))
        }
        for _ in range(300)
    ]
    batched = mean_distributions(items, classes)
    assert batched == [mean_distribution(values, classes) for values in items]


def test_cached_bootstrap_weights_replay_the_documented_draws_and_are_fresh_copies():
    n, resamples, seed = 37, 300, 11
    rng = np.random.default_rng(seed)
    expected = np.stack([np.bincount(rng.integers(0, n, size=n), minlength=n) for _ in range(resamples)])
    first = np.concatenate(list(replicate_weights(n_units=n, n_resamples=resamples, seed=seed)))
    assert np.array_equal(first, expected)
    first[:] = -1  # a caller scribbling on its weights must not change the next caller's
    second = np.concatenate(list(replicate_weights(n_units=n, n_resamples=resamples, seed=seed)))
    assert np.array_equal(second, expected) and second.dtype == np.float64


def lin(x: np.ndarray, y: np.ndarray) -> float:
    """Lin's CCC with 1/n moments, written out."""
    mx, my = x.mean(), y.mean()
    return 2 * ((x - mx) * (y - my)).mean() / (x.var() + y.var() + (mx - my) ** 2)


def test_pairwise_ccc_on_complete_item_arrays_matches_lins_formula_on_the_concatenated_frames():
    from itertools import combinations

    from releases.agreement import mean_pairwise_ccc

    rng = np.random.default_rng(4)
    items = [
        rng.normal(size=(int(rng.integers(1, 40)), 1)) + rng.normal(size=(1, 3)) * 0.3 for _ in range(50)
    ]
    items = [base + rng.normal(scale=0.5, size=(len(base), 3)) for base in items]
    result = mean_pairwise_ccc(items, n_resamples=0, annotators=["A", "B", "C"])
    frames = np.concatenate(items)
    expected = {(a, b): lin(frames[:, a], frames[:, b]) for a, b in combinations(range(3), 2)}
    got = {
        ("ABC".index(p["annotator_a"]), "ABC".index(p["annotator_b"])): p["value"]
        for p in result.details["pairs"]
    }
    assert got.keys() == expected.keys()
    assert all(abs(got[k] - expected[k]) < 1e-12 for k in expected)
    assert result.value == np.mean(list(got.values()))
    with_gap = [m.copy() for m in items]
    with_gap[3][0, 1] = np.nan  # one missing frame takes the masked path: same pairs elsewhere
    gapped = mean_pairwise_ccc(with_gap, n_resamples=0, annotators=["A", "B", "C"])
    keep = ~np.isnan(np.concatenate(with_gap)[:, 1])
    assert abs(gapped.details["pairs"][0]["value"] - lin(frames[keep, 0], frames[keep, 1])) < 1e-12
