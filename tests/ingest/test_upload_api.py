import json

import pytest

from ingest.models import MediaAsset
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def upload(client, project, path, **extra):
    with open(path, "rb") as handle:
        return client.post(
            f"/api/projects/{project.pk}/media/", {"file": handle, **extra}, format="multipart"
        )


def test_upload_returns_the_asset_with_its_sha256(owner_client, project, clip_mp4):
    import hashlib

    response = upload(owner_client, project, clip_mp4, metadata=json.dumps({"subject": "S01"}))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(clip_mp4.read_bytes()).hexdigest()
    assert body["status"] == "received"
    assert body["metadata"] == {"subject": "S01"}


def test_same_bytes_twice_return_the_existing_asset(owner_client, project, clip_mp4):
    first = upload(owner_client, project, clip_mp4).json()
    second = upload(owner_client, project, clip_mp4)
    assert second.status_code == 200
    assert second.json()["id"] == first["id"]
    assert MediaAsset.objects.filter(project=project).count() == 1


def test_annotators_cannot_upload(project, annotator, clip_mp4):
    response = upload(client_for(annotator), project, clip_mp4)
    assert response.status_code == 403
    assert MediaAsset.objects.count() == 0
