"""Write a report page as a Word document (DOCX) with python-docx."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import TYPE_CHECKING

from assist1540.reports.page import Page, TableBlock

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

AUTHOR = "Security Council Committee established pursuant to resolution 1540 (2004)"


def page_docx(page: Page, on: date) -> bytes:
    """Write the page's headings, paragraphs and tables; charts are left out.

    The document's creation and modification dates are set to `on`, so it does
    not carry the time it was written.
    """
    from docx import Document

    document = Document()
    document.add_heading(page.title, level=1)
    for paragraph in page.paragraphs:
        document.add_paragraph(paragraph)
    for section in page.sections:
        document.add_heading(section.title, level=section.level)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        if section.table is not None:
            _add_table(document, section.table)

    moment = datetime(on.year, on.month, on.day)
    properties = document.core_properties
    properties.title = page.title
    properties.author = AUTHOR
    properties.last_modified_by = ""
    properties.created = moment
    properties.modified = moment
    properties.revision = 1

    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _add_table(document: WordDocument, table: TableBlock) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text, align in zip(cells, row, table.align, strict=True):
            cell.text = text
            if align == "right":
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
