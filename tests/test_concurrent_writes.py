"""Many people saving at once must not see "database is locked" nor get a save stored twice."""

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from rest_framework.authtoken.models import Token

from projects.models import Project
from tests.factories import UserFactory

CONCURRENT_CLIENTS = 50


def _post_project(base_url: str, token: str, name: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - http to the local live server
        f"{base_url}/api/projects/",
        data=json.dumps({"name": name}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local live server
        return response.status


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_writers_all_succeed_exactly_once(live_server):
    users = [UserFactory(username=f"annotator{i}") for i in range(CONCURRENT_CLIENTS)]
    tokens = [Token.objects.create(user=user).key for user in users]
    with ThreadPoolExecutor(max_workers=CONCURRENT_CLIENTS) as pool:
        statuses = list(
            pool.map(lambda i: _post_project(live_server.url, tokens[i], f"p{i}"), range(CONCURRENT_CLIENTS))
        )
    assert statuses == [201] * CONCURRENT_CLIENTS
    assert Project.objects.count() == CONCURRENT_CLIENTS
    assert sorted(Project.objects.values_list("name", flat=True)) == sorted(f"p{i}" for i in range(50))
