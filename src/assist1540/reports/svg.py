"""Draw horizontal bar charts and heat maps as SVG text.

The charts are written by hand rather than with matplotlib, for four reasons.
Two simple chart kinds fit in this module. The same input gives the same bytes,
with no font, hash salt or date settings to pin. Labels stay text that screen
readers and search can use. The CLI does not load a plotting library and numpy.
Text widths are estimated from the number of characters, since no font is
measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

FONT_SIZE = 12
# Average advance of a 12 px sans-serif character, for sizing label columns.
CHARACTER_WIDTH = 7.0
ROW_HEIGHT = 22
BAR_HEIGHT = 14
MARGIN = 12
TITLE_HEIGHT = 28
PLOT_WIDTH = 420
CELL_WIDTH = 96
TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#d0d0d0"
GAP_COLOUR = "#d95f02"


@dataclass(frozen=True)
class Series:
    """One stacked part of every bar, with its legend name and fill colour."""

    name: str
    values: tuple[float, ...]
    colour: str


def bar_chart(
    name: str,
    title: str,
    rows: Sequence[str],
    series: Sequence[Series],
    annotations: Sequence[str] = (),
    note: str = "",
) -> str:
    """Draw one horizontal bar per row, stacking the series from left to right.

    `annotations` are printed after each bar, and default to the bar's total.
    `name` makes the ids of the title and description unique within a page.
    """
    label_width = _text_width(rows) + MARGIN
    totals = [sum(part.values[index] for part in series) for index in range(len(rows))]
    scale = PLOT_WIDTH / max(totals, default=0) if any(totals) else 0.0
    texts = list(annotations) or [_number(total) for total in totals]
    annotation_width = _text_width(texts) + MARGIN
    width = MARGIN + label_width + PLOT_WIDTH + annotation_width + MARGIN
    shown = [part for part in series if any(part.values)] if len(series) > 1 else []
    legend = _legend_rows(shown, width)
    legend_height = len(legend) * ROW_HEIGHT
    top = MARGIN + TITLE_HEIGHT
    plot_height = max(len(rows), 1) * ROW_HEIGHT
    height = top + plot_height + MARGIN + legend_height + _note_height(note) + MARGIN

    parts = [_open_svg(name, title, note, width, height)]
    x0 = MARGIN + label_width
    parts.append(_line(x0, top, x0, top + plot_height))
    if not rows:
        parts.append(_text(x0 + 6, top + ROW_HEIGHT / 2 + 4, "no data"))
    for index, row in enumerate(rows):
        y = top + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        parts.append(_text(x0 - 6, y + BAR_HEIGHT - 3, row, anchor="end"))
        x = x0
        for part in series:
            length = part.values[index] * scale
            if length > 0:
                tip = f"{row}, {part.name}: {_number(part.values[index])}"
                parts.append(_rect(x, y, length, BAR_HEIGHT, part.colour, tip))
            x += length
        parts.append(_text(x + 6, y + BAR_HEIGHT - 3, texts[index]))

    y = top + plot_height + MARGIN
    parts.extend(_legend(legend, MARGIN, y))
    parts.extend(_note(note, MARGIN, y + legend_height))
    parts.append("</svg>\n")
    return "".join(parts)


def heat_map(
    name: str,
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    shades: Sequence[Sequence[float]],
    labels: Sequence[Sequence[str]],
    outlined: Sequence[Sequence[bool]],
    note: str = "",
) -> str:
    """Draw a grid of cells shaded by `shades`, each showing its label.

    Shades are scaled to the largest value, so the darkest cell is the largest.
    Outlined cells get a thick orange border.
    """
    label_width = _text_width(rows) + MARGIN
    cell_width = max(CELL_WIDTH, _text_width(columns) + MARGIN)
    width = MARGIN + label_width + cell_width * max(len(columns), 1) + MARGIN
    top = MARGIN + TITLE_HEIGHT + ROW_HEIGHT
    grid_height = max(len(rows), 1) * ROW_HEIGHT
    height = top + grid_height + MARGIN + _note_height(note) + MARGIN
    largest = max((value for row in shades for value in row), default=0.0)

    parts = [_open_svg(name, title, note, width, height)]
    x0 = MARGIN + label_width
    for column_index, column in enumerate(columns):
        x = x0 + column_index * cell_width + cell_width / 2
        parts.append(_text(x, top - 7, column, anchor="middle"))
    for row_index, row in enumerate(rows):
        y = top + row_index * ROW_HEIGHT
        parts.append(_text(x0 - 6, y + ROW_HEIGHT / 2 + 4, row, anchor="end"))
        for column_index, column in enumerate(columns):
            share = shades[row_index][column_index] / largest if largest else 0.0
            x = x0 + column_index * cell_width
            label = labels[row_index][column_index]
            tip = f"{row}, {column}: {label}"
            parts.append(_rect(x, y, cell_width, ROW_HEIGHT, _blue(share), tip, True))
            if outlined[row_index][column_index]:
                parts.append(_outline(x + 1.5, y + 1.5, cell_width - 3, ROW_HEIGHT - 3))
            colour = "#ffffff" if share > 0.6 else TEXT_COLOUR
            parts.append(
                _text(
                    x + cell_width / 2, y + ROW_HEIGHT / 2 + 4, label, "middle", colour
                )
            )
    parts.extend(_note(note, MARGIN, top + grid_height + MARGIN))
    parts.append("</svg>\n")
    return "".join(parts)


# --- Pieces ---------------------------------------------------------------------------


def _open_svg(name: str, title: str, note: str, width: float, height: float) -> str:
    ids = f"{name}-title {name}-description" if note else f"{name}-title"
    description = (
        f'<desc id="{escape(name)}-description">{escape(note)}</desc>' if note else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_number(width)}" '
        f'height="{_number(height)}" viewBox="0 0 {_number(width)} {_number(height)}" '
        f'role="img" aria-labelledby={quoteattr(ids)} font-family="sans-serif" '
        f'font-size="{FONT_SIZE}">'
        f'<title id="{escape(name)}-title">{escape(title)}</title>{description}'
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
        + _text(MARGIN, MARGIN + 14, title, weight="bold", size=FONT_SIZE + 2)
    )


def _text(
    x: float,
    y: float,
    text: str,
    anchor: str = "start",
    colour: str = TEXT_COLOUR,
    weight: str = "normal",
    size: int = FONT_SIZE,
) -> str:
    attributes = f'x="{_number(x)}" y="{_number(y)}" fill="{colour}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if weight != "normal":
        attributes += f' font-weight="{weight}"'
    if size != FONT_SIZE:
        attributes += f' font-size="{size}"'
    return f"<text {attributes}>{escape(text)}</text>"


def _rect(
    x: float,
    y: float,
    width: float,
    height: float,
    fill: str,
    tip: str,
    stroke: bool = False,
) -> str:
    border = f' stroke="{GRID_COLOUR}"' if stroke else ""
    return (
        f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
        f'height="{_number(height)}" fill="{fill}"{border}>'
        f"<title>{escape(tip)}</title></rect>"
    )


def _outline(x: float, y: float, width: float, height: float) -> str:
    return (
        f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
        f'height="{_number(height)}" fill="none" stroke="{GAP_COLOUR}" '
        'stroke-width="3"/>'
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" '
        f'y2="{_number(y2)}" stroke="{TEXT_COLOUR}"/>'
    )


def _legend_rows(
    series: Sequence[Series], width: float
) -> list[list[tuple[float, Series]]]:
    """Lay the legend entries out in rows that fit the chart's width."""
    rows: list[list[tuple[float, Series]]] = []
    column = 0.0
    for part in series:
        entry_width = 18 + len(part.name) * CHARACTER_WIDTH + MARGIN
        if not rows or (column > 0 and column + entry_width > width - 2 * MARGIN):
            rows.append([])
            column = 0.0
        rows[-1].append((column, part))
        column += entry_width
    return rows


def _legend(rows: list[list[tuple[float, Series]]], x: float, y: float) -> list[str]:
    parts = []
    for row_index, row in enumerate(rows):
        top = y + row_index * ROW_HEIGHT
        for offset, part in row:
            parts.append(
                f'<rect x="{_number(x + offset)}" y="{_number(top)}" width="12" '
                f'height="12" fill="{part.colour}"/>'
            )
            parts.append(_text(x + offset + 18, top + 10, part.name))
    return parts


def _note(note: str, x: float, y: float) -> list[str]:
    return [
        _text(x, y + 12 + 16 * index, line)
        for index, line in enumerate(note.splitlines())
    ]


def _note_height(note: str) -> float:
    return 16.0 * len(note.splitlines())


def _text_width(texts: Sequence[str]) -> float:
    return max((len(text) for text in texts), default=0) * CHARACTER_WIDTH


def _blue(share: float) -> str:
    """Blend from near-white to dark blue; `share` runs from 0 to 1."""
    light, dark = (0xF7, 0xFB, 0xFF), (0x08, 0x45, 0x94)
    channels = [round(a + (b - a) * share) for a, b in zip(light, dark, strict=True)]
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def _number(value: float) -> str:
    """Write a coordinate with at most one decimal, the same way every time."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
