"""Markdown to HTML for letters, with raw HTML in the Markdown shown as text."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

# `html: False` makes any tag in the Markdown text, not markup: letters print
# only what their templates write, and record values arrive already escaped.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown_to_html(markdown: str) -> str:
    """Convert CommonMark to an HTML fragment."""
    html: str = _MARKDOWN.render(markdown)
    return html


def parse_markdown(markdown: str) -> list[Token]:
    """Parse CommonMark into markdown-it's flat list of block tokens."""
    return _MARKDOWN.parse(markdown)
