"""Real synthesized speech for the audio pre-labelers: espeak-ng voices placed at known times."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np

from ingest.services.ffmpeg_runner import ffmpeg_binary

RATE = 16_000


def espeak_16k(text: str, work: Path) -> np.ndarray:
    """``text`` spoken by espeak-ng, resampled to 16 kHz mono, with its own leading/trailing quiet cut off."""
    espeak = shutil.which("espeak-ng")
    assert espeak, "espeak-ng is required for the speech tests (apt-get install espeak-ng)"
    raw, resampled = work / "espeak-22k.wav", work / "espeak-16k.wav"
    subprocess.run([espeak, "-w", str(raw), text], check=True)
    quiet = [ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y"]
    subprocess.run([*quiet, "-i", str(raw), "-ar", str(RATE), "-ac", "1", str(resampled)], check=True)
    samples = wav_read(resampled)
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    assert loud.size, "espeak-ng produced silence"
    return samples[loud[0] : loud[-1] + 1]


def wav_read(path: Path) -> np.ndarray:
    with wave.open(str(path)) as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float32) / 32768


def wav_write(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def placed(parts: list[float | np.ndarray]) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Silences (a number of seconds) and speech arrays in order, and where each speech part lies."""
    pieces, spans, at = [], [], 0.0
    for part in parts:
        if isinstance(part, float | int):
            piece = np.zeros(int(round(part * RATE)), dtype=np.float32)
        else:
            piece = part
            spans.append((at, at + part.size / RATE))
        pieces.append(piece)
        at += piece.size / RATE
    return np.concatenate(pieces), spans
