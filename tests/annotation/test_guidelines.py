"""Project guidelines: hostile Markdown is neutralised, and who may read and edit them."""

import re
from html.parser import HTMLParser

import pytest

from annotation.services.guidelines import render_markdown, sanitize_html
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SAFE_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img",
    "kbd", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class _Elements(HTMLParser):
    """The real elements and attributes of an HTML fragment (escaped text is not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def url(project) -> str:
    return f"/api/projects/{project.pk}/guidelines/"


def assert_inert(html: str) -> None:
    """Only allow-listed tags, no event handler or style, links and images only to safe places."""
    for tag, attrs in elements(html):
        assert tag in SAFE_TAGS, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on") and name not in ("style", "class", "srcset"), (name, html)
            if name in ("href", "src"):
                target = (value or "").strip().lower()
                scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", target)
                allowed = SAFE_SCHEMES + (("data:image/png;", "data:image/jpeg;") if tag == "img" else ())
                assert scheme is None or target.startswith(allowed), (value, html)
                if tag == "img":
                    assert not target.startswith(("http", "//")), (value, html)
        if tag == "a":
            assert attrs.get("rel") == "noopener noreferrer", html


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "Hello <img src=x onerror=alert(1)> there",
        '<a href="javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(document.cookie))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<iframe src="https://evil.example"></iframe>',
        '<div style="background:url(javascript:alert(1))" onclick="x()">raw</div>',
        "<svg><script>alert(1)</script></svg>",
        "![x](javascript:alert(1))",
        '<style>body{display:none}</style><object data="x.swf"></object>',
    ],
)
def test_hostile_markdown_renders_inert(markdown):
    assert_inert(render_markdown(markdown))


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("Press <kbd>J</kbd> or <b>bold</b> <script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>" not in html


@pytest.mark.parametrize(
    ("html", "forbidden"),
    [
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="data:text/html,hi">x</a>', "data:"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<p onmouseover="alert(1)">x</p>', "onmouseover"),
        ("<script>alert(1)</script>", "alert"),
        ('<img src="https://tracker.example/pixel.gif">', "tracker.example"),
        ('<img src="//tracker.example/pixel.gif">', "tracker.example"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "svg"),
        ('<p style="color:red" class="x">x</p>', "style"),
    ],
)
def test_sanitiser_alone_strips_what_a_renderer_might_let_through(html, forbidden):
    cleaned = sanitize_html(html)
    assert forbidden not in cleaned.lower(), cleaned
    assert_inert(cleaned)


def test_useful_markdown_survives_and_links_get_rel():
    html = render_markdown(
        "# Rules\n\n"
        "1. **Watch** the *whole* clip\n"
        "2. Use `J` and `K`\n\n"
        "> When unsure, skip.\n\n"
        "| class | example |\n|---|---|\n| joy | smile |\n\n"
        '[Paper](https://example.org/paper "the paper") and [help](/help/)\n\n'
        "![same site](/static/face.png) ![inline](data:image/png;base64,iVBORw0KGgo=)"
    )
    assert "<h1>Rules</h1>" in html
    assert "<strong>Watch</strong>" in html and "<em>whole</em>" in html
    assert "<code>J</code>" in html and "<blockquote>" in html and "<table>" in html
    assert '<a href="https://example.org/paper" title="the paper" rel="noopener noreferrer">Paper</a>' in html
    assert '<a href="/help/" rel="noopener noreferrer">help</a>' in html
    assert '<img src="/static/face.png" alt="same site">' in html
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in html


def test_images_from_other_sites_lose_their_source():
    html = render_markdown("![pixel](https://tracker.example/p.gif)")
    assert "tracker.example" not in html
    assert 'alt="pixel"' in html


def test_no_guidelines_is_404_for_members(project, annotator):
    response = client_for(annotator).get(url(project))
    assert response.status_code == 404


def test_owner_writes_and_every_member_reads(project, owner, manager, annotator, reviewer):
    markdown = "# Guide\n\nLabel *joy* when smiling. <script>alert(1)</script>"
    saved = client_for(owner).put(url(project), {"markdown": markdown}, format="json")
    assert saved.status_code == 200, saved.content
    for member in (owner, manager, annotator, reviewer):
        body = client_for(member).get(url(project)).json()
        assert body["markdown"] == markdown
        assert body["updated_by"] == "owner"
        assert body["updated_at"]
        assert body["html"].startswith("<h1>Guide</h1>")
        assert "<em>joy</em>" in body["html"]
        assert "<script>" not in body["html"]


def test_editing_replaces_and_records_the_editor(project, owner):
    client_for(owner).put(url(project), {"markdown": "first"}, format="json")
    client_for(owner).put(url(project), {"markdown": "second"}, format="json")
    body = client_for(owner).get(url(project)).json()
    assert body["markdown"] == "second" and body["html"] == "<p>second</p>\n"


@pytest.mark.parametrize("role", ["manager", "annotator", "reviewer"])
def test_members_without_change_schema_cannot_edit(project, owner, role, request):
    user = request.getfixturevalue(role)
    client_for(owner).put(url(project), {"markdown": "keep me"}, format="json")
    response = client_for(user).put(url(project), {"markdown": "# taken over"}, format="json")
    assert response.status_code == 403
    assert client_for(owner).get(url(project)).json()["markdown"] == "keep me"


def test_outsiders_get_404_for_read_and_write(project, owner, outsider):
    client_for(owner).put(url(project), {"markdown": "secret rules"}, format="json")
    client = client_for(outsider)
    assert client.get(url(project)).status_code == 404
    assert client.put(url(project), {"markdown": "x"}, format="json").status_code == 404


def test_anonymous_requests_are_refused(project, owner, client):
    client_for(owner).put(url(project), {"markdown": "rules"}, format="json")
    assert client.get(url(project)).status_code in (401, 403)


@pytest.mark.parametrize(
    "payload",
    [{}, {"markdown": None}, {"markdown": 12}, {"markdown": "x" * 200_001}, {"markdown": "nul\x00byte"}],
)
def test_bad_input_is_a_clear_400(project, owner, payload):
    response = client_for(owner).put(url(project), payload, format="json")
    assert response.status_code == 400, response.content
    assert "markdown" in response.json()
