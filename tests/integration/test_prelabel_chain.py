"""The project's whole default pre-labeling chain on a real worker process, checked against the clip.

An upload of a short clip (a real face photo and espeak-ng speech at known times) goes through
ingestion, and the project's auto-run list starts every built-in pre-labeler; the Celery chains
order them (faces before action units and face VAD, the transcript before text VAD, all three
estimates before the fused one). Each track is then compared with what the clip is known to hold.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from django.core.files.storage import default_storage

from ingest.models import AssetStatus
from ingest.services.ffmpeg_runner import ffmpeg_binary
from models_zoo.models import JobState, PrelabelJob
from models_zoo.prelabelers.face_geometry import iou
from models_zoo.registry import BUILTIN
from models_zoo.services.track_files import track_table_read
from tests.models_zoo.media import FACE_IN_PHOTO, FPS, HEIGHT, SIZE, WIDTH, encode, still_frame
from tests.models_zoo.speech_samples import RATE, espeak_16k, placed, wav_write

from .assets import upload, wait_until_finished

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SENTENCE = "I am so happy and delighted today."
LEAD, TAIL = 0.6, 0.6  # seconds of silence around the sentence
CHAIN = [cls.name for cls in BUILTIN]
FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


@pytest.fixture(scope="module")
def spoken_face_clip(tmp_path_factory) -> tuple[Path, tuple[float, float]]:
    """The smiling photo for the whole clip; the sentence spoken after LEAD seconds of silence."""
    work = tmp_path_factory.mktemp("chain")
    audio, spans = placed([LEAD, espeak_16k(SENTENCE, work), TAIL])
    wav = wav_write(work / "speech.wav", audio)
    frames = int(np.ceil(audio.size / RATE * FPS))
    video = encode(work / "face.mp4", [still_frame()] * frames)
    clip = work / "spoken_face.mp4"
    mux = [
        ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y", "-i", str(video), "-i", str(wav),
        "-c:v", "copy", "-c:a", "aac", "-shortest", str(clip),
    ]  # fmt: skip
    subprocess.run(mux, check=True)
    return clip, spans[0]


def face_box() -> tuple[float, float, float, float]:
    """Where the face lies in ``still_frame`` (the photo centred, full height), normalised."""
    scale, left = SIZE / 512, (WIDTH - SIZE) // 2
    x0, y0, x1, y1 = FACE_IN_PHOTO
    return (
        (left + x0 * scale) / WIDTH, y0 * scale / HEIGHT, (left + x1 * scale) / WIDTH, y1 * scale / HEIGHT,
    )  # fmt: skip


def wait_for_chain(asset_id: int, worker, *, timeout: float = 240) -> dict[str, PrelabelJob]:
    """Every pre-labeler of the chain has one finished job (a repeat would show as a second row)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = list(PrelabelJob.objects.filter(asset_id=asset_id).order_by("id"))
        if sorted(j.prelabeler for j in jobs) == sorted(CHAIN) and all(j.state in FINISHED for j in jobs):
            return {job.prelabeler: job for job in jobs}
        time.sleep(0.2)
    jobs = PrelabelJob.objects.filter(asset_id=asset_id)
    states = [(j.prelabeler, j.state, j.progress, j.error) for j in jobs]
    raise AssertionError(f"the chain did not finish in {timeout} s: {states}\n{worker.log()[-6000:]}")


def rows(job: PrelabelJob, kind: str) -> list[dict]:
    return track_table_read(track=job.tracks.get(kind=kind)).to_pylist()


def test_an_upload_runs_the_whole_default_chain_on_a_worker(workers, owner_client, project, spoken_face_clip):
    clip, (speech_start, speech_end) = spoken_face_clip
    response = owner_client.patch(f"/api/projects/{project.pk}/", {"auto_prelabelers": CHAIN}, format="json")
    assert response.status_code == 200, response.content
    worker = workers()
    started = time.monotonic()

    asset = wait_until_finished(upload(owner_client, project, clip)["id"], timeout=60, workers=[worker])
    assert asset.status == AssetStatus.READY, asset.failure_reason
    jobs = wait_for_chain(asset.pk, worker)
    elapsed = time.monotonic() - started
    failed = {name: job.error for name, job in jobs.items() if job.state != JobState.SUCCEEDED}
    assert not failed, f"{failed}\n{worker.log()[-6000:]}"
    print(f"\nupload to a finished chain of {len(jobs)} jobs: {elapsed:.1f} s")

    # The chains ran in order: each job started after the jobs it reads had finished.
    for job in jobs.values():
        for upstream in job.depends_on.all():
            assert upstream.finished_at <= job.started_at, (job.prelabeler, upstream.prelabeler)
    fused_inputs = {up.prelabeler for up in jobs["vad_fused"].depends_on.all()}
    assert fused_inputs == {"vad_text", "vad_voice"}

    # Faces: one face on every sampled frame, boxed over the photo's face; crops written.
    faces = rows(jobs["face"], "faces")
    sampled = jobs["face"].tracks.get(kind="faces").metadata["sampled_frames"]
    assert sampled >= 5 and len(faces) == sampled
    for row in faces:
        assert iou((row["x0"], row["y0"], row["x1"], row["y1"]), face_box()) >= 0.5, row
    crops = [row["crop_key"] for row in faces if row["crop_key"]]
    assert crops and all(default_storage.exists(key) for key in crops)

    # Action units: the astronaut smiles, so the lip corner puller is high.
    units = rows(jobs["action_units"], "action_units")
    assert len(units) == len(faces)
    assert np.mean([row["AU12"] for row in units]) > 0.5

    # Speech recognition: the spoken words, timed inside the spoken stretch.
    words = rows(jobs["asr"], "words")
    heard = [re.sub(r"[^a-z']", "", row["word"].lower()) for row in words]
    assert {"happy", "delighted"} <= set(heard), heard
    # Whisper may start a segment's first word early (at 0 here, in the lead silence), so every word
    # is checked to overlap the speech, and the words named above to start inside it.
    for row, word in zip(words, heard, strict=True):
        assert row["end"] > speech_start and row["start"] < speech_end, row
        if word in ("happy", "delighted"):
            assert speech_start <= row["start"] < row["end"] <= speech_end + 0.3, row

    # Voice activity: the speech segments cover the sentence and not the silence around it.
    segments = rows(jobs["voice_activity"], "speech_segments")
    assert segments, "no speech found"
    assert segments[0]["start"] == pytest.approx(speech_start, abs=0.3)
    assert segments[-1]["end"] == pytest.approx(speech_end, abs=0.3)

    # Valence-arousal-dominance: happy words and a smiling face both read as pleasant.
    text = rows(jobs["vad_text"], "vad_text")
    scored = [row["valence"] for row in text if row["valence"] is not None]
    assert scored and max(scored) > 6.0, text
    voice = rows(jobs["vad_voice"], "vad_voice")
    assert any(row["arousal"] is not None for row in voice), voice
    face = rows(jobs["vad_face"], "vad_face")
    assert face and all(row["valence"] > 5.0 for row in face if row["valence"] is not None), face
    # The fused estimate takes the face estimate too when that finished first, as on one worker here.
    fused = rows(jobs["vad_fused"], "vad_fused")
    assert fused and any(row["valence"] is not None and row["valence"] > 5.0 for row in fused), fused
    if jobs["vad_face"].finished_at <= jobs["vad_fused"].started_at:
        assert all(row["sources"] == "text,voice,face" for row in fused), fused
    assert worker.log().count("loaded the model of face") == 1
