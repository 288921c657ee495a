"""The result of `validate`: the problems found and the number of files checked."""

from __future__ import annotations

from dataclasses import dataclass, field

from assist1540.errors import Problem


@dataclass
class ValidationReport:
    """The problems found, and how many files were checked."""

    problems: list[Problem] = field(default_factory=list)
    checked_files: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def is_valid(self) -> bool:
        return not self.errors
