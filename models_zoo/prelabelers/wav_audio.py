"""The asset's normalised audio (16 kHz mono 16-bit WAV) as float32 samples.

Models get arrays rather than paths, so no decoder (ffmpeg on PATH) is needed at run time.
"""

from __future__ import annotations

import wave

import numpy as np

from ingest.models import MediaAsset
from ingest.services.local_files import local_copy

from .base import BadInput

SAMPLE_RATE = 16_000


def asset_audio_read(*, asset: MediaAsset, min_seconds: float = 0.0) -> np.ndarray:
    """Mono float32 samples in -1..1 at 16 kHz; BadInput when the asset has no usable audio."""
    key = (asset.derived or {}).get("audio")
    if not key:
        raise BadInput(f"Asset {asset.pk} ({asset.kind}) has no audio track.")
    with local_copy(key) as path:
        try:
            with wave.open(str(path)) as wav:
                rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
                raw = wav.readframes(wav.getnframes())
        except (wave.Error, EOFError) as exc:
            raise BadInput(f"The audio of asset {asset.pk} is not a readable WAV file: {exc}.") from exc
    if width != 2:
        raise BadInput(f"The audio of asset {asset.pk} is {8 * width}-bit; 16-bit PCM is expected.")
    samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    if rate != SAMPLE_RATE:
        samples = _resample(samples, rate, SAMPLE_RATE)
    if samples.size == 0 or samples.size < min_seconds * SAMPLE_RATE:
        raise BadInput(f"The audio of asset {asset.pk} is empty or too short to process.")
    return np.ascontiguousarray(samples, dtype=np.float32)


def _resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Linear interpolation: only a fallback, since ingestion already writes 16 kHz."""
    count = int(round(samples.size * target / rate))
    positions = np.arange(count) * (rate / target)
    return np.interp(positions, np.arange(samples.size), samples).astype(np.float32)
