"""Reviewing in the browser: reject with a comment (the item goes back), accept, adjudicate, 403s."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotation.models import Assignment
from projects.models import Role
from tests.annotation.helpers import categorical
from tests.e2e.seeding import publish_and_assign, submit, text_items
from tests.factories import UserFactory
from tests.media_samples import make_clip
from tests.models_zoo.media import ready_asset

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

SCREENSHOT = "/tmp/affectlab-review.png"
HOSTILE = "<img src=x onerror=\"document.title='owned'\">"
DEFINITION = {
    "title": "Utterance emotion",
    "fields": [
        categorical("emotion", "joy", "anger", labelled=True, label="Emotion"),
        {"name": "why", "label": "Why", "kind": "text", "scope": "item"},
    ],
}


@pytest.fixture
def submitted(owned_project, owner_user, member_factory):
    """Two text items, each labelled and submitted by annie and bob; rita reviews."""
    annie = member_factory(owned_project, "annie", Role.ANNOTATOR)
    bob = member_factory(owned_project, "bob", Role.ANNOTATOR)
    member_factory(owned_project, "rita", Role.REVIEWER)
    text_items(owned_project, [f"Utterance number {turn}" for turn in range(2)])
    publish_and_assign(owned_project, owner_user, DEFINITION, overlap=2)
    answers = {annie.pk: ("joy", HOSTILE), bob.pk: ("anger", "Raised voice.")}
    ids = {}
    for assignment in Assignment.objects.select_related("item").order_by("item_id", "annotator__username"):
        emotion, why = answers[assignment.annotator_id]
        submit(assignment, {"emotion": {"class": emotion}, "why": why})
        ids[(assignment.item.original_name, assignment.annotator.username)] = assignment.pk
    return ids


def open_review(browsing, project, query: str = "") -> None:
    page = browsing.page
    page.goto(f"{browsing.base_url}/projects/{project.pk}/review/{query}")
    expect(page.locator("body")).to_have_attribute("data-review-ready", "true", timeout=15_000)
    expect(page.locator("#review-detail")).to_have_attribute("data-loaded", "true")


def key(page, name: str) -> None:
    """A shortcut pressed with nothing focused (a text box would take the key)."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(name)


def assignment(page, base: str, project_id: int, assignment_id: int) -> dict:
    rows = page.request.get(f"{base}/api/projects/{project_id}/assignments/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    return next(row for row in rows if row["id"] == assignment_id)


def test_a_reviewer_rejects_with_a_comment_and_the_item_returns_to_the_annotator(
    owned_project, submitted, browsing
):
    page, base = browsing.page, browsing.base_url
    target = submitted[("turn-0.txt", "annie")]
    browsing.sign_in("rita")
    page.goto(f"{base}/projects/{owned_project.pk}/")
    page.get_by_role("link", name="Review").click()
    page.wait_for_url(re.compile(r".*/review/.*"))
    expect(page.locator("#review-detail")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#review-list li")).to_have_count(4)
    expect(page.locator("#review-shortcuts")).to_contain_text("reject")

    # The first item shows both annotators' values, as text: the hostile one stays inert.
    detail = page.locator("#review-detail")
    expect(detail).to_have_attribute("data-assignment-id", str(target))
    expect(page.locator("#review-item")).to_contain_text("Utterance number 0")
    annie_block = page.locator(".annotation-block[data-annotator='annie']")
    bob_block = page.locator(".annotation-block[data-annotator='bob']")
    expect(annie_block.locator("dd[data-field='emotion']")).to_have_text("Joy")
    expect(annie_block.locator("dd[data-field='why']")).to_have_text(HOSTILE)
    expect(bob_block.locator("dd[data-field='emotion']")).to_have_text("Anger")
    assert page.locator("#review-annotations img").count() == 0
    assert page.title() != "owned"
    page.screenshot(path=SCREENSHOT, full_page=True)

    # r with no comment refuses and puts the cursor in the comment box.
    key(page, "r")
    expect(page.locator("#review-status")).to_contain_text("write a comment")
    expect(page.locator("#review-comment")).to_be_focused()
    page.locator("#review-comment").fill("Joy does not fit a raised voice; listen again.")
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("#review-status")).to_have_text("Sent back to annie: turn-0.txt.")
    # With the "submitted" filter the rejected one leaves the queue and the next one opens.
    expect(page.locator("#review-list li")).to_have_count(3)
    expect(detail).not_to_have_attribute("data-assignment-id", str(target))
    expect(page.locator("#review-progress-rows tr[data-annotator='annie'] td").nth(4)).to_have_text("1")

    row = assignment(page, base, owned_project.pk, target)
    assert row["state"] == "rejected"
    assert row["review_comment"] == "Joy does not fit a raised voice; listen again."
    assert browsing.log.page_errors == [] and browsing.csp_violations() == []

    # Annie finds the rejected item first in her queue, with the comment.
    page.get_by_role("button", name="Sign out").click()
    browsing.sign_in("annie")
    nxt = page.request.get(f"{base}/api/projects/{owned_project.pk}/queue/next/").json()
    assert nxt["assignment"]["id"] == target
    assert nxt["assignment"]["state"] == "rejected"
    assert nxt["assignment"]["review_comment"] == "Joy does not fit a raised voice; listen again."
    page.goto(f"{base}/projects/{owned_project.pk}/label/")
    page.wait_for_url(f"{base}/assignments/{target}/label/")


def test_a_reviewer_accepts_and_moves_through_the_queue_with_the_keyboard(owned_project, submitted, browsing):
    page, base = browsing.page, browsing.base_url
    browsing.sign_in("rita")
    open_review(browsing, owned_project, "?state=submitted&annotator=bob")
    entries = page.locator("#review-list li")
    expect(entries).to_have_count(2)
    first, second = submitted[("turn-0.txt", "bob")], submitted[("turn-1.txt", "bob")]
    detail = page.locator("#review-detail")
    expect(detail).to_have_attribute("data-assignment-id", str(first))
    key(page, "j")
    expect(detail).to_have_attribute("data-assignment-id", str(second))
    key(page, "k")
    expect(detail).to_have_attribute("data-assignment-id", str(first))

    key(page, "a")
    expect(page.locator("#review-status")).to_have_text("Accepted: turn-0.txt by bob.")
    expect(entries).to_have_count(1)
    expect(detail).to_have_attribute("data-assignment-id", str(second))
    assert assignment(page, base, owned_project.pk, first)["state"] == "accepted"

    # All states: the accepted one is listed with its new state.
    page.get_by_label("State").select_option("")
    expect(entries).to_have_count(2)
    expect(page.locator(f"button[data-assignment-id='{first}']")).to_have_attribute("data-state", "accepted")
    assert browsing.log.page_errors == [] and browsing.csp_violations() == []


def test_a_reviewer_adjudicates_with_another_annotators_values(owned_project, submitted, browsing):
    page, base = browsing.page, browsing.base_url
    target = submitted[("turn-1.txt", "annie")]
    browsing.sign_in("rita")
    open_review(browsing, owned_project, "?state=submitted&annotator=annie")
    key(page, "j")
    expect(page.locator("#review-detail")).to_have_attribute("data-assignment-id", str(target))
    key(page, "d")
    panel = page.locator("#adjudicate-panel")
    expect(panel).to_be_visible()

    values = page.locator("#adjudicate-values")
    values.fill('{"emotion": {"class": "fear"}}')
    page.get_by_role("button", name="Save final values").click()
    expect(page.locator("#adjudicate-errors")).to_be_visible()
    expect(page.locator("#adjudicate-errors")).to_contain_text("emotion")
    values.fill("{not json")
    page.get_by_role("button", name="Save final values").click()
    expect(page.locator("#review-status")).to_contain_text("not valid JSON")

    page.get_by_role("button", name="Use bob's values").click()
    page.get_by_role("button", name="Save final values").click()
    expect(page.locator("#review-status")).to_have_text("Adjudicated: turn-1.txt by annie.")
    expect(panel).to_be_hidden()
    state = page.request.get(f"{base}/api/assignments/{target}/annotation/").json()
    assert state["assignment"]["state"] == "adjudicated"
    assert state["latest"]["author"] == "rita"
    assert state["latest"]["values"] == {"emotion": {"class": "anger"}, "why": "Raised voice."}


@pytest.fixture
def outsider(transactional_db):
    return UserFactory(username="nora")


def test_an_annotator_gets_403_on_the_review_page_and_api(owned_project, submitted, outsider, browsing):
    page, base = browsing.page, browsing.base_url
    own = submitted[("turn-0.txt", "annie")]
    browsing.sign_in("annie")
    response = page.goto(f"{base}/projects/{owned_project.pk}/review/")
    assert response is not None and response.status == 403
    assert page.request.get(f"{base}/api/projects/{owned_project.pk}/assignments/").status == 403
    assert page.request.get(f"{base}/api/projects/{owned_project.pk}/assignments/progress/").status == 403
    assert browsing.post(f"/api/assignments/{own}/review/", {"action": "accept"}).status == 403
    page.goto(f"{base}/projects/{owned_project.pk}/")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    expect(page.get_by_role("link", name="Review")).to_be_hidden()

    # Someone outside the project learns nothing: the page is a 404, like the project itself.
    page.get_by_role("button", name="Sign out").click()
    browsing.sign_in(outsider.username)
    response = page.goto(f"{base}/projects/{owned_project.pk}/review/")
    assert response is not None and response.status == 404


@pytest.fixture
def clip_submitted(owned_project, owner_user, member_factory, tmp_path):
    """A ready 3-second clip with segments and a trace submitted by annie."""
    member_factory(owned_project, "annie", Role.ANNOTATOR)
    member_factory(owned_project, "rita", Role.REVIEWER)
    asset = ready_asset(owned_project, owner_user, make_clip(tmp_path / "talk.mp4", seconds=3), tmp_path)
    definition = {
        "title": "Spans and trace",
        "fields": [
            {
                "name": "spans",
                "label": "Spans",
                "kind": "segments",
                "scope": "time",
                "classes": [{"id": "ambivalent", "label": "Ambivalent"}, {"id": "calm", "label": "Calm"}],
            },
            {
                "name": "valence",
                "label": "Valence trace",
                "kind": "trace",
                "scope": "time",
                "rate_hz": 2,
                "dimensions": [{"name": "valence", "min": -1, "max": 1}],
            },
        ],
    }
    publish_and_assign(owned_project, owner_user, definition)
    submit(
        Assignment.objects.get(annotator__username="annie"),
        {
            "spans": [{"start": 0.5, "end": 1.25, "class": "ambivalent"}],
            "valence": [[0.0, -0.5], [0.5, 0.0], [1.0, 0.5]],
        },
    )
    return asset


def test_a_reviewer_sees_the_clip_and_the_time_based_values_as_text(owned_project, clip_submitted, browsing):
    page = browsing.page
    browsing.sign_in("rita")
    open_review(browsing, owned_project)
    block = page.locator(".annotation-block[data-annotator='annie']")
    expect(block.locator("dd[data-field='spans']")).to_have_text("0:00.500–0:01.250 Ambivalent")
    trace = block.locator("dd[data-field='valence'] div")
    expect(trace.first).to_have_text("3 samples from 0:00.000 to 0:01.000")
    expect(trace.nth(1)).to_have_text("valence: mean 0, from -0.5 to 0.5")
    video = page.locator("#review-item video.review-player")
    expect(video).to_have_attribute("src", re.compile(rf"/api/media/{clip_submitted.pk}/files/proxy"))
    expect(video).to_have_js_property("readyState", 4, timeout=10_000)
    assert browsing.log.page_errors == [] and browsing.csp_violations() == []
