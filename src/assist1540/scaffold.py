"""Plan a new record for `assist1540 new`: the answers it needs, a fresh id, its values.

The values come from the same builders as `intake`, `offer add`, `provider add`
and `event add`, so a record made here is the record those commands make. This
module adds what `new` needs on top: which answers are still missing (to ask
for them or to name them in an error), and ids made up from the answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assist1540.catalog import Catalog, Entry
from assist1540.errors import UsageError
from assist1540.repository import DataRepository, id_problem
from assist1540.steps import LinkedStep
from assist1540.workflow import StepContext, StepOutcome

Answers = Mapping[str, Any]

# Ids are at most 80 characters (see repository.id_problem); a serial suffix
# such as -12 needs room.
_MAX_SLUG = 72


@dataclass(frozen=True)
class Question:
    """One answer a new record needs: its option, and how to ask for it."""

    name: str
    option: str
    prompt: str
    multiple: bool = False


@dataclass(frozen=True)
class NewRecord:
    """A record ready for `steps.create_record`."""

    kind: str
    record_id: str
    values: dict[str, Any]
    subject: str
    linked: LinkedStep | None = None


KINDS = {
    "request": "requests",
    "offer": "offers",
    "provider": "providers",
    "event": "events",
}

# The answers each kind needs; every other option has a default or may be left out.
QUESTIONS: dict[str, tuple[Question, ...]] = {
    "request": (
        Question("state", "--state", "Requesting State, as an ISO3 code (e.g. MEX)"),
        Question(
            "item", "--item", "A need the request states, in a sentence", multiple=True
        ),
    ),
    "offer": (
        Question("request", "--request", "Id of the request the offer answers"),
        Question("provider", "--provider", "Id of the provider making the offer"),
        Question("summary", "--summary", "What is offered, in a sentence"),
    ),
    "provider": (
        Question("name", "--name", "Full name of the State or organisation"),
        Question(
            "kind",
            "--kind",
            "Kind: state, international-organization, regional-organization or other",
        ),
    ),
    "event": (
        Question("name", "--name", "Name of the conference"),
        Question("date", "--date", "Date of the conference: YYYY-MM-DD or YYYY-MM"),
        Question(
            "participant",
            "--participant",
            "ISO3 code of a participating State, or id of a participating provider",
            multiple=True,
        ),
    ),
}
_STATE_ISO3 = Question("iso3", "--iso3", "ISO3 code of the State (e.g. CAN)")


def find_missing(kind: str, answers: Answers) -> list[Question]:
    """List the questions still unanswered, in the order to ask them."""
    missing = [q for q in QUESTIONS[kind] if not _is_answered(answers.get(q.name))]
    if kind == "provider" and answers.get("kind") == "state":
        if not _is_answered(answers.get("iso3")):
            missing.append(_STATE_ISO3)
    return missing


def _is_answered(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(str(item).strip() for item in value)
    return value is not None and str(value).strip() != ""


def missing_message(kind: str, missing: Sequence[Question]) -> str:
    """Say which options are missing and why nothing was asked."""
    options = ", ".join(question.option for question in missing)
    return (
        f"missing {options}; give them as options (assist1540 new {kind} --help "
        "lists them), or run the command in a terminal to be asked for them"
    )


def plan_record(
    kind: str,
    answers: Answers,
    repo: DataRepository,
    catalog: Catalog,
    context: StepContext,
) -> NewRecord:
    """Check the answers and shape the new record, with a fresh id."""
    missing = find_missing(kind, answers)
    if missing:
        raise UsageError(missing_message(kind, missing))
    planners = {
        "request": _plan_request,
        "offer": _plan_offer,
        "provider": _plan_provider,
        "event": _plan_event,
    }
    return planners[kind](answers, repo, catalog, context)


def _plan_request(
    answers: Answers, repo: DataRepository, catalog: Catalog, context: StepContext
) -> NewRecord:
    from assist1540 import intake

    values = intake.values_from_options(
        answers["state"],
        answers.get("received") or context.on.isoformat(),
        answers.get("channel") or "note-verbale",
        list(answers["item"]),
        answers.get("language") or intake.default_language(repo, str(answers["state"])),
    )
    record_id = intake.new_request_id(repo, values)
    return NewRecord("requests", record_id, values, f"Record request {record_id}")


def _plan_offer(
    answers: Answers, repo: DataRepository, catalog: Catalog, context: StepContext
) -> NewRecord:
    from assist1540 import offer_workflow
    from assist1540.steps import find_record

    request_id, provider_id = answers["request"], answers["provider"]
    programme = answers.get("programme") or None
    items = [int(number) for number in answers.get("item") or []]
    received = answers.get("received") or context.on.isoformat()
    _check_partial_date("--received", received)
    find_record(repo, "requests", request_id)
    find_record(repo, "providers", provider_id)

    taken = {path.stem for path in repo.record_files("offers")}
    offer_id = offer_workflow.new_offer_id(request_id, provider_id, taken)
    _check_new_id(offer_id, "offer")
    values = offer_workflow.new_offer_values(
        request_id, provider_id, programme, items, answers["summary"], received, context
    )

    def match_request(entry: Entry[Any], loaded: Catalog) -> StepOutcome | None:
        offer_workflow.check_new_offer(loaded, entry, provider_id, programme, items)
        return offer_workflow.match_request(entry.id, entry.record, offer_id, context)

    return NewRecord(
        "offers",
        offer_id,
        values,
        f"Record offer {offer_id}",
        LinkedStep("requests", request_id, match_request),
    )


def _plan_provider(
    answers: Answers, repo: DataRepository, catalog: Catalog, context: StepContext
) -> NewRecord:
    from assist1540 import provider_workflow

    tags = provider_workflow.Tags(
        list(answers.get("area") or []),
        list(answers.get("weapon") or []),
        list(answers.get("type") or []),
        list(answers.get("region") or []),
    )
    values = provider_workflow.new_provider_values(
        answers["name"],
        answers["kind"],
        answers.get("iso3") or None,
        answers.get("short_name") or None,
        tags,
        answers.get("last_confirmed") or None,
        context,
    )
    provider_workflow.check_tags(catalog.taxonomy, tags)
    base = answers.get("id") or make_slug(answers.get("short_name") or answers["name"])
    provider_id = _fresh_id(repo, "providers", base, explicit=bool(answers.get("id")))
    return NewRecord("providers", provider_id, values, f"Add provider {provider_id}")


def _plan_event(
    answers: Answers, repo: DataRepository, catalog: Catalog, context: StepContext
) -> NewRecord:
    from assist1540.conference import check_participants

    name = str(answers["name"])
    day = str(answers["date"])
    _check_partial_date("--date", day)
    participants = check_participants(catalog, list(answers["participant"]))

    values: dict[str, Any] = {"name": name, "date": day}
    if answers.get("place"):
        values["place"] = answers["place"]
    values["participants"] = participants
    year = day[:4]
    slug = make_slug(name)
    base = answers.get("id") or (slug if year in slug else f"{slug}-{year}")
    event_id = _fresh_id(repo, "events", base, explicit=bool(answers.get("id")))
    return NewRecord("events", event_id, values, f"Add event {event_id}")


def make_slug(text: str) -> str:
    """Make an id from a name: `Côte d'Ivoire` → `cote-d-ivoire`."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:_MAX_SLUG].rstrip("-") or "record"


def _fresh_id(repo: DataRepository, kind: str, base: str, explicit: bool) -> str:
    """Return `base`, or `base-2`, `base-3` ... for the first id not yet taken.

    An id given with --id is used as it is, so a taken one is an error.
    """
    _check_new_id(base, kind.rstrip("s"))
    if explicit:
        if repo.find_record_file(kind, base) is not None:
            raise UsageError(
                f"--id '{base}': {repo.config.data}/{kind}/{base} exists already; "
                "choose another id, or leave --id out for a fresh one"
            )
        return base
    candidate, serial = base, 2
    while repo.find_record_file(kind, candidate) is not None:
        candidate = f"{base}-{serial}"
        serial += 1
    return candidate


def _check_new_id(record_id: str, noun: str) -> None:
    problem = id_problem(record_id)
    if problem is not None:
        raise UsageError(f"cannot name the new {noun}: {problem}; give --id")


def _check_partial_date(option: str, text: str) -> None:
    from assist1540.dates import PartialDate

    try:
        PartialDate.parse(text)
    except ValueError as error:
        raise UsageError(f"invalid {option}: {error}") from None
