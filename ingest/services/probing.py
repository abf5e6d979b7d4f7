"""Probing: what a file really is, read from its bytes with PyAV (never from its name).

The file is opened with only the ``file`` protocol and only the demuxers we accept:
FFmpeg checks the demuxer it detected against that list *before* the demuxer reads
anything, so a playlist or manifest that slipped past the sniffer is still never
followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av

from .sniffing import Sniffed, refuse_indirect_media

# Demuxers we accept. Anything else (hls, concat, image2, tty/text, dash...) is refused.
ALLOWED_DEMUXERS = frozenset(
    {
        "mov",
        "mp4",
        "m4a",
        "matroska",
        "webm",
        "avi",
        "wav",
        "w64",
        "mp3",
        "ogg",
        "flac",
        "aac",
        "asf",
        "mpegts",
        "aiff",
    }
)
SUPPORTED_VIDEO_CODECS = frozenset(
    {
        "h264",
        "hevc",
        "vp8",
        "vp9",
        "av1",
        "mpeg4",
        "mpeg2video",
        "mpeg1video",
        "mjpeg",
        "prores",
        "theora",
        "wmv2",
        "wmv3",
        "h263",
    }
)
SUPPORTED_AUDIO_CODECS = frozenset(
    {"aac", "mp3", "mp2", "opus", "vorbis", "flac", "alac", "wmav2", "ac3", "eac3", "amr_nb", "amr_wb"}
)
ACCEPTED_TYPES = "MP4, MOV, MKV/WebM, AVI, WAV, MP3, OGG, FLAC or AAC"
MAX_TOP_LEVEL_BOXES = 100_000
UNREADABLE = "The file could not be read as audio or video: it is corrupt, truncated, or not a media file."


class ProbeError(ValueError):
    """The file is not media we can process; the message is for the person who uploaded it."""


@dataclass
class ProbeResult:
    container: str
    demuxer: str
    duration_seconds: float | None
    video: dict[str, Any] | None = None
    audio: dict[str, Any] | None = None
    streams: list[dict[str, Any]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "video" if self.video else "audio"

    def as_dict(self) -> dict[str, Any]:
        return {
            "container": self.container,
            "demuxer": self.demuxer,
            "duration_seconds": self.duration_seconds,
            "video": self.video,
            "audio": self.audio,
            "streams": self.streams,
        }


def _audio_codec_ok(name: str) -> bool:
    return name in SUPPORTED_AUDIO_CODECS or name.startswith("pcm_")


def open_options() -> dict[str, str]:
    """Options for every PyAV open of an untrusted file: local reads only, accepted demuxers only."""
    return {"protocol_whitelist": "file", "format_whitelist": ",".join(sorted(ALLOWED_DEMUXERS))}


def probe_file(path: Path) -> ProbeResult:
    """Streams, codecs and duration of a file, or ProbeError with a reason a person understands."""
    _refuse_non_media(refuse_indirect_media(path))
    try:
        container = av.open(str(path), options=open_options())
    except av.error.ArgumentError as exc:
        raise ProbeError(f"Files of this type are not accepted; upload {ACCEPTED_TYPES}.") from exc
    except av.error.FFmpegError as exc:
        raise ProbeError(iso_media_damage(path) or UNREADABLE) from exc
    with container:
        demuxer_names = container.format.name.split(",")
        if not ALLOWED_DEMUXERS.intersection(demuxer_names):
            raise ProbeError(
                f"Files of type '{container.format.long_name or container.format.name}' are not accepted; "
                f"upload {ACCEPTED_TYPES}."
            )
        result = ProbeResult(
            container=container.format.name,
            demuxer=demuxer_names[0],
            duration_seconds=_seconds(container.duration / av.time_base if container.duration else None),
        )
        try:
            result.streams.extend(_describe_stream(stream) for stream in container.streams)
        except (av.error.FFmpegError, ArithmeticError, TypeError) as exc:
            raise ProbeError(UNREADABLE) from exc
        _choose_streams(result)
    if result.duration_seconds is None:
        durations = [s["duration_seconds"] for s in result.streams if s.get("duration_seconds")]
        result.duration_seconds = max(durations) if durations else None
    return result


def _refuse_non_media(sniffed: Sniffed) -> None:
    if sniffed.image:
        raise ProbeError(
            f"This file is an image ({sniffed.image}), not audio or video. Still images, animations and "
            f"image sequences are not accepted; upload {ACCEPTED_TYPES}."
        )
    if sniffed.text:
        raise ProbeError(f"This file is plain text, not audio or video; upload {ACCEPTED_TYPES}.")


def iso_media_damage(path: Path) -> str | None:
    """Why an MP4/MOV file cannot be read, from its top-level boxes; None when it is not MP4/MOV.

    A recording or upload cut short usually loses the index (the ``moov`` box,
    written last by most recorders) or ends inside a box.
    """
    size = path.stat().st_size
    seen: set[bytes] = set()
    offset = 0
    with open(path, "rb") as handle:
        for _ in range(MAX_TOP_LEVEL_BOXES):
            if offset + 8 > size:
                break
            handle.seek(offset)
            header = handle.read(16)
            box_size, kind = int.from_bytes(header[:4], "big"), header[4:8]
            if offset == 0 and kind != b"ftyp":
                return None
            if box_size == 1 and len(header) == 16:
                box_size = int.from_bytes(header[8:16], "big")
            elif box_size == 0:
                box_size = size - offset
            if box_size < 8 or offset + box_size > size:
                return (
                    "The file is truncated: it ends in the middle of its data, so it was probably cut off "
                    "during upload or recording. Upload the complete file."
                )
            seen.add(kind)
            offset += box_size
    if not seen:
        return None
    if b"moov" not in seen:
        return (
            "The MP4/MOV file is incomplete: its index (the 'moov' box) is missing, so it was probably "
            "truncated or the recording was not finished. Upload the complete file."
        )
    return "The MP4/MOV file is corrupt: its index could not be read."


def _seconds(value: float | None) -> float | None:
    """A usable duration: positive and finite, else unknown."""
    if value is None or not (0 < value < 1e9):
        return None
    return float(value)


def _describe_stream(stream: Any) -> dict[str, Any]:
    codec = stream.codec_context
    info: dict[str, Any] = {
        "index": stream.index,
        "type": stream.type,
        "codec": _codec_name(codec),
        "duration_seconds": _seconds(float(stream.duration * stream.time_base))
        if stream.duration and stream.time_base
        else None,
    }
    if stream.type == "video":
        rate = stream.average_rate or stream.guessed_rate
        info.update(
            {
                "width": codec.width,
                "height": codec.height,
                "fps": float(rate) if rate and 0 < rate < 10_000 else None,
                "frames": stream.frames or None,
                "pix_fmt": codec.format.name if codec.format else None,
            }
        )
    elif stream.type == "audio":
        info.update(
            {
                "sample_rate": codec.sample_rate,
                "channels": codec.channels,
                "layout": codec.layout.name if codec.layout else None,
            }
        )
    return info


def _codec_name(codec: Any) -> str | None:
    """The codec's own name ("mp3", "av1"), not its decoder's ("mp3float", "libdav1d")."""
    if codec is None or codec.codec is None:
        return None
    return codec.codec.canonical_name


def _choose_streams(result: ProbeResult) -> None:
    videos = [s for s in result.streams if s["type"] == "video" and not _is_cover_art(s)]
    audios = [s for s in result.streams if s["type"] == "audio"]
    if not videos and not audios:
        if any(s["type"] == "video" for s in result.streams):
            raise ProbeError("The file holds only a still picture, no audio or video to play.")
        raise ProbeError("The file has no audio or video stream.")
    if videos:
        if videos[0]["codec"] not in SUPPORTED_VIDEO_CODECS:
            raise ProbeError(
                f"The video codec '{videos[0]['codec']}' is not supported; "
                "re-encode the video as H.264, HEVC, VP8/VP9, AV1 or MPEG-4."
            )
        if not videos[0].get("width") or not videos[0].get("height"):
            raise ProbeError("The video stream has no frame size; the file is probably damaged.")
        result.video = videos[0]
    if audios:
        if not _audio_codec_ok(audios[0]["codec"] or ""):
            if not videos:
                raise ProbeError(
                    f"The audio codec '{audios[0]['codec']}' is not supported; "
                    "re-encode the audio as AAC, MP3, Opus, Vorbis, FLAC or PCM (WAV)."
                )
        else:
            result.audio = audios[0]


def _is_cover_art(stream: dict[str, Any]) -> bool:
    return stream["codec"] in {"mjpeg", "png"} and (stream.get("frames") or 0) <= 1 and not stream.get("fps")
