"""Derived files every asset gets: a browser proxy, 16 kHz mono WAV, waveform peaks and a poster."""

from __future__ import annotations

import json
import wave
from collections.abc import Callable
from pathlib import Path

import ffmpeg
import numpy as np
from django.conf import settings

from .ffmpeg_runner import run_ffmpeg, safe_input
from .probing import ProbeResult, open_options

ANALYSIS_SAMPLE_RATE = 16_000
PEAKS_SAMPLES_PER_PIXEL = 256
ProgressFn = Callable[[float], None]


def video_proxy_graph(src: Path, out: Path, probe: ProbeResult) -> ffmpeg.nodes.OutputStream:
    """H.264/AAC MP4 with the index at the front (faststart) so a browser can seek at once."""
    max_height = settings.AFFECTLAB_PROXY_MAX_HEIGHT
    source = safe_input(src, probe.demuxer)
    video = (
        _pick(source, probe.video, "v")
        .filter("scale", -2, f"min(ih,{max_height})")
        .filter("format", "yuv420p")
    )
    streams = [video]
    if probe.audio:
        streams.append(_pick(source, probe.audio, "a:0"))
    return ffmpeg.output(
        *streams,
        str(out),
        vcodec="libx264",
        preset="veryfast",
        crf=23,
        acodec="aac",
        audio_bitrate="128k",
        movflags="+faststart",
        f="mp4",
    )


def audio_proxy_graph(src: Path, out: Path, probe: ProbeResult) -> ffmpeg.nodes.OutputStream:
    """AAC in MP4 (m4a) with faststart: small and seekable for hour-long recordings."""
    return ffmpeg.output(
        _pick(safe_input(src, probe.demuxer), probe.audio, "a:0"),
        str(out),
        acodec="aac",
        audio_bitrate="128k",
        movflags="+faststart",
        f="mp4",
    )


def analysis_wav_graph(src: Path, out: Path, probe: ProbeResult) -> ffmpeg.nodes.OutputStream:
    """16 kHz mono 16-bit WAV: what speech and voice models expect."""
    return ffmpeg.output(
        _pick(safe_input(src, probe.demuxer), probe.audio, "a:0"),
        str(out),
        ac=1,
        ar=ANALYSIS_SAMPLE_RATE,
        acodec="pcm_s16le",
        f="wav",
    )


def poster_graph(src: Path, out: Path, probe: ProbeResult, *, at: float) -> ffmpeg.nodes.OutputStream:
    """One JPEG frame ``at`` seconds in, at most 360 pixels high."""
    options = {"ss": f"{at:.3f}"} if at > 0 else {}
    return ffmpeg.output(
        _pick(safe_input(src, probe.demuxer, **options), probe.video, "v").filter("scale", -2, "min(ih,360)"),
        str(out),
        vframes=1,
        f="image2",
        vcodec="mjpeg",
    )


def _pick(source: ffmpeg.nodes.FilterableStream, stream: dict | None, fallback: str):
    """The stream the probe chose, by its index: never a cover picture that happens to come first."""
    index = (stream or {}).get("index")
    return source[str(index)] if isinstance(index, int) and index >= 0 else source[fallback]


def make_video_proxy(src: Path, out: Path, probe: ProbeResult, on_progress: ProgressFn | None = None) -> Path:
    run_ffmpeg(
        video_proxy_graph(src, out, probe), duration_seconds=probe.duration_seconds, on_progress=on_progress
    )
    return out


def make_audio_proxy(src: Path, out: Path, probe: ProbeResult, on_progress: ProgressFn | None = None) -> Path:
    run_ffmpeg(
        audio_proxy_graph(src, out, probe), duration_seconds=probe.duration_seconds, on_progress=on_progress
    )
    return out


def make_analysis_wav(
    src: Path, out: Path, probe: ProbeResult, on_progress: ProgressFn | None = None
) -> Path:
    run_ffmpeg(
        analysis_wav_graph(src, out, probe), duration_seconds=probe.duration_seconds, on_progress=on_progress
    )
    return out


def make_poster(src: Path, out: Path, probe: ProbeResult) -> Path:
    """One JPEG frame from early in the clip (1 s in, or the middle of very short clips)."""
    run_ffmpeg(
        poster_graph(src, out, probe, at=min(1.0, (probe.duration_seconds or 0.0) / 2)), duration_seconds=None
    )
    if not out.exists() or out.stat().st_size == 0:
        run_ffmpeg(poster_graph(src, out, probe, at=0.0), duration_seconds=None)
    return out


def make_peaks(wav_path: Path, out: Path) -> Path:
    """Waveform min/max pairs in the peaks.js / audiowaveform JSON format (8-bit), read in blocks."""
    block_pixels = 4096
    data: list[int] = []
    with wave.open(str(wav_path), "rb") as wav:
        if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
            raise ValueError("analysis WAV must be 16-bit mono")
        rate = wav.getframerate()
        while True:
            frames = wav.readframes(PEAKS_SAMPLES_PER_PIXEL * block_pixels)
            if not frames:
                break
            samples = np.frombuffer(frames, dtype="<i2")
            pad = (-len(samples)) % PEAKS_SAMPLES_PER_PIXEL
            if pad:
                samples = np.concatenate([samples, np.zeros(pad, dtype="<i2")])
            pixels = samples.reshape(-1, PEAKS_SAMPLES_PER_PIXEL)
            lows = (pixels.min(axis=1).astype(np.int32) >> 8).clip(-128, 127)
            highs = (pixels.max(axis=1).astype(np.int32) >> 8).clip(-128, 127)
            data.extend(np.column_stack([lows, highs]).ravel().tolist())
    payload = {
        "version": 2,
        "channels": 1,
        "sample_rate": rate,
        "samples_per_pixel": PEAKS_SAMPLES_PER_PIXEL,
        "bits": 8,
        "length": len(data) // 2,
        "data": data,
    }
    out.write_text(json.dumps(payload, separators=(",", ":")))
    return out


def decoded_duration(path: Path) -> float | None:
    """Duration of a derived file as PyAV reads it, to catch truncated sources; None when unreadable."""
    import av

    try:
        with av.open(str(path), options=open_options()) as container:
            if container.duration:
                return float(container.duration) / av.time_base
    except av.error.FFmpegError:
        return None
    return None
