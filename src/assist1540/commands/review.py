"""`assist1540 review`: what a pull request changes in the records, as Markdown."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from assist1540 import console
from assist1540.commands._app import (
    EXIT_INVALID,
    RepoOption,
    app,
    find_repository,
    user_errors,
)


@app.command()
@user_errors
def review(
    revisions: Annotated[
        str | None,
        typer.Argument(
            metavar="[BASE..HEAD]",
            help="The changes of the commits in HEAD that BASE lacks, or BASE alone "
            "for its merge base up to the working tree (default: the merge base "
            "with main, master or the remote's default branch).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of Markdown.")
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Describe new, removed and renamed records, steps, offers and consent changes.

    Prints Markdown ready for a pull-request comment, flagging at the top every
    change to consent, publishing or the website, every deletion and every
    rename. Exits with 1 when a flag is an error (a renamed record id).

    Example: assist1540 review origin/main..HEAD
    """
    from assist1540.changes import load_review_snapshots
    from assist1540.review import review_changes
    from assist1540.review_output import review_json, review_markdown

    repository = find_repository(repo)
    snapshots = load_review_snapshots(repository, revisions)
    result = review_changes(snapshots.base, snapshots.head, repository.config.data)

    base, head = snapshots.base_label, snapshots.head_label
    if as_json:
        data = review_json(result, base, head)
        console.print_data(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        console.print_data(review_markdown(result, base, head).rstrip("\n"))

    errors = sum(1 for flag in result.flags if flag.level == "error")
    console.print_message(
        f"{len(result.flags)} flag{'s' if len(result.flags) != 1 else ''}, "
        f"{errors} error{'s' if errors != 1 else ''}",
        style="red" if errors else None,
    )
    if errors:
        raise typer.Exit(EXIT_INVALID)
