"""Label values read as JSON text from the database: canonical traces kept as text, others re-encoded."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.db import connection

from annotation.models import AnnotationRevision
from releases.services.snapshot import canonical_json, canonical_trace, snapshot_read
from tests.releases.test_release_fixtures import labelled_project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "[[0.0,1.0]]",
        "[[0.0,-0.523],[0.1,0.0001],[0.2,-0.0]]",
        "[[1,2,3],[4,5,6]]",
        "[[59.9,12345678901234]]",
        "[[0.5,0]]",
    ],
)
def test_canonical_trace_text_is_parsed_and_is_what_canonical_json_writes(text):
    samples = canonical_trace(text)
    assert samples is not None and not samples.flags.writeable
    assert samples.tolist() == json.loads(text)
    assert canonical_json(json.loads(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "[[0.0, 1.0]]",  # spaces
        "[[0.10,1]]",  # trailing zero
        "[[00.5,1]]",  # leading zero
        "[[-0,1]]",  # an int minus zero reads back as 0
        "[[0.00001,1]]",  # Python writes 1e-05
        "[[1e-05,1]]",  # exponents are left to the general path
        "[[0.1234567890123456,1]]",  # too many digits to be sure it is the shortest form
        "[[0.1,2],[0.2,3,4]]",  # ragged samples
        "[[0.1,2],[0.2,3],[0.3]]",
        "[]",
        "[[]]",
        '[["a",1]]',
        "[[1,2]],[[3,4]]",
    ],
)
def test_anything_not_provably_canonical_is_left_to_json(text):
    assert canonical_trace(text) is None


def test_trace_values_are_read_only_arrays_with_their_canonical_text(project):
    """SQLite gives a JSON member back as stored (canonical here), so traces come as arrays parsed
    straight from the text; PostgreSQL's jsonb text has spaces, so there they are decoded as lists.
    Either way the text carried on is canonical and the value is the same."""
    labelled_project(project, items=2, annotators=2)
    labels = snapshot_read(project_id=project.pk, filters={}).labels
    traces = labels[labels["field"] == "valence_trace"]
    assert len(traces) == 4
    for value, text in zip(traces["value"], traces["value_json"], strict=True):
        if connection.vendor == "sqlite":
            assert isinstance(value, np.ndarray) and value.shape == (100, 2) and not value.flags.writeable
        else:
            assert isinstance(value, list) and len(value) == 100
        assert text == canonical_json(json.loads(text)) and np.asarray(value).tolist() == json.loads(text)
    others = labels[labels["field"] != "valence_trace"]
    assert all(canonical_json(v) == t for v, t in zip(others["value"], others["value_json"], strict=True))


def test_stored_text_that_is_not_canonical_is_decoded_and_encoded_again(project):
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
    assert by_field["valence_trace"] == "[[0.0,0.5],[0.1,1e-05],[0.2,0.25]]"
    assert by_field["emotion"] == '{"distribution":{"happy":0.5,"neutral":0.5}}'
    assert by_field["vad"] == '{"arousal":4,"valence":3}'
    trace = labels.loc[labels["field"] == "valence_trace", "value"].iloc[0]
    assert trace == [[0.0, 0.5], [0.1, 1e-05], [0.2, 0.25]]
