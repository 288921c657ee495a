"""The record of the experts' briefings of the Committee, data/briefings.yaml.

The file contains one list, `briefings`, of the days the Committee was briefed.
`assist1540 due` counts the next briefing from the last of them.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from assist1540.catalog import validate_document
from assist1540.errors import WorkflowError
from assist1540.models import Briefings
from assist1540.reader import read_document
from assist1540.repository import DataRepository
from assist1540.workflow import Change, StepContext, StepOutcome, make_outcome

BRIEFINGS_FILE = "briefings.yaml"
HEADER = (
    "# Days the experts briefed the 1540 Committee, oldest first.\n"
    "# Add one with: assist1540 briefing record --date YYYY-MM-DD\n"
)


def briefings_path(repo: DataRepository) -> Path:
    return repo.data_dir / BRIEFINGS_FILE


def load_briefings(repo: DataRepository) -> Briefings:
    """Read data/briefings.yaml; a missing file means no briefing yet.

    Raises:
        RecordError: when the file is not a valid list of days.
    """
    path = briefings_path(repo)
    if not path.is_file():
        return Briefings()
    document = read_document(path, repo.relative(path))
    return validate_document(document, Briefings, None)


def record_briefing(briefings: Briefings | None, context: StepContext) -> StepOutcome:
    """Add the day of a briefing, keeping the list in date order."""
    days: list[date] = list(briefings.briefings) if briefings else []
    if context.on in days:
        raise WorkflowError(
            f"a briefing on {context.on.isoformat()} is already recorded; give "
            "the day of another briefing with --date"
        )
    days = sorted([*days, context.on])
    outcome = make_outcome(
        "briefing",
        f"Record briefing of the Committee on {context.on.isoformat()}",
        [Change(("briefings",), [day.isoformat() for day in days])],
        context,
    )
    # The file keeps days only, so the step adds no history entry.
    return dataclasses.replace(outcome, history={})
