"""The project page's labeling card: one-click schema templates, handing items out, progress."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from projects.models import Role
from tests.e2e.seeding import text_items

pytestmark = pytest.mark.e2e


@pytest.fixture
def team(owned_project, member_factory):
    text_items(owned_project, [f"Utterance {turn}" for turn in range(3)])
    return {
        "annie": member_factory(owned_project, "annie", Role.ANNOTATOR),
        "bob": member_factory(owned_project, "bob", Role.ANNOTATOR),
        "manon": member_factory(owned_project, "manon", Role.MANAGER),
    }


def test_an_owner_picks_a_template_hands_items_out_and_sees_progress(
    owned_project, owner_user, team, browsing
):
    page = browsing.page
    browsing.sign_in(owner_user.username)
    page.goto(f"{browsing.base_url}/projects/{owned_project.pk}/")
    expect(page.locator("#schema-current")).to_have_text("No label schema yet.")
    page.get_by_label("Use a built-in template").select_option("ekman-7")
    page.get_by_role("button", name="Use template").click()
    expect(page.locator("#schema-status")).to_have_text("Now labeling with version 1.")
    expect(page.locator("#schema-current")).to_contain_text("version 1")

    page.get_by_label("Annotators per item").fill("2")
    page.get_by_role("button", name="Hand out items").click()
    expect(page.locator("#assign-status")).to_have_text("6 new assignment(s).")
    expect(page.locator("#progress-rows tr")).to_have_count(2)
    expect(page.locator("#progress-rows tr[data-annotator='annie'] td.num")).to_have_text("0 of 3")
    assert browsing.csp_violations() == [] and browsing.log.page_errors == []
    # The server agrees (read through the API: the ORM is off limits while the browser runs).
    schema = page.request.get(f"{browsing.base_url}/api/projects/{owned_project.pk}/schema/").json()
    assert schema["template"] == "ekman-7" and schema["version"] == 1
    assignments = page.request.get(f"{browsing.base_url}/api/projects/{owned_project.pk}/assignments/").json()
    rows = assignments["results"] if isinstance(assignments, dict) else assignments
    assert len(rows) == 6 and {row["annotator"] for row in rows} == {"annie", "bob"}


def test_a_manager_hands_out_items_but_cannot_change_the_schema(owned_project, team, browsing):
    page = browsing.page
    browsing.sign_in("manon")
    page.goto(f"{browsing.base_url}/projects/{owned_project.pk}/")
    expect(page.locator("#assign-block")).to_be_visible()
    expect(page.locator("#progress-block")).to_be_visible()
    expect(page.locator("#schema-choose")).to_be_hidden()


def test_an_annotator_does_not_see_the_card(owned_project, team, browsing):
    page = browsing.page
    browsing.sign_in("annie")
    page.goto(f"{browsing.base_url}/projects/{owned_project.pk}/")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    expect(page.locator("#labeling-section")).to_be_hidden()
