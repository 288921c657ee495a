"""Request steps: intake, authenticate, acknowledge, distribute, consent, close."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from assist1540 import console
from assist1540.commands._app import (
    RepoOption,
    app,
    find_repository,
    raise_usage,
    user_errors,
)
from assist1540.commands._steps import (
    ActorOption,
    DateOption,
    DryRunOption,
    NoCommitOption,
    NoLetterOption,
    NoteOption,
    ReferenceOption,
    report_step,
    step_context,
    step_options,
)

CHANNEL_HELP = (
    "How the request arrived: note-verbale, national-report, assistance-template, "
    "letter, action-plan, country-visit, other or not-stated."
)


@app.command()
@user_errors
def intake(
    state: Annotated[
        str | None, typer.Option("--state", help="ISO3 code of the requesting State.")
    ] = None,
    received: Annotated[
        str | None,
        typer.Option("--received", help="Date received: YYYY-MM-DD (default: today)."),
    ] = None,
    channel: Annotated[
        str, typer.Option("--channel", help=CHANNEL_HELP)
    ] = "note-verbale",
    item: Annotated[
        list[str] | None,
        typer.Option("--item", help="One need, in a sentence. Repeat for each item."),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="Language of the request: en, fr or es (default: the State's "
            "language in assist1540.toml, else en).",
            show_default=False,
        ),
    ] = None,
    informal: Annotated[
        bool,
        typer.Option(
            "--informal",
            help="From a non-State body or not in proper form: recorded, "
            "not processed.",
        ),
    ] = False,
    from_file: Annotated[
        Path | None,
        typer.Option("--from-file", help="A request in the reference-data format."),
    ] = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record a newly received request; prints its new id on stdout.

    Example: assist1540 intake --state MEX --item "Customs training"
    """
    from assist1540 import intake as intake_module
    from assist1540.steps import create_record

    if from_file is not None and (state or item):
        raise_usage("--from-file cannot be combined with --state or --item")
    repository = find_repository(repo)
    if from_file is not None:
        values = intake_module.values_from_file(from_file)
    else:
        values = intake_module.values_from_options(
            state,
            received or date.today().isoformat(),
            channel,
            item or [],
            language or intake_module.default_language(repository, state),
        )
    if informal:
        values["formal"] = False
        values["status"] = "informal"

    # The id is numbered under the repository lock, so two intakes at once
    # never take the same one.
    record_id = intake_module.base_request_id(values)
    result = create_record(
        repository,
        "requests",
        record_id,
        values,
        f"Record request {record_id}",
        step_options(no_commit, dry_run),
        renumber=True,
    )
    report_step(result, dry_run)
    if not dry_run:
        console.print_data(result.record_id)


@app.command()
@user_errors
def authenticate(
    request_id: Annotated[str, typer.Argument(help="Id of the request.")],
    method: Annotated[
        str | None,
        typer.Option("--method", help="How it was checked, e.g. 'with the Mission'."),
    ] = None,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record that the request was checked to come from the State.

    Example: assist1540 authenticate mex-2012 --method "confirmed with the Mission"
    """
    from assist1540 import workflow

    def outcome(entry: Any, catalog: Any) -> workflow.StepOutcome:
        return workflow.authenticate(entry.id, entry.record, context, method)

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, request_id, outcome, no_commit, dry_run)


@app.command()
@user_errors
def acknowledge(
    request_id: Annotated[str, typer.Argument(help="Id of the request.")],
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_letter: NoLetterOption = False,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record the acknowledgement of receipt and write its letter.

    Example: assist1540 acknowledge mex-2012
    """
    from assist1540 import workflow

    def outcome(entry: Any, catalog: Any) -> workflow.StepOutcome:
        return workflow.acknowledge(entry.id, entry.record, context)

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, request_id, outcome, no_commit, dry_run, no_letter)


@app.command()
@user_errors
def distribute(
    request_id: Annotated[str, typer.Argument(help="Id of the request.")],
    provider: Annotated[
        list[str] | None,
        typer.Option(
            "--provider",
            help="Provider id to send it to; repeat. Default: the first five "
            "providers that 'match' ranks for any of its items.",
        ),
    ] = None,
    no_publish: Annotated[
        bool,
        typer.Option(
            "--no-publish", help="Do not post it even if the State consented."
        ),
    ] = False,
    early: Annotated[
        bool,
        typer.Option("--early", help="The State waived its objection period."),
    ] = False,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_letter: NoLetterOption = False,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record distribution to potential providers, and posting if consented.

    Example: assist1540 distribute mex-2012 --provider oas-cicte --provider iaea
    """
    from assist1540 import workflow
    from assist1540.distribution import choose_providers

    def outcome(entry: Any, catalog: Any) -> workflow.StepOutcome:
        chosen = choose_providers(catalog, entry, provider or [])
        return workflow.distribute(
            entry.id,
            entry.record,
            context,
            repository.config.timers,
            chosen,
            publish=not no_publish,
            early=early,
        )

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, request_id, outcome, no_commit, dry_run, no_letter)


@app.command()
@user_errors
def consent(
    request_id: Annotated[str, typer.Argument(help="Id of the request.")],
    status: Annotated[
        str,
        typer.Argument(help="granted, refused, withdrawn, not-asked or unknown."),
    ],
    source: Annotated[
        str | None,
        typer.Option("--source", help="Document that records it, e.g. a note verbale."),
    ] = None,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record the State's consent to posting its request, or its refusal.

    Refusing or withdrawing consent unpublishes the request at once.

    Example: assist1540 consent mex-2012 granted --source "note verbale MEX/123"
    """
    from assist1540 import workflow

    allowed = ("granted", "refused", "withdrawn", "not-asked", "unknown")
    if status not in allowed:
        raise_usage(
            f"invalid consent status '{status}'; use one of {', '.join(allowed)}"
        )

    def outcome(entry: Any, catalog: Any) -> workflow.StepOutcome:
        return workflow.record_consent(
            entry.id,
            entry.record,
            context,
            status,  # type: ignore[arg-type]
            source,
        )

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, request_id, outcome, no_commit, dry_run)


@app.command()
@user_errors
def close(
    request_id: Annotated[str, typer.Argument(help="Id of the request.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why: met, withdrawn or lapsed.")
    ] = "met",
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Close a request as met, withdrawn or lapsed.

    Example: assist1540 close mex-2006 --reason met
    """
    from assist1540 import workflow

    if reason not in ("met", "withdrawn", "lapsed"):
        raise_usage(f"invalid --reason '{reason}'; use met, withdrawn or lapsed")

    def outcome(entry: Any, catalog: Any) -> workflow.StepOutcome:
        return workflow.close(entry.id, entry.record, context, reason)  # type: ignore[arg-type]

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, request_id, outcome, no_commit, dry_run)


@app.command()
@user_errors
def formalise(
    request_id: Annotated[str, typer.Argument(help="Id of the informal request.")],
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record that an informal request now came in proper form from the State.

    Example: assist1540 formalise mex-2026-01-05 --reference "MEX/2026/7"
    """
    from assist1540 import workflow

    def outcome(entry: Any, catalog: Any) -> workflow.StepOutcome:
        return workflow.formalise(entry.id, entry.record, context)

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, request_id, outcome, no_commit, dry_run)


def _run(
    repository: Any,
    request_id: str,
    outcome: Any,
    no_commit: bool,
    dry_run: bool,
    no_letter: bool = False,
) -> None:
    from assist1540.steps import run_step

    result = run_step(
        repository,
        "requests",
        request_id,
        outcome,
        step_options(no_commit, dry_run, no_letter),
    )
    report_step(result, dry_run)
