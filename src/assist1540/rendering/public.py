"""The public view of the records: the only data the website is built from.

Every public field is copied by name from the models into the dataclasses below,
so a field added to a model stays private until it is added here. Only requests
that pass `is_public_request` are public. Offers and events are never public.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assist1540.catalog import Catalog
from assist1540.dates import PartialDate
from assist1540.models import Provider, Request, Taxonomy
from assist1540.regions import region_label
from assist1540.rendering.localize import format_partial_date

# Statuses of requests that the Secretariat has authenticated.
PUBLIC_REQUEST_STATUSES = (
    "authenticated",
    "acknowledged",
    "distributed",
    "matched",
    "closed",
)

STATUS_LABELS = {
    "authenticated": "Authenticated",
    "acknowledged": "Acknowledged",
    "distributed": "Distributed to providers",
    "matched": "Matched with offers",
    "closed": "Closed",
}
PROVIDER_KIND_LABELS = {
    "state": "State",
    "international-organization": "International organization",
    "regional-organization": "Regional organization",
    "other": "Other",
}

_MATRIX_PREFIX = re.compile(r"^op[0-9]+[a-z]?-")
_SLUG_SEPARATOR = re.compile(r"[^a-z0-9]+")
_WEB_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


def is_public_request(request: Request) -> bool:
    """Tell whether a request may appear on the website.

    It must be authenticated, the State must have granted consent, and the
    record must be marked published.
    """
    return (
        request.status in PUBLIC_REQUEST_STATUSES
        and request.consent.status == "granted"
        and request.published is True
    )


@dataclass(frozen=True)
class PublicTerm:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class PublicSource:
    """A source, as a link only when it is a plain http or https address."""

    text: str
    is_link: bool


@dataclass(frozen=True)
class PublicItem:
    number: int
    summary: str
    areas: tuple[PublicTerm, ...]
    weapons: tuple[PublicTerm, ...]
    types: tuple[PublicTerm, ...]


@dataclass(frozen=True)
class PublicRequest:
    id: str
    state: str
    iso3: str
    region: str
    region_slug: str
    received: str
    received_text: str
    year: int
    status: str
    status_label: str
    items: tuple[PublicItem, ...]
    notes: str | None
    sources: tuple[PublicSource, ...]
    area_ids: tuple[str, ...]
    weapon_ids: tuple[str, ...]


@dataclass(frozen=True)
class StateGroup:
    name: str
    iso3: str
    requests: tuple[PublicRequest, ...]


@dataclass(frozen=True)
class RegionGroup:
    label: str
    slug: str
    states: tuple[StateGroup, ...]


@dataclass(frozen=True)
class PublicProgramme:
    name: str
    summary: str
    regions: tuple[str, ...]
    areas: tuple[PublicTerm, ...]
    weapons: tuple[PublicTerm, ...]
    types: tuple[PublicTerm, ...]
    last_confirmed: str | None


@dataclass(frozen=True)
class PublicProvider:
    id: str
    name: str
    short_name: str | None
    kind: str
    kind_label: str
    regions: tuple[str, ...]
    areas: tuple[PublicTerm, ...]
    weapons: tuple[PublicTerm, ...]
    types: tuple[PublicTerm, ...]
    notes: str | None
    sources: tuple[PublicSource, ...]
    last_confirmed: str | None
    programmes: tuple[PublicProgramme, ...]
    area_ids: tuple[str, ...]
    weapon_ids: tuple[str, ...]


@dataclass(frozen=True)
class FilterOption:
    value: str
    label: str


@dataclass(frozen=True)
class PublicListing:
    """Everything the website shows, in the order it shows it."""

    regions: tuple[RegionGroup, ...]
    requests: tuple[PublicRequest, ...]
    providers: tuple[PublicProvider, ...]
    area_options: tuple[FilterOption, ...]
    weapon_options: tuple[FilterOption, ...]
    region_options: tuple[FilterOption, ...]
    year_options: tuple[FilterOption, ...]
    provider_area_options: tuple[FilterOption, ...]
    provider_weapon_options: tuple[FilterOption, ...]
    provider_kind_options: tuple[FilterOption, ...]


def build_public_listing(catalog: Catalog) -> PublicListing:
    """Build the public view of a catalog: published requests and all providers."""
    terms = _Terms(catalog.taxonomy)
    requests = sorted(
        (
            _public_request(entry_id, entry.record, terms)
            for entry_id, entry in catalog.requests.items()
            if is_public_request(entry.record)
        ),
        key=_newest_first,
    )
    providers = sorted(
        (
            _public_provider(entry_id, entry.record, terms)
            for entry_id, entry in catalog.providers.items()
        ),
        key=lambda provider: (provider.name.casefold(), provider.id),
    )
    return PublicListing(
        regions=_group_by_region(requests),
        requests=tuple(requests),
        providers=tuple(providers),
        area_options=terms.options("areas", _ids(r.area_ids for r in requests)),
        weapon_options=terms.options("weapons", _ids(r.weapon_ids for r in requests)),
        region_options=tuple(
            sorted(
                {FilterOption(r.region_slug, r.region) for r in requests},
                key=lambda option: option.label,
            )
        ),
        year_options=tuple(
            FilterOption(str(year), str(year))
            for year in sorted({r.year for r in requests}, reverse=True)
        ),
        provider_area_options=terms.options(
            "areas", _ids(p.area_ids for p in providers)
        ),
        provider_weapon_options=terms.options(
            "weapons", _ids(p.weapon_ids for p in providers)
        ),
        provider_kind_options=tuple(
            FilterOption(kind, label)
            for kind, label in PROVIDER_KIND_LABELS.items()
            if any(p.kind == kind for p in providers)
        ),
    )


def slugify(text: str) -> str:
    """Make an id for HTML attributes and file names: lower-case words and hyphens."""
    return _SLUG_SEPARATOR.sub("-", text.casefold()).strip("-")


class _Terms:
    """Labels and descriptions of taxonomy terms; an id without a term shows as is."""

    def __init__(self, taxonomy: Taxonomy | None) -> None:
        self._terms: dict[tuple[str, str], PublicTerm] = {}
        self._order: dict[str, list[str]] = defaultdict(list)
        # Records repeat the same few lists of ids, so each list is built once.
        self._lists: dict[tuple[str, tuple[str, ...]], tuple[PublicTerm, ...]] = {}
        if taxonomy is None:
            return
        for kind in ("areas", "weapons", "types"):
            for term in getattr(taxonomy, kind):
                label = _term_label(term.id, term.matrix_ref)
                self._terms[(kind, term.id)] = PublicTerm(
                    term.id, label, term.description
                )
                self._order[kind].append(term.id)

    def get(self, kind: str, term_ids: Iterable[str]) -> tuple[PublicTerm, ...]:
        key = (kind, tuple(term_ids))
        terms = self._lists.get(key)
        if terms is None:
            terms = tuple(self._term(kind, term_id) for term_id in key[1])
            self._lists[key] = terms
        return terms

    def _term(self, kind: str, term_id: str) -> PublicTerm:
        term = self._terms.get((kind, term_id))
        return PublicTerm(term_id, term_id, "") if term is None else term

    def options(self, kind: str, used: set[str]) -> tuple[FilterOption, ...]:
        """List the terms in use, in taxonomy order, then unknown ids sorted."""
        known = [term_id for term_id in self._order[kind] if term_id in used]
        unknown = sorted(used - set(known))
        return tuple(
            FilterOption(term.id, term.label)
            for term in self.get(kind, [*known, *unknown])
        )


def _term_label(term_id: str, matrix_ref: str | None) -> str:
    """Label a term from its id, e.g. "Border law enforcement (OP3(c))"."""
    words = _MATRIX_PREFIX.sub("", term_id).replace("-", " ")
    label = words[:1].upper() + words[1:]
    if matrix_ref and matrix_ref.startswith("OP"):
        return f"{label} ({matrix_ref})"
    return label


def _public_request(request_id: str, request: Request, terms: _Terms) -> PublicRequest:
    items = tuple(
        PublicItem(
            number,
            item.summary,
            terms.get("areas", item.areas),
            terms.get("weapons", item.weapons),
            terms.get("types", item.types),
        )
        for number, item in enumerate(request.items, start=1)
    )
    region = region_label(request.iso3)
    return PublicRequest(
        id=request_id,
        state=request.state,
        iso3=request.iso3,
        region=region,
        region_slug=slugify(region),
        received=str(request.received),
        received_text=format_partial_date(request.received, "en"),
        year=request.received.year,
        status=request.status,
        status_label=STATUS_LABELS[request.status],
        items=items,
        notes=request.notes,
        sources=_sources(request.sources),
        area_ids=_union(item.areas for item in request.items),
        weapon_ids=_union(item.weapons for item in request.items),
    )


def _public_provider(
    provider_id: str, provider: Provider, terms: _Terms
) -> PublicProvider:
    programmes = tuple(
        PublicProgramme(
            name=programme.name,
            summary=programme.summary,
            regions=tuple(programme.regions),
            areas=terms.get("areas", programme.areas),
            weapons=terms.get("weapons", programme.weapons),
            types=terms.get("types", programme.types),
            last_confirmed=_optional_date(programme.last_confirmed),
        )
        for programme in provider.programmes
    )
    tagged = [provider, *provider.programmes]
    return PublicProvider(
        id=provider_id,
        name=provider.name,
        short_name=provider.short_name,
        kind=provider.kind,
        kind_label=PROVIDER_KIND_LABELS[provider.kind],
        regions=tuple(provider.regions),
        areas=terms.get("areas", provider.areas),
        weapons=terms.get("weapons", provider.weapons),
        types=terms.get("types", provider.types),
        notes=provider.notes,
        sources=_sources(provider.sources),
        last_confirmed=_optional_date(provider.last_confirmed),
        programmes=programmes,
        area_ids=_union(part.areas for part in tagged),
        weapon_ids=_union(part.weapons for part in tagged),
    )


def _newest_first(request: PublicRequest) -> tuple[int, str, str]:
    earliest = PartialDate.parse(request.received).earliest()
    return (-earliest.toordinal(), request.state, request.id)


def _group_by_region(requests: Sequence[PublicRequest]) -> tuple[RegionGroup, ...]:
    by_region: dict[str, dict[str, list[PublicRequest]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for request in requests:
        by_region[request.region][request.iso3].append(request)
    groups = []
    for region in sorted(by_region):
        states = sorted(
            (
                StateGroup(found[0].state, iso3, tuple(found))
                for iso3, found in by_region[region].items()
            ),
            key=lambda group: (group.name.casefold(), group.iso3),
        )
        groups.append(RegionGroup(region, slugify(region), tuple(states)))
    return tuple(groups)


def _sources(sources: Iterable[str]) -> tuple[PublicSource, ...]:
    return tuple(
        PublicSource(source, _WEB_URL.fullmatch(source) is not None)
        for source in sources
    )


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(sorted({value for group in groups for value in group}))


def _ids(groups: Iterable[Iterable[str]]) -> set[str]:
    return {value for group in groups for value in group}


def _optional_date(value: PartialDate | None) -> str | None:
    return None if value is None else format_partial_date(value, "en")
