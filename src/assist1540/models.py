"""Pydantic models of the records: requests, offers, providers and the taxonomy.

Records are validated from the plain values that `storage` reads, where every
scalar is the text as written except the YAML 1.2 core booleans and null. A
taxonomy passed as validation context (`{"taxonomy": Taxonomy}`) checks area,
weapon and assistance-type ids as they are read, so an unknown id is reported at
its own line and column.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from assist1540.countries import COUNTRIES
from assist1540.dates import PartialDate, parse_day
from assist1540.errors import describe_value

RECORD_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
LANGUAGES = ("en", "fr", "es")

Day = Annotated[date, BeforeValidator(parse_day)]


def _check_not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError(
            "blank_text", "must not be empty or only spaces; write the text"
        )
    return value


Text = Annotated[str, AfterValidator(_check_not_blank)]


def _parse_item_number(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"[1-9][0-9]{0,3}", value):
        number = int(value)
    else:
        raise PydanticCustomError(
            "item_number",
            "must be an item number (1 for the first item), got {value}",
            {"value": describe_value(value)},
        )
    return number


ItemNumber = Annotated[int, BeforeValidator(_parse_item_number)]


class _Record(BaseModel):
    """Base of every model read from a file: unknown fields are errors."""

    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, str_strip_whitespace=False
    )


# --- Taxonomy -------------------------------------------------------------------


class Keywords(_Record):
    """Search words for a taxonomy term, per language."""

    en: list[str] = Field(default_factory=list)
    fr: list[str] = Field(default_factory=list)
    es: list[str] = Field(default_factory=list)

    def for_language(self, language: str) -> list[str]:
        words: list[str] = getattr(self, language, [])
        return words


class Term(_Record):
    """One area, weapon category or assistance type."""

    id: str = Field(description="Stable id used in records, e.g. op2-legislation.")
    matrix_ref: str | None = Field(
        default=None, description="Operative paragraph of resolution 1540, if any."
    )
    description: str
    keywords: Keywords = Field(default_factory=Keywords)


class Taxonomy(_Record):
    """Vocabulary of areas, weapon categories and assistance types."""

    version: int | str = 1
    built: str | None = None
    areas: list[Term]
    weapons: list[Term]
    types: list[Term]

    def ids(self, kind: str) -> list[str]:
        terms: list[Term] = getattr(self, kind)
        return [term.id for term in terms]

    @cached_property
    def _id_sets(self) -> dict[str, frozenset[str]]:
        return {
            kind: frozenset(self.ids(kind)) for kind in ("areas", "weapons", "types")
        }

    def has_id(self, kind: str, term_id: str) -> bool:
        """Return whether `term_id` is the id of one of the `kind` terms."""
        return term_id in self._id_sets[kind]

    def term(self, kind: str, term_id: str) -> Term | None:
        terms: list[Term] = getattr(self, kind)
        return next((term for term in terms if term.id == term_id), None)


def _check_terms(kind: str, values: list[str], info: ValidationInfo) -> list[str]:
    """Check taxonomy ids against the taxonomy in the validation context."""
    taxonomy = (info.context or {}).get("taxonomy")
    if taxonomy is None:
        return values

    term = _TERM_NAMES[kind]
    for value in values:
        if not taxonomy.has_id(kind, value):
            raise PydanticCustomError(
                "unknown_term",
                "unknown {term} id {value}; use one of the ids listed under "
                "{kind} in taxonomy.yaml: {known}",
                {
                    "term": term,
                    "kind": kind,
                    "value": describe_value(value),
                    "known": ", ".join(taxonomy.ids(kind)),
                },
            )
    if len(set(values)) < len(values):
        repeated = sorted({value for value in values if values.count(value) > 1})
        raise PydanticCustomError(
            "duplicate_term",
            "lists the {term} id '{value}' twice; keep one",
            {"term": term, "value": repeated[0]},
        )
    return values


_TERM_NAMES = {
    "areas": "area",
    "weapons": "weapon category",
    "types": "assistance type",
}


class _Tagged(_Record):
    """Record part tagged with taxonomy areas, weapon categories and types."""

    areas: list[str] = Field(
        default_factory=list,
        description="Area ids from taxonomy.yaml; empty when the source does not say.",
    )
    weapons: list[str] = Field(
        default_factory=list, description="Weapon category ids from taxonomy.yaml."
    )
    types: list[str] = Field(
        default_factory=list, description="Assistance type ids from taxonomy.yaml."
    )

    @field_validator("areas")
    @classmethod
    def _known_areas(cls, values: list[str], info: ValidationInfo) -> list[str]:
        return _check_terms("areas", values, info)

    @field_validator("weapons")
    @classmethod
    def _known_weapons(cls, values: list[str], info: ValidationInfo) -> list[str]:
        return _check_terms("weapons", values, info)

    @field_validator("types")
    @classmethod
    def _known_types(cls, values: list[str], info: ValidationInfo) -> list[str]:
        return _check_terms("types", values, info)


# --- Shared parts ---------------------------------------------------------------


def _check_iso3(value: object) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "country_code",
            "must be an ISO 3166-1 alpha-3 country code in capital letters, "
            "got {value}",
            {"value": describe_value(value)},
        )
    if value not in COUNTRIES:
        raise PydanticCustomError(
            "country_code",
            "'{value}' is not an ISO 3166-1 alpha-3 country code; use the "
            "three capital letters, e.g. MEX for Mexico",
            {"value": value},
        )
    return value


class HistoryEntry(_Record):
    """One step of the procedure, as recorded in the record itself."""

    date: Day = Field(description="Day the step was taken.")
    action: str = Field(description="The step, e.g. acknowledge or circulate.")
    actor: str | None = Field(default=None, description="Who recorded the step.")
    reference: str | None = Field(
        default=None, description="Reference of the note verbale or letter."
    )
    note: str | None = None


class Contact(_Record):
    """A point of contact; internal, never published."""

    name: Text
    role: str | None = None
    email: str | None = None
    phone: str | None = None


class Authentication(_Record):
    """The Secretariat's check that a request came from the State; internal."""

    date: Day
    method: str | None = Field(
        default=None, description="How it was checked, e.g. with the Mission."
    )
    reference: str | None = None
    note: str | None = None


class Consent(_Record):
    """The requesting State's consent to posting its request on the website."""

    status: Literal["granted", "refused", "withdrawn", "not-asked", "unknown"] = (
        "unknown"
    )
    date: PartialDate | None = None
    source: str | None = Field(
        default=None, description="Document that records the consent or refusal."
    )


RequestStatus = Literal[
    "received",
    "informal",
    "authenticated",
    "acknowledged",
    "distributed",
    "matched",
    "closed",
]
REQUEST_STATUSES: tuple[str, ...] = get_args(RequestStatus)

Channel = Literal[
    "note-verbale",
    "national-report",
    "assistance-template",
    "letter",
    "action-plan",
    "country-visit",
    "other",
    "not-stated",
]
CHANNELS: tuple[str, ...] = get_args(Channel)


# --- Requests -------------------------------------------------------------------


class RequestItem(_Tagged):
    """One need stated in a request."""

    summary: Text = Field(
        description="The need in a sentence, in the request's language."
    )
    confidence: Literal["stated", "inferred"] = Field(
        default="stated",
        description="inferred when the item or its tags rest on context, "
        "not on an explicit statement.",
    )


class Request(_Record):
    """A State's request for assistance; the id is the file name."""

    state: Text = Field(description="Requesting State, English short name.")
    iso3: Annotated[str, BeforeValidator(_check_iso3)] = Field(
        description="ISO 3166-1 alpha-3 code of the requesting State."
    )
    received: PartialDate = Field(
        description="Date of the request: YYYY-MM-DD, or YYYY-MM or YYYY."
    )
    date_as_published: str | None = None
    channel: Channel = "not-stated"
    channel_detail: str | None = Field(
        default=None, description="The channel in the source's own words."
    )
    language: Literal["en", "fr", "es"] = "en"
    formal: bool = Field(
        default=True,
        description="false for a request from a non-State body or not in "
        "proper form; it goes no further until formalised.",
    )
    status: RequestStatus = "received"
    consent: Consent = Field(default_factory=Consent)
    published: bool = Field(
        default=False,
        description="true when the request is posted on the Committee's website; "
        "needs consent granted.",
    )
    items: list[RequestItem] = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)
    notes: str | None = Field(
        default=None, description="Public remarks on the request and its sources."
    )
    authentication: Authentication | None = None
    contacts: list[Contact] = Field(default_factory=list)
    internal_notes: str | None = Field(
        default=None, description="Remarks for the Committee only; never published."
    )
    history: list[HistoryEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _published_needs_consent(self) -> Request:
        if self.published and self.consent.status != "granted":
            raise PydanticCustomError(
                "published_without_consent",
                "published is true but consent is '{status}'; set published to "
                "false, or record the State's consent with status granted",
                {"status": self.consent.status},
            )
        return self


# --- Offers ---------------------------------------------------------------------


OfferStatus = Literal[
    "received",
    "circulated",
    "informed",
    "taken-up",
    "declined",
    "no-answer",
    "in-progress",
    "completed",
    "feedback-received",
]
OFFER_STATUSES: tuple[str, ...] = get_args(OfferStatus)

Party = Literal["state", "provider"]


class Report(_Record):
    """A report on assistance under way or delivered, as the offer records it."""

    date: Day = Field(description="Day the report was received.")
    kind: Literal["progress", "completion"]
    by: Party = Field(description="Who reported: the requesting State or the provider.")
    summary: str | None = None


class Feedback(_Record):
    """Feedback on assistance delivered, under the Committee's three headings."""

    date: Day = Field(description="Day the feedback was received.")
    by: Party = Field(description="Who gave it: the requesting State or the provider.")
    activities: str = Field(description="The activities carried out.")
    achievements: str = Field(description="What the assistance achieved.")
    opportunities: str = Field(description="Opportunities for further assistance.")


class Offer(_Record):
    """An offer of assistance answering a request; the id is the file name."""

    request: str = Field(description="Id of the request the offer answers.")
    items: list[ItemNumber] = Field(
        default_factory=list,
        description="Numbers of the request items it answers (1 is the first); "
        "empty means the whole request.",
    )
    provider: str = Field(description="Id of the provider making the offer.")
    programme: str | None = Field(
        default=None, description="Name of the provider's programme, if any."
    )
    received: PartialDate
    summary: Text
    status: OfferStatus = "received"
    reports: list[Report] = Field(default_factory=list)
    feedback: list[Feedback] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)
    notes: str | None = None
    contacts: list[Contact] = Field(default_factory=list)
    internal_notes: str | None = None


# --- Providers ------------------------------------------------------------------


class Programme(_Tagged):
    """An assistance programme a provider runs."""

    name: Text
    summary: Text
    regions: list[str] = Field(default_factory=list)
    last_confirmed: PartialDate | None = None


class Provider(_Tagged):
    """A State or organisation on the Committee's list of assistance providers."""

    name: Text
    short_name: str | None = None
    kind: Literal[
        "state", "international-organization", "regional-organization", "other"
    ]
    iso3: Annotated[str, BeforeValidator(_check_iso3)] | None = None
    regions: list[str] = Field(default_factory=list)
    notes: str | None = None
    sources: list[str] = Field(default_factory=list)
    last_confirmed: PartialDate | None = Field(
        default=None, description="Day the provider last confirmed its information."
    )
    programmes: list[Programme] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    internal_notes: str | None = None
    history: list[HistoryEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _state_has_code(self) -> Provider:
        if self.kind == "state" and self.iso3 is None:
            raise PydanticCustomError(
                "missing_iso3", "a provider of kind state needs its iso3 code"
            )
        names = [programme.name for programme in self.programmes]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise PydanticCustomError(
                "duplicate_programme",
                "programme name '{name}' is used twice; give each programme "
                "a distinct name",
                {"name": duplicates[0]},
            )
        return self

    @property
    def label(self) -> str:
        return self.short_name or self.name


# --- Assistance conferences -------------------------------------------------------


class Event(_Record):
    """An assistance conference that brings requesting and offering States together."""

    name: Text
    date: PartialDate
    place: str | None = None
    participants: list[str] = Field(
        default_factory=list,
        description="ISO3 codes of participating States and ids of participating "
        "providers.",
    )
    notes: str | None = None
    internal_notes: str | None = None


class Briefings(_Record):
    """The days the experts briefed the Committee, kept in data/briefings.yaml."""

    briefings: list[Day] = Field(
        default_factory=list, description="Day of each briefing, YYYY-MM-DD."
    )
