"""A report as a page of headed sections, rendered as Markdown or HTML.

The coverage report and the briefing are shaped into a Page once, and every
output (terminal tables, Markdown, HTML, DOCX) renders that Page, so they all
show the same figures. The templates live in this package's `templates`
folder and render in the sandboxed environments of `rendering.environment`,
which escape every value for Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from markupsafe import Markup

from assist1540.rendering.environment import Templates

PageFormat = Literal["md", "html"]
PAGE_FORMATS: tuple[PageFormat, ...] = ("md", "html")
Align = Literal["left", "right"]

_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class TableBlock:
    """A table of text cells, with the alignment of each column."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[Align, ...]


@dataclass(frozen=True)
class Section:
    """A headed part of a page: paragraphs, then a table, then charts by name.

    `level` 2 is a main section and 3 a part of the one before it.
    """

    title: str
    level: int = 2
    paragraphs: tuple[str, ...] = ()
    table: TableBlock | None = None
    charts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """A whole report: its title, opening paragraphs and sections."""

    title: str
    paragraphs: tuple[str, ...]
    sections: tuple[Section, ...]
    charts: Mapping[str, str] = field(default_factory=dict)


def make_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = ""
) -> TableBlock:
    """Build a table; `align` has one letter per column, l or r (default: all l)."""
    letters = align or "l" * len(headers)
    return TableBlock(
        tuple(headers),
        tuple(tuple(str(cell) for cell in row) for row in rows),
        tuple("right" if letter == "r" else "left" for letter in letters),
    )


def table_section(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    align: str = "",
    paragraphs: Sequence[str] = (),
    empty: str = "None.",
    level: int = 2,
) -> Section:
    """Build a section with a table, or with the `empty` sentence when no rows."""
    if not rows:
        return Section(title, level, (*paragraphs, empty))
    return Section(title, level, tuple(paragraphs), make_table(headers, rows, align))


def render_page(page: Page, page_format: PageFormat) -> str:
    """Render a page as Markdown (without charts) or as a standalone HTML page.

    The charts are SVG text that `reports.svg` wrote with every value escaped,
    so the HTML page embeds them as they are.
    """
    templates = Templates(_TEMPLATES.parent, _TEMPLATES)
    if page_format == "md":
        return templates.render_markdown("page.md.j2", {"page": page})
    charts = {name: Markup(svg) for name, svg in page.charts.items()}
    return templates.render_html("page.html.j2", {"page": page, "charts": charts})
