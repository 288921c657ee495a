"""Take a step of the procedure on a record file: edit in place, write, commit.

A step holds the repository lock, refuses a record with uncommitted changes,
edits only the fields the step changes through ruamel.yaml round-trip, checks
that the result still validates, writes atomically and makes one git commit
that contains only the files of the step.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from assist1540 import gitops
from assist1540.catalog import MODELS, Catalog, Entry, load_catalog, validate_document
from assist1540.errors import Assist1540Error, RecordError, UsageError
from assist1540.reader import parse_yaml, split_front_matter
from assist1540.repository import DataRepository
from assist1540.workflow import Change, StepOutcome
from assist1540.writer import atomic_write, merge_value, new_record_text, open_for_edit
from assist1540.writer import to_commented as _to_commented

logger = logging.getLogger(__name__)

OutcomeFactory = Callable[[Entry[Any], Catalog], StepOutcome]
# Extra files a step writes (letters), given the outcome and the edited record.
AttachmentFactory = Callable[
    [StepOutcome, Entry[Any], Catalog], list[tuple[Path, bytes]]
]


@dataclass(frozen=True)
class StepOptions:
    """How a step writes: commit (default), only write and stage, or only show."""

    no_commit: bool = False
    dry_run: bool = False


@dataclass
class StepResult:
    """What a step did."""

    record_id: str
    path: str
    diff: str
    outcome: StepOutcome | None = None
    commit: str | None = None
    written: list[str] = field(default_factory=list)


def run_step(
    repo: DataRepository,
    kind: str,
    record_id: str,
    make_outcome: OutcomeFactory,
    options: StepOptions,
    attachments: AttachmentFactory | None = None,
) -> StepResult:
    """Apply one step to record `record_id` of `kind` (requests, offers, ...)."""
    path = find_record(repo, kind, record_id)
    with gitops.repository_lock(repo.root):
        git_repo, identity = _prepare_git(repo, [path], options)
        catalog = load_catalog(repo)
        entry = _loaded_entry(repo, catalog, kind, record_id, path)
        outcome = make_outcome(entry, catalog)

        old_text, new_bytes = _edited_text(
            path, entry.path, outcome, MODELS[kind], catalog
        )
        new_text = new_bytes.decode("utf-8-sig").replace("\r\n", "\n")
        diff = unified_diff(entry.path, old_text, new_text)
        result = StepResult(record_id, entry.path, diff, outcome)
        if options.dry_run:
            return result

        files = attachments(outcome, entry, catalog) if attachments else []
        for attachment_path, content in files:
            atomic_write(attachment_path, content)
            result.written.append(repo.relative(attachment_path))
        atomic_write(path, new_bytes)
        _finish(
            git_repo, identity, [path, *(p for p, _ in files)], outcome, options, result
        )
        return result


def create_record(
    repo: DataRepository,
    kind: str,
    record_id: str,
    values: dict[str, Any],
    subject: str,
    options: StepOptions,
) -> StepResult:
    """Write a new record file after checking it validates, and commit it."""
    path = repo.record_path(kind, record_id)
    with gitops.repository_lock(repo.root):
        if repo.find_record_file(kind, record_id) is not None:
            raise UsageError(f"{repo.relative(path)} exists already; choose another id")
        git_repo, identity = _prepare_git(repo, [], options)
        catalog = load_catalog(repo)
        text = new_record_text(values)
        display = repo.relative(path)
        validate_document(parse_yaml(text, display), MODELS[kind], catalog.taxonomy)

        diff = unified_diff(display, "", text)
        outcome = StepOutcome("create", subject, (), {})
        result = StepResult(record_id, display, diff, outcome)
        if options.dry_run:
            return result
        atomic_write(path, text.encode("utf-8"))
        _finish(git_repo, identity, [path], outcome, options, result)
        return result


def find_record(repo: DataRepository, kind: str, record_id: str) -> Path:
    """Return the record's file, or raise an error that suggests close ids."""
    path = repo.find_record_file(kind, record_id)
    if path is not None:
        return path
    known = [candidate.stem for candidate in repo.record_files(kind)]
    close = difflib.get_close_matches(record_id, known, n=3)
    singular = kind.rstrip("s")
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else (f"; 'assist1540 list' shows the {kind}" if kind == "requests" else "")
    )
    raise UsageError(
        f"{singular} '{record_id}' not found in {repo.config.data}/{kind}{hint}"
    )


def unified_diff(display_path: str, old: str, new: str) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            f"a/{display_path}",
            f"b/{display_path}",
        )
    )


def _prepare_git(
    repo: DataRepository, paths: Sequence[Path], options: StepOptions
) -> tuple[Any, gitops.Identity | None]:
    if options.dry_run:
        return None, None
    if options.no_commit:
        try:
            return gitops.open_git(repo.root), None
        except Assist1540Error:
            return None, None
    git_repo = gitops.open_git(repo.root)
    identity = gitops.check_identity(git_repo)
    gitops.check_clean(git_repo, paths)
    gitops.warn_if_detached(git_repo)
    return git_repo, identity


def _loaded_entry(
    repo: DataRepository, catalog: Catalog, kind: str, record_id: str, path: Path
) -> Entry[Any]:
    entry = catalog.entries(kind).get(record_id)
    if entry is not None:
        return entry
    mine = [
        problem for problem in catalog.problems if problem.path == repo.relative(path)
    ]
    if mine:
        raise RecordError(mine)
    raise UsageError(
        f"{repo.relative(path)} could not be loaded; run assist1540 validate"
    )


def _edited_text(
    path: Path, display: str, outcome: StepOutcome, model: Any, catalog: Catalog
) -> tuple[str, bytes]:
    """Return the file's text before (with LF endings) and its new bytes."""
    editable = open_for_edit(path, display)
    old_text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    apply_changes(editable.values, outcome.changes, list(model.model_fields))
    if outcome.history:
        append_history(editable.values, outcome.history)
    new_text = editable.render()

    yaml_text = new_text.replace("\r\n", "\n")
    if path.suffix == ".md":
        yaml_text = split_front_matter(yaml_text, display)[0]
    try:
        validate_document(parse_yaml(yaml_text, display), model, catalog.taxonomy)
    except RecordError as error:
        raise Assist1540Error(
            f"the step would leave {display} invalid, so nothing was written",
            error.problems,
        ) from None
    return old_text, editable.encode(new_text)


def apply_changes(
    values: CommentedMap, changes: Sequence[Change], field_order: list[str]
) -> None:
    """Set each changed field in place, keeping comments and styles elsewhere."""
    for change in changes:
        parent: Any = values
        for part in change.path[:-1]:
            parent = parent[part]
        key = change.path[-1]
        if isinstance(parent, CommentedMap) and key not in parent:
            parent.insert(
                _position(parent, str(key), field_order),
                key,
                _to_commented(change.value),
            )
            continue
        merged, changed = merge_value(parent[key], change.value)
        if changed:
            parent[key] = merged


def append_history(values: CommentedMap, entry: dict[str, Any]) -> None:
    history = values.get("history")
    if not isinstance(history, CommentedSeq) or not history:
        # A new or empty `history: []` becomes a block list.
        block = CommentedSeq()
        if "history" in values:
            values["history"] = block
        else:
            values.insert(len(values), "history", block)
        history = values["history"]
    mapping = CommentedMap()
    for key, value in entry.items():
        mapping[key] = _to_commented(value)
    history.append(mapping)


def _position(mapping: CommentedMap, key: str, field_order: list[str]) -> int:
    if key not in field_order:
        return len(mapping)
    earlier = field_order[: field_order.index(key)]
    positions = [index for index, existing in enumerate(mapping) if existing in earlier]
    return positions[-1] + 1 if positions else 0


def _finish(
    git_repo: Any,
    identity: gitops.Identity | None,
    paths: list[Path],
    outcome: StepOutcome,
    options: StepOptions,
    result: StepResult,
) -> None:
    if git_repo is None:
        return
    if options.no_commit or identity is None:
        gitops.stage_paths(git_repo, paths)
        return
    body = _commit_body(result.diff, outcome)
    result.commit = gitops.commit_paths(
        git_repo, paths, outcome.subject, body, identity
    )


def _commit_body(diff: str, outcome: StepOutcome) -> str:
    """List the fields the step changed, for reviewers reading the history."""
    lines = []
    for change in outcome.changes:
        field_name = ".".join(str(part) for part in change.path)
        lines.append(f"- {field_name}: {_short(change.value)}")
    if outcome.history:
        lines.append(
            f"- history: {outcome.history.get('action')} on {outcome.history.get('date')}"
        )
        if outcome.history.get("reference"):
            lines.append(f"- reference: {outcome.history['reference']}")
    lines.extend(f"- {note}" for note in outcome.notes)
    del diff
    return "\n".join(lines)


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key} {item}" for key, item in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
