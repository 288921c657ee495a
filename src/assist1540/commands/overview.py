"""`status`, `list` and `due`: show the records, their steps and what is due."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assist1540 import console
from assist1540.commands._app import (
    RepoOption,
    app,
    find_repository,
    raise_usage,
    user_errors,
)

if TYPE_CHECKING:
    from assist1540.catalog import Catalog
    from assist1540.due import DueStep

logger = logging.getLogger(__name__)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]

DUE_COLUMNS = [
    ("due", "left"),
    ("overdue", "right"),
    ("record", "left"),
    ("step", "left"),
    ("letter", "left"),
]


@app.command("status")
@user_errors
def show_status(
    record_id: Annotated[str, typer.Argument(help="Id of a request or an offer.")],
    as_json: JsonOption = False,
    repo: RepoOption = None,
) -> None:
    """Show a request's or an offer's fields, items, history and offers.

    Example: assist1540 status mex-2006
    """
    from assist1540.catalog import load_catalog
    from assist1540.overview import load_story

    story = load_story(load_catalog(find_repository(repo)), record_id)

    if as_json:
        _print_json(story.json)
        return
    console.print_data(f"{story.kind} {story.record_id} ({story.path})")
    width = max(len(label) for label, _ in story.fields)
    for label, value in story.fields:
        console.print_data(f"  {label:<{width}}  {value}")
    for table in story.tables:
        if table.rows:
            console.print_table(table.title, table.columns, table.rows)
        else:
            console.print_data(f"{table.title}: none")


@app.command("list")
@user_errors
def list_requests(
    state: Annotated[
        str | None, typer.Option("--state", help="ISO3 code of the requesting State.")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="Status, e.g. received, distributed, closed."),
    ] = None,
    area: Annotated[
        str | None,
        typer.Option("--area", help="Area id that one of its items is tagged with."),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Year the request was received.")
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option("--provider", help="Provider id with an offer on the request."),
    ] = None,
    as_json: JsonOption = False,
    repo: RepoOption = None,
) -> None:
    """List requests with their status and offers, filtered by the options.

    Example: assist1540 list --state MEX --status distributed
    """
    from assist1540.catalog import load_catalog
    from assist1540.overview import (
        LIST_COLUMNS,
        RequestFilter,
        check_filter,
        request_rows,
        requests_json,
        select_requests,
    )

    catalog = load_catalog(find_repository(repo))
    _warn_about_invalid_files(catalog)
    request_filter = check_filter(
        catalog, RequestFilter(state, status, area, year, provider)
    )
    entries = select_requests(catalog, request_filter)

    if as_json:
        _print_json(requests_json(catalog, entries))
        return
    console.print_table("requests", LIST_COLUMNS, request_rows(catalog, entries))
    count = len(entries)
    console.print_message(f"{count} request{'s' if count != 1 else ''}")


@app.command("due")
@user_errors
def list_due(
    on: Annotated[
        str | None,
        typer.Option("--on", help="Day to count from, YYYY-MM-DD (default: today)."),
    ] = None,
    as_json: JsonOption = False,
    repo: RepoOption = None,
) -> None:
    """List the steps due or overdue by the timers, with the letter for each.

    Example: assist1540 due --on 2026-06-30
    """
    from datetime import date

    from assist1540.briefings import load_briefings
    from assist1540.catalog import load_catalog
    from assist1540.due import list_due_steps

    day = date.today()
    if on is not None:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            raise_usage(f"invalid --on '{on}'; write the day as YYYY-MM-DD")
    repository = find_repository(repo)
    briefings = load_briefings(repository).briefings
    catalog = load_catalog(repository)
    _warn_about_invalid_files(catalog)
    steps = list_due_steps(catalog, repository.config.timers, day, briefings)

    if as_json:
        _print_json([_due_json(step) for step in steps])
        return
    console.print_table(f"due on {day.isoformat()}", DUE_COLUMNS, _due_rows(steps))
    count = len(steps)
    console.print_message(f"{count} step{'s' if count != 1 else ''} due")


def _due_rows(steps: list[DueStep]) -> list[list[str]]:
    rows = []
    for step in steps:
        record = f"{step.kind} {step.record}"
        if step.kind == "briefing":
            record = "Committee"
        elif step.programme is not None:
            record = f"provider {step.record}, programme '{step.programme}'"
        description = step.description
        if step.information:
            description = f"(information) {description}"
        rows.append(
            [
                step.due.isoformat() if step.due else "-",
                "-" if step.days_overdue is None else str(step.days_overdue),
                record,
                description,
                step.letter or "",
            ]
        )
    return rows


def _due_json(step: DueStep) -> dict[str, Any]:
    return {
        "kind": step.kind,
        "record": step.record or None,
        "programme": step.programme,
        "step": step.step,
        "description": step.description,
        "due": step.due.isoformat() if step.due else None,
        "days_overdue": step.days_overdue,
        "letter": step.letter,
        "information": step.information,
    }


def _warn_about_invalid_files(catalog: Catalog) -> None:
    files = {
        problem.path for problem in catalog.problems if problem.severity == "error"
    }
    if files:
        count = len(files)
        logger.warning(
            "%d %s errors and %s left out; run 'assist1540 validate' to see them",
            count,
            "file has" if count == 1 else "files have",
            "is" if count == 1 else "are",
        )


def _print_json(value: Any) -> None:
    console.print_data(json.dumps(value, ensure_ascii=False, indent=2))
