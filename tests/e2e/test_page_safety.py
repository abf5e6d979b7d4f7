"""Pages render hostile data as text, run under an enforced CSP, and show uploads only to uploaders."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ingest.models import AssetStatus, MediaAsset
from tests.factories import ProjectFactory

pytestmark = pytest.mark.e2e

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile_project(owner_user):
    project = ProjectFactory(created_by=owner_user, name=HOSTILE, description=HOSTILE)
    MediaAsset.objects.create(
        project=project,
        sha256="0" * 64,
        original_name=HOSTILE,
        status=AssetStatus.FAILED,
        failure_reason=HOSTILE,
        metadata={"subject": HOSTILE, HOSTILE: "S01"},
    )
    return project


def assert_nothing_injected(browsing) -> None:
    page = browsing.page
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("[...document.querySelectorAll('*')].some(e => e.hasAttribute('onerror'))") is False
    assert browsing.log.dialogs == []
    assert browsing.csp_violations() == []


def test_hostile_project_and_asset_names_render_as_text(hostile_project, owner_user, browsing):
    page = browsing.page
    browsing.sign_in(owner_user.username)
    card = page.locator(".project-card").filter(has=page.locator(".project-name", has_text=HOSTILE))
    expect(card.locator(".project-name")).to_have_text(HOSTILE)
    assert_nothing_injected(browsing)

    page.get_by_label("Project name").fill(HOSTILE + " 2")
    page.get_by_role("button", name="Create project").click()
    expect(page.locator(".project-name", has_text=HOSTILE + " 2")).to_have_count(1)
    assert_nothing_injected(browsing)

    page.goto(f"{browsing.base_url}/projects/{hostile_project.pk}/")
    expect(page.locator("h1")).to_contain_text(HOSTILE)
    row = page.locator("tr[data-asset-id]")
    expect(row.locator(".asset-name")).to_have_text(HOSTILE)
    expect(row.locator(".failure-reason")).to_have_text(HOSTILE)
    expect(row.locator(".chip")).to_have_text([f"subject{HOSTILE}", f"{HOSTILE}S01"])
    assert_nothing_injected(browsing)
    assert browsing.log.page_errors == []


def test_pages_carry_a_csp_that_the_browser_enforces(owned_project, owner_user, browsing):
    page = browsing.page
    login = page.goto(f"{browsing.base_url}/login/")
    assert "script-src 'self'" in login.headers["content-security-policy"]
    browsing.sign_in(owner_user.username)
    project_page = page.goto(f"{browsing.base_url}/projects/{owned_project.pk}/")
    policy = project_page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    expect(page.locator("#upload-section")).to_be_visible()
    assert browsing.csp_violations() == []

    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__inlineRan = true";
            document.head.append(script);
            return window.__inlineRan === true;
        }"""
    )
    assert ran is False
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert any(line.startswith("script-src") for line in browsing.csp_violations())


def test_an_annotator_sees_the_media_but_no_upload_zone(owned_project, annotator_user, browsing):
    page = browsing.page
    browsing.sign_in(annotator_user.username)
    card = page.locator(".project-card", has_text=owned_project.name)
    expect(card.locator(".badge")).to_have_text("Annotator")
    card.get_by_role("link").click()
    expect(page.locator("#readonly-note")).to_be_visible()
    expect(page.locator("#role-badge")).to_have_text("Annotator")
    expect(page.locator("#upload-section")).to_be_hidden()
    expect(page.locator("#asset-empty")).to_be_visible()
    assert re.search(r"/projects/\d+/$", page.url)
