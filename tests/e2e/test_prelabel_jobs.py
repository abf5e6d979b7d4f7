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
    options = chooser.locator("option").all_inner_texts()
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
