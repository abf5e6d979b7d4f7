"""Bulk import from a CSV/JSONL manifest: safe server-side paths, text rows, metadata, per-row errors."""

import hashlib
import json
import os
import shutil

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest.models import MediaAsset
from tests.conftest import client_for
from tests.media_samples import make_tone_wav

pytestmark = pytest.mark.django_db


@pytest.fixture
def import_root(settings, tmp_path, clip_mp4):
    """An import folder with good files, plus tricks that try to reach a secret file outside it."""
    root, outside = tmp_path / "import", tmp_path / "outside"
    (root / "session1").mkdir(parents=True)
    outside.mkdir()
    make_tone_wav(root / "session1" / "tone.wav", seconds=1)
    shutil.copy(clip_mp4, root / "session1" / "clip.mp4")
    make_tone_wav(outside / "secret.wav", seconds=1.5)
    (root / "link.wav").symlink_to(outside / "secret.wav")
    (root / "escape").symlink_to(outside, target_is_directory=True)
    (root / "inside-link.wav").symlink_to(root / "session1" / "tone.wav")
    (root / "empty.wav").write_bytes(b"")
    os.mkfifo(root / "fifo")
    settings.AFFECTLAB_IMPORT_ROOT = root
    return root


def post_manifest(client, project, content: bytes, name: str = "manifest.csv"):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(f"/api/projects/{project.pk}/imports/", {"manifest": upload}, format="multipart")


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def staged_leftovers(settings) -> set[str]:
    return {entry.name for entry in settings.AFFECTLAB_STAGING_DIR.iterdir() if entry.is_file()}


CSV_MANIFEST = """file,text,subject,age,score,session,speaker,dialogue_id,turn
session1/tone.wav,,S01,34,0.5,007,,,
../outside/secret.wav,,S02,35,,,,,
{absolute},,,,,,,,
link.wav,,,,,,,,
escape/secret.wav,,,,,,,,
missing.wav,,,,,,,,
,Hello there,S03,,,,spk1,d1,1
http://127.0.0.1:9/a.wav,,,,,,,,
file:///etc/passwd,,,,,,,,
session1,,,,,,,,
fifo,,,,,,,,
empty.wav,,,,,,,,
session1/clip.mp4,,S04,40,1.25,12,,,
session1/tone.wav,Both at once,,,,,,,
,,S05,,,,,,
"""


def test_a_csv_manifest_imports_good_rows_and_reports_each_bad_one(
    owner_client, project, import_root, settings, tmp_path
):
    secret = tmp_path / "outside" / "secret.wav"
    before = staged_leftovers(settings)
    manifest = CSV_MANIFEST.format(absolute=secret).encode()
    response = post_manifest(owner_client, project, manifest)
    assert response.status_code == 201, response.content
    report = response.json()

    errors = {error["row"]: error["error"] for error in report["errors"]}
    expected = {
        3: "'..'",
        4: "absolute",
        5: "outside the import folder",
        6: "outside the import folder",
        7: "no such file",
        9: "URLs are not accepted",
        10: "URLs are not accepted",
        11: "not a regular file",
        12: "not a regular file",
        13: "empty",
        15: "not both",
        16: "neither",
    }
    assert set(errors) == set(expected)
    for row, fragment in expected.items():
        assert fragment in errors[row], (row, errors[row])

    assert len(report["created"]) == 3 and report["existing"] == []
    assets = {asset.pk: asset for asset in MediaAsset.objects.filter(project=project)}
    assert set(assets) == set(report["created"])
    assert sha256(secret) not in {asset.sha256 for asset in assets.values()}
    assert staged_leftovers(settings) == before


def test_imported_files_are_copied_with_their_hash_name_and_typed_metadata(
    owner_client, project, import_root
):
    tone, clip = import_root / "session1" / "tone.wav", import_root / "session1" / "clip.mp4"
    manifest = (
        b"file,subject,age,score,session\n"
        b"session1/tone.wav,S01,34,0.5,007\n"
        b"session1/clip.mp4,S04,40,1.25,12\n"
    )
    report = post_manifest(owner_client, project, manifest).json()
    assert report["errors"] == []
    by_sha = {asset.sha256: asset for asset in MediaAsset.objects.filter(pk__in=report["created"])}
    imported = by_sha[sha256(tone)]
    assert imported.original_name == "tone.wav"
    assert imported.metadata == {"subject": "S01", "age": 34, "score": 0.5, "session": "007"}
    assert by_sha[sha256(clip)].metadata == {"subject": "S04", "age": 40, "score": 1.25, "session": "12"}
    with default_storage.open(imported.original_file, "rb") as handle:
        assert handle.read() == tone.read_bytes()
    assert tone.exists() and clip.exists(), "the import folder is read, never emptied"


def test_a_text_row_becomes_a_ready_text_asset(owner_client, project, import_root):
    manifest = b"text,speaker,dialogue_id,turn,start,end,subject\nHello there,spk1,d1,1,0.5,1.75,S03\n"
    report = post_manifest(owner_client, project, manifest).json()
    asset = MediaAsset.objects.get(pk=report["created"][0])
    assert (asset.kind, asset.status, asset.progress) == ("text", "ready", 100)
    assert (asset.text, asset.speaker, asset.dialogue_id, asset.turn) == ("Hello there", "spk1", "d1", 1)
    assert (asset.start_seconds, asset.end_seconds) == (0.5, 1.75)
    assert asset.metadata == {"subject": "S03"}


def test_importing_the_same_manifest_again_creates_nothing(owner_client, project, import_root):
    manifest = b"file,text,turn\nsession1/tone.wav,,\ninside-link.wav,,\n,Hi,1\n"
    first = post_manifest(owner_client, project, manifest).json()
    assert len(first["created"]) == 2 and len(first["existing"]) == 1
    second = post_manifest(owner_client, project, manifest)
    assert second.status_code == 200
    assert second.json()["created"] == []
    assert sorted(second.json()["existing"]) == sorted(first["created"] + first["existing"])
    assert MediaAsset.objects.filter(project=project).count() == 2


def test_a_jsonl_manifest_keeps_values_as_given_and_reports_bad_lines(owner_client, project, import_root):
    lines = [
        {"file": "session1/tone.wav", "subject": "S01", "age": "34", "scores": {"openness": 0.5}},
        {"text": "Hi", "dialogue_id": "d9", "turn": 0, "speaker": "A", "emotion": "joy"},
        "not json",
        [1, 2],
        {"file": "../outside/secret.wav"},
        {"file": 42},
    ]
    content = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines).encode()
    report = post_manifest(owner_client, project, content, name="items.jsonl").json()
    assert len(report["created"]) == 2
    assert [error["row"] for error in report["errors"]] == [3, 4, 5, 6]
    media = MediaAsset.objects.exclude(kind="text").get(project=project)
    assert media.metadata == {"subject": "S01", "age": "34", "scores": {"openness": 0.5}}
    text = MediaAsset.objects.get(project=project, kind="text")
    assert (text.turn, text.speaker, text.metadata) == (0, "A", {"emotion": "joy"})


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("list.txt", b'{"text": "from json lines"}\n', "jsonl"),
        ("list.txt", b"text\nfrom a csv\n", "csv"),
    ],
)
def test_the_format_is_detected_from_the_content(owner_client, project, import_root, name, content, kind):
    report = post_manifest(owner_client, project, content, name=name).json()
    asset = MediaAsset.objects.get(pk=report["created"][0])
    assert asset.text == ("from json lines" if kind == "jsonl" else "from a csv")


def test_a_turn_repeated_in_one_manifest_is_an_error(owner_client, project, import_root):
    manifest = b"text,dialogue_id,turn\nfirst,d1,1\nsecond,d1,1\n"
    report = post_manifest(owner_client, project, manifest).json()
    assert len(report["created"]) == 1
    assert report["errors"][0]["row"] == 3
    assert "turn 1" in report["errors"][0]["error"]


def test_too_many_rows_are_refused_whole(owner_client, project, import_root, settings):
    settings.AFFECTLAB_MAX_MANIFEST_ROWS = 2
    manifest = b"text\none\ntwo\nthree\n"
    response = post_manifest(owner_client, project, manifest)
    assert response.status_code == 400
    assert "more than 2 rows" in response.json()["manifest"]
    assert MediaAsset.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"path,subject\na.wav,S1\n", "'file' or a 'text' column"),
        (b"file,file\na.wav,b.wav\n", "repeats file"),
        (b"file,,subject\na.wav,,S1\n", "no name"),
        (b"text\n\xff\xfe bad bytes\n", "not valid UTF-8"),
        (b"", "no rows"),
        (b'text\n"unterminated\n', "malformed"),
    ],
)
def test_a_manifest_that_cannot_be_read_is_400(owner_client, project, import_root, content, fragment):
    response = post_manifest(owner_client, project, content)
    assert response.status_code == 400
    assert fragment in response.json()["manifest"]
    assert MediaAsset.objects.count() == 0


def test_a_row_with_more_cells_than_columns_is_an_error(owner_client, project, import_root):
    report = post_manifest(owner_client, project, b"text,speaker\nhi,A,extra\nfine,B\n").json()
    assert report["errors"] == [{"row": 2, "error": "the row has more cells than the header has columns"}]
    assert len(report["created"]) == 1


def test_a_missing_manifest_field_is_400(owner_client, project):
    response = owner_client.post(f"/api/projects/{project.pk}/imports/", {}, format="multipart")
    assert response.status_code == 400
    assert "manifest" in response.json()


def test_only_members_who_may_upload_can_import(project, annotator, outsider, import_root):
    manifest = b"file\nsession1/tone.wav\n"
    assert post_manifest(client_for(annotator), project, manifest).status_code == 403
    assert post_manifest(client_for(outsider), project, manifest).status_code == 404
    assert MediaAsset.objects.count() == 0


def test_rows_are_numbered_by_the_line_they_start_on(owner_client, project, import_root):
    manifest = b'text,speaker\n"two\nlines",A\n\nbad,B,extra\n'
    report = post_manifest(owner_client, project, manifest).json()
    assert report["errors"] == [{"row": 5, "error": "the row has more cells than the header has columns"}]
    assert MediaAsset.objects.get(pk=report["created"][0]).text == "two\nlines"


def test_values_json_cannot_store_fail_only_their_row(owner_client, project, import_root):
    content = b'{"file": "session1/tone.wav", "score": NaN}\n{"text": "fine"}\n'
    report = post_manifest(owner_client, project, content, name="m.jsonl").json()
    assert [error["row"] for error in report["errors"]] == [1]
    assert len(report["created"]) == 1


def test_very_long_digit_strings_stay_text(owner_client, project, import_root):
    digits = "9" * 5000
    report = post_manifest(owner_client, project, f"text,code\nhello,{digits}\n".encode()).json()
    assert MediaAsset.objects.get(pk=report["created"][0]).metadata == {"code": digits}


def test_a_manifest_over_the_size_limit_is_413(owner_client, project, import_root, settings):
    settings.AFFECTLAB_MAX_MANIFEST_BYTES = 100
    response = post_manifest(owner_client, project, b"text\n" + b"x" * 200 + b"\n")
    assert response.status_code == 413
    assert "100 bytes" in response.json()["detail"]
    assert MediaAsset.objects.count() == 0
