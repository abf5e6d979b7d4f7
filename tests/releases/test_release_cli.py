"""``manage.py export_dataset``: building versions without the REST API, with the API's options."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from projects.models import Role
from projects.services import membership_set
from releases.models import DatasetVersion, VersionState
from tests.factories import ProjectFactory, UserFactory
from tests.releases.test_release_fixtures import labelled_project, make_item

pytestmark = pytest.mark.django_db


def test_sync_export_builds_and_copies_the_files_out(project, tmp_path):
    labelled_project(project)
    out = StringIO()
    call_command("export_dataset", str(project.pk), "--version", "2.1.0", "--seed", "3", "--sync",
                 "--out", str(tmp_path), stdout=out)  # fmt: skip
    version = DatasetVersion.objects.get(project=project)
    assert version.state == VersionState.READY and version.version == "2.1.0" and version.seed == 3
    text = out.getvalue()
    assert "Version 2.1.0" in text and "is ready" in text and version.storage_prefix in text
    folder = tmp_path / f"project{project.pk}-2.1.0"
    assert f"Copied to: {folder}" in text
    for entry in version.files:
        assert hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]


def test_export_without_sync_queues_a_bumped_version(
    project, monkeypatch, django_capture_on_commit_callbacks
):
    sent: list[int] = []
    monkeypatch.setattr("releases.tasks.build_dataset_version.delay", sent.append)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("export_dataset", str(project.pk), stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("export_dataset", str(project.pk), "--bump", "patch", stdout=out)
    versions = list(DatasetVersion.objects.order_by("pk").values_list("version", "state"))
    assert versions == [("1.0.0", "queued"), ("1.0.1", "queued")]
    assert sent == list(DatasetVersion.objects.order_by("pk").values_list("pk", flat=True))
    assert "queued for a worker" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999"], "There is no project 999999"),
        (["{project}", "--version", "1.0"], "X.Y.Z"),
        (["{project}", "--out", "/tmp/x"], "--out needs --sync"),
    ],
)
def test_export_refuses_bad_arguments_with_a_message(project, args, message):
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("export_dataset", *[a.format(project=project.pk) for a in args], stdout=StringIO())
    assert DatasetVersion.objects.count() == 0


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """Version ids handed to the Celery task, instead of a real broker."""
    ids: list[int] = []
    monkeypatch.setattr("releases.tasks.build_dataset_version.delay", ids.append)
    return ids


def test_every_api_option_is_stored_on_the_queued_version(project, sent, django_capture_on_commit_callbacks):
    items = labelled_project(project, items=4, annotators=3)
    coders = get_user_model().objects.filter(username__startswith=f"coder{project.pk}-")
    first, second = coders.order_by("pk")[:2]
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "export_dataset", str(project.pk), "--version", "1.2.0", "--notes", "subset for the pilot",
            "--items", f"{items[3].pk},{items[0].pk}", "--items", f"{items[1].pk}-{items[2].pk}",
            "--annotators", f"{first.username}, {second.pk}", "--review-states", "accepted,submitted",
            "--dawid-skene", "--media", "proxy", "--seed", "7", stdout=out,
        )  # fmt: skip
    version = DatasetVersion.objects.get(project=project)
    assert (version.version, version.state) == ("1.2.0", VersionState.QUEUED)
    assert version.notes == "subset for the pilot"
    assert version.filters == {
        "item_ids": sorted(item.pk for item in items),
        "annotator_ids": sorted([first.pk, second.pk]),
        "review_states": ["accepted", "submitted"],
    }
    assert (version.dawid_skene, version.include_media, version.seed) == (True, "proxy", 7)
    assert sent == [version.pk] and "queued for a worker" in out.getvalue()


def test_a_sync_export_with_filters_builds_only_the_chosen_items_and_annotators(project):
    items = labelled_project(project, items=3, annotators=3)
    out = StringIO()
    call_command(
        "export_dataset", str(project.pk), "--items", f"{items[0].pk} {items[2].pk}",
        "--annotators", f"coder{project.pk}-0,coder{project.pk}-2", "--sync", stdout=out,
    )  # fmt: skip
    version = DatasetVersion.objects.get(project=project)
    assert version.state == VersionState.READY, version.error
    assert version.counts == {"items": 2, "annotators": 2, "annotations": 4}
    assert "is ready" in out.getvalue()


def test_the_bump_option_numbers_from_the_latest_version(project, sent):
    for bump, expected in (("minor", "1.0.0"), ("major", "2.0.0"), ("patch", "2.0.1"), ("minor", "2.1.0")):
        call_command("export_dataset", str(project.pk), "--bump", bump, stdout=StringIO())
        assert DatasetVersion.objects.order_by("-pk").first().version == expected


@pytest.fixture
def foreigners(project):
    """An item of another project, and a user who is not a member of this one."""
    other = ProjectFactory(created_by=project.created_by)
    return make_item(other, 99), UserFactory(username="stranger")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--items", "three"], "--items: 'three' is neither an item id nor a range like 10-20."),
        (["--items", "9-3"], "--items: '9-3' is neither an item id nor a range like 10-20."),
        (["--items", "{foreign_item}"], "--items: not items of this project: {foreign_item}."),
        (["--annotators", "stranger"], "--annotators: not members of this project: stranger."),
        (["--annotators", "{stranger_id}"], "--annotators: not members of this project: {stranger_id}."),
        (["--review-states", "finished"], "--review-states: unknown review state(s) finished"),
        (["--review-states", ","], "--review-states: must name at least one state."),
        (["--seed", "-1"], "--seed: Ensure this value is greater than or equal to 0."),
        (["--version", "2.0.0", "--bump", "major"], "not allowed with argument"),
        (["--media", "all"], "invalid choice: 'all'"),
    ],
)
def test_bad_filters_and_options_are_refused_naming_the_option(project, foreigners, args, message):
    labelled_project(project, items=1, annotators=1)
    item, stranger = foreigners
    names = {"foreign_item": item.pk, "stranger_id": stranger.pk}
    args = [a.format(**names) for a in args]
    with pytest.raises(CommandError) as refused:
        call_command("export_dataset", str(project.pk), *args, stdout=StringIO(), stderr=StringIO())
    assert message.format(**names) in str(refused.value)
    assert DatasetVersion.objects.count() == 0


def test_an_annotator_is_found_by_username_before_a_numeric_id(project, sent):
    """A username made of digits names that member, not the user whose id it happens to be."""
    digits = UserFactory(username="4242")
    membership_set(project=project, user=digits, role=Role.ANNOTATOR)
    call_command("export_dataset", str(project.pk), "--annotators", "4242", stdout=StringIO())
    assert DatasetVersion.objects.get().filters["annotator_ids"] == [digits.pk]
