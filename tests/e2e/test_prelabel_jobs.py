"""Pre-labeling from the project page: run a pre-labeler, watch its job, choose auto-runs; roles respected."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from models_zoo.models import JobState, PrelabelJob
from tests.media_samples import make_clip
from tests.models_zoo.media import ready_asset

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

SCREENSHOT = "/tmp/affectlab-prelabel-jobs.png"
JOB_TIMEOUT_MS = 45_000


@pytest.fixture
def ready_clip(owned_project, owner_user, tmp_path):
    """A ready video asset with an audio track, prepared before the browser opens."""
    clip = make_clip(tmp_path / "dialogue.mp4", seconds=2)
    return ready_asset(owned_project, owner_user, clip, tmp_path)


@pytest.fixture
def failed_job(ready_clip):
    """A job that failed earlier, with an error a person can read."""
    return PrelabelJob.objects.create(
        asset=ready_clip,
        prelabeler="face",
        version="0",
        params_hash="f" * 64,
        state=JobState.FAILED,
        progress=40,
        error="<b>No face model</b> is installed.",
    )


def project_row(browsing, project, name: str):
    page = browsing.page
    page.goto(f"{browsing.base_url}/projects/{project.pk}/")
    row = page.locator("tr[data-asset-id]", has_text=name)
    expect(row).to_have_attribute("data-status", "ready")
    return row


def test_an_owner_runs_voice_activity_and_watches_the_job_finish(
    ready_clip, failed_job, owned_project, owner_user, celery_worker, browsing
):
    page = browsing.page
    browsing.sign_in(owner_user.username)
    row = project_row(browsing, owned_project, "dialogue.mp4")

    failed = row.locator(".job[data-prelabeler='face']")
    expect(failed).to_have_attribute("data-state", "failed")
    expect(failed.locator(".job-state")).to_have_text("Failed")
    expect(failed.locator(".job-error")).to_have_text(failed_job.error)

    chooser = row.get_by_label("Pre-labeler to run on dialogue.mp4")
    expect(chooser.locator("option", has_text="voice_activity")).to_have_count(1)
    options = chooser.locator("option").all_text_contents()
    registry = page.request.get(f"{browsing.base_url}/api/prelabelers/").json()
    assert "voice_activity" in options and "face" in options
    assert set(options) <= {item["name"] for item in registry}

    # Keyboard only: focus the select, pick voice_activity, tab to Run and press Enter.
    chooser.focus()
    chooser.select_option("voice_activity")
    page.keyboard.press("Tab")
    run = row.get_by_role("button", name="Run the chosen pre-labeler on dialogue.mp4")
    expect(run).to_be_focused()
    page.keyboard.press("Enter")

    job = row.locator(".job[data-prelabeler='voice_activity']")
    expect(job).to_have_count(1)
    expect(job).to_have_attribute("data-state", "succeeded", timeout=JOB_TIMEOUT_MS)
    expect(job.locator(".job-state")).to_have_text("Succeeded")
    expect(job.locator(".job-percent")).to_have_text("100%")
    expect(job.locator("progress")).to_have_attribute("value", "100")
    expect(job.locator(".job-error")).to_be_hidden()

    api_jobs = page.request.get(f"{browsing.base_url}/api/media/{ready_clip.pk}/jobs/").json()
    done = [j for j in api_jobs if j["prelabeler"] == "voice_activity"]
    assert [(j["state"], j["progress"]) for j in done] == [("succeeded", 100)]
    tracks = page.request.get(f"{browsing.base_url}/api/media/{ready_clip.pk}/tracks/").json()
    produced = {t["kind"] for t in tracks if t["job"] == done[0]["id"]}
    assert produced == {"speech_segments", "speech_probability"}
    expect(job.locator(".job-detail")).to_contain_text(done[0]["device"])
    page.screenshot(path=SCREENSHOT, full_page=True)

    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []
    assert page.locator("b").count() == 0


def test_an_owner_sets_parameters_in_the_form_and_a_bad_value_is_named_by_its_field(
    ready_clip, owned_project, owner_user, celery_worker, browsing
):
    page = browsing.page
    browsing.sign_in(owner_user.username)
    row = project_row(browsing, owned_project, "dialogue.mp4")
    listed = page.request.get(f"{browsing.base_url}/api/prelabelers/").json()
    registry = {item["name"]: item for item in listed}
    chooser = row.get_by_label("Pre-labeler to run on dialogue.mp4")
    run = row.get_by_role("button", name="Run the chosen pre-labeler on dialogue.mp4")

    # The form follows the chosen pre-labeler: one field per parameter the API describes.
    chooser.select_option("asr")
    form = row.locator("details.param-form")
    form.get_by_label("Parameters of asr for dialogue.mp4").click()
    expect(form).to_have_attribute("open", "")
    fields = form.locator(".param-field")
    assert fields.evaluate_all("els => els.map(e => e.dataset.param)") == [
        spec["name"] for spec in registry["asr"]["parameters"]
    ]
    engine = form.get_by_label("engine", exact=True)
    expect(engine.locator("option")).to_have_text(["default", "faster-whisper", "openai-whisper"])
    beam = form.get_by_label("beam size")
    expect(beam).to_have_value("5")
    beam_hint = form.locator(".param-field[data-param='beam_size'] .param-hint")
    expect(beam_hint).to_have_text("Default: 5 · 1 to 10")

    # A value the server refuses: its message sits under the field, and no job is made.
    beam.fill("20")
    run.click()
    beam_error = form.locator(".param-field[data-param='beam_size'] .param-error")
    expect(beam_error).to_have_text("Parameter 'beam_size' of asr must be between 1 and 10.")
    expect(beam).to_have_attribute("aria-invalid", "true")
    expect(beam).to_be_focused()
    expect(row.locator(".job-message")).to_have_text("asr did not start: check the parameters.")
    jobs_url = f"{browsing.base_url}/api/media/{ready_clip.pk}/jobs/"
    assert [j for j in page.request.get(jobs_url).json() if j["prelabeler"] == "asr"] == []
    beam.fill("3")
    expect(beam_error).to_be_hidden()
    expect(beam).not_to_have_attribute("aria-invalid", "true")

    # Another pre-labeler, a changed threshold: the job runs with it and the API stores it.
    chooser.select_option("voice_activity")
    expect(form).to_have_attribute("open", "")  # the form stays open for the new fields
    expect(form.get_by_label("Parameters of voice_activity for dialogue.mp4")).to_have_count(1)
    threshold = form.get_by_label("threshold")
    expect(threshold).to_have_value("0.5")
    threshold.fill("0.65")
    run.click()
    job = row.locator(".job[data-prelabeler='voice_activity']")
    expect(job).to_have_attribute("data-state", "succeeded", timeout=JOB_TIMEOUT_MS)
    (stored,) = [j for j in page.request.get(jobs_url).json() if j["prelabeler"] == "voice_activity"]
    defaults = registry["voice_activity"]["default_params"]
    assert stored["params"] == {**defaults, "threshold": 0.65}
    page.screenshot(path="/tmp/affectlab-prelabel-params.png", full_page=True)
    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []


def test_owners_choose_what_runs_automatically(owned_project, owner_user, browsing):
    page = browsing.page
    browsing.sign_in(owner_user.username)
    page.goto(f"{browsing.base_url}/projects/{owned_project.pk}/")
    section = page.locator("#prelabel-section")
    expect(section).to_be_visible()
    box = section.get_by_role("checkbox", name=re.compile(r"^voice_activity"))
    expect(box).not_to_be_checked()

    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    expect(section.locator("#auto-status")).to_have_text("Saved. Runs on new media: voice_activity")
    url = f"{browsing.base_url}/api/projects/{owned_project.pk}/"
    assert page.request.get(url).json()["auto_prelabelers"] == ["voice_activity"]

    page.reload()
    expect(box).to_be_checked()
    box.uncheck()
    expect(section.locator("#auto-status")).to_have_text("Saved. Nothing runs automatically.")
    assert page.request.get(url).json()["auto_prelabelers"] == []
    assert browsing.csp_violations() == []


def test_an_annotator_sees_the_jobs_but_cannot_run_or_choose(
    failed_job, ready_clip, owned_project, annotator_user, browsing
):
    page = browsing.page
    browsing.sign_in(annotator_user.username)
    row = project_row(browsing, owned_project, "dialogue.mp4")

    job = row.locator(".job[data-prelabeler='face']")
    expect(job).to_have_attribute("data-state", "failed")
    expect(job.locator(".job-error")).to_have_text(failed_job.error)
    expect(row.locator(".job-run")).to_be_hidden()
    expect(row.get_by_role("button", name=re.compile("^Run"))).to_have_count(0)
    expect(page.locator("#prelabel-section")).to_be_hidden()
    assert page.locator("input[type='checkbox']").count() == 0
    refused = page.request.post(
        f"{browsing.base_url}/api/media/{ready_clip.pk}/prelabel/",
        data={"name": "voice_activity", "params": {}},
        headers={"X-CSRFToken": next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")},
    )
    assert refused.status == 403
    assert browsing.csp_violations() == []


@pytest.fixture
def second_clip(ready_clip, owned_project, owner_user, tmp_path):
    """Another ready clip (different bytes), so the selection holds two assets."""
    clip = make_clip(tmp_path / "interview.mp4", seconds=1)
    return ready_asset(owned_project, owner_user, clip, tmp_path)


def test_an_owner_runs_a_pre_labeler_on_selected_assets(
    ready_clip, second_clip, owned_project, owner_user, celery_worker, browsing
):
    page = browsing.page
    browsing.sign_in(owner_user.username)
    project_row(browsing, owned_project, "dialogue.mp4")
    project_row(browsing, owned_project, "interview.mp4")
    bar = page.locator("#selection-bar")
    expect(bar).to_be_visible()
    run = bar.get_by_role("button", name="Run on selected")
    expect(run).to_be_disabled()
    expect(page.locator("#selection-count")).to_have_text("None selected")

    # One box by keyboard, then "select all" picks up the rest.
    first_box = page.get_by_role("checkbox", name="Select dialogue.mp4")
    first_box.focus()
    page.keyboard.press("Space")
    expect(page.locator("#selection-count")).to_have_text("1 selected")
    select_all = page.get_by_role("checkbox", name="Select all media")
    assert select_all.evaluate("box => box.indeterminate") is True
    select_all.check()
    expect(page.get_by_role("checkbox", name="Select interview.mp4")).to_be_checked()
    expect(page.locator("#selection-count")).to_have_text("2 selected")

    bar.get_by_label("Pre-labeler to run on the selected media").select_option("voice_activity")
    expect(run).to_be_enabled()
    # A value out of range is refused for the whole selection, next to its field.
    bar.get_by_label("Parameters of voice_activity for the selected media").click()
    pad = bar.get_by_label("speech pad seconds")
    pad.fill("9")
    run.click()
    expect(bar.locator(".param-field[data-param='speech_pad_seconds'] .param-error")).to_have_text(
        "Parameter 'speech_pad_seconds' of voice_activity must be between 0.0 and 5.0."
    )
    status = page.locator("#selection-status")
    expect(status).to_have_text("voice_activity did not start: check the parameters.")
    pad.fill("0.1")
    run.click()
    expect(page.locator("#selection-status")).to_have_text("voice_activity: 2 started")
    for name in ("dialogue.mp4", "interview.mp4"):
        job = page.locator("tr[data-asset-id]", has_text=name).locator(
            ".job[data-prelabeler='voice_activity']"
        )
        expect(job).to_have_attribute("data-state", "succeeded", timeout=JOB_TIMEOUT_MS)

    def voice_jobs(asset) -> list[tuple[int, str, int]]:
        jobs = page.request.get(f"{browsing.base_url}/api/media/{asset.pk}/jobs/").json()
        return [(j["id"], j["state"], j["progress"]) for j in jobs if j["prelabeler"] == "voice_activity"]

    finished = {asset.pk: voice_jobs(asset) for asset in (ready_clip, second_clip)}
    assert all(len(jobs) == 1 and jobs[0][1:] == ("succeeded", 100) for jobs in finished.values()), finished
    for asset in (ready_clip, second_clip):
        jobs = page.request.get(f"{browsing.base_url}/api/media/{asset.pk}/jobs/").json()
        pads = [j["params"]["speech_pad_seconds"] for j in jobs if j["prelabeler"] == "voice_activity"]
        assert pads == [0.1]

    # The same request again reuses the finished jobs; unticking one box narrows the selection.
    run.click()
    expect(page.locator("#selection-status")).to_have_text("voice_activity: 0 started, 2 already done")
    page.get_by_role("checkbox", name="Select interview.mp4").uncheck()
    expect(page.locator("#selection-count")).to_have_text("1 selected")
    assert select_all.evaluate("box => box.indeterminate") is True
    assert {asset.pk: voice_jobs(asset) for asset in (ready_clip, second_clip)} == finished
    page.screenshot(path="/tmp/affectlab-prelabel-selection.png", full_page=True)
    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []
