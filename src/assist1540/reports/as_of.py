"""The records as they stood at the end of a past day, rebuilt from their history.

A briefing that ends in the past counts the steps overdue on its last day. The
records hold only their present status, so this module drops what happened
after that day (records received later, history entries, reports, feedback and
confirmations) and sets each status from the last step that remains.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TypeVar

from assist1540.catalog import Catalog, Entry
from assist1540.dates import PartialDate
from assist1540.models import HistoryEntry, Offer, Programme, Provider, Request

# The status each step leaves a record in. Steps not listed here, such as
# consent or follow-up, leave the status as it was.
REQUEST_STATUS_AFTER = {
    "formalise": "received",
    "authenticate": "authenticated",
    "acknowledge": "acknowledged",
    "distribute": "distributed",
    "match": "matched",
    "close": "closed",
}
OFFER_STATUS_AFTER = {
    "circulate": "circulated",
    "inform": "informed",
    "take-up": "taken-up",
    "decline": "declined",
    "no-answer": "no-answer",
}
REPORT_STATUS_AFTER = {"progress": "in-progress", "completion": "completed"}


def catalog_as_of(catalog: Catalog, day: date) -> Catalog:
    """Return a copy of `catalog` with only what was on record by the end of `day`.

    A record whose history ends on or before `day` is kept as it is, so records
    imported with a status but no history keep that status.
    """
    return dataclasses.replace(
        catalog,
        requests={
            key: _replace(entry, _request_as_of(entry.record, day))
            for key, entry in catalog.requests.items()
            if entry.record.received.earliest() <= day
        },
        offers={
            key: _replace(entry, _offer_as_of(entry.record, day))
            for key, entry in catalog.offers.items()
            if entry.record.received.earliest() <= day
        },
        providers={
            key: _replace(entry, _provider_as_of(entry.record, day))
            for key, entry in catalog.providers.items()
        },
    )


RecordT = TypeVar("RecordT", Request, Offer, Provider)


def _replace(entry: Entry[RecordT], record: RecordT) -> Entry[RecordT]:
    if record is entry.record:
        return entry
    return Entry(entry.id, entry.path, record, entry.document)


def _request_as_of(request: Request, day: date) -> Request:
    kept = [step for step in request.history if step.date <= day]
    if len(kept) == len(request.history):
        return request

    status = "received"
    dropped = [step for step in request.history if step.date > day]
    if any(step.action == "formalise" for step in dropped):
        status = "informal"
    for step in sorted(kept, key=lambda step: step.date):
        status = REQUEST_STATUS_AFTER.get(step.action, status)
    return request.model_copy(update={"history": kept, "status": status})


def _offer_as_of(offer: Offer, day: date) -> Offer:
    history = [step for step in offer.history if step.date <= day]
    reports = [report for report in offer.reports if report.date <= day]
    feedback = [entry for entry in offer.feedback if entry.date <= day]
    unchanged = (
        len(history) == len(offer.history)
        and len(reports) == len(offer.reports)
        and len(feedback) == len(offer.feedback)
    )
    if unchanged:
        return offer

    # Reports and feedback carry their own dates; their history entries would
    # only repeat them.
    timeline: list[tuple[date, str]] = [
        (step.date, OFFER_STATUS_AFTER[step.action])
        for step in history
        if step.action in OFFER_STATUS_AFTER
    ]
    timeline += [(report.date, REPORT_STATUS_AFTER[report.kind]) for report in reports]
    timeline += [(entry.date, "feedback-received") for entry in feedback]
    timeline.sort(key=lambda event: event[0])
    status = timeline[-1][1] if timeline else "received"
    return offer.model_copy(
        update={
            "history": history,
            "reports": reports,
            "feedback": feedback,
            "status": status,
        }
    )


def _provider_as_of(provider: Provider, day: date) -> Provider:
    """Set back each `last_confirmed` after `day` to the confirmation before it.

    A confirmation step notes the programme it confirms as "programme 'NAME'",
    and names no programme when it confirms the provider as a whole.
    """
    confirmations = [
        step
        for step in provider.history
        if step.action == "confirm" and step.date <= day
    ]
    update: dict[str, object] = {}
    if _is_after(provider.last_confirmed, day):
        update["last_confirmed"] = _last_confirmation(confirmations, None)

    programmes: list[Programme] = []
    for programme in provider.programmes:
        if _is_after(programme.last_confirmed, day):
            confirmed = _last_confirmation(confirmations, programme.name)
            programme = programme.model_copy(update={"last_confirmed": confirmed})
            update["programmes"] = programmes
        programmes.append(programme)

    if not update:
        return provider
    return provider.model_copy(update=update)


def _is_after(confirmed: PartialDate | None, day: date) -> bool:
    return confirmed is not None and confirmed.earliest() > day


def _last_confirmation(
    confirmations: list[HistoryEntry], programme: str | None
) -> PartialDate | None:
    days = [step.date for step in confirmations if _names_programme(step, programme)]
    return PartialDate.from_date(max(days)) if days else None


def _names_programme(step: HistoryEntry, programme: str | None) -> bool:
    note = step.note or ""
    if programme is None:
        return "programme '" not in note
    return f"programme '{programme}'" in note
