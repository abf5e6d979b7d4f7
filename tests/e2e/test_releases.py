"""Release pages in Chromium: create a version and watch it build, read its agreement report, roles respected.

Annotations are stored through the services before the browser starts (see the conftest
docstring); while the browser is open the tests read server state through the API only.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from annotation.models import Assignment
from projects.models import Role
from releases.models import DatasetVersion, VersionState
from tests.annotation.helpers import categorical
from tests.e2e.seeding import publish_and_assign, submit, text_items
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

SCREENSHOT = "/tmp/affectlab-releases.png"
REPORT_SCREENSHOT = "/tmp/affectlab-release-report.png"
PLOTS_SCREENSHOT = "/tmp/affectlab-release-plots.png"
BUILD_TIMEOUT_MS = 90_000

DEFINITION = {
    "fields": [categorical("emotion", "joy", "anger", "sadness"), categorical("speaker_visible", "yes", "no")]
}
# Two annotators disagree on one item of four for "emotion"; everybody answers "yes" for
# "speaker_visible", so no agreement beyond chance can be computed for it.
EMOTIONS = {"annie": ["joy", "anger", "joy", "sadness"], "andy": ["joy", "anger", "anger", "sadness"]}


@pytest.fixture
def labelled_project(owned_project, owner_user, annotator_user, member_factory):
    """Four text items, each labelled and submitted by two annotators."""
    second = member_factory(owned_project, "andy", Role.ANNOTATOR)
    texts = [f"turn {index} of project {owned_project.pk}" for index in range(4)]
    items = text_items(owned_project, texts, name=None)
    publish_and_assign(owned_project, owner_user, DEFINITION, overlap=2)
    for user in (annotator_user, second):
        for index, item in enumerate(items):
            values = {
                "emotion": {"class": EMOTIONS[user.username][index]},
                "speaker_visible": {"class": "yes"},
            }
            submit(Assignment.objects.get(item=item, annotator=user), values)
    return owned_project


def _error_slot(page, key: str):
    return page.locator(f".field-error[data-error-for='{key}']")


def test_an_owner_creates_a_version_watches_it_build_and_reads_its_report(
    labelled_project, owner_user, celery_worker, browsing
):
    page = browsing.page
    browsing.sign_in(owner_user.username)
    page.goto(f"{browsing.base_url}/projects/{labelled_project.pk}/")
    page.locator("#releases-link").click()
    page.wait_for_url(f"{browsing.base_url}/projects/{labelled_project.pk}/releases/")
    expect(page.locator("#release-empty")).to_be_visible()

    form = page.locator("#release-form")
    expect(form.get_by_label("Annotators").locator("option")).to_have_text(["andy", "annie"])
    expect(form.get_by_role("checkbox", name="Submitted")).to_be_checked()
    expect(form.get_by_role("checkbox", name="Assigned")).not_to_be_checked()

    # Each refusal of the server is shown beside the field it is about.
    seed = form.get_by_label("Seed")
    seed.fill("-1")
    form.get_by_role("button", name="Create version").click()
    expect(_error_slot(page, "seed")).to_contain_text("greater than or equal to 0")
    expect(seed).to_have_attribute("aria-invalid", "true")
    expect(seed).to_be_focused()
    seed.fill("0")
    version_input = form.get_by_label("Version number")
    version_input.fill("one point oh")
    expect(form.get_by_label("Or bump the latest version")).to_be_disabled()
    form.get_by_role("button", name="Create version").click()
    expect(_error_slot(page, "version")).to_be_visible()
    expect(_error_slot(page, "version")).not_to_be_empty()
    expect(_error_slot(page, "seed")).to_be_hidden()
    expect(version_input).to_have_attribute("aria-invalid", "true")
    versions_url = f"{browsing.base_url}/api/projects/{labelled_project.pk}/versions/"
    assert page.request.get(versions_url).json() in (
        [],
        {"count": 0, "next": None, "previous": None, "results": []},
    )

    # An empty number bumps: the first version of a project is 1.0.0.
    version_input.fill("")
    form.get_by_label("Notes").fill("First release for the <b>paper</b>")
    form.get_by_role("button", name="Create version").click()
    expect(_error_slot(page, "version")).to_be_hidden()
    card = page.locator("li.release[data-version='1.0.0']")
    expect(card).to_have_count(1)
    # The 202 answer shows the version queued with its progress bar; polling then follows the build.
    expect(form.locator(".form-status")).to_have_text("Version 1.0.0 is queued.")
    expect(card.locator("progress")).to_have_count(1)
    expect(card).to_have_attribute("data-state", re.compile("^(ready|failed)$"), timeout=BUILD_TIMEOUT_MS)
    assert card.get_attribute("data-state") == "ready", card.locator(".release-error").text_content()
    expect(card.locator("progress")).to_have_count(0)
    expect(card.locator(".release-state")).to_have_text("Ready")
    expect(card.locator(".release-notes")).to_have_text("First release for the <b>paper</b>")

    listed = page.request.get(versions_url).json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    assert [(v["version"], v["state"], v["progress"]) for v in listed] == [("1.0.0", "ready", 100)]
    version = listed[0]
    expect(card.locator(".release-counts")).to_have_text(
        f"{version['counts']['items']} items · {version['counts']['annotators']} annotators · "
        f"{version['counts']['annotations']} annotations"
    )
    assert version["counts"]["items"] == 4
    expect(card.get_by_role("link", name="Download (zip)")).to_have_attribute("href", version["download_url"])
    expect(card.locator("details.diff summary")).to_contain_text("First version")
    page.screenshot(path=SCREENSHOT, full_page=True)

    # A number not above the latest is refused beside the field, and nothing new is listed.
    version_input.fill("0.9.0")
    form.get_by_role("button", name="Create version").click()
    expect(_error_slot(page, "version")).to_contain_text("1.0.0")
    expect(page.locator("li.release")).to_have_count(1)

    card.get_by_role("link", name="Agreement report").click()
    page.wait_for_url(f"{browsing.base_url}/releases/{version['id']}/report/")
    expect(page.locator("#report")).to_have_attribute("data-state", "ready")
    report = page.request.get(f"{browsing.base_url}{version['report_url']}").json()
    assert {f["name"] for f in report["fields"]} == {"emotion", "speaker_visible"}
    for field in report["fields"]:
        section = page.locator(f"section.report-field[data-field='{field['name']}']")
        expect(section.locator("svg.measure-chart")).to_be_visible()
        expect(section.locator("svg.measure-chart .measure-row")).to_have_count(len(field["measures"]))
        for measure in field["measures"]:
            row = section.locator("table.measures tbody tr").filter(
                has=page.locator("th", has_text=re.compile(f"^{re.escape(measure['measure'])}$"))
            )
            shown = row.locator("td").first
            if measure["value"] is None:
                expect(shown).to_have_text(re.compile(r"^undefined, because "))
            else:
                expect(shown).to_have_text(f"{measure['value']:.3f}")

    visible = page.locator("section.report-field[data-field='speaker_visible']")
    undefined = [m for m in report["fields"][1]["measures"] if m["value"] is None]
    assert report["fields"][1]["name"] == "speaker_visible" and undefined, (
        "one class used by all is undefined"
    )
    expect(visible.locator(".reasons li").first).to_contain_text("undefined, because")
    emotion = next(f for f in report["fields"] if f["name"] == "emotion")
    assert any(m["value"] is not None for m in emotion["measures"])
    if emotion["confusion"]:
        counts = [str(n) for row in emotion["confusion"]["matrix"] for n in row]
        section = page.locator("section.report-field[data-field='emotion']")
        assert section.locator("svg.confusion-chart text.cell-count").all_text_contents() == counts
    assert "NaN" not in page.locator("main").inner_text()
    page.screenshot(path=REPORT_SCREENSHOT, full_page=True)

    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []
    assert page.locator("main b").count() == 0


def _ready_version(project, version: str, **fields: object) -> DatasetVersion:
    """A version stored as a finished build leaves it."""
    return DatasetVersion.objects.create(
        project=project, version=version, state=VersionState.READY, progress=100, **fields
    )


@pytest.fixture
def published_versions(owned_project, owner_user):
    """Two built versions, the second with a diff to the first (stored as the build would store them)."""
    counts = {"items": 3, "annotators": 2, "annotations": 6}
    first = _ready_version(owned_project, "1.0.0", created_by=owner_user, counts=counts)
    second = _ready_version(
        owned_project,
        "1.1.0",
        created_by=owner_user,
        notes="More dialogue turns",
        counts={"items": 4, "annotators": 2, "annotations": 8},
        diff={
            "previous": "1.0.0",
            "items_added": ["7", "8"],
            "items_removed": ["3"],
            "items_changed": ["5"],
            "label_changes": 4,
            "labels_added": 3,
            "labels_removed": 1,
            "summary": "2 items added, 1 removed, 1 changed; 4 label changes.",
        },
    )
    return first, second


@pytest.fixture
def reviewer_user(owned_project, member_factory):
    return member_factory(owned_project, "rita", Role.REVIEWER)


def test_a_reviewer_sees_the_versions_and_their_diff_but_cannot_create_or_download(
    owned_project, reviewer_user, published_versions, browsing
):
    page = browsing.page
    _, second = published_versions
    browsing.sign_in(reviewer_user.username)
    page.goto(f"{browsing.base_url}/projects/{owned_project.pk}/")
    expect(page.locator("#releases-link")).to_be_visible()
    page.goto(f"{browsing.base_url}/projects/{owned_project.pk}/releases/")
    cards = page.locator("li.release")
    expect(cards).to_have_count(2)
    assert [cards.nth(i).get_attribute("data-version") for i in range(2)] == ["1.1.0", "1.0.0"]
    expect(page.locator("#readonly-note")).to_be_visible()
    expect(page.locator("#release-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Create version")).to_have_count(0)

    newest = cards.first
    expect(newest.locator(".release-by")).to_contain_text("by olivia")
    expect(newest.locator(".release-counts")).to_have_text("4 items · 2 annotators · 8 annotations")
    expect(newest.get_by_role("link", name="Download (zip)")).to_have_count(0)
    expect(newest.get_by_role("link", name="Agreement report")).to_have_attribute(
        "href", f"/releases/{second.pk}/report/"
    )
    diff = newest.locator("details.diff")
    expect(diff.locator("summary")).to_have_text(
        "Changes since 1.0.0: 2 added, 1 removed, 1 changed, 4 label changes"
    )
    expect(diff.locator(".diff-lists")).to_be_hidden()
    diff.locator("summary").click()
    expect(diff.locator(".diff-group.added dd")).to_have_text("7, 8")
    expect(diff.locator(".diff-group.removed dd")).to_have_text("3")
    expect(diff.locator(".diff-group.changed dd")).to_have_text("5")
    expect(diff.locator(".diff-group.labels dd")).to_have_text("4 (3 added, 1 removed)")
    expect(diff.locator(".diff-summary")).to_have_text(second.diff["summary"])

    assert browsing.post(f"/api/projects/{owned_project.pk}/versions/", {"bump": "minor"}).status == 403
    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []


def test_an_annotator_gets_no_release_link_page_report_or_api(
    owned_project, annotator_user, published_versions, browsing
):
    """Blind labeling: releases hold every annotator's labels, so none of it reaches an annotator."""
    page = browsing.page
    _, second = published_versions
    browsing.sign_in(annotator_user.username)
    page.goto(f"{browsing.base_url}/projects/{owned_project.pk}/")
    expect(page.locator("#role-badge")).to_be_visible()
    expect(page.locator("#releases-link-row")).to_be_hidden()
    for path in (f"/projects/{owned_project.pk}/releases/", f"/releases/{second.pk}/report/"):
        assert page.goto(f"{browsing.base_url}{path}").status == 403, path
    for path in (
        f"/api/projects/{owned_project.pk}/versions/",
        f"/api/versions/{second.pk}/",
        f"/api/versions/{second.pk}/report/",
        f"/api/versions/{second.pk}/download/",
    ):
        assert page.request.get(f"{browsing.base_url}{path}").status == 403, path
    assert browsing.post(f"/api/projects/{owned_project.pk}/versions/", {"bump": "minor"}).status == 403


@pytest.fixture
def subject_items(owned_project):
    """Four text items of two subjects, p1 and p2."""
    texts = [f"line {i} of project {owned_project.pk}" for i in range(4)]
    items = text_items(owned_project, texts, name=None)
    for item, subject in zip(items, ("p1", "p1", "p2", "p2"), strict=True):
        item.metadata = {"subject": subject}
        item.save(update_fields=["metadata"])
    return items


def test_an_owner_chooses_the_items_of_a_version_by_id_and_subject(
    owned_project, owner_user, subject_items, browsing
):
    page = browsing.page
    browsing.sign_in(owner_user.username)
    page.goto(f"{browsing.base_url}/projects/{owned_project.pk}/releases/")
    form = page.locator("#release-form")
    items_input = form.get_by_label("Items")
    subjects = form.get_by_label("Subjects")
    expect(subjects.locator("option")).to_have_text(["p1 (2 items)", "p2 (2 items)"])

    # Unreadable ids, and ids outside the chosen subjects, are refused before anything is sent.
    items_input.fill("12, twelve")
    form.get_by_role("button", name="Create version").click()
    expect(_error_slot(page, "filters.item_ids")).to_contain_text('"twelve" is neither an item id')
    expect(items_input).to_have_attribute("aria-invalid", "true")
    subjects.select_option(["p2"])
    items_input.fill(str(subject_items[0].pk))
    form.get_by_role("button", name="Create version").click()
    expect(_error_slot(page, "filters.item_ids")).to_contain_text("None of these item ids belongs")
    # An id of another project is the server's refusal, shown beside the same field.
    subjects.select_option([])
    items_input.fill(f"{subject_items[0].pk} 999999")
    form.get_by_role("button", name="Create version").click()
    expect(_error_slot(page, "filters.item_ids")).to_contain_text("not items of this project: 999999")
    versions_url = f"{browsing.base_url}/api/projects/{owned_project.pk}/versions/"
    assert page.request.get(versions_url).json() == []

    # A range narrowed to one subject: only the range's items of that subject are released.
    subjects.select_option(["p2"])
    items_input.fill(f"{subject_items[1].pk}-{subject_items[3].pk}")
    form.get_by_role("button", name="Create version").click()
    expect(page.locator("li.release[data-version='1.0.0']")).to_have_count(1)
    expect(_error_slot(page, "filters.item_ids")).to_be_hidden()
    (version,) = page.request.get(versions_url).json()
    assert version["filters"]["item_ids"] == [subject_items[2].pk, subject_items[3].pk]

    # Subjects alone release all of their items.
    items_input.fill("")
    subjects.select_option(["p1"])
    form.get_by_role("button", name="Create version").click()
    expect(page.locator("li.release[data-version='1.1.0']")).to_have_count(1)
    newest = page.request.get(versions_url).json()[0]
    assert newest["filters"]["item_ids"] == [subject_items[0].pk, subject_items[1].pk]
    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []


@pytest.fixture
def outsider_version(owned_project, member_factory):
    """A ready version of a project, and a user who is a member of a different project only."""
    version = _ready_version(owned_project, "1.0.0")
    elsewhere = ProjectFactory(name="Elsewhere")
    outsider = member_factory(elsewhere, "oscar", Role.OWNER)
    return version, outsider


def test_pages_of_a_project_are_not_found_for_non_members(owned_project, outsider_version, client):
    version, outsider = outsider_version
    client.force_login(outsider)
    assert client.get(f"/projects/{owned_project.pk}/releases/").status_code == 404
    assert client.get(f"/releases/{version.pk}/report/").status_code == 404
    assert client.get(f"/releases/{version.pk + 1000}/report/").status_code == 404


INCOMPLETE = "the design is incomplete: not every annotator labelled every item"


def _measure(measure: str, value: float | None, **figures: object) -> dict:
    """One agreement measure of the synthetic report, over 25 items and 3 annotators unless told."""
    base = {"undefined_reason": None, "ci": None, "observed": None, "expected": None, "basis": None}
    return {"measure": measure, "value": value, **base, "n_items": 25, "n_annotators": 3, **figures}


def _synthetic_report() -> dict:
    """A report in the contract's shape exercising every plot, with undefined figures and hostile text."""
    ci = {
        "low": 0.41,
        "high": 0.83,
        "level": 0.95,
        "n_resamples": 1000,
        "n_valid": 997,
        "seed": 0,
        "method": "percentile bootstrap, items resampled with replacement",
    }
    per_item = [
        {"item_id": str(100 + i), "ambiguity": round(1 - i / 30, 3), "n_annotations": 3} for i in range(25)
    ]
    return {
        "format": "affectlab-agreement-report/1",
        "seed": 0,
        "n_resamples": 1000,
        "counts": {"items": 25, "annotators": 3, "annotations": 75},
        "notes": ["Traces were lag-compensated by cross-correlation (at most 3.0 s)."],
        "fields": [
            {
                "name": "emotion",
                "kind": "categorical",
                "label": "Emotion <img src=x>",
                "level": "nominal",
                "measures": [
                    _measure(
                        "krippendorff_alpha", 0.6123, ci=ci, observed=0.2, expected=0.52, basis="disagreement"
                    ),
                    _measure("fleiss_kappa", None, undefined_reason=INCOMPLETE),
                ],
                "per_annotator": [
                    {
                        "annotator": "A01",
                        "n_items": 25,
                        "value": 0.7,
                        "undefined_reason": None,
                        "measure": "krippendorff_alpha",
                    },
                    {
                        "annotator": "A02",
                        "n_items": 25,
                        "value": -0.1,
                        "undefined_reason": None,
                        "measure": "krippendorff_alpha",
                    },
                    {
                        "annotator": "A03",
                        "n_items": 0,
                        "value": None,
                        "undefined_reason": "the annotator labelled nothing",
                        "measure": "krippendorff_alpha",
                    },
                ],
                "per_item": per_item,
                "confusion": {
                    "classes": ["joy", "anger", "sadness"],
                    "matrix": [[9, 2, 0], [2, 7, 1], [0, 1, 3]],
                },
                "trace_overlay": None,
                "aggregation": {"method": "majority", "description": "Majority vote; ties flagged."},
                "prelabel_quality": [
                    {
                        "prelabeler": "ser",
                        "version": "2",
                        "measure": "krippendorff_alpha",
                        "value": 0.25,
                        "undefined_reason": None,
                        "n_items": 25,
                    },
                    {
                        "prelabeler": "face",
                        "version": "1",
                        "measure": "krippendorff_alpha",
                        "value": None,
                        "undefined_reason": "no item has a face track",
                        "n_items": 0,
                    },
                ],
            },
            {
                "name": "arousal",
                "kind": "trace",
                "label": "Arousal",
                "level": "interval",
                "measures": [_measure("mean_pairwise_ccc", 0.5)],
                "per_annotator": [],
                "per_item": [],
                "confusion": None,
                "trace_overlay": {
                    "item_id": "104",
                    "times": [0.0, 0.5, 1.0, 1.5, 2.0],
                    "series": {"A01": [0.1, 0.2, None, 0.4, 0.5], "A02": [0.0, 0.1, 0.2, 0.3, 0.4]},
                    "consensus": [0.05, 0.15, 0.2, 0.35, 0.45],
                },
                "aggregation": {"method": "mean", "description": "Mean after lag compensation."},
                "prelabel_quality": [],
            },
            {
                "name": "notes",
                "kind": "text",
                "label": "Notes",
                "level": None,
                "measures": [
                    _measure(
                        "krippendorff_alpha",
                        None,
                        undefined_reason="free text has no agreement measure",
                        n_items=0,
                        n_annotators=0,
                    ),
                ],
                "per_annotator": [],
                "per_item": [],
                "confusion": None,
                "trace_overlay": None,
                "aggregation": None,
                "prelabel_quality": [],
            },
        ],
    }


@pytest.fixture
def ready_version(owned_project, owner_user):
    return _ready_version(owned_project, "2.1.0", created_by=owner_user)


def test_the_report_page_draws_every_plot_and_says_why_a_figure_is_undefined(
    ready_version, owned_project, owner_user, browsing
):
    page = browsing.page
    report = _synthetic_report()
    version = {
        "id": ready_version.pk,
        "project": owned_project.pk,
        "version": "2.1.0",
        "state": "ready",
        "progress": 100,
        "progress_message": "",
        "error": "",
        "notes": "",
        "filters": {},
        "include_media": "none",
        "seed": 0,
        "created_by": owner_user.username,
        "created_at": "2026-01-01T00:00:00Z",
        "built_at": None,
        "counts": report["counts"],
        "files": [],
        "diff": None,
        "download_url": f"/api/versions/{ready_version.pk}/download/",
        "report_url": f"/api/versions/{ready_version.pk}/report/",
    }

    def answer(body: dict):
        return lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    # The first answer says the version is still building: the page waits, then draws the report.
    answers = [{**version, "state": "building", "progress": 40}]

    def version_answer(route) -> None:
        body = answers.pop(0) if answers else version
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route(f"**/api/versions/{ready_version.pk}/", version_answer)
    page.route(f"**/api/versions/{ready_version.pk}/report/", answer(report))
    browsing.sign_in(owner_user.username)
    page.goto(f"{browsing.base_url}/releases/{ready_version.pk}/report/")
    expect(page.locator("#report-notice")).to_have_text(
        "Version 2.1.0 is building (40%); its report appears once it is built."
    )
    expect(page.locator("#report")).to_have_attribute("data-state", "ready")
    expect(page.locator("#report-notice")).to_be_hidden()
    expect(page.locator("#report-title")).to_have_text("Agreement report · version 2.1.0")
    expect(page.locator(".report-counts")).to_have_text("25 items · 3 annotators · 75 annotations")
    expect(page.locator(".report-notes li")).to_have_text(report["notes"])

    for field in report["fields"]:
        expect(
            page.locator(f"section.report-field[data-field='{field['name']}'] svg.measure-chart")
        ).to_be_visible()
    emotion = page.locator("section.report-field[data-field='emotion']")
    expect(emotion.locator("h2")).to_have_text("Emotion <img src=x>")
    assert page.locator("main img").count() == 0
    chart = emotion.locator("svg.measure-chart")
    expect(chart.locator(".measure-row[data-measure='krippendorff_alpha'] .row-value")).to_have_text("0.612")
    expect(chart.locator(".measure-row[data-measure='krippendorff_alpha'] line.whisker")).to_have_count(3)
    expect(chart.locator(".measure-row[data-measure='fleiss_kappa'] .undefined-mark")).to_have_text(
        "undefined"
    )
    expect(emotion.locator("table.measures tr[data-measure='krippendorff_alpha'] td").nth(1)).to_have_text(
        "0.410 – 0.830 (95%, 997/1000 resamples)"
    )
    expect(emotion.locator(".reasons li").first).to_have_text(
        f"fleiss_kappa: undefined, because {INCOMPLETE}"
    )

    bars = emotion.locator("svg.annotator-chart")
    expect(bars.locator(".annotator-row rect.bar")).to_have_count(2)
    expect(bars.locator(".annotator-row[data-annotator='A02'] .row-value")).to_have_text("-0.100")
    expect(emotion.get_by_text("A03: undefined, because the annotator labelled nothing")).to_be_visible()

    cells = emotion.locator("svg.confusion-chart text.cell-count").all_text_contents()
    assert cells == ["9", "2", "0", "2", "7", "1", "0", "1", "3"]
    opacities = [
        float(o)
        for o in emotion.locator("svg.confusion-chart rect.cell").evaluate_all(
            "cells => cells.map(c => c.getAttribute('fill-opacity'))"
        )
    ]
    assert opacities[0] == pytest.approx(1.0) and opacities[2] == pytest.approx(0.06)

    quality = emotion.locator("table.prelabel tbody tr")
    expect(quality).to_have_count(2)
    expect(quality.nth(0).locator("td").nth(2)).to_have_text("0.250")
    expect(quality.nth(1).locator("td").nth(2)).to_have_text("undefined, because no item has a face track")

    ambiguous = emotion.locator("table.ambiguity tbody tr")
    expect(ambiguous).to_have_count(20)
    expect(ambiguous.first.locator("td").first).to_have_text("100")
    expect(emotion.get_by_text("Most ambiguous items (top 20 of 25)")).to_be_visible()

    trace = page.locator("section.report-field[data-field='arousal'] svg.trace-chart")
    expect(trace.locator("g.series[data-series='A01'] polyline")).to_have_count(2)  # broken at the gap
    expect(trace.locator("g.series[data-series='A02'] polyline")).to_have_count(1)
    expect(trace.locator("g.consensus polyline")).to_have_count(1)
    assert trace.locator(".legend-label").all_text_contents() == ["A01", "A02", "consensus"]

    notes = page.locator("section.report-field[data-field='notes']")
    expect(notes.locator(".reasons li")).to_have_text(
        "krippendorff_alpha: undefined, because free text has no agreement measure"
    )
    page.screenshot(path=PLOTS_SCREENSHOT, full_page=True)
    assert "NaN" not in page.locator("main").inner_text()
    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []
