"""Trace measures summed a chunk of items at a time give the numbers of the stacked-frames formulas.

Each test forces chunks of a few frames, so items are spread over many chunks with different
centres, and compares with the plain definition computed on all frames stacked into one array.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from releases.agreement import icc_table, mean_pairwise_ccc
from releases.agreement import stacked as stacked_module
from releases.agreement.stacked import RunningMoments, stacked_chunks
from releases.report.common import Settings
from releases.report.traces import _ambiguity, icc_on_traces


@pytest.fixture
def tiny_chunks(monkeypatch):
    monkeypatch.setattr(stacked_module, "CHUNK_ROWS", 30)  # several items per chunk


def traced_items(seed: int, n_items: int = 40, offset: float = 50.0) -> list[np.ndarray]:
    """Items of 0-25 frames x 3 annotators around ``offset``, with missing frames and one silent annotator."""
    rng = np.random.default_rng(seed)
    items = []
    for i in range(n_items):
        frames = int(rng.integers(0, 26))
        base = rng.normal(size=(frames, 1)) + offset + i % 5
        table = base + rng.normal(scale=0.4, size=(frames, 4))
        table[rng.random(table.shape) < 0.08] = np.nan
        table[:, 3] = np.nan  # the fourth annotator traced nothing
        items.append(table)
    return items


def lin(x: np.ndarray, y: np.ndarray) -> float:
    mx, my = x.mean(), y.mean()
    return 2 * ((x - mx) * (y - my)).mean() / (x.var() + y.var() + (mx - my) ** 2)


def test_chunks_cover_every_item_once_in_order_and_stay_within_the_row_limit():
    tables = [np.ones((n, 2)) * i for i, n in enumerate([3, 0, 4, 9, 1, 1, 0])]
    chunks = list(stacked_chunks(tables, 2, max_rows=5))
    assert [(c.first, c.n_items) for c in chunks] == [(0, 2), (2, 1), (3, 1), (4, 3)]
    assert all(len(c.frames) <= 5 or c.n_items == 1 for c in chunks)  # one item of 9 frames alone
    for chunk in chunks:
        own = tables[chunk.first : chunk.first + chunk.n_items]
        assert np.array_equal(chunk.frames, np.concatenate(own))
        assert np.array_equal(chunk.frames[:, 0], chunk.first + chunk.items)
    assert list(stacked_chunks([], 2)) == []


def test_running_moments_keep_the_precision_of_a_two_pass_variance():
    rng = np.random.default_rng(0)
    values = rng.normal(scale=1e-3, size=10_000) + 1e6  # a sum of squares would lose every digit
    moments = RunningMoments()
    for part in np.array_split(values, 37):
        moments.add(part)
    moments.add(np.empty(0))
    assert moments.n == values.size
    assert moments.mean == pytest.approx(values.mean(), rel=1e-15)
    assert moments.variance(ddof=1) == pytest.approx(values.var(ddof=1), rel=1e-9)


def test_chunked_ccc_equals_lins_formula_on_all_frames_pair_by_pair(tiny_chunks):
    items = traced_items(1)
    result = mean_pairwise_ccc(items, n_resamples=0, annotators=["A", "B", "C", "D"])
    frames = np.concatenate(items)
    for pair in result.details["pairs"]:
        a, b = "ABCD".index(pair["annotator_a"]), "ABCD".index(pair["annotator_b"])
        both = ~np.isnan(frames[:, a]) & ~np.isnan(frames[:, b])
        if both.any():
            assert pair["value"] == pytest.approx(lin(frames[both, a], frames[both, b]), abs=1e-12)
        else:
            assert pair["value"] is None
    defined = [(a, b) for a, b in combinations(range(3), 2)]
    assert result.n_annotators == 3 and len(defined) == 3


def test_chunked_ccc_intervals_do_not_depend_on_the_chunk_size(monkeypatch):
    items = traced_items(2)
    whole = mean_pairwise_ccc(items, n_resamples=200, seed=3, annotators=list("ABCD"))
    monkeypatch.setattr(stacked_module, "CHUNK_ROWS", 45)
    chunked = mean_pairwise_ccc(items, n_resamples=200, seed=3, annotators=list("ABCD"))
    assert chunked.value == pytest.approx(whole.value, abs=1e-12)
    assert (chunked.ci.low, chunked.ci.high) == pytest.approx((whole.ci.low, whole.ci.high), abs=1e-12)


def test_chunked_icc_equals_icc_table_on_the_complete_stacked_frames(tiny_chunks):
    items = traced_items(3)
    report = {m["measure"]: m for m in icc_on_traces(items, "v", Settings(seed=0, n_resamples=0))}
    frames = np.concatenate(items)[:, :3]  # the silent annotator is left out
    expected = icc_table(frames, n_resamples=0)
    complete = ~np.isnan(frames).any(axis=1)
    for form, result in expected.items():
        got = report[f"{form.lower()} v"]
        assert got["value"] == pytest.approx(result.value, abs=1e-12)
        assert got["n_items"] == int(complete.sum()) == result.n_items
        assert got["n_annotators"] == 3
        for square in ("BMS", "WMS", "JMS", "EMS"):
            assert got["details"][square] == pytest.approx(result.details[square], rel=1e-10)
        assert got["details"]["items_dropped_incomplete"] == result.details["items_dropped_incomplete"]


def test_chunked_icc_intervals_resample_items_whatever_the_chunk_size(monkeypatch):
    items = traced_items(4)
    settings = Settings(seed=5, n_resamples=200)
    whole = {m["measure"]: m for m in icc_on_traces(items, "v", settings)}
    monkeypatch.setattr(stacked_module, "CHUNK_ROWS", 35)
    chunked = {m["measure"]: m for m in icc_on_traces(items, "v", settings)}
    for name, measure in whole.items():
        assert chunked[name]["value"] == pytest.approx(measure["value"], abs=1e-12)
        low, high = measure["ci"]["low"], measure["ci"]["high"]
        assert (chunked[name]["ci"]["low"], chunked[name]["ci"]["high"]) == pytest.approx(
            (low, high), abs=1e-10
        )
        assert measure["ci"]["method"].startswith("percentile bootstrap, items (whole traces)")


def test_chunked_icc_says_why_when_every_frame_is_the_same_value(tiny_chunks):
    items = [np.full((6, 2), 0.25) for _ in range(4)]
    report = icc_on_traces(items, "v", Settings(seed=0, n_resamples=10))
    assert {m["value"] for m in report} == {None}
    assert all("no variance to partition" in m["undefined_reason"] for m in report)


def test_chunked_ambiguity_equals_its_definition_per_item(tiny_chunks):
    items = traced_items(5, offset=0.0)
    frames = np.concatenate(items)
    field_variance = frames[np.isfinite(frames)].var(ddof=1)
    expected = []
    for table in items:
        spreads = []
        for row in table:
            present = row[np.isfinite(row)]
            if present.size >= 2:
                pairs = [(x - y) ** 2 for x, y in combinations(present, 2)]
                spreads.append(np.mean(pairs))
        expected.append(np.mean(spreads) / (2 * field_variance) if spreads else None)
    got = _ambiguity(items)
    assert [g is None for g in got] == [e is None for e in expected]
    assert [g for g in got if g is not None] == pytest.approx(
        [e for e in expected if e is not None], rel=1e-9
    )
