"""Loose ends of the records: repeated requests, idle offers, stale providers.

These parts of the coverage report look at every request, offer and provider,
not only at the open items the matcher ranks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assist1540.catalog import Catalog
from assist1540.config import Timers
from assist1540.due import list_due_steps
from assist1540.matching import Matcher

# Offers in these statuses were never taken up.
NOT_TAKEN_UP = ("received", "circulated", "informed", "no-answer", "declined")


@dataclass(frozen=True)
class RequestAreas:
    """A request, open or closed, with the areas of all its items."""

    request: str
    state: str
    iso3: str
    received: str
    year: int
    status: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class RepeatedRequest:
    """Two requests of one State whose areas overlap, the earlier first."""

    iso3: str
    state: str
    earlier: str
    later: str
    shared_areas: tuple[str, ...]


@dataclass(frozen=True)
class UntakenOffer:
    """An offer never taken up, older than the period the report allows."""

    offer: str
    request: str
    state: str
    provider: str
    status: str
    received: str
    age_days: int


@dataclass(frozen=True)
class StaleProvider:
    """A provider or programme whose information is due for confirmation."""

    provider: str
    name: str
    programme: str | None
    last_confirmed: str | None
    days_overdue: int | None


# --- Repeated requests ------------------------------------------------------------


def list_request_areas(catalog: Catalog, matcher: Matcher) -> list[RequestAreas]:
    """List every request with the areas of its items, given or inferred."""
    requests = []
    for request_id, entry in sorted(catalog.requests.items()):
        request = entry.record
        areas: set[str] = set()
        for item in request.items:
            areas |= matcher.effective_tags(request, item).areas
        requests.append(
            RequestAreas(
                request_id,
                request.state,
                request.iso3,
                str(request.received),
                request.received.year,
                request.status,
                tuple(sorted(areas)),
            )
        )
    return requests


def list_repeated_requests(requests: Sequence[RequestAreas]) -> list[RepeatedRequest]:
    """Pair the requests of each State whose areas overlap, closed ones included.

    A State that asks again in an area it asked about before may not have been
    helped the first time, so closed requests count too.
    """
    ordered = sorted(requests, key=lambda r: (r.iso3, r.received, r.request))
    repeated = []
    for index, earlier in enumerate(ordered):
        for later in ordered[index + 1 :]:
            if later.iso3 != earlier.iso3:
                break
            shared = sorted(set(earlier.areas) & set(later.areas))
            if shared:
                repeated.append(
                    RepeatedRequest(
                        earlier.iso3,
                        earlier.state,
                        earlier.request,
                        later.request,
                        tuple(shared),
                    )
                )
    return repeated


# --- Offers and providers ---------------------------------------------------------


def list_untaken_offers(
    catalog: Catalog, on: date, age_days: int
) -> list[UntakenOffer]:
    offers = []
    for offer_id, entry in sorted(catalog.offers.items()):
        offer = entry.record
        age = (on - offer.received.earliest()).days
        if offer.status not in NOT_TAKEN_UP or age <= age_days:
            continue
        request = catalog.requests.get(offer.request)
        offers.append(
            UntakenOffer(
                offer_id,
                offer.request,
                request.record.state if request else "",
                offer.provider,
                offer.status,
                str(offer.received),
                age,
            )
        )
    return offers


def list_stale_providers(
    catalog: Catalog, timers: Timers, on: date
) -> list[StaleProvider]:
    """List the confirmations `due` counts as due on `on`, so the two agree."""
    stale = []
    for step in list_due_steps(catalog, timers, on):
        if step.step not in ("confirm-provider", "confirm-programme"):
            continue
        provider = catalog.providers[step.record].record
        confirmed = provider.last_confirmed
        if step.programme is not None:
            confirmed = next(
                p.last_confirmed
                for p in provider.programmes
                if p.name == step.programme
            )
        stale.append(
            StaleProvider(
                step.record,
                provider.label,
                step.programme,
                str(confirmed) if confirmed is not None else None,
                step.days_overdue,
            )
        )
    return sorted(stale, key=lambda s: (s.provider, s.programme or ""))
