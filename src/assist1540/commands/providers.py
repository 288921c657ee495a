"""Provider steps: add, update, add-programme and confirm, each with its commit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from assist1540.commands._app import RepoOption, app, find_repository, user_errors
from assist1540.commands._steps import (
    ActorOption,
    DateOption,
    DryRunOption,
    NoCommitOption,
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

provider_app = typer.Typer(
    help="Keep the Committee's list of assistance providers and their programmes.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(provider_app, name="provider")

ProviderIdArgument = Annotated[
    str, typer.Argument(help="Id of the provider, e.g. canada or iaea.")
]
TagList = list[str] | None
AreaOption = Annotated[
    TagList, typer.Option("--area", help="Area id from taxonomy.yaml; repeat.")
]
WeaponOption = Annotated[
    TagList,
    typer.Option("--weapon", help="Weapon category id from taxonomy.yaml; repeat."),
]
TypeOption = Annotated[
    TagList,
    typer.Option("--type", help="Assistance type id from taxonomy.yaml; repeat."),
]
RegionOption = Annotated[
    TagList,
    typer.Option("--region", help="Region served, e.g. 'Latin America'; repeat."),
]
LastConfirmedOption = Annotated[
    str | None,
    typer.Option(
        "--last-confirmed",
        help="Day the provider last confirmed its information: YYYY-MM-DD, "
        "YYYY-MM or YYYY.",
    ),
]


@provider_app.command("add")
@user_errors
def add_provider(
    provider_id: ProviderIdArgument,
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="state, international-organization, regional-organization or other.",
        ),
    ],
    iso3: Annotated[
        str | None,
        typer.Option("--iso3", help="ISO3 code; required for a State."),
    ] = None,
    short_name: Annotated[
        str | None, typer.Option("--short-name", help="Short name, e.g. IAEA.")
    ] = None,
    area: AreaOption = None,
    weapon: WeaponOption = None,
    assistance_type: TypeOption = None,
    region: RegionOption = None,
    last_confirmed: LastConfirmedOption = None,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Add a provider to the Committee's list; prints its id on stdout.

    Example: assist1540 provider add chile --name Chile --kind state --iso3 CHL
    --area op2-legislation
    """
    from assist1540 import console, provider_workflow
    from assist1540.catalog import load_catalog
    from assist1540.steps import create_record

    options = step_options(no_commit, dry_run)
    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    tags = provider_workflow.Tags(
        area or [], weapon or [], assistance_type or [], region or []
    )
    values = provider_workflow.new_provider_values(
        name, kind, iso3, short_name, tags, last_confirmed, context
    )
    provider_workflow.check_tags(load_catalog(repository).taxonomy, tags)

    result = create_record(
        repository,
        "providers",
        provider_id,
        values,
        f"Add provider {provider_id}",
        options,
    )
    report_step(result, dry_run)
    if not dry_run:
        console.print_data(provider_id)


@provider_app.command("update")
@user_errors
def update_provider(
    provider_id: ProviderIdArgument,
    name: Annotated[str | None, typer.Option("--name", help="New full name.")] = None,
    short_name: Annotated[
        str | None, typer.Option("--short-name", help="New short name.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="state, international-organization, regional-organization or other.",
        ),
    ] = None,
    iso3: Annotated[str | None, typer.Option("--iso3", help="New ISO3 code.")] = None,
    last_confirmed: LastConfirmedOption = None,
    add_area: Annotated[
        TagList, typer.Option("--add-area", help="Area id to add; repeat.")
    ] = None,
    remove_area: Annotated[
        TagList, typer.Option("--remove-area", help="Area id to remove; repeat.")
    ] = None,
    add_weapon: Annotated[
        TagList, typer.Option("--add-weapon", help="Weapon category id to add.")
    ] = None,
    remove_weapon: Annotated[
        TagList, typer.Option("--remove-weapon", help="Weapon category id to remove.")
    ] = None,
    add_type: Annotated[
        TagList, typer.Option("--add-type", help="Assistance type id to add.")
    ] = None,
    remove_type: Annotated[
        TagList, typer.Option("--remove-type", help="Assistance type id to remove.")
    ] = None,
    add_region: Annotated[
        TagList, typer.Option("--add-region", help="Region to add.")
    ] = None,
    remove_region: Annotated[
        TagList, typer.Option("--remove-region", help="Region to remove.")
    ] = None,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Change a provider's name, kind, code, confirmation day, tags or regions.

    Example: assist1540 provider update canada --add-area op3d-export-control
    """
    from assist1540 import provider_workflow

    tags = provider_workflow.Tags
    update = provider_workflow.ProviderUpdate(
        name,
        short_name,
        kind,
        iso3,
        last_confirmed,
        tags(add_area or [], add_weapon or [], add_type or [], add_region or []),
        tags(
            remove_area or [],
            remove_weapon or [],
            remove_type or [],
            remove_region or [],
        ),
    )

    def outcome(entry: Entry[Any], catalog: Catalog) -> StepOutcome:
        provider_workflow.check_tags(catalog.taxonomy, update.add)
        return provider_workflow.update_provider(
            entry.id, entry.record, context, update
        )

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, provider_id, outcome, no_commit, dry_run)


@provider_app.command("add-programme")
@user_errors
def add_programme(
    provider_id: ProviderIdArgument,
    name: Annotated[str, typer.Option("--name", help="Name of the programme.")],
    summary: Annotated[
        str, typer.Option("--summary", help="What the programme offers, briefly.")
    ],
    area: AreaOption = None,
    weapon: WeaponOption = None,
    assistance_type: TypeOption = None,
    region: RegionOption = None,
    on: DateOption = None,
    actor: ActorOption = None,
    reference: ReferenceOption = None,
    note: NoteOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Add an assistance programme to a provider.

    Example: assist1540 provider add-programme canada --name "Export control
    outreach" --summary "Licensing officer training" --area op3d-export-control
    """
    from assist1540 import provider_workflow

    tags = provider_workflow.Tags(
        area or [], weapon or [], assistance_type or [], region or []
    )

    def outcome(entry: Entry[Any], catalog: Catalog) -> StepOutcome:
        provider_workflow.check_tags(catalog.taxonomy, tags)
        return provider_workflow.add_programme(
            entry.id, entry.record, context, name, summary, tags
        )

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, provider_id, outcome, no_commit, dry_run)


@provider_app.command("confirm")
@user_errors
def confirm_provider(
    provider_id: ProviderIdArgument,
    programme: Annotated[
        str | None,
        typer.Option(
            "--programme", help="Confirm only this programme, by its exact name."
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
    """Record that a provider confirmed its information; sets last_confirmed.

    The day is --date, today by default.

    Example: assist1540 provider confirm iaea --date 2026-03-02
    """
    from assist1540 import provider_workflow

    def outcome(entry: Entry[Any], catalog: Catalog) -> StepOutcome:
        return provider_workflow.confirm_provider(
            entry.id, entry.record, context, programme
        )

    repository = find_repository(repo)
    context = step_context(repository, on, actor, reference, note)
    _run(repository, provider_id, outcome, no_commit, dry_run)


def _run(
    repository: DataRepository,
    provider_id: str,
    outcome: Any,
    no_commit: bool,
    dry_run: bool,
) -> None:
    from assist1540.steps import run_step

    result = run_step(
        repository, "providers", provider_id, outcome, step_options(no_commit, dry_run)
    )
    report_step(result, dry_run)
