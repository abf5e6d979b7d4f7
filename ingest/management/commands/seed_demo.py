"""Seed a demo project with a generated clip that has a real face and real speech."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ingest.services.assets import asset_create_from_path
from ingest.services.demo_clip import make_demo_clip
from projects.models import Project
from projects.services import project_create

DEMO_PROJECT_NAME = "Demo: face and speech"


class Command(BaseCommand):
    help = "Create the demo project (owned by the admin user) with a sample clip, once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--owner", default="admin")

    def handle(self, *args, owner: str, **options) -> None:
        user = get_user_model().objects.filter(username=owner).first()
        if user is None:
            raise CommandError(f"No user named {owner!r}; run ensure_admin first.")
        project = Project.objects.filter(name=DEMO_PROJECT_NAME, created_by=user).first()
        if project is None:
            project = project_create(
                name=DEMO_PROJECT_NAME,
                created_by=user,
                description="A generated clip: scikit-image's astronaut photo and espeak-ng speech.",
            )
        if project.assets.exists():
            self.stdout.write(f"Demo project already seeded (id {project.pk}).")
            return
        with tempfile.TemporaryDirectory() as tmp:
            clip = make_demo_clip(Path(tmp) / "demo.mp4")
            result = asset_create_from_path(
                project=project,
                path=clip,
                original_name="demo-face-and-speech.mp4",
                uploaded_by=user,
                metadata={"subject": "astronaut", "session": "demo", "source": "generated"},
                move=True,
            )
        self.stdout.write(
            f"Seeded demo project {project.pk} with asset {result.asset.pk}; the worker will process it."
        )
