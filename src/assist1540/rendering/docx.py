"""Editable Word documents (DOCX) built from a letter's Markdown."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from markdown_it.token import Token

from assist1540.rendering.markdown import parse_markdown

_LIST_INDENT = Cm(1)


def markdown_to_docx(markdown: str, *, title: str, language: str, on: date) -> bytes:
    """Build a DOCX from CommonMark: paragraphs, headings, lists, bold and italics.

    List numbers and bullets are written as text, so that every list starts at 1
    and the numbers stay when the letter is edited or copied. The document's
    dates and the ZIP entries' times are set to `on`, so the same letter always
    gives the same bytes.
    """
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    _add_blocks(document, parse_markdown(markdown))
    # A note verbale opens with its reference and ends with the place and date,
    # both set to the right as in the HTML letter.
    paragraphs = document.paragraphs
    if paragraphs:
        paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_properties(document, title, language, on)

    stream = io.BytesIO()
    document.save(stream)
    return _with_fixed_times(stream.getvalue(), on)


def _add_blocks(document: DocumentObject, tokens: list[Token]) -> None:
    # Each open list is [ordered, next number]; the innermost list is last.
    lists: list[list[int]] = []
    heading_level = 0
    for index, token in enumerate(tokens):
        if token.type in ("ordered_list_open", "bullet_list_open"):
            start = int(token.attrs.get("start", 1) or 1)
            lists.append([1 if token.type == "ordered_list_open" else 0, start])
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "inline":
            starts_item = index >= 2 and tokens[index - 2].type == "list_item_open"
            paragraph = _new_paragraph(document, heading_level, lists, starts_item)
            _add_runs(paragraph, token.children or [])


def _new_paragraph(
    document: DocumentObject,
    heading_level: int,
    lists: list[list[int]],
    starts_item: bool,
) -> Paragraph:
    if heading_level:
        heading: Paragraph = document.add_heading(level=min(heading_level, 9))
        return heading
    paragraph = document.add_paragraph()
    if not lists:
        return paragraph

    paragraph.paragraph_format.left_indent = _LIST_INDENT * len(lists)
    innermost = lists[-1]
    # Only the first paragraph of a list item gets the number or bullet, which
    # hangs in the indent.
    if starts_item:
        paragraph.paragraph_format.first_line_indent = -_LIST_INDENT
        if innermost[0]:
            paragraph.add_run(f"{innermost[1]}.\t")
            innermost[1] += 1
        else:
            paragraph.add_run("•\t")
    return paragraph


def _add_runs(paragraph: Paragraph, children: list[Token]) -> None:
    bold = italic = False
    for child in children:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type == "softbreak":
            paragraph.add_run(" ")
        elif child.type == "hardbreak":
            paragraph.add_run().add_break()
        elif child.type in ("text", "code_inline", "html_inline"):
            run = paragraph.add_run(child.content)
            run.bold = bold or None
            run.italic = italic or None


def _set_properties(
    document: DocumentObject, title: str, language: str, on: date
) -> None:
    moment = datetime(on.year, on.month, on.day)
    properties = document.core_properties
    properties.title = title
    properties.language = language
    properties.author = (
        "Security Council Committee established pursuant to resolution 1540 (2004)"
    )
    properties.last_modified_by = ""
    properties.comments = ""
    properties.revision = 1
    properties.created = moment
    properties.modified = moment
    properties.last_printed = moment


def _with_fixed_times(docx: bytes, on: date) -> bytes:
    """Rewrite the ZIP with every entry dated `on`; zipfile stamps the current time."""
    stamp = (on.year, on.month, on.day, 0, 0, 0)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()
