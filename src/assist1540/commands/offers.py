"""The offer commands: add, circulate, inform, take-up, decline, report, feedback.

`report` and `feedback` are `offer` subcommands; `feedback` is also a top-level
command. A top-level `report` cannot be one, because `assist1540 report` is the
group of the Committee's reports (coverage, briefing, charts).
"""

from __future__ import annotations

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

if TYPE_CHECKING:
    from assist1540.catalog import Catalog, Entry
    from assist1540.repository import DataRepository
    from assist1540.workflow import StepOutcome

offer_app = typer.Typer(
    help="Record offers of assistance and the steps each one goes through.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(offer_app, name="offer")

OfferIdArgument = Annotated[str, typer.Argument(help="Id of the offer.")]


@offer_app.command("add")
@user_errors
def add_offer(
    request_id: Annotated[
        str, typer.Option("--request", help="Id of the request the offer answers.")
    ],
    provider_id: Annotated[
        str, typer.Option("--provider", help="Id of the provider making the offer.")
    ],
    summary: Annotated[
        str, typer.Option("--summary", help="What is offered, in a sentence.")
    ],
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
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record an offer answering a request; prints its new id on stdout.

    A distributed request moves to matched in the same commit.

    Example: assist1540 offer add --request mex-2006 --provider canada --item 1
    --summary "Customs training course in Ottawa"
    """
    from assist1540 import offer_workflow
    from assist1540.dates import PartialDate
    from assist1540.steps import LinkedStep, create_record, find_record

    options = step_options(no_commit, dry_run)
    if not summary.strip():
        raise_usage("--summary is empty; say in a sentence what is offered")
    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    received_text = received or context.on.isoformat()
    try:
        PartialDate.parse(received_text)
    except ValueError as error:
        raise_usage(f"invalid --received: {error}")
    find_record(repository, "requests", request_id)
    find_record(repository, "providers", provider_id)

    items = item or []
    existing_ids = {path.stem for path in repository.record_files("offers")}
    offer_id = offer_workflow.new_offer_id(request_id, provider_id, existing_ids)
    values = offer_workflow.new_offer_values(
        request_id, provider_id, programme, items, summary, received_text, context
    )

    def match_request(entry: Entry[Any], catalog: Catalog) -> StepOutcome | None:
        offer_workflow.check_new_offer(catalog, entry, provider_id, programme, items)
        return offer_workflow.match_request(entry.id, entry.record, offer_id, context)

    result = create_record(
        repository,
        "offers",
        offer_id,
        values,
        f"Record offer {offer_id}",
        options,
        LinkedStep("requests", request_id, match_request),
    )
    report_step(result, dry_run)
    if not dry_run:
        console.print_data(offer_id)


@offer_app.command("circulate")
@user_errors
def circulate_offer(
    offer_id: OfferIdArgument,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_letter: NoLetterOption = False,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record that the offer was circulated to the Committee's members.

    Example: assist1540 offer circulate canada-mex-2006 --reference S/AC.44/2026/012
    """
    from assist1540 import offer_workflow

    def outcome(entry: Entry[Any], catalog: Catalog) -> StepOutcome:
        return offer_workflow.circulate_offer(entry.id, entry.record, context)

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, offer_id, outcome, no_commit, dry_run, no_letter)


@offer_app.command("inform")
@user_errors
def inform_offer(
    offer_id: OfferIdArgument,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_letter: NoLetterOption = False,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record that the requesting State was informed and asked to take the offer up.

    Example: assist1540 offer inform canada-mex-2006
    """
    from assist1540 import offer_workflow

    def outcome(entry: Entry[Any], catalog: Catalog) -> StepOutcome:
        return offer_workflow.inform_offer(entry.id, entry.record, context)

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, offer_id, outcome, no_commit, dry_run, no_letter)


@offer_app.command("take-up")
@user_errors
def take_up_offer(
    offer_id: OfferIdArgument,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record that the requesting State takes the offer up.

    Example: assist1540 offer take-up canada-mex-2006 --reference "MEX/2026/31"
    """
    from assist1540 import offer_workflow

    def outcome(entry: Entry[Any], catalog: Catalog) -> StepOutcome:
        return offer_workflow.take_up_offer(entry.id, entry.record, context)

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, offer_id, outcome, no_commit, dry_run)


@offer_app.command("decline")
@user_errors
def decline_offer(
    offer_id: OfferIdArgument,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record that the offer was declined.

    Example: assist1540 offer decline canada-mex-2006 --note "met by another offer"
    """
    from assist1540 import offer_workflow

    def outcome(entry: Entry[Any], catalog: Catalog) -> StepOutcome:
        return offer_workflow.decline_offer(entry.id, entry.record, context)

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, offer_id, outcome, no_commit, dry_run)


@offer_app.command("no-answer")
@user_errors
def record_no_answer(
    offer_id: OfferIdArgument,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record that the requesting State did not say whether it takes the offer up.

    Example: assist1540 offer no-answer canada-mex-2006
    """
    from assist1540 import offer_workflow

    def outcome(entry: Entry[Any], catalog: Catalog) -> StepOutcome:
        return offer_workflow.record_no_answer(entry.id, entry.record, context)

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, offer_id, outcome, no_commit, dry_run)


@offer_app.command("report")
@user_errors
def record_report(
    offer_id: OfferIdArgument,
    kind: Annotated[
        str, typer.Option("--kind", help="progress (under way) or completion (done).")
    ],
    by: Annotated[
        str,
        typer.Option("--by", help="Who reported: state (requesting) or provider."),
    ],
    summary: Annotated[
        str | None, typer.Option("--summary", help="What the report says, briefly.")
    ] = None,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record a progress or completion report on an offer taken up.

    Example: assist1540 offer report canada-mex-2006 --kind progress --by provider
    """
    from assist1540 import offer_workflow

    if kind not in ("progress", "completion"):
        raise_usage(f"invalid --kind '{kind}'; use progress or completion")
    _check_party("--by", by)

    def outcome(entry: Entry[Any], catalog: Catalog) -> StepOutcome:
        return offer_workflow.record_report(
            entry.id,
            entry.record,
            context,
            kind,  # type: ignore[arg-type]
            by,  # type: ignore[arg-type]
            summary,
        )

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, offer_id, outcome, no_commit, dry_run)


@offer_app.command("feedback")
@app.command("feedback")
@user_errors
def record_feedback(
    offer_id: OfferIdArgument,
    source: Annotated[
        str,
        typer.Option("--from", help="Who gave it: state (requesting) or provider."),
    ],
    activities: Annotated[
        str, typer.Option("--activities", help="The activities carried out.")
    ],
    achievements: Annotated[
        str, typer.Option("--achievements", help="What the assistance achieved.")
    ],
    opportunities: Annotated[
        str,
        typer.Option("--opportunities", help="Opportunities for further assistance."),
    ],
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record feedback on completed assistance from the State or the provider.

    Example: assist1540 feedback canada-mex-2006 --from state --activities "Two
    courses" --achievements "40 officers trained" --opportunities "Refresher in 2027"
    """
    from assist1540 import offer_workflow

    _check_party("--from", source)

    def outcome(entry: Entry[Any], catalog: Catalog) -> StepOutcome:
        return offer_workflow.record_feedback(
            entry.id,
            entry.record,
            context,
            source,  # type: ignore[arg-type]
            activities,
            achievements,
            opportunities,
        )

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, offer_id, outcome, no_commit, dry_run)


def _check_party(option: str, value: str) -> None:
    if value not in ("state", "provider"):
        raise_usage(f"invalid {option} '{value}'; use state or provider")


def _run(
    repository: DataRepository,
    offer_id: str,
    outcome: Any,
    no_commit: bool,
    dry_run: bool,
    no_letter: bool = False,
) -> None:
    from assist1540.steps import run_step

    options = step_options(no_commit, dry_run, no_letter)
    result = run_step(repository, "offers", offer_id, outcome, options)
    report_step(result, dry_run)


def _report_shortcut(kind: str) -> None:
    """Register `assist1540 report KIND OFFER-ID` beside the Committee reports."""
    from assist1540.commands.report import report_app

    @report_app.command(kind)
    @user_errors
    def shortcut(
        offer_id: OfferIdArgument,
        by: Annotated[
            str,
            typer.Option("--by", help="Who reported: state (requesting) or provider."),
        ],
        summary: Annotated[
            str | None, typer.Option("--summary", help="What the report says, briefly.")
        ] = None,
        on: DateOption = None,
        actor: ActorOption = None,
        reference: ReferenceOption = None,
        note: NoteOption = None,
        no_commit: NoCommitOption = False,
        dry_run: DryRunOption = False,
        repo: RepoOption = None,
    ) -> None:
        record_report(
            offer_id,
            kind,
            by,
            summary,
            on,
            actor,
            reference,
            note,
            no_commit,
            dry_run,
            repo,
        )

    shortcut.__doc__ = (
        f"Record a {kind} report on an offer taken up (same as 'offer report "
        f"--kind {kind}').\n\n    Example: assist1540 report {kind} canada-mex-2006 "
        "--by provider"
    )


_report_shortcut("progress")
_report_shortcut("completion")
