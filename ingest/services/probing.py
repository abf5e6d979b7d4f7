"""Probing: what a file really is, read from its bytes with PyAV (never from its name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av

from .sniffing import refuse_indirect_media

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


def probe_file(path: Path) -> ProbeResult:
    refuse_indirect_media(path)
    try:
        container = av.open(str(path), options={"protocol_whitelist": "file"})
    except av.error.FFmpegError as exc:
        raise ProbeError(
            "The file could not be read as audio or video: it is corrupt, truncated, or not a media file."
        ) from exc
    with container:
        demuxer_names = container.format.name.split(",")
        if not ALLOWED_DEMUXERS.intersection(demuxer_names):
            raise ProbeError(
                f"Files of type '{container.format.long_name or container.format.name}' are not accepted; "
                "upload MP4, MOV, MKV/WebM, AVI, WAV, MP3, OGG, FLAC or AAC."
            )
        result = ProbeResult(
            container=container.format.name,
            demuxer=demuxer_names[0],
            duration_seconds=(float(container.duration) / av.time_base) if container.duration else None,
        )
        for stream in container.streams:
            result.streams.append(_describe_stream(stream))
        _choose_streams(result)
    if result.duration_seconds is None:
        durations = [s["duration_seconds"] for s in result.streams if s.get("duration_seconds")]
        result.duration_seconds = max(durations) if durations else None
    return result


def _describe_stream(stream: Any) -> dict[str, Any]:
    codec = stream.codec_context
    info: dict[str, Any] = {
        "index": stream.index,
        "type": stream.type,
        "codec": codec.name if codec else None,
        "duration_seconds": float(stream.duration * stream.time_base)
        if stream.duration and stream.time_base
        else None,
    }
    if stream.type == "video":
        rate = stream.average_rate or stream.guessed_rate
        info.update(
            {
                "width": codec.width,
                "height": codec.height,
                "fps": float(rate) if rate else None,
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


def _choose_streams(result: ProbeResult) -> None:
    videos = [s for s in result.streams if s["type"] == "video" and not _is_cover_art(s)]
    audios = [s for s in result.streams if s["type"] == "audio"]
    if not videos and not audios:
        raise ProbeError("The file has no audio or video stream.")
    if videos:
        if videos[0]["codec"] not in SUPPORTED_VIDEO_CODECS:
            raise ProbeError(f"The video codec '{videos[0]['codec']}' is not supported.")
        if not videos[0].get("width") or not videos[0].get("height"):
            raise ProbeError("The video stream has no frame size; the file is probably damaged.")
        result.video = videos[0]
    if audios:
        if not _audio_codec_ok(audios[0]["codec"] or ""):
            if not videos:
                raise ProbeError(f"The audio codec '{audios[0]['codec']}' is not supported.")
        else:
            result.audio = audios[0]


def _is_cover_art(stream: dict[str, Any]) -> bool:
    return stream["codec"] in {"mjpeg", "png"} and (stream.get("frames") or 0) <= 1 and not stream.get("fps")
