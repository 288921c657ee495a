"""Views of the records for `status` and `list`: one record's story, and filters.

The functions take a Catalog and return plain rows and JSON-ready values, so
the commands only print them.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assist1540.catalog import Catalog, Entry
from assist1540.countries import COUNTRIES
from assist1540.errors import UsageError
from assist1540.models import REQUEST_STATUSES, HistoryEntry, Offer, Request
from assist1540.repository import check_record_id

HISTORY_COLUMNS = [
    ("date", "left"),
    ("action", "left"),
    ("actor", "left"),
    ("reference", "left"),
    ("note", "left"),
]
LIST_COLUMNS = [
    ("request", "left"),
    ("state", "left"),
    ("received", "left"),
    ("status", "left"),
    ("items", "right"),
    ("offers", "left"),
]


@dataclass(frozen=True)
class Table:
    """A table to print: columns are (header, justify) pairs."""

    title: str
    columns: list[tuple[str, str]]
    rows: list[list[str]]


@dataclass(frozen=True)
class Story:
    """One record's whole story: its fields, its tables and the same as JSON."""

    kind: str
    record_id: str
    path: str
    fields: list[tuple[str, str]]
    tables: list[Table]
    json: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestFilter:
    """The `list` options; None leaves a filter out."""

    state: str | None = None
    status: str | None = None
    area: str | None = None
    year: int | None = None
    provider: str | None = None


# --- status ---------------------------------------------------------------------


def load_story(catalog: Catalog, record_id: str) -> Story:
    """Build the story of the request or offer with this id.

    Raises:
        UsageError: when no valid request or offer has the id.
    """
    check_record_id(record_id)
    if record_id in catalog.requests:
        return request_story(catalog, catalog.requests[record_id])
    if record_id in catalog.offers:
        return offer_story(catalog, catalog.offers[record_id])

    for kind in ("requests", "offers"):
        path = catalog.invalid[kind].get(record_id)
        if path is not None:
            raise UsageError(
                f"{path} has errors, so it cannot be shown; run 'assist1540 "
                "validate' and fix them"
            )
    known = [*catalog.requests, *catalog.offers]
    close = difflib.get_close_matches(record_id, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"no request or offer has the id '{record_id}'{hint}")


def request_story(catalog: Catalog, entry: Entry[Request]) -> Story:
    request = entry.record
    offers = offers_of(catalog, entry.id)
    fields = [
        ("state", f"{request.state} ({request.iso3})"),
        ("received", str(request.received)),
        ("channel", request.channel),
        ("language", request.language),
        ("formal", _yes_no(request.formal)),
        ("status", request.status),
        ("consent", _consent(request)),
        ("published", _yes_no(request.published)),
    ]
    if request.authentication is not None:
        authentication = request.authentication
        parts = [str(authentication.date), authentication.method or ""]
        parts.append(authentication.reference or "")
        fields.append(("authenticated", ", ".join(part for part in parts if part)))
    fields.extend(_optional_fields(request.sources, request.notes))
    if request.internal_notes:
        fields.append(("internal notes", request.internal_notes))

    items = Table(
        "items",
        [
            ("#", "right"),
            ("summary", "left"),
            ("areas", "left"),
            ("weapons", "left"),
            ("types", "left"),
            ("confidence", "left"),
        ],
        [
            [
                str(number),
                item.summary,
                ", ".join(item.areas),
                ", ".join(item.weapons),
                ", ".join(item.types),
                item.confidence,
            ]
            for number, item in enumerate(request.items, start=1)
        ],
    )
    offer_table = Table(
        "offers",
        [
            ("offer", "left"),
            ("provider", "left"),
            ("programme", "left"),
            ("items", "left"),
            ("status", "left"),
        ],
        [
            [
                offer.id,
                _provider_label(catalog, offer.record.provider),
                offer.record.programme or "",
                _item_numbers(offer.record),
                offer.record.status,
            ]
            for offer in offers
        ],
    )
    record = request.model_dump(mode="json")
    record["history"] = [_entry_json(step) for step in ordered_history(request.history)]
    json_value = {
        "kind": "request",
        "id": entry.id,
        "path": entry.path,
        "record": record,
        "offers": [_offer_summary(offer) for offer in offers],
    }
    tables = [items, _history_table(request.history), offer_table]
    return Story("request", entry.id, entry.path, fields, tables, json_value)


def offer_story(catalog: Catalog, entry: Entry[Offer]) -> Story:
    offer = entry.record
    request = catalog.requests.get(offer.request)
    request_text = offer.request
    if request is not None:
        request_text += f" ({request.record.state}, {request.record.status})"
    fields = [
        ("request", request_text),
        ("provider", f"{_provider_label(catalog, offer.provider)} ({offer.provider})"),
        ("programme", offer.programme or "(none named)"),
        ("items", _item_numbers(offer)),
        ("received", str(offer.received)),
        ("summary", offer.summary),
        ("status", offer.status),
    ]
    fields.extend(_optional_fields([], offer.notes))
    if offer.internal_notes:
        fields.append(("internal notes", offer.internal_notes))

    tables = []
    if request is not None:
        numbers = offer.items or list(range(1, len(request.record.items) + 1))
        tables.append(
            Table(
                f"items of request {offer.request}",
                [("#", "right"), ("summary", "left")],
                [
                    [str(number), request.record.items[number - 1].summary]
                    for number in numbers
                    if number <= len(request.record.items)
                ],
            )
        )
    tables.append(
        Table(
            "reports",
            [("date", "left"), ("kind", "left"), ("by", "left"), ("summary", "left")],
            [
                [str(report.date), report.kind, report.by, report.summary or ""]
                for report in offer.reports
            ],
        )
    )
    tables.append(
        Table(
            "feedback",
            [
                ("date", "left"),
                ("by", "left"),
                ("activities", "left"),
                ("achievements", "left"),
                ("opportunities", "left"),
            ],
            [
                [
                    str(feedback.date),
                    feedback.by,
                    feedback.activities,
                    feedback.achievements,
                    feedback.opportunities,
                ]
                for feedback in offer.feedback
            ],
        )
    )
    tables.append(_history_table(offer.history))

    record = offer.model_dump(mode="json")
    record["history"] = [_entry_json(step) for step in ordered_history(offer.history)]
    json_value: dict[str, Any] = {
        "kind": "offer",
        "id": entry.id,
        "path": entry.path,
        "record": record,
        "request": None,
    }
    if request is not None:
        json_value["request"] = {
            "id": offer.request,
            "state": request.record.state,
            "status": request.record.status,
        }
    return Story("offer", entry.id, entry.path, fields, tables, json_value)


def ordered_history(history: Sequence[HistoryEntry]) -> list[HistoryEntry]:
    """Sort steps by day; steps of the same day keep their order in the file."""
    return sorted(history, key=lambda step: step.date)


def offers_of(catalog: Catalog, request_id: str) -> list[Entry[Offer]]:
    return [
        offer
        for _, offer in sorted(catalog.offers.items())
        if offer.record.request == request_id
    ]


# --- list -----------------------------------------------------------------------


def check_filter(catalog: Catalog, request_filter: RequestFilter) -> RequestFilter:
    """Check each filter value, returning the filter with the State code upper-case.

    Raises:
        UsageError: naming the option and a value to use instead.
    """
    state = request_filter.state
    if state is not None:
        if state.upper() not in COUNTRIES:
            raise UsageError(
                f"invalid --state '{state}'; use an ISO 3166-1 alpha-3 code, e.g. MEX"
            )
        state = state.upper()
    if (
        request_filter.status is not None
        and request_filter.status not in REQUEST_STATUSES
    ):
        raise UsageError(
            f"invalid --status '{request_filter.status}'; use one of "
            f"{', '.join(REQUEST_STATUSES)}"
        )
    if request_filter.area is not None and catalog.taxonomy is not None:
        _check_known(
            "--area", request_filter.area, catalog.taxonomy.ids("areas"), "area"
        )
    year = request_filter.year
    if year is not None and not 1000 <= year <= 9999:
        raise UsageError(f"invalid --year {year}; give four digits, e.g. 2006")
    if request_filter.provider is not None:
        _check_known(
            "--provider", request_filter.provider, list(catalog.providers), "provider"
        )
    return RequestFilter(
        state, request_filter.status, request_filter.area, year, request_filter.provider
    )


def select_requests(
    catalog: Catalog, request_filter: RequestFilter
) -> list[Entry[Request]]:
    """List the requests that pass every filter, in id order."""
    selected = []
    for request_id, entry in sorted(catalog.requests.items()):
        request = entry.record
        if request_filter.state and request.iso3 != request_filter.state:
            continue
        if request_filter.status and request.status != request_filter.status:
            continue
        if request_filter.year and request.received.year != request_filter.year:
            continue
        if request_filter.area and not any(
            request_filter.area in item.areas for item in request.items
        ):
            continue
        if request_filter.provider and not any(
            offer.record.provider == request_filter.provider
            for offer in offers_of(catalog, request_id)
        ):
            continue
        selected.append(entry)
    return selected


def request_rows(
    catalog: Catalog, entries: Sequence[Entry[Request]]
) -> list[list[str]]:
    return [
        [
            entry.id,
            entry.record.state,
            str(entry.record.received),
            entry.record.status,
            str(len(entry.record.items)),
            ", ".join(
                f"{offer.id} ({offer.record.status})"
                for offer in offers_of(catalog, entry.id)
            ),
        ]
        for entry in entries
    ]


def requests_json(
    catalog: Catalog, entries: Sequence[Entry[Request]]
) -> list[dict[str, Any]]:
    return [
        {
            "id": entry.id,
            "state": entry.record.state,
            "iso3": entry.record.iso3,
            "received": str(entry.record.received),
            "status": entry.record.status,
            "published": entry.record.published,
            "items": [
                {
                    "number": number,
                    "summary": item.summary,
                    "areas": list(item.areas),
                    "weapons": list(item.weapons),
                    "types": list(item.types),
                }
                for number, item in enumerate(entry.record.items, start=1)
            ],
            "offers": [_offer_summary(offer) for offer in offers_of(catalog, entry.id)],
        }
        for entry in entries
    ]


# --- helpers --------------------------------------------------------------------


def _check_known(option: str, value: str, known: list[str], what: str) -> None:
    if value in known:
        return
    close = difflib.get_close_matches(value, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"use a known {what} id"
    raise UsageError(f"unknown {option} '{value}'; {hint}")


def _history_table(history: Sequence[HistoryEntry]) -> Table:
    return Table(
        "history",
        HISTORY_COLUMNS,
        [
            [
                str(step.date),
                step.action,
                step.actor or "",
                step.reference or "",
                step.note or "",
            ]
            for step in ordered_history(history)
        ],
    )


def _entry_json(step: HistoryEntry) -> dict[str, Any]:
    return step.model_dump(mode="json")


def _offer_summary(offer: Entry[Offer]) -> dict[str, Any]:
    return {
        "id": offer.id,
        "provider": offer.record.provider,
        "programme": offer.record.programme,
        "items": list(offer.record.items),
        "received": str(offer.record.received),
        "status": offer.record.status,
    }


def _provider_label(catalog: Catalog, provider_id: str) -> str:
    provider = catalog.providers.get(provider_id)
    return provider.record.label if provider is not None else provider_id


def _item_numbers(offer: Offer) -> str:
    return ", ".join(str(number) for number in offer.items) or "all"


def _consent(request: Request) -> str:
    consent = request.consent
    parts: list[str] = [consent.status]
    if consent.date is not None:
        parts.append(f"on {consent.date}")
    if consent.source:
        parts.append(f"({consent.source})")
    return " ".join(parts)


def _optional_fields(sources: list[str], notes: str | None) -> list[tuple[str, str]]:
    fields = [("source", source) for source in sources]
    if notes:
        fields.append(("notes", notes))
    return fields


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
