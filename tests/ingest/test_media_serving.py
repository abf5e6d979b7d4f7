"""GET /api/media/{id}/files/{name}/: whole files, single byte ranges, and who may read them."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from ingest.models import AssetStatus, MediaAsset
from ingest.services.processing import asset_normalise, asset_probe
from ingest.services.text_import import Utterance, text_asset_create
from tests.conftest import client_for
from tests.media_samples import MULTIPART, multipart_body

pytestmark = pytest.mark.django_db

DATA = bytes(range(256)) * 8  # 2048 bytes, every offset recognisable
SIZE = len(DATA)


def upload(client, project, content: bytes, name: str = "clip.mp4") -> int:
    body = multipart_body(file_name=name, content=content)
    response = client.generic("POST", f"/api/projects/{project.pk}/media/", body, content_type=MULTIPART)
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def asset_id(owner_client, project) -> int:
    return upload(owner_client, project, DATA)


def url(asset_id: int, name: str = "original") -> str:
    return f"/api/media/{asset_id}/files/{name}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_plain_get_returns_the_whole_file_and_advertises_ranges(owner_client, asset_id):
    response = owner_client.get(url(asset_id))
    assert response.status_code == 200
    assert body(response) == DATA
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(SIZE)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Content-Range" not in response


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=-100", SIZE - 100, SIZE - 1),
        ("bytes=100-", 100, SIZE - 1),
        ("bytes=2000-99999", 2000, SIZE - 1),
        ("bytes=-99999", 0, SIZE - 1),
        ("bytes=2047-2047", 2047, 2047),
        ("Bytes=10-19", 10, 19),
        ("bytes = 10 - 19", 10, 19),
    ],
)
def test_a_single_range_gets_206_with_exactly_those_bytes(owner_client, asset_id, header, start, end):
    response = owner_client.get(url(asset_id), HTTP_RANGE=header)
    assert response.status_code == 206
    assert body(response) == DATA[start : end + 1]
    assert response["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize("header", ["bytes=2048-", "bytes=5000-6000", "bytes=-0"])
def test_an_unsatisfiable_range_gets_416_with_the_size(owner_client, asset_id, header):
    response = owner_client.get(url(asset_id), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert "2048 bytes" in response.json()["detail"]


@pytest.mark.parametrize(
    "header", ["bytes=0-9,20-29", "bytes=0-9, -5", "bytes=9-0", "items=0-9", "bytes=abc"]
)
def test_multi_range_and_malformed_ranges_fall_back_to_the_whole_file(owner_client, asset_id, header):
    response = owner_client.get(url(asset_id), HTTP_RANGE=header)
    assert response.status_code == 200
    assert body(response) == DATA
    assert "Content-Range" not in response


def test_an_unknown_file_name_is_404(owner_client, asset_id):
    for name in ("proxy", "thumbnail", "original.mp4", "derived", "ORIGINAL"):
        response = owner_client.get(url(asset_id, name))
        assert response.status_code == 404, name
        assert response.json()["detail"] == "No such file for this asset."


@pytest.mark.parametrize(
    "name",
    [
        "..",
        "%2E%2E",
        "..%2F..%2Fetc%2Fpasswd",
        "..%2Foriginal",
        "%2Fetc%2Fpasswd",
        "original%00",
        "..%5Coriginal",
    ],
)
def test_path_traversal_in_the_name_is_404(owner_client, asset_id, name):
    response = owner_client.get(f"/api/media/{asset_id}/files/{name}/")
    assert response.status_code == 404
    assert b"root:" not in response.content


def test_a_text_asset_has_no_original_to_serve(owner_client, project):
    asset = text_asset_create(
        project=project, utterance=Utterance(text="hello there"), uploaded_by=None, source_name="t.jsonl"
    ).asset
    assert owner_client.get(url(asset.pk)).status_code == 404


def test_a_file_missing_from_storage_is_404_not_500(owner_client, asset_id):
    default_storage.delete(MediaAsset.objects.get(pk=asset_id).original_file)
    response = owner_client.get(url(asset_id))
    assert response.status_code == 404
    assert "missing" in response.json()["detail"]


def test_only_members_may_read_files(project, asset_id, annotator, reviewer, outsider):
    for member in (annotator, reviewer):
        response = client_for(member).get(url(asset_id), HTTP_RANGE="bytes=0-9")
        assert response.status_code == 206
        assert body(response) == DATA[:10]
    response = client_for(outsider).get(url(asset_id))
    assert response.status_code == 404
    assert response.json()["detail"] == "No such asset."
    assert client_for(outsider).get(url(asset_id), HTTP_RANGE="bytes=0-9").status_code == 404
    assert APIClient().get(url(asset_id)).status_code in (401, 403)


def test_derived_files_are_served_with_their_media_types_and_ranges(owner_client, project, clip_mp4):
    asset_id = upload(owner_client, project, clip_mp4.read_bytes())
    assert asset_probe(asset_id=asset_id)
    asset_normalise(asset_id=asset_id)
    asset = MediaAsset.objects.get(pk=asset_id)
    assert asset.status == AssetStatus.READY, asset.failure_reason
    listed = owner_client.get(f"/api/media/{asset_id}/").json()["files"]
    assert set(listed) == {"original", "proxy", "poster", "audio", "peaks"}
    expected_types = {
        "proxy": "video/mp4",
        "poster": "image/jpeg",
        "audio": "audio/wav",
        "peaks": "application/json",
    }
    for name, content_type in expected_types.items():
        stored = default_storage.open(asset.derived[name]).read()
        response = owner_client.get(listed[name], HTTP_RANGE="bytes=0-15")
        assert response.status_code == 206, name
        assert response["Content-Type"] == content_type
        assert body(response) == stored[:16]
        assert response["Content-Range"] == f"bytes 0-15/{len(stored)}"
        assert "Content-Disposition" not in response
    tail = owner_client.get(listed["proxy"], HTTP_RANGE="bytes=-32")
    assert body(tail) == default_storage.open(asset.derived["proxy"]).read()[-32:]
