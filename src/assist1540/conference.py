"""Pair the requesting States and providers at an assistance conference.

A participant is a provider id, or an ISO3 code. A code is a requesting State
when the State has open requests. It is also a provider when a provider of kind
state has that code. Every open item of each requesting
State is ranked with Matcher, and the item goes on the agenda of a bilateral
meeting with each participating provider that scores at least
MIN_SHARE_OF_BEST of the best participating provider's score for it. A pair's
score is the sum of its items' scores, so a provider that fits several needs
of a State ranks above one that fits a single need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assist1540.catalog import Catalog, Entry
from assist1540.countries import COUNTRIES
from assist1540.errors import UsageError
from assist1540.matching import Match, Matcher
from assist1540.models import Event, Request

# An item goes to the providers that score at least half as well as the best
# participating one, so it reaches a few strong providers rather than all.
MIN_SHARE_OF_BEST = 0.5

# Requests that take no meeting: closed, or informal until formalised.
_NOT_OPEN = ("closed", "informal")


@dataclass(frozen=True)
class AgendaItem:
    """A request item to discuss in a meeting, with the provider's score for it."""

    request: str
    item: int
    summary: str
    score: float
    programme: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Pairing:
    """A bilateral meeting: a requesting State, a provider and their agenda."""

    state: str
    state_name: str
    provider: str
    provider_name: str
    score: float
    items: tuple[AgendaItem, ...]


@dataclass(frozen=True)
class ConferencePlan:
    """The pairings, and the participants that were left out, with the reason."""

    pairings: tuple[Pairing, ...]
    left_out: tuple[tuple[str, str], ...]


def check_participants(catalog: Catalog, participants: Sequence[str]) -> list[str]:
    """Return the participants with ISO3 codes in capitals, or raise UsageError."""
    checked = []
    for participant in participants:
        if participant in catalog.providers:
            checked.append(participant)
        elif participant.upper() in COUNTRIES:
            checked.append(participant.upper())
        else:
            raise UsageError(
                f"invalid --participant '{participant}': it is neither a provider "
                "id nor an ISO3 code; use a file name from data/providers, such as "
                "canada, or a code such as MEX"
            )
    if len(set(checked)) != len(checked):
        raise UsageError("--participant lists the same participant twice")
    return checked


def plan_meetings(
    catalog: Catalog, event: Event, matcher: Matcher | None = None, top: int = 5
) -> ConferencePlan:
    """Pair the event's requesting States with its providers, best first per State.

    `top` is the number of providers kept for each requesting State.
    """
    matcher = matcher or Matcher(catalog)
    requesters, providers, left_out = _sort_participants(catalog, event.participants)

    pairings: list[Pairing] = []
    for iso3, entries in sorted(requesters.items()):
        agendas: dict[str, list[AgendaItem]] = {}
        for entry in entries:
            for number in range(1, len(entry.record.items) + 1):
                ranking = matcher.rank_item(entry, number)
                for match in _strong_matches(ranking.matches, providers, iso3):
                    agendas.setdefault(match.provider, []).append(
                        AgendaItem(
                            entry.id,
                            number,
                            ranking.summary,
                            match.score,
                            match.programme,
                            match.reasons,
                        )
                    )
        state_name = entries[0].record.state
        pairings.extend(_best_pairings(catalog, iso3, state_name, agendas, top))
    return ConferencePlan(tuple(pairings), tuple(left_out))


def _sort_participants(
    catalog: Catalog, participants: Sequence[str]
) -> tuple[
    dict[str, list[Entry[Request]]], dict[str, str | None], list[tuple[str, str]]
]:
    """Split participants into requesting States and providers (id -> ISO3 or None)."""
    open_requests: dict[str, list[Entry[Request]]] = {}
    for _, entry in sorted(catalog.requests.items()):
        if entry.record.status not in _NOT_OPEN:
            open_requests.setdefault(entry.record.iso3, []).append(entry)
    state_providers = {
        entry.record.iso3: provider_id
        for provider_id, entry in sorted(catalog.providers.items())
        if entry.record.kind == "state" and entry.record.iso3 is not None
    }

    requesters: dict[str, list[Entry[Request]]] = {}
    providers: dict[str, str | None] = {}
    left_out: list[tuple[str, str]] = []
    for participant in participants:
        if participant in catalog.providers:
            providers[participant] = catalog.providers[participant].record.iso3
            continue
        found = False
        if participant in open_requests:
            requesters[participant] = open_requests[participant]
            found = True
        if participant in state_providers:
            providers[state_providers[participant]] = participant
            found = True
        if not found:
            left_out.append(
                (
                    participant,
                    "has no open request and is not on the list of providers",
                )
            )
    return requesters, providers, left_out


def _strong_matches(
    matches: Sequence[Match], providers: dict[str, str | None], iso3: str
) -> list[Match]:
    present = [
        match
        for match in matches
        if match.provider in providers and providers[match.provider] != iso3
    ]
    best = max((match.score for match in present), default=0.0)
    if best <= 0:
        return []
    return [match for match in present if match.score >= MIN_SHARE_OF_BEST * best]


def _best_pairings(
    catalog: Catalog,
    iso3: str,
    state_name: str,
    agendas: dict[str, list[AgendaItem]],
    top: int,
) -> list[Pairing]:
    pairings = [
        Pairing(
            iso3,
            state_name,
            provider_id,
            catalog.providers[provider_id].record.label,
            round(sum(item.score for item in items), 3),
            tuple(items),
        )
        for provider_id, items in agendas.items()
    ]
    pairings.sort(key=lambda pairing: (-pairing.score, pairing.provider))
    return pairings[:top]
