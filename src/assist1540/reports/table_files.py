"""Write a flat export table as CSV, XLSX or JSON, with an optional HXL tag row."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Literal

from assist1540.reports.export import CellValue, Table

TableFormat = Literal["csv", "xlsx", "json"]
TABLE_FORMATS: tuple[TableFormat, ...] = ("csv", "xlsx", "json")
# Separator of the values of a list cell in CSV and XLSX.
LIST_SEPARATOR = "; "


def table_csv(table: Table, hxl: bool = False) -> str:
    """Write the header, the HXL row when asked, then one line per row."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([column.name for column in table.columns])
    if hxl:
        writer.writerow([column.hxl for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return stream.getvalue()


# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: CellValue) -> str:
    """Write a cell, with a leading apostrophe on text a spreadsheet would run."""
    text = _text(value)
    if isinstance(value, str | list) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def table_json(table: Table) -> str:
    """Write one object per row, keyed by column name; lists stay lists."""
    objects = [
        {column.name: value for column, value in zip(table.columns, row, strict=True)}
        for row in table.rows
    ]
    return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"


def table_xlsx(table: Table, hxl: bool = False) -> bytes:
    """Write one worksheet: a bold header, the HXL row when asked, then the rows."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.kind
    sheet.append([column.name for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if hxl:
        sheet.append([column.hxl for column in table.columns])
    header_rows = 2 if hxl else 1

    for row in table.rows:
        values = [_xlsx_value(value, ILLEGAL_CHARACTERS_RE) for value in row]
        sheet.append(values)
        # openpyxl stores text that starts with "=" as a formula, which a
        # spreadsheet would then run; record text stays text.
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    # Set after the rows are added: naming a cell creates it, and `append`
    # writes below the last row that has a cell.
    sheet.freeze_panes = f"A{header_rows + 1}"

    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(part) for part in value)
    return str(value)


def _xlsx_value(value: CellValue, illegal: re.Pattern[str]) -> str | int | None:
    """Keep numbers as numbers; XLSX cannot hold control characters, so drop them."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if value is None:
        return None
    return illegal.sub("", _text(value))
