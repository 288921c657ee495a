"""Find the records changed since a git ref, and check them and their referrers."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from assist1540 import gitops
from assist1540.config import CONFIG_FILE
from assist1540.errors import Assist1540Error, RepositoryError, UsageError
from assist1540.reader import MAX_FILE_BYTES
from assist1540.repository import RECORD_KINDS, DataRepository

# `review` reads snapshots only, so the record models and validation that a
# partial `validate` needs are imported where that run uses them.
if TYPE_CHECKING:
    from assist1540.catalog import Catalog
    from assist1540.validation_report import ValidationReport

logger = logging.getLogger(__name__)

RecordKey = tuple[str, str]

# Files that decide which assist1540 runs and with which settings, relative to
# the data repository's root: a change to one can change the result for every
# record, like a change to the taxonomy.
_TOOL_FILES = (
    CONFIG_FILE,
    ".pre-commit-config.yaml",
    "pyproject.toml",
    "requirements.txt",
)
_TOOL_FOLDERS = ("schemas/", ".github/workflows/")


class MissingHistoryError(RepositoryError):
    """Git cannot find the commit to compare with, because the clone lacks history."""


@dataclass(frozen=True)
class ChangeScope:
    """The records changed since a ref, or the reason every record is checked.

    `warning` is set when git could not tell what changed (a shallow clone, an
    unrelated history), so that a full run never passes for a partial one.
    """

    ref: str
    base: str | None = None
    full_run: bool = False
    reason: str = ""
    warning: str | None = None
    changed: frozenset[RecordKey] = frozenset()
    deleted: frozenset[RecordKey] = frozenset()


@dataclass
class ChangedRecords:
    """The records a partial run reports on, and the others it reads to check them."""

    selected: set[RecordKey] = field(default_factory=set)
    dependencies: set[RecordKey] = field(default_factory=set)


def find_changes(repo: DataRepository, ref: str) -> ChangeScope:
    """Compare the working tree with the merge base of `ref` and HEAD."""
    try:
        git_repo = gitops.open_reader(repo.root)
    except Assist1540Error:
        return _fallback(
            ref,
            f"{repo.root} is not inside a git repository, so no change since "
            f"'{ref}' can be found",
        )

    try:
        base = resolve_base(git_repo, ref, purpose="--changed-since")
    except MissingHistoryError as error:
        return _fallback(ref, error.message)

    worktree = gitops.worktree_root(git_repo)
    prefix = _prefix(repo.root, worktree)
    changes = gitops.list_changes(git_repo, base)
    relative = [_relative_change(change, prefix) for change in changes]
    return _scope_from_changes(repo, ref, base, [c for c in relative if c is not None])


def resolve_base(
    git_repo: gitops.GitReader, ref: str, purpose: str, head: str = "HEAD"
) -> str:
    """Return the merge base of `ref` and `head`.

    Raises:
        UsageError: a complete clone has no commit of that name.
        MissingHistoryError: a shallow clone lacks the commit, or the two
            commits have no common ancestor.
    """
    shallow = gitops.is_shallow(git_repo)
    commit = gitops.find_commit(git_repo, ref)
    if commit is None and not shallow:
        raise UsageError(
            f"{purpose} '{ref}': git cannot resolve it to a commit; give a branch, "
            "tag or commit that exists here (git branch --all lists the branches)"
        )
    if commit is None:
        raise MissingHistoryError(
            f"this clone is shallow and does not contain '{ref}'; fetch it, or "
            "clone with the full history (actions/checkout: fetch-depth: 0)"
        )
    base = gitops.find_merge_base(git_repo, commit, head)
    if base is None:
        why = (
            "this clone is shallow, so their common ancestor is missing; fetch "
            "more history (actions/checkout: fetch-depth: 0)"
            if shallow
            else "they share no history"
        )
        raise MissingHistoryError(
            f"git finds no merge base of '{ref}' and {head}: {why}"
        )
    return base


def _fallback(ref: str, why: str) -> ChangeScope:
    warning = f"checking every record instead of those changed since '{ref}': {why}"
    logger.debug(warning)
    return ChangeScope(ref, full_run=True, reason=why, warning=warning)


def _prefix(root: Path, worktree: Path) -> str:
    """Return the data repository's folder inside the work tree, as `a/b/` or ``."""
    relative = root.resolve().relative_to(worktree).as_posix()
    return "" if relative == "." else relative + "/"


def _relative_change(
    change: gitops.ChangedPath, prefix: str
) -> gitops.ChangedPath | None:
    """Make a change's paths relative to the data repository, or drop it."""
    path = _strip(change.path, prefix)
    old_path = _strip(change.old_path, prefix) if change.old_path else None
    if path is None and old_path is None:
        return None
    if path is None:
        return gitops.ChangedPath("D", str(old_path))
    if change.old_path and old_path is None:
        return gitops.ChangedPath("A", path)
    return gitops.ChangedPath(change.status, path, old_path)


def _strip(path: str | None, prefix: str) -> str | None:
    if path is None or not path.startswith(prefix):
        return None
    return path[len(prefix) :]


def _scope_from_changes(
    repo: DataRepository, ref: str, base: str, changes: list[gitops.ChangedPath]
) -> ChangeScope:
    data = repo.config.data.strip("/")
    package = _package_folder(repo)
    changed: set[RecordKey] = set()
    deleted: set[RecordKey] = set()
    for change in changes:
        reason = _full_run_reason(change.path, data, package) or (
            _full_run_reason(change.old_path, data, package) if change.old_path else ""
        )
        if reason:
            logger.debug("full run: %s", reason)
            return ChangeScope(ref, base, full_run=True, reason=reason)
        key = record_key(change.path, data)
        if key is not None and change.status != "D":
            changed.add(key)
        elif key is not None:
            deleted.add(key)
        old_key = record_key(change.old_path, data) if change.old_path else None
        if old_key is not None:
            deleted.add(old_key)
    return ChangeScope(
        ref, base, changed=frozenset(changed), deleted=frozenset(deleted - changed)
    )


def _package_folder(repo: DataRepository) -> str | None:
    """Return the assist1540 package's folder when it lies in the data repository.

    That is the case in assist1540's own repository, whose `data/` is a data
    repository: a change to the models or the rules changes every record's result.
    """
    package = Path(__file__).resolve().parent
    try:
        return package.relative_to(repo.root.resolve()).as_posix() + "/"
    except ValueError:
        return None


def _full_run_reason(path: str | None, data: str, package: str | None) -> str:
    if path is None:
        return ""
    if path == f"{data}/taxonomy.yaml":
        return f"{path} changed, and every record is checked against the taxonomy"
    if package is not None and path.startswith(package):
        return f"{path} changed, and it is part of assist1540's models and rules"
    if path in _TOOL_FILES or path.startswith(_TOOL_FOLDERS):
        return f"{path} changed, and it sets how assist1540 checks every record"
    return ""


def record_key(path: str | None, data: str) -> RecordKey | None:
    """Return (kind, id) for a path `data/<kind>/<file>`, or None for other files."""
    if path is None:
        return None
    parts = PurePosixPath(path).parts
    data_parts = PurePosixPath(data).parts
    if len(parts) != len(data_parts) + 2 or parts[: len(data_parts)] != data_parts:
        return None
    kind, name = parts[-2], parts[-1]
    if kind not in RECORD_KINDS or name.startswith("."):
        return None
    return kind, PurePosixPath(name).stem


# --- Checking the changed records ---------------------------------------------------


@dataclass(frozen=True)
class _SelectedRepository(DataRepository):
    """A data repository that lists only the record files of some ids.

    NOTE: this selects records only while load_catalog finds files through
    record_files; a loader cache keyed by the root would need the keys as well.
    """

    keys: frozenset[RecordKey] = frozenset()

    def record_files(self, kind: str) -> list[Path]:
        files = super().record_files(kind)
        return [path for path in files if (kind, path.stem) in self.keys]


def select_records(repo: DataRepository, scope: ChangeScope) -> ChangedRecords:
    """Select the changed records and those that refer to them or that they name.

    Offers refer to requests and providers, so an offer naming a changed or
    deleted request or provider is checked again, and so are the request and
    provider that a changed offer names. Each selected offer's request and
    provider are read as dependencies, so that its references check as in a
    full run.
    """
    targets = {key for key in scope.changed | scope.deleted if key[0] != "offers"}
    changed_offers = {key for key in scope.changed if key[0] == "offers"}
    if targets:
        offers = _load(repo, None, kinds=("offers",))
    else:
        offers = _load(repo, changed_offers)

    records = ChangedRecords(selected=set(scope.changed))
    for offer_id, entry in offers.offers.items():
        names = {
            ("requests", entry.record.request),
            ("providers", entry.record.provider),
        }
        if ("offers", offer_id) in changed_offers:
            records.selected |= names
        if names & targets:
            records.selected.add(("offers", offer_id))
    for offer_id, entry in offers.offers.items():
        if ("offers", offer_id) in records.selected:
            records.dependencies.add(("requests", entry.record.request))
            records.dependencies.add(("providers", entry.record.provider))
    return records


def validate_changes(repo: DataRepository, scope: ChangeScope) -> ValidationReport:
    """Report the problems of the selected records, as a full run reports them."""
    from assist1540.validation import check_references
    from assist1540.validation_report import ValidationReport

    records = select_records(repo, scope)
    catalog = _load(repo, records.selected | records.dependencies)
    problems = catalog.problems + check_references(catalog)

    data = repo.config.data.strip("/")
    selected = [p for p in problems if record_key(p.path, data) in records.selected]
    checked = sum(
        1
        for kind in RECORD_KINDS
        for path in repo.record_files(kind)
        if (kind, path.stem) in records.selected
    )
    return ValidationReport(sorted(set(selected)), checked)


def _load(
    repo: DataRepository,
    keys: set[RecordKey] | None,
    kinds: tuple[str, ...] = RECORD_KINDS,
) -> Catalog:
    """Load the taxonomy and the records of `keys`, or every record of `kinds`."""
    from assist1540.catalog import load_catalog

    if keys is None:
        keys = {(kind, path.stem) for kind in kinds for path in repo.record_files(kind)}
    subset = _SelectedRepository(repo.root, repo.config, frozenset(keys))
    # A subset would replace the cache of the whole repository with its few
    # records.
    return load_catalog(subset, store_cache=False)


# --- Snapshots for `review` ----------------------------------------------------------


@dataclass(frozen=True)
class ReviewSnapshots:
    """The record files on both sides of a review, with a label for each side."""

    base: dict[str, bytes]
    head: dict[str, bytes]
    base_label: str
    head_label: str


def load_review_snapshots(repo: DataRepository, spec: str | None) -> ReviewSnapshots:
    """Read the record files at the base and the head of `spec`.

    `spec` is `BASE..HEAD` or `BASE...HEAD` (the changes of the commits in HEAD
    that BASE lacks, compared from their merge base, as GitHub shows a pull
    request), or `BASE` (its merge base with HEAD, up to the working tree), or
    None (the merge base with main, master or the remote's default branch).
    """
    git_repo = gitops.open_reader(repo.root)
    base_ref, head_ref = _parse_range(git_repo, spec)
    head_commit = "HEAD" if head_ref is None else head_ref
    if head_ref is not None and gitops.find_commit(git_repo, head_ref) is None:
        raise UsageError(
            f"review '{spec}': git cannot resolve '{head_ref}' to a commit; give a "
            "branch, tag or commit that exists here"
        )
    base = resolve_base(git_repo, base_ref, "review", head_commit)

    prefix = _prefix(repo.root, gitops.worktree_root(git_repo))
    base_files = _snapshot_at(git_repo, base, prefix, repo.config.data)
    if head_ref is None:
        head_files = _working_snapshot(repo)
        head_label = "working tree"
    else:
        head_files = _snapshot_at(git_repo, head_ref, prefix, repo.config.data)
        head_label = head_ref
    return ReviewSnapshots(
        base_files, head_files, f"{base_ref} (merge base {base[:7]})", head_label
    )


def _parse_range(
    git_repo: gitops.GitReader, spec: str | None
) -> tuple[str, str | None]:
    if spec is None:
        main = gitops.find_main_branch(git_repo)
        if main is None:
            raise UsageError(
                "review: found no main or master branch to compare with; give the "
                "range, e.g. assist1540 review origin/develop..HEAD"
            )
        return main, None
    separator = None
    if "..." in spec:
        separator = "..."
    elif ".." in spec:
        separator = ".."
    if separator is None:
        return spec, None
    base, head = spec.split(separator, 1)
    if not base:
        raise UsageError(
            f"review '{spec}': the range has no base; write BASE..HEAD, e.g. main..HEAD"
        )
    return base, head or "HEAD"


def _snapshot_at(
    git_repo: gitops.GitReader, rev: str, prefix: str, data: str
) -> dict[str, bytes]:
    folder = prefix + data.strip("/")
    files = gitops.read_files_at(git_repo, rev, folder, MAX_FILE_BYTES)
    return {path[len(prefix) :]: content for path, content in files.items()}


def _working_snapshot(repo: DataRepository) -> dict[str, bytes]:
    """Read the record files in the working tree, as git would store them.

    A symbolic link is taken as its target's name, the way git stores a link,
    so that no file outside the repository is read.
    """
    files = {}
    for kind in RECORD_KINDS:
        for path in repo.record_files(kind):
            relative = path.relative_to(repo.root).as_posix()
            if path.is_symlink():
                files[relative] = str(path.readlink()).encode("utf-8", "replace")
                continue
            with path.open("rb") as stream:
                files[relative] = stream.read(MAX_FILE_BYTES + 1)
    return files
