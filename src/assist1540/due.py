"""Steps of the procedure that are due or overdue on a given day, by the timers.

Each rule reads the records and the configured Timers, and never a file:

- distribute: requests received, authenticated or acknowledged, due
  `distribution_days` after receipt (letter: distribution);
- distribution-allowed: for acknowledged requests, the day the State's
  objection period of `objection_working_days` working days ends (information,
  no letter);
- follow-up: open requests without a `follow-up` step in their history, due
  `follow_up_days` after receipt (letter: follow-up);
- briefing: `briefing_days` after the last briefing of the Committee;
- report-request: offers taken up or in progress with no report or take-up for
  `report_request_days` (letter: report-request);
- answer-reminder: offers informed `answer_days` ago without an answer; the
  reminder resends the offer information, which asks the State whether it takes
  the offer up (letter: offer-information);
- confirm-provider and confirm-programme: `last_confirmed` older than
  `provider_confirmation_days`, or a provider that never confirmed (letter:
  provider-confirmation). A programme without its own `last_confirmed` is
  covered by its provider's line.

A request received as YYYY or YYYY-MM counts from the first day it can mean.
Timers count calendar days, except the objection period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from assist1540.catalog import Catalog, Entry
from assist1540.config import Timers
from assist1540.dates import PartialDate
from assist1540.models import Offer, Provider, Request
from assist1540.workflow import add_working_days, last_step_date

# Requests not yet distributed.
_BEFORE_DISTRIBUTION = ("received", "authenticated", "acknowledged")
# Requests that go no further: closed, or informal until formalised.
_NOT_OPEN = ("closed", "informal")
_KIND_ORDER = ("briefing", "request", "offer", "provider", "programme")


@dataclass(frozen=True)
class DueStep:
    """A step that fell due, and the letter that carries it or reminds of it.

    `due` is None for a step never taken that has no date to count from: a
    provider that never confirmed its information, or a Committee never briefed.
    """

    kind: str
    record: str
    step: str
    description: str
    due: date | None
    days_overdue: int | None
    letter: str | None = None
    information: bool = False
    programme: str | None = None


def list_due_steps(
    catalog: Catalog, timers: Timers, on: date, briefings: Sequence[date] = ()
) -> list[DueStep]:
    """List every step due on or before `on`, the never-taken ones first.

    `briefings` are the days the Committee was briefed, from data/briefings.yaml.
    """
    steps: list[DueStep] = []
    for entry in catalog.requests.values():
        steps.extend(_request_steps(entry, timers, on))
    for offer in catalog.offers.values():
        steps.extend(_offer_steps(offer, timers, on))
    for provider in catalog.providers.values():
        steps.extend(_provider_steps(provider, timers, on))
    steps.extend(_briefing_steps(briefings, timers, on))
    return sorted(steps, key=_sort_key)


def _request_steps(entry: Entry[Request], timers: Timers, on: date) -> list[DueStep]:
    request = entry.record
    if request.status in _NOT_OPEN:
        return []
    received = request.received.earliest()
    steps = []

    if request.status in _BEFORE_DISTRIBUTION:
        due = received + timedelta(days=timers.distribution_days)
        steps.append(
            _step(
                "request",
                entry.id,
                "distribute",
                "distribute to potential providers",
                due,
                on,
                letter="distribution",
            )
        )

    acknowledged = last_step_date(request.history, "acknowledge")
    if request.status == "acknowledged" and acknowledged is not None:
        opens = add_working_days(acknowledged, timers.objection_working_days)
        steps.append(
            _step(
                "request",
                entry.id,
                "distribution-allowed",
                "objection period over: distribution and posting allowed",
                opens,
                on,
                information=True,
            )
        )

    if last_step_date(request.history, "follow-up") is None:
        due = received + timedelta(days=timers.follow_up_days)
        steps.append(
            _step(
                "request",
                entry.id,
                "follow-up",
                "ask the State whether the request was met",
                due,
                on,
                letter="follow-up",
            )
        )
    return [step for step in steps if _is_due(step)]


def _offer_steps(entry: Entry[Offer], timers: Timers, on: date) -> list[DueStep]:
    offer = entry.record
    received = offer.received.earliest()

    if offer.status in ("taken-up", "in-progress"):
        reported = [report.date for report in offer.reports]
        for action in ("take-up", "report"):
            found = last_step_date(offer.history, action)
            if found is not None:
                reported.append(found)
        since = max(reported, default=received)
        due = since + timedelta(days=timers.report_request_days)
        step = _step(
            "offer",
            entry.id,
            "report-request",
            f"ask for a progress report (none since {since.isoformat()})",
            due,
            on,
            letter="report-request",
        )
        return [step] if _is_due(step) else []

    if offer.status == "informed":
        since = last_step_date(offer.history, "inform") or received
        due = since + timedelta(days=timers.answer_days)
        step = _step(
            "offer",
            entry.id,
            "answer-reminder",
            f"remind the State to answer (informed {since.isoformat()})",
            due,
            on,
            letter="offer-information",
        )
        return [step] if _is_due(step) else []
    return []


def _provider_steps(entry: Entry[Provider], timers: Timers, on: date) -> list[DueStep]:
    provider = entry.record
    steps = []
    if provider.last_confirmed is None:
        steps.append(
            DueStep(
                "provider",
                entry.id,
                "confirm-provider",
                "ask the provider to confirm its information (never confirmed)",
                None,
                None,
                letter="provider-confirmation",
            )
        )
    else:
        steps.append(
            _confirmation_step(entry.id, None, provider.last_confirmed, timers, on)
        )

    for programme in provider.programmes:
        if programme.last_confirmed is not None:
            steps.append(
                _confirmation_step(
                    entry.id, programme.name, programme.last_confirmed, timers, on
                )
            )
    return [step for step in steps if _is_due(step)]


def _confirmation_step(
    provider_id: str,
    programme: str | None,
    confirmed: PartialDate,
    timers: Timers,
    on: date,
) -> DueStep:
    due = confirmed.earliest() + timedelta(days=timers.provider_confirmation_days)
    if programme is None:
        return _step(
            "provider",
            provider_id,
            "confirm-provider",
            f"ask the provider to confirm its information (confirmed {confirmed})",
            due,
            on,
            letter="provider-confirmation",
        )
    return _step(
        "programme",
        provider_id,
        "confirm-programme",
        f"ask the provider to confirm programme '{programme}' (confirmed {confirmed})",
        due,
        on,
        letter="provider-confirmation",
        programme=programme,
    )


def _briefing_steps(
    briefings: Sequence[date], timers: Timers, on: date
) -> list[DueStep]:
    if not briefings:
        return [
            DueStep(
                "briefing",
                "",
                "briefing",
                "brief the Committee (no briefing recorded)",
                None,
                None,
            )
        ]
    last = max(briefings)
    due = last + timedelta(days=timers.briefing_days)
    step = _step(
        "briefing",
        "",
        "briefing",
        f"brief the Committee (last briefing {last.isoformat()})",
        due,
        on,
    )
    return [step] if _is_due(step) else []


def _step(
    kind: str,
    record: str,
    step: str,
    description: str,
    due: date,
    on: date,
    letter: str | None = None,
    information: bool = False,
    programme: str | None = None,
) -> DueStep:
    return DueStep(
        kind,
        record,
        step,
        description,
        due,
        (on - due).days,
        letter,
        information,
        programme,
    )


def _is_due(step: DueStep) -> bool:
    return step.days_overdue is None or step.days_overdue >= 0


def _sort_key(step: DueStep) -> tuple[date, int, str, str, str]:
    return (
        step.due or date.min,
        _KIND_ORDER.index(step.kind),
        step.record,
        step.programme or "",
        step.step,
    )
