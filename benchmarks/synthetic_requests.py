"""Synthetic requests for assistance, with items drawn from the bundled ones."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pycountry
from bundled_profile import BundledProfile, apportion, smoothed
from synthetic_providers import country_name, perturbed_terms, unique_slug
from yaml_text import Commented, Flow, Map, Quoted, dump_record

from assist1540.models import CHANNELS, REQUEST_STATUSES

FIRST_YEAR = 2004
# Statuses at which the Secretariat has authenticated a request, so the
# Committee may post it; validation rejects `published: true` before them.
AUTHENTICATED = ("authenticated", "acknowledged", "distributed", "matched", "closed")
# The steps of the procedure, in order, and the status each one leads to.
STEPS = (
    ("receive", "received"),
    ("authenticate", "authenticated"),
    ("acknowledge", "acknowledged"),
    ("distribute", "distributed"),
    ("match", "matched"),
    ("close", "closed"),
)
# Share of requests whose State is one of the bundled requesting States; the
# others come from all of ISO 3166-1.
BUNDLED_STATE_SHARE = 0.3
MARKDOWN_SHARE = 0.1
# Clauses that make English item summaries differ between requests.
_CLAUSES = (
    "over the next two years",
    "as set out in the national action plan",
    "with a follow-up visit by the experts",
    "for the agencies named in the national report",
)
# States that write to the Committee in French or Spanish; French and Spanish
# requests come from these, English ones from any State.
_STATES_BY_LANGUAGE = {
    "fr": "BDI BEL BEN BFA CAF CIV CMR COD COG COM DJI GAB GIN HTI LUX MDG MLI "
    "MRT NER RWA SEN TCD TGO",
    "es": "ARG BOL CHL COL CRI CUB DOM ECU ESP GNQ GTM HND MEX NIC PAN PER PRY "
    "SLV URY VEN",
}
_NOTE_SENTENCES = (
    "The request was read from the note verbale and the tags were checked by "
    "the experts.",
    "The State asked that the request be shared with the providers on the "
    "Committee's list.",
    "Dates follow the note verbale; the day of receipt is not recorded.",
    "The Mission confirmed the points of contact by telephone.",
    "Some items repeat needs named in the State's national report.",
    "Item summaries keep the wording of the request where it is precise.",
)
_MONTHS = {
    "en": "January February March April May June July August September October "
    "November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre "
    "novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
    "noviembre diciembre",
}
_BODY_OPENINGS = {
    "en": "The Permanent Mission of {state} to the United Nations presents its "
    "compliments to the Chair of the Security Council Committee established "
    "pursuant to resolution 1540 (2004) and has the honour to request assistance "
    "with the following:",
    "fr": "La Mission permanente de {state} auprès de l'Organisation des Nations "
    "Unies présente ses compliments au Président du Comité du Conseil de sécurité "
    "créé par la résolution 1540 (2004) et a l'honneur de solliciter une "
    "assistance pour ce qui suit :",
    "es": "La Misión Permanente de {state} ante las Naciones Unidas saluda "
    "atentamente a la Presidencia del Comité del Consejo de Seguridad establecido "
    "en virtud de la resolución 1540 (2004) y tiene el honor de solicitar "
    "asistencia para lo siguiente:",
}


@dataclass(frozen=True)
class SyntheticRequest:
    """A request as written to its file, with what offers need to refer to it."""

    id: str
    iso3: str
    language: str
    status: str
    received: date
    item_areas: tuple[frozenset[str], ...]
    path: str
    text: str


def make_requests(
    profile: BundledProfile, scale: int, rng: random.Random, last_day: date
) -> list[SyntheticRequest]:
    """Make `scale` requests for each bundled one, in the bundled proportions."""
    total = scale * len(profile.requests)
    channels = apportion(smoothed(profile.count("channel"), CHANNELS, 0.5), total, rng)
    statuses = apportion(
        smoothed(profile.count("status"), REQUEST_STATUSES, 0.5), total, rng
    )
    languages = apportion(profile.count("language"), total, rng)
    item_counts = apportion(profile.item_counts(), total, rng)
    precisions = apportion(profile.date_precisions(), total, rng)

    choose_state = _state_chooser(profile, rng)
    used_ids: set[str] = set()
    requests = []
    for index in range(total):
        iso3, state = choose_state(languages[index])
        received = _random_day(rng, last_day)
        written = _partial(received, precisions[index])
        request_id = unique_slug(f"{iso3}-{written}", used_ids)
        draft = _Draft(
            request_id,
            iso3,
            state,
            languages[index],
            statuses[index],
            channels[index],
            received,
            written,
        )
        requests.append(
            _make_request(profile, draft, item_counts[index], rng, last_day)
        )
    return requests


@dataclass(frozen=True)
class _Draft:
    id: str
    iso3: str
    state: str
    language: str
    status: str
    channel: str
    received: date
    written: str


def _state_chooser(
    profile: BundledProfile, rng: random.Random
) -> Callable[[str], tuple[str, str]]:
    """Make a function that draws a requesting State for a request's language."""
    bundled = Counter(request["iso3"] for request in profile.requests)
    names = {request["iso3"]: request["state"] for request in profile.requests}
    codes = sorted(bundled)
    weights = [bundled[code] for code in codes]
    countries = sorted(country.alpha_3 for country in pycountry.countries)

    def choose(language: str) -> tuple[str, str]:
        if language in _STATES_BY_LANGUAGE:
            iso3 = rng.choice(_STATES_BY_LANGUAGE[language].split())
        elif rng.random() < BUNDLED_STATE_SHARE:
            iso3 = rng.choices(codes, weights)[0]
        else:
            iso3 = rng.choice(countries)
        return iso3, names.get(iso3) or country_name(iso3)

    return choose


def _random_day(rng: random.Random, last_day: date) -> date:
    first = date(FIRST_YEAR, 1, 1)
    return first + timedelta(days=rng.randrange((last_day - first).days + 1))


def _partial(day: date, precision: str) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _make_request(
    profile: BundledProfile,
    draft: _Draft,
    item_count: int,
    rng: random.Random,
    last_day: date,
) -> SyntheticRequest:
    items = [_make_item(profile, draft.language, rng) for _ in range(item_count)]
    history = _history(draft, rng, last_day)
    consent = _consent(draft, history, rng)
    published = (
        consent["status"] == "granted"
        and draft.status in AUTHENTICATED
        and rng.random() < 0.85
    )

    record = Map()
    record.add("state", draft.state)
    record.add("iso3", draft.iso3)
    record.add("received", Quoted(draft.written))
    if len(draft.written) > 4 and rng.random() < 0.85:
        record.add("date_as_published", _date_as_published(draft))
    record.add("channel", draft.channel)
    details = profile.channel_details().get(draft.channel)
    if details and rng.random() < 0.8:
        record.add("channel_detail", rng.choice(details))
    record.add("language", draft.language)
    if draft.status == "informal":
        record.add("formal", False)
    record.add("status", _status_value(draft, history, rng))
    record.add("consent", _consent_map(consent))
    record.add("published", published)
    if rng.random() < 0.15:
        record.comment("Items follow the order of the note verbale.")
    record.add("items", [item.fields for item in items])
    record.add("sources", [rng.choice(profile.request_sources())])
    if rng.random() < 0.9:
        record.add("notes", " ".join(rng.sample(_NOTE_SENTENCES, rng.randint(1, 4))))
    _add_internal_fields(record, draft, history, rng)
    record.add("history", [_step_map(step) for step in history])

    header = None
    if rng.random() < 0.2:
        header = [f"Request of {draft.state}, entered by the Secretariat."]
    text = dump_record(record, header)
    suffix = ".yaml"
    if rng.random() < MARKDOWN_SHARE:
        suffix = ".md"
        text = _markdown(text, draft, [item.summary for item in items])
    return SyntheticRequest(
        draft.id,
        draft.iso3,
        draft.language,
        draft.status,
        draft.received,
        tuple(item.areas for item in items),
        f"data/requests/{draft.id}{suffix}",
        text,
    )


@dataclass(frozen=True)
class _Item:
    fields: Map
    summary: str
    areas: frozenset[str]


def _make_item(profile: BundledProfile, language: str, rng: random.Random) -> _Item:
    """Copy a bundled item in the request's language, varying summary and tags."""
    source = rng.choice(profile.items_in(language) or profile.items_in("en"))
    summary = source["summary"]
    if language == "en" and rng.random() < 0.5:
        summary = f"{summary.rstrip('.')}, {rng.choice(_CLAUSES)}."

    fields = Map()
    fields.add("summary", summary)
    tags = {}
    for kind in ("areas", "weapons", "types"):
        tags[kind] = perturbed_terms(profile, kind, source.get(kind, []), rng)
        fields.add(kind, Flow(tuple(tags[kind])))
    if "confidence" in source:
        fields.add("confidence", source["confidence"])
    return _Item(fields, summary, frozenset(tags["areas"]))


def _history(draft: _Draft, rng: random.Random, last_day: date) -> list[dict[str, str]]:
    """Record one step per status reached; a received request may have none yet."""
    if draft.status == "informal":
        return []
    reached = [status for _, status in STEPS].index(draft.status) + 1
    if draft.status == "received" and rng.random() < 0.5:
        reached = 0

    steps = []
    day = draft.received
    for action, _ in STEPS[:reached]:
        day = min(day + timedelta(days=rng.randint(0, 45)), last_day)
        steps.append(
            {"date": day.isoformat(), "action": action, "actor": "secretariat"}
        )
    if steps and rng.random() < 0.15:
        day = min(day + timedelta(days=rng.randint(10, 90)), last_day)
        steps.append(
            {
                "date": day.isoformat(),
                "action": "remind",
                "actor": "secretariat",
                "note": "reminder sent to the Mission",
            }
        )
    return steps


def _step_map(step: dict[str, str]) -> Map:
    entry = Map()
    entry.add("date", Quoted(step["date"]))
    for key in ("action", "actor", "note"):
        entry.add(key, step.get(key))
    if step["action"] in ("acknowledge", "distribute"):
        entry.add("reference", f"1540/{step['date'][:4]}/{step['action'][:3].upper()}")
    return entry


def _status_value(
    draft: _Draft, history: list[dict[str, str]], rng: random.Random
) -> Any:
    if history and rng.random() < 0.1:
        return Commented(draft.status, f"since {history[-1]['date']}")
    return draft.status


def _consent(
    draft: _Draft, history: list[dict[str, str]], rng: random.Random
) -> dict[str, str]:
    """Draw consent: mostly granted once authenticated, mostly unknown before."""
    if draft.status in AUTHENTICATED:
        status = rng.choices(
            ["granted", "refused", "withdrawn", "not-asked", "unknown"],
            [70, 8, 4, 9, 9],
        )[0]
    else:
        status = rng.choices(["unknown", "not-asked"], [80, 20])[0]

    consent = {"status": status}
    if status == "granted" and rng.random() < 0.5:
        consent["source"] = "request posted on the Committee's website"
    if status in ("granted", "refused", "withdrawn") and history:
        consent["date"] = history[-1]["date"]
    return consent


def _consent_map(consent: dict[str, str]) -> Map:
    entry = Map()
    entry.add("status", consent["status"])
    if "date" in consent:
        entry.add("date", Quoted(consent["date"]))
    entry.add("source", consent.get("source"))
    return entry


def _add_internal_fields(
    record: Map, draft: _Draft, history: list[dict[str, str]], rng: random.Random
) -> None:
    authenticated = [step for step in history if step["action"] == "authenticate"]
    if authenticated and rng.random() < 0.6:
        authentication = Map()
        authentication.add("date", Quoted(authenticated[0]["date"]))
        authentication.add("method", "confirmed with the Permanent Mission")
        record.add("authentication", authentication)
    if rng.random() < 0.25:
        contact = Map()
        contact.add("name", "National 1540 focal point")
        contact.add("role", f"focal point of {draft.state}")
        contact.add("email", f"focal-point@{draft.iso3.lower()}.example")
        record.add("contacts", [contact])
    if rng.random() < 0.2:
        record.add(
            "internal_notes",
            "Ask the Mission whether the State has since received help elsewhere.",
        )


def _date_as_published(draft: _Draft) -> str:
    months = _MONTHS[draft.language].split()
    day = draft.received
    month = months[day.month - 1]
    if len(draft.written) == 7:
        return f"{month} {day.year}"
    if draft.language == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{day.day} {month} {day.year}"


def _markdown(front_matter: str, draft: _Draft, summaries: list[str]) -> str:
    """Wrap the fields as front matter and add the request's full text as the body."""
    opening = _BODY_OPENINGS[draft.language].format(state=draft.state)
    points = "\n".join(
        f"{number}. {summary}" for number, summary in enumerate(summaries, start=1)
    )
    return f"---\n{front_matter}---\n\n{opening}\n\n{points}\n"
