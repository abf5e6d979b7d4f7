"""Labeling in the browser: play, segment, soft label, trace, explanation; reload finds it all; blindness."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from annotation.models import Assignment
from projects.models import Role
from tests.annotation.helpers import categorical, dimensional, nine_point
from tests.e2e.seeding import publish_and_assign
from tests.media_samples import make_clip
from tests.models_zoo.media import ready_asset

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

SCREENSHOT = "/tmp/affectlab-labeling.png"
RATE_HZ = 10
DEFINITION = {
    "title": "Ambivalence in interviews",
    "fields": [
        {
            "name": "spans",
            "label": "Ambivalent spans",
            "kind": "segments",
            "scope": "time",
            "classes": [{"id": "ambivalent", "label": "Ambivalent"}, {"id": "hesitant", "label": "Hesitant"}],
        },
        {
            "name": "emotion",
            "label": "Emotion mix",
            "kind": "categorical",
            "scope": "item",
            "mode": "soft",
            "classes": [{"id": "joy"}, {"id": "sadness"}, {"id": "neutral"}],
        },
        {
            "name": "valence",
            "label": "Valence trace",
            "kind": "trace",
            "scope": "time",
            "rate_hz": RATE_HZ,
            "dimensions": [{"name": "valence", "min": -1, "max": 1}],
        },
        {"name": "why", "label": "Why", "kind": "text", "scope": "item"},
    ],
}


@pytest.fixture
def labeling_setup(owned_project, owner_user, annotator_user, member_factory, tmp_path):
    """A ready 4-second clip given to two annotators under a schema with the four kinds exercised."""
    second = member_factory(owned_project, "bruno", Role.ANNOTATOR)
    clip = make_clip(tmp_path / "interview.mp4", seconds=4)
    asset = ready_asset(owned_project, owner_user, clip, tmp_path)
    publish_and_assign(owned_project, owner_user, DEFINITION, overlap=2)
    first_id = Assignment.objects.get(annotator=annotator_user).pk
    second_id = Assignment.objects.get(annotator=second).pk
    return asset, first_id, second_id


def open_queue(browsing, project) -> None:
    page = browsing.page
    page.goto(f"{browsing.base_url}/projects/{project.pk}/")
    page.get_by_role("link", name="Start labeling").click()
    page.wait_for_url("**/assignments/*/label/")
    expect(page.locator("body")).to_have_attribute("data-label-ready", "true")


def media_time(page) -> float:
    return page.locator("video.label-video").evaluate("el => el.currentTime")


def wait_until(check, timeout_s: float = 10.0) -> None:
    """Polls from Python: wait_for_function would evaluate a string, which script-src 'self' forbids."""
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def seek(page, seconds: float) -> None:
    page.locator("video.label-video").evaluate(f"el => {{ el.currentTime = {seconds}; }}")
    wait_until(lambda: abs(media_time(page) - seconds) < 0.01)


def key(page, name: str) -> None:
    """A shortcut pressed with nothing focused (a text box would take the key), without scrolling."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(name)


def wait_saved(page) -> None:
    expect(page.locator("#save-status")).to_have_attribute("data-state", "saved", timeout=10_000)


def test_an_annotator_labels_a_clip_and_finds_everything_after_a_reload(
    labeling_setup, owned_project, annotator_user, browsing
):
    asset, first_id, second_id = labeling_setup
    page = browsing.page
    base = browsing.base_url
    browsing.sign_in(annotator_user.username)
    open_queue(browsing, owned_project)
    assert page.url == f"{base}/assignments/{first_id}/label/"
    expect(page.locator("#label-progress")).to_have_text("0 of 1 done")

    # Play with the keyboard, then pause.
    video = page.locator("video.label-video")
    expect(video).to_have_js_property("readyState", 4, timeout=10_000)
    key(page, "Space")
    wait_until(lambda: media_time(page) > 0.5)
    key(page, "Space")
    expect(video).to_have_js_property("paused", True)
    canvas = "el => el.firstElementChild.shadowRoot.querySelector('canvas') !== null"
    assert page.locator("#waveform").evaluate(canvas)

    # Create a segment by dragging on the waveform, then move its end with the keys.
    wave = page.locator("#waveform").bounding_box()
    assert wave is not None
    y = wave["y"] + wave["height"] / 2
    page.mouse.move(wave["x"] + wave["width"] * 0.25, y)
    page.mouse.down()
    page.mouse.move(wave["x"] + wave["width"] * 0.4, y, steps=8)
    page.mouse.move(wave["x"] + wave["width"] * 0.5, y, steps=8)
    page.mouse.up()
    rows = page.locator(".segment-table tbody tr[data-index]")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".seg-class")).to_have_text("Ambivalent")
    rows.first.click()  # selects it and seeks to its start
    key(page, "2")  # class 2 of the selected segment
    expect(rows.first.locator(".seg-class")).to_have_text("Hesitant")
    seek(page, 3.5)
    key(page, "o")
    expect(rows.first.locator(".seg-end")).to_have_text("0:03.500")

    # A soft label: joy to 60 %, the rest shares the remaining 40 %.
    page.get_by_label("Share of joy").evaluate(
        "el => { el.value = '60'; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    expect(page.locator(".soft-row[data-class='joy'] output")).to_have_text("60%")
    expect(page.locator(".soft-row[data-class='sadness'] output")).to_have_text("20%")

    # Record a trace while the clip plays: the pointer moves over the pad.
    seek(page, 0)
    pad_element = page.locator(".trace-pad[data-field='valence']")
    pad_element.scroll_into_view_if_needed()
    pad = pad_element.bounding_box()
    assert pad is not None
    page.mouse.move(pad["x"] + pad["width"] * 0.8, pad["y"] + pad["height"] / 2)
    key(page, "r")
    expect(video).to_have_js_property("paused", False)
    for fraction in (0.7, 0.6, 0.5, 0.4, 0.3):
        page.mouse.move(pad["x"] + pad["width"] * fraction, pad["y"] + pad["height"] / 2, steps=3)
        page.wait_for_timeout(250)
    key(page, "r")
    expect(video).to_have_js_property("paused", False)  # stopping the recording leaves playback alone
    key(page, "Space")
    expect(page.locator(".trace-info")).to_contain_text(f"at {RATE_HZ} Hz")

    page.get_by_label("Why").fill("Her voice wavers while she smiles.")
    wait_saved(page)

    saved = page.request.get(f"{base}/api/assignments/{first_id}/workspace/").json()["latest"]["values"]
    assert set(saved) == {"spans", "emotion", "valence", "why"}
    (span,) = saved["spans"]
    assert span["end"] == 3.5 and span["class"] == "hesitant" and 0.6 < span["start"] < 1.4
    assert saved["emotion"]["distribution"]["joy"] == pytest.approx(0.6)
    assert sum(saved["emotion"]["distribution"].values()) == pytest.approx(1, abs=1e-6)
    trace = saved["valence"]
    assert len(trace) >= 8
    gaps = [b[0] - a[0] for a, b in zip(trace, trace[1:], strict=False)]
    assert all(gap == pytest.approx(1 / RATE_HZ, abs=1e-6) for gap in gaps)
    assert trace[0][1] > trace[-1][1]  # the pointer moved from right (positive) to left
    assert saved["why"] == "Her voice wavers while she smiles."

    page.reload()
    expect(page.locator("body")).to_have_attribute("data-label-ready", "true")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".seg-class")).to_have_text("Hesitant")
    expect(rows.first.locator(".seg-end")).to_have_text("0:03.500")
    expect(page.locator(".soft-row[data-class='joy'] output")).to_have_text("60%")
    expect(page.locator(".trace-info")).to_contain_text(f"{len(trace)} samples")
    expect(page.get_by_label("Why")).to_have_value("Her voice wavers while she smiles.")
    assert page.locator(".trace-lane polyline").first.get_attribute("points")

    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    expect(page.locator("#help-table")).to_contain_text("Play / pause")
    expect(page.locator("#help-table")).to_contain_text("Submit and go to the next item")
    page.keyboard.press("Escape")
    page.screenshot(path=SCREENSHOT, full_page=True)

    # The second annotator of the same item sees none of it, in the page or through the API.
    page.get_by_role("button", name="Sign out").click()
    browsing.sign_in("bruno")
    assert page.request.get(f"{base}/api/assignments/{first_id}/workspace/").status == 404
    assert page.request.get(f"{base}/api/assignments/{first_id}/annotation/").status == 404
    open_queue(browsing, owned_project)
    assert page.url == f"{base}/assignments/{second_id}/label/"
    expect(page.locator(".segment-table tbody tr[data-index]")).to_have_count(0)
    expect(page.locator(".soft-row[data-class='joy'] output")).to_have_text("–")
    expect(page.locator(".trace-info")).to_contain_text("0 samples")
    expect(page.get_by_label("Why")).to_have_value("")
    assert "wavers" not in page.content()
    theirs = page.request.get(f"{base}/api/assignments/{second_id}/workspace/").json()
    assert theirs["latest"] is None

    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []


SUGGESTION_DEFINITION = {
    "fields": [
        dimensional("feeling", nine_point("valence"), nine_point("arousal")),
        categorical("emotion", "calm", "tense"),
    ]
}


def add_track(asset, kind: str, columns: dict[str, list], sample_rate: float | None = None):
    """A finished pre-label track stored the way the job runner stores it."""
    from models_zoo.models import JobState, PrelabelJob, Track
    from models_zoo.prelabelers.base import TrackOutput
    from models_zoo.services.track_files import columns_of, table_from_output, track_file_write

    job = PrelabelJob.objects.create(
        asset=asset, prelabeler=kind, version="1", params_hash=kind.ljust(64, "0"), state=JobState.SUCCEEDED
    )
    table = table_from_output(TrackOutput(kind, columns, sample_rate, asset.duration_seconds))
    key = track_file_write(key=f"tests/tracks/{asset.pk}/{kind}.parquet", table=table)
    return Track.objects.create(
        asset=asset, job=job, kind=kind, prelabeler=kind, version="1", sample_rate=sample_rate,
        duration_seconds=asset.duration_seconds, columns=columns_of(table), row_count=table.num_rows,
        storage_key=key,
    )  # fmt: skip


@pytest.fixture
def suggested_clip(owned_project, owner_user, annotator_user, tmp_path):
    """A ready clip with face, word, AU and valence-arousal tracks, assigned to one annotator."""
    clip = make_clip(tmp_path / "talk.mp4", seconds=4)
    asset = ready_asset(owned_project, owner_user, clip, tmp_path)
    times = [round(i * 0.2, 3) for i in range(20)]
    add_track(
        asset, "faces",
        {"time": times, "identity": [1] * 20, "x0": [0.25] * 20, "y0": [0.2] * 20, "x1": [0.75] * 20,
         "y1": [0.8] * 20, "is_main": [True] * 20},
        5.0,
    )  # fmt: skip
    add_track(
        asset, "words",
        {"time": [0.2, 1.0, 2.5], "start": [0.2, 1.0, 2.5], "end": [0.9, 2.0, 3.5],
         "word": ["<b>hello</b>", "there", "friend"], "segment": [0, 0, 0], "probability": [0.9] * 3},
    )  # fmt: skip
    frames = [round(i / 25, 3) for i in range(100)]
    add_track(asset, "action_units", {"time": frames, "AU12": [i / 100 for i in range(100)]}, 25.0)
    add_track(asset, "vad_fused", {"time": [0.0, 2.0], "valence": [7.6, 7.8], "arousal": [3.0, 3.2]}, 0.5)
    publish_and_assign(owned_project, owner_user, SUGGESTION_DEFINITION)
    return asset, Assignment.objects.get(annotator=annotator_user).pk


def test_pre_labels_show_as_suggestions_and_are_copied_only_when_accepted(
    suggested_clip, owned_project, annotator_user, browsing
):
    _, assignment_id = suggested_clip
    page = browsing.page
    base = browsing.base_url
    browsing.sign_in(annotator_user.username)
    open_queue(browsing, owned_project)

    # Face boxes over the video at the current time, in the track's normalised coordinates.
    box = page.locator(".face-overlay .face-box.main")
    expect(box).to_have_count(1)
    video = page.locator("video.label-video").bounding_box()
    face = box.bounding_box()
    assert video and face
    assert face["x"] - video["x"] == pytest.approx(0.25 * video["width"], abs=2)
    assert face["width"] == pytest.approx(0.5 * video["width"], abs=2)

    # The transcript: words as text (markup stays text), click to seek, the current word highlighted.
    words = page.locator("#transcript .word")
    expect(words).to_have_count(3)
    expect(words.first).to_have_text("<b>hello</b>")
    words.nth(2).click()
    wait_until(lambda: abs(media_time(page) - 2.5) < 0.05)
    expect(words.nth(2)).to_have_class(re.compile(r"\bcurrent\b"))
    expect(words.first).not_to_have_class(re.compile(r"\bcurrent\b"))

    # AU and valence/arousal tracks are plotted in lanes under the waveform.
    expect(page.locator(".plot-lane")).to_have_count(2)
    expect(page.locator(".plot-lane polyline").first).to_have_attribute("points", re.compile(r"\d"))

    # Nothing was copied: no save happened until the annotator accepts the estimate.
    assert page.request.get(f"{base}/api/assignments/{assignment_id}/workspace/").json()["latest"] is None
    suggestion = page.locator(".suggestion[data-field='feeling']")
    expect(suggestion).to_contain_text("valence 8")
    expect(suggestion).to_contain_text("arousal 3")
    suggestion.get_by_role("button", name="Accept").click()
    expect(page.locator(".rating-row[data-rating='valence'] [aria-pressed='true']")).to_have_text("8")
    wait_saved(page)
    latest = page.request.get(f"{base}/api/assignments/{assignment_id}/workspace/").json()["latest"]
    assert latest["values"] == {"feeling": {"valence": 8, "arousal": 3}}

    key(page, "2")
    wait_saved(page)
    latest = page.request.get(f"{base}/api/assignments/{assignment_id}/workspace/").json()["latest"]
    assert latest["values"]["emotion"] == {"class": "tense"}

    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []


def test_edits_survive_a_dropped_connection_and_a_stale_save_shows_both_versions(
    labeling_setup, owned_project, annotator_user, browsing
):
    _, first_id, _ = labeling_setup
    page = browsing.page
    base = browsing.base_url
    url = f"{base}/api/assignments/{first_id}/annotation/"
    browsing.sign_in(annotator_user.username)
    page.goto(f"{base}/assignments/{first_id}/label/")
    expect(page.locator("body")).to_have_attribute("data-label-ready", "true")

    # The server stores a save but its answer is lost: the retry re-sends the same Idempotency-Key,
    # so the server recognises it and nothing is stored twice.
    keys: list[str] = []

    def answer_lost(route) -> None:
        route.fetch()
        route.abort()

    page.route("**/annotation/", answer_lost, times=1)
    page.on("request", lambda r: keys.append(r.headers["idempotency-key"]) if r.method == "PUT" else None)
    page.get_by_label("Why").fill("first words")
    wait_saved(page)
    state = page.request.get(url).json()
    assert state["latest"]["values"] == {"why": "first words"} and len(state["history"]) == 1
    assert len(keys) == 2 and keys[0] == keys[1]  # one retry, same key

    # The connection drops: saves fail, the edit stays in localStorage and is sent after a reload.
    page.route("**/annotation/", lambda route: route.abort())
    page.get_by_label("Why").fill("typed while offline")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "offline", timeout=10_000)
    page.unroute("**/annotation/")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-label-ready", "true")
    expect(page.get_by_label("Why")).to_have_value("typed while offline")
    wait_saved(page)
    state = page.request.get(url).json()
    assert state["latest"]["values"] == {"why": "typed while offline"}
    assert len(state["history"]) == 2

    # Another tab saves revision 3; this tab's next save is stale and shows both versions.
    other = page.request.put(
        url,
        data={"base_revision": 2, "values": {"why": "from the other tab"}, "submit": False},
        headers={"Idempotency-Key": "other-tab-1", "X-CSRFToken": browsing.csrf_token()},
    )
    assert other.status == 201, other.text()
    page.get_by_label("Why").fill("mine, newer")
    dialog = page.locator("#conflict")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(page.locator("#conflict-mine")).to_contain_text("mine, newer")
    expect(page.locator("#conflict-theirs")).to_contain_text("from the other tab")
    page.get_by_role("button", name="Keep mine").click()
    wait_saved(page)
    state = page.request.get(url).json()
    assert state["latest"]["number"] == 4 and state["latest"]["based_on"] == 3
    assert state["latest"]["values"] == {"why": "mine, newer"}

    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []
