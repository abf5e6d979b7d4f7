"""``manage.py export_dataset <project_id>``: create a dataset version and build it, here or on a worker."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projects.models import Project
from releases.models import DatasetVersion, IncludeMedia, VersionState
from releases.services.build import version_build
from releases.services.semver import BUMPS
from releases.services.versions import VersionRefused, VersionRequest, version_create


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
        parser.add_argument("--include-media", choices=IncludeMedia.values, default=IncludeMedia.NONE)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--notes", default="")
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
        request = VersionRequest(
            version=options["number"], bump=options["bump"], notes=options["notes"],
            include_media=options["include_media"], seed=options["seed"],
        )  # fmt: skip
        try:
            version = version_create(project=project, user=None, request=request, enqueue=not options["sync"])
        except VersionRefused as exc:
            raise CommandError(str(exc)) from exc
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
