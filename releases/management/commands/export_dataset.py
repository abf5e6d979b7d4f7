"""``manage.py export_dataset <project_id>``: create a dataset version and build it, here or on a worker.

The options are those of ``POST /api/projects/{id}/versions/`` and go through the same serializer
and service, so the command accepts and refuses exactly what the API does. Annotators are named by
username or user id (usernames are what an operator knows; the API takes ids).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.models import Project
from releases.api.serializers import id_tokens, parse_item_ids, version_request_from
from releases.models import DatasetVersion, IncludeMedia, VersionState
from releases.services.build import version_build
from releases.services.semver import BUMPS
from releases.services.versions import VersionRefused, version_create

# Where each request field comes from on the command line, to name it in a refusal.
OPTION_NAMES = {
    "version": "--version", "bump": "--bump", "notes": "--notes", "include_media": "--media",
    "seed": "--seed", "dawid_skene": "--dawid-skene", "filters": "--items/--annotators/--review-states",
    "filters.item_ids": "--items", "filters.annotator_ids": "--annotators",
    "filters.review_states": "--review-states",
}  # fmt: skip


class Command(BaseCommand):
    help = "Create a new dataset version of a project and build it (on a worker, or here with --sync)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        """``--version`` names the dataset version here, replacing Django's own (which prints Django's)."""
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project_id", type=int)
        number = parser.add_mutually_exclusive_group()
        number.add_argument("--version", dest="number", help="X.Y.Z, greater than the latest version")
        number.add_argument("--bump", choices=BUMPS, default="minor", help="default: minor (first: 1.0.0)")
        parser.add_argument(
            "--media", "--include-media", dest="include_media", choices=IncludeMedia.values,
            default=IncludeMedia.NONE, help="media files in the release (default: none)",
        )  # fmt: skip
        parser.add_argument("--seed", type=int, default=0, help="fixes splits and bootstrap intervals")
        parser.add_argument("--notes", default="")
        parser.add_argument(
            "--dawid-skene", action="store_true", help="Dawid-Skene instead of majority vote for categories"
        )
        parser.add_argument(
            "--items", action="append", metavar="IDS",
            help="only these item ids: comma-separated, ranges like 10-20, repeatable (default: all)",
        )  # fmt: skip
        parser.add_argument(
            "--annotators", action="append", metavar="NAMES",
            help="only these annotators: usernames or user ids, comma-separated, repeatable (default: all)",
        )  # fmt: skip
        parser.add_argument(
            "--review-states", action="append", metavar="STATES",
            help="assignment states to include, comma-separated (default: submitted,accepted,adjudicated)",
        )  # fmt: skip
        parser.add_argument(
            "--out", type=Path, help="also copy the built files into this folder (with --sync)"
        )
        parser.add_argument(
            "--sync", action="store_true", help="build in this process instead of on a worker"
        )

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(pk=options["project_id"]).first()
        if project is None:
            raise CommandError(f"There is no project {options['project_id']}.")
        if options["out"] and not options["sync"]:
            raise CommandError("--out needs --sync: the files exist only once the build has finished.")
        try:
            request = version_request_from(_request_data(project, options))
            version = version_create(project=project, user=None, request=request, enqueue=not options["sync"])
        except VersionRefused as exc:
            raise CommandError(_refusal(exc)) from exc
        if not options["sync"]:
            self.stdout.write(f"Version {version.version} (id {version.pk}) queued for a worker.")
            return
        version_build(version_id=version.pk)
        version = DatasetVersion.objects.get(pk=version.pk)
        if version.state != VersionState.READY:
            raise CommandError(f"Version {version.version} failed: {version.error}")
        self.stdout.write(
            f"Version {version.version} (id {version.pk}) is ready: {len(version.files)} files."
        )
        self.stdout.write(f"Storage folder: {_location(version.storage_prefix)}")
        if options["out"]:
            target = options["out"] / f"project{project.pk}-{version.version}"
            _copy_out(version, target)
            self.stdout.write(f"Copied to: {target}")
        self.stdout.write(version.diff.get("summary", ""))


def _request_data(project: Project, options: dict) -> dict:
    """The API's request body from the options; only filters that were given are sent."""
    filters: dict[str, list] = {}
    if options["items"] is not None:
        filters["item_ids"] = _item_ids(options["items"])
    if options["annotators"] is not None:
        filters["annotator_ids"] = _annotator_ids(project, _tokens(options["annotators"]))
    if options["review_states"] is not None:
        filters["review_states"] = _tokens(options["review_states"])
    return {
        "version": options["number"], "bump": options["bump"], "notes": options["notes"], "filters": filters,
        "include_media": options["include_media"], "seed": options["seed"],
        "dawid_skene": options["dawid_skene"],
    }  # fmt: skip


def _tokens(values: list[str]) -> list[str]:
    return [token for value in values for token in id_tokens(value)]


def _item_ids(values: list[str]) -> list[int]:
    try:
        ids = parse_item_ids(" ".join(values))
    except ValueError as exc:
        raise CommandError(f"--items: {exc}") from exc
    if not ids:
        raise CommandError("--items: name at least one item id.")
    return ids


def _annotator_ids(project: Project, tokens: list[str]) -> list[int]:
    """Usernames of project members, or user ids (left to the service to check against the members)."""
    if not tokens:
        raise CommandError("--annotators: name at least one annotator.")
    members = dict(project.memberships.values_list("user__username", "user_id"))
    ids, unknown = [], []
    for token in tokens:
        if token in members:
            ids.append(members[token])
        elif token.isdigit():
            ids.append(int(token))
        else:
            unknown.append(token)
    if unknown:
        raise CommandError(f"--annotators: not members of this project: {', '.join(unknown)}.")
    return ids


def _refusal(exc: VersionRefused) -> str:
    return "; ".join(f"{OPTION_NAMES.get(key, key)}: {message}" for key, message in exc.errors.items())


def _location(prefix: str) -> str:
    try:
        return default_storage.path(prefix)
    except NotImplementedError:
        return prefix


def _copy_out(version: DatasetVersion, target: Path) -> None:
    if target.exists():
        raise CommandError(f"{target} already exists; choose another --out folder.")
    for entry in version.files:
        dest = target / entry["path"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        with (
            default_storage.open(f"{version.storage_prefix}/{entry['path']}", "rb") as src,
            open(dest, "wb") as out,
        ):
            shutil.copyfileobj(src, out, length=1024 * 1024)
