"""The label-schema endpoints, including every one of them with a foreign or forbidden id."""

import pytest

from annotation.models import LabelSchema
from annotation.services import schema_publish
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
        }
    ]
}


def url(project, suffix: str = "") -> str:
    return f"/api/projects/{project.pk}/schema/{suffix}"


def test_templates_are_listed_with_their_definitions(owner_client):
    response = owner_client.get("/api/schema-templates/")
    assert response.status_code == 200
    by_slug = {t["slug"]: t for t in response.json()}
    assert len(by_slug) == 10
    sewa = by_slug["sewa-continuous"]
    assert sewa["title"] and sewa["description"] and "SEWA" in sewa["citation"]
    assert sewa["definition"]["fields"][0]["kind"] == "trace"


def test_templates_need_a_signed_in_user(client):
    assert client.get("/api/schema-templates/").status_code in (401, 403)


def test_a_project_without_a_schema_says_so(owner_client, project):
    response = owner_client.get(url(project))
    assert response.status_code == 404
    assert response.json() == {"detail": "This project has no label schema yet."}


def test_owner_publishes_a_definition(owner_client, project):
    response = owner_client.post(url(project), {"definition": DEFINITION, "note": "first"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["definition"], body["note"], body["created_by"]) == (
        1,
        DEFINITION,
        "first",
        "owner",
    )
    assert owner_client.get(url(project)).json()["version"] == 1


def test_owner_publishes_a_template_in_one_click(owner_client, project):
    response = owner_client.post(url(project), {"template": "sewa-continuous"}, format="json")
    assert response.status_code == 201
    assert response.json()["template"] == "sewa-continuous"
    assert [f["name"] for f in response.json()["definition"]["fields"]] == ["valence", "arousal", "liking"]


def test_republishing_unchanged_returns_the_current_version(owner_client, project):
    owner_client.post(url(project), {"definition": DEFINITION}, format="json")
    response = owner_client.post(url(project), {"definition": DEFINITION}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 1


def test_invalid_definition_gets_400_with_every_error(owner_client, project):
    bad = {
        "fields": [
            {
                "name": "emotion",
                "kind": "categorical",
                "scope": "item",
                "mode": "soft",
                "classes": [{"id": "joy"}, {"id": "joy"}],
            },
            {"name": "x", "kind": "slider"},
        ]
    }
    response = owner_client.post(url(project), {"definition": bad}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The label schema has 3 problem(s)."
    assert body["errors"] == [
        {"path": "fields[0].classes[1].id", "message": "duplicate class id 'joy' (first used at index 0)"},
        {
            "path": "fields[0].classes[1].label",
            "message": "duplicate class label 'joy' (first used at index 0)",
        },
        {
            "path": "fields[1].kind",
            "message": "unknown kind 'slider'; expected one of: "
            "categorical, dimensional, segments, trace, facs, text",
        },
    ]
    assert not LabelSchema.objects.exists()


def test_request_shape_errors_are_400(owner_client, project):
    both = owner_client.post(url(project), {"definition": DEFINITION, "template": "ekman-7"}, format="json")
    assert both.status_code == 400
    assert both.json() == {
        "non_field_errors": ["Send either 'definition' or 'template' (exactly one of them)."]
    }
    assert owner_client.post(url(project), {}, format="json").status_code == 400
    unknown = owner_client.post(url(project), {"template": "nope"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["path"] == "template"
    not_object = owner_client.post(url(project), {"definition": "fields"}, format="json")
    assert not_object.status_code == 400
    assert not_object.json()["errors"] == [
        {"path": "", "message": "a label schema must be an object, got a string"}
    ]


def test_removal_needs_a_mapping_then_versions_are_listed(owner_client, project):
    owner_client.post(url(project), {"definition": DEFINITION}, format="json")
    changed = {"fields": [{**DEFINITION["fields"][0], "classes": [{"id": "joy"}, {"id": "rage"}]}]}
    refused = owner_client.post(url(project), {"definition": changed}, format="json")
    assert refused.status_code == 400
    assert refused.json()["unmapped"] == ["emotion.anger"]
    assert refused.json()["errors"][0]["path"] == 'class_mapping["emotion.anger"]'

    accepted = owner_client.post(
        url(project),
        {"definition": changed, "class_mapping": {"emotion.anger": "rage"}, "note": "anger is rage now"},
        format="json",
    )
    assert accepted.status_code == 201
    assert accepted.json()["class_mapping"] == {"emotion.anger": "rage"}

    versions = owner_client.get(url(project, "versions/")).json()
    assert [(v["version"], v["class_mapping"]) for v in versions] == [(2, {"emotion.anger": "rage"}), (1, {})]
    one = owner_client.get(url(project, "versions/1/"))
    assert one.status_code == 200 and one.json()["definition"] == DEFINITION
    assert owner_client.get(url(project, "versions/9/")).status_code == 404


def test_members_read_but_only_owners_publish(project, owner, manager, annotator, reviewer):
    schema_publish(project=project, definition=DEFINITION, user=owner)
    for user in (manager, annotator, reviewer):
        client = client_for(user)
        assert client.get(url(project)).status_code == 200
        assert client.get(url(project, "versions/")).status_code == 200
        assert client.get(url(project, "versions/1/")).status_code == 200
        response = client.post(url(project), {"template": "ekman-7"}, format="json")
        assert response.status_code == 403, user.username
    assert LabelSchema.objects.filter(project=project).count() == 1


def test_outsiders_get_404_everywhere(project, owner, outsider):
    schema_publish(project=project, definition=DEFINITION, user=owner)
    client = client_for(outsider)
    for path in (url(project), url(project, "versions/"), url(project, "versions/1/")):
        assert client.get(path).status_code == 404, path
    assert client.post(url(project), {"template": "ekman-7"}, format="json").status_code == 404
    assert LabelSchema.objects.filter(project=project).count() == 1


def test_an_owner_of_another_project_cannot_reach_this_one(project, owner):
    stranger = UserFactory(username="stranger")
    ProjectFactory(created_by=stranger)
    schema_publish(project=project, definition=DEFINITION, user=owner)
    client = client_for(stranger)
    assert client.get(url(project)).status_code == 404
    assert client.post(url(project), {"definition": DEFINITION}, format="json").status_code == 404


def test_schema_endpoints_are_in_the_openapi_document(owner_client):
    schema = owner_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (
        "/api/schema-templates/",
        "/api/projects/{project_id}/schema/",
        "/api/projects/{project_id}/schema/versions/",
        "/api/projects/{project_id}/schema/versions/{version}/",
    ):
        assert path in schema["paths"], path
    assert "400" in schema["paths"]["/api/projects/{project_id}/schema/"]["post"]["responses"]
