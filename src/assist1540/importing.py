"""Import a folder in the reference-data format into the data repository.

The reference format has `taxonomy.yaml`, `requests/<id>.yaml` and
`providers/<id>.yaml`. File names become record ids. Fields the import owns are
written from the source. The procedure's fields (status, consent, published,
history) are set only when a record is first created, so a re-import with
`--update` never undoes a step recorded since.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from assist1540.catalog import validate_document
from assist1540.errors import Assist1540Error, Problem, RecordError
from assist1540.models import Provider, Request, Taxonomy
from assist1540.reader import Document, read_document
from assist1540.repository import TAXONOMY_FILE, DataRepository, id_problem
from assist1540.schema import add_schema_header, schema_header
from assist1540.writer import (
    atomic_write,
    merge_value,
    new_record_text,
    open_for_edit,
    to_commented,
)

logger = logging.getLogger(__name__)

REQUEST_OWNED_KEYS = (
    "state",
    "iso3",
    "received",
    "date_as_published",
    "channel",
    "channel_detail",
    "language",
    "items",
    "sources",
    "notes",
)
PROVIDER_OWNED_KEYS = (
    "name",
    "short_name",
    "kind",
    "iso3",
    "regions",
    "areas",
    "weapons",
    "types",
    "notes",
    "sources",
    "programmes",
)
TAXONOMY_OWNED_KEYS = ("version", "built", "areas", "weapons", "types")

_REQUEST_SOURCE_FIELDS = {
    "state",
    "iso3",
    "iso2",
    "date",
    "date_as_published",
    "date_precision",
    "channel",
    "language",
    "publicly_posted",
    "source_url",
    "notes",
    "items",
}
_PROVIDER_SOURCE_FIELDS = {
    "name",
    "short_name",
    "slug",
    "kind",
    "iso3",
    "iso2",
    "regions",
    "types",
    "areas",
    "weapons",
    "notes",
    "sources",
    "programs",
}
_ITEM_FIELDS = ("summary", "areas", "weapons", "types", "confidence")
_PROGRAMME_FIELDS = ("name", "summary", "areas", "weapons", "types", "regions")

# Channel wording in the sources, checked in this order.
_CHANNEL_WORDS = (
    ("note verbale", "note-verbale"),
    ("national report", "national-report"),
    ("template", "assistance-template"),
    ("action plan", "action-plan"),
    ("plan of action", "action-plan"),
    ("country visit", "country-visit"),
    ("letter", "letter"),
)


@dataclass
class ImportReport:
    """The paths an import created, updated or left unchanged, and its warnings."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Planned:
    kind: str
    record_id: str
    target: Path
    values: dict[str, Any]
    owned_keys: tuple[str, ...]
    verbatim: bytes | None = None


def import_reference(
    repo: DataRepository, source: Path, update: bool = False
) -> ImportReport:
    """Convert, check and write every record of `source`.

    Nothing is written when any record is invalid.
    """
    if not source.is_dir():
        raise Assist1540Error(
            f"{source} is not a folder; give the folder that contains "
            "taxonomy.yaml, requests/ and providers/"
        )
    report = ImportReport()
    plans = _plan_import(repo, source, report)
    if not plans:
        raise Assist1540Error(
            f"{source} contains no taxonomy.yaml, requests/*.yaml or "
            "providers/*.yaml to import"
        )

    _check_overwrites(repo, plans, update)
    for plan in plans:
        _write(repo, plan, report)
    return report


def _plan_import(
    repo: DataRepository, source: Path, report: ImportReport
) -> list[_Planned]:
    problems: list[Problem] = []
    plans: list[_Planned] = []

    taxonomy = _plan_taxonomy(repo, source, plans, problems)
    if taxonomy is None and repo.taxonomy_path.is_file():
        taxonomy = _read_taxonomy(repo.taxonomy_path, repo.relative(repo.taxonomy_path))

    converters: list[
        tuple[str, Callable[..., dict[str, Any]], Any, tuple[str, ...]]
    ] = [
        ("requests", convert_request, Request, REQUEST_OWNED_KEYS),
        ("providers", _convert_provider, Provider, PROVIDER_OWNED_KEYS),
    ]
    for kind, convert, model, owned in converters:
        folder = source / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            plan = _plan_record(
                repo, path, kind, convert, model, taxonomy, problems, report
            )
            if plan is not None:
                plans.append(
                    _Planned(
                        kind, plan[0], repo.record_path(kind, plan[0]), plan[1], owned
                    )
                )

    if problems:
        raise RecordError(problems)
    return plans


def _plan_taxonomy(
    repo: DataRepository, source: Path, plans: list[_Planned], problems: list[Problem]
) -> Taxonomy | None:
    path = source / TAXONOMY_FILE
    if not path.is_file():
        return None
    try:
        document = read_document(path, path.as_posix())
        taxonomy = validate_document(document, Taxonomy, None)
    except RecordError as error:
        problems.extend(error.problems)
        return None
    plans.append(
        _Planned(
            "taxonomy",
            "taxonomy",
            repo.taxonomy_path,
            document.values,
            TAXONOMY_OWNED_KEYS,
            verbatim=path.read_bytes(),
        )
    )
    return taxonomy


def _read_taxonomy(path: Path, display_path: str) -> Taxonomy | None:
    try:
        return validate_document(read_document(path, display_path), Taxonomy, None)
    except RecordError:
        return None


def _plan_record(
    repo: DataRepository,
    path: Path,
    kind: str,
    convert: Callable[..., dict[str, Any]],
    model: Any,
    taxonomy: Taxonomy | None,
    problems: list[Problem],
    report: ImportReport,
) -> tuple[str, dict[str, Any]] | None:
    display_path = path.as_posix()
    record_id = path.stem
    problem = id_problem(record_id)
    if problem is not None:
        problems.append(Problem(display_path, message=problem))
        return None
    try:
        document = read_document(path, display_path)
        values = convert(document, report)
        converted = Document(repo.relative(repo.record_path(kind, record_id)), values)
        converted.positions = document.positions
        validate_document(converted, model, taxonomy)
    except RecordError as error:
        problems.extend(
            Problem(display_path, p.line, p.column, p.field, p.message)
            for p in error.problems
        )
        return None
    return record_id, values


def _check_overwrites(
    repo: DataRepository, plans: list[_Planned], update: bool
) -> None:
    if update:
        return
    clashes = []
    for plan in plans:
        if plan.target.exists() and plan.target.read_bytes() != _render_new(repo, plan):
            clashes.append(
                Problem(
                    repo.relative(plan.target),
                    message="record exists and differs from the import; rerun with "
                    "--update to merge the imported fields into it",
                )
            )
    if clashes:
        raise Assist1540Error("the import would overwrite existing records", clashes)


def _render_new(repo: DataRepository, plan: _Planned) -> bytes:
    header = _header(repo, plan)
    if plan.verbatim is not None:
        with_header = add_schema_header(plan.verbatim, header) if header else None
        return with_header or plan.verbatim
    return new_record_text(plan.values, header=header).encode("utf-8")


def _header(repo: DataRepository, plan: _Planned) -> str | None:
    """Return the line that names the record's JSON Schema, for editors."""
    return schema_header(plan.kind, plan.target, repo.root)


def _write(repo: DataRepository, plan: _Planned, report: ImportReport) -> None:
    display_path = repo.relative(plan.target)
    if not plan.target.exists():
        atomic_write(plan.target, _render_new(repo, plan))
        report.created.append(display_path)
        logger.debug("created %s", display_path)
        return

    record = open_for_edit(plan.target, display_path)
    changed = merge_owned(record.values, plan.values, plan.owned_keys)
    if changed:
        record.save()
    # Records written before the schema header existed get it on the first line;
    # the rest of the file stays byte for byte as it was.
    header = _header(repo, plan)
    current = plan.target.read_bytes()
    with_header = add_schema_header(current, header) if header else None
    if with_header is not None:
        atomic_write(plan.target, with_header)
    if not changed and with_header is None:
        report.unchanged.append(display_path)
        return
    report.updated.append(display_path)
    logger.debug("updated %s", display_path)


# --- Conversion from the reference format ------------------------------------------


def convert_request(document: Document, report: ImportReport) -> dict[str, Any]:
    source = document.values
    _warn_unknown(document, _REQUEST_SOURCE_FIELDS, report)
    posted = source.get("publicly_posted")

    values: dict[str, Any] = {
        "state": source.get("state"),
        "iso3": source.get("iso3"),
        "received": source.get("date"),
    }
    if source.get("date_as_published") not in (None, source.get("date")):
        values["date_as_published"] = source["date_as_published"]
    values.update(_channel(source.get("channel")))
    values["language"] = source.get("language", "en")

    # The Committee posts a request on its website only with the State's
    # consent, and only after acknowledging and distributing it.
    if posted is True:
        values["status"] = "distributed"
        values["consent"] = {
            "status": "granted",
            "source": "request posted on the Committee's website",
        }
        values["published"] = True
    else:
        values["status"] = "received"
        values["consent"] = {"status": "unknown"}
        values["published"] = False

    values["items"] = [_pick(item, _ITEM_FIELDS) for item in source.get("items") or []]
    if source.get("source_url"):
        values["sources"] = [source["source_url"]]
    if source.get("notes"):
        values["notes"] = source["notes"]
    values["history"] = []
    return values


def _convert_provider(document: Document, report: ImportReport) -> dict[str, Any]:
    source = document.values
    _warn_unknown(document, _PROVIDER_SOURCE_FIELDS, report)
    values: dict[str, Any] = {
        key: source[key]
        for key in (
            "name",
            "short_name",
            "kind",
            "iso3",
            "regions",
            "areas",
            "weapons",
            "types",
        )
        if key in source
    }
    for key in ("notes", "sources"):
        if source.get(key):
            values[key] = source[key]
    values["programmes"] = [
        _pick(programme, _PROGRAMME_FIELDS)
        for programme in source.get("programs") or []
    ]
    return values


def _channel(text: Any) -> dict[str, Any]:
    if not isinstance(text, str) or not text.strip():
        return {"channel": "not-stated"}
    lowered = text.lower()
    channel = next(
        (value for words, value in _CHANNEL_WORDS if words in lowered), "other"
    )
    return {"channel": channel, "channel_detail": text}


def _pick(values: Any, keys: tuple[str, ...]) -> Any:
    if not isinstance(values, dict):
        return values
    return {key: values[key] for key in keys if key in values}


def _warn_unknown(document: Document, known: set[str], report: ImportReport) -> None:
    for key in document.values:
        if key not in known:
            line, column = document.key_positions.get((key,), (0, 0))
            report.warnings.append(
                Problem(
                    document.path,
                    line,
                    column,
                    key,
                    "field is not part of the import and was left out; add it to "
                    "the import if the data repository should keep it",
                    severity="warning",
                )
            )


# --- Merging into an existing record -----------------------------------------------


def merge_owned(
    target: CommentedMap, source: dict[str, Any], keys: tuple[str, ...]
) -> bool:
    """Update the keys the import owns in place; return whether anything changed."""
    changed = False
    for key in keys:
        if key not in source:
            if key in target:
                del target[key]
                changed = True
            continue
        if key not in target:
            target.insert(
                _insert_position(target, key, keys), key, to_commented(source[key])
            )
            changed = True
            continue
        merged, key_changed = merge_value(target[key], source[key])
        if key_changed:
            target[key] = merged
            changed = True
    return changed


def _insert_position(target: CommentedMap, key: str, keys: tuple[str, ...]) -> int:
    earlier = keys[: keys.index(key)]
    positions = [index for index, existing in enumerate(target) if existing in earlier]
    return positions[-1] + 1 if positions else 0
