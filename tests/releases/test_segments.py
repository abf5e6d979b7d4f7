"""Segment agreement: frame-level alpha and temporal-IoU F1."""

import numpy as np
import pytest

from releases.agreement import (
    Segment,
    frame_alpha,
    krippendorff_alpha,
    mean_pairwise_temporal_iou_f1,
    temporal_iou,
    temporal_iou_f1,
)


def test_frame_alpha_by_hand():
    """One 1 s item at 10 fps. A marks "x" on [0, 0.5), B on [0, 0.3): frames 0-2 agree on x, 3-4
    disagree, 5-9 agree on background. Coincidences o_xx = 6, o_bb = 10, o_xb = o_bx = 2, so
    n_x = 8, n_b = 12, n = 20 and alpha = 1 - 19 * 2 / (8 * 12)."""
    items = [{"A": [(0.0, 0.5, "x")], "B": [(0.0, 0.3, "x")]}]
    result = frame_alpha(items, durations_s=[1.0], fps=10, n_resamples=0)
    assert result.value == pytest.approx(1 - 19 * 2 / (8 * 12), abs=1e-12)
    assert result.details["frames"] == 10
    assert result.n_items == 1


def test_an_annotator_who_skipped_an_item_is_missing_there_not_background():
    items = [
        {"A": [(0.0, 0.5, "x")], "B": [(0.0, 0.5, "x")], "C": None},
        {"A": [], "B": [], "C": [(0.0, 1.0, "y")]},
    ]
    result = frame_alpha(items, durations_s=[1.0, 1.0], fps=10, n_resamples=0)
    # Item 1: A and B agree on every frame; item 2: A and B say background, C says y everywhere.
    # Coincidences over 20 frames: item 1 -> o_xx = 10, o_bb = 10; item 2 (3 coders) -> o_bb = 10 * 2/2,
    # o_by = o_yb = 10 * 2/2. n_x = 10, n_b = 10 + 10 + 10 = 30, n_y = 10, n = 50.
    d_o = (10 + 10) / 50
    d_e = (50 * 50 - (10**2 + 30**2 + 10**2)) / (50 * 49)
    assert result.value == pytest.approx(1 - d_o / d_e, abs=1e-12)


def test_rasterising_uses_frame_centres_and_collapsing_runs_changes_nothing():
    """At 10 fps frame f covers [f/10, (f+1)/10) and takes the label at its centre. The frames written out
    by hand, scored as a plain frames x annotators table, give the same alpha as the collapsed runs."""
    items = [{"A": [(0.0, 0.5, "x"), (0.6, 0.9, "y")], "B": [(0.1, 0.5, "x"), (0.6, 1.0, "y")]}]
    b, x, y = 0, 1, 2
    by_hand = np.array(
        [
            [x, x, x, x, x, b, y, y, y, b],  # A
            [b, x, x, x, x, b, y, y, y, y],  # B
        ],
        dtype=float,
    ).T
    expected = krippendorff_alpha(by_hand, level="nominal", n_resamples=0)
    result = frame_alpha(items, durations_s=[1.0], fps=10, n_resamples=0)
    assert result.details["frames"] == 10
    assert result.value == pytest.approx(expected.value, abs=1e-12)
    assert result.observed == pytest.approx(expected.observed, abs=1e-12)


def test_the_interval_resamples_items_not_frames():
    items = [{"A": [(0.0, 0.5, "x")], "B": [(0.0, 0.3, "x")]}]
    result = frame_alpha(items, durations_s=[100.0], fps=25)
    assert result.ci is None
    assert result.ci_undefined_reason == "fewer than two items to resample"


def test_temporal_iou():
    assert temporal_iou(Segment(0, 10), Segment(5, 15)) == pytest.approx(5 / 15)
    assert temporal_iou(Segment(0, 1), Segment(2, 3)) == 0.0


def test_hungarian_matching_finds_the_matches_greedy_would_miss():
    """IoUs: a1-b1 .667, a1-b2 .538, a2-b1 .429, a2-b2 .053. Taking the best pair first (a1-b1) leaves a2
    without a partner above 0.3; the one-to-one assignment a1-b2, a2-b1 matches both: F1 = 1."""
    a = [[(3, 13, "e"), (9, 19, "e")]]
    b = [[(5, 15, "e"), (0, 10, "e")]]
    result = temporal_iou_f1(a, b, threshold=0.3, n_resamples=0)
    assert result.value == 1.0
    assert result.details["matching"] == "hungarian"
    assert result.details["true_positives"] == 2


def test_labels_and_threshold_decide_what_counts_as_a_match():
    a = [[(0, 10, "happy"), (20, 30, "sad")]]
    b = [[(0, 10, "sad"), (21, 30, "sad"), (40, 50, "sad")]]
    # Only the sad segments match (IoU .9); TP 1, |A| 2, |B| 3 -> F1 = 2 / 5.
    assert temporal_iou_f1(a, b, n_resamples=0).value == pytest.approx(2 / 5)
    assert temporal_iou_f1(a, b, match_labels=False, n_resamples=0).value == pytest.approx(4 / 5)
    assert temporal_iou_f1(a, b, threshold=0.95, n_resamples=0).value == 0.0


def test_items_not_annotated_by_both_are_skipped_and_empty_sets_are_undefined():
    assert temporal_iou_f1([None, [(0, 1)]], [[(0, 1)], [(0, 1)]], n_resamples=0).n_items == 1
    empty = temporal_iou_f1([[]], [[]])
    assert empty.value is None
    assert empty.undefined_reason == "neither annotator marked any segment"


def test_mean_pairwise_f1_over_three_annotators():
    items = [
        {"a": [(0, 1, "x")], "b": [(0, 1, "x")], "c": [(5, 6, "x")]},
        {"a": [(0, 1, "x")], "b": None, "c": [(0, 1, "x")]},
    ]
    result = mean_pairwise_temporal_iou_f1(items, n_resamples=0)
    # a-b: 1 of 1 -> 1; a-c: item 1 miss, item 2 hit -> 2 * 1 / 4 = .5; b-c: 0 of 1 + 1 -> 0.
    assert result.value == pytest.approx((1 + 0.5 + 0) / 3)


def test_a_reversed_segment_is_refused():
    with pytest.raises(ValueError, match="start <= end"):
        Segment(2.0, 1.0)


def test_frame_alpha_needs_a_duration_per_item():
    with pytest.raises(ValueError, match="one duration per item"):
        frame_alpha([{"A": []}], durations_s=[], fps=10)


def test_overlapping_segments_of_one_annotator_let_the_later_win():
    items = [{"A": [(0.0, 1.0, "x"), (0.5, 1.0, "y")], "B": [(0.0, 0.5, "x"), (0.5, 1.0, "y")]}]
    assert frame_alpha(items, durations_s=[1.0], fps=10, n_resamples=0).value == pytest.approx(1.0)
    assert np.isfinite(frame_alpha(items, durations_s=[1.0], fps=10, n_resamples=0).expected)
