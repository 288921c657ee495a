"""`assist1540 schema`: JSON Schema of each record kind, for editors and CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from assist1540 import console
from assist1540.commands._app import RepoOption, app, find_repository, user_errors


@app.command()
@user_errors
def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            help="request, offer, provider, event or taxonomy (default: all).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder to write KIND.schema.json files into, instead of printing.",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """Print or write JSON Schemas; taxonomy ids come from the repository's taxonomy.

    Without a repository or a valid taxonomy, area, weapon and type ids are
    not listed. Record files name their schema on their first line.

    Example: assist1540 schema --out schemas
    """
    from assist1540.schema import SCHEMA_MODELS, build_schema, schema_file_name

    kinds = [kind] if kind is not None else list(SCHEMA_MODELS)
    taxonomy = _load_taxonomy(repo)
    schemas = {name: build_schema(name, taxonomy) for name in kinds}

    if out is None:
        shown: Any = schemas[kinds[0]] if kind is not None else schemas
        console.print_data(_dump(shown).rstrip("\n"))
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, built in schemas.items():
        path = out / schema_file_name(name)
        path.write_text(_dump(built), encoding="utf-8")
        console.print_message(f"wrote {path}")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _load_taxonomy(repo: Path | None) -> Any:
    """Read the repository's taxonomy, or return None when there is none to read."""
    from assist1540.catalog import validate_document
    from assist1540.errors import Assist1540Error
    from assist1540.models import Taxonomy
    from assist1540.reader import read_document

    try:
        repository = find_repository(repo)
    except Assist1540Error:
        console.print_message(
            "no data repository found, so the schemas list no taxonomy ids"
        )
        return None
    path = repository.taxonomy_path
    if not path.is_file():
        return None
    try:
        document = read_document(path, repository.relative(path))
        return validate_document(document, Taxonomy, None)
    except Assist1540Error as error:
        console.print_message(
            f"{repository.relative(path)} is invalid ({error.message}), so the "
            "schemas list no taxonomy ids; run assist1540 validate"
        )
        return None
