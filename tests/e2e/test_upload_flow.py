"""Uploading through the project page, processed by a real Celery worker, watched live in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.media_samples import make_clip

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

SCREENSHOT = "/tmp/affectlab-project-page.png"
PROCESSING_TIMEOUT_MS = 60_000


def open_project(browsing, project) -> None:
    browsing.page.get_by_role("link", name=re.compile(re.escape(project.name))).click()
    browsing.page.wait_for_url(f"{browsing.base_url}/projects/{project.pk}/")
    expect(browsing.page.locator("#upload-section")).to_be_visible()


def test_an_uploaded_clip_shows_upload_progress_then_becomes_ready(
    owned_project, owner_user, celery_worker, browsing, tmp_path
):
    clip = make_clip(tmp_path / "interview.mp4", seconds=3)
    page = browsing.page
    browsing.sign_in(owner_user.username)
    card = page.locator(".project-card", has_text=owned_project.name)
    expect(card.locator(".badge")).to_have_text("Owner")
    expect(card.locator(".asset-count")).to_have_text("0 items")
    open_project(browsing, owned_project)

    page.set_input_files("#file-input", str(clip))

    upload = page.locator(".upload-item", has_text="interview.mp4")
    expect(upload).to_have_attribute("data-state", "created")
    expect(upload.locator("progress")).to_have_attribute("value", "100")
    expect(upload.locator(".upload-percent")).to_have_text("100%")
    expect(upload.locator(".upload-message")).to_have_text("Uploaded")

    row = page.locator("tr[data-asset-id]", has_text="interview.mp4")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "ready", timeout=PROCESSING_TIMEOUT_MS)
    expect(row.locator(".status-badge")).to_have_text("Ready")
    expect(row.locator(".col-kind")).to_have_text("Video")
    expect(row.locator(".col-duration")).to_have_text("0:03")
    expect(row.locator(".progress-percent")).to_have_text("100%")
    poster = row.locator("img.poster")
    expect(poster).to_be_visible()
    poster.scroll_into_view_if_needed()  # posters load lazily, as the row comes into view
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=poster.element_handle())
    page.screenshot(path=SCREENSHOT, full_page=True)

    row.get_by_role("button", name="Play interview.mp4").click()
    video = page.locator("#player video")
    expect(video).to_be_visible()
    duration = page.wait_for_function(
        "v => v.readyState >= 1 && v.duration", arg=video.element_handle()
    ).json_value()
    assert duration == pytest.approx(3, abs=0.2)
    page.keyboard.press("Escape")
    expect(page.locator("#player")).not_to_be_visible()

    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []


def test_the_same_bytes_again_are_reported_as_a_duplicate_not_a_second_asset(
    owned_project, owner_user, celery_worker, browsing, tmp_path
):
    clip = make_clip(tmp_path / "take1.mp4", seconds=1)
    copy = tmp_path / "take1-copy.mp4"
    copy.write_bytes(clip.read_bytes())
    page = browsing.page
    browsing.sign_in(owner_user.username)
    open_project(browsing, owned_project)

    page.set_input_files("#file-input", str(clip))
    expect(page.locator(".upload-item", has_text="take1.mp4")).to_have_attribute("data-state", "created")
    page.set_input_files("#file-input", str(copy))

    duplicate = page.locator(".upload-item", has_text="take1-copy.mp4")
    expect(duplicate).to_have_attribute("data-state", "duplicate")
    expect(duplicate.locator(".upload-message")).to_have_text("Already uploaded (duplicate)")
    rows = page.locator("tr[data-asset-id]")
    expect(rows).to_have_count(1)
    expect(rows).to_have_attribute("data-status", "ready", timeout=PROCESSING_TIMEOUT_MS)
    assert browsing.csp_violations() == []


def test_files_chosen_with_the_keyboard_upload_together_and_bad_ones_say_why(
    owned_project, owner_user, celery_worker, browsing, tmp_path
):
    notes = tmp_path / "notes.mp4"
    notes.write_text("Meeting notes\nSubject S01 looked tired.\n")
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    page = browsing.page
    browsing.sign_in(owner_user.username)
    open_project(browsing, owned_project)

    zone = page.locator("#drop-zone")
    # Playwright starts intercepting choosers when the listener is added; a round trip (the
    # focus) between that and the key press keeps the press from beating the interception.
    with page.expect_file_chooser() as chooser:
        zone.focus()
        expect(zone).to_be_focused()
        page.keyboard.press("Enter")
    assert chooser.value.is_multiple()
    chooser.value.set_files([str(notes), str(empty)])

    refused = page.locator(".upload-item", has_text="empty.wav")
    expect(refused).to_have_attribute("data-state", "error")
    expect(refused.locator(".upload-message")).to_have_text("The file is empty (0 bytes).")
    expect(page.locator(".upload-item", has_text="notes.mp4")).to_have_attribute("data-state", "created")

    row = page.locator("tr[data-asset-id]", has_text="notes.mp4")
    expect(row).to_have_attribute("data-status", "failed", timeout=PROCESSING_TIMEOUT_MS)
    expect(row.locator(".status-badge")).to_have_text("Failed")
    asset_id = row.get_attribute("data-asset-id")
    api = page.request.get(f"{browsing.base_url}/api/media/{asset_id}/").json()
    assert api["status"] == "failed"
    assert "not audio or video" in api["failure_reason"]
    expect(row.locator(".failure-reason")).to_have_text(api["failure_reason"])
    expect(page.locator("tr[data-asset-id]")).to_have_count(1)

    with page.expect_file_chooser() as chooser:
        zone.focus()
        expect(zone).to_be_focused()
        page.keyboard.press(" ")
    chooser.value.set_files([])
    expect(page.locator(".upload-item")).to_have_count(2)
    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []
