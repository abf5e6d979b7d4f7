"""Project guidelines: Markdown written by owners, rendered to HTML that is safe to put in the page.

Rendering is two layers. markdown-it-py runs with raw HTML disabled, so ``<script>`` typed into the
Markdown comes out as escaped text; nh3 then cleans the produced HTML against an allow-list, so a
renderer bug or plugin cannot smuggle markup through either. The allow-list keeps what guidelines
need (headings, lists, emphasis, code, quotes, tables, links, images) and nothing else:

- no attribute other than ``href``/``title`` on links, ``src``/``alt``/``title`` on images and
  ``start`` on ordered lists; event handlers, ``style`` and ``class`` are dropped;
- links: ``http``, ``https``, ``mailto`` or a relative URL, always ``rel="noopener noreferrer"``;
  ``javascript:``, ``data:`` and every other scheme are removed;
- images: only from this site (a path starting with a single ``/``, or a relative path) or an
  inline ``data:image/png|jpeg|gif|webp;base64`` picture. That matches the page's
  Content-Security-Policy (``img-src 'self' data: blob:``), keeps guidelines from loading
  third-party trackers when annotators open them, and leaves out SVG, which can carry script.
"""

from __future__ import annotations

import re

import nh3
from django.contrib.auth.models import AbstractBaseUser
from markdown_it import MarkdownIt

from annotation.models import ProjectGuidelines
from projects.models import Project

MAX_MARKDOWN_CHARS = 200_000

ALLOWED_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# nh3 checks every URL attribute against one scheme list; ``data`` is in it only so that the
# per-tag filter below can accept inline images while refusing ``data:`` links.
URL_SCHEMES = LINK_SCHEMES | {"data"}
INLINE_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$", re.IGNORECASE)
SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):")

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_parser.enable("strikethrough")


class GuidelinesRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _image_source_allowed(value) else None
    if tag == "a" and attribute == "href":
        scheme = SCHEME.match(value)
        if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
            return None
    return value


def _image_source_allowed(src: str) -> bool:
    if INLINE_IMAGE.match(src):
        return True
    if SCHEME.match(src) or src.startswith("//") or src.startswith("\\"):
        return False
    return True  # a path on this site


def render_markdown(markdown: str) -> str:
    """Markdown to sanitised HTML (see the module docstring for what survives)."""
    return sanitize_html(_parser.render(markdown))


def sanitize_html(html: str) -> str:
    """The allow-list pass on its own, applied to whatever the Markdown renderer produced."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def guidelines_set(*, project: Project, markdown: str, user: AbstractBaseUser) -> ProjectGuidelines:
    """Replace the project's guidelines; callers check the CHANGE_SCHEMA capability."""
    if len(markdown) > MAX_MARKDOWN_CHARS:
        raise GuidelinesRejected(
            f"Guidelines may be at most {MAX_MARKDOWN_CHARS} characters, got {len(markdown)}."
        )
    if "\x00" in markdown:
        raise GuidelinesRejected("Guidelines must not contain NUL characters.")
    found, _ = ProjectGuidelines.objects.update_or_create(
        project=project, defaults={"markdown": markdown, "updated_by": user}
    )
    return found


def guidelines_get(*, project: Project) -> ProjectGuidelines | None:
    return ProjectGuidelines.objects.filter(project=project).select_related("updated_by").first()
