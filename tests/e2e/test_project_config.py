"""The project page's setup cards: guidelines, gold items with accuracy, and the schema JSON editor."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from annotation.models import Assignment
from projects.models import Role
from tests.annotation.helpers import categorical
from tests.e2e.seeding import publish_and_assign, submit, text_items

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

SCREENSHOT = "/tmp/affectlab-project-config.png"
DEFINITION = {
    "title": "Utterance emotion",
    "fields": [categorical("emotion", "joy", "anger", "fear", label="Emotion")],
}


@pytest.fixture
def configured(owned_project, owner_user, member_factory):
    """Two text items under a schema; annie submitted 'joy' for both."""
    annie = member_factory(owned_project, "annie", Role.ANNOTATOR)
    member_factory(owned_project, "manon", Role.MANAGER)
    member_factory(owned_project, "rita", Role.REVIEWER)
    items = text_items(owned_project, [f"Line {turn}" for turn in range(2)], name="line-{}.txt")
    publish_and_assign(owned_project, owner_user, DEFINITION, overlap=1)
    for assignment in Assignment.objects.filter(annotator=annie):
        submit(assignment, {"emotion": {"class": "joy"}})
    return items


def open_project_as(browsing, username: str, project) -> None:
    """Signs ``username`` in and waits for the project page to finish loading."""
    page = browsing.page
    browsing.sign_in(username)
    page.goto(f"{browsing.base_url}/projects/{project.pk}/")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")


def test_an_owner_edits_the_guidelines_and_sees_the_sanitised_preview(
    owned_project, owner_user, configured, browsing
):
    page, base = browsing.page, browsing.base_url
    open_project_as(browsing, owner_user.username, owned_project)
    section = page.locator("#guidelines-section")
    expect(section).to_be_visible()
    expect(page.locator("#guidelines-preview")).to_have_text("No guidelines yet.")
    page.get_by_label("Markdown").fill(
        "# Emotion\n\nPick **joy** when the speaker laughs.\n\n<script>document.title='owned'</script>\n\n"
        "[bad](javascript:alert(1))"
    )
    expect(page.locator("#guidelines-status")).to_contain_text("Unsaved changes")
    page.get_by_role("button", name="Save guidelines").click()
    expect(page.locator("#guidelines-status")).to_contain_text("Saved.")
    preview = page.locator("#guidelines-preview")
    expect(preview.locator("h1")).to_have_text("Emotion")
    expect(preview.locator("strong")).to_have_text("joy")
    assert preview.locator("script").count() == 0
    assert preview.locator("a[href^='javascript']").count() == 0
    assert page.title() != "owned"
    expect(page.locator("#guidelines-meta")).to_contain_text("olivia")

    stored = page.request.get(f"{base}/api/projects/{owned_project.pk}/guidelines/").json()
    assert stored["markdown"].startswith("# Emotion")
    page.reload()
    expect(page.get_by_label("Markdown")).to_have_value(stored["markdown"])
    assert browsing.log.page_errors == [] and browsing.csp_violations() == []


def test_an_owner_marks_a_gold_item_sees_errors_and_accuracy_and_removes_it(
    owned_project, owner_user, configured, browsing
):
    page, base = browsing.page, browsing.base_url
    first, second = configured
    open_project_as(browsing, owner_user.username, owned_project)
    expect(page.locator("#gold-section")).to_be_visible()
    expect(page.locator("#gold-empty")).to_be_visible()
    item = page.get_by_label("Item", exact=True)
    answer = page.get_by_label("Answer")

    # The API's validation message comes back with its path.
    item.select_option(str(first.pk))
    answer.fill('{"emotion": {"class": "surprise"}}')
    page.get_by_role("button", name="Mark as gold").click()
    errors = page.locator("#gold-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("emotion.class")
    expect(errors).to_contain_text("unknown class 'surprise'")
    expect(page.locator("#gold-status")).to_contain_text("do not fit schema version 1")
    answer.fill("{oops")
    page.get_by_role("button", name="Mark as gold").click()
    expect(errors).to_contain_text("not valid JSON")

    answer.fill('{"emotion": {"class": "joy"}}')
    page.get_by_role("button", name="Mark as gold").click()
    expect(page.locator("#gold-status")).to_have_text(f"Item #{first.pk} is now gold.")
    expect(errors).to_be_hidden()
    row = page.locator(f"#gold-rows tr[data-item='{first.pk}']")
    expect(row).to_contain_text('{"emotion":{"class":"joy"}}')
    accuracy = page.locator("#accuracy-rows tr[data-annotator='annie']")
    expect(accuracy.locator("td[data-field='overall']")).to_have_text("100% (n=1)")

    item.select_option(str(second.pk))
    answer.fill('{"emotion": {"class": "anger"}}')
    page.get_by_role("button", name="Mark as gold").click()
    expect(page.locator("#gold-rows tr")).to_have_count(2)
    expect(accuracy.locator("td[data-field='overall']")).to_have_text("50% (n=2)")

    gold = page.request.get(f"{base}/api/projects/{owned_project.pk}/gold/").json()
    gold = gold["results"] if isinstance(gold, dict) else gold
    assert {g["item"]: g["values"] for g in gold} == {
        first.pk: {"emotion": {"class": "joy"}},
        second.pk: {"emotion": {"class": "anger"}},
    }

    page.screenshot(path=SCREENSHOT, full_page=True)
    page.locator(f"#gold-rows tr[data-item='{second.pk}']").get_by_role("button", name="Remove").click()
    expect(page.locator("#gold-rows tr")).to_have_count(1)
    expect(accuracy.locator("td[data-field='overall']")).to_have_text("100% (n=1)")
    assert browsing.log.page_errors == [] and browsing.csp_violations() == []


def test_an_owner_publishes_a_schema_version_and_is_told_about_the_class_mapping(
    owned_project, owner_user, configured, browsing
):
    page, base = browsing.page, browsing.base_url
    open_project_as(browsing, owner_user.username, owned_project)
    editor = page.get_by_label("Definition")
    expect(editor).not_to_have_value("")
    assert json.loads(editor.input_value()) == DEFINITION

    broken = {**DEFINITION, "fields": [{**DEFINITION["fields"][0], "mode": "hardish"}]}
    editor.fill(json.dumps(broken))
    page.get_by_role("button", name="Publish new version").click()
    expect(page.locator("#schema-errors")).to_contain_text("fields[0].mode")
    expect(page.locator("#schema-publish-status")).to_contain_text("problem")

    # Dropping 'fear' needs a mapping: the page names it and fills the mapping in.
    fewer = {
        **DEFINITION,
        "fields": [{**DEFINITION["fields"][0], "classes": [{"id": "joy"}, {"id": "anger"}]}],
    }
    editor.fill(json.dumps(fewer, indent=2))
    page.get_by_role("button", name="Publish new version").click()
    expect(page.locator("#schema-unmapped")).to_be_visible()
    expect(page.locator("#schema-unmapped-text")).to_contain_text("emotion.fear")
    page.get_by_role("button", name="Add them to the class mapping").click()
    expect(page.get_by_label("Class mapping")).to_have_value('{\n  "emotion.fear": null\n}')
    page.get_by_label("Note").fill("fear was too rare")
    page.get_by_role("button", name="Publish new version").click()
    expect(page.locator("#schema-publish-status")).to_have_text("Published version 2.")
    expect(page.locator("#schema-unmapped")).to_be_hidden()
    expect(page.locator("#schema-current")).to_contain_text("version 2")
    expect(page.locator("#schema-versions li")).to_have_count(2)

    current = page.request.get(f"{base}/api/projects/{owned_project.pk}/schema/").json()
    assert current["version"] == 2 and current["class_mapping"] == {"emotion.fear": None}
    assert current["note"] == "fear was too rare"
    assert json.loads(editor.input_value()) == current["definition"] == fewer

    # A version published elsewhere meanwhile (another tab): the stale editor refuses to undo it.
    renamed = {**fewer, "title": "Emotion, renamed elsewhere"}
    other = browsing.post(f"/api/projects/{owned_project.pk}/schema/", {"definition": renamed})
    assert other.status == 201 and other.json()["version"] == 3
    editor.fill(json.dumps({**fewer, "title": "Mine"}, indent=2))
    page.get_by_role("button", name="Publish new version").click()
    expect(page.locator("#schema-publish-status")).to_contain_text("Version 3 was published after")
    page.get_by_role("button", name="Load the current version").click()
    expect(editor).to_have_value(re.compile("renamed elsewhere"))
    assert json.loads(editor.input_value()) == renamed
    assert page.request.get(f"{base}/api/projects/{owned_project.pk}/schema/").json()["version"] == 3
    assert browsing.log.page_errors == [] and browsing.csp_violations() == []


def test_a_manager_sees_gold_items_only_and_an_annotator_sees_no_setup(owned_project, configured, browsing):
    page = browsing.page
    open_project_as(browsing, "manon", owned_project)
    expect(page.locator("#gold-section")).to_be_visible()
    expect(page.locator("#guidelines-section")).to_be_hidden()
    expect(page.locator("#schema-section")).to_be_hidden()
    expect(page.locator("#review-link-row")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    open_project_as(browsing, "annie", owned_project)
    page.wait_for_timeout(300)
    for section in ("#gold-section", "#guidelines-section", "#schema-section", "#review-link-row"):
        expect(page.locator(section)).to_be_hidden()
