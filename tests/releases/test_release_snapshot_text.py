"""Label values read as JSON text from the database: traces parsed into arrays, others re-encoded."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from django.db import connection

from annotation.models import AnnotationRevision
from releases.services.snapshot import canonical_json, snapshot_read
from releases.services.trace_values import samples_digest, trace_from_text, trace_reference
from tests.releases.test_release_fixtures import labelled_project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "[[0.0,1.0]]",
        "[[0.0, -0.523], [0.1, 1e-05], [0.2, -0.0]]",
        "[[1,2,3],[4,5,6]]",
        "[[59.9,12345678901234]]",
        "[[0.10,0.50]]",
    ],
)
def test_a_numeric_trace_is_parsed_into_a_read_only_array_of_exactly_its_numbers(text):
    samples = trace_from_text(text)
    assert samples is not None and not samples.flags.writeable and samples.dtype == np.float64
    assert samples.tolist() == json.loads(text)


@pytest.mark.parametrize(
    "text", ["[[0.1,2],[0.2,3,4]]", "[[0.1,2],[0.2,3],[0.3]]", "[]", "[[]]", '[["a",1]]', "[1,2]", "{}"]
)
def test_anything_but_a_numeric_table_is_left_as_decoded(text):
    assert trace_from_text(text) is None


def test_the_digest_is_of_the_samples_and_their_shape():
    samples = np.array([[0.0, 0.5], [0.1, 0.25]])
    expected = hashlib.sha256(b"2x2:" + samples.astype("<f8").tobytes()).hexdigest()
    assert samples_digest(samples) == expected
    assert samples_digest(samples.reshape(1, 4)) != expected
    changed = samples.copy()
    changed[1, 1] = 0.2500000001
    assert samples_digest(changed) != expected


def test_trace_values_are_arrays_and_the_tables_carry_their_reference(project):
    labelled_project(project, items=2, annotators=2)
    stored = {
        (r.annotation.assignment.item_id, r.annotation.assignment.annotator_id): r.values["valence_trace"]
        for r in AnnotationRevision.objects.select_related("annotation__assignment")
    }
    labels = snapshot_read(project_id=project.pk, filters={}).labels
    traces = labels[labels["field"] == "valence_trace"]
    assert len(traces) == 4
    originals = {json.dumps(v) for v in stored.values()}
    for value, text in zip(traces["value"], traces["value_json"], strict=True):
        assert isinstance(value, np.ndarray) and value.shape == (100, 2) and not value.flags.writeable
        assert json.dumps(value.tolist()) in originals
        reference = json.loads(text)
        assert reference == {
            "file": "traces/valence_trace.parquet",
            "samples": 100,
            "sha256": hashlib.sha256(b"100x2:" + value.astype("<f8").tobytes()).hexdigest(),
        }
        assert text == canonical_json(reference) == trace_reference("valence_trace", value)
    others = labels[labels["field"] != "valence_trace"]
    assert all(canonical_json(v) == t for v, t in zip(others["value"], others["value_json"], strict=True))


def test_stored_text_with_spaces_and_exponents_reads_the_same_numbers(project):
    labelled_project(project, items=1, annotators=1)
    revision = AnnotationRevision.objects.get(annotation__assignment__project=project)
    raw = (
        '{"valence_trace": [[0.0, 0.50], [0.1, 1e-05], [0.2, 0.25]], '
        '"emotion": {"distribution": {"neutral": 0.5, "happy": 0.5}}, "vad": {"valence": 3, "arousal": 4}}'
    )
    assert AnnotationRevision._meta.db_table == "annotation_annotationrevision"
    with connection.cursor() as cursor:  # the exact text another writer might have stored
        cursor.execute(
            'UPDATE annotation_annotationrevision SET "values" = %s WHERE id = %s', [raw, revision.pk]
        )
    labels = snapshot_read(project_id=project.pk, filters={}).labels
    by_field = dict(zip(labels["field"], labels["value_json"], strict=True))
    assert json.loads(by_field["valence_trace"])["samples"] == 3
    assert by_field["emotion"] == '{"distribution":{"happy":0.5,"neutral":0.5}}'
    assert by_field["vad"] == '{"arousal":4,"valence":3}'
    trace = labels.loc[labels["field"] == "valence_trace", "value"].iloc[0]
    assert trace.tolist() == [[0.0, 0.5], [0.1, 1e-05], [0.2, 0.25]]
