"""Client file names are display text only: never a path, never written anywhere they point to."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage

from ingest.models import MediaAsset
from ingest.services.filenames import MAX_DISPLAY_NAME, display_name
from ingest.services.storage_keys import original_key
from tests.media_samples import MULTIPART, multipart_body

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.mp4", "passwd.mp4"),
        ("/var/lib/affectlab/clip.mp4", "clip.mp4"),
        ("C:\\Users\\ana\\clip.mp4", "clip.mp4"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("clip\x00.mp4", "clip.mp4"),
        ("line\nbreak\ttab.mp4", "linebreaktab.mp4"),
        ("\u202egnp.exe.mp4", "gnp.exe.mp4"),
        ("interview\u200b\u2066.mp4", "interview.mp4"),
        ("cafe\u0301.mp4", "caf\u00e9.mp4"),
        ("..", "upload"),
        ("", "upload"),
        (None, "upload"),
        ("...", "upload"),
        ("sub/", "upload"),
    ],
)
def test_display_names_keep_only_a_clean_last_component(raw, shown):
    assert display_name(raw) == shown


def test_a_very_long_name_is_cut_but_keeps_its_extension():
    name = display_name("a" * 10_000 + ".mp4")
    assert len(name) == MAX_DISPLAY_NAME
    assert name.endswith("a.mp4")


def test_a_very_long_name_without_an_extension_is_cut():
    assert display_name("b" * 10_000) == "b" * MAX_DISPLAY_NAME


def upload(client, project, name: str, content: bytes):
    body = multipart_body(file_name=name, content=content)
    return client.generic("POST", f"/api/projects/{project.pk}/media/", body, content_type=MULTIPART)


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


def data_dir() -> Path:
    return Path(django_settings.AFFECTLAB_TEST_VAR_DIR)


HOSTILE_NAMES = {
    "traversal": ("../../etc/passwd.mp4", "passwd.mp4"),
    "deep_traversal": ("../" * 30 + "tmp/pwned.mp4", "pwned.mp4"),
    "absolute": ("/etc/cron.d/clip.mp4", "clip.mp4"),
    "windows": ("..\\..\\boot.ini.mp4", "boot.ini.mp4"),
    "nul": ("clip.mp4\x00.sh", "clip.mp4.sh"),
    "rtl_override": ("harmless\u202e4pm.exe", "harmless4pm.exe"),
    "control_characters": ("a\x01b\x1bc\x7fd.mp4", "abcd.mp4"),
    "unicode": ("интервью 😀.mp4", "интервью 😀.mp4"),
    "html": ('<img src=x onerror="alert(1)">.mp4', '<img src=x onerror="alert(1)">.mp4'),
    "long_but_within_part_header_limit": ("c" * 600 + ".mp4", "c" * (MAX_DISPLAY_NAME - 4) + ".mp4"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_NAMES))
def test_hostile_names_are_stored_under_the_uid_key_only(owner_client, project, case):
    raw, shown = HOSTILE_NAMES[case]
    root = data_dir()
    before = files_under(root)
    content = f"bytes for {case}".encode()
    response = upload(owner_client, project, raw, content)
    assert response.status_code == 201, response.content
    asset = MediaAsset.objects.get(pk=response.json()["id"])
    assert asset.original_name == shown
    assert asset.original_file == original_key(asset) == f"projects/{project.pk}/assets/{asset.uid}/original"
    stored = Path(default_storage.path(asset.original_file))
    assert stored.read_bytes() == content
    assert stored.resolve().is_relative_to(Path(django_settings.MEDIA_ROOT).resolve())
    new_files = {p for p in files_under(root) - before if not p.name.startswith("test.sqlite3")}
    assert new_files == {stored}
    assert not Path("/etc/passwd.mp4").exists()
    assert not Path("/tmp/pwned.mp4").exists()


def test_the_original_is_served_with_its_display_name_encoded(owner_client, project):
    response = upload(owner_client, project, 'quote" and\r\nnewline.mp4', b"some bytes")
    asset_id = response.json()["id"]
    shown = MediaAsset.objects.get(pk=asset_id).original_name
    assert shown == 'quote" andnewline.mp4'
    served = owner_client.get(f"/api/media/{asset_id}/files/original/")
    assert served["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(shown, safe='')}"
    assert "\n" not in served["Content-Disposition"]


@pytest.mark.parametrize("raw", ["..", ".", "/", "\x00"])
def test_a_name_with_nothing_left_is_refused_with_400(owner_client, project, raw):
    response = upload(owner_client, project, raw, b"content")
    assert response.status_code == 400
    assert "no complete file arrived" in response.json()["file"].lower()
    assert not MediaAsset.objects.exists()


def test_a_ten_thousand_character_name_is_refused_with_400(owner_client, project):
    before = files_under(data_dir())
    response = upload(owner_client, project, "d" * 10_000 + ".mp4", b"content")
    assert response.status_code == 400
    assert "file names included" in response.json()["detail"]
    assert not MediaAsset.objects.exists()
    assert {p for p in files_under(data_dir()) - before if not p.name.startswith("test.sqlite3")} == set()
