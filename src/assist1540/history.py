"""The audit trail of one record from git: who changed which fields, and when."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from assist1540 import gitops
from assist1540.errors import RecordError, UsageError
from assist1540.record_diff import (
    FieldChange,
    added_history,
    describe_changes,
    read_values,
)
from assist1540.repository import (
    RECORD_KINDS,
    RECORD_SUFFIXES,
    DataRepository,
    check_record_id,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Revision:
    """One commit that changed the record, and what it changed."""

    commit: gitops.FileCommit
    # created, changed, renamed, deleted or unreadable
    event: str
    changes: tuple[FieldChange, ...] = ()
    steps: tuple[dict[str, Any], ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class RecordHistory:
    """A record's revisions, newest first, and whether the working tree differs."""

    kind: str
    record_id: str
    path: str
    revisions: tuple[Revision, ...]
    uncommitted: bool = False


def load_history(
    repo: DataRepository, record_id: str, kind: str | None = None
) -> RecordHistory:
    """Read the record's log, following renames, and describe each revision."""
    check_record_id(record_id)
    if kind is not None and kind not in RECORD_KINDS:
        raise UsageError(
            f"invalid --kind '{kind}'; use one of {', '.join(RECORD_KINDS)}"
        )
    git_repo = gitops.open_reader(repo.root)
    worktree = gitops.worktree_root(git_repo)
    prefix = repo.root.resolve().relative_to(worktree).as_posix()
    prefix = "" if prefix == "." else prefix + "/"

    found_kind, path, commits = _find_log(repo, git_repo, prefix, record_id, kind)
    revisions = [_revision(git_repo, commits, index) for index in range(len(commits))]
    current = repo.root / path[len(prefix) :]
    head_bytes = gitops.read_file_at(git_repo, "HEAD", path) if commits else None
    uncommitted = current.is_file() and current.read_bytes() != head_bytes
    return RecordHistory(
        found_kind, record_id, path[len(prefix) :], tuple(revisions), uncommitted
    )


def _find_log(
    repo: DataRepository,
    git_repo: gitops.GitReader,
    prefix: str,
    record_id: str,
    kind: str | None,
) -> tuple[str, str, list[gitops.FileCommit]]:
    """Find the record's file, in the working tree or else in the history."""
    kinds = [kind] if kind is not None else list(RECORD_KINDS)
    present = [
        (name, repo.find_record_file(name, record_id))
        for name in kinds
        if repo.find_record_file(name, record_id) is not None
    ]
    if len(present) > 1:
        names = " and ".join(name for name, _ in present)
        raise UsageError(
            f"'{record_id}' is the id of records in {names}; give --kind to choose one"
        )
    if present:
        name, file = present[0]
        assert file is not None
        path = prefix + file.relative_to(repo.root).as_posix()
        return name, path, gitops.log_file(git_repo, path)

    data = repo.config.data.strip("/")
    for name in kinds:
        for suffix in RECORD_SUFFIXES:
            path = f"{prefix}{data}/{name}/{record_id}{suffix}"
            commits = gitops.log_file(git_repo, path)
            if commits:
                return name, path, commits
    raise UsageError(
        f"no record '{record_id}' in {data}/ or in its git history; check the id "
        "(file names in data/requests, data/offers, ... are the ids)"
    )


def _revision(
    git_repo: gitops.GitReader, commits: list[gitops.FileCommit], index: int
) -> Revision:
    commit = commits[index]
    older = commits[index + 1] if index + 1 < len(commits) else None
    if commit.status == "D":
        return Revision(commit, "deleted")
    new_raw = gitops.read_file_at(git_repo, commit.sha, commit.path)
    old_raw = (
        gitops.read_file_at(git_repo, older.sha, older.path)
        if older is not None and older.status != "D"
        else None
    )
    try:
        new_values = read_values(new_raw or b"", commit.path)
        old_values = read_values(old_raw, older.path) if old_raw and older else None
    except RecordError as error:
        return Revision(commit, "unreadable", problem=str(error).splitlines()[0])

    steps = tuple(added_history(old_values, new_values))
    if old_values is None:
        return Revision(commit, "created", steps=steps)
    event = "renamed" if commit.status == "R" else "changed"
    changes = tuple(describe_changes(old_values, new_values))
    return Revision(commit, event, changes, steps)
