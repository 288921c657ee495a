"""Load every record of a data repository into models, collecting all problems."""

from __future__ import annotations

import difflib
import functools
import gc
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from assist1540.errors import Problem, RecordError, describe_value
from assist1540.models import Event, Offer, Provider, Request, Taxonomy
from assist1540.process_map import MIN_PARALLEL_ITEMS, map_items
from assist1540.reader import Document, FieldPath, format_field, read_document
from assist1540.record_cache import RecordCache, open_cache
from assist1540.repository import (
    RECORD_KINDS,
    RECORD_SUFFIXES,
    DataRepository,
    id_problem,
)

RecordT = TypeVar("RecordT", bound=BaseModel)

MODELS: dict[str, type[BaseModel]] = {
    "requests": Request,
    "offers": Offer,
    "providers": Provider,
    "events": Event,
}

# Repositories with fewer record files are loaded in one process (see
# process_map.MIN_PARALLEL_ITEMS).
MIN_PARALLEL_FILES = MIN_PARALLEL_ITEMS

# Model-level rules are raised with an empty location; point them at the field
# the user has to change.
_RULE_FIELDS: dict[str, FieldPath] = {
    "published_without_consent": ("published",),
    "missing_iso3": ("kind",),
    "duplicate_programme": ("programmes",),
}


@dataclass(frozen=True)
class Entry(Generic[RecordT]):
    """A record with its id, its file and the document it was read from."""

    id: str
    path: str
    record: RecordT
    document: Document

    @property
    def body(self) -> str | None:
        return self.document.body


@dataclass
class Catalog:
    """All records of a repository that could be read, and the problems found."""

    taxonomy: Taxonomy | None = None
    requests: dict[str, Entry[Request]] = field(default_factory=dict)
    offers: dict[str, Entry[Offer]] = field(default_factory=dict)
    providers: dict[str, Entry[Provider]] = field(default_factory=dict)
    events: dict[str, Entry[Event]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    checked_files: int = 0
    # Per kind, the ids of records whose files have errors, with each file's path.
    invalid: dict[str, dict[str, str]] = field(
        default_factory=lambda: {kind: {} for kind in RECORD_KINDS}
    )

    def entries(self, kind: str) -> dict[str, Entry[Any]]:
        entries: dict[str, Entry[Any]] = getattr(self, kind)
        return entries


def load_catalog(repo: DataRepository, store_cache: bool = True) -> Catalog:
    """Read the taxonomy and every record; problems are collected, not raised.

    Records whose files are unchanged since an earlier run come from the record
    cache (record_cache.py). `store_cache=False` still reads the cache but does
    not write it, for commands whose speed matters more on the first run.
    """
    catalog = Catalog()
    # Loading only allocates objects that stay alive, so the cyclic garbage
    # collector finds nothing to free. Pausing it saved about a quarter of the
    # load time at 100 times the bundled data (benchmarks/README.md). Freezing
    # the loaded objects afterwards keeps later collections (while ranking or
    # rendering) from walking them.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        catalog.taxonomy = _load_taxonomy(repo, catalog)
        folders = _Folders(repo)
        files = [
            (kind, path) for kind in RECORD_KINDS for path in repo.record_files(kind)
        ]
        cache = None
        if catalog.taxonomy is not None:
            cache = open_cache(repo.root, repo.taxonomy_path)
        loaded = _load_records(repo, catalog.taxonomy, folders, files, cache)
        for (kind, path), result in zip(files, loaded, strict=True):
            _add_record(catalog, kind, path, folders.display_path(path), result)
        if cache is not None and store_cache:
            cache.save()
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
    return catalog


def _load_records(
    repo: DataRepository,
    taxonomy: Taxonomy | None,
    folders: _Folders,
    files: list[tuple[str, Path]],
    cache: RecordCache | None,
) -> list[Entry[Any] | list[Problem]]:
    """Load each file's entry or problems, taking unchanged entries from the cache."""
    results: list[Entry[Any] | list[Problem] | None] = [None] * len(files)
    pending: list[int] = []
    # The bytes hashed by the cache for files it did not have, to be parsed as
    # they are rather than read again.
    pending_files: list[tuple[str, Path, bytes | None]] = []
    for index, (kind, path) in enumerate(files):
        entry, raw = None, None
        if cache is not None:
            entry, raw = _cached_entry(cache, folders, path)
        if entry is None:
            pending.append(index)
            pending_files.append((kind, path, raw))
        else:
            results[index] = entry

    read = functools.partial(_read_record, repo, taxonomy, folders)
    loaded = map_items(read, pending_files, min_items=MIN_PARALLEL_FILES)
    for index, result in zip(pending, loaded, strict=True):
        results[index] = result
        if cache is not None and isinstance(result, Entry):
            cache.add(result)
    return [result for result in results if result is not None]


def _cached_entry(
    cache: RecordCache, folders: _Folders, path: Path
) -> tuple[Entry[Any] | None, bytes | None]:
    """Look up a file that load_entry would read without fault, as cache.lookup."""
    display_path = folders.display_path(path)
    _, problem = _id_from_path(path, display_path)
    if problem is None:
        problem = folders.link_problem(path, display_path)
    if problem is not None:
        return None, None
    return cache.lookup(display_path, path)


def load_entry(
    repo: DataRepository,
    kind: str,
    path: Path,
    taxonomy: Taxonomy | None,
    folders: _Folders | None = None,
    raw: bytes | None = None,
) -> Entry[Any]:
    """Read and validate one record file, raising RecordError with every problem.

    `folders` carries what files in the same folder share, when loading many,
    and `raw` the file's bytes when they were read already.
    """
    folders = folders or _Folders(repo)
    display_path = folders.display_path(path)
    record_id, problem = _id_from_path(path, display_path)
    if problem is None:
        problem = folders.link_problem(path, display_path)
    if problem is not None:
        raise RecordError([problem])

    document = read_document(path, display_path, raw)
    record = validate_document(document, MODELS[kind], taxonomy)
    return Entry(record_id, display_path, record, document)


def validate_document(
    document: Document, model: type[RecordT], taxonomy: Taxonomy | None
) -> RecordT:
    """Validate a document against a model, turning each error into a Problem."""
    context = {"taxonomy": taxonomy} if taxonomy is not None else None
    try:
        return model.model_validate(document.values, context=context)
    except ValidationError as error:
        problems = _problems_from_errors(document, model, error.errors())
        raise RecordError(problems) from None


def _load_taxonomy(repo: DataRepository, catalog: Catalog) -> Taxonomy | None:
    path = repo.taxonomy_path
    display_path = _display_path(repo, path)
    catalog.checked_files += 1
    if not path.is_file():
        catalog.problems.append(
            Problem(
                display_path,
                message="the taxonomy file is missing; import one with "
                "'assist1540 import-reference DIR' or copy it from another "
                "data repository",
            )
        )
        return None
    problem = _link_problem(repo, path, display_path)
    if problem is not None:
        catalog.problems.append(problem)
        return None
    try:
        return validate_document(read_document(path, display_path), Taxonomy, None)
    except RecordError as error:
        catalog.problems.extend(error.problems)
        return None


def _read_record(
    repo: DataRepository,
    taxonomy: Taxonomy | None,
    folders: _Folders,
    file: tuple[str, Path, bytes | None],
) -> Entry[Any] | list[Problem]:
    """Load one record file, returning its entry or its problems."""
    kind, path, raw = file
    try:
        return load_entry(repo, kind, path, taxonomy, folders, raw)
    except RecordError as error:
        return error.problems


def _add_record(
    catalog: Catalog,
    kind: str,
    path: Path,
    display_path: str,
    result: Entry[Any] | list[Problem],
) -> None:
    catalog.checked_files += 1
    if isinstance(result, list):
        catalog.problems.extend(result)
        catalog.invalid[kind].setdefault(path.stem, display_path)
        return

    entries = catalog.entries(kind)
    if result.id in entries:
        catalog.problems.append(
            Problem(
                display_path,
                1,
                1,
                message=f"duplicate id '{result.id}': {entries[result.id].path} has "
                "the same id; keep one of the two files",
            )
        )
        return
    entries[result.id] = result


def _display_path(repo: DataRepository, path: Path) -> str:
    """Name a file by where it sits in the repository, not where a link points."""
    try:
        return path.relative_to(repo.root).as_posix()
    except ValueError:
        return repo.relative(path)


def _link_problem(
    repo: DataRepository, path: Path, display_path: str
) -> Problem | None:
    """Reject symbolic links, so that no file outside the repository is read.

    Error messages quote what they read, so a link to a file elsewhere, added in a
    pull request, would print that file's contents in the validate output.
    """
    if not path.is_symlink() and path.resolve().is_relative_to(repo.root):
        if stat.S_ISREG(path.stat().st_mode):
            return None
        return Problem(
            display_path,
            1,
            1,
            message="is not a regular file (a pipe, device or socket); records "
            "must be plain files, so remove it",
        )
    return Problem(
        display_path,
        1,
        1,
        message="is a symbolic link or lies in a linked folder; records must be "
        "plain files inside the repository, so replace the link with the file",
    )


class _Folders:
    """Name record files and check where they lie, resolving each folder once.

    Resolving every file's path walked all its folders with one system call
    each. A file that is not a link lies where its folder really is, so one
    resolution per folder gives the same results as _link_problem.
    """

    def __init__(self, repo: DataRepository) -> None:
        self.repo = repo
        # Per folder path: the display name of its files' prefix (None when the
        # folder is not under the root as written), and whether it really lies
        # inside the repository.
        self._folders: dict[str, tuple[str | None, bool]] = {}

    def _folder(self, path: Path) -> tuple[str | None, bool]:
        # A string key: making and hashing a Path per file cost more.
        folder = os.path.dirname(path)  # noqa: PTH120
        known = self._folders.get(folder)
        if known is None:
            prefix: str | None
            try:
                prefix = Path(folder).relative_to(self.repo.root).as_posix()
            except ValueError:
                prefix = None
            inside = Path(os.path.realpath(folder)).is_relative_to(self.repo.root)
            known = self._folders[folder] = (prefix, inside)
        return known

    def display_path(self, path: Path) -> str:
        prefix, _ = self._folder(path)
        if prefix is None:
            return _display_path(self.repo, path)
        return path.name if prefix == "." else f"{prefix}/{path.name}"

    def link_problem(self, path: Path, display_path: str) -> Problem | None:
        """Return what _link_problem returns, with one system call per file."""
        try:
            mode = os.lstat(path).st_mode
        except OSError as error:
            # The file was listed, then removed or made unreachable.
            return Problem(
                display_path,
                1,
                1,
                message=f"cannot read the file: {error.strerror}; if it was "
                "removed while the records were read, run the command again",
            )
        _, inside = self._folder(path)
        if stat.S_ISLNK(mode) or not inside:
            return _link_problem(self.repo, path, display_path)
        if stat.S_ISREG(mode):
            return None
        return _link_problem(self.repo, path, display_path)


def _id_from_path(path: Path, display_path: str) -> tuple[str, Problem | None]:
    if path.suffix not in RECORD_SUFFIXES:
        return path.name, Problem(
            display_path,
            1,
            1,
            message=f"unexpected file '{path.name}' among the records; records end "
            "in .yaml or .md, so rename it or move it out of the data folder",
        )
    problem = id_problem(path.stem)
    if problem is not None:
        return path.stem, Problem(
            display_path, 1, 1, message=problem + "; rename the file to a valid id"
        )
    return path.stem, None


# --- Pydantic errors in the user's words ----------------------------------------


# The value each pydantic error type expects, for "must be ..., got ...".
_EXPECTED: dict[str, str] = {
    "string_type": "text",
    "bool_type": "true or false",
    "list_type": "a list, such as [a, b]",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
}
_BOOLEANS = ("true", "false")


def _problems_from_errors(
    document: Document, model: type[BaseModel], details: list[Any]
) -> list[Problem]:
    """Turn pydantic errors into Problems, one per value.

    A value that fits no member of a union such as `int | str` gets one error per
    member, located under the member's tag (`version.int`). Those errors become
    one problem at the field itself.
    """
    problems = []
    union_errors: dict[FieldPath, list[Any]] = {}
    for detail in details:
        kind = detail["type"]
        loc = _RULE_FIELDS.get(kind, tuple(detail["loc"]))
        loc, is_union_member = _without_union_tags(model, loc, kind)
        if is_union_member:
            union_errors.setdefault(loc, []).append(detail)
        else:
            problems.append(_problem_from_error(document, model, loc, detail))

    for loc, members in union_errors.items():
        line, column = document.locate(loc)
        expected = [_EXPECTED.get(member["type"], "") for member in members]
        if all(expected):
            alternatives = " or ".join(dict.fromkeys(expected))
            described = describe_value(members[0]["input"])
            message = f"must be {alternatives}, got {described}"
        else:
            message = _plain_message(members[0])
        field_name = format_field(loc)
        problems.append(Problem(document.path, line, column, field_name, message))
    return problems


def _without_union_tags(
    model: type[BaseModel], loc: FieldPath, kind: str
) -> tuple[FieldPath, bool]:
    """Drop the union member tags from `loc`, telling whether there were any."""
    field_path: list[str | int] = []
    current: type[BaseModel] | None = model
    found_tag = False
    for index, part in enumerate(loc):
        fields = current.model_fields if current is not None else {}
        if isinstance(part, int):
            field_path.append(part)
        elif part in fields:
            field_path.append(part)
            current = _inner_model(fields[part].annotation)
        elif kind == "extra_forbidden" and index == len(loc) - 1:
            field_path.append(part)
        else:
            found_tag = True
    return tuple(field_path), found_tag


def _problem_from_error(
    document: Document, model: type[BaseModel], loc: FieldPath, detail: Any
) -> Problem:
    kind = detail["type"]
    if kind == "extra_forbidden":
        line, column = document.locate(loc, key=True)
        message = _unknown_field_message(model, loc)
    elif kind == "missing":
        line, column = document.locate(loc[:-1])
        message = f"missing required field '{loc[-1]}'; add it"
    else:
        line, column = document.locate(loc)
        message = _plain_message(detail)
    return Problem(document.path, line, column, format_field(loc), message)


def _unknown_field_message(model: type[BaseModel], loc: FieldPath) -> str:
    name = str(loc[-1])
    allowed = sorted(_fields_at(model, loc[:-1]))
    message = f"unknown field '{name}'"
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean '{close[0]}'?"
    return f"{message}; the fields here are: {', '.join(allowed)}"


def _fields_at(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """List the field names of the nested model that `loc` points into."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return list(current.model_fields)


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _inner_model(argument)
        if found is not None:
            return found
    return None


def _plain_message(detail: Any) -> str:
    kind = detail["type"]
    value = detail.get("input")
    described = describe_value(value)
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}, got {described}{_type_hint(kind, value)}"
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        if not isinstance(value, str):
            return f"must be one of {expected}, got {described}"
        return f"invalid value {described}; use one of {expected}"
    if kind == "too_short":
        return "must not be empty; add at least one entry"
    return str(detail["msg"])


def _type_hint(kind: str, value: Any) -> str:
    """Say how to fix the commonest type mistakes in YAML."""
    if kind == "string_type" and isinstance(value, bool):
        return "; put it in quotes"
    if kind == "string_type" and value is None:
        return "; write the text after the colon"
    if kind == "bool_type" and isinstance(value, str) and value.lower() in _BOOLEANS:
        return "; remove the quotes"
    return ""
