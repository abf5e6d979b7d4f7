"""The openai-whisper engine end to end, on a small random-weight checkpoint built here.

A random model's words are noise, so these tests check the structure of the tracks, that every
time lies inside the audio, the language path taken, the device and the options given to
openai-whisper, and the failures for models that are not available offline.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
import torch
import whisper
from django.test import override_settings
from whisper.model import ModelDimensions, Whisper
from whisper.tokenizer import get_tokenizer

from models_zoo.services.track_files import track_table_read

from .conftest import run_request
from .speech_samples import espeak_16k, placed, wav_write

pytestmark = pytest.mark.django_db

SEGMENT_COLUMNS = {"time", "start", "end", "segment", "text", "avg_logprob", "no_speech_prob"}
WORD_COLUMNS = {"time", "start", "end", "segment", "word", "probability"}


def tiny_checkpoint(path: Path, *, multilingual: bool) -> Path:
    """A two-layer Whisper with random weights, saved the way openai-whisper's checkpoints are.

    The audio side keeps Whisper's fixed 80 mel bins and 1500 frames (30 s windows); the vocabulary
    matches the tokenizer openai-whisper picks from it (51865 tokens: multilingual with 99 languages,
    51864: English-only). A short text context keeps a random model's runaway decoding short.
    """
    tokenizer = get_tokenizer(multilingual=multilingual, num_languages=99)
    dims = ModelDimensions(
        n_mels=80, n_audio_ctx=1500, n_audio_state=64, n_audio_head=2, n_audio_layer=2,
        n_vocab=tokenizer.encoding.n_vocab, n_text_ctx=128, n_text_state=64, n_text_head=2, n_text_layer=2,
    )  # fmt: skip
    torch.manual_seed(7)
    model = Whisper(dims)
    # openai-whisper leaves the text decoder's positional embedding as torch.empty: uninitialised
    # memory that its real checkpoints overwrite. Left so, a random model can decode NaN scores.
    torch.nn.init.normal_(model.decoder.positional_embedding, std=0.02)
    assert all(torch.isfinite(p).all() for p in model.parameters())
    torch.save({"dims": dataclasses.asdict(dims), "model_state_dict": model.state_dict()}, path)
    assert model.is_multilingual is multilingual
    return path


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory):
    """0.5 s of silence, an espeak-ng sentence, 0.5 s of silence."""
    work = tmp_path_factory.mktemp("openai-whisper")
    samples, _ = placed([0.5, espeak_16k("Thank you for coming to the meeting.", work), 0.5])
    return wav_write(work / "sentence.wav", samples), samples.size / 16_000


@pytest.fixture
def transcribe_calls(monkeypatch):
    """The keyword arguments of every openai-whisper transcribe call, the real call still made.

    The real call decodes at temperature 0 only: a random-weight model's fallback to sampling at
    higher temperatures can run away to the end of the text context, which says nothing about our engine.
    What is recorded (and asserted) is what the engine asked for.
    """
    calls: list[dict] = []
    real = Whisper.transcribe

    def recording(model, audio, **options):
        calls.append(options)
        return real(model, audio, **{**options, "temperature": 0.0})

    monkeypatch.setattr(Whisper, "transcribe", recording)
    return calls


@pytest.fixture
def no_downloads(monkeypatch):
    """Any attempt by openai-whisper to fetch a model fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("openai-whisper tried to download a model")

    monkeypatch.setattr(whisper, "_download", refuse)


def check_tracks(job, duration: float) -> tuple[list[dict], list[dict]]:
    segments_track, words_track = job.tracks.get(kind="segments"), job.tracks.get(kind="words")
    assert {c["name"] for c in segments_track.columns} == SEGMENT_COLUMNS, segments_track.columns
    assert {c["name"] for c in words_track.columns} == WORD_COLUMNS, words_track.columns
    assert segments_track.duration_seconds == pytest.approx(duration, abs=0.05)
    segments = track_table_read(track=segments_track).to_pylist()
    words = track_table_read(track=words_track).to_pylist()
    assert segments, "a random model still decodes some tokens on 2-3 s of speech"
    assert segments_track.row_count == len(segments) and words_track.row_count == len(words)
    for row in segments:
        assert 0.0 <= row["time"] == row["start"] <= row["end"] <= duration, row
        assert math.isfinite(row["avg_logprob"]) and row["avg_logprob"] <= 0.0
        assert 0.0 <= row["no_speech_prob"] <= 1.0
    for row in words:
        assert 0.0 <= row["time"] == row["start"] <= row["end"] <= duration, row
        assert 0 <= row["segment"] < len(segments) and 0.0 <= row["probability"] <= 1.0
        segment = segments[row["segment"]]
        assert segment["start"] - 0.01 <= row["start"] and row["end"] <= segment["end"] + 0.01
    for track in (segments_track, words_track):
        assert track.metadata["engine"] == "openai-whisper"
        assert track.metadata["text"] == " ".join(s["text"] for s in segments)
    return segments, words


def test_a_multilingual_checkpoint_runs_the_asr_job_with_language_detection(
    make_ready, speech_wav, tmp_path, transcribe_calls, no_downloads
):
    path, duration = speech_wav
    checkpoint = tiny_checkpoint(tmp_path / "tiny-multilingual.pt", multilingual=True)
    job = run_request(
        make_ready(path), "asr", {"engine": "openai-whisper", "model": str(checkpoint), "beam_size": 1}
    )
    assert job.state == "succeeded", job.error
    assert job.progress == 100
    assert job.device == ("cuda" if torch.cuda.is_available() else "cpu")
    check_tracks(job, duration)
    meta = job.tracks.get(kind="segments").metadata
    assert meta["model"] == str(checkpoint) and meta["language_forced"] is False
    # Detected by the engine before transcribing, from the checkpoint's 99 languages.
    assert meta["language"] in whisper.tokenizer.LANGUAGES
    assert 0.0 < meta["language_probability"] <= 1.0
    (options,) = transcribe_calls
    assert options["word_timestamps"] is True and options["language"] == meta["language"]
    assert options["fp16"] is (job.device == "cuda")
    assert "beam_size" not in options  # beam_size 1 is greedy decoding


def test_an_english_only_checkpoint_set_in_the_settings_takes_the_english_path(
    make_ready, speech_wav, tmp_path, transcribe_calls, no_downloads
):
    path, duration = speech_wav
    checkpoint = tiny_checkpoint(tmp_path / "tiny-en.pt", multilingual=False)
    with override_settings(AFFECTLAB_ASR_ENGINE="openai-whisper", AFFECTLAB_ASR_MODEL=str(checkpoint)):
        job = run_request(make_ready(path), "asr", {"beam_size": 2})
    assert job.state == "succeeded", job.error
    assert job.params["engine"] == "openai-whisper" and job.params["model"] == str(checkpoint)
    check_tracks(job, duration)
    meta = job.tracks.get(kind="words").metadata
    assert meta["language"] == "en" and meta["language_probability"] is None
    (options,) = transcribe_calls
    assert options["language"] == "en" and options["beam_size"] == 2 and options["word_timestamps"] is True


def test_a_named_model_that_is_not_cached_fails_without_downloading(
    make_ready, speech_wav, tmp_path, monkeypatch, no_downloads
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    job = run_request(make_ready(speech_wav[0]), "asr", {"engine": "openai-whisper", "model": "base.en"})
    assert job.state == "failed"
    expected_file = tmp_path / "empty-cache" / "whisper" / "base.en.pt"
    assert job.error == (
        f"Whisper model 'base.en' is not available offline (no {expected_file}); "
        "set AFFECTLAB_ASR_MODEL to a local openai-whisper checkpoint file."
    )
    assert not job.tracks.exists()
    unknown = run_request(job.asset, "asr", {"engine": "openai-whisper", "model": "giant-v9"})
    assert unknown.state == "failed"
    assert unknown.error == (
        "Whisper model 'giant-v9' is not available offline; "
        "set AFFECTLAB_ASR_MODEL to a local openai-whisper checkpoint file."
    )


def test_a_missing_or_damaged_checkpoint_file_fails_the_job_with_its_path(make_ready, speech_wav, tmp_path):
    asset = make_ready(speech_wav[0])
    missing = tmp_path / "nothing-here.pt"
    job = run_request(asset, "asr", {"engine": "openai-whisper", "model": str(missing)})
    assert job.state == "failed"
    assert job.error == f"The openai-whisper checkpoint file {missing} does not exist."
    damaged = tmp_path / "damaged.pt"
    damaged.write_bytes(b"not a torch checkpoint")
    again = run_request(asset, "asr", {"engine": "openai-whisper", "model": str(damaged)})
    assert again.state == "failed"
    assert again.error.startswith(f"The openai-whisper checkpoint {damaged} could not be loaded"), again.error
