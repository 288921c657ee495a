"""Flat tables of requests, items, offers and programmes for analysts.

Each column has a name, an HXL hashtag for the optional tag row, and a flag
for internal fields (contacts, internal notes, authentication), which a table
carries only when built with `internal=True`. Tags are those a record gives,
never inferred ones, and list cells stay lists until a file format joins them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from assist1540.catalog import Catalog
from assist1540.errors import UsageError
from assist1540.models import Contact, Offer, Provider, Request
from assist1540.regions import region_label

TableKind = Literal["requests", "items", "offers", "providers"]
TABLE_KINDS: tuple[TableKind, ...] = ("requests", "items", "offers", "providers")

CellValue = str | int | bool | None | list[str] | list[int]

# IATI activity status codes (the ActivityStatus codelist): 1 Pipeline/
# identification, 2 Implementation, 3 Finalisation, 4 Closed, 5 Cancelled,
# 6 Suspended. An offer is in the pipeline until the requesting State takes it
# up. No-answer is suspended, because the offer waits on the State and can
# still be taken up. Completed is finalisation, because the feedback that
# evaluates the assistance is still to come. Feedback closes the offer, and a
# declined offer is cancelled.
OFFER_IATI_STATUS: dict[str, int] = {
    "received": 1,
    "circulated": 1,
    "informed": 1,
    "no-answer": 6,
    "taken-up": 2,
    "in-progress": 2,
    "completed": 3,
    "feedback-received": 4,
    "declined": 5,
}
# A closed request is closed (4) when it was met, and cancelled (5) when the
# State withdrew it or it lapsed. The note of its close step gives the reason.
CLOSE_REASON_IATI_STATUS: dict[str, int] = {"met": 4, "withdrawn": 5, "lapsed": 5}
# An open request, or one item of it, is in the pipeline (1) until an offer on
# it is taken up. It is in implementation (2) while an offer is under way, and
# in finalisation (3) once assistance was delivered and none is under way.


@dataclass(frozen=True)
class Column:
    """A column of an export: its header, HXL hashtag and whether it is internal."""

    name: str
    hxl: str
    internal: bool = False


@dataclass(frozen=True)
class Table:
    """A flat table, ready to write as CSV, XLSX or JSON."""

    kind: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[CellValue, ...], ...]


_LOCATION = (
    Column("state", "#country+name"),
    Column("iso3", "#country+code"),
    Column("region", "#region+name"),
)
_TAGS = (
    Column("areas", "#sector"),
    Column("weapons", "#subsector+weapon"),
    Column("types", "#activity+type"),
)
_INTERNAL = (
    Column("contacts", "#contact", internal=True),
    Column("internal_notes", "#description+internal", internal=True),
)

REQUEST_COLUMNS: tuple[Column, ...] = (
    Column("request", "#activity+id+request"),
    *_LOCATION,
    Column("received", "#date+received"),
    Column("year", "#date+year"),
    Column("channel", "#meta+channel"),
    Column("language", "#meta+lang"),
    Column("formal", "#meta+formal"),
    Column("status", "#status"),
    Column("iati_status", "#status+code+iati"),
    Column("close_reason", "#status+reason"),
    Column("consent", "#status+consent"),
    Column("published", "#meta+published"),
    Column("items", "#meta+items+num"),
    *_TAGS,
    Column("offers", "#meta+offers+num"),
    Column("acknowledged", "#date+acknowledged"),
    Column("distributed", "#date+distributed"),
    Column("closed", "#date+closed"),
    Column("notes", "#description+notes"),
    Column("sources", "#meta+source"),
    Column("authenticated", "#date+authenticated", internal=True),
    Column("authentication_method", "#meta+authentication", internal=True),
    Column("authentication_reference", "#meta+authentication+ref", internal=True),
    *_INTERNAL,
)
ITEM_COLUMNS: tuple[Column, ...] = (
    Column("request", "#activity+id+request"),
    Column("item", "#activity+item+num"),
    *_LOCATION,
    Column("received", "#date+received"),
    Column("year", "#date+year"),
    Column("status", "#status"),
    Column("iati_status", "#status+code+iati"),
    Column("summary", "#description"),
    *_TAGS,
    Column("confidence", "#meta+confidence"),
    Column("offers", "#meta+offers+num"),
)
OFFER_COLUMNS: tuple[Column, ...] = (
    Column("offer", "#activity+id+offer"),
    Column("request", "#activity+id+request"),
    Column("items", "#activity+item+num"),
    *_LOCATION,
    Column("provider", "#org+provider+code"),
    Column("provider_name", "#org+provider+name"),
    Column("programme", "#activity+name+programme"),
    Column("received", "#date+received"),
    Column("year", "#date+year"),
    Column("status", "#status"),
    Column("iati_status", "#status+code+iati"),
    Column("reports", "#meta+reports+num"),
    Column("last_report", "#date+reported"),
    Column("completed", "#date+completed"),
    Column("feedback", "#meta+feedback+num"),
    Column("summary", "#description"),
    Column("notes", "#description+notes"),
    *_INTERNAL,
)
PROGRAMME_COLUMNS: tuple[Column, ...] = (
    Column("provider", "#org+provider+code"),
    Column("provider_name", "#org+provider+name"),
    Column("short_name", "#org+provider+acronym"),
    Column("kind", "#org+provider+type"),
    Column("iso3", "#country+code"),
    Column("programme", "#activity+name+programme"),
    Column("summary", "#description"),
    Column("regions", "#region+name"),
    *_TAGS,
    Column("programme_last_confirmed", "#date+confirmed+programme"),
    Column("provider_last_confirmed", "#date+confirmed+provider"),
    Column("sources", "#meta+source"),
    *_INTERNAL,
)


def build_table(
    catalog: Catalog, kind: str, internal: bool = False, unpublished: bool = False
) -> Table:
    """Build the table of `kind`, leaving internal columns out unless asked.

    Requests the website may not show (no consent, not published, not yet
    authenticated) and their items and offers are left out unless `unpublished`
    or `internal` is set, so a default export holds only what the States
    agreed to publish.

    Raises:
        UsageError: when `kind` is not one of TABLE_KINDS.
    """
    builders: dict[str, tuple[tuple[Column, ...], Callable[[Catalog], list[Any]]]] = {
        "requests": (REQUEST_COLUMNS, _request_rows),
        "items": (ITEM_COLUMNS, _item_rows),
        "offers": (OFFER_COLUMNS, _offer_rows),
        "providers": (PROGRAMME_COLUMNS, _programme_rows),
    }
    if kind not in builders:
        raise UsageError(
            f"invalid table '{kind}'; export one of {', '.join(TABLE_KINDS)}"
        )
    if not (internal or unpublished):
        catalog = _public_part(catalog)
    all_columns, make_rows = builders[kind]
    columns = tuple(c for c in all_columns if internal or not c.internal)
    rows = tuple(
        tuple(values[column.name] for column in columns)
        for values in make_rows(catalog)
    )
    return Table(kind, columns, rows)


def _public_part(catalog: Catalog) -> Catalog:
    from assist1540.rendering.public import is_public_request

    requests = {
        request_id: entry
        for request_id, entry in catalog.requests.items()
        if is_public_request(entry.record)
    }
    offers = {
        offer_id: entry
        for offer_id, entry in catalog.offers.items()
        if entry.record.request in requests
    }
    return dataclasses.replace(catalog, requests=requests, offers=offers)


# --- IATI status ------------------------------------------------------------------


def request_iati_status(request: Request, offers: Sequence[Offer]) -> int:
    """Map a request, or one of its items, to an IATI activity status code."""
    if request.status == "closed":
        reason = close_reason(request)
        return CLOSE_REASON_IATI_STATUS.get(reason or "", 4)
    codes = {OFFER_IATI_STATUS[offer.status] for offer in offers}
    if 2 in codes:
        return 2
    if codes & {3, 4}:
        return 3
    return 1


def close_reason(request: Request) -> str | None:
    """Read the reason from the last close step's note, "closed: met" and so on."""
    for step in reversed(request.history):
        if step.action == "close" and step.note and step.note.startswith("closed: "):
            return step.note.removeprefix("closed: ").split(";")[0].strip()
    return None


# --- Rows -----------------------------------------------------------------------------


def _request_rows(catalog: Catalog) -> list[dict[str, CellValue]]:
    rows = []
    for request_id, entry in sorted(catalog.requests.items()):
        request = entry.record
        offers = _offers_on(catalog, request_id)
        authentication = request.authentication
        rows.append(
            {
                "request": request_id,
                **_location(request),
                "received": str(request.received),
                "year": request.received.year,
                "channel": request.channel,
                "language": request.language,
                "formal": request.formal,
                "status": request.status,
                "iati_status": request_iati_status(request, offers),
                "close_reason": close_reason(request),
                "consent": request.consent.status,
                "published": request.published,
                "items": len(request.items),
                **_union_of_tags(request),
                "offers": len(offers),
                "acknowledged": _first_step(request, "acknowledge"),
                "distributed": _first_step(request, "distribute"),
                "closed": _first_step(request, "close"),
                "notes": request.notes,
                "sources": list(request.sources),
                "authenticated": (
                    authentication.date.isoformat() if authentication else None
                ),
                "authentication_method": authentication.method
                if authentication
                else None,
                "authentication_reference": (
                    authentication.reference if authentication else None
                ),
                "contacts": _contacts(request.contacts),
                "internal_notes": request.internal_notes,
            }
        )
    return rows


def _item_rows(catalog: Catalog) -> list[dict[str, CellValue]]:
    rows = []
    for request_id, entry in sorted(catalog.requests.items()):
        request = entry.record
        for number, item in enumerate(request.items, start=1):
            offers = [
                offer
                for offer in _offers_on(catalog, request_id)
                if not offer.items or number in offer.items
            ]
            rows.append(
                {
                    "request": request_id,
                    "item": number,
                    **_location(request),
                    "received": str(request.received),
                    "year": request.received.year,
                    "status": request.status,
                    "iati_status": request_iati_status(request, offers),
                    "summary": item.summary,
                    "areas": list(item.areas),
                    "weapons": list(item.weapons),
                    "types": list(item.types),
                    "confidence": item.confidence,
                    "offers": len(offers),
                }
            )
    return rows


def _offer_rows(catalog: Catalog) -> list[dict[str, CellValue]]:
    rows = []
    for offer_id, entry in sorted(catalog.offers.items()):
        offer = entry.record
        request = catalog.requests.get(offer.request)
        provider = catalog.providers.get(offer.provider)
        reports = sorted(report.date for report in offer.reports)
        completed = [r.date for r in offer.reports if r.kind == "completion"]
        location: dict[str, CellValue] = (
            _location(request.record)
            if request is not None
            else {"state": None, "iso3": None, "region": None}
        )
        rows.append(
            {
                "offer": offer_id,
                "request": offer.request,
                "items": list(offer.items),
                **location,
                "provider": offer.provider,
                "provider_name": provider.record.name if provider else None,
                "programme": offer.programme,
                "received": str(offer.received),
                "year": offer.received.year,
                "status": offer.status,
                "iati_status": OFFER_IATI_STATUS[offer.status],
                "reports": len(offer.reports),
                "last_report": reports[-1].isoformat() if reports else None,
                "completed": min(completed).isoformat() if completed else None,
                "feedback": len(offer.feedback),
                "summary": offer.summary,
                "notes": offer.notes,
                "contacts": _contacts(offer.contacts),
                "internal_notes": offer.internal_notes,
            }
        )
    return rows


def _programme_rows(catalog: Catalog) -> list[dict[str, CellValue]]:
    """List one row per programme, and one for each provider without programmes."""
    rows = []
    for provider_id, entry in sorted(catalog.providers.items()):
        provider = entry.record
        common = _provider_values(provider_id, provider)
        if not provider.programmes:
            rows.append(
                {
                    **common,
                    "programme": None,
                    "summary": provider.notes,
                    "regions": list(provider.regions),
                    "areas": list(provider.areas),
                    "weapons": list(provider.weapons),
                    "types": list(provider.types),
                    "programme_last_confirmed": None,
                }
            )
        for programme in provider.programmes:
            confirmed = programme.last_confirmed
            rows.append(
                {
                    **common,
                    "programme": programme.name,
                    "summary": programme.summary,
                    "regions": list(programme.regions or provider.regions),
                    "areas": list(programme.areas),
                    "weapons": list(programme.weapons),
                    "types": list(programme.types),
                    "programme_last_confirmed": str(confirmed) if confirmed else None,
                }
            )
    return rows


def _provider_values(provider_id: str, provider: Provider) -> dict[str, CellValue]:
    confirmed = provider.last_confirmed
    return {
        "provider": provider_id,
        "provider_name": provider.name,
        "short_name": provider.short_name,
        "kind": provider.kind,
        "iso3": provider.iso3,
        "provider_last_confirmed": str(confirmed) if confirmed else None,
        "sources": list(provider.sources),
        "contacts": _contacts(provider.contacts),
        "internal_notes": provider.internal_notes,
    }


def _location(request: Request) -> dict[str, CellValue]:
    return {
        "state": request.state,
        "iso3": request.iso3,
        "region": region_label(request.iso3),
    }


def _union_of_tags(request: Request) -> dict[str, CellValue]:
    """Collect the tags of all items, each once, in the order they first appear."""
    tags: dict[str, CellValue] = {}
    for kind in ("areas", "weapons", "types"):
        found = [tag for item in request.items for tag in getattr(item, kind)]
        tags[kind] = list(dict.fromkeys(found))
    return tags


def _offers_on(catalog: Catalog, request_id: str) -> list[Offer]:
    return [
        entry.record
        for _, entry in sorted(catalog.offers.items())
        if entry.record.request == request_id
    ]


def _first_step(request: Request, action: str) -> str | None:
    days = [step.date for step in request.history if step.action == action]
    return min(days).isoformat() if days else None


def _contacts(contacts: Sequence[Contact]) -> list[str]:
    """Write each contact as "name (role) <email> phone", without the unset parts."""
    written = []
    for contact in contacts:
        parts = [contact.name]
        if contact.role:
            parts.append(f"({contact.role})")
        if contact.email:
            parts.append(f"<{contact.email}>")
        if contact.phone:
            parts.append(contact.phone)
        written.append(" ".join(parts))
    return written
