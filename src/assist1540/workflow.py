"""The Committee's procedure for requests and offers, as pure functions on models.

Each step checks that the record's status allows it, then returns a StepOutcome:
the field changes, the history entry to append and the letter to send. Nothing
here reads a file or calls git, so the procedure tests as plain tables.

Requests: received -> authenticated -> acknowledged -> distributed (and posted
when the State consented) -> matched (an offer is on file) -> closed. An
informal request stays `informal` until it is formalised. Offers: received ->
circulated -> informed -> taken-up | declined | no-answer -> in-progress ->
completed -> feedback-received.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from assist1540.config import Timers
from assist1540.errors import WorkflowError
from assist1540.models import Offer, Request

FieldPath = tuple[str | int, ...]

REQUEST_STEPS: dict[str, tuple[str, ...]] = {
    "informal": ("formalise", "consent", "close"),
    "received": ("authenticate", "consent", "close"),
    "authenticated": ("acknowledge", "consent", "close"),
    "acknowledged": ("distribute", "consent", "close"),
    "distributed": ("consent", "close"),
    "matched": ("consent", "close"),
    "closed": (),
}

OFFER_STEPS: dict[str, tuple[str, ...]] = {
    "received": ("circulate", "decline"),
    "circulated": ("inform", "decline"),
    "informed": ("take-up", "decline", "no-answer"),
    "no-answer": ("take-up", "decline"),
    "taken-up": ("report",),
    "in-progress": ("report",),
    "completed": ("feedback",),
    "feedback-received": ("feedback",),
    "declined": (),
}

CloseReason = Literal["met", "withdrawn", "lapsed"]
ConsentStatus = Literal["granted", "refused", "withdrawn", "not-asked", "unknown"]


@dataclass(frozen=True)
class Change:
    """One field set to a new value; the value is plain YAML data."""

    path: FieldPath
    value: Any


@dataclass(frozen=True)
class StepOutcome:
    """The changes a step makes to one record, its history entry and letter."""

    action: str
    subject: str
    changes: tuple[Change, ...]
    history: dict[str, Any]
    letter: str | None = None
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class StepContext:
    """The day, actor, document reference and note of a step."""

    on: date
    actor: str | None = None
    reference: str | None = None
    note: str | None = None


def allowed_request_steps(request: Request) -> tuple[str, ...]:
    return REQUEST_STEPS[request.status]


def allowed_offer_steps(offer: Offer) -> tuple[str, ...]:
    return OFFER_STEPS[offer.status]


# --- Requests -----------------------------------------------------------------------


def formalise(request_id: str, request: Request, context: StepContext) -> StepOutcome:
    """Record that an informal request was resubmitted in proper form."""
    _require_request(request_id, request, "formalise")
    return _outcome(
        "formalise",
        f"Formalise request {request_id}",
        [Change(("status",), "received"), Change(("formal",), True)],
        context,
    )


def authenticate(
    request_id: str, request: Request, context: StepContext, method: str | None = None
) -> StepOutcome:
    """Record that the Secretariat checked the request came from the State."""
    _require_request(request_id, request, "authenticate")
    _check_not_before(
        request_id, "authenticate", context.on, request.received.earliest()
    )
    authentication: dict[str, Any] = {"date": context.on.isoformat()}
    if method:
        authentication["method"] = method
    if context.reference:
        authentication["reference"] = context.reference
    return _outcome(
        "authenticate",
        f"Authenticate request {request_id}",
        [
            Change(("status",), "authenticated"),
            Change(("authentication",), authentication),
        ],
        context,
    )


def acknowledge(request_id: str, request: Request, context: StepContext) -> StepOutcome:
    """Record the letter acknowledging receipt of the request."""
    _require_request(request_id, request, "acknowledge")
    return _outcome(
        "acknowledge",
        f"Acknowledge request {request_id}",
        [Change(("status",), "acknowledged")],
        context,
        letter="acknowledgement",
    )


def distribute(
    request_id: str,
    request: Request,
    context: StepContext,
    timers: Timers,
    providers: list[str],
    publish: bool = True,
    early: bool = False,
) -> StepOutcome:
    """Record distribution to potential providers, and posting if consented.

        The State may object within the objection period after acknowledgement, so
        distribution waits for it to end unless `early` records that the State waived
    it.
    """
    _require_request(request_id, request, "distribute")
    acknowledged = last_step_date(request.history, "acknowledge")
    if acknowledged is not None and not early:
        opens = add_working_days(acknowledged, timers.objection_working_days)
        if context.on < opens:
            raise WorkflowError(
                f"cannot distribute request {request_id} before {opens.isoformat()}: "
                f"the State may object until {timers.objection_working_days} working "
                f"days after the acknowledgement of {acknowledged.isoformat()}; wait, "
                "or pass --early if the State waived the period"
            )

    changes = [Change(("status",), "distributed")]
    posts = publish and request.consent.status == "granted" and request.formal
    if posts:
        changes.append(Change(("published",), True))
    note = "distributed to " + ", ".join(providers) if providers else None
    outcome = _outcome(
        "distribute",
        f"Distribute request {request_id}",
        changes,
        context,
        letter="distribution",
        extra_note=note,
    )
    if posts:
        return _with_notes(outcome, "posted on the website: the State consented")
    return _with_notes(outcome, f"not posted: consent is '{request.consent.status}'")


def record_consent(
    request_id: str,
    request: Request,
    context: StepContext,
    status: ConsentStatus,
    source: str | None,
) -> StepOutcome:
    """Record the State's consent to posting, or its refusal or withdrawal."""
    _require_request(request_id, request, "consent")
    consent: dict[str, Any] = {"status": status, "date": context.on.isoformat()}
    if source:
        consent["source"] = source
    changes = [Change(("consent",), consent)]

    if status != "granted" and request.published:
        changes.append(Change(("published",), False))
    elif status == "granted" and request.status in ("distributed", "matched"):
        changes.append(Change(("published",), True))
    return _outcome(
        "consent", f"Record consent {status} for request {request_id}", changes, context
    )


def close(
    request_id: str, request: Request, context: StepContext, reason: CloseReason
) -> StepOutcome:
    """Close a request as met, withdrawn or lapsed."""
    _require_request(request_id, request, "close")
    return _outcome(
        "close",
        f"Close request {request_id} as {reason}",
        [Change(("status",), "closed")],
        context,
        extra_note=f"closed: {reason}",
    )


# --- Helpers --------------------------------------------------------------------------


def add_working_days(start: date, days: int) -> date:
    """Count `days` working days (Monday to Friday) after `start`."""
    # TODO: public holidays are not skipped, so a period can end a day early;
    # a holiday calendar in the configuration would fix this.
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def last_step_date(history: list[Any], action: str) -> date | None:
    dates = [entry.date for entry in history if entry.action == action]
    return max(dates) if dates else None


def _require_request(request_id: str, request: Request, action: str) -> None:
    allowed = REQUEST_STEPS[request.status]
    if action not in allowed:
        raise WorkflowError(
            f"cannot {action} request {request_id}: it is '{request.status}'; "
            f"allowed now: {', '.join(allowed) or 'nothing, the request is closed'}"
        )


def require_offer(offer_id: str, offer: Offer, action: str) -> None:
    allowed = OFFER_STEPS[offer.status]
    if action not in allowed:
        raise WorkflowError(
            f"cannot {action} offer {offer_id}: it is '{offer.status}'; "
            f"allowed now: {', '.join(allowed) or 'nothing, the offer was declined'}"
        )


def _check_not_before(record_id: str, action: str, on: date, earliest: date) -> None:
    if on < earliest:
        raise WorkflowError(
            f"cannot {action} {record_id} on {on.isoformat()}: that is before it was "
            f"received ({earliest.isoformat()}); check --date"
        )


def _outcome(
    action: str,
    subject: str,
    changes: list[Change],
    context: StepContext,
    letter: str | None = None,
    extra_note: str | None = None,
) -> StepOutcome:
    entry: dict[str, Any] = {"date": context.on.isoformat(), "action": action}
    if context.actor:
        entry["actor"] = context.actor
    if context.reference:
        entry["reference"] = context.reference
    notes = [part for part in (extra_note, context.note) if part]
    if notes:
        entry["note"] = "; ".join(notes)
    return StepOutcome(action, subject, tuple(changes), entry, letter)


def _with_notes(outcome: StepOutcome, *notes: str) -> StepOutcome:
    return StepOutcome(
        outcome.action,
        outcome.subject,
        outcome.changes,
        outcome.history,
        outcome.letter,
        (*outcome.notes, *notes),
    )


def make_outcome(
    action: str,
    subject: str,
    changes: list[Change],
    context: StepContext,
    letter: str | None = None,
    extra_note: str | None = None,
) -> StepOutcome:
    """Build an outcome for steps defined outside this module (offers, providers)."""
    return _outcome(action, subject, changes, context, letter, extra_note)
