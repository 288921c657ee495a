"""`assist1540 new`: create a request, offer, provider or event with a fresh id."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from assist1540 import console
from assist1540.commands._app import RepoOption, app, find_repository, user_errors
from assist1540.commands._steps import (
    ActorOption,
    DateOption,
    DryRunOption,
    NoCommitOption,
    report_step,
    step_context,
    step_options,
)

new_app = typer.Typer(
    help="Create a record with a fresh id, from options, or by asking for the "
    "missing ones when run in a terminal.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(new_app, name="new")

IdOption = Annotated[
    str | None,
    typer.Option("--id", help="Id of the new record (default: made from the name)."),
]


@new_app.command("request")
@user_errors
def new_request(
    state: Annotated[
        str | None, typer.Option("--state", help="ISO3 code of the requesting State.")
    ] = None,
    item: Annotated[
        list[str] | None,
        typer.Option("--item", help="One need, in a sentence; repeat for each item."),
    ] = None,
    received: Annotated[
        str | None,
        typer.Option("--received", help="Date received: YYYY-MM-DD (default: today)."),
    ] = None,
    channel: Annotated[
        str,
        typer.Option(
            "--channel",
            help="How the request arrived: note-verbale, national-report, "
            "assistance-template, letter, action-plan, country-visit, other or "
            "not-stated.",
        ),
    ] = "note-verbale",
    language: Annotated[
        str, typer.Option("--language", help="Language of the request: en, fr or es.")
    ] = "en",
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record a newly received request; prints its new id on stdout.

    Example: assist1540 new request --state MEX --item "Customs training"
    """
    answers = {
        "state": state,
        "item": item,
        "received": received,
        "channel": channel,
        "language": language,
    }
    _create("request", answers, no_commit, dry_run, repo)


@new_app.command("offer")
@user_errors
def new_offer(
    request_id: Annotated[
        str | None,
        typer.Option("--request", help="Id of the request the offer answers."),
    ] = None,
    provider_id: Annotated[
        str | None,
        typer.Option("--provider", help="Id of the provider making the offer."),
    ] = None,
    summary: Annotated[
        str | None, typer.Option("--summary", help="What is offered, in a sentence.")
    ] = None,
    programme: Annotated[
        str | None,
        typer.Option("--programme", help="Name of the provider's programme, if any."),
    ] = None,
    item: Annotated[
        list[int] | None,
        typer.Option(
            "--item",
            help="Number of a request item it answers (1 is the first); repeat. "
            "Default: the whole request.",
        ),
    ] = None,
    received: Annotated[
        str | None,
        typer.Option(
            "--received",
            help="Date of the offer: YYYY-MM-DD, YYYY-MM or YYYY (default: --date).",
        ),
    ] = None,
    on: DateOption = None,
    actor: ActorOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record an offer answering a request; prints its new id on stdout.

    A distributed request moves to matched in the same commit.

    Example: assist1540 new offer --request mex-2006 --provider canada --item 1
    --summary "Customs training course in Ottawa"
    """
    answers = {
        "request": request_id,
        "provider": provider_id,
        "summary": summary,
        "programme": programme,
        "item": item,
        "received": received,
    }
    _create("offer", answers, no_commit, dry_run, repo, on, actor)


@new_app.command("provider")
@user_errors
def new_provider(
    name: Annotated[str | None, typer.Option("--name", help="Full name.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="state, international-organization, regional-organization or other.",
        ),
    ] = None,
    iso3: Annotated[
        str | None, typer.Option("--iso3", help="ISO3 code; required for a State.")
    ] = None,
    short_name: Annotated[
        str | None, typer.Option("--short-name", help="Short name, e.g. IAEA.")
    ] = None,
    area: Annotated[
        list[str] | None,
        typer.Option("--area", help="Area id from taxonomy.yaml; repeat."),
    ] = None,
    weapon: Annotated[
        list[str] | None,
        typer.Option("--weapon", help="Weapon category id from taxonomy.yaml; repeat."),
    ] = None,
    assistance_type: Annotated[
        list[str] | None,
        typer.Option("--type", help="Assistance type id from taxonomy.yaml; repeat."),
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help="Region served, e.g. 'Latin America'; repeat."),
    ] = None,
    record_id: IdOption = None,
    on: DateOption = None,
    actor: ActorOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Add a provider; the id is made from the short name or name unless given.

    Example: assist1540 new provider --name Chile --kind state --iso3 CHL
    """
    answers = {
        "name": name,
        "kind": kind,
        "iso3": iso3,
        "short_name": short_name,
        "area": area,
        "weapon": weapon,
        "type": assistance_type,
        "region": region,
        "id": record_id,
    }
    _create("provider", answers, no_commit, dry_run, repo, on, actor)


@new_app.command("event")
@user_errors
def new_event(
    name: Annotated[
        str | None, typer.Option("--name", help="Name of the conference.")
    ] = None,
    day: Annotated[
        str | None,
        typer.Option("--date", help="Date of the conference: YYYY-MM-DD or YYYY-MM."),
    ] = None,
    participant: Annotated[
        list[str] | None,
        typer.Option(
            "--participant",
            help="ISO3 code of a participating State, or id of a participating "
            "provider; repeat.",
        ),
    ] = None,
    place: Annotated[str | None, typer.Option("--place", help="City or venue.")] = None,
    record_id: IdOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record an assistance conference; the id is made from its name and year.

    Example: assist1540 new event --name "Lima assistance conference"
    --date 2026-05-12 --participant PER --participant canada
    """
    answers = {
        "name": name,
        "date": day,
        "participant": participant,
        "place": place,
        "id": record_id,
    }
    _create("event", answers, no_commit, dry_run, repo)


def _create(
    kind: str,
    answers: dict[str, Any],
    no_commit: bool,
    dry_run: bool,
    repo: Any,
    on: str | None = None,
    actor: str | None = None,
) -> None:
    from assist1540 import scaffold
    from assist1540.catalog import load_catalog
    from assist1540.steps import create_record

    options = step_options(no_commit, dry_run)
    repository = find_repository(repo)
    _ask_missing(kind, answers)
    context = step_context(repository, on, actor, None, None)
    record = scaffold.plan_record(
        kind, answers, repository, load_catalog(repository), context
    )

    result = create_record(
        repository,
        record.kind,
        record.record_id,
        record.values,
        record.subject,
        options,
        record.linked,
    )
    report_step(result, dry_run)
    if not dry_run:
        console.print_data(record.record_id)


def _ask_missing(kind: str, answers: dict[str, Any]) -> None:
    """Ask in the terminal for each missing answer; without one, name them all."""
    from assist1540 import scaffold
    from assist1540.errors import UsageError

    missing = scaffold.find_missing(kind, answers)
    if missing and not _stdin_is_terminal():
        raise UsageError(scaffold.missing_message(kind, missing))
    while missing:
        question = missing[0]
        answers[question.name] = _ask(question)
        missing = scaffold.find_missing(kind, answers)


def _ask(question: Any) -> str | list[str]:
    if not question.multiple:
        return str(typer.prompt(question.prompt)).strip()
    console.print_message(f"{question.prompt}: one a line, an empty line to finish")
    values: list[str] = []
    while True:
        value = str(typer.prompt(">", default="", show_default=False)).strip()
        if not value:
            return values
        values.append(value)


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()
