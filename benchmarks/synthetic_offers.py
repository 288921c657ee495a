"""Synthetic offers that answer request items, and assistance conferences."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from synthetic_providers import SyntheticProvider, unique_slug
from synthetic_requests import SyntheticRequest
from yaml_text import Flow, Map, Quoted, dump_record

# The bundled data has no offers. Assumed: two offers on file for every five
# request items, all on requests that have been distributed to providers.
OFFERS_PER_ITEM = 0.4
OFFER_STATUSES = {
    "received": 2,
    "circulated": 2,
    "informed": 1,
    "taken-up": 2,
    "declined": 1,
    "no-answer": 1,
    "in-progress": 2,
    "completed": 1,
    "feedback-received": 1,
}
# The steps an offer went through to reach each status.
_OFFER_STEPS = {
    "received": ("receive",),
    "circulated": ("receive", "circulate"),
    "informed": ("receive", "circulate", "inform"),
    "taken-up": ("receive", "circulate", "inform", "take-up"),
    "declined": ("receive", "circulate", "inform", "decline"),
    "no-answer": ("receive", "circulate", "inform", "remind"),
    "in-progress": ("receive", "circulate", "inform", "take-up", "start"),
    "completed": ("receive", "circulate", "inform", "take-up", "start", "complete"),
    "feedback-received": (
        "receive",
        "circulate",
        "inform",
        "take-up",
        "start",
        "complete",
        "feedback",
    ),
}
_DISTRIBUTED = ("distributed", "matched", "closed")
# The bundled data has no conferences. Assumed: one for every five requests.
EVENTS_PER_REQUEST = 0.2
_PLACES = (
    "Vienna",
    "Geneva",
    "New York",
    "Addis Ababa",
    "Panama City",
    "Bangkok",
    "Lima",
    "Nairobi",
    "Almaty",
    "Amman",
)


def make_offers(
    requests: list[SyntheticRequest],
    providers: list[SyntheticProvider],
    rng: random.Random,
    last_day: date,
) -> dict[str, str]:
    """Make offers on distributed requests from providers working in the items' areas.

    Returns the text of each offer file by its path in the repository.
    """
    distributed = [request for request in requests if request.status in _DISTRIBUTED]
    total_items = sum(len(request.item_areas) for request in requests)
    if not distributed:
        return {}
    by_area: dict[str, list[SyntheticProvider]] = defaultdict(list)
    for provider in providers:
        for area in sorted(provider.areas):
            by_area[area].append(provider)

    used_ids: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    files = {}
    statuses = list(OFFER_STATUSES)
    weights = list(OFFER_STATUSES.values())
    for _ in range(round(OFFERS_PER_ITEM * total_items)):
        request = rng.choice(distributed)
        numbers = _item_numbers(len(request.item_areas), rng)
        areas = request.item_areas[(numbers or [1])[0] - 1]
        # A provider makes one offer per request, as a rule, so redraw a repeat.
        for _attempt in range(5):
            provider = _provider_for(request, areas, by_area, providers, rng)
            if (request.id, provider.id) not in pairs:
                break
        pairs.add((request.id, provider.id))
        offer_id = unique_slug(f"{request.id}-{provider.id}", used_ids)
        status = rng.choices(statuses, weights)[0]
        record = _offer_record(request, numbers, provider, areas, status, rng, last_day)
        suffix = ".md" if rng.random() < 0.1 else ".yaml"
        text = dump_record(record)
        if suffix == ".md":
            text = f"---\n{text}---\n\nOffer as the provider wrote it, in full.\n"
        files[f"data/offers/{offer_id}{suffix}"] = text
    return files


def _item_numbers(count: int, rng: random.Random) -> list[int]:
    """Pick the items an offer answers; an empty list means the whole request."""
    if count > 1 and rng.random() < 0.3:
        return []
    size = rng.randint(1, min(3, count))
    return sorted(rng.sample(range(1, count + 1), size))


def _provider_for(
    request: SyntheticRequest,
    areas: frozenset[str],
    by_area: dict[str, list[SyntheticProvider]],
    providers: list[SyntheticProvider],
    rng: random.Random,
) -> SyntheticProvider:
    # Matching leaves out a State's own provider record, and so does the Committee.
    pool = [provider for area in sorted(areas) for provider in by_area[area]]
    pool = [provider for provider in pool or providers if provider.iso3 != request.iso3]
    return rng.choice(pool or providers)


def _offer_record(
    request: SyntheticRequest,
    numbers: list[int],
    provider: SyntheticProvider,
    areas: frozenset[str],
    status: str,
    rng: random.Random,
    last_day: date,
) -> Map:
    programme = _programme_for(provider, areas, rng)
    received = min(request.received + timedelta(days=rng.randint(20, 400)), last_day)

    record = Map()
    record.add("request", request.id)
    record.add("items", Flow(tuple(str(number) for number in numbers)))
    record.add("provider", provider.id)
    record.add("programme", programme)
    record.add("received", Quoted(received.isoformat()))
    if programme is None:
        record.add("summary", f"{provider.label} offers experts for the items named.")
    else:
        record.add(
            "summary",
            f"{provider.label} offers help under its programme '{programme}'.",
        )
    record.add("status", status)
    steps = []
    day = received
    for action in _OFFER_STEPS[status]:
        step = Map()
        step.add("date", Quoted(day.isoformat()))
        step.add("action", action)
        step.add("actor", "secretariat")
        steps.append(step)
        day = min(day + timedelta(days=rng.randint(3, 60)), last_day)
    record.add("history", steps)
    if rng.random() < 0.15:
        record.add(
            "internal_notes", "The provider asked to be told of related requests."
        )
    return record


def _programme_for(
    provider: SyntheticProvider, areas: frozenset[str], rng: random.Random
) -> str | None:
    if not provider.programmes or rng.random() < 0.2:
        return None
    fitting = [
        name for name, programme_areas in provider.programmes if programme_areas & areas
    ]
    return rng.choice(fitting or [name for name, _ in provider.programmes])


def make_events(
    requests: list[SyntheticRequest],
    providers: list[SyntheticProvider],
    rng: random.Random,
    last_day: date,
) -> dict[str, str]:
    """Make assistance conferences that gather requesting States and providers.

    Returns the text of each conference file by its path in the repository.
    """
    used_ids: set[str] = set()
    files = {}
    for _ in range(max(1, round(EVENTS_PER_REQUEST * len(requests)))):
        day = date(2004, 6, 1) + timedelta(
            days=rng.randrange((last_day - date(2004, 6, 1)).days)
        )
        place = rng.choice(_PLACES)
        states = sorted(
            {request.iso3 for request in rng.sample(requests, min(8, len(requests)))}
        )
        guests = sorted(
            provider.id for provider in rng.sample(providers, min(5, len(providers)))
        )

        record = Map()
        record.add(
            "name", f"Assistance conference on resolution 1540, {place} {day.year}"
        )
        record.add("date", Quoted(day.isoformat()))
        record.add("place", place)
        record.add("participants", [*states, *guests])
        record.add(
            "notes", "Requesting States met the providers in bilateral sessions."
        )
        event_id = unique_slug(f"conference-{place}-{day.year}", used_ids)
        text = dump_record(record)
        if rng.random() < 0.3:
            files[f"data/events/{event_id}.md"] = (
                f"---\n{text}---\n\nProgramme of the conference and the list of "
                "speakers.\n"
            )
        else:
            files[f"data/events/{event_id}.yaml"] = text
    return files
