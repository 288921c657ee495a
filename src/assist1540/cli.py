"""The `assist1540` command line: parse options, call one function, print, exit."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from assist1540 import console
from assist1540.errors import Assist1540Error, Problem

logger = logging.getLogger(__name__)

app = typer.Typer(
    name="assist1540",
    help="Match requests for assistance under resolution 1540 with the providers "
    "that offer it, and keep the records in a git repository.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

RepoOption = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help="Data repository folder (default: $ASSIST1540_REPO, else the nearest "
        "parent folder with assist1540.toml).",
        show_default=False,
    ),
]

CommandT = TypeVar("CommandT", bound=Callable[..., Any])


class _State:
    repo: Path | None = None
    debug: bool = False


_state = _State()


def user_errors(command: CommandT) -> CommandT:
    """Print user errors without a traceback; anything else is a bug (exit 2)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Assist1540Error as error:
            for line in str(error).splitlines():
                console.print_message(line if error.problems else f"error: {line}")
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            console.print_message("interrupted; no file was left half-written")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as error:
            if _state.debug:
                raise
            console.print_message(
                f"internal error: {type(error).__name__}: {error}. This is a bug in "
                "assist1540; rerun with --debug for the traceback and report it."
            )
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main_options(
    repo: RepoOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every file read and step.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show only warnings and errors.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of internal errors.")
    ] = False,
) -> None:
    """Match requests for assistance under resolution 1540 with providers."""
    console.reset_consoles()
    console.setup_logging(verbose, quiet)
    _state.repo = repo
    _state.debug = debug


def find_repository(repo: Path | None) -> Any:
    from assist1540.repository import DataRepository

    return DataRepository.find(repo if repo is not None else _state.repo)


# --- validate ---------------------------------------------------------------------


@app.command()
@user_errors
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to report on (default: all records).",
                       show_default=False),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", help="Output: text, json or github (Actions annotations)."),
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
        console.print_data(json.dumps(_report_json(report), ensure_ascii=False, indent=2))
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


# --- import-reference -------------------------------------------------------------


@app.command("import-reference")
@user_errors
def import_reference(
    source: Annotated[
        Path,
        typer.Argument(help="Folder in the reference-data format (taxonomy.yaml, "
                       "requests/, providers/)."),
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


def raise_usage(message: str) -> None:
    from assist1540.errors import UsageError

    raise UsageError(message)


def main() -> None:
    """Run the command line; the console script's entry point."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    app()


# --- match ------------------------------------------------------------------------


@app.command()
@user_errors
def match(
    request_ids: Annotated[
        list[str] | None,
        typer.Argument(help="Request ids (default: every open request).",
                       show_default=False),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", min=1, help="Providers to show per item.")
    ] = 5,
    area: Annotated[
        str | None,
        typer.Option("--area", help="Only items in this taxonomy area, given or inferred."),
    ] = None,
    provider_kind: Annotated[
        list[str] | None,
        typer.Option("--provider-kind", help="Only providers of this kind: state, "
                     "international-organization, regional-organization or other. "
                     "Repeat for several."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    suggest_tags: Annotated[
        bool,
        typer.Option("--suggest-tags", help="Print the tags inferred from each "
                     "item's text, to confirm by hand, instead of the ranking."),
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Rank providers, programmes and offers on file for each request item.

    Example: assist1540 match mex-2006 --top 3
    """
    from assist1540 import matching_report

    kinds = tuple(provider_kind or ())
    matching_report.check_provider_kinds(kinds)
    repository = find_repository(repo)
    selection = matching_report.select_items(repository, request_ids or [], area, kinds)

    if suggest_tags:
        suggestions = matching_report.suggest_tags(selection)
        if as_json:
            console.print_data(json.dumps(suggestions, ensure_ascii=False, indent=2))
        else:
            for line in matching_report.format_suggestions(suggestions):
                console.print_data(line)
        return

    rankings = matching_report.rank(selection, top)
    if as_json:
        console.print_data(
            json.dumps(matching_report.rankings_json(rankings), ensure_ascii=False, indent=2)
        )
        return
    for title, rows, caption in matching_report.ranking_tables(selection, rankings):
        console.print_table(
            title,
            [("#", "right"), ("provider", "left"), ("programme", "left"),
             ("score", "right"), ("why", "left")],
            rows,
            caption,
        )
    console.print_message(matching_report.summary_line(rankings))
