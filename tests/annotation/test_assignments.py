"""Assignment settings and generation (K per item, no duplicates, both strategies) and the queue."""

import hashlib
from collections import Counter

import pytest

from annotation.models import Assignment, AssignmentState
from annotation.services import schema_publish
from ingest.models import AssetStatus, MediaAsset
from projects.models import Role
from projects.services import membership_set
from tests.conftest import client_for
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

DEFINITION = {
    "fields": [
        {
            "name": "emotion",
            "kind": "categorical",
            "scope": "item",
            "mode": "hard",
            "classes": [{"id": "joy"}, {"id": "anger"}],
        },
        {"name": "why", "kind": "text", "scope": "item", "required": False},
    ]
}


def make_items(project, count: int, status: str = AssetStatus.READY) -> list[MediaAsset]:
    items = []
    for _ in range(count):
        n = MediaAsset.objects.count()
        text = f"utterance {n} of {project.pk}"
        items.append(
            MediaAsset.objects.create(
                project=project,
                kind="text",
                status=status,
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    return items


def make_annotators(project, count: int, prefix: str = "ann") -> list:
    users = []
    for i in range(count):
        user = UserFactory(username=f"{prefix}{project.pk}-{i}")
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
        users.append(user)
    return users


def setup_project(project, *, overlap: int, strategy: str = "round_robin") -> None:
    owner = project.created_by
    schema_publish(project=project, definition=DEFINITION, user=owner)
    response = client_for(owner).put(
        f"/api/projects/{project.pk}/annotation-settings/",
        {"overlap": overlap, "strategy": strategy},
        format="json",
    )
    assert response.status_code == 200, response.content


def generate(project, user=None) -> dict:
    response = client_for(user or project.created_by).post(
        f"/api/projects/{project.pk}/assignments/generate/"
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_settings_default_to_one_annotator_round_robin(owner_client, project):
    response = owner_client.get(f"/api/projects/{project.pk}/annotation-settings/")
    assert response.json() == {"overlap": 1, "strategy": "round_robin"}


def test_settings_reject_bad_values(owner_client, project):
    url = f"/api/projects/{project.pk}/annotation-settings/"
    assert owner_client.put(url, {"overlap": 0, "strategy": "round_robin"}, format="json").status_code == 400
    bad_strategy = owner_client.put(url, {"overlap": 2, "strategy": "random"}, format="json")
    assert bad_strategy.status_code == 400
    assert "strategy" in bad_strategy.json()


def test_annotators_and_reviewers_cannot_change_settings_or_generate(project, annotator, reviewer):
    for user in (annotator, reviewer):
        client = client_for(user)
        put = client.put(
            f"/api/projects/{project.pk}/annotation-settings/", {"overlap": 3, "strategy": "round_robin"}
        )
        assert put.status_code == 403
        assert client.post(f"/api/projects/{project.pk}/assignments/generate/").status_code == 403


def test_outsiders_get_404_on_every_project_endpoint(project, outsider):
    client = client_for(outsider)
    for method, suffix in [
        ("get", "annotation-settings/"),
        ("put", "annotation-settings/"),
        ("post", "assignments/generate/"),
        ("get", "assignments/"),
        ("get", "queue/"),
        ("get", "queue/next/"),
    ]:
        response = getattr(client, method)(f"/api/projects/{project.pk}/{suffix}", {}, format="json")
        assert response.status_code == 404, (method, suffix)


def test_each_ready_item_gets_k_distinct_annotators(project, manager):
    setup_project(project, overlap=3)
    items = make_items(project, 7)
    make_items(project, 2, status=AssetStatus.PROBING)
    annotators = make_annotators(project, 4)
    assert generate(project, manager) == {"created": 21, "items_short": 0}
    per_item = Counter(Assignment.objects.values_list("item_id", flat=True))
    assert per_item == {item.pk: 3 for item in items}
    pairs = list(Assignment.objects.values_list("item_id", "annotator_id"))
    assert len(pairs) == len(set(pairs))
    assert set(Assignment.objects.values_list("annotator_id", flat=True)) <= {a.pk for a in annotators}


def test_generation_is_idempotent_and_tops_up_new_items(project):
    setup_project(project, overlap=2)
    make_items(project, 5)
    make_annotators(project, 3)
    assert generate(project)["created"] == 10
    assert generate(project) == {"created": 0, "items_short": 0}
    make_items(project, 1)
    assert generate(project)["created"] == 2
    assert Assignment.objects.count() == 12


def test_round_robin_is_deterministic_and_even(project):
    setup_project(project, overlap=1)
    items = make_items(project, 6)
    annotators = make_annotators(project, 3)
    generate(project)
    got = [Assignment.objects.get(item=item).annotator_id for item in items]
    assert got == [a.pk for a in annotators] * 2


def test_least_loaded_fills_the_emptiest_queue(project):
    setup_project(project, overlap=1, strategy="least_loaded")
    first, second = make_annotators(project, 2)
    make_items(project, 4)
    generate(project)
    assert Counter(Assignment.objects.values_list("annotator_id", flat=True)) == {first.pk: 2, second.pk: 2}
    third = make_annotators(project, 1, prefix="late")[0]
    make_items(project, 3)
    generate(project)
    late = list(Assignment.objects.order_by("-item_id")[:3].values_list("annotator_id", flat=True))
    # The newcomer takes items until level with the others; the tie then goes to the lowest id.
    assert late[::-1] == [third.pk, third.pk, first.pk]


def test_too_few_annotators_never_duplicates(project):
    setup_project(project, overlap=3)
    make_items(project, 2)
    make_annotators(project, 2)
    assert generate(project) == {"created": 4, "items_short": 2}
    assert generate(project) == {"created": 0, "items_short": 2}


def test_queue_next_gives_rejected_work_first_with_item_and_progress(project, reviewer):
    setup_project(project, overlap=1)
    items = make_items(project, 3)
    (worker,) = make_annotators(project, 1)
    generate(project)
    mine = list(Assignment.objects.filter(annotator=worker).order_by("item_id"))
    mine[0].state = AssignmentState.SUBMITTED
    mine[0].save()
    mine[2].state = AssignmentState.REJECTED
    mine[2].review_comment = "joy, not anger"
    mine[2].save()
    client = client_for(worker)
    body = client.get(f"/api/projects/{project.pk}/queue/next/").json()
    assert body["assignment"]["id"] == mine[2].pk
    assert body["assignment"]["review_comment"] == "joy, not anger"
    assert body["assignment"]["item"]["text"] == items[2].text
    assert body["progress"] == {"done": 1, "total": 3}
    assert body["schema_version"] == 1 and body["schema"] == DEFINITION
    assert body["latest"] is None
    listed = client.get(f"/api/projects/{project.pk}/queue/").json()
    assert [a["id"] for a in listed] == [mine[2].pk, mine[0].pk, mine[1].pk]


def test_queue_lists_only_the_callers_own_assignments(project):
    setup_project(project, overlap=2)
    make_items(project, 3)
    first, second = make_annotators(project, 2)
    generate(project)
    listed = client_for(first).get(f"/api/projects/{project.pk}/queue/").json()
    assert len(listed) == 3
    assert {a["annotator"] for a in listed} == {first.username}


def test_an_empty_queue_says_so(project):
    setup_project(project, overlap=1)
    (worker,) = make_annotators(project, 1)
    body = client_for(worker).get(f"/api/projects/{project.pk}/queue/next/").json()
    assert body["assignment"] is None
    assert body["progress"] == {"done": 0, "total": 0}


def test_reviewers_list_every_assignment_but_annotators_cannot(project, reviewer):
    setup_project(project, overlap=2)
    make_items(project, 2)
    first, _ = make_annotators(project, 2)
    generate(project)
    listed = client_for(reviewer).get(f"/api/projects/{project.pk}/assignments/").json()
    assert len(listed) == 4
    filtered = client_for(reviewer).get(f"/api/projects/{project.pk}/assignments/?annotator={first.username}")
    assert len(filtered.json()) == 2
    assert client_for(first).get(f"/api/projects/{project.pk}/assignments/").status_code == 403


def test_other_projects_items_are_never_assigned(project):
    other = ProjectFactory()
    setup_project(project, overlap=1)
    make_items(other, 3)
    make_items(project, 1)
    make_annotators(project, 1)
    assert generate(project)["created"] == 1
    assert set(Assignment.objects.values_list("item__project_id", flat=True)) == {project.pk}


def test_managers_see_progress_per_annotator(project, manager):
    setup_project(project, overlap=1)
    make_items(project, 3)
    first, second = make_annotators(project, 2)
    generate(project)
    done = Assignment.objects.filter(annotator=first).first()
    done.state = AssignmentState.ACCEPTED
    done.save()
    rows = client_for(manager).get(f"/api/projects/{project.pk}/assignments/progress/").json()
    by_name = {row["annotator"]: row for row in rows}
    assert by_name[first.username]["total"] == 2 and by_name[first.username]["done"] == 1
    assert by_name[first.username]["accepted"] == 1 and by_name[first.username]["assigned"] == 1
    assert by_name[second.username] | {"annotator": None} == {
        "annotator": None,
        "total": 1,
        "done": 0,
        "assigned": 1,
        "submitted": 0,
        "accepted": 0,
        "rejected": 0,
        "adjudicated": 0,
    }
    assert client_for(first).get(f"/api/projects/{project.pk}/assignments/progress/").status_code == 403
