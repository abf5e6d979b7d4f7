"""Subject-independent, stratified, seeded splits."""

from collections import Counter

import pytest

from releases.splits import assign_splits
from tests.releases.label_rows import frame, items_frame, label_rows


def _corpus(n_subjects=20, per_subject=5):
    ids = list(range(n_subjects * per_subject))
    subjects = [f"S{i // per_subject}" for i in ids]
    return items_frame(ids, subjects=subjects), dict(zip([str(i) for i in ids], subjects, strict=True))


def test_no_subject_is_in_two_splits():
    items, subject_of = _corpus()
    splits = assign_splits(items, seed=3)
    by_subject: dict[str, set[str]] = {}
    for item, split in splits.items():
        by_subject.setdefault(subject_of[item], set()).add(split)
    assert all(len(s) == 1 for s in by_subject.values())
    assert set(splits.values()) == {"train", "validation", "test"}
    assert Counter(splits.values())["train"] == 80  # 16 of 20 subjects, as the ratios ask


def test_the_speaker_stands_in_for_a_missing_subject_and_the_item_for_both():
    items = items_frame(
        range(6), subjects=[None, None, "S1", "S1", None, None], speakers=["P", "P", None, None, None, None]
    )
    splits = assign_splits(items, seed=0)
    assert splits["0"] == splits["1"]  # speaker P
    assert splits["2"] == splits["3"]  # subject S1
    assert len(splits) == 6


def test_splits_follow_the_label_mix_where_the_groups_allow():
    items, _ = _corpus(n_subjects=40, per_subject=2)
    # every subject has one label; a quarter are "sad"
    values = {(i, "A01"): {"class": "sad" if (i // 2) % 4 == 0 else "joy"} for i in range(80)}
    labels = frame(label_rows("emotion", "categorical", values))
    splits = assign_splits(items, labels=labels, stratify_field="emotion", seed=1)
    label_of = {str(i): v["class"] for (i, _), v in values.items()}
    for split in ("train", "validation", "test"):
        chosen = [label_of[i] for i, s in splits.items() if s == split]
        assert chosen, split
        assert Counter(chosen)["sad"] / len(chosen) == pytest.approx(0.25, abs=0.13)


def test_the_same_seed_gives_the_same_splits_and_other_seeds_can_differ():
    items, _ = _corpus()
    first = assign_splits(items, seed=11)
    assert assign_splits(items, seed=11) == first
    assert any(assign_splits(items, seed=s) != first for s in range(12, 20))


@pytest.mark.parametrize(
    ("n_groups", "expected"),
    [(1, {"train"}), (2, {"train", "test"}), (3, {"train", "validation", "test"})],
)
def test_tiny_inputs_fill_test_then_validation_while_train_keeps_a_group(n_groups, expected):
    items = items_frame(range(n_groups), subjects=[f"S{i}" for i in range(n_groups)])
    splits = assign_splits(items, seed=0)
    assert set(splits.values()) == expected
    assert "train" in splits.values()


def test_a_zero_ratio_split_stays_empty():
    items, _ = _corpus(n_subjects=5, per_subject=1)
    splits = assign_splits(items, ratios=(0.8, 0.0, 0.2), seed=0)
    assert "validation" not in splits.values()


def test_no_items_give_no_splits_and_bad_ratios_a_clear_error():
    assert assign_splits(items_frame([])) == {}
    with pytest.raises(ValueError, match="ratios"):
        assign_splits(items_frame([1]), ratios=(1.0, -0.5, 0.5))
