"""Agreement on timestamped segments: frame-level alpha and temporal-IoU F1.

Frame-level alpha rasterises each annotator's segments at ``fps`` (frame f is [f/fps, (f+1)/fps) and
takes the label of the segment containing its centre; frames no segment covers get the background
class, because an annotator who looked at the item and marked nothing there did say something) and
computes nominal alpha over all frames of all items. Runs of identical frames are collapsed with a
multiplicity, so the cost follows the number of segment boundaries, not the number of frames, and a
bootstrap resamples items (a media item's frames move together).

Temporal-IoU F1 matches two annotators' segments one-to-one per item with the Hungarian algorithm
(``scipy.optimize.linear_sum_assignment``): among pairs with IoU >= threshold (and the same label, by
default) it takes the largest number of matches and, among those, the largest total IoU. Matches are
true positives; F1 = 2 TP / (segments of A + segments of B), pooled over items.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy.optimize import linear_sum_assignment

from releases.agreement.alpha import alpha_result
from releases.agreement.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_one
from releases.agreement.results import AgreementResult, undefined

BACKGROUND = "__background__"


@dataclass(frozen=True, slots=True)
class Segment:
    start: float
    end: float
    label: Hashable = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.start) and math.isfinite(self.end)) or self.end < self.start:
            raise ValueError(f"a segment needs finite start <= end, got [{self.start}, {self.end}]")


SegmentLike = Segment | tuple[float, float] | tuple[float, float, Hashable]
# One item: annotator -> their segments (an empty list: looked and marked nothing; None: did not annotate).
ItemSegments = Mapping[Hashable, Sequence[SegmentLike] | None]


def as_segments(segments: Sequence[SegmentLike]) -> list[Segment]:
    return [s if isinstance(s, Segment) else Segment(*s) for s in segments]


def frame_alpha(
    items: Sequence[ItemSegments],
    /,
    *,
    durations_s: Sequence[float],
    fps: float,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """Nominal alpha over rasterised frames of every item (see the module docstring)."""
    if len(durations_s) != len(items):
        raise ValueError("durations_s needs one duration per item")
    if fps <= 0:
        raise ValueError("fps must be positive")
    annotators = list(dict.fromkeys(a for item in items for a in item))
    parsed = [
        {a: None if segs is None else _segment_arrays(segs) for a, segs in item.items()} for item in items
    ]
    labels = _sorted_labels({label for item in parsed for seg in item.values() if seg for label in seg[2]})
    codes = {label: i + 1 for i, label in enumerate(labels)}
    blocks, clusters, lengths = [], [], []
    for index, (item, duration) in enumerate(zip(parsed, durations_s, strict=True)):
        frames = _rasterise_item(item, annotators, codes, n_frames=_frame_count(duration, fps), fps=fps)
        runs, run_lengths = _runs(frames)
        blocks.append(runs)
        lengths.append(run_lengths)
        clusters.append(np.full(run_lengths.size, index))
    values = np.concatenate(blocks) if blocks else np.empty((0, len(annotators)))
    result = alpha_result(
        values,
        level="nominal",
        measure="frame_alpha_nominal",
        clusters=np.concatenate(clusters) if clusters else np.empty(0, dtype=int),
        multiplicity=np.concatenate(lengths) if lengths else np.empty(0),
        categories=[BACKGROUND, *labels],
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )
    details = {**result.details, "fps": fps, "frames": int(sum(sum(x) for x in lengths))}
    return _with_details(result, details)


def temporal_iou_f1(
    a: Sequence[Sequence[SegmentLike] | None],
    b: Sequence[Sequence[SegmentLike] | None],
    /,
    *,
    threshold: float = 0.5,
    match_labels: bool = True,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """F1 of one annotator's segments against another's, item by item (None: the item was not annotated)."""
    if len(a) != len(b):
        raise ValueError("both annotators need one entry per item")
    stats = np.array(
        [
            _match_counts(as_segments(x), as_segments(y), threshold, match_labels)
            for x, y in zip(a, b, strict=True)
            if x is not None and y is not None
        ]
    ).reshape(-1, 3)
    return _f1_result(stats, threshold, match_labels, n_resamples, seed, confidence, pairs=None)


def mean_pairwise_temporal_iou_f1(
    items: Sequence[ItemSegments],
    /,
    *,
    threshold: float = 0.5,
    match_labels: bool = True,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    confidence: float = 0.95,
) -> AgreementResult:
    """Temporal-IoU F1 averaged over annotator pairs (each pair on the items both annotated)."""
    annotators = list(dict.fromkeys(a for item in items for a in item))
    pairs = list(combinations(annotators, 2))
    stats = np.zeros((len(items), len(pairs), 3))
    for i, item in enumerate(items):
        for p, (x, y) in enumerate(pairs):
            if item.get(x) is not None and item.get(y) is not None:
                stats[i, p] = _match_counts(
                    as_segments(item[x]), as_segments(item[y]), threshold, match_labels
                )
    return _f1_result(stats, threshold, match_labels, n_resamples, seed, confidence, pairs=pairs)


def temporal_iou(a: Segment, b: Segment) -> float:
    inter = max(0.0, min(a.end, b.end) - max(a.start, b.start))
    union = (a.end - a.start) + (b.end - b.start) - inter
    if union == 0:
        return 1.0 if a.start == b.start else 0.0
    return inter / union


def _match_counts(
    a: list[Segment], b: list[Segment], threshold: float, match_labels: bool
) -> tuple[int, int, int]:
    """(true positives, segments in a, segments in b) under maximum-cardinality, maximum-IoU matching."""
    if not a or not b:
        return 0, len(a), len(b)
    iou = np.array([[temporal_iou(x, y) for y in b] for x in a])
    eligible = iou >= threshold
    if match_labels:
        eligible &= np.array([[x.label == y.label for y in b] for x in a])
    if not eligible.any():
        return 0, len(a), len(b)
    # A match is worth more than any possible total of IoUs, so cardinality wins and IoU breaks ties.
    gain = np.where(eligible, 1.0 + iou / (min(len(a), len(b)) + 1), 0.0)
    rows, cols = linear_sum_assignment(gain, maximize=True)
    return int(eligible[rows, cols].sum()), len(a), len(b)


def _f1_result(
    stats: np.ndarray,
    threshold: float,
    match_labels: bool,
    n_resamples: int,
    seed: int | None,
    confidence: float,
    *,
    pairs: list[tuple[Hashable, Hashable]] | None,
) -> AgreementResult:
    measure = "temporal_iou_f1" if pairs is None else "mean_pairwise_temporal_iou_f1"
    stats = stats if pairs is not None else stats[:, None, :]
    compared = stats[:, :, 1:].sum(axis=2) > 0
    details = {"threshold": threshold, "match_labels": match_labels, "matching": "hungarian"}
    if stats.shape[1] == 0 or not compared.any():
        reason = (
            "no item was annotated by both annotators"
            if stats.shape[0] == 0 or stats.shape[1] == 0
            else "neither annotator marked any segment"
        )
        return undefined(measure, reason, n_items=int(stats.shape[0]), details=details)
    used = compared.any(axis=1)
    stats = stats[used]

    def statistic(w: np.ndarray) -> np.ndarray:
        return _mean_f1(np.einsum("bi,ipk->bpk", w, stats))

    value = statistic(np.ones((1, stats.shape[0])))[0]
    ci, ci_reason = bootstrap_one(
        statistic, n_units=stats.shape[0], n_resamples=n_resamples, seed=seed, confidence=confidence
    )
    totals = stats.sum(axis=0)
    if pairs is not None:
        details["pairs"] = [
            {"annotator_a": x, "annotator_b": y, "value": _f1(t)}
            for (x, y), t in zip(pairs, totals, strict=True)
        ]
    else:
        details.update(
            true_positives=int(totals[0, 0]), segments_a=int(totals[0, 1]), segments_b=int(totals[0, 2])
        )
    n_annotators = (
        2
        if pairs is None
        else len({a for (x, y), t in zip(pairs, totals, strict=True) if t[1] + t[2] > 0 for a in (x, y)})
    )
    return AgreementResult(
        measure=measure,
        value=float(value),
        ci=ci,
        ci_undefined_reason=ci_reason,
        n_items=int(stats.shape[0]),
        n_annotators=n_annotators,
        details=details,
    )


def _f1(totals: np.ndarray) -> float | None:
    return float(2 * totals[0] / (totals[1] + totals[2])) if totals[1] + totals[2] > 0 else None


def _mean_f1(sums: np.ndarray) -> np.ndarray:
    """Mean over pairs of 2 TP / (|A| + |B|) per replicate, over pairs that marked anything."""
    size = sums[:, :, 1] + sums[:, :, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(size > 0, 2 * sums[:, :, 0] / size, 0.0)
    count = (size > 0).sum(axis=1)
    return np.where(count > 0, f1.sum(axis=1) / np.maximum(count, 1), np.nan)


def _segment_arrays(segments: Sequence[SegmentLike]) -> tuple[np.ndarray, np.ndarray, list[Hashable]]:
    """(starts, ends, labels) of one annotator's segments, validated without building objects."""
    rows = [
        (s.start, s.end, s.label) if isinstance(s, Segment) else (s[0], s[1], s[2] if len(s) > 2 else None)
        for s in segments
    ]
    starts = np.array([r[0] for r in rows], dtype=float)
    ends = np.array([r[1] for r in rows], dtype=float)
    if not (np.isfinite(starts).all() and np.isfinite(ends).all()) or (ends < starts).any():
        raise ValueError("a segment needs finite start <= end")
    return starts, ends, [r[2] for r in rows]


def _sorted_labels(labels: set[Hashable]) -> list[Hashable]:
    try:
        return sorted(labels)  # type: ignore[type-var]
    except TypeError:
        return sorted(labels, key=repr)


def _frame_count(duration: float, fps: float) -> int:
    if not np.isfinite(duration) or duration < 0:
        raise ValueError("durations must be finite and non-negative")
    return int(np.ceil(duration * fps - 1e-9))


def _rasterise_item(
    item: Mapping[Hashable, tuple[np.ndarray, np.ndarray, list[Hashable]] | None],
    annotators: list[Hashable],
    codes: Mapping[Hashable, int],
    *,
    n_frames: int,
    fps: float,
) -> np.ndarray:
    """frames x annotators codes: 0 background, 1.. labels, NaN for annotators who skipped the item.

    Frame f takes the segment containing its centre (f + 0.5) / fps; where one annotator's segments
    overlap, the later one in the list wins.
    """
    frames = np.full((n_frames, len(annotators)), np.nan)
    for column, annotator in enumerate(annotators):
        segments = item.get(annotator)
        if segments is None:
            continue
        starts, ends, labels = segments
        frames[:, column] = 0
        first = np.clip(np.ceil(starts * fps - 0.5 - 1e-9), 0, n_frames).astype(int)
        stop = np.clip(np.ceil(ends * fps - 0.5 - 1e-9), 0, n_frames).astype(int)
        for lo, hi, label in zip(first, stop, labels, strict=True):
            frames[lo:hi, column] = codes[label]
    return frames


def _runs(frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Collapse consecutive identical rows (NaN equal to NaN) into one row and its run length."""
    if frames.shape[0] == 0:
        return frames, np.empty(0)
    filled = np.nan_to_num(frames, nan=-1.0)
    change = np.ones(frames.shape[0], dtype=bool)
    change[1:] = (filled[1:] != filled[:-1]).any(axis=1)
    starts = np.flatnonzero(change)
    return frames[starts], np.diff(np.append(starts, frames.shape[0])).astype(float)


def _with_details(result: AgreementResult, details: dict) -> AgreementResult:
    fields = {name: getattr(result, name) for name in result.__dataclass_fields__}
    return AgreementResult(**{**fields, "details": details})
