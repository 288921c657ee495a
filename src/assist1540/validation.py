"""Rules across records: references resolve and publishing follows consent."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from assist1540.catalog import Catalog, Entry, load_catalog
from assist1540.countries import COUNTRIES
from assist1540.dates import PartialDate
from assist1540.errors import Problem, Severity, UsageError
from assist1540.models import Offer, Request
from assist1540.reader import format_field
from assist1540.repository import DataRepository
from assist1540.validation_report import ValidationReport

# Statuses at which a request has been authenticated, so it may be posted.
_AUTHENTICATED = {"authenticated", "acknowledged", "distributed", "matched", "closed"}


def validate_repository(
    repo: DataRepository, paths: list[Path] | None = None
) -> ValidationReport:
    """Check every record, or only the problems in files under `paths`."""
    # Writing the record cache would slow the first run, which is what CI
    # always runs; the result of a whole run is cached by validation_cache.
    catalog = load_catalog(repo, store_cache=False)
    problems = catalog.problems + check_references(catalog)

    if paths:
        selected = [_selection(repo, path) for path in paths]
        problems = [problem for problem in problems if _is_selected(problem, selected)]
        checked = sum(
            1 for name in _checked_names(repo) if _is_selected_name(name, selected)
        )
    else:
        checked = catalog.checked_files
    return ValidationReport(sorted(set(problems)), checked)


def check_references(catalog: Catalog) -> list[Problem]:
    """Check offers against requests and providers, and posting against status."""
    problems: list[Problem] = []
    for entry in catalog.offers.values():
        problems.extend(_check_offer(catalog, entry))
    for request in catalog.requests.values():
        problems.extend(_check_request(request))
    for kind in ("requests", "offers", "providers"):
        for entry in catalog.entries(kind).values():
            problems.extend(check_future_dates(entry))
    for request in catalog.requests.values():
        problems.extend(_check_state_name(request, "state", request.record.state))
    for provider in catalog.providers.values():
        if provider.record.kind == "state":
            problems.extend(_check_state_name(provider, "name", provider.record.name))
    return problems


def _check_state_name(entry: Entry[Any], field_name: str, name: str) -> list[Problem]:
    """Warn when a State's name does not fit its ISO3 code, e.g. France with MEX."""
    known = COUNTRIES.get(entry.record.iso3 or "")
    if known is None:
        return []
    given = _name_words(name)
    for variant in filter(None, known):
        words = _name_words(variant)
        if given <= words or words <= given:
            return []
    line, column = entry.document.locate((field_name,))
    return [
        Problem(
            entry.path,
            line,
            column,
            field_name,
            f"'{name}' does not look like the name of {entry.record.iso3} "
            f"({known[0]}); check the name and the iso3 code",
            "warning",
        )
    ]


@functools.cache
def _name_words(name: str) -> frozenset[str]:
    # Cached: a repository names the same few hundred States again and again.
    decomposed = unicodedata.normalize("NFKD", name.lower())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return frozenset(re.findall(r"[a-z]+", folded)) - {"the", "of", "and"}


# One day of slack, so a step recorded in a time zone ahead of the machine's
# clock is not reported.
_FUTURE_SLACK = timedelta(days=1)


def check_future_dates(entry: Entry[Any], today: date | None = None) -> list[Problem]:
    """Report dates after today: a received date, a step, a report or a confirmation."""
    latest = (today or date.today()) + _FUTURE_SLACK
    problems = []
    for loc, value in _dated_fields(entry.record):
        day = value.earliest() if isinstance(value, PartialDate) else value
        if day > latest:
            line, column = entry.document.locate(loc)
            problems.append(
                Problem(
                    entry.path,
                    line,
                    column,
                    format_field(loc),
                    f"date {value} is after today; check the year, month and day",
                )
            )
    return problems


def _dated_fields(record: Any) -> list[tuple[tuple[str | int, ...], Any]]:
    fields: list[tuple[tuple[str | int, ...], Any]] = []
    # Asking a pydantic model for a field it lacks raises and catches an
    # AttributeError inside getattr, which is slow, so look the names up first.
    present = type(record).model_fields
    for name in ("received", "last_confirmed"):
        value = getattr(record, name) if name in present else None
        if value is not None:
            fields.append(((name,), value))
    for list_name in ("history", "reports", "feedback"):
        entries = getattr(record, list_name) if list_name in present else None
        for index, entry in enumerate(entries or []):
            fields.append(((list_name, index, "date"), entry.date))
    programmes = record.programmes if "programmes" in present else None
    for index, programme in enumerate(programmes or []):
        if programme.last_confirmed is not None:
            fields.append(
                (("programmes", index, "last_confirmed"), programme.last_confirmed)
            )
    return fields


def _check_offer(catalog: Catalog, entry: Entry[Offer]) -> list[Problem]:
    offer = entry.record
    problems = []
    request = catalog.requests.get(offer.request)
    invalid_request = catalog.invalid["requests"].get(offer.request)
    if request is None and invalid_request is not None:
        message = _unchecked("request", offer.request, invalid_request)
        problems.append(_at(entry, ("request",), message, "warning"))
    elif request is None:
        problems.append(
            _at(
                entry,
                ("request",),
                f"request '{offer.request}' not found; use the "
                "id of a file in data/requests",
            )
        )
    else:
        count = len(request.record.items)
        for index, number in enumerate(offer.items):
            if not 1 <= number <= count:
                problems.append(
                    _at(
                        entry,
                        ("items", index),
                        f"request '{offer.request}' has no "
                        f"item {number}; its items are numbered 1 to {count}",
                    )
                )

    provider = catalog.providers.get(offer.provider)
    invalid_provider = catalog.invalid["providers"].get(offer.provider)
    if provider is None and invalid_provider is not None:
        message = _unchecked("provider", offer.provider, invalid_provider)
        problems.append(_at(entry, ("provider",), message, "warning"))
    elif provider is None:
        problems.append(
            _at(
                entry,
                ("provider",),
                f"provider '{offer.provider}' not found; use "
                "the id of a file in data/providers",
            )
        )
    elif offer.programme is not None:
        names = [programme.name for programme in provider.record.programmes]
        if offer.programme not in names:
            problems.append(
                _at(
                    entry,
                    ("programme",),
                    f"provider '{offer.provider}' has no "
                    f"programme named '{offer.programme}'; use one of its programme "
                    "names, or leave programme out",
                )
            )
    return problems


def _unchecked(kind: str, record_id: str, path: str) -> str:
    """Explain that a reference cannot be checked because its file has errors."""
    return (
        f"{kind} '{record_id}' cannot be checked because {path} has errors; fix "
        "that file first"
    )


def _check_request(entry: Entry[Request]) -> list[Problem]:
    request = entry.record
    if request.published and request.status not in _AUTHENTICATED:
        return [
            _at(
                entry,
                ("published",),
                f"published is true but the request is "
                f"'{request.status}'; only authenticated requests are posted, so "
                "set published to false until it is authenticated",
            )
        ]
    return []


def _at(
    entry: Entry[Any],
    loc: tuple[str | int, ...],
    message: str,
    severity: Severity = "error",
) -> Problem:
    line, column = entry.document.locate(loc)
    field_name = ".".join(str(part) for part in loc if isinstance(part, str))
    if len(loc) > 1 and isinstance(loc[-1], int):
        field_name += f"[{loc[-1]}]"
    return Problem(entry.path, line, column, field_name, message, severity)


def _selection(repo: DataRepository, path: Path) -> str:
    resolved = path.resolve()
    if not resolved.exists():
        raise UsageError(
            f"{path}: no such file or folder; give a path inside {repo.root}"
        )
    try:
        return resolved.relative_to(repo.root).as_posix()
    except ValueError:
        raise UsageError(
            f"{path} is outside the data repository {repo.root}; give a path inside it"
        ) from None


def _is_selected(problem: Problem, selected: list[str]) -> bool:
    return _is_selected_name(problem.path, selected)


def _is_selected_name(name: str, selected: list[str]) -> bool:
    return any(
        item in ("", ".") or name == item or name.startswith(item.rstrip("/") + "/")
        for item in selected
    )


def _checked_names(repo: DataRepository) -> list[str]:
    names = [repo.relative(repo.taxonomy_path)]
    for kind in ("requests", "offers", "providers"):
        names.extend(repo.relative(path) for path in repo.record_files(kind))
    return names
