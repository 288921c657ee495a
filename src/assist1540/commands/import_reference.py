"""`assist1540 import-reference`: import a folder in the reference-data format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assist1540 import console
from assist1540.commands._app import (
    RepoOption,
    app,
    find_repository,
    user_errors,
)


@app.command("import-reference")
@user_errors
def import_reference(
    source: Annotated[
        Path,
        typer.Argument(
            help="Folder in the reference-data format (taxonomy.yaml, "
            "requests/, providers/)."
        ),
    ],
    update: Annotated[
        bool,
        typer.Option("--update", help="Merge imported fields into existing records."),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Import taxonomy, requests and providers; file names become record ids.

    Example: assist1540 import-reference ../reference-data --update
    """
    from assist1540.importing import import_reference as run_import

    repository = find_repository(repo)
    report = run_import(repository, source, update=update)

    for warning in report.warnings:
        console.print_message(warning.format(), style="yellow")
    for path in report.created:
        console.print_data(f"created {path}")
    for path in report.updated:
        console.print_data(f"updated {path}")
    console.print_message(
        f"{len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged"
    )
