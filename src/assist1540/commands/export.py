"""`assist1540 export`: flat tables of the records for analysts."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from assist1540 import console
from assist1540.commands._app import RepoOption, app, find_repository, user_errors
from assist1540.errors import UsageError

logger = logging.getLogger(__name__)


@app.command("export")
@user_errors
def export_table(
    table: Annotated[
        str,
        typer.Argument(
            help="requests (one row each), items (one row per request item), "
            "offers, or providers (one row per programme).",
            show_default=False,
        ),
    ],
    table_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv, xlsx or json (default: from the --out suffix, else csv).",
            show_default=False,
        ),
    ] = None,
    hxl: Annotated[
        bool,
        typer.Option(
            "--hxl", help="Add a row of HXL hashtags under the header (csv, xlsx)."
        ),
    ] = False,
    internal: Annotated[
        bool,
        typer.Option(
            "--internal",
            help="Include every request and the internal fields: contacts, "
            "internal notes and authentication. Never publish such a file.",
        ),
    ] = False,
    unpublished: Annotated[
        bool,
        typer.Option(
            "--unpublished",
            help="Include requests the website may not show (no consent, not "
            "published or not authenticated), without internal fields. By "
            "default only published requests are exported.",
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File to write (default: print on stdout).",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """Write the records as a flat table, with IATI activity status codes.

    Example: assist1540 export items --format csv --hxl --out items.csv
    """
    from assist1540.catalog import load_catalog
    from assist1540.reports.export import TABLE_KINDS, build_table
    from assist1540.reports.output import choose_format, write_output
    from assist1540.reports.table_files import (
        TABLE_FORMATS,
        table_csv,
        table_json,
        table_xlsx,
    )

    if table not in TABLE_KINDS:
        raise UsageError(f"invalid table '{table}'; use {', '.join(TABLE_KINDS)}")
    chosen = choose_format(table_format, out, TABLE_FORMATS, "csv")
    if chosen == "json" and hxl:
        raise UsageError(
            "--hxl adds a row to csv and xlsx files; leave it out for json"
        )
    if chosen == "xlsx" and out is None:
        raise UsageError(
            "an xlsx file is binary and cannot go to stdout; write it with --out "
            "FILE.xlsx"
        )

    repository = find_repository(repo)
    catalog = load_catalog(repository)
    if catalog.problems:
        logger.warning(
            "%d problems in the records: the records that could not be read are "
            "left out of the export; 'assist1540 validate' lists the problems",
            len(catalog.problems),
        )
    flat = build_table(catalog, table, internal=internal, unpublished=unpublished)
    if internal:
        logger.warning("the export includes internal fields; do not publish it")

    if chosen == "xlsx":
        content = table_xlsx(flat, hxl)
    elif chosen == "json":
        content = table_json(flat).encode("utf-8")
    else:
        content = table_csv(flat, hxl).encode("utf-8")
    if out is None:
        typer.echo(content.decode("utf-8"), nl=False)
        return
    write_output(out, content)
    console.print_message(f"Wrote {len(flat.rows)} rows of {table} to {out}")
