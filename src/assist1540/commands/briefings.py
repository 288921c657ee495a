"""`assist1540 briefing record`: keep the days the Committee was briefed."""

from __future__ import annotations

from typing import Any

import typer

from assist1540.commands._app import RepoOption, app, find_repository, user_errors
from assist1540.commands._steps import (
    DateOption,
    DryRunOption,
    NoCommitOption,
    parse_step_date,
    report_step,
    step_options,
)

briefing_app = typer.Typer(
    help="Record the experts' briefings of the Committee.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(briefing_app, name="briefing")


@briefing_app.command("record")
@user_errors
def record_briefing(
    on: DateOption = None,
    no_commit: NoCommitOption = False,
    dry_run: DryRunOption = False,
    repo: RepoOption = None,
) -> None:
    """Record a briefing of the Committee; 'due' counts the next one from it.

    Example: assist1540 briefing record --date 2026-03-02
    """
    from assist1540 import briefings
    from assist1540.models import Briefings
    from assist1540.steps import update_data_file
    from assist1540.workflow import StepContext

    options = step_options(no_commit, dry_run)
    context = StepContext(parse_step_date(on))
    repository = find_repository(repo)

    def outcome(current: Any) -> Any:
        return briefings.record_briefing(current, context)

    result = update_data_file(
        repository,
        briefings.briefings_path(repository),
        Briefings,
        outcome,
        options,
        briefings.HEADER,
    )
    report_step(result, dry_run)
