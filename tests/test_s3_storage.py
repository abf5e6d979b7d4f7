"""The storage paths on S3, as docker-compose runs them on MinIO, with moto standing in for the bucket.

Every other test stores files in a local folder, where ``default_storage.path()`` exists and a
file can be renamed into place. On S3 there is no local path: an upload is streamed into the
bucket, ffmpeg works on a staged copy, a Range request and a windowed track read go through
``default_storage.open``, and a release is written and read back object by object. These tests
run those paths against an S3 storage built by the settings' own ``_storages_from_env`` from the
same environment variables docker-compose sets (a custom endpoint URL included; moto's
``MOTO_S3_CUSTOM_ENDPOINTS`` makes it answer for that endpoint), and check that the bytes land
in, and come back from, the bucket and never the local media folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import boto3
import botocore.client
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from moto import mock_aws
from storages.backends.s3 import S3Storage

from affectlab.settings.base import _storages_from_env
from ingest.models import AssetStatus, MediaAsset
from ingest.services.processing import asset_normalise, asset_probe
from ingest.services.ranged_files import open_ranged
from models_zoo.models import JobState, PrelabelJob
from models_zoo.services.track_files import ROW_GROUP_ROWS, track_file_write
from releases.models import VersionState
from tests.media_samples import MULTIPART, multipart_body
from tests.releases.test_release_fixtures import build, labelled_project

pytestmark = pytest.mark.django_db

BUCKET = "affectlab"
ENDPOINT = "http://minio:9000"  # the compose file's endpoint; moto answers for it in-process
REGION = "us-east-1"


def _local_media_files() -> set[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def bucket(monkeypatch, settings) -> Iterator[object]:
    """A mocked S3 bucket behind ``default_storage``, configured the way docker-compose does it.

    Yields a boto3 client on the bucket, to look at what the application stored. At the end the
    local media folder must hold nothing new: every byte went to the bucket.
    """
    environment = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": ENDPOINT,
        "AWS_ACCESS_KEY_ID": "affectlab",
        "AWS_SECRET_ACCESS_KEY": "affectlab-secret",
        "AWS_S3_REGION_NAME": REGION,
        "MOTO_S3_CUSTOM_ENDPOINTS": ENDPOINT,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    before = _local_media_files()
    with mock_aws():
        client = boto3.client(
            "s3",
            endpoint_url=ENDPOINT,
            region_name=REGION,
            aws_access_key_id="affectlab",
            aws_secret_access_key="affectlab-secret",
        )
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            "default": _storages_from_env()["default"],
            "staticfiles": settings.STORAGES["staticfiles"],
        }
        assert isinstance(default_storage, S3Storage)
        yield client
    assert _local_media_files() == before, "a file was written to the local media folder, not the bucket"


def object_bytes(client, key: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def object_keys(client, prefix: str = "") -> set[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
    return {entry["Key"] for page in pages for entry in page.get("Contents", [])}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_storage_under_test_is_s3(bucket):
    """Guards the other tests: a setting that fell back to the local folder would pass them silently."""
    assert isinstance(default_storage, S3Storage)
    default_storage.save("probe/hello.txt", io.BytesIO(b"hello"))
    assert object_bytes(bucket, "probe/hello.txt") == b"hello"
    with pytest.raises(NotImplementedError):
        default_storage.path("probe/hello.txt")


def test_an_uploaded_clip_is_processed_and_served_with_ranges_from_the_bucket(
    bucket, owner_client, project, clip_mp4
):
    content = clip_mp4.read_bytes()
    upload = multipart_body(file_name="clip.mp4", content=content)
    response = owner_client.generic(
        "POST", f"/api/projects/{project.pk}/media/", upload, content_type=MULTIPART
    )
    assert response.status_code == 201, response.content
    asset = MediaAsset.objects.get(pk=response.json()["id"])
    assert object_bytes(bucket, asset.original_file) == content

    if asset_probe(asset_id=asset.pk):
        asset_normalise(asset_id=asset.pk)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.READY, asset.failure_reason
    assert asset.kind == "video" and asset.duration_seconds == pytest.approx(3, abs=0.1)
    assert set(asset.derived) == {"proxy", "poster", "audio", "peaks"}
    stored = object_keys(bucket)
    assert {asset.original_file, *asset.derived.values()} <= stored
    peaks = json.loads(object_bytes(bucket, asset.derived["peaks"]))
    assert peaks["length"] > 0 and max(peaks["data"]) > 0

    proxy = object_bytes(bucket, asset.derived["proxy"])
    size = len(proxy)
    url = f"/api/media/{asset.pk}/files/proxy/"
    first = owner_client.get(url, HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206
    assert first["Content-Range"] == f"bytes 0-99/{size}" and body(first) == proxy[:100]
    tail = owner_client.get(url, HTTP_RANGE="bytes=-500")
    assert tail.status_code == 206 and body(tail) == proxy[-500:]
    middle = owner_client.get(url, HTTP_RANGE=f"bytes={size // 2}-{size // 2 + 999}")
    assert middle.status_code == 206 and body(middle) == proxy[size // 2 : size // 2 + 1000]
    past = owner_client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{size}"
    whole = owner_client.get(f"/api/media/{asset.pk}/files/original/")
    assert whole.status_code == 200 and body(whole) == content


def test_a_track_is_written_to_the_bucket_and_read_back_by_window(bucket, owner_client, project):
    asset = MediaAsset.objects.create(
        project=project, kind="video", status=AssetStatus.READY, duration_seconds=120.0,
        original_name="long.mp4", sha256=hashlib.sha256(b"long").hexdigest(),
    )  # fmt: skip
    job = PrelabelJob.objects.create(asset=asset, prelabeler="synthetic", version="1", params_hash="s3",
                                     state=JobState.SUCCEEDED)  # fmt: skip
    rows = 120 * 25
    table = pa.table({
        "time": pa.array([i / 25 for i in range(rows)]),
        "AU06": pa.array([0.5] * rows),
        "AU12": pa.array([i / rows for i in range(rows)]),
    })  # fmt: skip
    key = track_file_write(key=f"tracks/{asset.uid}/synthetic/aus.parquet", table=table)
    assert object_bytes(bucket, key)[:4] == b"PAR1"
    columns = [{"name": n, "type": "double"} for n in ("time", "AU06", "AU12")]
    track = asset.tracks.create(job=job, kind="action_units", prelabeler="synthetic", version="1",
                                sample_rate=25, row_count=rows, storage_key=key, columns=columns)  # fmt: skip

    response = owner_client.get(f"/api/tracks/{track.pk}/data/?start=60&end=64&max_points=50&columns=AU12")
    assert response.status_code == 200, response.content
    window = response.json()
    assert window["total_rows"] == 4 * 25 and window["stride"] == 2 and len(window["rows"]) == 50
    assert window["columns"] == ["time", "AU12"]
    assert window["rows"][0] == {"time": 60.0, "AU12": 1500 / rows}
    assert all(60 <= row["time"] < 64 and set(row) == {"time", "AU12"} for row in window["rows"])
    whole = owner_client.get(f"/api/tracks/{track.pk}/data/").json()
    assert whole["total_rows"] == rows and whole["columns"] == ["time", "AU06", "AU12"]

    bucket.put_object(Bucket=BUCKET, Key=key, Body=b"not parquet")
    damaged = owner_client.get(f"/api/tracks/{track.pk}/data/?start=0&end=1")
    assert damaged.status_code == 409 and "missing or damaged" in damaged.json()["detail"]


def test_a_release_is_built_into_the_bucket_and_served_from_it(bucket, owner_client, project):
    labelled_project(project)
    version = build(project, version="1.0.0")
    assert version.state == VersionState.READY, version.error
    prefix = f"releases/{project.pk}/1.0.0/"
    stored = object_keys(bucket, prefix)
    assert {prefix + entry["path"] for entry in version.files} == stored
    for entry in version.files:
        data = object_bytes(bucket, prefix + entry["path"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]

    report = owner_client.get(f"/api/versions/{version.pk}/report/")
    assert report.status_code == 200
    assert report.json() == json.loads(object_bytes(bucket, prefix + "report.json"))
    items = owner_client.get(f"/api/versions/{version.pk}/files/items.jsonl")
    assert items.status_code == 200 and body(items) == object_bytes(bucket, prefix + "items.jsonl")
    download = owner_client.get(f"/api/versions/{version.pk}/download/")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(body(download))) as archive:
        names = {name.split("/", 1)[1] for name in archive.namelist() if not name.endswith("/")}
        assert names == {entry["path"] for entry in version.files}
        root = archive.namelist()[0].split("/", 1)[0]
        assert archive.read(f"{root}/labels.csv") == object_bytes(bucket, prefix + "labels.csv")


@pytest.fixture
def fetched(monkeypatch) -> list[int]:
    """Body bytes of every GetObject any boto3 client makes, in order: what a request cost the bucket."""
    sizes: list[int] = []
    make_api_call = botocore.client.BaseClient._make_api_call

    def counting(self, operation_name, api_params):
        response = make_api_call(self, operation_name, api_params)
        if operation_name == "GetObject":
            sizes.append(response["ContentLength"])
        return response

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    return sizes


def _stored_asset(project, key: str, content: bytes) -> MediaAsset:
    default_storage.save(key, io.BytesIO(content))
    return MediaAsset.objects.create(
        project=project, kind="video", status=AssetStatus.READY, original_name="long.mp4",
        sha256=hashlib.sha256(content).hexdigest(), original_file=key,
    )  # fmt: skip


def test_a_range_request_fetches_only_that_range_from_the_bucket(bucket, fetched, owner_client, project):
    """Seeking in a long video must not download the recording again for every seek."""
    content = bytes(range(256)) * (8 * 1024 * 1024 // 256)  # 8 MiB, every offset recognisable
    asset = _stored_asset(project, "media/long/original.mp4", content)
    url = f"/api/media/{asset.pk}/files/original/"
    size = len(content)

    fetched.clear()
    first = owner_client.get(url, HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206 and body(first) == content[:100]
    assert sum(fetched) == 100, fetched

    fetched.clear()
    seek = owner_client.get(url, HTTP_RANGE=f"bytes={size // 2}-{size // 2 + 99}")
    assert seek.status_code == 206 and body(seek) == content[size // 2 : size // 2 + 100]
    tail = owner_client.get(url, HTTP_RANGE="bytes=-1000")
    assert tail.status_code == 206 and body(tail) == content[-1000:]
    assert sum(fetched) == 1100, fetched

    fetched.clear()
    past = owner_client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{size}"
    assert fetched == []

    fetched.clear()
    whole = owner_client.get(url)
    assert whole.status_code == 200 and body(whole) == content
    assert sum(fetched) == size, "the whole file is read once, not twice"


def test_a_window_of_an_hour_long_track_fetches_a_small_part_of_the_file(
    bucket, fetched, owner_client, project
):
    """The Parquet footer and the window's column chunks are fetched, not the whole file."""
    asset = MediaAsset.objects.create(
        project=project, kind="video", status=AssetStatus.READY, duration_seconds=3600.0,
        original_name="hour.mp4", sha256=hashlib.sha256(b"hour").hexdigest(),
    )  # fmt: skip
    job = PrelabelJob.objects.create(asset=asset, prelabeler="synthetic", version="1", params_hash="hour",
                                     state=JobState.SUCCEEDED)  # fmt: skip
    rows = 3600 * 25
    names = [f"AU{n:02d}" for n in range(1, 21)]
    table = pa.table({
        "time": pa.array([i / 25 for i in range(rows)]),
        **{name: pa.array([(i * (k + 7) % 997) / 997 for i in range(rows)]) for k, name in enumerate(names)},
    })  # fmt: skip
    key = track_file_write(key=f"tracks/{asset.uid}/synthetic/aus.parquet", table=table)
    size = bucket.head_object(Bucket=BUCKET, Key=key)["ContentLength"]
    columns = [{"name": n, "type": "double"} for n in ["time", *names]]
    track = asset.tracks.create(job=job, kind="action_units", prelabeler="synthetic", version="1",
                                sample_rate=25, row_count=rows, storage_key=key, columns=columns)  # fmt: skip

    # What a window read needs: the footer (pyarrow's first read takes the last 64 KiB) and the
    # column chunks of the one row group that holds 1800-1810 s.
    metadata = pq.ParquetFile(io.BytesIO(object_bytes(bucket, key))).metadata
    assert metadata.num_row_groups == -(-rows // ROW_GROUP_ROWS) > 5
    group = metadata.row_group(1800 * 25 // ROW_GROUP_ROWS)
    chunk_bytes = {group.column(i).path_in_schema: group.column(i).total_compressed_size
                   for i in range(group.num_columns)}  # fmt: skip
    footer = max(64 * 1024, metadata.serialized_size + 8)
    gaps = 2 * 8 * 1024  # pyarrow may coalesce two reads across a gap of up to 8 KiB

    fetched.clear()
    response = owner_client.get(f"/api/tracks/{track.pk}/data/?start=1800&end=1810&max_points=1000")
    assert response.status_code == 200, response.content
    window = response.json()
    assert window["total_rows"] == 10 * 25 and window["stride"] == 1
    assert window["rows"][0]["time"] == 1800.0 and window["rows"][-1]["time"] == pytest.approx(1810 - 1 / 25)
    assert window["rows"][0]["AU12"] == table["AU12"][1800 * 25].as_py()
    assert sum(fetched) <= footer + sum(chunk_bytes.values()) + gaps, (fetched, size)
    assert sum(fetched) < size / 5, (fetched, size)

    fetched.clear()
    one_column = owner_client.get(f"/api/tracks/{track.pk}/data/?start=1800&end=1810&columns=AU12")
    assert one_column.status_code == 200 and one_column.json()["columns"] == ["time", "AU12"]
    assert sum(fetched) <= footer + chunk_bytes["time"] + chunk_bytes["AU12"] + gaps, (fetched, size)
    assert sum(fetched) < size / 20, (fetched, size)


def test_a_ranged_file_reads_ahead_seeks_and_reports_missing_and_replaced_objects(bucket, fetched):
    content = bytes(range(256)) * 1024  # 256 KiB
    default_storage.save("probe/ranged.bin", io.BytesIO(content))

    fetched.clear()
    with open_ranged("probe/ranged.bin", read_ahead=16 * 1024) as handle:
        assert handle.seek(0, io.SEEK_END) == len(content) and handle.tell() == len(content)
        assert handle.read(10) == b""
        handle.seek(1000)
        small = [handle.read(100) for _ in range(50)]  # 5,000 bytes from one 16 KiB read-ahead
        assert b"".join(small) == content[1000:6000] and fetched == [16 * 1024]
        handle.seek(-50, io.SEEK_CUR)
        assert handle.read(50) == content[5950:6000] and len(fetched) == 1
        handle.seek(len(content) - 10)
        assert handle.read() == content[-10:]
        assert fetched == [16 * 1024, 10], "read-ahead stops at the end of the object"
        handle.seek(100_000)
        assert handle.read(40_000) == content[100_000:140_000] and fetched[-1] == 40_000

        bucket.put_object(Bucket=BUCKET, Key="probe/ranged.bin", Body=content[::-1])
        handle.seek(200_000)
        with pytest.raises(OSError, match="replaced"):
            handle.read(10)
    with pytest.raises(ValueError):
        handle.read(1)
    with pytest.raises(FileNotFoundError):
        open_ranged("probe/missing.bin")
