import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_creating_a_project_makes_the_creator_its_owner(owner_client):
    response = owner_client.post("/api/projects/", {"name": "SEWA replication"}, format="json")
    assert response.status_code == 201
    assert response.json()["role"] == "owner"
    listed = owner_client.get("/api/projects/").json()
    assert [p["name"] for p in listed] == ["SEWA replication"]


def test_a_user_sees_only_projects_they_belong_to(project, outsider):
    client = client_for(outsider)
    assert client.get("/api/projects/").json() == []
    assert client.get(f"/api/projects/{project.pk}/").status_code == 404


def test_anonymous_requests_are_refused(project, client):
    assert client.get("/api/projects/").status_code in (401, 403)


def test_project_list_costs_the_same_queries_for_many_projects(
    owner, owner_client, django_assert_max_num_queries
):
    from ingest.models import MediaAsset
    from tests.factories import ProjectFactory

    for index in range(20):
        project = ProjectFactory(created_by=owner)
        MediaAsset.objects.create(project=project, sha256=f"{index:064d}", kind="text", text="hi")
    with django_assert_max_num_queries(6):
        listed = owner_client.get("/api/projects/").json()
    assert len(listed) == 20
    assert {p["asset_count"] for p in listed} == {1}
