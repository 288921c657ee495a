"""Synthetic providers and programmes, each derived from a bundled provider."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pycountry
from bundled_profile import BundledProfile
from yaml_text import Flow, Map, Quoted, dump_record

# Copies of one international organisation get the name of one of its offices.
_OFFICES = (
    "Regional Office for Africa",
    "Regional Office for the Americas",
    "Regional Office for Asia and the Pacific",
    "Regional Office for Europe",
    "Liaison Office in Geneva",
    "Liaison Office in New York",
    "Liaison Office in Vienna",
)
# Copies of one State get the name of a national body.
_AGENCIES = (
    "Ministry of Foreign Affairs",
    "Customs Service",
    "Export Control Agency",
    "Nuclear Regulatory Authority",
    "Public Health Institute",
    "Ministry of Defence",
    "Ministry of Justice",
)
_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])")
MAX_SLUG = 50


@dataclass(frozen=True)
class SyntheticProvider:
    """A provider as written to its file, with what offers need to refer to it."""

    id: str
    label: str
    iso3: str | None
    areas: frozenset[str]
    programmes: tuple[tuple[str, frozenset[str]], ...]
    text: str


def make_providers(
    profile: BundledProfile, scale: int, rng: random.Random, last_day: date
) -> list[SyntheticProvider]:
    """Make `scale` providers for each bundled one.

    The first copy of each keeps the bundled name and fields. Later copies are
    other States or other offices of the same organisation, with the same
    programmes, some of them tagged a little differently.
    """
    countries = sorted(country.alpha_3 for country in pycountry.countries)
    used_ids: set[str] = set()
    used_names: set[str] = set()
    providers = []
    for copy in range(scale):
        for template_id, template in profile.providers.items():
            name, iso3 = _name_and_code(template, copy, countries, used_names, rng)
            used_names.add(name)
            if copy == 0:
                provider_id = unique_slug(template_id, used_ids)
            elif template["kind"] == "state":
                provider_id = unique_slug(name, used_ids)
            else:
                office = name.removeprefix(f"{template['name']}, ")
                provider_id = unique_slug(f"{template_id}-{office}", used_ids)
            providers.append(
                _make_provider(
                    profile, template, provider_id, name, iso3, copy, rng, last_day
                )
            )
    return providers


def _name_and_code(
    template: dict[str, Any],
    copy: int,
    countries: list[str],
    used_names: set[str],
    rng: random.Random,
) -> tuple[str, str | None]:
    iso3 = template.get("iso3")
    if copy == 0:
        return template["name"], iso3

    if template["kind"] == "state":
        iso3 = rng.choice(countries)
        base = country_name(iso3)
        candidates = [base, *(f"{base}, {agency}" for agency in _AGENCIES)]
    else:
        candidates = [f"{template['name']}, {office}" for office in _OFFICES]
    for name in rng.sample(candidates, len(candidates)):
        if name not in used_names:
            return name, iso3
    number = 2
    while f"{candidates[0]} {number}" in used_names:
        number += 1
    return f"{candidates[0]} {number}", iso3


def _make_provider(
    profile: BundledProfile,
    template: dict[str, Any],
    provider_id: str,
    name: str,
    iso3: str | None,
    copy: int,
    rng: random.Random,
    last_day: date,
) -> SyntheticProvider:
    record = Map()
    record.add("name", name)
    record.add("short_name", template.get("short_name"))
    record.add("kind", template["kind"])
    record.add("iso3", iso3)
    if "regions" in template:
        record.add("regions", template["regions"])
    for kind in ("areas", "weapons", "types"):
        record.add(kind, Flow(tuple(template[kind])))
    record.add("notes", template.get("notes"))
    record.add("sources", template.get("sources", []))

    confirmed = None
    if rng.random() < 0.6:
        confirmed = last_day - timedelta(days=rng.randrange(8 * 365))
        record.add("last_confirmed", Quoted(confirmed.isoformat()))

    programmes = []
    programme_maps = []
    for source in template.get("programmes", []):
        # The first copy keeps the bundled tags, so 1x ranks as the bundled data does.
        share = 0.0 if copy == 0 else 0.2
        areas = perturbed_terms(profile, "areas", source["areas"], rng, share)
        programmes.append((source["name"], frozenset(areas)))
        programme_maps.append(_programme_map(profile, source, areas, share, rng))
    record.add("programmes", programme_maps)

    if rng.random() < 0.2:
        record.add("contacts", [_contact(provider_id)])
    if confirmed is not None:
        record.add("history", _confirmations(confirmed, rng))

    header = None
    if rng.random() < 0.2:
        header = ["Programmes as the provider described them on its last confirmation."]
    return SyntheticProvider(
        provider_id,
        template.get("short_name") or name,
        iso3,
        frozenset(template["areas"]),
        tuple(programmes),
        dump_record(record, header),
    )


def _programme_map(
    profile: BundledProfile,
    source: dict[str, Any],
    areas: list[str],
    share: float,
    rng: random.Random,
) -> Map:
    programme = Map()
    programme.add("name", source["name"])
    programme.add("summary", source["summary"])
    programme.add("areas", Flow(tuple(areas)))
    for kind in ("weapons", "types"):
        terms = perturbed_terms(profile, kind, source[kind], rng, share)
        programme.add(kind, Flow(tuple(terms)))
    if "regions" in source:
        programme.add("regions", source["regions"])
    return programme


def perturbed_terms(
    profile: BundledProfile,
    kind: str,
    terms: list[str],
    rng: random.Random,
    share: float = 0.2,
) -> list[str]:
    """Return the terms, with one dropped or one added in `share` of the calls."""
    terms = list(terms)
    if rng.random() >= share:
        return terms
    if terms and rng.random() < 0.5:
        terms.pop(rng.randrange(len(terms)))
        return terms
    unused = [term for term in profile.term_ids(kind) if term not in terms]
    if unused:
        terms.append(rng.choice(unused))
    return terms


def _contact(record_id: str) -> Map:
    contact = Map()
    contact.add("name", "Assistance focal point")
    contact.add("role", "receives the Committee's requests")
    contact.add("email", f"focal-point@{record_id}.example")
    return contact


def _confirmations(confirmed: date, rng: random.Random) -> list[Map]:
    steps = []
    for index in range(rng.randint(1, 3)):
        step = Map()
        step.add("date", Quoted((confirmed - timedelta(days=365 * index)).isoformat()))
        step.add("action", "confirm")
        step.add("actor", "secretariat")
        steps.append(step)
    return list(reversed(steps))


def country_name(iso3: str) -> str:
    """Name a country the way people write it, such as `Bolivia` or `Viet Nam`."""
    country = pycountry.countries.get(alpha_3=iso3)
    assert country is not None
    name: str = getattr(country, "common_name", None) or country.name
    return name


def unique_slug(text: str, used: set[str]) -> str:
    """Make a record id from `text` that is not in `used`, and add it there."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:MAX_SLUG].rstrip("-") or "record"
    if _WINDOWS_RESERVED.fullmatch(slug):
        slug += "-1"
    candidate = slug
    number = 2
    while candidate in used:
        candidate = f"{slug}-{number}"
        number += 1
    used.add(candidate)
    return candidate
