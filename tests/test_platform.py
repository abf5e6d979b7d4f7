"""The platform's own surfaces: OpenAPI, admin for every model, health, token command, settings."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_openapi_schema_describes_the_media_endpoints(owner_client):
    response = owner_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/projects/{project_id}/media/" in schema["paths"]
    assert "post" in schema["paths"]["/api/projects/{project_id}/media/"]


def test_openapi_docs_page_is_served_offline(owner_client):
    response = owner_client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger-ui" in body
    assert "cdn.jsdelivr" not in body and "unpkg.com" not in body


def test_schema_generation_has_no_warnings():
    out, err = StringIO(), StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=err)
    assert "openapi" in out.getvalue()


def test_every_model_of_ours_has_an_admin():
    ours = {"projects", "ingest", "annotation", "models_zoo", "releases"}
    missing = [
        model.__name__
        for model in apps.get_models()
        if model._meta.app_label in ours and not admin.site.is_registered(model)
    ]
    assert missing == []


def test_admin_changelists_render_for_operators(client):
    staff = UserFactory(username="operator", is_staff=True, is_superuser=True)
    client.force_login(staff)
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url


def test_drf_create_token_makes_a_working_token(client):
    user = UserFactory(username="scripted")
    call_command("drf_create_token", "scripted", stdout=StringIO())
    token = Token.objects.get(user=user)
    response = client.get("/api/projects/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_health_endpoint_checks_the_database(client):
    response = client.get("/health/")
    assert response.json() == {"status": "ok"}


def test_api_pages_send_a_content_security_policy(owner_client):
    response = owner_client.get("/api/projects/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_sqlite_default_runs_in_wal_mode_with_a_busy_timeout(tmp_path, monkeypatch):
    """The embedded default must hold many concurrent annotators: WAL plus a long busy timeout."""
    from django.db.utils import ConnectionHandler

    from affectlab.settings.base import _database_from_env

    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = _database_from_env()
    config["NAME"] = str(tmp_path / "probe.sqlite3")
    handler = ConnectionHandler({"default": config})
    sqlite = handler["default"]
    try:
        with sqlite.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0].lower() == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 20000
    finally:
        sqlite.close()


def test_unrouted_api_paths_answer_404_in_json(owner_client):
    response = owner_client.get("/api/media/1/files/..%2F..%2Fetc%2Fpasswd/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert owner_client.get("/api/no-such-endpoint/").json() == {"detail": "Not found."}
