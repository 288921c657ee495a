"""Assistance conferences: `event add`, and the pairings `match --event` prints."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

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
    DryRunOption,
    NoCommitOption,
    report_step,
    step_options,
)

if TYPE_CHECKING:
    from assist1540.conference import ConferencePlan
    from assist1540.repository import DataRepository

event_app = typer.Typer(
    help="Record assistance conferences and their participants.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(event_app, name="event")

PAIRING_COLUMNS = [
    ("requesting State", "left"),
    ("provider", "left"),
    ("items", "left"),
    ("score", "right"),
    ("why", "left"),
]


@event_app.command("add")
@user_errors
def add_event(
    event_id: Annotated[
        str, typer.Argument(help="Id of the event, e.g. conference-2026-lima.")
    ],
    name: Annotated[str, typer.Option("--name", help="Name of the conference.")],
    day: Annotated[
        str,
        typer.Option("--date", help="Date of the conference: YYYY-MM-DD or YYYY-MM."),
    ],
    participant: Annotated[
        list[str],
        typer.Option(
            "--participant",
            help="ISO3 code of a participating State, or id of a participating "
            "provider; repeat.",
        ),
    ],
    place: Annotated[str | None, typer.Option("--place", help="City or venue.")] = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record an assistance conference and who takes part; prints its id on stdout.

    Example: assist1540 event add lima-2026 --name "Regional assistance
    conference" --date 2026-05-12 --place Lima --participant PER --participant canada
    """
    from assist1540.catalog import load_catalog
    from assist1540.conference import check_participants
    from assist1540.dates import PartialDate
    from assist1540.steps import create_record

    options = step_options(no_commit, dry_run)
    try:
        PartialDate.parse(day)
    except ValueError as error:
        raise_usage(f"invalid --date: {error}")
    if not name.strip():
        raise_usage("--name is empty; give the conference's name")
    repository = find_repository(repo)
    participants = check_participants(load_catalog(repository), participant)

    values: dict[str, object] = {"name": name, "date": day}
    if place is not None:
        values["place"] = place
    values["participants"] = participants
    result = create_record(
        repository, "events", event_id, values, f"Add event {event_id}", options
    )
    report_step(result, dry_run)
    if not dry_run:
        console.print_data(event_id)


def print_event_pairings(
    repository: DataRepository, event_id: str, top: int, as_json: bool
) -> None:
    """Print the bilateral meetings proposed for an event, for `match --event`."""
    from assist1540.catalog import load_catalog
    from assist1540.conference import plan_meetings
    from assist1540.steps import find_record

    find_record(repository, "events", event_id)
    catalog = load_catalog(repository)
    entry = catalog.events.get(event_id)
    if entry is None:
        raise_usage(
            f"event '{event_id}' has errors, so it cannot be used; run "
            "'assist1540 validate' and fix them"
        )
        return
    plan = plan_meetings(catalog, entry.record, top=top)

    if as_json:
        console.print_data(json.dumps(_plan_json(plan), ensure_ascii=False, indent=2))
    else:
        console.print_table(
            f"{event_id}: {entry.record.name}", PAIRING_COLUMNS, _plan_rows(plan)
        )
    for participant, reason in plan.left_out:
        console.print_message(f"left out: {participant} {reason}")
    count = len(plan.pairings)
    console.print_message(f"{count} meeting{'s' if count != 1 else ''} proposed")


def _plan_rows(plan: ConferencePlan) -> list[list[str]]:
    rows = []
    for pairing in plan.pairings:
        items = "\n".join(
            f"{item.request} #{item.item} ({item.score:.1f})" for item in pairing.items
        )
        best = max(pairing.items, key=lambda item: item.score)
        rows.append(
            [
                f"{pairing.state_name} ({pairing.state})",
                pairing.provider_name,
                items,
                f"{pairing.score:.1f}",
                "\n".join(best.reasons),
            ]
        )
    return rows


def _plan_json(plan: ConferencePlan) -> list[dict[str, object]]:
    return [
        {
            "state": pairing.state,
            "provider": pairing.provider,
            "score": pairing.score,
            "items": [
                {
                    "request": item.request,
                    "item": item.item,
                    "summary": item.summary,
                    "score": item.score,
                    "programme": item.programme,
                    "reasons": list(item.reasons),
                }
                for item in pairing.items
            ],
        }
        for pairing in plan.pairings
    ]
