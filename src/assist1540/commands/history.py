"""`assist1540 history`: the audit trail of a record from git."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assist1540 import console
from assist1540.commands._app import RepoOption, app, find_repository, user_errors

if TYPE_CHECKING:
    from assist1540.history import RecordHistory, Revision


@app.command()
@user_errors
def history(
    record_id: Annotated[str, typer.Argument(help="Id of the record.")],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="requests, offers, providers or events, when the id names records "
            "of two kinds.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of text.")
    ] = False,
    repo: RepoOption = None,
) -> None:
    """Show who changed a record, when, in which commit, and which fields, newest first.

    Follows the record's file through renames.

    Example: assist1540 history mex-2012
    """
    from assist1540.history import load_history

    repository = find_repository(repo)
    trail = load_history(repository, record_id, kind)

    if as_json:
        console.print_data(
            json.dumps(_history_json(trail), ensure_ascii=False, indent=2)
        )
    else:
        for revision in trail.revisions:
            for line in _revision_lines(revision):
                console.print_data(line)
    if trail.uncommitted:
        console.print_message(
            f"{trail.path} has uncommitted changes, which are not shown; see them "
            f"with: git diff -- {trail.path}"
        )
    count = len(trail.revisions)
    noun = trail.kind.rstrip("s")
    console.print_message(
        f"{noun} {record_id}: {count} commit{'s' if count != 1 else ''}"
    )


def _revision_lines(revision: Revision) -> list[str]:
    commit = revision.commit
    lines = [f"{commit.sha[:7]}  {commit.date[:10]}  {commit.author}  {commit.subject}"]
    if revision.event == "renamed":
        lines.append(f"    renamed from {commit.old_path} to {commit.path}")
    elif revision.event in ("created", "deleted"):
        lines.append(f"    {revision.event} {commit.path}")
    elif revision.event == "unreadable":
        lines.append(f"    {commit.path} cannot be read there: {revision.problem}")
    lines += [
        f"    {change.label}: {change.description}" for change in revision.changes
    ]
    lines += [f"    step: {_step(entry)}" for entry in revision.steps]
    return lines


def _step(entry: dict[str, Any]) -> str:
    from assist1540.record_diff import describe_step

    return describe_step(entry)


def _history_json(trail: RecordHistory) -> dict[str, Any]:
    return {
        "kind": trail.kind.rstrip("s"),
        "id": trail.record_id,
        "path": trail.path,
        "uncommitted_changes": trail.uncommitted,
        "commits": [
            {
                "commit": revision.commit.sha,
                "short": revision.commit.sha[:7],
                "date": revision.commit.date,
                "author": revision.commit.author,
                "email": revision.commit.email,
                "subject": revision.commit.subject,
                "path": revision.commit.path,
                "renamed_from": revision.commit.old_path,
                "event": revision.event,
                "problem": revision.problem,
                "changes": [
                    {"field": c.field, "label": c.label, "description": c.description}
                    for c in revision.changes
                ],
                "steps": list(revision.steps),
            }
            for revision in trail.revisions
        ],
    }
