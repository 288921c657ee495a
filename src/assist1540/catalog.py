"""Load every record of a data repository into models, collecting all problems."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from assist1540.errors import Problem, RecordError
from assist1540.models import Event, Offer, Provider, Request, Taxonomy
from assist1540.reader import Document, FieldPath, format_field, read_document
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

    def entries(self, kind: str) -> dict[str, Entry[Any]]:
        entries: dict[str, Entry[Any]] = getattr(self, kind)
        return entries


def load_catalog(repo: DataRepository) -> Catalog:
    """Read the taxonomy and every record; problems are collected, not raised."""
    catalog = Catalog()
    catalog.taxonomy = _load_taxonomy(repo, catalog)
    for kind in RECORD_KINDS:
        for path in repo.record_files(kind):
            _load_into(repo, catalog, kind, path)
    return catalog


def load_entry(
    repo: DataRepository, kind: str, path: Path, taxonomy: Taxonomy | None
) -> Entry[Any]:
    """Read and validate one record file, raising RecordError with every problem."""
    display_path = repo.relative(path)
    record_id, problem = _id_from_path(path, display_path)
    if problem is not None:
        raise RecordError([problem])

    document = read_document(path, display_path)
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
        raise RecordError(
            _problem_from_error(document, model, detail) for detail in error.errors()
        ) from None


def _load_taxonomy(repo: DataRepository, catalog: Catalog) -> Taxonomy | None:
    path = repo.taxonomy_path
    display_path = repo.relative(path)
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
    try:
        return validate_document(read_document(path, display_path), Taxonomy, None)
    except RecordError as error:
        catalog.problems.extend(error.problems)
        return None


def _load_into(repo: DataRepository, catalog: Catalog, kind: str, path: Path) -> None:
    catalog.checked_files += 1
    display_path = repo.relative(path)
    entries = catalog.entries(kind)
    try:
        entry = load_entry(repo, kind, path, catalog.taxonomy)
    except RecordError as error:
        catalog.problems.extend(error.problems)
        return

    if entry.id in entries:
        catalog.problems.append(
            Problem(
                display_path,
                message=f"duplicate id '{entry.id}': {entries[entry.id].path} has the "
                "same id; keep one of the two files",
            )
        )
        return
    entries[entry.id] = entry


def _id_from_path(path: Path, display_path: str) -> tuple[str, Problem | None]:
    if path.suffix not in RECORD_SUFFIXES:
        return path.name, Problem(
            display_path,
            message=f"unexpected file '{path.name}' among the records; records end "
            "in .yaml or .md, so rename it or move it out of the data folder",
        )
    problem = id_problem(path.stem)
    if problem is not None:
        return path.stem, Problem(
            display_path, message=problem + "; rename the file to a valid id"
        )
    return path.stem, None


# --- Pydantic errors in the user's words ----------------------------------------


def _problem_from_error(
    document: Document, model: type[BaseModel], detail: Any
) -> Problem:
    loc: FieldPath = tuple(detail["loc"])
    kind = detail["type"]
    loc = _RULE_FIELDS.get(kind, loc)

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
    shown = _show(value)
    if kind in ("string_type", "str_type"):
        hint = "; put it in quotes" if isinstance(value, bool | type(None)) else ""
        return f"must be text, got {shown}{hint}"
    if kind == "bool_type":
        return f"must be true or false, got {shown}"
    if kind in ("list_type",):
        return f"must be a list, such as [a, b], got {shown}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of fields, got {shown}"
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        return f"invalid value {shown}; use one of {expected}"
    if kind == "too_short":
        return "must not be empty; add at least one entry"
    if kind in ("int_type", "int_parsing"):
        return f"must be a whole number, got {shown}"
    return str(detail["msg"])


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)
