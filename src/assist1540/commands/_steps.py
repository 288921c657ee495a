"""Options and output shared by the commands that take a step of the procedure."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from assist1540 import console
from assist1540.errors import UsageError

if TYPE_CHECKING:
    from assist1540.repository import DataRepository
    from assist1540.steps import StepOptions, StepResult
    from assist1540.workflow import StepContext

DateOption = Annotated[
    str | None,
    typer.Option("--date", help="Day of the step, YYYY-MM-DD (default: today)."),
]
ActorOption = Annotated[
    str | None,
    typer.Option("--actor", help="Who took the step (default: the git user name)."),
]
ReferenceOption = Annotated[
    str | None,
    typer.Option("--reference", help="Reference of the note verbale or letter."),
]
NoteOption = Annotated[
    str | None, typer.Option("--note", help="A remark to keep in the history.")
]
NoCommitOption = Annotated[
    bool, typer.Option("--no-commit", help="Write and stage the files, do not commit.")
]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run", help="Print the diff the step would make; write nothing."
    ),
]


def parse_step_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"invalid --date '{text}'; write the day as YYYY-MM-DD"
        ) from None
    if day > date.today():
        raise UsageError(
            f"--date {text} is after today; a step is recorded on or after the "
            "day it was taken"
        )
    return day


def step_context(
    repository: DataRepository,
    on: str | None,
    actor: str | None,
    reference: str | None,
    note: str | None,
) -> StepContext:
    """Fill the step's date and actor: today and the git user unless given."""
    from assist1540.workflow import StepContext

    return StepContext(
        parse_step_date(on), actor or _git_user(repository), reference, note
    )


NoLetterOption = Annotated[
    bool,
    typer.Option("--no-letter", help="Record the step without writing its letter."),
]


def step_options(
    no_commit: bool, dry_run: bool, no_letter: bool = False
) -> StepOptions:
    from assist1540.steps import StepOptions

    if no_commit and dry_run:
        raise UsageError(
            "--dry-run writes nothing, so it cannot be combined with --no-commit"
        )
    return StepOptions(no_commit=no_commit, dry_run=dry_run, letters=not no_letter)


def report_step(result: StepResult, dry_run: bool) -> None:
    """Print the diff of a dry run, or what was written and committed."""
    if dry_run:
        console.print_data(result.diff.rstrip("\n") or "(no change)")
        for path in result.written:
            console.print_message(f"would write {path}")
        console.print_message("dry run: nothing was written")
        return
    for path in result.written:
        console.print_message(f"wrote {path}")
    if result.outcome is not None:
        for note in result.outcome.notes:
            console.print_message(note)
    if result.commit:
        console.print_message(
            f"{result.outcome.subject if result.outcome else ''} "
            f"({result.commit[:7]}): {result.path}"
        )
    else:
        console.print_message(f"updated {result.path} (not committed)")


def _git_user(repository: DataRepository) -> str | None:
    from assist1540 import gitops
    from assist1540.errors import Assist1540Error

    try:
        identity = gitops.find_identity(gitops.open_git(repository.root))
    except Assist1540Error:
        return None
    return identity.name if identity else None
