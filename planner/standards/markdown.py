"""PURE: lesson Markdown to safe HTML. Raw HTML is escaped, never passed through; links with
javascript: or data: URLs are dropped by markdown-it's link validation."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str) -> Markup:
    """Safe HTML of a Markdown text (coordinators write lessons; staff read them)."""
    return Markup(_RENDERER.render(text or ""))
