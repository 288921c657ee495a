"""`assist1540 match`: rank providers for request items."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from assist1540 import console
from assist1540.commands._app import (
    RepoOption,
    app,
    find_repository,
    raise_usage,
    user_errors,
)


@app.command()
@user_errors
def match(
    request_ids: Annotated[
        list[str] | None,
        typer.Argument(
            help="Request ids (default: every open request).", show_default=False
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", min=1, help="Providers to show per item.")
    ] = 5,
    area: Annotated[
        str | None,
        typer.Option(
            "--area", help="Only items in this taxonomy area, given or inferred."
        ),
    ] = None,
    provider_kind: Annotated[
        list[str] | None,
        typer.Option(
            "--provider-kind",
            help="Only providers of this kind: state, "
            "international-organization, regional-organization or other. "
            "Repeat for several.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON on stdout.")
    ] = False,
    suggest_tags: Annotated[
        bool,
        typer.Option(
            "--suggest-tags",
            help="Print the tags inferred from each "
            "item's text, to confirm by hand, instead of the ranking.",
        ),
    ] = False,
    event: Annotated[
        str | None,
        typer.Option(
            "--event",
            help="Pair the requesting States and providers taking part in this "
            "assistance conference for bilateral meetings; --top then counts "
            "providers per State.",
        ),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """Rank providers, programmes and offers on file for each request item.

    Example: assist1540 match mex-2006 --top 3
    """
    from assist1540 import matching_report

    if event is not None:
        if request_ids or area or provider_kind or suggest_tags:
            raise_usage(
                "--event pairs the event's participants, so it cannot be combined "
                "with request ids, --area, --provider-kind or --suggest-tags"
            )
        from assist1540.commands.events import print_event_pairings

        print_event_pairings(find_repository(repo), event, top, as_json)
        return

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
        for piece in matching_report.rankings_json_pieces(rankings):
            console.print_data(piece)
        return
    for title, rows, caption in matching_report.ranking_tables(selection, rankings):
        console.print_table(
            title,
            [
                ("#", "right"),
                ("provider", "left"),
                ("programme", "left"),
                ("score", "right"),
                ("why", "left"),
            ],
            rows,
            caption,
        )
    console.print_message(matching_report.summary_line(rankings))
