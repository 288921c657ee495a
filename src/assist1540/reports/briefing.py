"""Events between two days, in the order the Committee is briefed on them.

The briefing reads the records' dates and history: a request is new when it was
received in the period and an offer when it was received in it. Steps come from
the history entries, and reports and feedback from the offers' own lists,
which carry the report's kind and who gave it. Both ends of the period count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from assist1540.catalog import Catalog, Entry
from assist1540.config import Timers
from assist1540.due import DueStep, list_due_steps
from assist1540.errors import UsageError
from assist1540.models import HistoryEntry, Offer
from assist1540.reports.as_of import catalog_as_of

# Request steps, in the order the procedure takes them, with their headings.
REQUEST_STEPS: tuple[tuple[str, str], ...] = (
    ("formalise", "Formalised"),
    ("authenticate", "Authenticated"),
    ("acknowledge", "Acknowledged"),
    ("distribute", "Distributed to potential providers"),
    ("consent", "Consent recorded"),
    ("match", "Matched with an offer"),
    ("follow-up", "Followed up"),
    ("close", "Closed"),
)
# Offer events, in the same order; `added`, `progress`, `completion` and
# `feedback` come from the offers' dates and lists, the others from history.
OFFER_EVENTS: tuple[tuple[str, str], ...] = (
    ("added", "Offers added"),
    ("circulate", "Circulated to the Committee"),
    ("inform", "Requesting State informed"),
    ("take-up", "Taken up"),
    ("decline", "Declined"),
    ("no-answer", "No answer from the requesting State"),
    ("progress", "Progress reports"),
    ("completion", "Completion reports"),
    ("feedback", "Feedback"),
)
_OFFER_HISTORY_STEPS = ("circulate", "inform", "take-up", "decline", "no-answer")
_PARTIES = {"state": "the requesting State", "provider": "the provider"}


@dataclass(frozen=True)
class NewRequest:
    """A request received in the period."""

    request: str
    state: str
    received: str
    channel: str
    items: int
    areas: tuple[str, ...]


@dataclass(frozen=True)
class BriefingEvent:
    """One step, report or feedback on a request or an offer."""

    day: date
    record: str
    state: str
    detail: str


@dataclass(frozen=True)
class EventGroup:
    """The events of one kind, oldest first."""

    key: str
    title: str
    events: tuple[BriefingEvent, ...]


@dataclass(frozen=True)
class Briefing:
    """The briefing for one period.

    `overdue` lists the steps overdue at the end of `until` that have a due
    date. `unconfirmed` counts the providers and programmes that never
    confirmed their information, which have none.
    """

    since: date
    until: date
    new_requests: tuple[NewRequest, ...]
    request_steps: tuple[EventGroup, ...]
    offer_events: tuple[EventGroup, ...]
    overdue: tuple[DueStep, ...]
    unconfirmed: int

    def counts(self) -> list[tuple[str, int]]:
        """Count each kind of event, new requests first, in the briefing's order."""
        counts = [("New requests", len(self.new_requests))]
        for group in (*self.request_steps, *self.offer_events):
            counts.append((group.title, len(group.events)))
        counts.append(("Steps overdue", len(self.overdue)))
        return counts


def briefing_period(
    since: date | None,
    until: date,
    briefings: Sequence[date],
    timers: Timers,
) -> tuple[date, date]:
    """Choose the period: from `since`, else the day after the last briefing.

    Only briefings before `until` count. Without any, the period is the
    `briefing_days` days that end on `until`.

    Raises:
        UsageError: when the period would start after it ends.
    """
    if since is None:
        earlier = [day for day in briefings if day < until]
        if earlier:
            since = max(earlier) + timedelta(days=1)
        else:
            since = until - timedelta(days=timers.briefing_days - 1)
    if since > until:
        raise UsageError(
            f"invalid period: --since {since.isoformat()} is after --until "
            f"{until.isoformat()}; give a start on or before the end"
        )
    return since, until


def build_briefing(
    catalog: Catalog,
    timers: Timers,
    since: date,
    until: date,
    briefings: Sequence[date] = (),
) -> Briefing:
    """Collect the period's events, and the steps overdue at the end of `until`."""
    overdue, unconfirmed = _overdue_steps(catalog, timers, until, briefings)
    return Briefing(
        since=since,
        until=until,
        new_requests=tuple(_new_requests(catalog, since, until)),
        request_steps=tuple(_request_steps(catalog, since, until)),
        offer_events=tuple(_offer_events(catalog, since, until)),
        overdue=tuple(overdue),
        unconfirmed=unconfirmed,
    )


def _new_requests(catalog: Catalog, since: date, until: date) -> list[NewRequest]:
    """List requests received in the period; YYYY and YYYY-MM count from day 1."""
    new = []
    for request_id, entry in sorted(catalog.requests.items()):
        request = entry.record
        if not since <= request.received.earliest() <= until:
            continue
        areas = sorted({area for item in request.items for area in item.areas})
        new.append(
            NewRequest(
                request_id,
                request.state,
                str(request.received),
                request.channel,
                len(request.items),
                tuple(areas),
            )
        )
    return sorted(new, key=lambda found: (found.received, found.request))


def _request_steps(catalog: Catalog, since: date, until: date) -> list[EventGroup]:
    events: dict[str, list[BriefingEvent]] = {key: [] for key, _ in REQUEST_STEPS}
    for request_id, entry in catalog.requests.items():
        for step in entry.record.history:
            if step.action in events and since <= step.date <= until:
                events[step.action].append(
                    BriefingEvent(
                        step.date, request_id, entry.record.state, _step_detail(step)
                    )
                )
    return _groups(REQUEST_STEPS, events)


def _offer_events(catalog: Catalog, since: date, until: date) -> list[EventGroup]:
    events: dict[str, list[BriefingEvent]] = {key: [] for key, _ in OFFER_EVENTS}
    for offer_id, entry in catalog.offers.items():
        offer = entry.record
        state = _state_of(catalog, offer)
        about = _offer_label(catalog, entry)

        received = offer.received.earliest()
        if since <= received <= until:
            detail = f"{about}: {offer.summary}"
            events["added"].append(BriefingEvent(received, offer_id, state, detail))
        for step in offer.history:
            if step.action in _OFFER_HISTORY_STEPS and since <= step.date <= until:
                detail = _join(about, _step_detail(step))
                events[step.action].append(
                    BriefingEvent(step.date, offer_id, state, detail)
                )
        for report in offer.reports:
            if since <= report.date <= until:
                detail = _join(f"{about}, by {_PARTIES[report.by]}", report.summary)
                events[report.kind].append(
                    BriefingEvent(report.date, offer_id, state, detail)
                )
        for feedback in offer.feedback:
            if since <= feedback.date <= until:
                detail = (
                    f"{about}, from {_PARTIES[feedback.by]}: {feedback.achievements}"
                )
                events["feedback"].append(
                    BriefingEvent(feedback.date, offer_id, state, detail)
                )
    return _groups(OFFER_EVENTS, events)


def _groups(
    kinds: Sequence[tuple[str, str]], events: dict[str, list[BriefingEvent]]
) -> list[EventGroup]:
    return [
        EventGroup(
            key,
            title,
            tuple(sorted(events[key], key=lambda event: (event.day, event.record))),
        )
        for key, title in kinds
    ]


def _overdue_steps(
    catalog: Catalog, timers: Timers, until: date, briefings: Sequence[date]
) -> tuple[list[DueStep], int]:
    """List steps overdue at the end of `until`, from the records as they were then.

    The briefing itself and information-only steps are left out.
    """
    earlier = [day for day in briefings if day <= until]
    steps = list_due_steps(catalog_as_of(catalog, until), timers, until, earlier)
    overdue = []
    unconfirmed = 0
    for step in steps:
        if step.kind == "briefing" or step.information:
            continue
        if step.days_overdue is None:
            unconfirmed += 1
        elif step.days_overdue > 0:
            overdue.append(step)
    return overdue, unconfirmed


def _state_of(catalog: Catalog, offer: Offer) -> str:
    request = catalog.requests.get(offer.request)
    return request.record.state if request is not None else ""


def _offer_label(catalog: Catalog, entry: Entry[Offer]) -> str:
    offer = entry.record
    provider = catalog.providers.get(offer.provider)
    name = provider.record.label if provider is not None else offer.provider
    return f"{name} on request {offer.request}"


def _step_detail(step: HistoryEntry) -> str:
    return _join(step.note, step.reference)


def _join(*parts: str | None) -> str:
    return "; ".join(part for part in parts if part)
