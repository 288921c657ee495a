"""The offer procedure as pure functions: new offers, their steps and reports.

An offer is circulated to the Committee's members, then the requesting State is
informed of it and asked whether it takes it up. The State takes it up, declines
it, or gives no answer; an offer taken up gets progress and completion reports,
then feedback from the State or the provider. Each step checks the offer's
status against OFFER_STEPS and returns a StepOutcome, as the request steps in
`workflow` do.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Literal

from assist1540.catalog import Catalog, Entry
from assist1540.errors import UsageError, WorkflowError
from assist1540.models import Offer, Request
from assist1540.workflow import (
    Change,
    StepContext,
    StepOutcome,
    make_outcome,
    require_offer,
)

ReportKind = Literal["progress", "completion"]
Party = Literal["state", "provider"]

# Statuses a report moves the offer to.
REPORT_STATUSES: dict[str, str] = {
    "progress": "in-progress",
    "completion": "completed",
}


def new_offer_id(request_id: str, provider_id: str, existing_ids: set[str]) -> str:
    """Name an offer `<provider>-<request>`, adding -2, -3 ... when taken."""
    base = f"{provider_id}-{request_id}"
    candidate = base
    serial = 2
    while candidate in existing_ids:
        candidate = f"{base}-{serial}"
        serial += 1
    return candidate


def new_offer_values(
    request_id: str,
    provider_id: str,
    programme: str | None,
    items: list[int],
    summary: str,
    received: str,
    context: StepContext,
) -> dict[str, Any]:
    """Shape a new offer record, with its first history entry."""
    values: dict[str, Any] = {
        "request": request_id,
        "items": items,
        "provider": provider_id,
    }
    if programme is not None:
        values["programme"] = programme
    values["received"] = received
    values["summary"] = summary
    values["status"] = "received"
    # The first entry records who recorded the offer and when, as a step would.
    values["history"] = [make_outcome("record", "", [], context).history]
    return values


def check_new_offer(
    catalog: Catalog,
    request: Entry[Request],
    provider_id: str,
    programme: str | None,
    items: list[int],
) -> None:
    """Check that the request takes offers and has the items, and the programme exists.

    Raises:
        UsageError: naming the value that does not fit and what to give instead.
    """
    status = request.record.status
    if status == "informal":
        raise UsageError(
            f"request {request.id} is 'informal', so it takes no offer until the "
            f"State formalises it; record that with 'assist1540 formalise "
            f"{request.id}' first"
        )
    if status == "closed":
        raise UsageError(
            f"request {request.id} is 'closed', so it takes no offer; record the "
            "offer against an open request ('assist1540 list' shows them)"
        )
    count = len(request.record.items)
    for number in items:
        if not 1 <= number <= count:
            raise UsageError(
                f"invalid --item {number}: request {request.id} has items 1 to "
                f"{count}; 'assist1540 status {request.id}' lists them"
            )
    if len(set(items)) != len(items):
        raise UsageError("--item lists the same item twice; give each item once")

    provider = catalog.providers.get(provider_id)
    if provider is None:
        raise UsageError(
            f"provider '{provider_id}' could not be loaded; run 'assist1540 "
            "validate' and fix its file"
        )
    names = [entry.name for entry in provider.record.programmes]
    if programme is not None and programme not in names:
        listed = ", ".join(f"'{name}'" for name in names) or "none"
        raise UsageError(
            f"provider '{provider_id}' has no programme named '{programme}'; its "
            f"programmes: {listed}. Give one of them, or leave --programme out"
        )


def match_request(
    request_id: str, request: Request, offer_id: str, context: StepContext
) -> StepOutcome | None:
    """Move a distributed request to matched now that an offer is on file.

    Returns None for a request at any other status, which the offer leaves as it
    is.
    """
    if request.status != "distributed":
        return None
    outcome = make_outcome(
        "match",
        f"Match request {request_id}",
        [Change(("status",), "matched")],
        context,
        extra_note=f"offer {offer_id}",
    )
    note = f"request {request_id} is now matched"
    return dataclasses.replace(outcome, notes=(*outcome.notes, note))


def circulate_offer(offer_id: str, offer: Offer, context: StepContext) -> StepOutcome:
    """Record that the offer was circulated to the Committee's members."""
    _check_step(offer_id, offer, "circulate", context.on)
    return make_outcome(
        "circulate",
        f"Circulate offer {offer_id}",
        [Change(("status",), "circulated")],
        context,
        letter="circulation",
    )


def inform_offer(offer_id: str, offer: Offer, context: StepContext) -> StepOutcome:
    """Record that the requesting State was informed and asked to take the offer up."""
    _check_step(offer_id, offer, "inform", context.on)
    return make_outcome(
        "inform",
        f"Inform the requesting State of offer {offer_id}",
        [Change(("status",), "informed")],
        context,
        letter="offer-information",
    )


def take_up_offer(offer_id: str, offer: Offer, context: StepContext) -> StepOutcome:
    """Record that the requesting State takes the offer up."""
    _check_step(offer_id, offer, "take-up", context.on)
    return make_outcome(
        "take-up",
        f"Take up offer {offer_id}",
        [Change(("status",), "taken-up")],
        context,
    )


def decline_offer(offer_id: str, offer: Offer, context: StepContext) -> StepOutcome:
    """Record that the offer was declined."""
    _check_step(offer_id, offer, "decline", context.on)
    return make_outcome(
        "decline",
        f"Decline offer {offer_id}",
        [Change(("status",), "declined")],
        context,
    )


def record_no_answer(offer_id: str, offer: Offer, context: StepContext) -> StepOutcome:
    """Record that the requesting State gave no answer on the offer."""
    _check_step(offer_id, offer, "no-answer", context.on)
    return make_outcome(
        "no-answer",
        f"Record no answer on offer {offer_id}",
        [Change(("status",), "no-answer")],
        context,
    )


def record_report(
    offer_id: str,
    offer: Offer,
    context: StepContext,
    kind: ReportKind,
    by: Party,
    summary: str | None = None,
) -> StepOutcome:
    """Record a progress or completion report on the assistance."""
    _check_step(offer_id, offer, "report", context.on)
    report: dict[str, Any] = {"date": context.on.isoformat(), "kind": kind, "by": by}
    if summary:
        report["summary"] = summary
    return make_outcome(
        "report",
        f"Record {kind} report on offer {offer_id}",
        [
            Change(("status",), REPORT_STATUSES[kind]),
            append_to_list("reports", len(offer.reports), report),
        ],
        context,
        extra_note=f"{kind} report by the {_party(by)}",
    )


def record_feedback(
    offer_id: str,
    offer: Offer,
    context: StepContext,
    by: Party,
    activities: str,
    achievements: str,
    opportunities: str,
) -> StepOutcome:
    """Record feedback on the assistance delivered."""
    _check_step(offer_id, offer, "feedback", context.on)
    feedback = {
        "date": context.on.isoformat(),
        "by": by,
        "activities": activities,
        "achievements": achievements,
        "opportunities": opportunities,
    }
    return make_outcome(
        "feedback",
        f"Record feedback from the {_party(by)} on offer {offer_id}",
        [
            Change(("status",), "feedback-received"),
            append_to_list("feedback", len(offer.feedback), feedback),
        ],
        context,
    )


def _check_step(offer_id: str, offer: Offer, action: str, on: date) -> None:
    require_offer(offer_id, offer, action)
    received = offer.received.earliest()
    if on < received:
        raise WorkflowError(
            f"cannot {action} offer {offer_id} on {on.isoformat()}: that is before "
            f"it was received ({offer.received}); check --date"
        )


def append_to_list(field_name: str, existing: int, value: dict[str, Any]) -> Change:
    """Add one entry to a list field; a missing or empty list is written whole."""
    if existing == 0:
        return Change((field_name,), [value])
    return Change((field_name, existing), value)


def _party(by: Party) -> str:
    return "requesting State" if by == "state" else "provider"
