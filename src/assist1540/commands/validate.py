"""`assist1540 validate`: check every record and report all problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from assist1540 import console
from assist1540.commands._app import (
    EXIT_INVALID,
    RepoOption,
    app,
    find_repository,
    raise_usage,
    user_errors,
)
from assist1540.errors import Problem


@app.command()
@user_errors
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to report on (default: all records).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", help="Output: text, json or github (Actions annotations)."
        ),
    ] = "text",
    repo: RepoOption = None,
) -> None:
    """Check every record: syntax, fields, taxonomy ids, dates, references, consent.

    Example: assist1540 validate data/requests
    """
    if output_format not in ("text", "json", "github"):
        raise_usage(f"invalid --format '{output_format}'; use text, json or github")
    from assist1540.validation import validate_repository

    repository = find_repository(repo)
    report = validate_repository(repository, paths or None)

    if output_format == "json":
        console.print_data(
            json.dumps(_report_json(report), ensure_ascii=False, indent=2)
        )
    elif output_format == "github":
        for problem in report.problems:
            console.print_data(_github_annotation(problem))
    else:
        for problem in report.problems:
            console.print_data(problem.format())

    errors = len(report.errors)
    summary = (
        f"{report.checked_files} files checked: "
        f"{errors} error{'s' if errors != 1 else ''}"
    )
    warnings = len(report.problems) - errors
    if warnings:
        summary += f", {warnings} warning{'s' if warnings != 1 else ''}"
    console.print_message(summary, style="red" if errors else "green")
    if errors:
        raise typer.Exit(EXIT_INVALID)


def _report_json(report: Any) -> dict[str, Any]:
    return {
        "valid": report.is_valid,
        "checked_files": report.checked_files,
        "errors": len(report.errors),
        "problems": [
            {
                "path": problem.path,
                "line": problem.line or None,
                "column": problem.column or None,
                "field": problem.field or None,
                "severity": problem.severity,
                "message": problem.message,
            }
            for problem in report.problems
        ],
    }


def _github_annotation(problem: Problem) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def escape_property(text: str) -> str:
        return escape(text).replace(":", "%3A").replace(",", "%2C")

    properties = [f"file={escape_property(problem.path)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
        properties.append(f"col={problem.column or 1}")
    if problem.field:
        properties.append(f"title={escape_property(problem.field)}")
    return f"::{problem.severity} {','.join(properties)}::{escape(problem.message)}"
