"""Build a new request record from command options or a reference-format file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from assist1540.countries import COUNTRIES
from assist1540.dates import PartialDate
from assist1540.errors import RecordError, UsageError
from assist1540.models import CHANNELS, LANGUAGES
from assist1540.reader import read_document
from assist1540.repository import DataRepository


def values_from_options(
    state: str | None, received: str, channel: str, items: list[str], language: str
) -> dict[str, Any]:
    """Check the options of `intake` and shape them as a request record."""
    if not state:
        raise UsageError(
            "missing --state; give the requesting State's ISO3 code, e.g. MEX"
        )
    iso3 = state.upper()
    if iso3 not in COUNTRIES:
        raise UsageError(
            f"invalid --state '{state}'; use an ISO 3166-1 alpha-3 code, e.g. MEX"
        )
    try:
        received_date = PartialDate.parse(received)
    except ValueError as error:
        raise UsageError(f"invalid --received: {error}") from None
    if received_date.earliest() > date.today():
        raise UsageError(f"--received {received} is after today; check the date")
    if channel not in CHANNELS:
        raise UsageError(
            f"invalid --channel '{channel}'; use one of {', '.join(CHANNELS)}"
        )
    if language not in LANGUAGES:
        raise UsageError(f"invalid --language '{language}'; use en, fr or es")
    if not items:
        raise UsageError(
            "missing --item; give each need the request states, one --item each"
        )

    return {
        "state": _state_name(iso3),
        "iso3": iso3,
        "received": received,
        "channel": channel,
        "language": language,
        "status": "received",
        "consent": {"status": "not-asked"},
        "published": False,
        "items": [
            {"summary": summary, "areas": [], "weapons": [], "types": []}
            for summary in items
        ],
        "history": [],
    }


def default_language(repo: DataRepository, state: str | None) -> str:
    """Take the State's language from `[assist1540.languages]`, else English."""
    return repo.config.languages.get((state or "").upper(), "en")


def values_from_file(path: Path) -> dict[str, Any]:
    """Convert a request in the reference-data format into a new record."""
    from assist1540.importing import ImportReport, convert_request

    if not path.is_file():
        raise UsageError(f"--from-file {path}: no such file")
    try:
        document = read_document(path, path.as_posix())
    except RecordError:
        raise
    values = convert_request(document, ImportReport())
    values["status"] = "received"
    return values


def base_request_id(values: dict[str, Any]) -> str:
    """Name a request `<iso3>-<received>`, before any -2, -3 for a taken id."""
    return f"{str(values['iso3']).lower()}-{values['received']}"


def new_request_id(repo: DataRepository, values: dict[str, Any]) -> str:
    """Name a request `<iso3>-<received>`, adding -2, -3 ... when taken."""
    base = base_request_id(values)
    candidate = base
    serial = 2
    while repo.find_record_file("requests", candidate) is not None:
        candidate = f"{base}-{serial}"
        serial += 1
    return candidate


def _state_name(iso3: str) -> str:
    """Name a State by its ISO common name, else its ISO short name."""
    name, _official_name, common_name = COUNTRIES[iso3]
    return common_name or name
