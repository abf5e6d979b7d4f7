"""Scoring an annotator's value against a gold answer, one kind at a time, with worked numbers."""

import pytest

from annotation.services.gold_scoring import score_value

HARD = {"name": "e", "kind": "categorical", "scope": "item", "mode": "hard", "classes": []}
MULTI = {"name": "e", "kind": "categorical", "scope": "item", "mode": "multi", "classes": []}
SOFT = {"name": "e", "kind": "categorical", "scope": "item", "mode": "soft", "classes": []}
SAM = {
    "name": "vad",
    "kind": "dimensional",
    "scope": "item",
    "ratings": [
        {"name": "valence", "min": 1, "max": 9, "step": 1},
        {"name": "arousal", "min": 1, "max": 9, "step": 1},
        {"name": "dominance", "min": 1, "max": 9, "step": 1},
    ],
}
CONTINUOUS = {
    "name": "va",
    "kind": "dimensional",
    "scope": "item",
    "ratings": [{"name": "valence", "min": -1, "max": 1}, {"name": "arousal", "min": -1, "max": 1}],
}
SEGMENTS = {"name": "s", "kind": "segments", "scope": "time", "classes": []}
TRACE = {"name": "t", "kind": "trace", "scope": "time", "rate_hz": 1, "dimensions": []}
FACS = {"name": "au", "kind": "facs", "scope": "item", "units": []}
TEXT = {"name": "why", "kind": "text", "scope": "item"}


def test_hard_is_exact_class():
    assert score_value(HARD, {"class": "joy"}, {"class": "joy", "intensity": 2}).score == 1.0
    assert score_value(HARD, {"class": "joy"}, {"class": "anger"}).score == 0.0


def test_multi_is_jaccard():
    # {joy, surprise} vs {joy, fear, anger}: 1 shared of 4 distinct -> 0.25
    result = score_value(MULTI, {"classes": ["joy", "surprise"]}, {"classes": ["joy", "fear", "anger"]})
    assert result.score == pytest.approx(0.25)
    assert score_value(MULTI, {"classes": []}, {"classes": []}).score == 1.0
    assert score_value(MULTI, {"classes": ["joy"]}, {"classes": []}).score == 0.0


def test_soft_is_one_minus_total_variation_and_argmax():
    # |0.7-0.5| + |0.2-0.1| + |0.1-0.4| = 0.6, TVD = 0.3 -> 0.7; argmax joy in both
    gold = {"distribution": {"joy": 0.7, "anger": 0.2, "fear": 0.1}}
    mine = {"distribution": {"joy": 0.5, "anger": 0.1, "fear": 0.4}}
    result = score_value(SOFT, gold, mine)
    assert result.score == pytest.approx(0.7)
    assert result.argmax_match is True
    # a class only one side names counts fully: |0.6-0| + |0.4-0.2| + |0-0.8| = 1.6 -> TVD 0.8
    other = score_value(
        SOFT, {"distribution": {"joy": 0.6, "fear": 0.4}}, {"distribution": {"fear": 0.2, "sad": 0.8}}
    )
    assert other.score == pytest.approx(0.2)
    assert other.argmax_match is False


def test_dimensional_hits_within_one_step_and_reports_mae():
    # errors 1 (hit), 2 (miss), 0 (hit) -> 2/3 hits, MAE 1.0
    result = score_value(
        SAM, {"valence": 7, "arousal": 3, "dominance": 5}, {"valence": 6, "arousal": 5, "dominance": 5}
    )
    assert result.score == pytest.approx(2 / 3)
    assert result.mae == pytest.approx(1.0)


def test_continuous_dimensional_hits_within_ten_percent_of_range():
    # range 2 -> tolerance 0.2: |0.5-0.65| = 0.15 hit, |-0.2-0.1| = 0.3 miss -> 0.5, MAE 0.225
    result = score_value(CONTINUOUS, {"valence": 0.5, "arousal": -0.2}, {"valence": 0.65, "arousal": 0.1})
    assert result.score == pytest.approx(0.5)
    assert result.mae == pytest.approx(0.225)


def test_segments_are_temporal_iou_per_class():
    gold = [{"start": 0.0, "end": 4.0, "class": "a"}, {"start": 6.0, "end": 8.0, "class": "b"}]
    mine = [{"start": 2.0, "end": 6.0, "class": "a"}, {"start": 6.0, "end": 8.0, "class": "a"}]
    # class a: gold [0,4], mine [2,8] -> inter 2, union 8; class b: gold [6,8], mine none -> 0 / 2
    assert score_value(SEGMENTS, gold, mine).score == pytest.approx(2 / 10)
    assert score_value(SEGMENTS, gold, gold).score == 1.0
    assert score_value(SEGMENTS, [], []).score == 1.0


def test_trace_is_ccc_after_resampling_to_gold_times():
    gold = [[0, 1.0], [1, 2.0], [2, 3.0], [3, 4.0]]
    # sampled at half-seconds; interpolated at 0..3 it is 2, 3, 4, 5: the gold shifted by 1
    mine = [[0, 2.0], [0.5, 2.5], [1, 3.0], [1.5, 3.5], [2, 4.0], [2.5, 4.5], [3, 5.0]]
    # var 1.25 each, cov 1.25, mean gap 1 -> 2*1.25 / (1.25 + 1.25 + 1) = 2.5 / 3.5
    assert score_value(TRACE, gold, mine).score == pytest.approx(2.5 / 3.5)
    assert score_value(TRACE, gold, gold).score == pytest.approx(1.0)


def test_two_dimensional_trace_averages_its_dimensions():
    gold = [[0, 0.0, 1.0], [1, 1.0, 2.0], [2, 2.0, 3.0]]
    mirrored = [[0, 2.0, 1.0], [1, 1.0, 2.0], [2, 0.0, 3.0]]  # first dim reversed (CCC -1), second same (1)
    assert score_value(TRACE, gold, mirrored).score == pytest.approx(0.0)


def test_facs_is_f1_over_present_codes():
    # gold {AU6, AU12, AU25}, mine {AU12, AU25, AU4}: 2 shared -> 2*2 / (3+3) = 2/3
    gold = {"AU6": "C", "AU12": "D", "AU25": "A"}
    mine = {"AU12": "B", "AU25": "A", "AU4": "E"}
    assert score_value(FACS, gold, mine).score == pytest.approx(2 / 3)
    assert score_value(FACS, {}, {}).score == 1.0


def test_text_is_not_scored():
    assert score_value(TEXT, "because she smiles", "because she smiles") is None


def test_item_kind_over_time_matches_each_gold_span_with_the_most_overlapping_one():
    windows = {**HARD, "scope": "time", "window_s": 1}
    gold = [
        {"start": 0, "end": 1, "value": {"class": "joy"}},
        {"start": 1, "end": 2, "value": {"class": "anger"}},
        {"start": 2, "end": 3, "value": {"class": "joy"}},
        {"start": 3, "end": 4, "value": {"class": "fear"}},
    ]
    mine = [
        {"start": 0, "end": 1, "value": {"class": "joy"}},
        {"start": 1, "end": 2, "value": {"class": "joy"}},
        {"start": 2, "end": 3, "value": {"class": "joy"}},
    ]
    # joy ok, anger missed, joy ok, the 4th window has no span -> 2 / 4
    assert score_value(windows, gold, mine).score == pytest.approx(0.5)
