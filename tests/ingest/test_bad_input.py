"""Bad and hostile uploads: each ends as a clear 4xx, or as a ``failed`` asset with a reason.

Every case goes through the real upload API and then the real processing steps
(probe, normalise) in-process, on files made by the real ffmpeg.
"""

from __future__ import annotations

import hashlib
import json
import socket
import time
from pathlib import Path

import av
import ffmpeg
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage

from ingest.models import AssetStatus, MediaAsset
from ingest.services import normalising
from ingest.services.ffmpeg_runner import TranscodeError, ffmpeg_args, run_ffmpeg, safe_input
from ingest.services.probing import ProbeResult, open_options, probe_file
from ingest.services.processing import asset_normalise, asset_probe
from ingest.services.sniffing import Sniffed, refuse_indirect_media
from ingest.services.storage_keys import asset_prefix
from tests.media_samples import (
    MULTIPART,
    cut_file,
    make_clip,
    make_damaged_clip,
    make_faststart_clip,
    make_ffv1_mkv,
    make_mp3,
    make_still_image,
    multipart_body,
)
from tests.media_samples import (
    ffmpeg as run_ffmpeg_cli,
)

pytestmark = pytest.mark.django_db


def upload(client, project, content: bytes, *, name: str = "clip.mp4", fields=None, **extra):
    body = multipart_body(file_name=name, content=content, fields=fields)
    return client.generic("POST", f"/api/projects/{project.pk}/media/", body, content_type=MULTIPART, **extra)


def process(asset_id: int) -> MediaAsset:
    if asset_probe(asset_id=asset_id):
        asset_normalise(asset_id=asset_id)
    return MediaAsset.objects.get(pk=asset_id)


def upload_and_process(client, project, content: bytes, *, name: str = "clip.mp4") -> MediaAsset:
    response = upload(client, project, content, name=name)
    assert response.status_code == 201, response.content
    return process(response.json()["id"])


def assert_failed(asset: MediaAsset, *words: str) -> None:
    """Failed with a reason naming the problem; the original is kept and nothing was derived."""
    assert asset.status == AssetStatus.FAILED, (asset.status, asset.failure_reason)
    reason = asset.failure_reason.lower()
    assert any(word in reason for word in words), asset.failure_reason
    assert asset.derived == {}
    assert default_storage.exists(asset.original_file)
    assert not Path(default_storage.path(asset_prefix(asset)), "derived").exists()


def upload_temp_files() -> set[str]:
    folder = Path(django_settings.FILE_UPLOAD_TEMP_DIR)
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


# --- empty, truncated, not media -------------------------------------------------------------


def test_an_empty_file_is_refused_with_400(owner_client, project):
    response = upload(owner_client, project, b"")
    assert response.status_code == 400
    assert "empty" in response.json()["file"]
    assert not MediaAsset.objects.exists()


def test_a_clip_cut_in_half_fails_as_truncated(owner_client, project, clip_mp4, tmp_path):
    # ffmpeg writes the index (moov) last, so the first half of the file has none.
    half = cut_file(clip_mp4, tmp_path / "half.mp4", keep_start=True)
    asset = upload_and_process(owner_client, project, half.read_bytes())
    assert_failed(asset, "truncated")
    assert asset.probe == {}


def test_a_clip_missing_its_start_fails_as_corrupt(owner_client, project, clip_mp4, tmp_path):
    tail = cut_file(clip_mp4, tmp_path / "tail.mp4", keep_start=False)
    asset = upload_and_process(owner_client, project, tail.read_bytes())
    assert_failed(asset, "corrupt", "truncated")


def test_a_clip_missing_its_index_box_fails_as_incomplete(owner_client, project, clip_mp4, tmp_path):
    data = clip_mp4.read_bytes()
    moov = data.rindex(b"moov") - 4
    assert moov > len(data) // 2  # the index is the last box
    asset = upload_and_process(owner_client, project, data[:moov])
    assert_failed(asset, "index", "incomplete")


def test_a_faststart_clip_cut_in_half_fails_on_its_decoded_duration(owner_client, project, tmp_path):
    # The index is at the front and intact: the probe believes 3 s; only decoding shows the loss.
    clip = make_faststart_clip(tmp_path / "fast.mp4", seconds=3)
    half = cut_file(clip, tmp_path / "fasthalf.mp4", keep_start=True)
    response = upload(owner_client, project, half.read_bytes())
    asset_id = response.json()["id"]
    assert asset_probe(asset_id=asset_id) is True
    assert MediaAsset.objects.get(pk=asset_id).duration_seconds == pytest.approx(3, abs=0.1)
    asset_normalise(asset_id=asset_id)
    asset = MediaAsset.objects.get(pk=asset_id)
    assert_failed(asset, "truncated")
    assert "declares 3.0 s" in asset.failure_reason


def test_a_text_file_named_mp4_fails_as_plain_text(owner_client, project):
    asset = upload_and_process(owner_client, project, b"Dear diary,\nthis is not a video.\n" * 20)
    assert_failed(asset, "plain text")


def test_random_bytes_fail_as_unreadable(owner_client, project):
    noise = hashlib.sha256(b"seed").digest() * 512
    asset = upload_and_process(owner_client, project, noise)
    assert_failed(asset, "corrupt")


def test_an_unsupported_video_codec_fails_with_its_name(owner_client, project, tmp_path):
    mkv = make_ffv1_mkv(tmp_path / "archive.mkv")
    asset = upload_and_process(owner_client, project, mkv.read_bytes(), name="archive.mkv")
    assert_failed(asset, "codec 'ffv1' is not supported")


@pytest.mark.timeout(120)
def test_a_long_damaged_clip_fails_instead_of_hanging_on_ffmpeg_log_output(owner_client, project, tmp_path):
    # Hundreds of kilobytes of decoder errors: more than a pipe buffer holds.
    clip = make_damaged_clip(tmp_path / "damaged.mp4", seconds=40)
    started = time.monotonic()
    asset = upload_and_process(owner_client, project, clip.read_bytes())
    assert time.monotonic() - started < 90
    assert_failed(asset, "damaged", "truncated")


# --- playlists and other indirections --------------------------------------------------------


@pytest.fixture
def listener():
    """A local TCP port that records every connection made to it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    yield server
    server.close()


def connections_made(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def assert_listener_works_but_saw_nothing(server: socket.socket) -> None:
    assert connections_made(server) == 0
    socket.create_connection(server.getsockname(), timeout=2).close()
    time.sleep(0.05)
    assert connections_made(server) == 1  # the listener does notice a connection


def passwd_line() -> bytes:
    first = Path("/etc/passwd").read_bytes().splitlines()[0]
    assert first.count(b":") >= 6
    return first


def assert_no_stored_file_contains(needle: bytes) -> None:
    for path in Path(django_settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path


def hls_playlist(port: int) -> bytes:
    return (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXTINF:10.0,\nhttp://127.0.0.1:9/x.ts\n"
        f"#EXTINF:10.0,\nhttp://127.0.0.1:{port}/y.ts\n"
        "#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"
    ).encode()


def dash_manifest(port: int) -> bytes:
    return (
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT10S" '
        'profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">'
        f'<BaseURL>http://127.0.0.1:{port}/</BaseURL><Period><AdaptationSet mimeType="video/mp4">'
        '<Representation id="1" bandwidth="1000"><BaseURL>file:///etc/passwd</BaseURL>'
        "</Representation></AdaptationSet></Period></MPD>\n"
    ).encode()


def id3_tag() -> bytes:
    return b"ID3\x04\x00\x00\x00\x00\x00\x14" + b"\x00" * 20


INDIRECTIONS = {
    "hls": lambda port: hls_playlist(port),
    "hls_with_utf8_bom": lambda port: b"\xef\xbb\xbf" + hls_playlist(port),
    "hls_with_leading_whitespace": lambda port: b" \r\n\t\n" + hls_playlist(port),
    "hls_after_an_id3_tag": lambda port: id3_tag() + hls_playlist(port),
    "hls_lowercase": lambda port: hls_playlist(port).lower(),
    "ffconcat": lambda port: (
        f"ffconcat version 1.0\nfile 'http://127.0.0.1:{port}/a.mp4'\nfile '/etc/passwd'\n"
    ).encode(),
    "dash_with_xml_declaration": lambda port: (
        b'<?xml version="1.0" encoding="UTF-8"?>\n' + dash_manifest(port)
    ),
    "dash_bare": lambda port: dash_manifest(port),
    "dash_behind_a_riff_header": lambda port: b"RIFFAAAAWAVE" + dash_manifest(port),
    "list_of_urls": lambda port: f"http://127.0.0.1:{port}/a.mp4\nfile:///etc/passwd\n".encode(),
}


@pytest.mark.parametrize("kind", sorted(INDIRECTIONS))
def test_playlists_and_manifests_disguised_as_mp4_are_refused_before_any_demuxer(
    owner_client, project, listener, kind
):
    content = INDIRECTIONS[kind](listener.getsockname()[1])
    asset = upload_and_process(owner_client, project, content, name="holiday.mp4")
    assert_failed(asset, "playlist", "manifest", "concat list", "list of other files")
    assert "other files or urls" in asset.failure_reason.lower()
    assert asset.probe == {}  # refused by the sniffer: no demuxer ever read it
    assert_listener_works_but_saw_nothing(listener)
    assert_no_stored_file_contains(passwd_line())


def test_the_probe_itself_refuses_a_playlist_demuxer_even_without_the_sniffer(listener, tmp_path):
    # Named .m3u8, FFmpeg's HLS demuxer would claim it; the format whitelist refuses it before it reads.
    playlist = tmp_path / "stream.m3u8"
    playlist.write_bytes(hls_playlist(listener.getsockname()[1]))
    with pytest.raises(av.error.ArgumentError):
        av.open(str(playlist), options=open_options())
    concat = tmp_path / "list.ffconcat"
    concat.write_bytes(INDIRECTIONS["ffconcat"](listener.getsockname()[1]))
    with pytest.raises(av.error.ArgumentError):
        av.open(str(concat), options=open_options())
    assert_listener_works_but_saw_nothing(listener)


# --- ffmpeg command lines --------------------------------------------------------------------


def _input_options(args: list[str]) -> list[list[str]]:
    """The options in front of each ``-i`` of an ffmpeg command line."""
    groups: list[list[str]] = []
    current: list[str] = []
    for arg in args[1:]:
        if arg == "-i":
            groups.append(current)
            current = []
        else:
            current.append(arg)
    return groups


@pytest.mark.parametrize("demuxer", ["mov", "matroska", "wav", "mp3"])
def test_every_ffmpeg_graph_reads_one_local_file_with_a_forced_demuxer(demuxer, tmp_path):
    src = tmp_path / "original"
    probe = ProbeResult(
        container=demuxer,
        demuxer=demuxer,
        duration_seconds=3.0,
        video={"index": 0, "type": "video", "codec": "h264", "width": 320, "height": 240},
        audio={"index": 1, "type": "audio", "codec": "aac"},
    )
    graphs = [
        normalising.video_proxy_graph(src, tmp_path / "proxy.mp4", probe),
        normalising.audio_proxy_graph(src, tmp_path / "proxy.m4a", probe),
        normalising.analysis_wav_graph(src, tmp_path / "audio.wav", probe),
        normalising.poster_graph(src, tmp_path / "poster.jpg", probe, at=1.0),
        normalising.poster_graph(src, tmp_path / "poster.jpg", probe, at=0.0),
    ]
    for graph in graphs:
        args = ffmpeg_args(graph)
        inputs = _input_options(args)
        assert len(inputs) == 1, args
        options = inputs[0]
        assert options[options.index("-f") + 1] == demuxer
        assert options[options.index("-protocol_whitelist") + 1] == "file"
        assert options[options.index("-format_whitelist") + 1] == demuxer
        assert args[args.index("-i") + 1] == f"file:{src.resolve()}"
        assert "-nostdin" in args


@pytest.mark.parametrize("demuxer", ["hls", "concat", "dash", "image2", "lavfi", ""])
def test_ffmpeg_refuses_to_build_an_input_with_any_other_demuxer(demuxer, tmp_path):
    with pytest.raises(TranscodeError):
        safe_input(tmp_path / "original", demuxer)


# --- still images and image-sequence tricks --------------------------------------------------


@pytest.mark.parametrize(("suffix", "label"), [(".jpg", "JPEG"), (".png", "PNG"), (".gif", "GIF")])
def test_a_still_image_named_mp4_fails_as_an_image(owner_client, project, tmp_path, suffix, label):
    image = make_still_image(tmp_path / f"frame{suffix}")
    asset = upload_and_process(owner_client, project, image.read_bytes(), name="clip.mp4")
    assert_failed(asset, f"image ({label.lower()})")
    assert "not accepted" in asset.failure_reason


def test_a_sequence_of_jpegs_in_one_file_fails_as_an_image(owner_client, project, tmp_path):
    frames = [make_still_image(tmp_path / f"f{i}.jpg").read_bytes() for i in range(3)]
    asset = upload_and_process(owner_client, project, b"".join(frames), name="img%03d.jpg")
    assert_failed(asset, "image sequences are not accepted")
    assert asset.original_name == "img%03d.jpg"


def test_a_pattern_in_the_file_name_is_never_expanded(owner_client, project, clip_mp4):
    asset = upload_and_process(owner_client, project, clip_mp4.read_bytes(), name="take%03d.mp4")
    assert asset.status == AssetStatus.READY, asset.failure_reason
    assert asset.original_name == "take%03d.mp4"


# --- legitimate media that merely looks textual ----------------------------------------------


def test_an_mp3_whose_tag_holds_playlist_text_is_accepted(owner_client, project, tmp_path):
    mp3 = make_mp3(
        tmp_path / "song.mp3",
        title="#EXTM3U",
        comment="file 'other.mp4'\nhttp://example.org/x.ts\nffconcat version 1.0",
    )
    asset = upload_and_process(owner_client, project, mp3.read_bytes(), name="song.mp3")
    assert asset.status == AssetStatus.READY, asset.failure_reason
    assert asset.kind == "audio"
    assert asset.probe["audio"]["codec"] == "mp3"


def test_a_video_whose_metadata_holds_urls_is_accepted(owner_client, project, tmp_path):
    clip = make_clip(tmp_path / "plain.mp4", seconds=1)
    tagged = tmp_path / "tagged.mp4"
    run_ffmpeg_cli(
        "-i", str(clip), "-c", "copy", "-metadata", "comment=#EXTM3U\nhttp://127.0.0.1:9/x.ts", str(tagged)
    )
    asset = upload_and_process(owner_client, project, tagged.read_bytes())
    assert asset.status == AssetStatus.READY, asset.failure_reason


def test_probe_names_codecs_not_decoders(tmp_path):
    # PyAV reports the decoder ("mp3float"); the probe must report the codec ("mp3").
    mp3 = make_mp3(tmp_path / "tone.mp3", seconds=1)
    assert probe_file(mp3).audio["codec"] == "mp3"


# --- size limits -----------------------------------------------------------------------------


def test_an_upload_announced_larger_than_the_limit_gets_413_before_it_is_read(
    owner_client, project, settings
):
    settings.AFFECTLAB_MAX_UPLOAD_BYTES = 1000
    before = upload_temp_files()
    response = upload(owner_client, project, b"\x00" * 200_000)
    assert response.status_code == 413
    assert "1,000 bytes" in response.json()["detail"]
    assert not MediaAsset.objects.exists()
    assert upload_temp_files() == before


def test_an_upload_that_streams_past_the_limit_gets_413(owner_client, project, settings):
    # Content-Length is within the allowance for multipart overhead; the file itself is too big.
    settings.AFFECTLAB_MAX_UPLOAD_BYTES = 10_000
    before = upload_temp_files()
    response = upload(owner_client, project, b"\x01" * 50_000)
    assert response.status_code == 413
    assert "10,000 bytes" in response.json()["detail"]
    assert not MediaAsset.objects.exists()
    assert upload_temp_files() == before


def test_a_file_exactly_at_the_limit_is_accepted(owner_client, project, settings):
    settings.AFFECTLAB_MAX_UPLOAD_BYTES = 10_000
    response = upload(owner_client, project, b"\x02" * 10_000)
    assert response.status_code == 201, response.content
    assert response.json()["size_bytes"] == 10_000


def test_a_body_longer_than_its_content_length_is_read_only_as_far_as_announced(owner_client, project):
    body = multipart_body(file_name="clip.mp4", content=b"\x03" * 50_000)
    before = upload_temp_files()
    response = owner_client.generic(
        "POST",
        f"/api/projects/{project.pk}/media/",
        body,
        content_type=MULTIPART,
        CONTENT_LENGTH=str(len(body) // 2),
    )
    assert response.status_code == 400
    assert "no complete file arrived" in response.json()["file"].lower()
    assert not MediaAsset.objects.exists()
    assert upload_temp_files() == before


# --- metadata --------------------------------------------------------------------------------

BAD_METADATA = {
    "not_json": ("subject: S01", "not valid json"),
    "array": ('["S01", "S02"]', "must be a json object, got an array"),
    "string": ('"S01"', "must be a json object, got a string"),
    "bare_nan": ("NaN", "nan"),
    "nan_inside": ('{"valence": NaN}', "nan"),
    "infinity_inside": ('{"arousal": -Infinity}', "infinity"),
    "too_large": (json.dumps({"notes": "x" * (64 * 1024)}), "larger than 64 kib"),
    "nul_character": ('{"subject": "S\\u000001"}', "nul"),
    "lone_surrogate": ('{"subject": "\\ud800"}', "surrogate"),
    "too_deep": ('{"a":' * 40 + "1" + "}" * 40, "nested"),
    "recursion_bomb": ("[" * 100_000, "nested"),
}


@pytest.mark.parametrize("case", sorted(BAD_METADATA))
def test_malformed_metadata_is_refused_with_400(owner_client, project, clip_mp4, case):
    raw, expected = BAD_METADATA[case]
    before = upload_temp_files()
    response = upload(owner_client, project, clip_mp4.read_bytes(), fields={"metadata": raw})
    assert response.status_code == 400, response.content
    assert expected in response.json()["metadata"].lower()
    assert not MediaAsset.objects.exists()
    assert upload_temp_files() == before


def test_metadata_sent_as_a_file_is_refused_with_400(owner_client, project, clip_mp4):
    body = multipart_body(
        file_name="clip.mp4",
        content=clip_mp4.read_bytes(),
        other_files={"metadata": ("meta.json", b'{"subject": "S01"}')},
    )
    response = owner_client.generic(
        "POST", f"/api/projects/{project.pk}/media/", body, content_type=MULTIPART
    )
    assert response.status_code == 400, response.content
    assert "not a file" in response.json()["metadata"]
    assert not MediaAsset.objects.exists()


def test_metadata_just_under_the_limit_is_kept(owner_client, project, clip_mp4):
    notes = "x" * (64 * 1024 - len('{"notes":""}'))
    response = upload(
        owner_client, project, clip_mp4.read_bytes(), fields={"metadata": json.dumps({"notes": notes})}
    )
    assert response.status_code == 201, response.content
    assert response.json()["metadata"]["notes"] == notes


# --- one bad upload never touches another asset ----------------------------------------------


def test_bad_uploads_leave_a_ready_asset_untouched(owner_client, project, clip_mp4, tmp_path, listener):
    good = upload_and_process(owner_client, project, clip_mp4.read_bytes())
    assert good.status == AssetStatus.READY, good.failure_reason
    files = {
        name: hashlib.sha256(default_storage.open(key).read()).hexdigest()
        for name, key in good.derived.items()
    }
    bad_inputs = [
        b"",
        b"just some text\n" * 10,
        hls_playlist(listener.getsockname()[1]),
        cut_file(clip_mp4, tmp_path / "half.mp4").read_bytes(),
    ]
    for content in bad_inputs:
        response = upload(owner_client, project, content)
        if response.status_code == 201:
            assert process(response.json()["id"]).status == AssetStatus.FAILED
    after = MediaAsset.objects.get(pk=good.pk)
    assert (after.status, after.derived, after.updated_at) == (good.status, good.derived, good.updated_at)
    assert {
        name: hashlib.sha256(default_storage.open(key).read()).hexdigest()
        for name, key in after.derived.items()
    } == files
    assert connections_made(listener) == 0


@pytest.mark.timeout(120)
def test_the_ffmpeg_runner_reports_the_end_of_a_long_error_log(tmp_path):
    clip = make_damaged_clip(tmp_path / "damaged.mp4", seconds=20)
    probe = probe_file(clip)
    graph = ffmpeg.output(
        safe_input(clip, probe.demuxer), str(tmp_path / "out.mp4"), f="mp4", vcodec="libx264"
    )
    with pytest.raises(TranscodeError) as caught:
        run_ffmpeg(graph, duration_seconds=probe.duration_seconds)
    assert 0 < len(caught.value.detail) <= 2000
    assert "error" in caught.value.detail.lower()


@pytest.mark.parametrize(
    ("suffix", "codec_args"),
    [
        (".wav", ["-c:a", "pcm_s16le"]),
        (".flac", ["-c:a", "flac"]),
        (".ogg", ["-c:a", "libvorbis"]),
        (".opus", ["-c:a", "libopus"]),
        (".mkv", ["-c:a", "flac"]),
        (".mp3", ["-c:a", "libmp3lame"]),
        (".aac", ["-c:a", "aac"]),
        (".m4a", ["-c:a", "aac"]),
        (".aiff", ["-c:a", "pcm_s16be"]),
        (".wma", ["-c:a", "wmav2"]),
        (".ts", ["-c:a", "mp2"]),
    ],
)
def test_legitimate_media_passes_the_sniffer_and_the_probe(tmp_path, suffix, codec_args):
    path = tmp_path / f"tone{suffix}"
    run_ffmpeg_cli("-f", "lavfi", "-i", "sine=frequency=500:duration=0.5", *codec_args, str(path))
    assert refuse_indirect_media(path) == Sniffed(image=None, text=False)
    result = probe_file(path)
    assert result.audio is not None
    assert result.duration_seconds == pytest.approx(0.5, abs=0.15)


def test_too_many_file_parts_get_a_json_400(owner_client, project, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    before = upload_temp_files()
    body = multipart_body(
        file_name="clip.mp4",
        content=b"a",
        other_files={f"extra{i}": (f"x{i}.mp4", b"b" * 10) for i in range(5)},
    )
    response = owner_client.generic(
        "POST", f"/api/projects/{project.pk}/media/", body, content_type=MULTIPART
    )
    assert response.status_code == 400
    assert "DATA_UPLOAD_MAX_NUMBER_FILES" in response.json()["detail"]
    assert not MediaAsset.objects.exists()
    assert upload_temp_files() == before


def test_a_derived_file_that_cannot_be_read_has_no_duration(tmp_path):
    broken = tmp_path / "proxy.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 100)
    assert normalising.decoded_duration(broken) is None
