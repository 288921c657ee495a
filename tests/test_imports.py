"""Each command imports only the libraries it uses, checked in a real process.

The child runs with `python -X importtime`, which lists on stderr every module
the process imported. These tests check names, never times.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from conftest import VALID_RECORDS, commit_all, make_repo

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# Variables under which rich styles text on any stream, so a styled message
# would import rich in a child whose stderr is a pipe.
COLOUR_VARIABLES = ("FORCE_COLOR", "TTY_COMPATIBLE")

_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", re.MULTILINE)


def imported_modules(args: Sequence[str], cwd: Path) -> set[str]:
    """Run `assist1540 ARGS` in a child process; return the modules it imported."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in COLOUR_VARIABLES
    }
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "assist1540.cli", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return set(_IMPORTED.findall(completed.stderr))


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.fixture(scope="module")
def committed_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("imports"), VALID_RECORDS)
    shutil.copytree(TEMPLATES, root / "templates")
    commit_all(root)
    return root


def test_help_imports_no_command_module(tmp_path: Path) -> None:
    modules = imported_modules(["--help"], tmp_path)
    packages = top_level(modules)
    command_modules = {
        name for name in modules if name.startswith("assist1540.commands.")
    }

    assert "typer" in packages
    for package in ("pydantic", "numpy", "jinja2", "git", "rich", "yaml"):
        assert package not in packages, package
    assert command_modules == {
        "assist1540.commands._app",
        "assist1540.commands._lazy",
    }


# Command, then the packages (or, with a dot, the modules) it must not import.
# rich is left out where a command prints a table.
CASES = [
    (["validate"], ["jinja2", "git", "docx", "openpyxl", "numpy", "rich"]),
    (
        ["validate", "--changed-since", "HEAD"],
        ["jinja2", "git", "docx", "openpyxl", "numpy", "rich"],
    ),
    (
        ["review", "--json", "HEAD"],
        ["jinja2", "git", "docx", "numpy", "rich", "assist1540.models"],
    ),
    (
        ["due", "--json", "--on", "2026-12-01"],
        ["jinja2", "git", "docx", "openpyxl", "numpy", "rich"],
    ),
    (
        ["history", "--json", "mex-2006"],
        ["jinja2", "git", "docx", "numpy", "rich"],
    ),
    (
        ["render", "site", "--out", "{tmp}/site"],
        ["git", "docx", "markdown_it", "openpyxl", "numpy", "pycountry", "babel"],
    ),
    (["status", "mex-2006"], ["jinja2", "git", "docx", "numpy"]),
]


@pytest.mark.parametrize(
    ("args", "absent"), CASES, ids=[" ".join(args) for args, _ in CASES]
)
def test_command_skips_unused_packages(
    args: list[str], absent: list[str], committed_repo: Path, tmp_path: Path
) -> None:
    arguments = [argument.format(tmp=tmp_path) for argument in args]

    modules = imported_modules(["--repo", str(committed_repo), *arguments], tmp_path)
    names = modules | top_level(modules)

    assert "assist1540.commands._app" in names
    for name in absent:
        assert name not in names, name
