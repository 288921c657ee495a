"""Git for the data repository: checks before a step, the step's commit, history.

Only this module runs git. Steps, which write, go through GitPython, imported
lazily. Read-only queries (review, history, `validate --changed-since`) run the
git program directly through `GitReader`, which saves the import of GitPython,
about 30 ms.
"""

from __future__ import annotations

import logging
import os
import subprocess
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
    """The author name and e-mail that git records on a commit."""

    name: str
    email: str


def open_git(root: Path) -> Repo:
    """Open the git repository that contains `root`."""
    from git import InvalidGitRepositoryError, NoSuchPathError, Repo

    try:
        return Repo(root, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        raise _not_a_repository(root) from None


def _not_a_repository(root: Path) -> RepositoryError:
    return RepositoryError(
        f"{root} is not inside a git repository; run 'git init' there, or "
        "pass --no-commit to write the files without committing"
    )


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
    from git import GitCommandError

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
        try:
            git_repo.git.commit("--only", "-m", message, "--", *relative)
        except GitCommandError as error:
            detail = (error.stderr or "").strip().removeprefix("stderr: ").strip("'\n ")
            raise RepositoryError(
                f"git commit failed ({detail or error.status}); nothing was changed, "
                "so fix the repository and run the step again"
            ) from None
    sha = git_repo.head.commit.hexsha
    logger.debug("committed %s: %s", sha[:7], subject)
    return sha


def unstage_paths(git_repo: Repo, paths: Sequence[Path]) -> None:
    """Return `paths` in the index to their state at HEAD, after a failed step."""
    from git import GitCommandError

    root = Path(git_repo.working_tree_dir or ".").resolve()
    relative = [path.resolve().relative_to(root).as_posix() for path in paths]
    try:
        git_repo.git.reset("--quiet", "--", *relative)
    except GitCommandError as error:
        logger.warning("could not unstage %s: %s", ", ".join(relative), error)


def check_no_operation(git_repo: Repo) -> None:
    """Reject a step while a merge, rebase, cherry-pick or revert is unfinished."""
    git_dir = Path(git_repo.git_dir)
    operations = {
        "MERGE_HEAD": ("a merge", "git merge --abort"),
        "rebase-merge": ("a rebase", "git rebase --abort"),
        "rebase-apply": ("a rebase", "git rebase --abort"),
        "CHERRY_PICK_HEAD": ("a cherry-pick", "git cherry-pick --abort"),
        "REVERT_HEAD": ("a revert", "git revert --abort"),
    }
    for marker, (operation, abort) in operations.items():
        if (git_dir / marker).exists():
            raise RepositoryError(
                f"{operation} is in progress, and a step's commit would mix with it; "
                f"finish it and commit, or run '{abort}', then run the step again"
            )


def stage_paths(git_repo: Repo, paths: Sequence[Path]) -> None:
    root = Path(git_repo.working_tree_dir or ".").resolve()
    git_repo.git.add(
        "--", *[path.resolve().relative_to(root).as_posix() for path in paths]
    )


@contextmanager
def repository_lock(
    root: Path, timeout: float = LOCK_TIMEOUT_SECONDS
) -> Iterator[None]:
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


# --- Reading history: changed files, files at a commit, a file's log --------------


class GitCommandFailedError(Exception):
    """A git command exited with an error; `stderr` contains git's message."""

    def __init__(self, arguments: Sequence[str], status: int, stderr: str) -> None:
        super().__init__(f"git {' '.join(arguments)} failed ({status}): {stderr}")
        self.status = status
        self.stderr = stderr


@dataclass(frozen=True)
class GitReader:
    """A git repository opened for queries that change nothing.

    Each query runs the git program once, in the work tree root, or in the git
    folder of a bare repository (`working_tree_dir` None).
    """

    git_dir: Path
    working_tree_dir: Path | None

    def run_bytes(self, *arguments: str, stdin: bytes | None = None) -> bytes:
        """Run `git ARGUMENTS` and return its output unchanged.

        Raises:
            GitCommandFailedError: git exited with an error.
        """
        folder = self.working_tree_dir or self.git_dir
        # Paths in git's output come unquoted, as they are, even when they
        # contain characters outside ASCII.
        completed = subprocess.run(
            ["git", "-c", "core.quotePath=false", *arguments],
            cwd=folder,
            input=stdin,
            capture_output=True,
            check=False,
        )
        if completed.returncode != 0:
            stderr = os.fsdecode(completed.stderr).strip()
            raise GitCommandFailedError(arguments, completed.returncode, stderr)
        return completed.stdout

    def run(self, *arguments: str) -> str:
        """Run `git ARGUMENTS` and return its output as text, less one final newline.

        Raises:
            GitCommandFailedError: git exited with an error.
        """
        output = self.run_bytes(*arguments).decode("utf-8", "surrogateescape")
        return output.removesuffix("\n")


def open_reader(root: Path) -> GitReader:
    """Open the git repository that contains `root` for queries.

    Raises:
        RepositoryError: `root` is in no git repository, or git is not installed.
    """
    if not root.is_dir():
        raise _not_a_repository(root)
    query = ["--is-bare-repository", "--absolute-git-dir", "--show-toplevel"]
    try:
        completed = subprocess.run(
            ["git", "rev-parse", *query],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise RepositoryError(
            "the git program was not found; install git and make sure it is on "
            "PATH, then run the command again"
        ) from None
    lines = completed.stdout.decode("utf-8", "surrogateescape").splitlines()
    # In a bare repository git prints the first two values, then fails on
    # --show-toplevel, which needs a work tree.
    if len(lines) >= 2 and lines[0] == "true":
        return GitReader(Path(lines[1]), None)
    if completed.returncode != 0 or len(lines) < 3:
        raise _not_a_repository(root)
    return GitReader(Path(lines[1]), Path(lines[2]))


@dataclass(frozen=True)
class ChangedPath:
    """A file that differs between a commit and the working tree.

    `status` is git's letter (A, M, D, R, T), or `?` for an untracked file.
    Paths are relative to the work tree root, and `old_path` is set for a rename.
    """

    status: str
    path: str
    old_path: str | None = None


@dataclass(frozen=True)
class FileCommit:
    """One commit in a file's log, with the file's path in that commit."""

    sha: str
    date: str
    author: str
    email: str
    subject: str
    status: str
    path: str
    old_path: str | None = None


# Separates the fields of `git log --format`; record paths never contain it.
_FIELD_SEPARATOR = "\x1f"
_COMMIT_MARKER = "\x1e"


def worktree_root(git_repo: GitReader) -> Path:
    """Return the root of the work tree, where git's paths start."""
    if git_repo.working_tree_dir is None:
        raise RepositoryError(
            f"{git_repo.git_dir} is a bare git repository; run the command in a "
            "clone that has a working tree"
        )
    return git_repo.working_tree_dir.resolve()


def find_commit(git_repo: GitReader, ref: str) -> str | None:
    """Return the full sha that `ref` names, or None when git cannot resolve it."""
    if ref.startswith("-"):
        return None
    try:
        sha = git_repo.run(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
        )
    except GitCommandFailedError:
        return None
    return sha.strip() or None


def find_merge_base(
    git_repo: GitReader, first: str, second: str = "HEAD"
) -> str | None:
    """Return the best common ancestor of two commits, or None when there is none."""
    try:
        sha = git_repo.run("merge-base", first, second)
    except GitCommandFailedError:
        return None
    return sha.strip() or None


def is_shallow(git_repo: GitReader) -> bool:
    """Tell whether the clone has only part of the history (`--depth`)."""
    return git_repo.run("rev-parse", "--is-shallow-repository").strip() == "true"


def find_main_branch(git_repo: GitReader) -> str | None:
    """Return `main`, `master` or the remote's default branch, the first that exists."""
    candidates = ["main", "master"]

    try:
        remote_head = git_repo.run(
            "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"
        )
        candidates.append(remote_head.strip().removeprefix("refs/remotes/"))
    except GitCommandFailedError:
        pass
    candidates += ["origin/main", "origin/master"]
    for name in candidates:
        if find_commit(git_repo, name) is not None:
            return name
    return None


def list_changes(git_repo: GitReader, base: str, folder: str = "") -> list[ChangedPath]:
    """List the files under `folder` that differ from `base` in the working tree.

    Staged and unstaged changes both count, renames are detected as `git diff
    -M` detects them, and untracked files that .gitignore does not exclude are
    listed as `?`.
    """
    pathspec = ["--", folder] if folder else []
    output = git_repo.run(
        "diff", "--name-status", "-z", "-M", "--no-ext-diff", base, *pathspec
    )
    changes = _parse_name_status(output.split("\0"))
    untracked = git_repo.run(
        "ls-files", "--others", "--exclude-standard", "-z", "--full-name", *pathspec
    )
    changes.extend(ChangedPath("?", path) for path in untracked.split("\0") if path)
    logger.debug("%d files changed since %s", len(changes), base[:12])
    return changes


def _parse_name_status(fields: list[str]) -> list[ChangedPath]:
    changes = []
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index][0]
        if status in "RC":
            old_path, path = fields[index + 1], fields[index + 2]
            index += 3
            changes.append(
                ChangedPath(status, path, old_path)
                if status == "R"
                else ChangedPath("A", path)
            )
        else:
            changes.append(ChangedPath(status, fields[index + 1]))
            index += 2
    return changes


def read_files_at(
    git_repo: GitReader, rev: str, folder: str, max_bytes: int
) -> dict[str, bytes]:
    """Read every file under `folder` as it was in commit `rev`.

    Keys are paths relative to the work tree root. A folder missing in that
    commit gives an empty mapping. A file is read up to `max_bytes` + 1 bytes,
    so a caller can tell that it is too long without holding all of it.
    Symbolic links read as their target's name, the way git stores them, and
    submodules are left out.
    """
    pathspec = ["--", folder] if folder else []
    listing = git_repo.run_bytes(
        "--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", rev, *pathspec
    )
    blobs: list[tuple[str, str]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        header, _, raw_path = entry.partition(b"\t")
        _mode, kind, sha = header.decode("ascii").split(" ")
        if kind == "blob":
            blobs.append((sha, raw_path.decode("utf-8", "surrogateescape")))
    if not blobs:
        return {}
    shas = "".join(f"{sha}\n" for sha, _ in blobs).encode("ascii")
    contents = _read_blobs(git_repo.run_bytes("cat-file", "--batch", stdin=shas))
    return {
        path: content[: max_bytes + 1]
        for (_, path), content in zip(blobs, contents, strict=True)
    }


def _read_blobs(output: bytes) -> list[bytes]:
    """Split the output of `git cat-file --batch` into the objects' contents.

    Each object is a header line `SHA TYPE SIZE`, SIZE bytes, and a newline.
    """
    contents = []
    position = 0
    while position < len(output):
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split(b" ")[2])
        start = header_end + 1
        contents.append(output[start : start + size])
        position = start + size + 1
    return contents


def read_file_at(git_repo: GitReader, rev: str, path: str) -> bytes | None:
    """Read one file as it was in commit `rev`, or None when it was not there."""
    try:
        return git_repo.run_bytes("cat-file", "blob", f"{rev}:{path}")
    except GitCommandFailedError:
        return None


def log_file(git_repo: GitReader, path: str) -> list[FileCommit]:
    """List the commits that changed `path`, newest first, following renames."""
    fields = _FIELD_SEPARATOR.join(["%H", "%aI", "%an", "%ae", "%s"])
    try:
        output = git_repo.run(
            "log",
            "--follow",
            "-M",
            "--name-status",
            f"--format={_COMMIT_MARKER}{fields}",
            "--",
            path,
        )
    except GitCommandFailedError:
        return []
    commits = []
    for block in str(output).split(_COMMIT_MARKER):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        sha, day, author, email, subject = lines[0].split(_FIELD_SEPARATOR, 4)
        status_line = lines[1].split("\t") if len(lines) > 1 else ["M", path]
        status = status_line[0][:1]
        old_path = status_line[1] if status == "R" else None
        commits.append(
            FileCommit(
                sha, day, author, email, subject, status, status_line[-1], old_path
            )
        )
    return commits


def init_repository(root: Path) -> None:
    """Make `root` a new git repository whose first branch is `main`."""
    from git import Repo

    Repo.init(root, initial_branch="main")
    logger.debug("initialised a git repository in %s", root)
