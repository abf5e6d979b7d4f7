"""The diff of a version to the previous ready one: items added/removed/changed and label changes."""

from __future__ import annotations

import pytest

from annotation.models import Assignment
from annotation.services.assignments import assignments_generate
from ingest.models import MediaAsset
from tests.releases.test_release_fixtures import build, labelled_project, make_item, save, values_for

pytestmark = pytest.mark.django_db


def test_changing_one_label_and_adding_an_item_shows_in_the_diff(project):
    labelled = labelled_project(project)
    first = build(project, version="1.0.0")
    assert first.diff["previous"] is None and first.diff["items_added"] == [str(i.pk) for i in labelled]
    assignment = (
        Assignment.objects.filter(item=labelled[1]).order_by("pk").select_related("annotation").first()
    )
    changed = values_for(1, 0) | {"vad": {"valence": 9, "arousal": 1}}
    save(assignment, changed)
    added = make_item(project, 7)
    assignments_generate(project=project)
    for index, new in enumerate(Assignment.objects.filter(item=added).order_by("pk")):
        save(new, values_for(2, index))
    second = build(project, version="1.1.0")
    assert second.diff == {
        "previous": "1.0.0", "items_added": [str(added.pk)], "items_removed": [], "items_changed": [],
        "label_changes": 1, "labels_added": 12, "labels_removed": 0,
        "summary": "Since 1.0.0: 1 item added, 0 removed, 0 changed; 1 label changed, 12 added, 0 removed.",
    }  # fmt: skip


def test_removed_and_changed_items_are_told_apart(project):
    labelled = labelled_project(project)
    build(project, version="1.0.0")
    MediaAsset.objects.filter(pk=labelled[0].pk).delete()
    MediaAsset.objects.filter(pk=labelled[2].pk).update(metadata={"subject": "s2", "session": 99})
    diff = build(project, version="2.0.0").diff
    assert diff["items_removed"] == [str(labelled[0].pk)]
    assert diff["items_changed"] == [str(labelled[2].pk)]
    assert diff["items_added"] == [] and diff["label_changes"] == 0 and diff["labels_removed"] == 12


def test_the_diff_is_to_the_previous_ready_version_not_a_failed_one(project, monkeypatch):
    labelled_project(project)
    build(project, version="1.0.0")
    monkeypatch.setattr("releases.services.build.release_folder_write", _explode)
    failed = build(project, version="1.1.0")
    assert failed.state == "failed"
    monkeypatch.undo()
    assert build(project, version="1.2.0").diff["previous"] == "1.0.0"


def _explode(*args, **kwargs):
    raise OSError("disk full")
