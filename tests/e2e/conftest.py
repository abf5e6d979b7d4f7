"""Fixtures for end-to-end tests: the built UI, a real Celery worker, and Chromium driven by Playwright.

Playwright's sync API keeps an asyncio loop on the main thread while a browser
is open, and Django refuses ORM calls from such a thread. So every database
fixture is set up before the browser starts (request ``browsing`` last), the
browser closes before the database is flushed, and tests read server state
through the API while the browser is open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from playwright.sync_api import APIResponse, ConsoleMessage, Page, sync_playwright

from affectlab.celery import app as celery_app
from projects.models import Role
from projects.services import membership_set
from tests.factories import ProjectFactory, UserFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery staple"

# Records CSP violations in the page itself: the event fires even where the console stays quiet.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="session", autouse=True)
def built_frontend() -> Path:
    """The pages load the Vite build; without it every browser test would fail for an unclear reason."""
    bundle = Path(settings.FRONTEND_DIST_DIR) / "app.js"
    if not bundle.exists() or Path(settings.FRONTEND_DIST_DIR) not in map(Path, settings.STATICFILES_DIRS):
        pytest.fail(f"{bundle} is missing: run `cd frontend && npm install && npm run build` first")
    return bundle


@dataclass
class BrowserLog:
    """What the page reported: console messages, uncaught errors and alert() calls."""

    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def csp_messages(self) -> list[str]:
        return [text for text in self.console if "Content Security Policy" in text]


@dataclass
class Browsing:
    page: Page
    log: BrowserLog
    base_url: str

    def csp_violations(self) -> list[str]:
        return list(self.page.evaluate("() => window.__cspViolations || []")) + self.log.csp_messages()

    def csrf_token(self) -> str:
        return next(c["value"] for c in self.page.context.cookies() if c["name"] == "csrftoken")

    def post(self, path: str, data: dict[str, Any]) -> APIResponse:
        """A POST with the page's session and CSRF token, as another tab of the same person sends it."""
        headers = {"X-CSRFToken": self.csrf_token(), "Referer": f"{self.base_url}/"}
        return self.page.request.post(f"{self.base_url}{path}", data=data, headers=headers)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.page.goto(f"{self.base_url}/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(f"{self.base_url}/")


@pytest.fixture
def browsing(live_server) -> Iterator[Browsing]:
    """A fresh Chromium page; request it after any fixture that writes to the database."""
    log = BrowserLog()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(CSP_RECORDER)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("console", lambda message: log.console.append(_console_line(message)))
        page.on("pageerror", lambda error: log.page_errors.append(str(error)))
        page.on("dialog", lambda dialog: (log.dialogs.append(dialog.message), dialog.dismiss()))
        try:
            yield Browsing(page=page, log=log, base_url=live_server.url)
        finally:
            context.close()
            browser.close()


def _console_line(message: ConsoleMessage) -> str:
    return f"{message.type}: {message.text}"


@pytest.fixture
def member_factory(transactional_db) -> Callable[..., Any]:
    """Users who can sign in with PASSWORD, each with a role in a project."""

    def make(project, username: str, role: str):
        user = UserFactory(username=username)
        membership_set(project=project, user=user, role=role)
        return user

    return make


@pytest.fixture
def owner_user(transactional_db):
    return UserFactory(username="olivia")


@pytest.fixture
def owned_project(owner_user):
    return ProjectFactory(created_by=owner_user, name="Dyadic conversations")


@pytest.fixture
def annotator_user(owned_project, member_factory):
    return member_factory(owned_project, "annie", Role.ANNOTATOR)


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[object]:
    """A real Celery worker (a thread of this process) consuming the configured broker.

    Being in this process it shares the test database: the SQLite test file, or
    PostgreSQL rows that transactional tests commit. The test settings give each
    run its own broker folders or Redis key prefix, so no other worker takes its jobs.
    """
    with start_worker(
        celery_app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=30,
    ) as worker:
        yield worker
