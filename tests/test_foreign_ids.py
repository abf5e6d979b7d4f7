"""Every /api/ route and browser page with a path parameter, called with ids of another project.

The routes come from the URL resolver, so an endpoint added later is swept automatically. Each
path parameter is filled by ``FILLERS`` with an object of a second project; a route whose
parameter has no filler fails ``test_every_api_parameter_can_be_filled`` with the route and the
parameter named, so no endpoint can join the API unchecked. A member of the first project must
get 404 (or 405 for a method the view does not have), never a 2xx or a 500; inside their own
project (project id theirs, the other ids foreign) a 403 for a missing capability is also fine.

The browser pages (every routed path outside /api/ and the staff-only /admin/) are swept the
same way with a signed-in session, because they are separate views that look objects up
themselves: a foreign id must give 404, and an annotator must not open another annotator's
labeling page. Each page must also render (200) for the project's owner with the owner's own
ids, so a 404 in the sweep means "refused", not "broken"; a page parameter needs an entry in
both ``FILLERS`` and ``HOME_FILLERS``.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from annotation.models import Assignment, GoldItem
from annotation.services import schema_publish
from annotation.services.annotations import annotation_save
from annotation.services.assignments import annotation_settings_set, assignments_generate
from ingest.models import AssetStatus, ChunkedUpload, MediaAsset
from projects.models import Membership, Role
from projects.services import membership_set
from tests.conftest import client_for
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
DEFINITION = {
    "fields": [
        {
            "name": "emotion",
            "kind": "categorical",
            "scope": "item",
            "mode": "hard",
            "classes": [{"id": "joy"}, {"id": "anger"}],
        }
    ]
}
SECOND_DEFINITION = {
    "fields": [*DEFINITION["fields"], {"name": "why", "kind": "text", "scope": "item", "required": False}]
}


def _walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def api_routes() -> list[str]:
    """Every route under /api/ (as written in the URLconf, e.g. ``api/media/<int:asset_id>/``)."""
    return sorted({route for route, _ in _walk(get_resolver().url_patterns) if route.startswith("api/")})


def parameters(route: str) -> list[str]:
    return [m.group("name") for m in PARAMETER.finditer(route)]


ROUTES_WITH_PARAMETERS = [route for route in api_routes() if parameters(route)]


@dataclass
class World:
    """Project ``home`` with two annotators, and project ``other`` holding one of everything."""

    home: object
    home_owner: object
    first: object  # annotator of home
    second: object  # annotator of home
    first_assignment: Assignment
    foreign: dict[str, object] = field(default_factory=dict)
    own: dict[str, object] = field(default_factory=dict)  # the home project's objects, for pages


def _item(project, n: int) -> MediaAsset:
    text = f"item {n} of project {project.pk}"
    return MediaAsset.objects.create(
        project=project,
        kind="text",
        status=AssetStatus.READY,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def _save(assignment: Assignment, values: dict) -> None:
    annotation_save(
        assignment_id=assignment.pk,
        author=assignment.annotator,
        base_revision=None,
        values=values,
        submit=True,
        idempotency_key=str(uuid.uuid4()),
    )


def _other_project() -> dict[str, object]:
    from models_zoo.models import PrelabelJob, Track
    from releases.models import DatasetVersion

    owner = UserFactory(username="other-owner")
    other = ProjectFactory(created_by=owner)
    schema_publish(project=other, definition=DEFINITION, user=owner)
    schema_publish(project=other, definition=SECOND_DEFINITION, user=owner)  # version 2 exists only here
    annotation_settings_set(project=other, overlap=1, strategy="round_robin")
    worker = UserFactory(username="other-annotator")
    membership_set(project=other, user=worker, role=Role.ANNOTATOR)
    asset = _item(other, 1)
    assignments_generate(project=other)
    assignment = Assignment.objects.get(project=other)
    _save(assignment, {"emotion": {"class": "joy"}})
    GoldItem.objects.create(project=other, item=asset, values={"emotion": {"class": "joy"}}, schema_version=2)
    job = PrelabelJob.objects.create(asset=asset, prelabeler="face", version="1", params_hash="0" * 64)
    track = Track.objects.create(
        asset=asset,
        job=job,
        kind="face_boxes",
        prelabeler="face",
        version="1",
        storage_key="tracks/x.parquet",
    )
    upload = ChunkedUpload.objects.create(
        project=other, created_by=owner, original_name="a.mp4", size_bytes=10
    )
    release = DatasetVersion.objects.create(project=other, version="1.0.0", created_by=owner)
    return {
        "project": other,
        "membership": Membership.objects.get(project=other, user=worker),
        "asset": asset,
        "assignment": assignment,
        "job": job,
        "track": track,
        "upload": upload,
        "release": release,
    }


# How to fill each path parameter with something of the other project. A new parameter name in
# an /api/ route needs an entry here (and, if it names a new kind of object, one in _other_project).
FILLERS: dict[str, Callable[[dict[str, object]], str]] = {
    "project_id": lambda f: str(f["project"].pk),
    "membership_id": lambda f: str(f["membership"].pk),
    "asset_id": lambda f: str(f["asset"].pk),
    "item_id": lambda f: str(f["asset"].pk),
    "assignment_id": lambda f: str(f["assignment"].pk),
    "version": lambda f: "2",  # a schema version number the home project does not have
    "version_id": lambda f: str(f["release"].pk),
    "job_id": lambda f: str(f["job"].pk),
    "track_id": lambda f: str(f["track"].pk),
    "upload_id": lambda f: str(f["upload"].uid),
    "name": lambda f: "proxy",
    "path": lambda f: "annotations.jsonl",
}


@pytest.fixture
def world(db) -> World:
    home_owner = UserFactory(username="home-owner")
    home = ProjectFactory(created_by=home_owner)
    schema_publish(project=home, definition=DEFINITION, user=home_owner)
    annotation_settings_set(project=home, overlap=2, strategy="round_robin")
    first, second = UserFactory(username="home-first"), UserFactory(username="home-second")
    for user in (first, second):
        membership_set(project=home, user=user, role=Role.ANNOTATOR)
    _item(home, 1)
    assignments_generate(project=home)
    first_assignment = Assignment.objects.get(project=home, annotator=first)
    _save(first_assignment, {"emotion": {"class": "anger"}})
    from releases.models import DatasetVersion

    own = {
        "project": home,
        "assignment": first_assignment,
        "release": DatasetVersion.objects.create(project=home, version="1.0.0", created_by=home_owner),
    }
    return World(home, home_owner, first, second, first_assignment, _other_project(), own)


def fill(route: str, values: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        return values[match.group("name")]

    return "/" + PARAMETER.sub(replace, route)


def call(client, method: str, url: str):
    return getattr(client, method)(url, {}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def sweep(client, url: str, allowed: set[int]) -> list[str]:
    problems = []
    for method in METHODS:
        response = call(client, method, url)
        if response.status_code not in allowed:
            problems.append(
                f"{method.upper()} {url} -> {response.status_code} (expected one of {sorted(allowed)})"
            )
    return problems


def test_every_api_parameter_can_be_filled():
    missing = [
        f"{route}: path parameter '{name}'"
        for route in ROUTES_WITH_PARAMETERS
        for name in parameters(route)
        if name not in FILLERS
    ]
    assert not missing, (
        "These /api/ routes take a path parameter that tests/test_foreign_ids.py cannot fill, so their "
        "foreign-id behaviour is unchecked. Add each parameter to FILLERS (with an object of the other "
        "project, created in _other_project):\n  " + "\n  ".join(missing)
    )


def test_the_sweep_sees_the_routes_it_is_meant_to_guard():
    names = {name for route in ROUTES_WITH_PARAMETERS for name in parameters(route)}
    assert {"project_id", "asset_id", "assignment_id", "upload_id", "track_id", "item_id"} <= names
    assert len(ROUTES_WITH_PARAMETERS) >= 20


@pytest.mark.parametrize("route", ROUTES_WITH_PARAMETERS)
def test_foreign_ids_look_like_missing_ones(world, route):
    if any(name not in FILLERS for name in parameters(route)):
        pytest.fail(
            f"{route} has a path parameter with no filler; see test_every_api_parameter_can_be_filled"
        )
    foreign = {name: FILLERS[name](world.foreign) for name in parameters(route)}
    problems = []
    for user in (world.first, world.home_owner):
        problems += [
            f"{user.username}: {p}" for p in sweep(client_for(user), fill(route, foreign), {404, 405})
        ]
    if "project_id" in foreign and len(foreign) > 1:
        # the caller's own project with another project's object: still nothing to see or change
        mixed = foreign | {"project_id": str(world.home.pk)}
        for user in (world.first, world.home_owner):
            found = sweep(client_for(user), fill(route, mixed), {403, 404, 405})
            problems += [f"{user.username}: {p}" for p in found]
    assert not problems, "\n".join(problems)


ASSIGNMENT_ROUTES = [route for route in ROUTES_WITH_PARAMETERS if "assignment_id" in parameters(route)]


@pytest.mark.parametrize("route", ASSIGNMENT_ROUTES)
def test_annotators_cannot_reach_each_others_assignments(world, route):
    url = fill(route, {"assignment_id": str(world.first_assignment.pk)})
    problems = sweep(client_for(world.second), url, {404, 405})
    assert not problems, "\n".join(problems)
    own = call(client_for(world.first), "get", url)
    assert own.status_code in (200, 405), f"the assignee should reach {url}: {own.status_code}"


def test_the_second_annotator_cannot_see_the_first_ones_labels_in_their_own_lists(world):
    client = client_for(world.second)
    queue = client.get(f"/api/projects/{world.home.pk}/queue/").json()
    assert {row["annotator"] for row in queue} == {world.second.username}
    assert world.first_assignment.pk not in {row["id"] for row in queue}
    nxt = client.get(f"/api/projects/{world.home.pk}/queue/next/").json()
    assert nxt["assignment"]["annotator"] == world.second.username
    assert nxt["latest"] is None  # the first annotator saved "anger" on the same item


# ----------------------------------------------------------------------------- browser pages


def page_routes() -> list[str]:
    """Every routed page with a path parameter outside /api/ and the staff-only /admin/."""
    return sorted(
        {
            route
            for route, _ in _walk(get_resolver().url_patterns)
            if not route.startswith(("api/", "admin/")) and parameters(route)
        }
    )


PAGE_ROUTES = page_routes()

# How to fill a page's path parameter with the home project's own object, which its owner must
# be able to open; a new page parameter needs an entry here as well as in FILLERS.
HOME_FILLERS: dict[str, Callable[[dict[str, object]], str]] = {
    "project_id": lambda o: str(o["project"].pk),
    "assignment_id": lambda o: str(o["assignment"].pk),
    "version_id": lambda o: str(o["release"].pk),
}


def browser_for(user) -> Client:
    """A signed-in browser session: the pages use Django's session login, not API tokens."""
    client = Client()
    client.force_login(user)
    return client


def page_sweep(client: Client, url: str, allowed: set[int]) -> list[str]:
    problems = []
    for method in METHODS:
        status = getattr(client, method)(url).status_code
        if status not in allowed:
            problems.append(f"{method.upper()} {url} -> {status} (expected one of {sorted(allowed)})")
    return problems


def test_every_page_parameter_can_be_filled():
    missing = [
        f"{route}: path parameter '{name}' (missing from {table})"
        for route in PAGE_ROUTES
        for name in parameters(route)
        for table, fillers in (("FILLERS", FILLERS), ("HOME_FILLERS", HOME_FILLERS))
        if name not in fillers
    ]
    assert not missing, (
        "These pages take a path parameter that tests/test_foreign_ids.py cannot fill, so their "
        "foreign-id behaviour is unchecked:\n  " + "\n  ".join(missing)
    )


def test_the_page_sweep_sees_the_pages_it_is_meant_to_guard():
    assert {
        "projects/<int:project_id>/",
        "projects/<int:project_id>/label/",
        "projects/<int:project_id>/review/",
        "projects/<int:project_id>/releases/",
        "releases/<int:version_id>/report/",
        "assignments/<int:assignment_id>/label/",
    } <= set(PAGE_ROUTES)


def _page_fill(route: str, fillers: dict, objects: dict[str, object]) -> str:
    names = parameters(route)
    if any(name not in fillers for name in names):
        pytest.fail(
            f"{route} has a path parameter with no filler; see test_every_page_parameter_can_be_filled"
        )
    return fill(route, {name: fillers[name](objects) for name in names})


@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_pages_open_for_the_owner_with_their_own_ids(world, route):
    url = _page_fill(route, HOME_FILLERS, world.own)
    response = browser_for(world.home_owner).get(url)
    assert response.status_code == 200, f"{url} -> {response.status_code}"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"], url


@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_foreign_ids_in_pages_look_like_missing_ones(world, route):
    url = _page_fill(route, FILLERS, world.foreign)
    outsider = UserFactory(username="no-projects")
    problems = []
    for user in (world.first, world.home_owner, outsider):
        problems += [f"{user.username}: {p}" for p in page_sweep(browser_for(user), url, {404, 405})]
    assert not problems, "\n".join(problems)


ASSIGNMENT_PAGES = [route for route in PAGE_ROUTES if "assignment_id" in parameters(route)]


@pytest.mark.parametrize("route", ASSIGNMENT_PAGES)
def test_annotators_cannot_open_each_others_assignment_pages(world, route):
    url = fill(route, {"assignment_id": str(world.first_assignment.pk)})
    problems = page_sweep(browser_for(world.second), url, {404, 405})
    assert not problems, "\n".join(problems)
    for user in (world.first, world.home_owner):  # the assignee, and the owner who reviews it
        status = browser_for(user).get(url).status_code
        assert status == 200, f"{user.username} should open {url}: {status}"


def test_an_annotator_is_refused_the_review_page_of_their_own_project(world):
    response = browser_for(world.first).get(f"/projects/{world.home.pk}/review/")
    assert response.status_code == 403
