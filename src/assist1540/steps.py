"""Take a step of the procedure on a record file: edit in place, write, commit.

A step holds the repository lock and rejects a record with uncommitted
changes. It edits only the fields it changes, through ruamel.yaml round-trip,
and checks that the result still validates. Then it writes atomically and
makes one git commit that contains only the files of the step. A new record
may bring a step on another record with it (an offer moves its request to
matched), and both files then go into the one commit.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from assist1540 import gitops
from assist1540.catalog import MODELS, Catalog, Entry, load_catalog, validate_document
from assist1540.errors import Assist1540Error, RecordError, UsageError
from assist1540.models import Taxonomy
from assist1540.reader import parse_yaml, read_document, split_front_matter
from assist1540.repository import DataRepository
from assist1540.schema import schema_header
from assist1540.workflow import Change, StepOutcome
from assist1540.writer import atomic_write, merge_value, new_record_text, open_for_edit
from assist1540.writer import to_commented as _to_commented

logger = logging.getLogger(__name__)

LETTERS_FOLDER = "letters"

OutcomeFactory = Callable[[Entry[Any], Catalog], StepOutcome]
# Extra files a step writes (letters), given the outcome and the edited record.
AttachmentFactory = Callable[
    [StepOutcome, Entry[Any], Catalog], list[tuple[Path, bytes]]
]


@dataclass(frozen=True)
class LinkedStep:
    """A step on an existing record that a new record brings into its commit.

    `make_outcome` returns None when the existing record needs no change. It may
    raise to reject the new record, because it receives the catalog loaded under
    the lock.
    """

    kind: str
    record_id: str
    make_outcome: Callable[[Entry[Any], Catalog], StepOutcome | None]


@dataclass(frozen=True)
class StepOptions:
    """The write mode of a step: commit (default), write and stage, or only show."""

    no_commit: bool = False
    dry_run: bool = False
    letters: bool = True


@dataclass
class StepResult:
    """The outcome of a step: its diff, the files written and the commit."""

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
        letter_files: list[tuple[Path, bytes]] = []
        if outcome.letter and options.letters:
            outcome, letter_files = _letter_files(repo, catalog, kind, entry, outcome)

        old_text, new_bytes = _edited_text(
            path, entry.path, outcome, MODELS[kind], catalog.taxonomy
        )
        new_text = new_bytes.decode("utf-8-sig").replace("\r\n", "\n")
        diff = unified_diff(entry.path, old_text, new_text)
        result = StepResult(record_id, entry.path, diff, outcome)
        if options.dry_run:
            result.written = [
                repo.relative(letter_path) for letter_path, _ in letter_files
            ]
            return result

        files = letter_files + (
            attachments(outcome, entry, catalog) if attachments else []
        )
        result.written = [repo.relative(file_path) for file_path, _ in files]
        _write_then_commit(
            git_repo,
            [*files, (path, new_bytes)],
            lambda: _finish(
                git_repo,
                identity,
                [path, *(file_path for file_path, _ in files)],
                outcome,
                options,
                result,
            ),
        )
        return result


def _letter_files(
    repo: DataRepository,
    catalog: Catalog,
    kind: str,
    entry: Entry[Any],
    outcome: StepOutcome,
) -> tuple[StepOutcome, list[tuple[Path, bytes]]]:
    """Render the step's letter as Markdown and DOCX under letters/<record id>/.

    The letter takes the step's --reference, or the next free reference, and the
    step's history entry records it, so no two letters share a number.
    """
    from assist1540.references import next_reference
    from assist1540.rendering import LETTER_KINDS, render_letter

    assert outcome.letter is not None
    on = date.fromisoformat(str(outcome.history["date"]))
    reference = outcome.history.get("reference") or next_reference(
        catalog, on, repo.config.letters.reference_pattern
    )
    target_id = entry.id
    if LETTER_KINDS[outcome.letter].record_kind != kind and kind == "offers":
        # A letter about an offer that goes to the requesting State is filed
        # under the request.
        target_id = entry.record.request
    letter = render_letter(
        repo, catalog, outcome.letter, target_id, on=on, reference=str(reference)
    )

    folder = repo.root / LETTERS_FOLDER / target_id
    stem = f"{on.isoformat()}-{letter.file_name('md').removesuffix('.md')}"
    files = [
        (folder / f"{stem}.md", letter.markdown.encode("utf-8")),
        (folder / f"{stem}.docx", letter.docx_bytes()),
    ]
    history = {**outcome.history, "reference": str(reference)}
    return replace(outcome, history=history), files


def create_record(
    repo: DataRepository,
    kind: str,
    record_id: str,
    values: dict[str, Any],
    subject: str,
    options: StepOptions,
    linked: LinkedStep | None = None,
    renumber: bool = False,
) -> StepResult:
    """Write a new record file after checking it validates, and commit it.

    With `linked`, the step on the other record is applied too, and its file
    goes into the same commit. With `renumber`, an id taken by the time the
    lock is held (another command was quicker) gets the next free -2, -3 ...,
    and the subject names the new id.
    """
    linked_path = find_record(repo, linked.kind, linked.record_id) if linked else None
    with gitops.repository_lock(repo.root):
        if renumber:
            fresh = _next_free_id(repo, kind, record_id)
            subject = subject.replace(record_id, fresh)
            record_id = fresh
        path = repo.record_path(kind, record_id)
        if repo.find_record_file(kind, record_id) is not None:
            raise UsageError(f"{repo.relative(path)} exists already; choose another id")
        git_repo, identity = _prepare_git(repo, [], options)
        catalog = load_catalog(repo)
        text = new_record_text(values, header=schema_header(kind, path, repo.root))
        display = repo.relative(path)
        validate_document(parse_yaml(text, display), MODELS[kind], catalog.taxonomy)
        diff = unified_diff(display, "", text)

        edit = None
        if linked is not None and linked_path is not None:
            edit = _linked_edit(repo, catalog, linked, linked_path)
        if edit is not None and identity is not None:
            # Only a file the step changes has to be clean.
            gitops.check_clean(git_repo, [edit.path])
        notes = edit.outcome.notes if edit is not None else ()
        outcome = StepOutcome("create", subject, (), {}, notes=notes)
        result = StepResult(record_id, display, diff, outcome)
        if edit is not None:
            result.diff += edit.diff
        if options.dry_run:
            return result

        writes = [(path, text.encode("utf-8"))]
        if edit is not None:
            writes.append((edit.path, edit.new_bytes))
            result.written.append(edit.display)
        paths = [write_path for write_path, _ in writes]
        _write_then_commit(
            git_repo,
            writes,
            lambda: _finish(git_repo, identity, paths, outcome, options, result, edit),
        )
        return result


def _next_free_id(repo: DataRepository, kind: str, record_id: str) -> str:
    candidate = record_id
    serial = 2
    while repo.find_record_file(kind, candidate) is not None:
        candidate = f"{record_id}-{serial}"
        serial += 1
    return candidate


def update_data_file(
    repo: DataRepository,
    path: Path,
    model: type[BaseModel],
    make_outcome: Callable[[BaseModel | None], StepOutcome],
    options: StepOptions,
    header: str | None = None,
) -> StepResult:
    """Apply a step to a data file outside the record folders, creating it if missing.

    `make_outcome` gets the file's model, or None when the file does not exist
    yet; a new file gets `header` as its opening comment.
    """
    display = repo.relative(path)
    with gitops.repository_lock(repo.root):
        git_repo, identity = _prepare_git(repo, [path], options)
        if path.is_file():
            current = validate_document(read_document(path, display), model, None)
            outcome = make_outcome(current)
            old_text, new_bytes = _edited_text(path, display, outcome, model, None)
            new_text = new_bytes.decode("utf-8-sig").replace("\r\n", "\n")
        else:
            outcome = make_outcome(None)
            values = {str(change.path[0]): change.value for change in outcome.changes}
            old_text, new_text = "", new_record_text(values, header)
            validate_document(parse_yaml(new_text, display), model, None)
            new_bytes = new_text.encode("utf-8")

        diff = unified_diff(display, old_text, new_text)
        result = StepResult(path.stem, display, diff, outcome)
        if options.dry_run:
            return result
        _write_then_commit(
            git_repo,
            [(path, new_bytes)],
            lambda: _finish(git_repo, identity, [path], outcome, options, result),
        )
        return result


def _write_then_commit(
    git_repo: Any, writes: Sequence[tuple[Path, bytes]], commit: Callable[[], None]
) -> None:
    """Write every file, then commit; on any failure put every file back.

    Each write is atomic, and a failed commit (or Ctrl-C) restores the files as
    they were and unstages them, so the repository is left as before the step.
    """
    saved = [(path, path.read_bytes() if path.exists() else None) for path, _ in writes]
    new_folders = sorted(
        {
            folder
            for path, _ in writes
            for folder in path.parents
            if not folder.exists()
        },
        key=lambda folder: len(folder.parts),
        reverse=True,
    )
    try:
        for path, content in writes:
            atomic_write(path, content)
        commit()
    except BaseException:
        for path, previous in saved:
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, previous)
        for folder in new_folders:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        if git_repo is not None:
            gitops.unstage_paths(git_repo, [path for path, _ in saved])
        raise


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
            git_repo = gitops.open_git(repo.root)
        except Assist1540Error:
            return None, None
        gitops.check_no_operation(git_repo)
        return git_repo, None
    git_repo = gitops.open_git(repo.root)
    gitops.check_no_operation(git_repo)
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


@dataclass(frozen=True)
class _LinkedEdit:
    """The change a linked step makes to its record, computed before writing."""

    path: Path
    display: str
    diff: str
    outcome: StepOutcome
    new_bytes: bytes


def _linked_edit(
    repo: DataRepository, catalog: Catalog, linked: LinkedStep, path: Path
) -> _LinkedEdit | None:
    entry = _loaded_entry(repo, catalog, linked.kind, linked.record_id, path)
    outcome = linked.make_outcome(entry, catalog)
    if outcome is None:
        return None
    old_text, new_bytes = _edited_text(
        path, entry.path, outcome, MODELS[linked.kind], catalog.taxonomy
    )
    new_text = new_bytes.decode("utf-8-sig").replace("\r\n", "\n")
    diff = unified_diff(entry.path, old_text, new_text)
    return _LinkedEdit(path, entry.path, diff, outcome, new_bytes)


def _edited_text(
    path: Path,
    display: str,
    outcome: StepOutcome,
    model: Any,
    taxonomy: Taxonomy | None,
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
        validate_document(parse_yaml(yaml_text, display), model, taxonomy)
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
        if isinstance(parent, CommentedSeq) and key == len(parent):
            # A step that adds one entry to a list, such as a report on an offer.
            parent.append(_to_commented(change.value))
            continue
        if isinstance(parent, CommentedMap) and key not in parent:
            # Field order is known for the record itself; a new key in a nested
            # mapping, such as a programme, goes last.
            order = field_order if len(change.path) == 1 else []
            parent.insert(
                _position(parent, str(key), order),
                key,
                _to_commented(change.value),
            )
            continue
        if isinstance(parent[key], CommentedSeq) and not parent[key] and change.value:
            # An empty `[]` takes the house style of its new entries, so a list
            # of mappings becomes a block list, as in append_history.
            parent[key] = _to_commented(change.value)
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
    """Place a new key before the next field of the model that the file has.

    Without one, the key goes after the last earlier field in the file. Models
    list inherited fields (areas, weapons, types) first, while files put them
    after the name, so the field that follows is the better guide.
    """
    if key not in field_order:
        return len(mapping)
    keys = list(mapping)
    index = field_order.index(key)
    for later in field_order[index + 1 :]:
        if later in keys:
            return keys.index(later)
    earlier = field_order[:index]
    positions = [position for position, name in enumerate(keys) if name in earlier]
    return positions[-1] + 1 if positions else 0


def _finish(
    git_repo: Any,
    identity: gitops.Identity | None,
    paths: list[Path],
    outcome: StepOutcome,
    options: StepOptions,
    result: StepResult,
    linked: _LinkedEdit | None = None,
) -> None:
    if git_repo is None:
        return
    if options.no_commit or identity is None:
        gitops.stage_paths(git_repo, paths)
        return
    body = _commit_body(result.diff, outcome)
    if linked is not None:
        # The new record is the commit's subject; the body lists what the
        # linked step changed in the other file, under that file's path.
        body = f"{linked.display}:\n{_commit_body('', linked.outcome)}"
    result.commit = gitops.commit_paths(
        git_repo, paths, outcome.subject, body, identity
    )


def _commit_body(diff: str, outcome: StepOutcome) -> str:
    """List the fields the step changed, for reviewers reading the history."""
    lines = []
    for change in outcome.changes:
        field_name = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in change.path
        ).lstrip(".")
        lines.append(f"- {field_name}: {_short(change.value)}")
    if outcome.history:
        lines.append(
            f"- history: {outcome.history.get('action')} "
            f"on {outcome.history.get('date')}"
        )
        if outcome.history.get("reference"):
            lines.append(f"- reference: {outcome.history['reference']}")
    lines.extend(f"- {note}" for note in outcome.notes)
    del diff
    return "\n".join(lines)


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key} {_short(item)}" for key, item in value.items())
    if value == []:
        return "[]"
    if isinstance(value, list):
        separator = "; " if any(isinstance(item, dict) for item in value) else ", "
        return separator.join(_short(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
