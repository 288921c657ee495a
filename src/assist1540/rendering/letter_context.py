"""The values letter templates see: views of the records, addressee and language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from assist1540.catalog import Catalog, Entry
from assist1540.errors import Assist1540Error
from assist1540.models import Offer, Provider, Request
from assist1540.rendering.localize import (
    Addressee,
    committee_addressee,
    country_name,
    dated_phrase,
    format_day,
    format_partial_date,
    mission_addressee,
    of_country,
    organisation_addressee,
    organisation_of,
    organisation_with_article,
    providers_addressee,
    with_article,
)
from assist1540.repository import DataRepository

# Offers that the requesting State has not yet taken up or declined, which the
# offer-information letter lists.
_OPEN_OFFER_STATUSES = ("received", "circulated", "informed")
# Offers that the State took up, which the one-year follow-up lists.
_TAKEN_UP_OFFER_STATUSES = ("taken-up", "in-progress", "completed", "feedback-received")


class LetterError(Assist1540Error):
    """A letter that cannot be written for that record."""


# --- What templates see ---------------------------------------------------------
# Templates get these views, never the models, so that internal fields
# (contacts, internal notes, authentication) cannot reach a letter.


@dataclass(frozen=True)
class LetterItem:
    number: int
    summary: str


@dataclass(frozen=True)
class LetterRequest:
    id: str
    state: str
    the_state: str
    of_state: str
    received: str
    dated: str
    items: tuple[LetterItem, ...]


@dataclass(frozen=True)
class LetterProgramme:
    name: str
    summary: str
    last_confirmed: str | None


@dataclass(frozen=True)
class LetterProvider:
    id: str
    name: str
    the_name: str
    of_name: str
    label: str
    last_confirmed: str | None
    programmes: tuple[LetterProgramme, ...]


@dataclass(frozen=True)
class LetterOffer:
    id: str
    summary: str
    programme: str | None
    received: str
    dated: str
    provider: LetterProvider
    items: tuple[LetterItem, ...]


# --- Context --------------------------------------------------------------------


def build_letter_context(
    repo: DataRepository,
    catalog: Catalog,
    kind: str,
    entry: Entry[Any],
    language: str | None,
    on: date,
) -> dict[str, Any]:
    """Build the values of a letter template, in the chosen language.

    The reference is left out: the caller adds it once the context is built.
    """
    context: dict[str, Any] = {
        "kind": kind,
        "place": repo.config.letters.place,
        "chair_feminine": repo.config.letters.chair == "feminine",
        "request": None,
        "offer": None,
        "offers": (),
        "provider": None,
        "objection_working_days": repo.config.timers.objection_working_days,
    }
    record = entry.record
    if isinstance(record, Request):
        chosen = language or _request_language(repo, record)
        context["request"] = _request_view(entry.id, record, chosen, None)
        statuses = (
            _TAKEN_UP_OFFER_STATUSES if kind == "follow-up" else _OPEN_OFFER_STATUSES
        )
        context["offers"] = _offers_of(catalog, entry.id, statuses, chosen)
        if kind == "offer-information" and not context["offers"]:
            raise LetterError(
                f"request '{entry.id}' has no offer with status "
                f"{', '.join(_OPEN_OFFER_STATUSES)}; record the offers before "
                "informing the State of them"
            )
        addressee = (
            providers_addressee(chosen)
            if kind == "distribution"
            else _state_addressee(record.iso3, record.state, chosen)
        )
    elif isinstance(record, Offer):
        request_entry = _linked(catalog, "requests", record.request, entry.path)
        provider_entry = _linked(catalog, "providers", record.provider, entry.path)
        request: Request = request_entry.record
        provider: Provider = provider_entry.record
        if kind == "circulation":
            chosen = language or "en"
            addressee = committee_addressee(chosen)
        elif kind == "report-request":
            chosen = language or _provider_language(repo, provider)
            addressee = _provider_addressee(provider, chosen)
        else:
            chosen = language or _request_language(repo, request)
            addressee = _state_addressee(request.iso3, request.state, chosen)
        context["request"] = _request_view(request_entry.id, request, chosen, None)
        context["offer"] = _offer_view(
            entry.id, record, request, provider_entry, chosen
        )
        context["provider"] = context["offer"].provider
    else:
        chosen = language or _provider_language(repo, record)
        addressee = _provider_addressee(record, chosen)
        context["provider"] = _provider_view(entry.id, record, chosen)

    context["language"] = chosen
    context["date"] = format_day(on, chosen)
    context["addressee"] = addressee
    return context


def _request_language(repo: DataRepository, request: Request) -> str:
    return repo.config.languages.get(request.iso3) or request.language


def _provider_language(repo: DataRepository, provider: Provider) -> str:
    if provider.iso3 is not None:
        return repo.config.languages.get(provider.iso3, "en")
    return "en"


def _state_addressee(iso3: str, english_name: str, language: str) -> Addressee:
    return mission_addressee(country_name(iso3, english_name, language), language)


def _provider_addressee(provider: Provider, language: str) -> Addressee:
    if provider.kind == "state" and provider.iso3 is not None:
        return _state_addressee(provider.iso3, provider.name, language)
    return organisation_addressee(provider.name, language)


def _linked(catalog: Catalog, kind: str, record_id: str, path: str) -> Entry[Any]:
    entry = catalog.entries(kind).get(record_id)
    if entry is None:
        singular = kind.removesuffix("s")
        raise LetterError(
            f"{path} names the {singular} '{record_id}', which is not in "
            f"data/{kind}; correct the id or add the {singular}"
        )
    return entry


def _request_view(
    request_id: str, request: Request, language: str, numbers: list[int] | None
) -> LetterRequest:
    items = tuple(
        LetterItem(number, item.summary)
        for number, item in enumerate(request.items, start=1)
        if not numbers or number in numbers
    )
    state = country_name(request.iso3, request.state, language)
    return LetterRequest(
        request_id,
        state,
        with_article(state, language),
        of_country(state, language),
        format_partial_date(request.received, language),
        dated_phrase(request.received, language),
        items,
    )


def _provider_view(
    provider_id: str, provider: Provider, language: str
) -> LetterProvider:
    programmes = tuple(
        LetterProgramme(
            programme.name,
            programme.summary,
            _optional_date(programme.last_confirmed, language),
        )
        for programme in provider.programmes
    )
    if provider.kind == "state" and provider.iso3 is not None:
        name = country_name(provider.iso3, provider.name, language)
        the_name = with_article(name, language)
        of_name = of_country(name, language)
    else:
        name = provider.name
        the_name = organisation_with_article(name, language)
        of_name = organisation_of(name, language)
    return LetterProvider(
        provider_id,
        name,
        the_name,
        of_name,
        provider.short_name or name,
        _optional_date(provider.last_confirmed, language),
        programmes,
    )


def _offer_view(
    offer_id: str,
    offer: Offer,
    request: Request,
    provider_entry: Entry[Provider],
    language: str,
) -> LetterOffer:
    return LetterOffer(
        offer_id,
        offer.summary,
        offer.programme,
        format_partial_date(offer.received, language),
        dated_phrase(offer.received, language),
        _provider_view(provider_entry.id, provider_entry.record, language),
        _request_view(offer.request, request, language, offer.items).items,
    )


def _offers_of(
    catalog: Catalog, request_id: str, statuses: tuple[str, ...], language: str
) -> tuple[LetterOffer, ...]:
    request_entry = catalog.requests[request_id]
    offers = []
    for offer_id, entry in sorted(catalog.offers.items()):
        offer: Offer = entry.record
        if offer.request != request_id or offer.status not in statuses:
            continue
        provider_entry = _linked(catalog, "providers", offer.provider, entry.path)
        offers.append(
            _offer_view(offer_id, offer, request_entry.record, provider_entry, language)
        )
    return tuple(offers)


def _optional_date(value: Any, language: str) -> str | None:
    return None if value is None else format_partial_date(value, language)
