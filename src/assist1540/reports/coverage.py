"""Coverage of open request items by providers, with the gaps and loose ends.

An item is covered when its best candidate from `Matcher.rank_item` scores at
or above a threshold, and is a gap otherwise. Items are counted under the
areas and weapon categories the matcher ranks them on: their own tags, or the
tags inferred from their text when they have none. An item with several areas
counts under each of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from assist1540.catalog import Catalog, Entry
from assist1540.config import Timers
from assist1540.matching import (
    REGION_BONUS,
    TEXT_WEIGHT,
    ItemMatches,
    Matcher,
    open_requests,
)
from assist1540.models import Programme, Provider, Request, Taxonomy
from assist1540.regions import region_label
from assist1540.reports.loose_ends import (
    RepeatedRequest,
    RequestAreas,
    StaleProvider,
    UntakenOffer,
    list_repeated_requests,
    list_request_areas,
    list_stale_providers,
    list_untaken_offers,
)

# A candidate that shares no area, weapon category or assistance type with an
# item, and is not named in it, scores at most TEXT_WEIGHT + REGION_BONUS = 5:
# its words alone. In the bundled data every open item with an area, given or
# inferred, has a best score of 7.8 or more. The five items that score under 6
# (1.5 to 5.0) are the ones with no area and no weapon category.
DEFAULT_THRESHOLD = TEXT_WEIGHT + REGION_BONUS + 1.0

NO_AREA = "(no area)"
NO_WEAPON = "(no weapon category)"


@dataclass(frozen=True)
class Candidate:
    """A provider ranked for an item, with its best programme and score."""

    provider: str
    provider_name: str
    programme: str | None
    score: float


@dataclass(frozen=True)
class ItemCoverage:
    """One open request item, its tags and the candidates above the threshold."""

    request: str
    item: int
    state: str
    iso3: str
    region: str
    year: int
    summary: str
    areas: tuple[str, ...]
    weapons: tuple[str, ...]
    best: Candidate | None
    candidates: tuple[Candidate, ...]

    @property
    def is_gap(self) -> bool:
        return not self.candidates


@dataclass(frozen=True)
class GroupCoverage:
    """The open items of one area or weapon category, and who covers them.

    `providers` counts the providers that reach the threshold for at least one
    item. `first` names the providers ranked first most often, with the number
    of items, best first. `programmes` counts the programmes tagged with the
    area or category, whether or not an open item needs them, and is None for
    the items without an area or weapon category.
    """

    key: str
    label: str
    items: int
    gaps: int
    providers: int
    first: tuple[tuple[str, int], ...]
    programmes: int | None


@dataclass(frozen=True)
class Cell:
    """Open items and programmes tagged with both an area and a weapon category."""

    area: str
    weapon: str
    items: int
    gaps: int
    programmes: int


@dataclass(frozen=True)
class Tally:
    """Open items and gaps under one region or year."""

    label: str
    items: int
    gaps: int


@dataclass(frozen=True)
class CoverageReport:
    """Everything `report coverage` shows, computed for one day and threshold."""

    on: date
    threshold: float
    offer_age_days: int
    open_requests: int
    items: tuple[ItemCoverage, ...]
    areas: tuple[GroupCoverage, ...]
    weapons: tuple[GroupCoverage, ...]
    cells: tuple[Cell, ...]
    by_region: tuple[Tally, ...]
    by_year: tuple[Tally, ...]
    requests: tuple[RequestAreas, ...]
    repeated: tuple[RepeatedRequest, ...]
    untaken_offers: tuple[UntakenOffer, ...]
    stale_providers: tuple[StaleProvider, ...]

    @property
    def gaps(self) -> tuple[ItemCoverage, ...]:
        return tuple(item for item in self.items if item.is_gap)


def build_coverage(
    catalog: Catalog,
    timers: Timers,
    on: date,
    threshold: float = DEFAULT_THRESHOLD,
    offer_age_days: int | None = None,
    matcher: Matcher | None = None,
) -> CoverageReport:
    """Rank every open item and count coverage, gaps and loose ends on day `on`.

    `offer_age_days` defaults to `timers.follow_up_days`: by then the Chair asks
    the State whether its request was met, so an offer still not taken up is one
    the State let pass.
    """
    matcher = matcher or Matcher(catalog)
    age = timers.follow_up_days if offer_age_days is None else offer_age_days
    items = _rank_open_items(catalog, matcher, threshold)
    taxonomy = catalog.taxonomy
    area_ids = taxonomy.ids("areas") if taxonomy else []
    weapon_ids = taxonomy.ids("weapons") if taxonomy else []
    supply = _programme_tags(catalog)
    requests = list_request_areas(catalog, matcher)

    return CoverageReport(
        on=on,
        threshold=threshold,
        offer_age_days=age,
        open_requests=len({item.request for item in items}),
        items=tuple(items),
        areas=_groups(items, "areas", area_ids, NO_AREA, supply, taxonomy),
        weapons=_groups(items, "weapons", weapon_ids, NO_WEAPON, supply, taxonomy),
        cells=_cells(items, area_ids, weapon_ids, supply),
        by_region=_tallies(items, lambda item: item.region),
        by_year=_tallies(items, lambda item: str(item.year)),
        requests=tuple(requests),
        repeated=tuple(list_repeated_requests(requests)),
        untaken_offers=tuple(list_untaken_offers(catalog, on, age)),
        stale_providers=tuple(list_stale_providers(catalog, timers, on)),
    )


def _rank_open_items(
    catalog: Catalog, matcher: Matcher, threshold: float
) -> list[ItemCoverage]:
    items = []
    for entry in open_requests(catalog):
        for number in range(1, len(entry.record.items) + 1):
            ranking = matcher.rank_item(entry, number, reasons=False)
            items.append(_item_coverage(entry, ranking, threshold))
    return items


def _item_coverage(
    entry: Entry[Request], ranking: ItemMatches, threshold: float
) -> ItemCoverage:
    request = entry.record
    candidates = [
        Candidate(match.provider, match.provider_name, match.programme, match.score)
        for match in ranking.matches
    ]
    return ItemCoverage(
        request=entry.id,
        item=ranking.item,
        state=request.state,
        iso3=request.iso3,
        region=region_label(request.iso3),
        year=request.received.year,
        summary=ranking.summary,
        areas=tuple(sorted(ranking.tags.areas)),
        weapons=tuple(sorted(ranking.tags.weapons)),
        best=candidates[0] if candidates else None,
        candidates=tuple(c for c in candidates if c.score >= threshold),
    )


# --- Supply: programmes by tag ------------------------------------------------------


@dataclass(frozen=True)
class _Supply:
    """Areas and weapon categories of each programme, for counting supply."""

    tags: tuple[tuple[frozenset[str], frozenset[str] | None], ...]

    def count(self, area: str | None = None, weapon: str | None = None) -> int:
        """Count programmes tagged with `area` and `weapon` (None matches any)."""
        total = 0
        for areas, weapons in self.tags:
            if area is not None and area not in areas:
                continue
            if weapon is not None and weapons is not None and weapon not in weapons:
                continue
            total += 1
        return total


def _programme_tags(catalog: Catalog) -> _Supply:
    """Collect each programme's tags; a provider without programmes counts once.

    A programme without weapon categories takes its provider's, and with none
    on either it counts for every category, as the matcher does not mark it
    down for any.
    """
    tags: list[tuple[frozenset[str], frozenset[str] | None]] = []
    for _, entry in sorted(catalog.providers.items()):
        provider = entry.record
        parts: Sequence[Provider | Programme] = provider.programmes or [provider]
        for part in parts:
            weapons = part.weapons or provider.weapons
            tags.append((frozenset(part.areas), frozenset(weapons) or None))
    return _Supply(tuple(tags))


# --- Groups -----------------------------------------------------------------------


def _groups(
    items: Sequence[ItemCoverage],
    kind: str,
    term_ids: Sequence[str],
    untagged: str,
    supply: _Supply,
    taxonomy: Taxonomy | None,
) -> tuple[GroupCoverage, ...]:
    groups = []
    for term_id in term_ids:
        members = [item for item in items if term_id in getattr(item, kind)]
        programmes = (
            supply.count(area=term_id)
            if kind == "areas"
            else supply.count(weapon=term_id)
        )
        label = _term_label(taxonomy, kind, term_id)
        groups.append(_group(term_id, label, members, programmes))

    without = [item for item in items if not getattr(item, kind)]
    if without:
        groups.append(_group(untagged, untagged, without, None))
    return tuple(groups)


def _group(
    key: str, label: str, members: Sequence[ItemCoverage], programmes: int | None
) -> GroupCoverage:
    providers = {c.provider for item in members for c in item.candidates}
    first = Counter(
        item.candidates[0].provider_name for item in members if item.candidates
    )
    ranked = sorted(first.items(), key=lambda pair: (-pair[1], pair[0]))
    return GroupCoverage(
        key=key,
        label=label,
        items=len(members),
        gaps=sum(1 for item in members if item.is_gap),
        providers=len(providers),
        first=tuple(ranked[:3]),
        programmes=programmes,
    )


def _term_label(taxonomy: Taxonomy | None, kind: str, term_id: str) -> str:
    term = taxonomy.term(kind, term_id) if taxonomy else None
    if term is not None and term.matrix_ref:
        return f"{term_id} ({term.matrix_ref})"
    return term_id


def _cells(
    items: Sequence[ItemCoverage],
    area_ids: Sequence[str],
    weapon_ids: Sequence[str],
    supply: _Supply,
) -> tuple[Cell, ...]:
    cells = []
    for area in area_ids:
        for weapon in weapon_ids:
            members = [
                item for item in items if area in item.areas and weapon in item.weapons
            ]
            cells.append(
                Cell(
                    area,
                    weapon,
                    len(members),
                    sum(1 for item in members if item.is_gap),
                    supply.count(area=area, weapon=weapon),
                )
            )
    return tuple(cells)


def _tallies(
    items: Iterable[ItemCoverage], key: Callable[[ItemCoverage], str]
) -> tuple[Tally, ...]:
    counts: dict[str, list[int]] = {}
    for item in items:
        tally = counts.setdefault(key(item), [0, 0])
        tally[0] += 1
        tally[1] += item.is_gap
    return tuple(
        Tally(label, total, gaps) for label, (total, gaps) in sorted(counts.items())
    )


# --- JSON -------------------------------------------------------------------------


def coverage_json(report: CoverageReport) -> dict[str, Any]:
    """Shape the report as JSON-ready values; every list keeps the report's order."""
    return {
        "on": report.on.isoformat(),
        "threshold": report.threshold,
        "offer_age_days": report.offer_age_days,
        "open_requests": report.open_requests,
        "open_items": len(report.items),
        "gaps": len(report.gaps),
        "areas": [_group_json(group) for group in report.areas],
        "weapons": [_group_json(group) for group in report.weapons],
        "cells": [vars(cell) for cell in report.cells],
        "by_region": [vars(tally) for tally in report.by_region],
        "by_year": [vars(tally) for tally in report.by_year],
        "items": [_item_json(item) for item in report.items],
        "repeated_requests": [
            {**vars(pair), "shared_areas": list(pair.shared_areas)}
            for pair in report.repeated
        ],
        "offers_not_taken_up": [vars(offer) for offer in report.untaken_offers],
        "stale_providers": [vars(provider) for provider in report.stale_providers],
    }


def _group_json(group: GroupCoverage) -> dict[str, Any]:
    return {
        "id": group.key,
        "items": group.items,
        "gaps": group.gaps,
        "providers": group.providers,
        "ranked_first": [{"provider": name, "items": n} for name, n in group.first],
        "programmes": group.programmes,
    }


def _item_json(item: ItemCoverage) -> dict[str, Any]:
    return {
        "request": item.request,
        "item": item.item,
        "state": item.state,
        "iso3": item.iso3,
        "region": item.region,
        "year": item.year,
        "areas": list(item.areas),
        "weapons": list(item.weapons),
        "gap": item.is_gap,
        "best": vars(item.best) if item.best else None,
        "candidates": [vars(candidate) for candidate in item.candidates],
    }
