"""`assist1540 validate`: check every record and report all problems."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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

if TYPE_CHECKING:
    from assist1540.changes import ChangeScope
    from assist1540.repository import DataRepository
    from assist1540.validation_report import ValidationReport

FORMATS = ("text", "json", "github", "sarif")


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
            "--format",
            help="Output: text, json, github (Actions annotations and job summary) "
            "or sarif (SARIF 2.1.0 for code scanning).",
        ),
    ] = "text",
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REF",
            help="Check only the records changed since the merge base of REF and "
            "HEAD (working tree included), and the records that refer to them.",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """Check every record: syntax, fields, taxonomy ids, dates, references, consent.

    Example: assist1540 validate --changed-since origin/main --format github
    """
    if output_format not in FORMATS:
        raise_usage(
            f"invalid --format '{output_format}'; use {', '.join(FORMATS[:-1])} "
            f"or {FORMATS[-1]}"
        )
    if paths and changed_since is not None:
        raise_usage(
            "give either PATH arguments or --changed-since, not both: "
            "--changed-since selects the files itself"
        )
    repository = find_repository(repo)
    report, notes, scope_line = _run(repository, paths, changed_since)

    summary = _summary(report, scope_line)
    prefix = _workspace_prefix(repository.root)
    if output_format == "json":
        console.print_data(
            json.dumps(_report_json(report), ensure_ascii=False, indent=2)
        )
    elif output_format == "sarif":
        log = _sarif(report, prefix, notes)
        console.print_data(json.dumps(log, ensure_ascii=False, indent=2))
    elif output_format == "github":
        _print_github(report, prefix, notes, summary)
    else:
        for problem in report.problems:
            console.print_data(problem.format())

    console.print_message(summary, style="red" if report.errors else "green")
    if report.errors:
        raise typer.Exit(EXIT_INVALID)


def _run(
    repository: DataRepository, paths: list[Path] | None, changed_since: str | None
) -> tuple[ValidationReport, list[str], str]:
    """Validate, and return the report, warnings about the run and its scope."""
    if changed_since is None and not paths:
        return _full_run(repository), [], ""
    from assist1540.validation import validate_repository

    if changed_since is None:
        return validate_repository(repository, paths or None), [], ""

    from assist1540.changes import find_changes, validate_changes

    scope = find_changes(repository, changed_since)
    if scope.warning:
        console.print_message(f"warning: {scope.warning}", style="yellow")
    elif scope.full_run:
        console.print_message(f"{scope.reason}; checking every record")
    if scope.full_run:
        notes = [scope.warning] if scope.warning else []
        return validate_repository(repository), notes, ""
    return validate_changes(repository, scope), [], _scope_line(scope)


def _full_run(repository: DataRepository) -> ValidationReport:
    """Validate everything, or reuse the last result when no input changed."""
    from assist1540 import validation_cache
    from assist1540.config import CONFIG_FILE

    config_file = repository.root / CONFIG_FILE
    snapshot = validation_cache.take_snapshot(repository.data_dir, config_file)
    cached = validation_cache.load_unchanged(repository.root, snapshot)
    if cached is not None:
        return cached

    key: str | None = None
    # Without a stored result there is nothing to match the hash against, and a
    # trusted snapshot serves the next run, so the files are not read twice. An
    # untrusted snapshot needs the hash, taken before validating, for next time.
    if validation_cache.has_stored(repository.root) or not snapshot.trusted:
        # TODO: such a run reads every record twice, here to hash it and again
        # to load it (about 0.1 s at 100 times the bundled data).
        key = validation_cache.cache_key(repository.data_dir, config_file)
        cached = validation_cache.load_cached(repository.root, key)
        if cached is not None:
            if snapshot.trusted:
                # Only the files' status changed (a checkout, a touch): keep the
                # new snapshot so that the next run need not read the files.
                validation_cache.store(repository.root, key, cached, snapshot)
            return cached

    from assist1540.validation import validate_repository

    report = validate_repository(repository)
    # A file written while it was being validated, then restored, would
    # otherwise leave a result under a key that no longer describes what was
    # read. Any write changes the file's change time, so compare the status.
    after = validation_cache.take_snapshot(repository.data_dir, config_file)
    if after.digest == snapshot.digest:
        validation_cache.store(repository.root, key, report, snapshot)
    return report


def _scope_line(scope: ChangeScope) -> str:
    changed = len(scope.changed) + len(scope.deleted)
    return (
        f" ({changed} record{'s' if changed != 1 else ''} changed since "
        f"{scope.ref}, with the records that refer to them)"
    )


def _summary(report: ValidationReport, scope_line: str) -> str:
    errors = len(report.errors)
    summary = (
        f"{report.checked_files} file{'s' if report.checked_files != 1 else ''} "
        f"checked{scope_line}: "
        f"{errors} error{'s' if errors != 1 else ''}"
    )
    warnings = len(report.problems) - errors
    if warnings:
        summary += f", {warnings} warning{'s' if warnings != 1 else ''}"
    return summary


def _workspace_prefix(root: Path) -> str:
    """Return the data repository's folder in $GITHUB_WORKSPACE, as `a/b/` or ``.

    Annotations and SARIF results locate files from the root of the checked-out
    repository, which is the data repository's root unless it sits in a folder.
    """
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return ""
    try:
        relative = root.resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative + "/"


def _print_github(
    report: ValidationReport, prefix: str, notes: list[str], summary: str
) -> None:
    from assist1540.report_formats import github_annotations, summary_markdown

    for line in github_annotations(report.problems, prefix, notes):
        console.print_data(line)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        text = summary_markdown(report.problems, "\n\n".join([*notes, summary]))
        with Path(summary_file).open("a", encoding="utf-8") as stream:
            stream.write(text)


def _sarif(report: ValidationReport, prefix: str, notes: list[str]) -> dict[str, Any]:
    from importlib.metadata import version

    from assist1540.report_formats import sarif_log

    return sarif_log(report.problems, version("assist1540"), prefix, notes)


def _report_json(report: ValidationReport) -> dict[str, Any]:
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
