"""Problems found in records, and the exceptions a user can act on."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

# A file with more problems than this is mostly wrong as a whole. The rest are
# counted in one line, so that the other files' problems stay readable.
MAX_PROBLEMS_PER_FILE = 50

_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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
        line = f"{location}: {self.severity}: {subject}{self.message}"
        return _CONTROL_CHARACTER.sub(_escape_character, line)


def _escape_character(found: re.Match[str]) -> str:
    """Write a line break or other control character as an escape, keeping one line."""
    return found[0].encode("unicode_escape").decode("ascii")


def describe_value(value: Any) -> str:
    """Describe a value read from a record in YAML's words, for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


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
        problem_list = _limit_problems(sorted(problems))
        super().__init__(problem_list[0].message if problem_list else "", problem_list)


def _limit_problems(problems: list[Problem]) -> list[Problem]:
    """Keep the first MAX_PROBLEMS_PER_FILE problems and count the rest in one more."""
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    first_hidden = problems[MAX_PROBLEMS_PER_FILE]
    hidden = len(problems) - MAX_PROBLEMS_PER_FILE
    summary = Problem(
        first_hidden.path,
        first_hidden.line,
        first_hidden.column,
        message=f"{hidden:,} more problems in this file are not shown; fix the ones "
        "above and run validate again",
    )
    return [*problems[:MAX_PROBLEMS_PER_FILE], summary]


class RepositoryError(Assist1540Error):
    """The data repository is missing, misconfigured or in a state git rejects.

    No record was checked, so the exit status is 2, as for usage errors. Status 1
    means that the records were read and some are invalid.
    """

    exit_code = 2


class UsageError(Assist1540Error):
    """Options that cannot be combined, or an argument that names nothing."""

    exit_code = 2


class WorkflowError(Assist1540Error):
    """A step of the procedure that the record's status does not allow."""
