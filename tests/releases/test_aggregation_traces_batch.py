"""The batched trace consensus gives exactly what the per-item path gives, on random traces."""

import json
import random

import numpy as np
import pytest

from releases.aggregation import AggregationOptions, traces
from releases.aggregation.traces import BATCH_ITEMS, aggregate_trace, aggregate_traces
from releases.services.trace_values import trace_array

FIELD = {"name": "tr", "kind": "trace", "scope": "time", "rate_hz": 10, "dimensions": [{"name": "v"}]}
TWO_DIMS = {**FIELD, "dimensions": [{"name": "valence"}, {"name": "arousal"}]}


def _walk(rng: random.Random, frames: int, columns: int, start: float = 0.0) -> list[list[float]]:
    levels, out = [rng.uniform(-0.5, 0.5) for _ in range(columns)], []
    for step in range(frames):
        levels = [max(-1.0, min(1.0, v + rng.uniform(-0.08, 0.08))) for v in levels]
        out.append([round(start + step / 10, 1), *(round(v, 3) for v in levels)])
    return out


def _items(seed: int, n_items: int, columns: int = 1) -> dict[str, dict[str, list]]:
    """Same-shape items (the batch path) mixed with ragged ones, gaps and lone annotators (per item)."""
    rng = random.Random(seed)
    items: dict[str, dict[str, list]] = {}
    for i in range(n_items):
        kind = rng.random()
        n_annotators = 1 if kind < 0.05 else rng.choice((2, 3, 3, 4))
        frames = rng.choice((40, 40, 41)) if kind < 0.9 else rng.randint(3, 60)
        values = {}
        for a in range(n_annotators):
            trace = _walk(rng, frames, columns, start=0.0 if kind < 0.8 else rng.choice((0.0, 0.3)))
            if kind > 0.97:
                trace = trace[::2]  # coarser sampling: interpolated
            if rng.random() < 0.05:
                trace = [[t, *(1.0 for _ in vs)] for t, *vs in trace]  # constant: undefined correlation
            values[f"A{a + 1:02d}"] = trace
        items[str(i)] = values
    return items


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.mark.parametrize("lag_compensation", [True, False])
@pytest.mark.parametrize("seed", [0, 1])
def test_batched_consensus_equals_the_per_item_path_exactly(seed, lag_compensation, monkeypatch):
    options = AggregationOptions(lag_compensation=lag_compensation, max_lag_s=1.0)
    items = _items(seed, 3 * BATCH_ITEMS + 7)
    batched_items = []
    batch = traces._batch_consensus

    def counted(stack, rate, options):
        batched_items.append(stack.shape[1])
        return batch(stack, rate, options)

    monkeypatch.setattr(traces, "_batch_consensus", counted)
    batched = aggregate_traces(FIELD, items, options)
    assert len(batched) == len(items)
    assert sum(batched_items) > len(items) // 2  # most items went through the batch path
    for (item, values), (value, method) in zip(items.items(), batched, strict=True):
        expected_value, expected_method = aggregate_trace(FIELD, values, options)
        assert method == expected_method, item
        assert _same(value, expected_value), item


def test_two_dimensions_and_array_values_from_the_snapshot_give_the_same_consensus():
    options = AggregationOptions(max_lag_s=0.5)
    items = _items(2, BATCH_ITEMS + 3, columns=2)
    as_arrays = {item: {a: trace_array(v) for a, v in values.items()} for item, values in items.items()}
    assert all(isinstance(v, np.ndarray) for values in as_arrays.values() for v in values.values())
    batched = aggregate_traces(TWO_DIMS, as_arrays, options)
    for (item, values), (value, method) in zip(items.items(), batched, strict=True):
        expected_value, expected_method = aggregate_trace(TWO_DIMS, values, options)
        assert method == expected_method and _same(value, expected_value), item


def test_batched_best_lag_equals_best_lag_on_ties_constants_and_noise():
    rng = np.random.default_rng(3)
    n, max_steps = 80, 12
    rows = [rng.normal(size=n).cumsum() for _ in range(20)]
    rows += [np.tile(rng.normal(size=5), n // 5) for _ in range(5)]  # periodic: several lags tie at r = 1
    rows += [np.full(n, 0.5), np.r_[np.zeros(n - 3), 1.0, 1.0, 1.0]]  # constant, nearly constant
    x = np.vstack(rows)
    references = np.vstack([np.roll(row, 3) + rng.normal(scale=0.1, size=n) for row in rows])
    references[-5] = x[-5]  # identical to the periodic row
    got = traces._batch_best_lag(x, references, max_steps)
    expected = [traces.best_lag(x[i], references[i], max_steps) for i in range(len(rows))]
    assert got.tolist() == expected


def test_resampling_shortcut_equals_resample_trace():
    from releases.agreement.traces import resample_trace

    rng = np.random.default_rng(5)
    grid = np.arange(0, 61) / 10
    for case in range(200):
        times = np.sort(rng.uniform(0, 6, size=rng.integers(1, 40)))
        if case % 3 == 0:
            times = np.round(times, 1)  # repeated time stamps: averaged by resample_trace
        if case % 5 == 0:
            times = rng.permutation(times)
        values = rng.normal(size=times.size)
        if case % 7 == 0:
            values[0] = np.nan
        got, expected = traces._resampled(times, values, grid), resample_trace(times, values, grid=grid)
        assert np.array_equal(got, expected, equal_nan=True)
        assert np.array_equal(np.signbit(got), np.signbit(expected))


def test_array_consensus_is_read_only_and_holds_each_grid_and_batch_once():
    """A release keeps every consensus until its files are written: no per-item copies."""
    rng = random.Random(7)
    items = {str(i): {f"A0{a}": _walk(rng, 40, 1) for a in (1, 2, 3)} for i in range(10)}
    values = [value for value, _ in aggregate_traces(FIELD, items, AggregationOptions(), arrays=True)]
    listed = [value for value, _ in aggregate_traces(FIELD, items, AggregationOptions())]
    for array_value, list_value in zip(values, listed, strict=True):
        for key in ("mean", "ewe"):  # NaN in the arrays where the lists say None (frames lags emptied)
            assert [None if np.isnan(v) else v for v in array_value[key].tolist()] == list_value[key]
        assert not array_value["mean"].flags.writeable and not array_value["ewe"].flags.writeable
    assert all(value["times"] is values[0]["times"] for value in values)  # one grid for all ten
    first, last = values[0]["mean"].base, values[9]["mean"].base
    assert first is not None and first is last  # rows of one batch's array, not copies
