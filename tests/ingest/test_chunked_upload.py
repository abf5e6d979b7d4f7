"""Resumable chunked uploads: create, send chunks, resume, complete, abort, and who may touch them."""

import hashlib
import json
import socket
import threading
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage
from rest_framework.authtoken.models import Token

from ingest.models import ChunkedUpload, MediaAsset
from ingest.services.chunked import staging_path
from projects.models import Role
from projects.services import membership_set
from tests.conftest import client_for
from tests.media_samples import make_tone_wav

CHUNK = 16_384


def start(client, project, size, **extra):
    body = {"filename": "session-01.mp4", "size": size, **extra}
    return client.post(f"/api/projects/{project.pk}/uploads/", body, format="json")


def put(client, upload_id, data: bytes, first: int, total: int, **headers):
    return client.put(
        f"/api/uploads/{upload_id}/",
        data=data,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes {first}-{first + len(data) - 1}/{total}",
        **headers,
    )


def send_all(client, upload_id, payload: bytes, chunk: int = CHUNK, offset: int = 0):
    response = None
    for first in range(offset, len(payload), chunk):
        response = put(client, upload_id, payload[first : first + chunk], first, len(payload))
        assert response.status_code == 200, response.content
    return response


def staged_bytes(upload_id) -> bytes:
    return staging_path(ChunkedUpload.objects.get(uid=upload_id)).read_bytes()


@pytest.fixture
def payload(clip_mp4) -> bytes:
    data = clip_mp4.read_bytes()
    assert len(data) > 3 * CHUNK, "the sample clip must span several chunks"
    return data


@pytest.mark.django_db
class TestStartingAnUpload:
    def test_it_returns_an_open_upload_at_offset_zero(self, owner_client, project):
        response = start(owner_client, project, 123_456, metadata={"subject": "S01"})
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["offset"] == 0
        assert body["size"] == 123_456
        assert body["status"] == "open"
        assert body["metadata"] == {"subject": "S01"}
        assert response["Location"] == f"/api/uploads/{body['id']}/"
        upload = ChunkedUpload.objects.get(uid=body["id"])
        assert staging_path(upload).stat().st_size == 0

    def test_a_size_over_the_limit_is_413(self, owner_client, project, settings):
        settings.AFFECTLAB_MAX_UPLOAD_BYTES = 10_000
        response = start(owner_client, project, 10_001)
        assert response.status_code == 413
        assert "10,000" in response.json()["detail"]
        assert ChunkedUpload.objects.count() == 0

    @pytest.mark.parametrize("metadata", ["[1, 2]", "{not json", ["a"]])
    def test_bad_metadata_is_400(self, owner_client, project, metadata):
        response = start(owner_client, project, 100, metadata=metadata)
        assert response.status_code == 400
        assert "metadata" in response.json()
        assert ChunkedUpload.objects.count() == 0

    @pytest.mark.parametrize("size", [0, -5, "lots"])
    def test_a_missing_or_bad_size_is_400(self, owner_client, project, size):
        assert start(owner_client, project, size).status_code == 400

    def test_annotators_may_not_and_outsiders_see_no_project(self, project, annotator, outsider):
        assert start(client_for(annotator), project, 100).status_code == 403
        assert start(client_for(outsider), project, 100).status_code == 404


@pytest.mark.django_db
class TestSendingChunks:
    def test_chunks_in_order_become_an_asset_with_the_whole_files_sha256(
        self, owner_client, project, payload
    ):
        upload_id = start(owner_client, project, len(payload), metadata={"session": 1}).json()["id"]
        last = send_all(owner_client, upload_id, payload).json()
        assert last["status"] == "complete"
        assert last["offset"] == len(payload)
        asset = last["asset"]
        assert asset["sha256"] == hashlib.sha256(payload).hexdigest()
        assert asset["size_bytes"] == len(payload)
        assert asset["original_name"] == "session-01.mp4"
        assert asset["metadata"] == {"session": 1}
        stored = MediaAsset.objects.get(pk=asset["id"])
        with default_storage.open(stored.original_file, "rb") as handle:
            assert handle.read() == payload
        assert not staging_path(ChunkedUpload.objects.get(uid=upload_id)).exists()

    def test_get_tells_where_to_resume(self, owner_client, project, payload):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        put(owner_client, upload_id, payload[:CHUNK], 0, len(payload))
        body = owner_client.get(f"/api/uploads/{upload_id}/").json()
        assert (body["offset"], body["status"], body["asset"]) == (CHUNK, "open", None)

    def test_an_out_of_order_chunk_is_409_with_the_offset(self, owner_client, project, payload):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        put(owner_client, upload_id, payload[:CHUNK], 0, len(payload))
        response = put(owner_client, upload_id, payload[2 * CHUNK : 3 * CHUNK], 2 * CHUNK, len(payload))
        assert response.status_code == 409
        assert response.json()["offset"] == CHUNK
        assert staged_bytes(upload_id) == payload[:CHUNK]

    def test_a_chunk_overlapping_the_offset_is_409(self, owner_client, project, payload):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        put(owner_client, upload_id, payload[:CHUNK], 0, len(payload))
        response = put(owner_client, upload_id, payload[CHUNK // 2 : 2 * CHUNK], CHUNK // 2, len(payload))
        assert response.status_code == 409
        assert response.json()["offset"] == CHUNK

    def test_repeating_a_stored_chunk_is_harmless(self, owner_client, project, payload):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        for _ in range(3):
            response = put(owner_client, upload_id, payload[:CHUNK], 0, len(payload))
            assert response.status_code == 200
            assert response.json()["offset"] == CHUNK
        assert staged_bytes(upload_id) == payload[:CHUNK]

    def test_resending_stored_bytes_with_other_content_is_409(self, owner_client, project, payload):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        put(owner_client, upload_id, payload[:CHUNK], 0, len(payload))
        response = put(owner_client, upload_id, b"\0" * CHUNK, 0, len(payload))
        assert response.status_code == 409
        assert response.json()["offset"] == CHUNK
        assert staged_bytes(upload_id) == payload[:CHUNK]

    def test_a_total_that_differs_from_the_declared_size_is_400(self, owner_client, project, payload):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        response = put(owner_client, upload_id, payload[:CHUNK], 0, len(payload) + 1)
        assert response.status_code == 400
        assert "declared size" in response.json()["detail"]

    @pytest.mark.parametrize(
        "header", [None, "bytes 0-9", "bytes=0-9/100", "bytes 9-0/100", "bytes 0-100/100"]
    )
    def test_a_missing_or_malformed_content_range_is_400(self, owner_client, project, header):
        upload_id = start(owner_client, project, 100).json()["id"]
        extra = {"HTTP_CONTENT_RANGE": header} if header else {}
        response = owner_client.put(
            f"/api/uploads/{upload_id}/", data=b"x" * 10, content_type="application/octet-stream", **extra
        )
        assert response.status_code == 400
        assert "Content-Range" in response.json()["detail"]

    def test_a_body_longer_than_its_range_is_400(self, owner_client, project):
        upload_id = start(owner_client, project, 100).json()["id"]
        response = owner_client.put(
            f"/api/uploads/{upload_id}/",
            data=b"x" * 20,
            content_type="application/octet-stream",
            HTTP_CONTENT_RANGE="bytes 0-9/100",
        )
        assert response.status_code == 400
        assert staged_bytes(upload_id) == b""

    def test_a_chunk_over_the_chunk_limit_is_413(self, owner_client, project, settings):
        settings.AFFECTLAB_MAX_CHUNK_BYTES = 1024
        upload_id = start(owner_client, project, 4096).json()["id"]
        response = put(owner_client, upload_id, b"x" * 2048, 0, 4096)
        assert response.status_code == 413
        assert staged_bytes(upload_id) == b""
        assert put(owner_client, upload_id, b"x" * 1024, 0, 4096).status_code == 200


@pytest.mark.django_db
class TestCompleting:
    def test_completing_twice_returns_the_same_asset(self, owner_client, project, payload):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        asset_id = send_all(owner_client, upload_id, payload).json()["asset"]["id"]
        for _ in range(2):
            response = owner_client.post(f"/api/uploads/{upload_id}/complete/")
            assert response.status_code == 200
            assert response.json()["asset"]["id"] == asset_id
        assert MediaAsset.objects.count() == 1

    def test_resending_the_last_chunk_after_completion_returns_the_asset(
        self, owner_client, project, payload
    ):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        asset_id = send_all(owner_client, upload_id, payload).json()["asset"]["id"]
        tail = (len(payload) - 1) // CHUNK * CHUNK
        response = put(owner_client, upload_id, payload[tail:], tail, len(payload))
        assert response.status_code == 200
        assert response.json()["asset"]["id"] == asset_id
        assert MediaAsset.objects.count() == 1

    def test_completing_early_is_409_with_the_offset(self, owner_client, project, payload):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        put(owner_client, upload_id, payload[:CHUNK], 0, len(payload))
        response = owner_client.post(f"/api/uploads/{upload_id}/complete/")
        assert response.status_code == 409
        assert response.json()["offset"] == CHUNK
        assert MediaAsset.objects.count() == 0

    def test_bytes_already_in_the_project_give_the_existing_asset(self, owner_client, project, tmp_path):
        tone = make_tone_wav(tmp_path / "tone.wav").read_bytes()
        with open(tmp_path / "tone.wav", "rb") as handle:
            first = owner_client.post(
                f"/api/projects/{project.pk}/media/", {"file": handle}, format="multipart"
            )
        upload_id = start(owner_client, project, len(tone)).json()["id"]
        body = send_all(owner_client, upload_id, tone, chunk=30_000).json()
        assert body["status"] == "complete"
        assert body["asset"]["id"] == first.json()["id"]
        assert MediaAsset.objects.count() == 1
        assert not staging_path(ChunkedUpload.objects.get(uid=upload_id)).exists()


@pytest.mark.django_db
class TestAbortingAndAccess:
    def test_delete_aborts_and_removes_the_staged_bytes(self, owner_client, project, payload):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        put(owner_client, upload_id, payload[:CHUNK], 0, len(payload))
        path = staging_path(ChunkedUpload.objects.get(uid=upload_id))
        assert path.exists()
        assert owner_client.delete(f"/api/uploads/{upload_id}/").status_code == 204
        assert not path.exists()
        assert owner_client.get(f"/api/uploads/{upload_id}/").json()["status"] == "aborted"
        assert (
            put(owner_client, upload_id, payload[CHUNK : 2 * CHUNK], CHUNK, len(payload)).status_code == 409
        )
        assert owner_client.post(f"/api/uploads/{upload_id}/complete/").status_code == 409
        assert owner_client.delete(f"/api/uploads/{upload_id}/").status_code == 204

    def test_a_complete_upload_cannot_be_aborted(self, owner_client, project, payload):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        send_all(owner_client, upload_id, payload)
        assert owner_client.delete(f"/api/uploads/{upload_id}/").status_code == 409
        assert MediaAsset.objects.count() == 1

    def test_nobody_but_its_creator_can_touch_an_upload(
        self, owner_client, project, manager, outsider, payload
    ):
        upload_id = start(owner_client, project, len(payload)).json()["id"]
        for user in (manager, outsider):
            client = client_for(user)
            assert client.get(f"/api/uploads/{upload_id}/").status_code == 404
            assert put(client, upload_id, payload[:CHUNK], 0, len(payload)).status_code == 404
            assert client.post(f"/api/uploads/{upload_id}/complete/").status_code == 404
            assert client.delete(f"/api/uploads/{upload_id}/").status_code == 404
        upload = ChunkedUpload.objects.get(uid=upload_id)
        assert (upload.status, upload.received_bytes) == ("open", 0)

    def test_a_creator_who_lost_upload_rights_gets_404(self, project, manager, payload):
        client = client_for(manager)
        upload_id = start(client, project, len(payload)).json()["id"]
        membership_set(project=project, user=manager, role=Role.ANNOTATOR)
        assert client.get(f"/api/uploads/{upload_id}/").status_code == 404
        assert put(client, upload_id, payload[:CHUNK], 0, len(payload)).status_code == 404

    def test_an_unknown_upload_is_404(self, owner_client):
        assert owner_client.get("/api/uploads/6f1c1b8e-2b8e-4d4e-9a57-0c0f4c1e9d11/").status_code == 404
        assert owner_client.get("/api/uploads/not-a-uuid/").status_code == 404


def _token(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def _send_truncated_chunk(base_url: str, token: str, upload_id: str, chunk: bytes, first: int, total: int):
    """Announce a whole chunk, send half of it, then hang up the sending side: a dropped connection."""
    parts = urlsplit(base_url)
    head = (
        f"PUT /api/uploads/{upload_id}/ HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\n"
        f"Authorization: Token {token}\r\n"
        "Content-Type: application/octet-stream\r\n"
        f"Content-Length: {len(chunk)}\r\n"
        f"Content-Range: bytes {first}-{first + len(chunk) - 1}/{total}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as conn:
        conn.sendall(head + chunk[: len(chunk) // 2])
        conn.shutdown(socket.SHUT_WR)
        reply = b""
        while data := conn.recv(65536):
            reply += data
    return reply.decode("latin-1")


@pytest.mark.django_db(transaction=True)
def test_an_upload_resumes_after_a_dropped_connection(live_server, owner, project, payload):
    client = client_for(owner)
    total = len(payload)
    upload_id = start(client, project, total).json()["id"]
    assert put(client, upload_id, payload[:CHUNK], 0, total).status_code == 200

    reply = _send_truncated_chunk(
        live_server.url, _token(owner), upload_id, payload[CHUNK : 2 * CHUNK], CHUNK, total
    )
    assert reply.startswith("HTTP/1.1 400"), reply[:200]
    assert "nothing of this chunk was kept" in reply

    offset = client.get(f"/api/uploads/{upload_id}/").json()["offset"]
    assert offset == CHUNK
    send_all(client, upload_id, payload, offset=offset)
    final = client.get(f"/api/uploads/{upload_id}/").json()
    assert final["status"] == "complete"
    assert final["asset"]["sha256"] == hashlib.sha256(payload).hexdigest()


def _put_over_http(base_url: str, token: str, upload_id: str, chunk: bytes, total: int) -> tuple[int, int]:
    request = urllib.request.Request(  # noqa: S310 - http to the local live server
        f"{base_url}/api/uploads/{upload_id}/",
        data=chunk,
        method="PUT",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/octet-stream",
            "Content-Range": f"bytes 0-{len(chunk) - 1}/{total}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local live server
            return response.status, json.load(response)["offset"]
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc).get("offset", -1)


def _race(chunks: list[bytes], send) -> list[tuple[bytes, tuple[int, int]]]:
    """Send every chunk from its own thread, all released at the same moment."""
    barrier = threading.Barrier(len(chunks))
    results: list[tuple[bytes, tuple[int, int]]] = []

    def one(chunk: bytes) -> None:
        barrier.wait()
        results.append((chunk, send(chunk)))

    threads = [threading.Thread(target=one, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_simultaneous_copies_of_a_chunk_are_stored_once(live_server, owner, project, payload):
    total = len(payload)
    upload_id = start(client_for(owner), project, total).json()["id"]
    token = _token(owner)
    results = _race(
        [payload[:CHUNK]] * 8, lambda chunk: _put_over_http(live_server.url, token, upload_id, chunk, total)
    )
    assert [outcome for _, outcome in results] == [(200, CHUNK)] * 8
    assert staged_bytes(upload_id) == payload[:CHUNK]
    assert ChunkedUpload.objects.get(uid=upload_id).received_bytes == CHUNK


@pytest.mark.django_db(transaction=True)
def test_simultaneous_different_chunks_for_one_range_leave_one_winner(live_server, owner, project, payload):
    """Only the bytes that are kept may be acknowledged; every other version of the range gets 409."""
    total = len(payload)
    upload_id = start(client_for(owner), project, total).json()["id"]
    token = _token(owner)
    versions = [payload[:CHUNK], bytes(reversed(payload[:CHUNK]))] * 4
    results = _race(versions, lambda chunk: _put_over_http(live_server.url, token, upload_id, chunk, total))
    stored = staged_bytes(upload_id)
    assert stored in versions
    for chunk, outcome in results:
        assert outcome == ((200, CHUNK) if chunk == stored else (409, CHUNK))


def test_abandoned_uploads_are_expired_and_their_staging_files_removed(project, owner):
    from datetime import timedelta

    from django.utils import timezone

    from ingest.models import ChunkedUpload, UploadStatus
    from ingest.services.chunked import chunked_upload_create, chunked_uploads_expire, staging_path

    stale = chunked_upload_create(project=project, user=owner, filename="old.mp4", size=10, metadata={})
    fresh = chunked_upload_create(project=project, user=owner, filename="new.mp4", size=10, metadata={})
    ChunkedUpload.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=8))
    assert staging_path(stale).exists()

    assert chunked_uploads_expire(idle_seconds=7 * 24 * 3600) == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == UploadStatus.ABORTED and not staging_path(stale).exists()
    assert fresh.status == UploadStatus.OPEN and staging_path(fresh).exists()
