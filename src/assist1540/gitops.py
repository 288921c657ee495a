"""Git for the data repository: checks before a step, and the step's own commit.

Only this module imports GitPython, and it does so lazily, so commands that never
touch git start without it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assist1540.errors import RepositoryError

if TYPE_CHECKING:
    from git import Repo

logger = logging.getLogger(__name__)

LOCK_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Identity:
    """Who git records as the author of a commit."""

    name: str
    email: str


def open_git(root: Path) -> Repo:
    """Open the git repository that contains `root`."""
    from git import InvalidGitRepositoryError, NoSuchPathError, Repo

    try:
        return Repo(root, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        raise RepositoryError(
            f"{root} is not inside a git repository; run 'git init' there, or "
            "pass --no-commit to write the files without committing"
        ) from None


def find_identity(git_repo: Repo) -> Identity | None:
    """Return the user name and e-mail git would record, or None when unset.

    Asks git itself, so GIT_AUTHOR_* and GIT_CONFIG_GLOBAL apply as they do
    for a plain `git commit`.
    """
    from git import GitCommandError

    try:
        author = git_repo.git.var("GIT_AUTHOR_IDENT")
    except GitCommandError:
        return None
    name, _, rest = author.partition(" <")
    email = rest.split(">", 1)[0]
    if not name.strip() or not email.strip():
        return None
    return Identity(name.strip(), email.strip())


def check_identity(git_repo: Repo) -> Identity:
    identity = find_identity(git_repo)
    if identity is None:
        raise RepositoryError(
            "git has no user name and e-mail configured, so the step cannot be "
            "committed; run: git config user.name 'Your Name' && git config "
            "user.email you@example.org (or pass --no-commit)"
        )
    return identity


def check_clean(git_repo: Repo, paths: Sequence[Path]) -> None:
    """Reject the step when a file it will change has uncommitted changes."""
    root = Path(git_repo.working_tree_dir or ".")
    for path in paths:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        if not path.exists():
            continue
        status = git_repo.git.status("--porcelain", "--", relative)
        if status.strip():
            raise RepositoryError(
                f"{relative} has uncommitted changes; commit or discard them "
                f"first (git diff -- '{relative}'), so the step's commit holds "
                "only the step"
            )


def warn_if_detached(git_repo: Repo) -> None:
    if git_repo.head.is_detached:
        logger.warning(
            "HEAD is detached, so the commit will be on no branch; run "
            "'git switch -c NAME' afterwards to keep it"
        )


def commit_paths(
    git_repo: Repo, paths: Sequence[Path], subject: str, body: str, identity: Identity
) -> str:
    """Commit exactly `paths`, leaving anything else staged as it was.

    Returns the new commit's hexsha.
    """
    root = Path(git_repo.working_tree_dir or ".").resolve()
    relative = [path.resolve().relative_to(root).as_posix() for path in paths]
    git_repo.git.add("--", *relative)
    message = f"{subject}\n\n{body}".rstrip() + "\n"
    with git_repo.git.custom_environment(
        GIT_AUTHOR_NAME=identity.name,
        GIT_AUTHOR_EMAIL=identity.email,
        GIT_COMMITTER_NAME=identity.name,
        GIT_COMMITTER_EMAIL=identity.email,
    ):
        git_repo.git.commit("--only", "-m", message, "--", *relative)
    sha = git_repo.head.commit.hexsha
    logger.debug("committed %s: %s", sha[:7], subject)
    return sha


def stage_paths(git_repo: Repo, paths: Sequence[Path]) -> None:
    root = Path(git_repo.working_tree_dir or ".").resolve()
    git_repo.git.add("--", *[path.resolve().relative_to(root).as_posix() for path in paths])


@contextmanager
def repository_lock(root: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the repository's lock, so two steps never edit records at once."""
    from filelock import FileLock, Timeout

    # Inside .git the lock never shows in `git status`.
    git_dir = root / ".git"
    lock_path = (git_dir if git_dir.is_dir() else root) / "assist1540.lock"
    lock = FileLock(str(lock_path), timeout=timeout)
    try:
        with lock:
            yield
    except Timeout:
        raise RepositoryError(
            f"another assist1540 command has been changing this repository for "
            f"{timeout:.0f} s ({lock_path} is held); wait for it to finish and "
            "run the command again"
        ) from None
