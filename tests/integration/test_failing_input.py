"""A file that is not media fails with its reason on the worker, and the asset beside it still gets done."""

import pytest

from ingest.models import AssetStatus
from ingest.services.probing import ProbeError, probe_file

from .assets import assert_one_set_of_video_derived_files, stored_derived_files, upload, wait_until_finished

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_text_file_named_mp4_fails_with_a_reason_and_its_neighbour_becomes_ready(
    workers, owner_client, project, clip_mp4, tmp_path
):
    fake = tmp_path / "interview.mp4"
    fake.write_text("Interviewer: How did that make you feel?\nSubject: Relieved, mostly.\n" * 40)
    worker = workers()

    bad_id = upload(owner_client, project, fake)["id"]
    good_id = upload(owner_client, project, clip_mp4)["id"]
    bad = wait_until_finished(bad_id, timeout=60, workers=[worker])
    good = wait_until_finished(good_id, timeout=60, workers=[worker])

    assert bad.status == AssetStatus.FAILED
    with pytest.raises(ProbeError) as probe_error:
        probe_file(fake)
    assert bad.failure_reason == str(probe_error.value)  # the probe's own words, for the uploader
    assert "audio or video" in bad.failure_reason
    assert (bad.derived, stored_derived_files(bad), bad.attempts) == ({}, [], 1)
    assert good.status == AssetStatus.READY, good.failure_reason
    assert_one_set_of_video_derived_files(good)
    # Bad input is never retried, and its chain stops at the probe: one normalise, the neighbour's.
    assert len(worker.received("ingest.probe_asset")) == 2
    assert len(worker.received("ingest.normalise_asset")) == 1
    bad_probe = worker.received("ingest.probe_asset")[0]
    assert worker.task_outcomes(bad_probe) == ["ignored"]
    assert " retry" not in worker.log()
