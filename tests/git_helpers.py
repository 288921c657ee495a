"""Run git in test repositories: branches, commits, clones.

Test modules import them with `from git_helpers import git, commit`.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path


def git(root: Path, *arguments: str) -> str:
    """Run git in `root` and return its output, failing the test on an error."""
    completed = subprocess.run(
        ["git", *arguments], cwd=root, check=True, capture_output=True, text=True
    )
    return completed.stdout.strip()


def write(root: Path, relative: str, text: str) -> Path:
    """Write dedented text to a file under `root`, creating its folders."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def commit(root: Path, message: str) -> str:
    """Stage every change and commit it; return the new commit's sha."""
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--allow-empty", "--message", message)
    return git(root, "rev-parse", "HEAD")
