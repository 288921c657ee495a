"""Problems found in records, and the exceptions a user can act on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, located as precisely as it is known."""

    path: str
    line: int = 0
    column: int = 0
    field: str = ""
    message: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        """Format as `path:line:col: error: field: message`, like compilers do."""
        location = self.path
        if self.line:
            location += f":{self.line}:{self.column or 1}"
        subject = f"{self.field}: " if self.field else ""
        return f"{location}: {self.severity}: {subject}{self.message}"


class Assist1540Error(Exception):
    """An error the user can fix; the CLI prints it without a traceback."""

    exit_code = 1

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = sorted(problems)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join(problem.format() for problem in self.problems)


class RecordError(Assist1540Error):
    """A record file that cannot be read or does not fit its model."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        problem_list = sorted(problems)
        super().__init__(problem_list[0].message if problem_list else "", problem_list)


class RepositoryError(Assist1540Error):
    """The data repository is missing, misconfigured or in a state git rejects."""


class UsageError(Assist1540Error):
    """Options that cannot be combined, or an argument that names nothing."""

    exit_code = 2


class WorkflowError(Assist1540Error):
    """A step of the procedure that the record's status does not allow."""
