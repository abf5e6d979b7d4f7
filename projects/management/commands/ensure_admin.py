"""Create the local admin user if missing and print its API token (used by `make run`)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token

from affectlab.env import envstr


class Command(BaseCommand):
    help = "Create the admin user (password from AFFECTLAB_ADMIN_PASSWORD, or generated) and print its token."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default=envstr("AFFECTLAB_ADMIN_USER", "admin"))

    def handle(self, *args, username: str, **options) -> None:
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        password_file = settings.VAR_DIR / "admin-password.txt"
        if user is None:
            password = envstr("AFFECTLAB_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            user = user_model.objects.create_superuser(username=username, email="", password=password)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            self.stdout.write(f"Created admin user '{username}' with password: {password}")
        elif password_file.exists():
            self.stdout.write(f"Admin user '{username}', password in {password_file}")
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(f"API token for '{username}': {token.key}")
