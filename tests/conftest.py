"""Helpers and fixtures that build small data repositories under tmp_path.

Test modules import the helpers with `from conftest import make_repo, run_cli`.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from assist1540.cli import app
from assist1540.errors import RecordError
from assist1540.reader import parse_yaml
from assist1540.repository import DataRepository
from assist1540.validation import validate_repository

# Environment for every test: a fixed git identity and no user or system git
# config, a fixed terminal width without colour, no repository from the shell,
# and no GitHub Actions paths, which change annotations and add a job summary.
TEST_ENVIRONMENT = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "COLUMNS": "100",
    "TERM": "dumb",
    "NO_COLOR": "1",
}
UNSET_ENVIRONMENT = (
    "ASSIST1540_REPO",
    "FORCE_COLOR",
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_WORKSPACE",
)

CONFIG = """\
[assist1540]
data = "data"
"""

TAXONOMY = """\
version: 1
areas:
  - id: op2-legislation
    matrix_ref: "OP2"
    description: Laws that prohibit and penalise non-State actors' activities.
    keywords:
      en: [legislation, penal code]
      fr: [législation]
      es: [legislación]
  - id: op3c-border-law-enforcement
    matrix_ref: "OP3(c)"
    description: Border, customs and police measures against illicit trafficking.
    keywords:
      en: [customs, border control]
  - id: op3d-export-control
    matrix_ref: "OP3(d)"
    description: Controls on export, transit, trans-shipment and re-export.
weapons:
  - id: nuclear
    description: Nuclear weapons and related materials.
  - id: chemical
    description: Chemical weapons and related materials.
  - id: biological
    description: Biological weapons and related materials.
types:
  - id: training
    description: Courses and exercises.
  - id: equipment
    description: Detection and other equipment.
  - id: legal-drafting
    description: Help drafting laws and regulations.
"""

REQUEST = """\
state: Mexico
iso3: MEX
received: "2006"
items:
  - summary: Train customs officers to spot weapons-related materials.
    areas: [op3c-border-law-enforcement]
    weapons: [nuclear, chemical]
    types: [training]
  - summary: Money to buy detection equipment.
    areas: [op3c-border-law-enforcement]
    types: [equipment]
"""

PROVIDER = """\
name: Canada
kind: state
iso3: CAN
areas: [op2-legislation, op3c-border-law-enforcement]
weapons: [nuclear, chemical, biological]
types: [training, legal-drafting]
programmes:
  - name: Counter-Terrorism Capacity Building Program
    summary: Training and legal drafting help for counter-terrorism laws.
    areas: [op2-legislation]
    types: [legal-drafting, training]
"""

OFFER = """\
request: mex-2006
items: [1]
provider: canada
programme: Counter-Terrorism Capacity Building Program
received: 2007-03-01
summary: A customs training course in Ottawa.
"""

# One valid record of each kind that refers to the others.
VALID_RECORDS = {
    "data/requests/mex-2006.yaml": REQUEST,
    "data/providers/canada.yaml": PROVIDER,
    "data/offers/can-mex-2006.yaml": OFFER,
}


@pytest.fixture(autouse=True, scope="session")
def _test_environment() -> Iterator[None]:
    """Set TEST_ENVIRONMENT for the whole session and restore the old one after."""
    saved = dict(os.environ)
    os.environ.update(TEST_ENVIRONMENT)
    for name in UNSET_ENVIRONMENT:
        os.environ.pop(name, None)
    yield
    os.environ.clear()
    os.environ.update(saved)


def make_repo(tmp_path: Path, files: Mapping[str, str | bytes | None]) -> Path:
    """Write a data repository under tmp_path/repo and return its root.

    It gets assist1540.toml, data/taxonomy.yaml and `files`, which maps a path
    relative to the root to its text (dedented) or bytes (written unchanged).
    A path mapped to None is not written, which also leaves a default file out.
    """
    root = tmp_path / "repo"
    defaults: dict[str, str | bytes | None] = {
        "assist1540.toml": CONFIG,
        "data/taxonomy.yaml": TAXONOMY,
    }
    for relative, content in {**defaults, **files}.items():
        if content is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8", newline="")
    for kind in ("requests", "offers", "providers"):
        (root / "data" / kind).mkdir(parents=True, exist_ok=True)
    return root


def commit_all(root: Path, message: str = "Add test records") -> None:
    """Make `root` a git repository, if it is not one, and commit every file."""
    if not (root / ".git").exists():
        _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "--allow-empty", "--message", message)


def _git(root: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=root, check=True, capture_output=True)


@pytest.fixture
def data_repo(tmp_path: Path) -> Path:
    """A committed git repository with VALID_RECORDS; returns its root."""
    root = make_repo(tmp_path, VALID_RECORDS)
    commit_all(root)
    return root


def run_cli(
    args: Sequence[str],
    repo: Path | None = None,
    env: Mapping[str, str | None] | None = None,
) -> Result:
    """Run `assist1540 [--repo REPO] ARGS` and return the result.

    result.stdout and result.stderr are separate. Exceptions that escape the
    command fail the test instead of being kept in result.exception, so a
    traceback can never pass unnoticed.
    """
    prefix = ["--repo", str(repo)] if repo is not None else []
    return CliRunner().invoke(app, [*prefix, *args], env=env, catch_exceptions=False)


def problem_lines(root: Path, *paths: Path) -> list[str]:
    """Validate the repository at `root`; return each problem as validate prints it."""
    repository = DataRepository.open(root, "test")
    report = validate_repository(repository, list(paths) or None)
    return [problem.format() for problem in report.problems]


def parse_outcome(text: str, fast: bool, line_offset: int = 0) -> object:
    """Parse with one parser; return (values, positions, key positions) or problems."""
    try:
        document = parse_yaml(text, "record.yaml", line_offset=line_offset, fast=fast)
    except RecordError as error:
        return [
            (problem.line, problem.column, problem.field, problem.message)
            for problem in error.problems
        ]
    return (document.values, document.positions, document.key_positions)


def comparable(outcome: object, other: object) -> object:
    """Drop the messages from `outcome` when either parser reports a syntax error.

    libyaml and ruamel.yaml word syntax errors differently, so only the position
    and field of those can be compared.
    """
    if not isinstance(outcome, list) or not isinstance(other, list):
        return outcome
    messages = [problem[3] for problem in [*outcome, *other]]
    if not any(message.startswith("invalid YAML:") for message in messages):
        return outcome
    return [problem[:3] for problem in outcome]
