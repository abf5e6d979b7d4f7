"""Saving annotations: revisions, 409 with both versions, idempotent retries, validation, blindness."""

import uuid

import pytest

from annotation.models import AnnotationRevision, Assignment, AssignmentState
from annotation.services import schema_publish
from tests.annotation.test_assignments import DEFINITION, generate, make_annotators, make_items, setup_project
from tests.conftest import client_for
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(project):
    """One item given to two annotators; returns (first, second, first's assignment, second's)."""
    setup_project(project, overlap=2)
    make_items(project, 1)
    first, second = make_annotators(project, 2)
    generate(project)
    return first, second, Assignment.objects.get(annotator=first), Assignment.objects.get(annotator=second)


def url(assignment) -> str:
    return f"/api/assignments/{assignment.pk}/annotation/"


def save(user, assignment, values, base=None, submit=False, key=None):
    return client_for(user).put(
        url(assignment),
        {"base_revision": base, "values": values, "submit": submit},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
    )


def test_saves_append_revisions_with_their_base(pair):
    first, _, mine, _ = pair
    one = save(first, mine, {"emotion": {"class": "joy"}})
    assert one.status_code == 201, one.content
    assert one.json()["revision"]["number"] == 1 and one.json()["revision"]["based_on"] is None
    two = save(first, mine, {"emotion": {"class": "anger"}}, base=1)
    assert two.status_code == 201
    assert two.json()["revision"] | {"created_at": None} == {
        "number": 2,
        "based_on": 1,
        "values": {"emotion": {"class": "anger"}},
        "submitted": False,
        "author": first.username,
        "created_at": None,
    }
    body = client_for(first).get(url(mine)).json()
    assert body["latest"]["number"] == 2 and body["latest"]["values"] == {"emotion": {"class": "anger"}}
    assert [r["number"] for r in body["history"]] == [2, 1]
    assert body["schema_version"] == 1


def test_a_stale_save_gets_409_with_both_versions_and_stores_nothing(pair):
    first, _, mine, _ = pair
    save(first, mine, {"emotion": {"class": "joy"}})
    save(first, mine, {"emotion": {"class": "anger"}}, base=1)
    stale = save(first, mine, {"emotion": {"class": "joy"}, "why": "smiles"}, base=1)
    assert stale.status_code == 409
    body = stale.json()
    assert body["latest"]["number"] == 2
    assert body["latest"]["values"] == {"emotion": {"class": "anger"}}
    assert body["rejected"] == {
        "base_revision": 1,
        "values": {"emotion": {"class": "joy"}, "why": "smiles"},
        "submit": False,
    }
    assert AnnotationRevision.objects.count() == 2


def test_a_first_save_must_not_claim_a_base_and_a_later_one_must(pair):
    first, _, mine, _ = pair
    assert save(first, mine, {"emotion": {"class": "joy"}}, base=1).status_code == 409
    save(first, mine, {"emotion": {"class": "joy"}})
    conflict = save(first, mine, {"emotion": {"class": "anger"}}, base=None)
    assert conflict.status_code == 409
    assert conflict.json()["latest"]["number"] == 1


def test_a_retry_with_the_same_key_returns_the_stored_revision(pair):
    first, _, mine, _ = pair
    key = "save-123"
    created = save(first, mine, {"emotion": {"class": "joy"}}, key=key)
    retried = save(first, mine, {"emotion": {"class": "joy"}}, key=key)
    assert (created.status_code, retried.status_code) == (201, 200)
    assert retried.json()["revision"] == created.json()["revision"]
    assert AnnotationRevision.objects.count() == 1
    # Still recognised after later saves moved the annotation on.
    save(first, mine, {"emotion": {"class": "anger"}}, base=1)
    assert save(first, mine, {"emotion": {"class": "joy"}}, key=key).json()["revision"]["number"] == 1


def test_the_same_key_with_a_different_body_is_422(pair):
    first, _, mine, _ = pair
    save(first, mine, {"emotion": {"class": "joy"}}, key="k1")
    response = save(first, mine, {"emotion": {"class": "anger"}}, key="k1")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert AnnotationRevision.objects.count() == 1


def test_the_idempotency_key_is_required(pair):
    first, _, mine, _ = pair
    response = client_for(first).put(url(mine), {"base_revision": None, "values": {}}, format="json")
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    long_key = save(first, mine, {}, key="x" * 201)
    assert long_key.status_code == 400


def test_invalid_values_get_400_with_json_paths(pair):
    first, _, mine, _ = pair
    response = save(first, mine, {"emotion": {"class": "sadness"}, "mood": 3})
    assert response.status_code == 400
    paths = {e["path"] for e in response.json()["errors"]}
    assert "mood" in paths
    assert any(p.startswith("emotion") for p in paths)
    assert AnnotationRevision.objects.count() == 0
    assert save(first, mine, "not an object").status_code == 400


def test_submitting_needs_every_required_field_and_marks_the_assignment(pair):
    first, _, mine, _ = pair
    incomplete = save(first, mine, {"why": "unsure"}, submit=True)
    assert incomplete.status_code == 400
    assert {e["path"] for e in incomplete.json()["errors"]} == {"emotion"}
    done = save(first, mine, {"emotion": {"class": "joy"}}, submit=True)
    assert done.status_code == 201
    assert done.json()["assignment_state"] == "submitted"
    mine.refresh_from_db()
    assert mine.state == AssignmentState.SUBMITTED and mine.submitted_at is not None


def test_an_annotation_keeps_the_schema_version_it_was_started_under(pair, project):
    first, _, mine, _ = pair
    save(first, mine, {"emotion": {"class": "joy"}})
    changed = {
        "fields": [
            *DEFINITION["fields"],
            {"name": "note", "kind": "text", "scope": "item", "required": False},
        ]
    }
    schema_publish(project=project, definition=changed, user=project.created_by)
    rejected = save(first, mine, {"emotion": {"class": "joy"}, "note": "new field"}, base=1)
    assert rejected.status_code == 400
    assert client_for(first).get(url(mine)).json()["schema_version"] == 1


def test_annotators_are_blind_to_each_other(pair):
    first, second, mine, theirs = pair
    save(second, theirs, {"emotion": {"class": "anger"}, "why": "secret"})
    assert client_for(first).get(url(theirs)).status_code == 404
    assert save(first, theirs, {"emotion": {"class": "joy"}}, base=1).status_code == 404
    review = client_for(first).post(
        f"/api/assignments/{theirs.pk}/review/", {"action": "accept"}, format="json"
    )
    assert review.status_code == 404
    next_body = client_for(first).get(f"/api/projects/{mine.project_id}/queue/next/").json()
    assert next_body["latest"] is None
    assert "secret" not in str(next_body)


def test_foreign_projects_assignments_are_404_on_every_endpoint(pair, owner_client, project):
    other = ProjectFactory()
    setup_project(other, overlap=1)
    make_items(other, 1)
    (stranger,) = make_annotators(other, 1, prefix="other")
    generate(other)
    foreign = Assignment.objects.get(annotator=stranger)
    save(stranger, foreign, {"emotion": {"class": "joy"}}, submit=True)
    first = pair[0]
    for user in (first, project.created_by):
        client = client_for(user)
        assert client.get(url(foreign)).status_code == 404
        put = client.put(
            url(foreign), {"base_revision": 1, "values": {}}, format="json", HTTP_IDEMPOTENCY_KEY="k"
        )
        assert put.status_code == 404
        post = client.post(f"/api/assignments/{foreign.pk}/review/", {"action": "accept"}, format="json")
        assert post.status_code == 404
    missing = client_for(first).get("/api/assignments/999999/annotation/")
    assert missing.status_code == 404
    assert AnnotationRevision.objects.filter(annotation__assignment=foreign).count() == 1


def test_reviewers_read_all_annotations_but_cannot_save_them(pair, reviewer):
    first, _, mine, _ = pair
    save(first, mine, {"emotion": {"class": "joy"}})
    client = client_for(reviewer)
    assert client.get(url(mine)).json()["latest"]["values"] == {"emotion": {"class": "joy"}}
    assert save(reviewer, mine, {"emotion": {"class": "anger"}}, base=1).status_code == 403


def test_annotators_cannot_review(pair):
    first, _, mine, _ = pair
    save(first, mine, {"emotion": {"class": "joy"}}, submit=True)
    response = client_for(first).post(
        f"/api/assignments/{mine.pk}/review/", {"action": "accept"}, format="json"
    )
    assert response.status_code == 403


def test_reject_returns_the_item_to_the_annotator_with_the_comment(pair, reviewer, project):
    first, _, mine, _ = pair
    save(first, mine, {"emotion": {"class": "anger"}}, submit=True)
    review_url = f"/api/assignments/{mine.pk}/review/"
    no_comment = client_for(reviewer).post(review_url, {"action": "reject"}, format="json")
    assert no_comment.status_code == 409
    rejected = client_for(reviewer).post(
        review_url, {"action": "reject", "comment": "listen again"}, format="json"
    )
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    queued = client_for(first).get(f"/api/projects/{project.pk}/queue/next/").json()
    assert queued["assignment"]["id"] == mine.pk
    assert queued["assignment"]["review_comment"] == "listen again"
    assert queued["latest"]["values"] == {"emotion": {"class": "anger"}}
    fixed = save(first, mine, {"emotion": {"class": "joy"}}, base=1, submit=True)
    assert fixed.status_code == 201 and fixed.json()["assignment_state"] == "submitted"
    accepted = client_for(reviewer).post(review_url, {"action": "accept"}, format="json")
    assert accepted.json()["state"] == "accepted"
    locked = save(first, mine, {"emotion": {"class": "anger"}}, base=2)
    assert locked.status_code == 409
    assert "accepted" in locked.json()["detail"]


def test_accepting_unsubmitted_work_is_refused(pair, reviewer):
    _, _, mine, _ = pair
    response = client_for(reviewer).post(
        f"/api/assignments/{mine.pk}/review/", {"action": "accept"}, format="json"
    )
    assert response.status_code == 409
    assert "assigned" in response.json()["detail"]


def test_adjudication_stores_the_reviewers_values_as_a_new_revision(pair, project):
    first, _, mine, _ = pair
    save(first, mine, {"emotion": {"class": "anger"}}, submit=True)
    owner = client_for(project.created_by)
    review_url = f"/api/assignments/{mine.pk}/review/"
    invalid = owner.post(
        review_url, {"action": "adjudicate", "values": {"emotion": {"class": "x"}}}, format="json"
    )
    assert invalid.status_code == 400 and invalid.json()["errors"]
    response = owner.post(
        review_url,
        {"action": "adjudicate", "comment": "final", "values": {"emotion": {"class": "joy"}}},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == "adjudicated"
    body = owner.get(url(mine)).json()
    assert body["latest"]["number"] == 2 and body["latest"]["author"] == project.created_by.username
    assert [r["author"] for r in body["history"]] == [project.created_by.username, first.username]


def test_saving_without_a_schema_is_refused_clearly(project):
    make_items(project, 1)
    (worker,) = make_annotators(project, 1)
    generate(project)
    assignment = Assignment.objects.get()
    response = save(worker, assignment, {"emotion": {"class": "joy"}})
    assert response.status_code == 409
    assert "schema" in response.json()["detail"]


def test_values_only_go_with_adjudication(pair, reviewer):
    first, _, mine, _ = pair
    save(first, mine, {"emotion": {"class": "joy"}}, submit=True)
    response = client_for(reviewer).post(
        f"/api/assignments/{mine.pk}/review/", {"action": "accept", "values": {}}, format="json"
    )
    assert response.status_code == 400
    assert "values" in response.json()
    mine.refresh_from_db()
    assert mine.state == AssignmentState.SUBMITTED


def test_deleting_a_project_removes_its_annotations(pair, project):
    first, _, mine, _ = pair
    save(first, mine, {"emotion": {"class": "joy"}})
    project.delete()
    assert AnnotationRevision.objects.count() == 0
    assert Assignment.objects.count() == 0
