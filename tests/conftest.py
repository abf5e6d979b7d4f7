"""Shared fixtures: users with each role, a project, authenticated API clients, sample media."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from projects.models import Role
from projects.services import membership_set
from tests.factories import ProjectFactory, UserFactory
from tests.media_samples import make_clip


def pytest_configure(config: pytest.Config) -> None:
    """In CI the suite must run against the real services; fail loudly instead of falling back.

    The live test server's listen backlog is raised from Django's 10 to what a production
    server (gunicorn: 2048) accepts, so tests with many simultaneous clients measure the
    application rather than connections the test server's socket turned away.
    """
    from django.core.servers.basehttp import WSGIServer

    WSGIServer.request_queue_size = 1024
    if os.environ.get("AFFECTLAB_REQUIRE_SERVICES") == "1":
        missing = [name for name in ("DATABASE_URL", "CELERY_BROKER_URL") if not os.environ.get(name)]
        if missing:
            raise pytest.UsageError(f"AFFECTLAB_REQUIRE_SERVICES=1 but {', '.join(missing)} is not set")


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def project(owner):
    return ProjectFactory(created_by=owner)


def _member(project, username: str, role: str):
    user = UserFactory(username=username)
    membership_set(project=project, user=user, role=role)
    return user


@pytest.fixture
def manager(project):
    return _member(project, "manager", Role.MANAGER)


@pytest.fixture
def annotator(project):
    return _member(project, "annotator", Role.ANNOTATOR)


@pytest.fixture
def reviewer(project):
    return _member(project, "reviewer", Role.REVIEWER)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def owner_client(owner) -> APIClient:
    return client_for(owner)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("samples")


@pytest.fixture(scope="session")
def clip_mp4(sample_dir) -> Path:
    """A 3-second H.264/AAC clip with a moving test pattern and a tone."""
    return make_clip(sample_dir / "clip.mp4", seconds=3)
