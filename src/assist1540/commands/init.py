"""`assist1540 init`: create a new, empty data repository."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from assist1540 import console
from assist1540.commands._app import app, user_errors


@app.command()
@user_errors
def init(
    folder: Annotated[
        Path, typer.Argument(help="New or empty folder for the data repository.")
    ],
) -> None:
    """Create a data repository: git, folders, taxonomy, templates, schemas and CI.

    Writes assist1540.toml with the default timers, the bundled taxonomy and
    templates, JSON Schemas for editors, a pre-commit hook and a GitHub Actions
    workflow that validates and reviews pull requests. Nothing is committed.

    Example: assist1540 init ../assistance-records
    """
    from assist1540.new_repository import create_repository

    written = create_repository(folder)
    for path in written:
        console.print_data(path)
    quoted = shlex.quote(str(folder))
    console.print_message(
        f"created a data repository in {folder} ({len(written)} files); review "
        f"them, then: cd {quoted} && git add --all && git commit -m 'Start the "
        "data repository'"
    )
