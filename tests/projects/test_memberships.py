import pytest

from projects.models import Membership
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def members_url(project) -> str:
    return f"/api/projects/{project.pk}/members/"


def test_owner_adds_an_annotator(owner_client, project):
    UserFactory(username="ann")
    response = owner_client.post(
        members_url(project), {"username": "ann", "role": "annotator"}, format="json"
    )
    assert response.status_code == 201
    assert Membership.objects.get(project=project, user__username="ann").role == "annotator"


def test_an_unknown_role_is_a_clear_400(owner_client, project):
    UserFactory(username="ann")
    response = owner_client.post(members_url(project), {"username": "ann", "role": "boss"}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()


@pytest.mark.parametrize("role_fixture", ["annotator", "reviewer"])
def test_annotators_and_reviewers_cannot_manage_members(request, project, role_fixture):
    user = request.getfixturevalue(role_fixture)
    UserFactory(username="newcomer")
    response = client_for(user).post(
        members_url(project), {"username": "newcomer", "role": "owner"}, format="json"
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_members_list_is_hidden_from_outsiders(project, outsider):
    assert client_for(outsider).get(members_url(project)).status_code == 404


def test_removing_a_member_revokes_access(owner_client, project, annotator):
    membership = Membership.objects.get(project=project, user=annotator)
    assert client_for(annotator).get(f"/api/projects/{project.pk}/").status_code == 200
    response = owner_client.delete(f"{members_url(project)}{membership.pk}/")
    assert response.status_code == 204
    assert client_for(annotator).get(f"/api/projects/{project.pk}/").status_code == 404
