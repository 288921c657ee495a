"""benchmarks/generate.py: a 1x repository validates, and a seed fixes every byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assist1540.cli import app

PROJECT_ROOT = Path(__file__).resolve().parents[1]
GENERATE = PROJECT_ROOT / "benchmarks" / "generate.py"
SEED = 7


def _generate(out: Path, seed: int = SEED) -> Path:
    subprocess.run(
        [
            sys.executable,
            str(GENERATE),
            "--scale",
            "1",
            "--out",
            str(out),
            "--seed",
            str(seed),
        ],
        check=True,
        capture_output=True,
    )
    return out


def _files(root: Path) -> dict[str, bytes]:
    """Read every file under `root` except git's own, by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def _git(root: Path, *arguments: str) -> str:
    completed = subprocess.run(
        ["git", *arguments], cwd=root, check=True, capture_output=True, text=True
    )
    return completed.stdout.strip()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("generated") / "repo")


def test_generated_repository_validates(generated: Path) -> None:
    result = CliRunner().invoke(
        app, ["--repo", str(generated), "validate"], catch_exceptions=False
    )

    assert result.stdout == ""
    assert result.stderr.endswith(" files checked: 0 errors\n")
    assert result.exit_code == 0


def test_generated_repository_one_commit(generated: Path) -> None:
    assert _git(generated, "rev-list", "--count", "HEAD") == "1"
    assert _git(generated, "status", "--porcelain") == ""


def test_generated_scale_one_request_count(generated: Path) -> None:
    bundled = [p for p in (PROJECT_ROOT / "data" / "requests").iterdir() if p.is_file()]
    requests = [p for p in (generated / "data" / "requests").iterdir() if p.is_file()]

    assert len(requests) == len(bundled)


def test_generated_same_seed_same_bytes(generated: Path, tmp_path: Path) -> None:
    again = _generate(tmp_path / "again")

    assert _files(again) == _files(generated)
    assert _git(again, "rev-parse", "HEAD") == _git(generated, "rev-parse", "HEAD")


def test_generated_other_seed_other_bytes(generated: Path, tmp_path: Path) -> None:
    other = _generate(tmp_path / "other", seed=SEED + 1)

    assert _files(other) != _files(generated)
