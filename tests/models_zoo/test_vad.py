"""Valence-arousal-dominance estimates on real inputs: espeak-ng speech through Whisper, prosody of
loud/high versus quiet/low synthesized speech, and the smiling versus frowning photo."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from models_zoo.prelabelers.vad_fused import fuse
from models_zoo.prelabelers.vad_scale import SCALE_MAX, SCALE_MIN
from models_zoo.prelabelers.warriner_norms import METHOD, norms_load, words_score
from models_zoo.services.requests import prelabel_request
from models_zoo.services.running import prelabel_job_run
from models_zoo.services.track_files import track_table_read

from .conftest import run_request
from .speech_samples import RATE, placed, wav_read, wav_write

pytestmark = pytest.mark.django_db

HAPPY, SAD = "I am so happy and delighted today", "I am miserable and furious"
PLAIN, NEGATED = "I am happy", "I am not happy"
SLOT = 5.0  # each sentence starts 0.5 s into its own 5 s window


def espeak(text: str, work: Path, *options: str) -> np.ndarray:
    """``text`` by espeak-ng with voice ``options``, 16 kHz mono, its own leading/trailing quiet cut off."""
    binary = shutil.which("espeak-ng")
    assert binary, "espeak-ng is required for the speech tests (apt-get install espeak-ng)"
    from ingest.services.ffmpeg_runner import ffmpeg_binary

    raw, resampled = work / "raw.wav", work / "16k.wav"
    subprocess.run([binary, *options, "-w", str(raw), text], check=True)
    quiet = [ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y"]
    subprocess.run([*quiet, "-i", str(raw), "-ar", str(RATE), "-ac", "1", str(resampled)], check=True)
    samples = wav_read(resampled)
    loud = np.flatnonzero(np.abs(samples) > 0.005)
    assert loud.size, "espeak-ng produced silence"
    return samples[loud[0] : loud[-1] + 1]


def in_slots(clips: list[np.ndarray]) -> np.ndarray:
    parts: list = []
    for clip in clips:
        assert clip.size / RATE < SLOT - 1.0, "a sentence is too long for its window"
        parts += [0.5, clip, SLOT - 0.5 - clip.size / RATE]
    samples, _ = placed(parts)
    return samples


@pytest.fixture(scope="module")
def sentences_wav(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("vad_text")
    clips = [espeak(text, work) for text in (HAPPY, SAD, PLAIN, NEGATED)]
    return wav_write(work / "sentences.wav", in_slots(clips))


@pytest.fixture(scope="module")
def loud_then_flat_wav(tmp_path_factory) -> Path:
    """The same sentence loud, high and fast (window 0), then quiet, low and slow (window 1)."""
    work = tmp_path_factory.mktemp("vad_voice")
    sentence = "We are going to the park this afternoon."
    aroused = espeak(sentence, work, "-a", "190", "-p", "90", "-s", "200")
    flat = espeak(sentence, work, "-a", "25", "-p", "5", "-s", "130")
    return wav_write(work / "loud_then_flat.wav", in_slots([aroused, flat]))


def run_chain(asset, name: str, params: dict | None = None):
    """Request ``name`` and run every job it depends on, upstream first, in this process."""
    job = prelabel_request(asset=asset, name=name, params=params)

    def run(node) -> None:
        for upstream in node.depends_on.all():
            run(upstream)
        prelabel_job_run(job_id=node.pk)

    run(job)
    job.refresh_from_db()
    return job


def rows_of(job, kind: str) -> list[dict]:
    assert job.state == "succeeded", job.error
    return track_table_read(track=job.tracks.get(kind=kind)).to_pylist()


def test_happy_speech_scores_higher_valence_than_miserable_speech_and_negation_lowers_it(
    make_ready, sentences_wav
):
    job = run_request(make_ready(sentences_wav), "vad_text")
    (asr_job,) = job.depends_on.all()
    assert asr_job.prelabeler == "asr" and asr_job.state == "succeeded"
    track = job.tracks.get(kind="vad_text")
    assert track.metadata["method"] == METHOD and "non-commercial" in METHOD
    assert track.metadata["estimate"] is True and track.metadata["scale_min"] == 1.0
    rows = {round(r["time"] / SLOT): r for r in rows_of(job, "vad_text")}
    assert set(rows) == {0, 1, 2, 3}, rows
    happy, sad, plain, negated = (rows[i] for i in range(4))
    assert happy["valence"] > 6.5 and sad["valence"] < 3.5
    assert happy["valence"] > sad["valence"] + 3
    assert negated["negated"] >= 1 and plain["negated"] == 0
    assert negated["valence"] < plain["valence"] - 3
    for row in rows.values():
        assert 0 < row["coverage"] <= 1 and row["found"] <= row["words"]
        for dim in ("valence", "arousal", "dominance"):
            assert SCALE_MIN <= row[dim] <= SCALE_MAX


def test_the_word_scorer_lemmatises_negates_and_reports_coverage():
    norms = norms_load()
    assert len(norms) > 13_000 and {"null", "true", "false"} <= set(norms)  # words, not missing values
    happy, sad = words_score(HAPPY.split()), words_score(SAD.split())
    assert happy.valence > sad.valence + 3
    assert words_score(NEGATED.split()).valence == pytest.approx(10 - words_score(PLAIN.split()).valence)
    dont = words_score("I don't feel happy".split())  # both "feel" and "happy" are in the negator's scope
    assert dont.negated == dont.found == 2 and dont.valence < 5
    assert words_score("not a b c happy".split()).negated == 0  # outside the 3-word scope
    assert words_score(["delights"]).valence == pytest.approx(norms["delight"][0])  # plural -s
    assert words_score(["smiled"]).valence == pytest.approx(norms["smile"][0])  # -ed
    unknown = words_score(["qwzx", "blorf"])
    assert unknown.valence is None and unknown.coverage == 0 and unknown.total == 2


def test_loud_high_speech_scores_higher_arousal_than_quiet_flat_speech(make_ready, loud_then_flat_wav):
    job = run_request(make_ready(loud_then_flat_wav), "vad_voice", {"window_seconds": SLOT})
    track = job.tracks.get(kind="vad_voice")
    assert track.metadata["estimate"] is True and "heuristic" in track.metadata["method"]
    rows = {round(r["time"] / SLOT): r for r in rows_of(job, "vad_voice")}
    assert set(rows) == {0, 1}, rows
    aroused, flat = rows[0], rows[1]
    assert aroused["energy_db"] > flat["energy_db"] + 10
    assert aroused["f0_hz"] > flat["f0_hz"] * 1.3
    assert aroused["arousal"] > flat["arousal"] + 2
    assert 60 <= flat["f0_hz"] and aroused["f0_hz"] <= 400


def test_the_smile_scores_higher_valence_than_the_frown(make_ready, smile_then_frown_mp4):
    job = run_request(make_ready(smile_then_frown_mp4), "vad_face", {"window_seconds": 1.0})
    (face_job,) = job.depends_on.all()
    assert face_job.prelabeler == "face"
    track = job.tracks.get(kind="vad_face")
    assert "blendshapes" in track.metadata["method"] and track.metadata["estimate"] is True
    rows = {round(r["time"]): r for r in rows_of(job, "vad_face")}
    assert set(rows) == {0, 1}, rows
    assert rows[0]["frames"] == 5 and rows[1]["frames"] == 5
    assert rows[0]["valence"] > 5.5 > rows[1]["valence"]
    assert rows[0]["valence"] > rows[1]["valence"] + 1.5


def test_the_fused_track_combines_the_sources_present(make_ready, sentences_wav):
    asset = make_ready(sentences_wav)
    job = run_chain(asset, "vad_fused")
    assert {j.prelabeler for j in job.depends_on.all()} == {"vad_text", "vad_voice"}
    track = job.tracks.get(kind="vad_fused")
    assert track.metadata["sources_available"] == ["text", "voice"] and track.metadata["face_job"] is None
    text = {r["time"]: r for r in track_table_read(track=asset.tracks.get(kind="vad_text")).to_pylist()}
    voice = {r["time"]: r for r in track_table_read(track=asset.tracks.get(kind="vad_voice")).to_pylist()}
    fused = rows_of(job, "vad_fused")
    assert {r["time"] for r in fused} == set(text) | set(voice)
    for row in fused:
        t = row["time"]
        assert row["sources"] == ",".join(s for s, rows in (("text", text), ("voice", voice)) if t in rows)
        assert row["valence"] == pytest.approx(text[t]["valence"])  # only the text speaks to valence
        assert row["dominance"] == pytest.approx(text[t]["dominance"])
        assert row["arousal"] == pytest.approx((text[t]["arousal"] + voice[t]["arousal"]) / 2)
    # heavier voice weight pulls arousal toward the voice; a new parameter set is a new job
    heavy = run_chain(asset, "vad_fused", {"weight_voice": 3.0})
    assert heavy.pk != job.pk
    for row in rows_of(heavy, "vad_fused"):
        t = row["time"]
        assert row["arousal"] == pytest.approx((text[t]["arousal"] + 3 * voice[t]["arousal"]) / 4)


def test_fusion_weights_face_text_and_voice_per_dimension(make_ready, smile_then_frown_mp4):
    face_job = run_request(make_ready(smile_then_frown_mp4), "vad_face", {"window_seconds": 1.0})
    face = track_table_read(track=face_job.tracks.get(kind="vad_face"))
    text_scores = [words_score(HAPPY.split()), words_score(SAD.split())]
    text = pa.table({
        "time": [0.0, 1.0],
        "valence": [s.valence for s in text_scores],
        "arousal": [s.arousal for s in text_scores],
        "dominance": [s.dominance for s in text_scores],
    })  # fmt: skip
    voice = pa.table({"time": [1.0], "arousal": [7.0]})
    out = fuse({"text": text, "voice": voice, "face": face},
               weights={"text": 1.0, "voice": 1.0, "face": 2.0}, window_seconds=1.0)  # fmt: skip
    face_rows = face.to_pylist()
    assert out["sources"] == ["text,face", "text,voice,face"]
    for i in range(2):
        assert out["valence"][i] == pytest.approx((text_scores[i].valence + 2 * face_rows[i]["valence"]) / 3)
        assert out["dominance"][i] == pytest.approx(text_scores[i].dominance)
    assert out["arousal"][1] == pytest.approx(
        (text_scores[1].arousal + 7.0 + 2 * face_rows[1]["arousal"]) / 4
    )
    # the smile window's fused valence stays above the frown window's
    assert out["valence"][0] > out["valence"][1]


def test_assets_without_audio_or_face_are_refused_or_give_empty_tracks(make_ready, blank_mp4, owner_client):
    asset = make_ready(blank_mp4)  # video only: no audio stream and no face
    for name, reason in (("vad_voice", "vad_voice needs audio"), ("vad_text", "asr needs audio"),
                         ("vad_fused", "needs audio")):  # fmt: skip
        response = owner_client.post(f"/api/media/{asset.pk}/prelabel/", {"name": name}, format="json")
        assert response.status_code == 400 and reason in str(response.json()), response.json()
    job = run_request(asset, "vad_face")
    assert rows_of(job, "vad_face") == []
    response = owner_client.post(
        f"/api/media/{asset.pk}/prelabel/",
        {"name": "vad_text", "params": {"window_seconds": 0.0}},
        format="json",
    )
    assert response.status_code == 400 and "window_seconds" in str(response.json())
