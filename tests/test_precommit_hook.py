"""pre-commit runs `assist1540 validate` on a data repository made by `init`.

The hook comes from this project's .pre-commit-hooks.yaml: the project's files
are committed to a scratch git repository, which the data repository names by
its path, so pre-commit installs the hook as it would from a published rev. The
installation needs PyPI for assist1540's dependencies and nothing else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REQUEST, run_cli
from git_helpers import commit, git, write

PROJECT_ROOT = Path(__file__).parents[1]
BAD_REQUEST = REQUEST.replace('received: "2006"', "received: 2006-02-30")
BAD_LINE = (
    "data/requests/bad.yaml:3:11: error: received: invalid date '2006-02-30': day "
    "30 does not exist in 2006-02"
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Commit the project's working tree to a scratch repository and return its rev."""
    target = tmp_path_factory.mktemp("assist1540-project")
    listed = git(
        PROJECT_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z"
    )
    for relative in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / relative
        if source.is_file() and not source.is_symlink():
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    git(target, "init", "--quiet", "--initial-branch=main")
    return target, commit(target, "Project snapshot for the hook test")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module, so the hook's environment is installed once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """A data repository made by `init`, with one valid request committed."""
    root = tmp_path / "records"
    assert run_cli(["init", str(root)]).exit_code == 0
    result = run_cli(
        [
            "new",
            "request",
            "--state",
            "MEX",
            "--received",
            "2026-01-02",
            "--item",
            "Customs training",
            "--no-commit",
        ],
        repo=root,
    )
    assert result.exit_code == 0, result.stderr
    commit(root, "Start the data repository")
    return root


def _pre_commit(
    root: Path, home: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        # The init hook runs the assist1540 installed beside this Python.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *arguments],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _use_project_hook(root: Path, hook_repository: tuple[Path, str]) -> None:
    path, rev = hook_repository
    write(
        root,
        ".pre-commit-config.yaml",
        f"""\
        repos:
          - repo: {path}
            rev: {rev}
            hooks:
              - id: assist1540-validate
        """,
    )
    git(root, "add", ".pre-commit-config.yaml")


def test_project_hook_passes_and_fails(
    records: Path, hook_repository: tuple[Path, str], pre_commit_home: Path
) -> None:
    _use_project_hook(records, hook_repository)

    passed = _pre_commit(records, pre_commit_home, "run", "--all-files")
    write(records, "data/requests/bad.yaml", BAD_REQUEST)
    git(records, "add", "data/requests/bad.yaml")
    failed = _pre_commit(records, pre_commit_home, "run", "--all-files")

    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "assist1540 validate" in passed.stdout
    assert "Passed" in passed.stdout
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert BAD_LINE in failed.stdout


def test_project_hook_checks_staged_file(
    records: Path, hook_repository: tuple[Path, str], pre_commit_home: Path
) -> None:
    _use_project_hook(records, hook_repository)
    write(records, "data/requests/bad.yaml", BAD_REQUEST)
    git(records, "add", "data/requests/bad.yaml")

    result = _pre_commit(records, pre_commit_home, "run")

    assert result.returncode == 1, result.stdout + result.stderr
    assert BAD_LINE in result.stdout
    assert "checked: 1 error" in result.stdout


def test_init_config_hook_runs(records: Path, pre_commit_home: Path) -> None:
    passed = _pre_commit(records, pre_commit_home, "run", "--all-files")
    write(records, "data/requests/bad.yaml", BAD_REQUEST)
    git(records, "add", "data/requests/bad.yaml")
    failed = _pre_commit(records, pre_commit_home, "run", "--all-files")

    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert BAD_LINE in failed.stdout
