"""Gold items: who may mark them, how they reach every queue unannounced, and accuracy on them."""

import json
import uuid

import pytest

from annotation.models import Assignment, GoldItem
from annotation.selectors import assignment_queue
from annotation.services import schema_publish
from tests.annotation.test_assignments import generate, make_annotators, make_items, setup_project
from tests.conftest import client_for
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def gold_url(project, item_id=None) -> str:
    base = f"/api/projects/{project.pk}/gold/"
    return base if item_id is None else f"{base}{item_id}/"


def mark(project, item, values, user=None):
    return client_for(user or project.created_by).post(
        gold_url(project), {"item": item.pk, "values": values}, format="json"
    )


def save(user, assignment, values, base=None, submit=True):
    return client_for(user).put(
        f"/api/assignments/{assignment.pk}/annotation/",
        {"base_revision": base, "values": values, "submit": submit},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


@pytest.fixture
def labeled(project):
    setup_project(project, overlap=1)
    return make_items(project, 4)


def test_owner_marks_reads_changes_and_unmarks(project, labeled):
    item = labeled[0]
    created = mark(project, item, {"emotion": {"class": "joy"}})
    assert created.status_code == 201, created.content
    assert created.json() | {"created_at": None, "updated_at": None} == {
        "item": item.pk,
        "values": {"emotion": {"class": "joy"}},
        "schema_version": 1,
        "created_by": "owner",
        "created_at": None,
        "updated_at": None,
    }
    client = client_for(project.created_by)
    assert [g["item"] for g in client.get(gold_url(project)).json()] == [item.pk]
    changed = client.put(
        gold_url(project, item.pk), {"values": {"emotion": {"class": "anger"}}}, format="json"
    )
    assert changed.status_code == 200
    assert client.get(gold_url(project, item.pk)).json()["values"] == {"emotion": {"class": "anger"}}
    assert client.delete(gold_url(project, item.pk)).status_code == 204
    assert client.get(gold_url(project, item.pk)).status_code == 404
    assert not GoldItem.objects.exists()


def test_managers_may_manage_gold(project, labeled, manager):
    assert mark(project, labeled[0], {"emotion": {"class": "joy"}}, manager).status_code == 201
    assert client_for(manager).get(gold_url(project)).status_code == 200


def test_marking_twice_is_a_conflict(project, labeled):
    mark(project, labeled[0], {"emotion": {"class": "joy"}})
    again = mark(project, labeled[0], {"emotion": {"class": "anger"}})
    assert again.status_code == 409
    assert GoldItem.objects.get().values == {"emotion": {"class": "joy"}}


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"emotion": {"class": "boredom"}}, "emotion"),
        ({"mood": {"class": "joy"}}, "mood"),
        ("joy", ""),
        ({}, "values"),
    ],
)
def test_values_are_checked_against_the_schema(project, labeled, values, path):
    response = mark(project, labeled[0], values)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    assert any(e["path"].startswith(path) for e in body["errors"]), body
    assert not GoldItem.objects.exists()


def test_a_partial_answer_is_allowed(project, labeled):
    # "emotion" is required for a submitted annotation, but a gold answer may give only some fields
    assert mark(project, labeled[0], {"why": "because"}).status_code == 201


def test_items_of_another_project_or_unknown_are_refused(project, labeled):
    other = ProjectFactory()
    (foreign,) = make_items(other, 1)
    response = mark(project, foreign, {"emotion": {"class": "joy"}})
    assert response.status_code == 400 and response.json()["errors"][0]["path"] == "item"
    bad = client_for(project.created_by).post(gold_url(project), {"item": "x", "values": {}}, format="json")
    assert bad.status_code == 400


def test_a_project_without_schema_cannot_store_gold(project):
    (item,) = make_items(project, 1)
    response = mark(project, item, {"emotion": {"class": "joy"}})
    assert response.status_code == 400
    assert "schema" in response.json()["detail"]


@pytest.mark.parametrize("role", ["annotator", "reviewer"])
def test_annotators_and_reviewers_get_403_whether_or_not_the_item_is_gold(project, labeled, role, request):
    user = request.getfixturevalue(role)
    mark(project, labeled[0], {"emotion": {"class": "joy"}})
    client = client_for(user)
    responses = [
        client.get(gold_url(project)),
        client.post(gold_url(project), {"item": labeled[1].pk, "values": {"why": "x"}}, format="json"),
        client.get(f"/api/projects/{project.pk}/gold/accuracy/"),
    ]
    for item in labeled[:2]:  # the first is gold, the second is not: the answers must not differ
        responses += [
            client.get(gold_url(project, item.pk)),
            client.put(gold_url(project, item.pk), {"values": {"why": "x"}}, format="json"),
            client.delete(gold_url(project, item.pk)),
        ]
    assert [r.status_code for r in responses] == [403] * len(responses)
    assert len({r.content for r in responses[3:]}) == 1  # the same refusal for gold and non-gold items
    assert GoldItem.objects.count() == 1


def test_outsiders_get_404(project, labeled, outsider):
    mark(project, labeled[0], {"emotion": {"class": "joy"}})
    client = client_for(outsider)
    assert client.get(gold_url(project)).status_code == 404
    assert client.get(gold_url(project, labeled[0].pk)).status_code == 404
    assert client.get(f"/api/projects/{project.pk}/gold/accuracy/").status_code == 404


def test_gold_items_go_to_every_annotator_regardless_of_k(project):
    setup_project(project, overlap=1)
    items = make_items(project, 6)
    annotators = make_annotators(project, 3)
    for item in items[:2]:
        mark(project, item, {"emotion": {"class": "joy"}})
    result = generate(project)
    assert result == {"created": 4 + 2 * 3, "items_short": 0}
    for item in items[:2]:
        assert set(Assignment.objects.filter(item=item).values_list("annotator_id", flat=True)) == {
            a.pk for a in annotators
        }
    for item in items[2:]:
        assert Assignment.objects.filter(item=item).count() == 1
    assert generate(project) == {"created": 0, "items_short": 0}


def test_gold_marked_later_reaches_everyone_on_the_next_generation(project):
    setup_project(project, overlap=1)
    items = make_items(project, 4)
    annotators = make_annotators(project, 2)
    generate(project)
    mark(project, items[0], {"emotion": {"class": "joy"}})
    assert generate(project)["created"] == 1
    assert Assignment.objects.filter(item=items[0]).count() == len(annotators)


def test_gold_items_are_spread_through_each_queue_not_bunched(project):
    setup_project(project, overlap=1)
    # gold items have the lowest and highest ids, so item order alone would put them first and last
    first_gold = make_items(project, 1)
    regular = make_items(project, 12)
    last_gold = make_items(project, 1)
    gold = first_gold + last_gold
    annotators = make_annotators(project, 2)
    for item in gold:
        mark(project, item, {"emotion": {"class": "joy"}})
    generate(project)
    gold_ids = {item.pk for item in gold}
    for annotator in annotators:
        queue = [a.item_id for a in assignment_queue(project=project, user=annotator)]
        positions = [i for i, item_id in enumerate(queue) if item_id in gold_ids]
        assert len(positions) == 2
        assert 0 < positions[0] and positions[-1] < len(queue) - 1, queue
        assert positions[1] - positions[0] > 1, queue  # not next to each other
        listed = client_for(annotator).get(f"/api/projects/{project.pk}/queue/").json()
        assert [a["item"]["id"] for a in listed] == queue
        assert queue == [a.item_id for a in assignment_queue(project=project, user=annotator)]
    assert len(regular) == 12


def test_queue_next_walks_into_the_gold_item_in_its_place(project):
    setup_project(project, overlap=1)
    (gold,) = make_items(project, 1)
    make_items(project, 3)
    (worker,) = make_annotators(project, 1)
    mark(project, gold, {"emotion": {"class": "joy"}})
    generate(project)
    queue = list(assignment_queue(project=project, user=worker))
    seen = []
    for _ in queue:
        body = client_for(worker).get(f"/api/projects/{project.pk}/queue/next/").json()
        current = Assignment.objects.get(pk=body["assignment"]["id"])
        seen.append(current.item_id)
        assert save(worker, current, {"emotion": {"class": "anger"}}).status_code == 201
    assert seen == [a.item_id for a in queue]
    assert seen[0] != gold.pk and gold.pk in seen


def _normalised(body, texts: dict[str, str]):
    """The response with what legitimately differs between two items (ids, texts, times) masked."""
    if isinstance(body, dict):
        out = {}
        for key, value in body.items():
            if key.endswith("_at") and value is not None:
                out[key] = "<time>"
            elif key in ("id", "item", "previous", "next", "assignment") and isinstance(value, int):
                out[key] = "<id>"
            else:
                out[key] = _normalised(value, texts)
        return out
    if isinstance(body, list):
        return [_normalised(v, texts) for v in body]
    if isinstance(body, str):
        return texts.get(body, body)
    return body


def test_annotators_cannot_tell_gold_from_other_items(project):
    setup_project(project, overlap=2)
    items = make_items(project, 5)
    gold_item = items[0]
    first, second = make_annotators(project, 2)
    mark(project, gold_item, {"emotion": {"class": "joy"}})
    generate(project)
    client = client_for(first)
    queue = list(assignment_queue(project=project, user=first))
    gold_a = next(a for a in queue if a.item_id == gold_item.pk)
    # a regular item that also sits inside the queue, so both have a previous and a next one
    plain_a = next(a for a in queue[1:-1] if a.item_id != gold_item.pk)
    texts = dict.fromkeys([item.text for item in items], "<text>")

    def views(assignment) -> dict:
        base = f"/api/assignments/{assignment.pk}"
        save(first, assignment, {"emotion": {"class": "anger"}}, submit=False)
        return {
            "annotation": client.get(f"{base}/annotation/").json(),
            "workspace": client.get(f"{base}/workspace/").json(),
            "save": save(first, assignment, {"emotion": {"class": "joy"}}, base=1, submit=True).json(),
        }

    seen = {"gold": views(gold_a), "plain": views(plain_a)}
    queue = client.get(f"/api/projects/{project.pk}/queue/").json()
    by_assignment = {row["id"]: row for row in queue}
    seen["gold"]["queue_row"] = by_assignment[gold_a.pk]
    seen["plain"]["queue_row"] = by_assignment[plain_a.pk]
    for body in seen.values():
        assert "gold" not in json.dumps(body).lower()
        for part in body.values():
            assert not (isinstance(part, dict) and part.get("detail")), part
    gold_view = _normalised(seen["gold"], texts)
    plain_view = _normalised(seen["plain"], texts)
    # progress differs only by how much was done when each was read; compare everything else
    for view in (gold_view, plain_view):
        view["workspace"].pop("progress", None)
    for endpoint, body in gold_view.items():
        for key in body.keys() | plain_view[endpoint].keys():
            assert body.get(key) == plain_view[endpoint].get(key), (endpoint, key)
    next_body = client_for(second).get(f"/api/projects/{project.pk}/queue/next/").json()
    assert "gold" not in json.dumps(next_body).lower()


def test_accuracy_per_annotator_and_field(project, manager):
    definition = {
        "fields": [
            {
                "name": "emotion",
                "kind": "categorical",
                "scope": "item",
                "mode": "hard",
                "classes": [{"id": "joy"}, {"id": "anger"}],
            },
            {
                "name": "vad",
                "kind": "dimensional",
                "scope": "item",
                "required": False,
                "ratings": [{"name": "valence", "min": 1, "max": 9, "step": 1}],
            },
            {"name": "why", "kind": "text", "scope": "item", "required": False},
        ]
    }
    schema_publish(project=project, definition=definition, user=project.created_by)
    gold_one, gold_two, plain = make_items(project, 3)
    good, poor, idle = make_annotators(project, 3)
    mark(project, gold_one, {"emotion": {"class": "joy"}, "vad": {"valence": 7}, "why": "smiles"})
    mark(project, gold_two, {"emotion": {"class": "anger"}})
    generate(project)

    def submit(user, item, values):
        response = save(user, Assignment.objects.get(item=item, annotator=user), values)
        assert response.status_code == 201, response.content

    submit(good, gold_one, {"emotion": {"class": "joy"}, "vad": {"valence": 8}, "why": "x"})
    submit(good, gold_two, {"emotion": {"class": "anger"}})
    submit(poor, gold_one, {"emotion": {"class": "anger"}, "vad": {"valence": 3}})
    submit(poor, gold_two, {"emotion": {"class": "anger"}})
    draft = save(
        idle,
        Assignment.objects.get(item=gold_one, annotator=idle),
        {"emotion": {"class": "joy"}},
        submit=False,
    )
    assert draft.status_code == 201  # drafts are not answers yet
    mine = Assignment.objects.filter(item=plain).first()
    submit(mine.annotator, plain, {"emotion": {"class": "joy"}})  # not gold: not scored

    body = client_for(manager).get(f"/api/projects/{project.pk}/gold/accuracy/").json()
    assert body["gold_items"] == 2
    rows = {row["annotator"]: row for row in body["annotators"]}
    assert set(rows) == {good.username, poor.username}
    assert rows[good.username] == {
        "annotator": good.username,
        "items": 2,
        "fields": {
            "emotion": {"n": 2, "score": 1.0},
            "vad": {"n": 1, "score": 1.0, "mae": 1.0},
        },
        "overall": {"n": 3, "score": 1.0, "mae": 1.0},
    }
    assert rows[poor.username]["fields"] == {
        "emotion": {"n": 2, "score": 0.5},
        "vad": {"n": 1, "score": 0.0, "mae": 4.0},
    }
    assert rows[poor.username]["overall"]["score"] == pytest.approx(1 / 3)


def test_accuracy_uses_the_latest_submitted_revision(project):
    setup_project(project, overlap=1)
    (gold,) = make_items(project, 1)
    (worker,) = make_annotators(project, 1)
    mark(project, gold, {"emotion": {"class": "joy"}})
    generate(project)
    assignment = Assignment.objects.get()
    assert save(worker, assignment, {"emotion": {"class": "anger"}}).status_code == 201
    assert save(worker, assignment, {"emotion": {"class": "joy"}}, base=1).status_code == 201
    body = client_for(project.created_by).get(f"/api/projects/{project.pk}/gold/accuracy/").json()
    assert body["annotators"][0]["fields"]["emotion"] == {"n": 1, "score": 1.0}
