"""Dimensional means and medians; trace resampling, lag compensation, mean and EWE."""

import numpy as np
import pytest

from releases.aggregation import AggregationOptions, aggregate_field
from tests.releases.label_rows import frame, label_rows

DIMS = {
    "name": "sam",
    "kind": "dimensional",
    "scope": "item",
    "ratings": [{"name": "valence", "min": 1, "max": 9, "step": 1}, {"name": "arousal", "min": 1, "max": 9}],
}
TRACE = {
    "name": "tr",
    "kind": "trace",
    "scope": "time",
    "rate_hz": 1,
    "dimensions": [{"name": "v", "min": -10, "max": 10}],
}


def test_dimensional_mean_and_median_per_rating():
    values = {
        (1, "A01"): {"valence": 2, "arousal": 5.5},
        (1, "A02"): {"valence": 3, "arousal": 1},
        (1, "A03"): {"valence": 7, "arousal": 9},
    }
    value = aggregate_field(DIMS, frame(label_rows("sam", "dimensional", values)))["value"][0]
    assert value["mean"] == pytest.approx({"valence": 4.0, "arousal": 15.5 / 3})
    assert value["median"] == {"valence": 3.0, "arousal": 5.5}


def _trace(values, start=0.0, rate=1.0):
    return [[start + k / rate, float(v)] for k, v in enumerate(values)]


def _clipped_correlations(arrays: dict) -> dict:
    """Pearson r of each trace with the mean of the others, negatives set to 0 (computed directly)."""
    r = {}
    for a in arrays:
        others = np.mean([arrays[b] for b in arrays if b != a], axis=0)
        r[a] = max(np.corrcoef(arrays[a], others)[0, 1], 0.0)
    return r


def test_ewe_weights_are_each_annotators_correlation_with_the_mean_of_the_others():
    x = {"A01": [1, 2, 3, 4, 5], "A02": [2, 3, 4, 5, 7], "A03": [3, 1, 4, 1, 5]}
    labels = frame(label_rows("tr", "trace", {(1, a): _trace(v) for a, v in x.items()}))
    value = aggregate_field(TRACE, labels, options=AggregationOptions(lag_compensation=False))["value"][0]
    arrays = {a: np.array(v, dtype=float) for a, v in x.items()}
    r = _clipped_correlations(arrays)
    total = sum(r.values())
    expected = sum(r[a] * arrays[a] for a in arrays) / total
    assert value["times"] == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert value["mean"] == pytest.approx(np.mean(list(arrays.values()), axis=0).tolist())
    assert value["ewe"] == pytest.approx(expected.tolist())
    assert value["ewe_weights"] == pytest.approx({a: w / total for a, w in r.items()})
    assert r["A03"] > 0 and r["A01"] > r["A03"]


def test_an_anticorrelated_annotator_gets_weight_zero():
    x = {"A01": [1, 2, 3, 4, 5], "A02": [1, 3, 2, 5, 6], "A03": [4, 5, 3, 2, 1]}
    labels = frame(label_rows("tr", "trace", {(1, a): _trace(v) for a, v in x.items()}))
    value = aggregate_field(TRACE, labels, options=AggregationOptions(lag_compensation=False))["value"][0]
    arrays = {a: np.array(v, dtype=float) for a, v in x.items()}
    r = _clipped_correlations(arrays)
    assert r["A03"] == 0.0 and value["ewe_weights"]["A03"] == 0.0
    expected = (r["A01"] * arrays["A01"] + r["A02"] * arrays["A02"]) / (r["A01"] + r["A02"])
    assert value["ewe"] == pytest.approx(expected.tolist())


def test_ewe_falls_back_to_the_mean_when_every_weight_is_zero():
    x = {"A01": [1, 2, 3, 4, 5], "A02": [1, 3, 2, 5, 4], "A03": [5, 4, 3, 2, 1]}
    labels = frame(label_rows("tr", "trace", {(1, a): _trace(v) for a, v in x.items()}))
    result = aggregate_field(TRACE, labels, options=AggregationOptions(lag_compensation=False))
    value = result["value"][0]
    assert set(value["ewe_weights"].values()) == {0.0}
    assert value["ewe"] == value["mean"]
    assert "fell back to the mean" in result["method"][0]


def test_traces_are_resampled_to_a_common_grid():
    labels = frame(
        label_rows(
            "tr",
            "trace",
            {(1, "A01"): [[0.0, 0.0], [2.0, 2.0]], (1, "A02"): [[0.5, 1.0], [1.5, 3.0]]},
        )
    )
    value = aggregate_field(TRACE, labels, options=AggregationOptions(lag_compensation=False))["value"][0]
    assert value["times"] == [0.0, 1.0, 2.0]
    # A01 interpolates to 0, 1, 2; A02 to 2 at t=1 and nothing outside 0.5..1.5
    assert value["mean"] == pytest.approx([0.0, 1.5, 2.0])


def test_lag_compensation_recovers_a_known_reaction_delay_within_one_sample():
    rate, delay = 10.0, 1.2
    t = np.arange(0, 60, 1 / rate)

    def signal(x):
        return np.sin(0.7 * x) + 0.5 * np.sin(1.9 * x + 1.0) + 0.3 * np.sin(0.23 * x)

    noise = np.random.default_rng(0).normal(0, 0.05, t.size)
    traces = {
        "A01": signal(t),
        "A02": signal(t - delay),  # reacts 1.2 s late
        "A03": signal(t) + noise,
    }
    field = {**TRACE, "rate_hz": rate}
    labels = frame(
        label_rows(
            "tr",
            "trace",
            {(1, a): [[float(a_), float(b)] for a_, b in zip(t, v, strict=True)] for a, v in traces.items()},
        )
    )
    value = aggregate_field(field, labels, options=AggregationOptions(max_lag_s=3.0))["value"][0]
    assert value["lags_s"]["A02"] == pytest.approx(delay, abs=1 / rate)
    assert value["lags_s"]["A01"] <= 1 / rate and value["lags_s"]["A03"] <= 1 / rate
    compensated = np.array([np.nan if v is None else v for v in value["mean"]])
    plain = aggregate_field(field, labels, options=AggregationOptions(lag_compensation=False))["value"][0]
    uncompensated = np.array([np.nan if v is None else v for v in plain["mean"]])
    truth = signal(np.array(value["times"]))
    assert np.nanmean((compensated - truth) ** 2) < np.nanmean((uncompensated - truth) ** 2) / 4


def test_two_dimensional_traces_give_one_list_per_dimension():
    field = {
        **TRACE,
        "dimensions": [{"name": "valence", "min": 0, "max": 9}, {"name": "arousal", "min": 0, "max": 9}],
    }
    values = {
        (1, "A01"): [[0.0, 1.0, 5.0], [1.0, 2.0, 6.0]],
        (1, "A02"): [[0.0, 3.0, 7.0], [1.0, 4.0, 8.0]],
    }
    value = aggregate_field(field, frame(label_rows("tr", "trace", values)))["value"][0]
    assert value["dimensions"] == ["valence", "arousal"]
    assert value["mean"] == {"valence": [2.0, 3.0], "arousal": [6.0, 7.0]}
    assert set(value["ewe"]) == {"valence", "arousal"}


def test_a_single_annotators_trace_is_its_own_consensus():
    labels = frame(label_rows("tr", "trace", {(1, "A01"): _trace([1, 2, 3])}))
    result = aggregate_field(TRACE, labels)
    assert result["value"][0]["mean"] == [1.0, 2.0, 3.0]
    assert result["value"][0]["ewe"] == [1.0, 2.0, 3.0]
    assert "one annotator" in result["method"][0]
