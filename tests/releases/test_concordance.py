"""Lin's CCC and the trace resampling that comes before it."""

import numpy as np
import pandas as pd
import pytest

from releases.agreement import common_grid, lin_ccc, mean_pairwise_ccc, resample_trace, traces_on_common_grid


def test_a_small_case_by_hand():
    """x = 1..5, y = 1.5 2.5 2.5 4.5 6: means 3 and 3.4, 1/n variances 2 and 2.64, covariance 2.2, so
    rho_c = 2 * 2.2 / (2 + 2.64 + 0.4^2) = 4.4 / 4.8 (Lin 1989's formula)."""
    result = lin_ccc([1, 2, 3, 4, 5], [1.5, 2.5, 2.5, 4.5, 6], n_resamples=0)
    assert result.value == pytest.approx(4.4 / 4.8, abs=1e-12)
    assert round(result.value, 3) == 0.917


def test_identity_is_one_and_mirroring_about_the_mean_is_minus_one():
    x = np.array([-2.0, -1.0, 0.5, 1.0, 1.5])
    assert lin_ccc(x, x, n_resamples=0).value == pytest.approx(1.0)
    assert lin_ccc(x, -x, n_resamples=0).value == pytest.approx(-1.0)


def test_a_shift_is_penalised_unlike_pearson():
    """y = x + 1 on x = 1..5: covariance 2, variances 2 and 2, mean gap 1 -> 4 / 5."""
    x = np.arange(1.0, 6.0)
    assert lin_ccc(x, x + 1, n_resamples=0).value == pytest.approx(0.8)


def test_constant_series():
    same = lin_ccc([2, 2, 2], [2, 2, 2])
    assert same.value is None and "0/0" in same.undefined_reason
    assert lin_ccc([1, 1, 1], [2, 2, 2], n_resamples=0).value == 0.0


def test_mean_pairwise_ccc_pools_items_and_skips_missing_frames():
    item_1 = pd.DataFrame({"ann": [1.0, 2.0, 3.0], "bob": [1.0, 2.0, 3.0], "cy": [3.0, 2.0, np.nan]})
    item_2 = pd.DataFrame({"bob": [4.0, 5.0], "ann": [4.0, 5.0], "cy": [np.nan, np.nan]})
    result = mean_pairwise_ccc([item_1, item_2], n_resamples=0)
    pairs = {(p["annotator_a"], p["annotator_b"]): p["value"] for p in result.details["pairs"]}
    assert pairs[("ann", "bob")] == pytest.approx(1.0)
    # ann vs cy on the two shared frames: (1, 3), (2, 2) -> means 1.5 / 2.5, variances .25 / .25,
    # covariance -.25: 2 * -.25 / (.25 + .25 + 1) = -1/3.
    assert pairs[("ann", "cy")] == pytest.approx(-1 / 3)
    assert result.value == pytest.approx((1 - 1 / 3 - 1 / 3) / 3)
    per_item = mean_pairwise_ccc([item_1, item_2], pooling="per_item", n_resamples=0)
    assert per_item.details["pooling"] == "per_item"


def test_the_interval_resamples_whole_traces():
    rng = np.random.default_rng(2)
    items = [rng.normal(size=(50, 1)) + rng.normal(scale=0.3, size=(50, 3)) for _ in range(30)]
    result = mean_pairwise_ccc(items, n_resamples=400, seed=9)
    assert result.ci.low < result.value < result.ci.high
    assert result.n_items == 30
    assert mean_pairwise_ccc(items, n_resamples=400, seed=9).ci == result.ci


def _lin_1989(x: np.ndarray, y: np.ndarray) -> float:
    """Lin's (1989) rho_c = r * C_b: Pearson's r times the bias correction C_b = 2 / (v + 1/v + u^2),
    v = s_x / s_y, u = (mean_x - mean_y) / sqrt(s_x s_y), with 1/n standard deviations; pairs where
    either value is missing are dropped first."""
    keep = ~np.isnan(x) & ~np.isnan(y)
    x, y = x[keep], y[keep]
    r = np.corrcoef(x, y)[0, 1]
    v = x.std() / y.std()
    u = (x.mean() - y.mean()) / np.sqrt(x.std() * y.std())
    return float(r * 2 / (v + 1 / v + u**2))


@pytest.mark.parametrize(
    ("seed", "size", "shift", "scale"),
    [(0, 8, 0.0, 1.0), (1, 50, 0.7, 1.3), (2, 400, -2.0, 0.4), (3, 5000, 0.1, 3.0)],
)
def test_it_matches_lins_factored_formula_on_random_series(seed, size, shift, scale):
    """The moment form used here against Lin's own factorisation (precision r times accuracy C_b), on
    related series with a shift, a change of scale and a few missing values in each."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=size)
    y = shift + scale * (0.8 * x + 0.6 * rng.normal(size=size))
    x[rng.random(size) < 0.05] = np.nan
    y[rng.random(size) < 0.05] = np.nan
    result = lin_ccc(x, y, n_resamples=0)
    assert result.value == pytest.approx(_lin_1989(x, y), abs=1e-12)
    assert result.n_items == int((~np.isnan(x) & ~np.isnan(y)).sum())


def test_mean_pairwise_ccc_matches_the_formula_pair_by_pair():
    """Three annotators' traces over twelve items of different lengths with gaps: concatenate pooling is
    Lin's CCC of each pair's concatenated frames, per-item pooling the mean of the per-item CCCs; both
    then average the three pairs."""
    rng = np.random.default_rng(4)
    items = []
    for length in rng.integers(20, 90, size=12):
        signal = np.cumsum(rng.normal(size=(length, 1)), axis=0)
        frames = signal + rng.normal(scale=[0.5, 1.0, 2.0], size=(length, 3)) + [0.0, 0.3, -0.5]
        frames[rng.random(frames.shape) < 0.05] = np.nan
        items.append(frames)
    pairs = [(0, 1), (0, 2), (1, 2)]
    stacked = np.concatenate(items)
    concatenated = [_lin_1989(stacked[:, a], stacked[:, b]) for a, b in pairs]
    per_item = [np.mean([_lin_1989(m[:, a], m[:, b]) for m in items]) for a, b in pairs]
    pooled = mean_pairwise_ccc(items, n_resamples=0)
    assert [p["value"] for p in pooled.details["pairs"]] == pytest.approx(concatenated, abs=1e-12)
    assert pooled.value == pytest.approx(np.mean(concatenated), abs=1e-12)
    averaged = mean_pairwise_ccc(items, pooling="per_item", n_resamples=0)
    assert [p["value"] for p in averaged.details["pairs"]] == pytest.approx(per_item, abs=1e-12)
    assert averaged.value == pytest.approx(np.mean(per_item), abs=1e-12)


def test_the_grid_is_anchored_at_time_zero():
    grid = common_grid([0.03, 0.12], [0.95, 1.01], rate_hz=10)
    assert grid == pytest.approx(np.arange(1, 11) / 10)
    assert common_grid([0.03, 0.12], [0.95, 1.01], rate_hz=10, span="intersection") == pytest.approx(
        np.arange(2, 10) / 10
    )


def test_resampling_is_exact_for_a_straight_line_and_nan_outside_the_trace():
    times = np.array([0.0, 0.37, 0.91, 1.5])
    values = 2 * times + 1
    grid = np.arange(0, 21) / 10
    out = resample_trace(times, values, grid=grid)
    inside = grid <= 1.5
    assert out[inside] == pytest.approx(2 * grid[inside] + 1)
    assert np.isnan(out[~inside]).all()


def test_long_gaps_are_not_bridged_when_asked():
    out = resample_trace([0.0, 0.1, 1.0, 1.1], [0, 1, 2, 3], grid=np.array([0.05, 0.5, 1.05]), max_gap_s=0.25)
    assert out[0] == pytest.approx(0.5)
    assert np.isnan(out[1])
    assert out[2] == pytest.approx(2.5)


def test_traces_from_different_rates_land_on_one_frame():
    frame = traces_on_common_grid(
        {
            "fast": (np.arange(0, 2.0001, 0.04), np.sin(np.arange(0, 2.0001, 0.04))),
            "slow": ([0.0, 0.5, 0.5, 1.0, np.nan], [0.0, 0.4, 0.6, 1.0, 7.0]),  # duplicate stamp averaged
        },
        rate_hz=4,
    )
    assert list(frame.columns) == ["fast", "slow"]
    assert frame.index.to_numpy() == pytest.approx(np.arange(0, 9) / 4)
    assert frame.loc[0.5, "slow"] == pytest.approx(0.5)
    assert np.isnan(frame.loc[1.5, "slow"])
    assert frame.loc[0.5, "fast"] == pytest.approx(np.sin(0.5), abs=1e-3)
