"""The snapshot: latest revisions, filters, stable pseudonyms, old schema versions, few queries."""

from __future__ import annotations

import copy

import pytest

from annotation.models import Assignment
from annotation.services import schema_publish
from releases.services.pseudonyms import annotator_pseudonyms
from releases.services.snapshot import snapshot_read
from releases.services.translation import translator
from tests.releases.test_release_fixtures import DEFINITION, labelled_project, save, values_for

pytestmark = pytest.mark.django_db


def test_rows_are_one_per_item_annotator_and_field_in_a_stable_order(project):
    labelled = labelled_project(project)
    snap = snapshot_read(project_id=project.pk, filters={})
    labels = snap.labels
    assert len(labels) == 36
    assert list(labels.columns[:8]) == [
        "item_id", "annotator", "field", "kind", "value", "schema_version", "revision", "state",
    ]  # fmt: skip
    keys = list(zip(labels["item_id"].astype(int), labels["annotator"], labels["field"], strict=True))
    assert keys == sorted(keys)
    assert set(labels["state"]) == {"submitted"} and set(labels["schema_version"]) == {1}
    assert list(snap.items["item_id"]) == [str(i.pk) for i in labelled]
    assert snap.items.loc[0, "subject"] == "s0" and snap.items.loc[0, "turn"] is None


def test_the_latest_revision_is_read(project):
    labelled = labelled_project(project)
    assignment = Assignment.objects.filter(item=labelled[0]).order_by("pk").first()
    save(assignment, values_for(0, 0) | {"vad": {"valence": 8, "arousal": 2}})
    labels = snapshot_read(project_id=project.pk, filters={}).labels
    pseudonym = annotator_pseudonyms(project_id=project.pk)[assignment.annotator_id]
    row = labels[(labels["item_id"] == str(labelled[0].pk)) & (labels["annotator"] == pseudonym)
                 & (labels["field"] == "vad")].iloc[0]  # fmt: skip
    assert row["value"] == {"valence": 8, "arousal": 2} and row["revision"] == 2


def test_filters_keep_pseudonyms_stable(project):
    labelled = labelled_project(project)
    everyone = annotator_pseudonyms(project_id=project.pk)
    assert sorted(everyone.values()) == ["A01", "A02", "A03"]
    second = next(user for user, name in everyone.items() if name == "A02")
    snap = snapshot_read(
        project_id=project.pk,
        filters={"annotator_ids": [second], "item_ids": [labelled[1].pk, labelled[2].pk]},
    )
    assert set(snap.labels["annotator"]) == {"A02"}
    assert set(snap.labels["item_id"]) == {str(labelled[1].pk), str(labelled[2].pk)}
    assert list(snap.items["item_id"]) == [str(labelled[1].pk), str(labelled[2].pk)]
    rejected_only = snapshot_read(project_id=project.pk, filters={"review_states": ["rejected"]})
    assert rejected_only.labels.empty and len(rejected_only.items) == 3


def test_labels_made_under_an_old_schema_version_are_translated(project):
    labelled_project(project)
    newer = copy.deepcopy(DEFINITION)
    newer["fields"][0]["classes"] = [{"id": "joy"}, {"id": "neutral"}, {"id": "sad"}]
    newer["fields"][1]["ratings"] = newer["fields"][1]["ratings"][:1]
    newer["fields"][2]["classes"] = [{"id": "laughter"}]
    mapping = {"emotion.happy": "joy", "vad.arousal": None, "events.laugh": "laughter", "events.sigh": None}
    schema_publish(project=project, definition=newer, user=project.created_by, class_mapping=mapping)
    labels = snapshot_read(project_id=project.pk, filters={}).labels
    emotion = labels[labels["field"] == "emotion"]["value"].tolist()
    assert all(set(v["distribution"]) <= {"joy", "neutral"} for v in emotion) and emotion
    assert all(set(v) == {"valence"} for v in labels[labels["field"] == "vad"]["value"])
    events = labels[labels["field"] == "events"]["value"].tolist()
    assert all([s["class"] for s in v] == ["laughter"] for v in events)
    assert set(labels["schema_version"]) == {1}


def test_soft_labels_losing_a_class_are_renormalised():
    old = {"fields": [{"name": "e", "kind": "categorical", "scope": "item", "mode": "soft",
                       "classes": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}]}  # fmt: skip
    translate = translator([(1, old, {}), (2, {}, {"e.c": None, "e.b": "a"})])
    assert translate({"e": {"distribution": {"a": 0.2, "b": 0.3, "c": 0.5}}}, 1) == {
        "e": {"distribution": {"a": 1.0}}
    }
    assert translate({"e": {"distribution": {"c": 1.0}}}, 1) == {}
    assert translate({"e": {"distribution": {"a": 1.0}}}, 2) == {"e": {"distribution": {"a": 1.0}}}


def test_the_snapshot_takes_a_fixed_number_of_queries_whatever_the_size(
    project, django_assert_max_num_queries
):
    labelled_project(project, items=12, annotators=3)
    with django_assert_max_num_queries(6):
        snap = snapshot_read(project_id=project.pk, filters={})
    assert len(snap.labels) == 12 * 3 * 4
