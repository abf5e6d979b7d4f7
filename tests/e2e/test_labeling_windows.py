"""Labeling gaps closed in the browser: window grids, soft-label intensity, partial dimensional ratings."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, expect

from annotation.models import Assignment
from annotation.templates_builtin import template_get
from ingest.models import MediaAsset
from tests.annotation.helpers import dimensional, nine_point
from tests.e2e.seeding import publish_and_assign
from tests.e2e.test_labeling import key, media_time, seek, wait_saved, wait_until
from tests.media_samples import make_clip
from tests.models_zoo.media import ready_asset

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

WINDOW_S = 0.2
CALM, POSITIVE, LOW, HIGH = "calm", "positive", "negative_low", "negative_high"


def windowed_clip(project, owner, annotator, tmp_path, *, duration: float | None = None) -> int:
    """A 4-second clip under the built-in CALMED-like template; ``duration`` overrides the stored length."""
    template = template_get("calmed-windows")
    assert template is not None
    asset = ready_asset(project, owner, make_clip(tmp_path / "child.mp4", seconds=4), tmp_path)
    if duration is not None:
        MediaAsset.objects.filter(pk=asset.pk).update(duration_seconds=duration)
    publish_and_assign(project, owner, template.definition)
    return Assignment.objects.get(annotator=annotator).pk


def open_page(browsing, assignment_id: int) -> None:
    browsing.page.goto(f"{browsing.base_url}/assignments/{assignment_id}/label/")
    expect(browsing.page.locator("body")).to_have_attribute("data-label-ready", "true")


def open_grid(browsing, annotator, assignment_id: int) -> Locator:
    """Signs the annotator in, opens the labeling page and gives the window lane of the "state" field."""
    browsing.sign_in(annotator.username)
    open_page(browsing, assignment_id)
    return browsing.page.locator(".window-lane[data-field='state']")


def saved_values(browsing, assignment_id: int) -> dict:
    response = browsing.page.request.get(f"{browsing.base_url}/api/assignments/{assignment_id}/workspace/")
    latest = response.json()["latest"]
    return latest["values"] if latest else {}


def spans(*runs: tuple[float, float, str]) -> list[dict]:
    return [{"start": start, "end": end, "value": {"class": cls}} for start, end, cls in runs]


def strip_x(box: dict, window: int, count: int) -> float:
    """The x of a window's centre on a strip that shows all ``count`` windows."""
    return box["x"] + (window + 0.5) / count * box["width"]


def strip_box(lane: Locator) -> tuple[dict, float]:
    """The lane's canvas box, and the height at which a press lands on the strip."""
    box = lane.locator("canvas").bounding_box()
    assert box is not None
    return box, box["y"] + box["height"] * 0.7


def drag(page, y: float, start: float, *through: float, steps: int) -> None:
    """Presses at ``start`` and moves through each x in turn (``steps`` mouse events apiece)."""
    page.mouse.move(start, y)
    page.mouse.down()
    for x in through:
        page.mouse.move(x, y, steps=steps)
    page.mouse.up()


@pytest.fixture
def windowed(owned_project, owner_user, annotator_user, tmp_path) -> int:
    return windowed_clip(owned_project, owner_user, annotator_user, tmp_path)


@pytest.fixture
def windowed_hour(owned_project, owner_user, annotator_user, tmp_path) -> int:
    return windowed_clip(owned_project, owner_user, annotator_user, tmp_path, duration=3600.0)


def test_windows_are_labeled_by_key_stepping_playing_and_dragging(windowed, annotator_user, browsing):
    page = browsing.page
    lane = open_grid(browsing, annotator_user, windowed)
    expect(lane).to_have_attribute("data-windows", "20")
    expect(lane).to_have_attribute("data-unlabeled", "20")
    expect(lane).to_have_attribute("data-current", "0")
    expect(page.locator(".window-counts")).to_have_text("20 of 20 windows unlabeled")
    video = page.locator("video.label-video")
    expect(video).to_have_js_property("readyState", 4, timeout=10_000)

    # Paused: a class key labels the current window and steps on; A/D move without labeling.
    key(page, "1")
    expect(lane).to_have_attribute("data-current", "1")
    key(page, "2")
    key(page, "d")
    expect(lane).to_have_attribute("data-current", "3")
    key(page, "a")
    expect(lane).to_have_attribute("data-current", "2")
    key(page, "4")
    key(page, "3")
    expect(lane).to_have_attribute("data-current", "4")
    assert media_time(page) == pytest.approx(0.8, abs=1e-3)
    expect(page.locator(".window-info")).to_contain_text("Window 5 of 20")
    expect(page.locator(".window-info")).to_contain_text("unlabeled")
    wait_saved(page)
    assert saved_values(browsing, windowed) == {
        "state": spans((0, 0.2, CALM), (0.2, 0.4, POSITIVE), (0.4, 0.6, HIGH), (0.6, 0.8, LOW))
    }

    # Drag on the strip paints the last class used over a range; a click goes to a window.
    box, y = strip_box(lane)
    drag(page, y, strip_x(box, 10, 20), strip_x(box, 12, 20), strip_x(box, 14, 20), steps=5)
    expect(lane).to_have_attribute("data-unlabeled", str(20 - 4 - 5))
    page.mouse.click(strip_x(box, 17, 20), y)
    expect(lane).to_have_attribute("data-current", "17")
    wait_until(lambda: abs(media_time(page) - 3.4) < 1e-3)

    # Delete clears the current window, U finds the first unlabeled window after it (wrapping).
    seek(page, 0.5)
    expect(lane).to_have_attribute("data-current", "2")
    key(page, "Delete")
    expect(lane).to_have_attribute("data-unlabeled", str(20 - 3 - 5))
    expect(lane).to_have_attribute("data-current", "2")
    key(page, "u")
    expect(lane).to_have_attribute("data-current", "4")
    wait_saved(page)
    assert saved_values(browsing, windowed) == {
        "state": spans((0, 0.2, CALM), (0.2, 0.4, POSITIVE), (0.6, 0.8, LOW), (2.0, 3.0, LOW))
    }

    # While the media plays a key labels the window under the playhead, and playback goes on.
    seek(page, 1.0)
    key(page, "Space")
    wait_until(lambda: media_time(page) > 1.3)
    key(page, "2")
    expect(video).to_have_js_property("paused", False)
    key(page, "Space")
    expect(video).to_have_js_property("paused", True)
    wait_saved(page)
    state = saved_values(browsing, windowed)["state"]
    played = [span for span in state if span["value"] == {"class": POSITIVE} and span["start"] >= 1.2]
    assert len(played) == 1 and played[0]["end"] - played[0]["start"] == pytest.approx(WINDOW_S)
    assert played[0]["start"] < 2.0

    # Reload: the grid comes back from the saved spans.
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-label-ready", "true")
    expect(lane).to_have_attribute("data-unlabeled", str(20 - 3 - 5 - 1))
    expect(page.locator(".window-counts")).to_have_text(f"{20 - 9} of 20 windows unlabeled")

    page.keyboard.press("?")
    help_table = page.locator("#help-table")
    expect(help_table).to_contain_text("Label the current window “Calm”")
    expect(help_table).to_contain_text("Next unlabeled window")
    expect(help_table).to_contain_text("Previous window")
    page.keyboard.press("Escape")

    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []


def test_an_hour_of_windows_stays_responsive(windowed_hour, annotator_user, browsing):
    page = browsing.page
    lane = open_grid(browsing, annotator_user, windowed_hour)
    expect(lane).to_have_attribute("data-windows", "18000")
    expect(lane).to_have_attribute("data-last-visible", "17999")
    # One canvas, not a node per window.
    assert lane.locator("*").count() == 2

    # Paint a tenth of the hour by dragging over the fitted strip.
    box, y = strip_box(lane)
    drag(page, y, box["x"] + box["width"] * 0.1, box["x"] + box["width"] * 0.2, steps=10)
    wait_saved(page)
    (span,) = saved_values(browsing, windowed_hour)["state"]
    assert span["value"] == {"class": CALM}
    assert 300 < span["start"] < 420 and 660 < span["end"] < 780
    painted = round((span["end"] - span["start"]) / WINDOW_S)
    assert span["start"] / WINDOW_S == pytest.approx(round(span["start"] / WINDOW_S), abs=1e-6)
    expect(lane).to_have_attribute("data-unlabeled", str(18000 - painted))

    # Labeling window after window costs little even with 18,000 windows to keep and save.
    elapsed = page.evaluate(
        """() => {
          const started = performance.now();
          for (let i = 0; i < 15; i++) {
            const press = { key: "2", bubbles: true, cancelable: true };
            document.body.dispatchEvent(new KeyboardEvent("keydown", press));
          }
          return performance.now() - started;
        }"""
    )
    assert elapsed < 1500
    expect(lane).to_have_attribute("data-current", "15")
    expect(lane).to_have_attribute("data-unlabeled", str(18000 - painted - 15))

    # Zoomed in, only the windows in view are drawn.
    # (The clip itself is 4 s long, so the waveform scrolls to where it puts the playhead.)
    def visible() -> int:
        first = int(lane.get_attribute("data-first-visible") or 0)
        return int(lane.get_attribute("data-last-visible") or 0) - first + 1

    for _ in range(5):
        key(page, "+")
        page.wait_for_timeout(300)  # each step zooms from the width the previous one drew
    wait_until(lambda: visible() < 1000)

    wait_saved(page)
    state = saved_values(browsing, windowed_hour)["state"]
    assert state[0] == {"start": 0, "end": 3.0, "value": {"class": POSITIVE}}
    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []


INTENSITY = {
    "min": 1,
    "max": 3,
    "step": 1,
    "labels": [{"value": 1, "label": "weak"}, {"value": 3, "label": "strong"}],
}
RATINGS_DEFINITION = {
    "fields": [
        {
            "name": "emotion",
            "label": "Emotion mix",
            "kind": "categorical",
            "scope": "item",
            "mode": "soft",
            "intensity": INTENSITY,
            "classes": [{"id": "joy"}, {"id": "sadness"}, {"id": "neutral", "intensity": None}],
        },
        dimensional(
            "vad", nine_point("valence"), nine_point("arousal"), nine_point("dominance", required=False)
        ),
        dimensional("sam", nine_point("pleasure"), nine_point("excitement")),
    ]
}


@pytest.fixture
def rated_clip(owned_project, owner_user, annotator_user, tmp_path) -> int:
    ready_asset(owned_project, owner_user, make_clip(tmp_path / "face.mp4", seconds=2), tmp_path)
    publish_and_assign(owned_project, owner_user, RATINGS_DEFINITION)
    return Assignment.objects.get(annotator=annotator_user).pk


def set_share(page, label: str, percent: int) -> None:
    page.get_by_label(f"Share of {label}").evaluate(
        f"el => {{ el.value = '{percent}'; el.dispatchEvent(new Event('input', {{bubbles: true}})); }}"
    )


def rate(page, field: str, rating: str, value: int) -> None:
    page.locator(f"fieldset[data-field='{field}'] .rating-row[data-rating='{rating}']").get_by_role(
        "button", name=f"{rating} {value}", exact=True
    ).click()


def test_soft_intensity_and_partial_ratings_are_kept(rated_clip, annotator_user, browsing):
    page = browsing.page
    browsing.sign_in(annotator_user.username)
    open_page(browsing, rated_clip)

    # Intensity shows for classes with a scale once they have a share, and drops with the share.
    joy_level = page.get_by_label("Intensity of joy")
    sadness_level = page.get_by_label("Intensity of sadness")
    expect(joy_level).to_be_hidden()
    expect(page.get_by_label("Intensity of neutral")).to_have_count(0)
    set_share(page, "joy", 60)
    expect(joy_level).to_be_visible()
    joy_level.select_option("3")
    sadness_level.select_option("1")
    wait_saved(page)
    emotion = saved_values(browsing, rated_clip)["emotion"]
    assert emotion["intensity"] == {"joy": 3, "sadness": 1}
    assert emotion["distribution"]["joy"] == pytest.approx(0.6)
    set_share(page, "joy", 100)
    expect(sadness_level).to_be_hidden()
    wait_saved(page)
    emotion = saved_values(browsing, rated_clip)["emotion"]
    assert emotion == {"distribution": {"joy": 1, "sadness": 0, "neutral": 0}, "intensity": {"joy": 3}}

    # An optional rating may stay empty: the value is saved as soon as the required ones are set.
    rate(page, "vad", "valence", 3)
    rate(page, "vad", "arousal", 5)
    wait_saved(page)
    assert saved_values(browsing, rated_clip)["vad"] == {"valence": 3, "arousal": 5}

    # With every rating required, a partial rating waits in this browser and survives a reload.
    rate(page, "sam", "pleasure", 7)
    expect(page.locator("fieldset[data-field='sam'] .dim-status")).to_contain_text("kept in this browser")
    page.wait_for_timeout(1500)
    assert "sam" not in saved_values(browsing, rated_clip)
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-label-ready", "true")
    pressed = page.locator(
        "fieldset[data-field='sam'] .rating-row[data-rating='pleasure'] [aria-pressed='true']"
    )
    expect(pressed).to_have_text("7")
    expect(joy_level).to_have_value("3")
    rate(page, "sam", "excitement", 2)
    wait_saved(page)
    assert saved_values(browsing, rated_clip)["sam"] == {"pleasure": 7, "excitement": 2}
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-label-ready", "true")
    expect(page.locator("fieldset[data-field='sam'] .dim-status")).to_have_text("")
    expect(
        page.locator("fieldset[data-field='vad'] .rating-row[data-rating='arousal'] [aria-pressed='true']")
    ).to_have_text("5")

    assert browsing.csp_violations() == []
    assert browsing.log.page_errors == []
