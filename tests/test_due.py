"""Due steps as plain tables: records and a day in, due lines out."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from assist1540.config import Timers
from assist1540.due import DueStep, list_due_steps
from step_helpers import make_catalog

# (kind, record, step, due, days overdue, letter)
Line = tuple[str, str, str, str | None, int | None, str | None]

NO_BRIEFING_DUE = [date(2100, 1, 1)]


def request(status: str, received: str = "2026-03-02", **fields: Any) -> dict[str, Any]:
    return {
        "state": "Mexico",
        "iso3": "MEX",
        "received": received,
        "status": status,
        "formal": status != "informal",
        "items": [{"summary": "Customs training."}],
        **fields,
    }


def offer(status: str, **fields: Any) -> dict[str, Any]:
    return {
        "request": "mex-2026",
        "provider": "canada",
        "received": "2026-01-02",
        "summary": "Courses.",
        "status": status,
        **fields,
    }


def provider(**fields: Any) -> dict[str, Any]:
    return {"name": "Canada", "kind": "state", "iso3": "CAN", **fields}


def lines(steps: list[DueStep]) -> list[Line]:
    return [
        (
            step.kind,
            step.record,
            step.step,
            step.due.isoformat() if step.due else None,
            step.days_overdue,
            step.letter,
        )
        for step in steps
    ]


def due_requests(
    requests: dict[str, dict[str, Any]], on: date, timers: Timers | None = None
) -> list[Line]:
    catalog = make_catalog(requests=requests)
    return lines(list_due_steps(catalog, timers or Timers(), on, NO_BRIEFING_DUE))


@pytest.mark.parametrize(
    ("values", "on", "expected"),
    [
        # Received on Monday 2 March: distribution falls due 7 days later.
        (request("received"), date(2026, 3, 8), []),
        (
            request("received"),
            date(2026, 3, 9),
            [("request", "mex-2026", "distribute", "2026-03-09", 0, "distribution")],
        ),
        (
            request("authenticated"),
            date(2026, 3, 12),
            [("request", "mex-2026", "distribute", "2026-03-09", 3, "distribution")],
        ),
        # A request known only by its year counts from 1 January.
        (
            request("received", received="2025"),
            date(2026, 1, 1),
            [
                (
                    "request",
                    "mex-2026",
                    "distribute",
                    "2025-01-08",
                    358,
                    "distribution",
                ),
                ("request", "mex-2026", "follow-up", "2026-01-01", 0, "follow-up"),
            ],
        ),
        (
            request("distributed", received="2025-03-02"),
            date(2026, 3, 5),
            [("request", "mex-2026", "follow-up", "2026-03-02", 3, "follow-up")],
        ),
        (
            request(
                "matched",
                received="2025-03-02",
                history=[{"date": "2026-03-03", "action": "follow-up"}],
            ),
            date(2026, 3, 5),
            [],
        ),
        (request("closed", received="2020"), date(2026, 3, 5), []),
        (request("informal", received="2020"), date(2026, 3, 5), []),
    ],
)
def test_due_request_steps(
    values: dict[str, Any], on: date, expected: list[Line]
) -> None:
    assert due_requests({"mex-2026": values}, on) == expected


@pytest.mark.parametrize(
    ("acknowledged", "on", "opens"),
    [
        # Acknowledged on Friday 6 March: five working days skip the weekend.
        ("2026-03-06", date(2026, 3, 12), None),
        ("2026-03-06", date(2026, 3, 13), "2026-03-13"),
        # Acknowledged on Monday 2 March: the period ends the next Monday.
        ("2026-03-02", date(2026, 3, 8), None),
        ("2026-03-02", date(2026, 3, 9), "2026-03-09"),
        # Acknowledged on Saturday 7 March: Monday to Friday count.
        ("2026-03-07", date(2026, 3, 13), "2026-03-13"),
    ],
)
def test_due_objection_period_information(
    acknowledged: str, on: date, opens: str | None
) -> None:
    values = request(
        "acknowledged",
        received="2026-03-20",
        history=[{"date": acknowledged, "action": "acknowledge"}],
    )
    catalog = make_catalog(requests={"mex-2026": values})

    steps = list_due_steps(catalog, Timers(), on, NO_BRIEFING_DUE)

    information = [step for step in steps if step.information]
    if opens is None:
        assert information == []
    else:
        assert lines(information) == [
            (
                "request",
                "mex-2026",
                "distribution-allowed",
                opens,
                (on - date.fromisoformat(opens)).days,
                None,
            )
        ]
        assert information[0].description == (
            "objection period over: distribution and posting allowed"
        )


def test_due_objection_period_from_timers() -> None:
    values = request(
        "acknowledged",
        received="2026-03-20",
        history=[{"date": "2026-03-06", "action": "acknowledge"}],
    )
    timers = Timers(objection_working_days=1)

    assert due_requests({"mex-2026": values}, date(2026, 3, 9), timers) == [
        ("request", "mex-2026", "distribution-allowed", "2026-03-09", 0, None)
    ]


@pytest.mark.parametrize(
    ("values", "on", "expected"),
    [
        # Taken up 5 January: a progress report is asked for 180 days later.
        (
            offer("taken-up", history=[{"date": "2026-01-05", "action": "take-up"}]),
            date(2026, 7, 3),
            [],
        ),
        (
            offer("taken-up", history=[{"date": "2026-01-05", "action": "take-up"}]),
            date(2026, 7, 4),
            [("offer", "o", "report-request", "2026-07-04", 0, "report-request")],
        ),
        # The last report counts, not the take-up.
        (
            offer(
                "in-progress",
                history=[{"date": "2026-01-05", "action": "take-up"}],
                reports=[{"date": "2026-02-01", "kind": "progress", "by": "state"}],
            ),
            date(2026, 8, 2),
            [("offer", "o", "report-request", "2026-07-31", 2, "report-request")],
        ),
        # Without a take-up in the history, the offer's date counts.
        (
            offer("taken-up"),
            date(2026, 7, 1),
            [("offer", "o", "report-request", "2026-07-01", 0, "report-request")],
        ),
        # Informed 2 March: the State is reminded after 30 days.
        (
            offer("informed", history=[{"date": "2026-03-02", "action": "inform"}]),
            date(2026, 3, 31),
            [],
        ),
        (
            offer("informed", history=[{"date": "2026-03-02", "action": "inform"}]),
            date(2026, 4, 6),
            [("offer", "o", "answer-reminder", "2026-04-01", 5, "offer-information")],
        ),
        (offer("completed"), date(2030, 1, 1), []),
        (offer("declined"), date(2030, 1, 1), []),
        (offer("no-answer"), date(2030, 1, 1), []),
    ],
)
def test_due_offer_steps(
    values: dict[str, Any], on: date, expected: list[Line]
) -> None:
    catalog = make_catalog(offers={"o": values})

    assert lines(list_due_steps(catalog, Timers(), on, NO_BRIEFING_DUE)) == expected


@pytest.mark.parametrize(
    ("values", "on", "expected"),
    [
        (
            provider(),
            date(2026, 3, 1),
            [
                (
                    "provider",
                    "canada",
                    "confirm-provider",
                    None,
                    None,
                    "provider-confirmation",
                )
            ],
        ),
        (provider(last_confirmed="2025-03-01"), date(2026, 2, 28), []),
        (
            provider(last_confirmed="2025-03-01"),
            date(2026, 3, 1),
            [
                (
                    "provider",
                    "canada",
                    "confirm-provider",
                    "2026-03-01",
                    0,
                    "provider-confirmation",
                )
            ],
        ),
        # A programme without its own date is covered by the provider's.
        (
            provider(
                last_confirmed="2026-01-01",
                programmes=[{"name": "A", "summary": "s"}],
            ),
            date(2026, 3, 1),
            [],
        ),
        (
            provider(
                last_confirmed="2026-01-01",
                programmes=[
                    {"name": "A", "summary": "s", "last_confirmed": "2024"},
                    {"name": "B", "summary": "s", "last_confirmed": "2026-02-01"},
                ],
            ),
            date(2026, 3, 1),
            [
                (
                    "programme",
                    "canada",
                    "confirm-programme",
                    # 2024 is a leap year, so 365 days end on 31 December.
                    "2024-12-31",
                    425,
                    "provider-confirmation",
                )
            ],
        ),
    ],
)
def test_due_provider_confirmation(
    values: dict[str, Any], on: date, expected: list[Line]
) -> None:
    catalog = make_catalog(providers={"canada": values})

    assert lines(list_due_steps(catalog, Timers(), on, NO_BRIEFING_DUE)) == expected


@pytest.mark.parametrize(
    ("briefings", "on", "expected"),
    [
        ([], date(2026, 3, 1), [("briefing", "", "briefing", None, None, None)]),
        # Last briefing 5 January: the next falls due 61 days later.
        ([date(2026, 1, 5)], date(2026, 3, 6), []),
        (
            [date(2026, 1, 5)],
            date(2026, 3, 9),
            [("briefing", "", "briefing", "2026-03-07", 2, None)],
        ),
        (
            [date(2026, 1, 5), date(2025, 11, 3)],
            date(2026, 3, 7),
            [("briefing", "", "briefing", "2026-03-07", 0, None)],
        ),
    ],
)
def test_due_briefing(briefings: list[date], on: date, expected: list[Line]) -> None:
    assert lines(list_due_steps(make_catalog(), Timers(), on, briefings)) == expected


def test_due_timers_from_config() -> None:
    catalog = make_catalog(
        requests={"mex-2026": request("received")},
        offers={
            "o": offer("informed", history=[{"date": "2026-03-02", "action": "inform"}])
        },
    )
    timers = Timers(distribution_days=1, answer_days=2, follow_up_days=3)

    steps = list_due_steps(catalog, timers, date(2026, 3, 5), NO_BRIEFING_DUE)

    assert lines(steps) == [
        ("request", "mex-2026", "distribute", "2026-03-03", 2, "distribution"),
        ("offer", "o", "answer-reminder", "2026-03-04", 1, "offer-information"),
        ("request", "mex-2026", "follow-up", "2026-03-05", 0, "follow-up"),
    ]


def test_due_sorted_never_first_then_by_date() -> None:
    catalog = make_catalog(
        requests={
            "per-2026": request("received", received="2026-02-01", iso3="PER"),
            "mex-2026": request("received", received="2026-02-01"),
            "arm-2026": request("received", received="2026-01-01", iso3="ARM"),
        },
        providers={"canada": provider(), "iaea": provider(name="IAEA", kind="other")},
    )

    steps = list_due_steps(catalog, Timers(), date(2026, 2, 10), [])

    assert [(step.kind, step.record, step.step) for step in steps] == [
        ("briefing", "", "briefing"),
        ("provider", "canada", "confirm-provider"),
        ("provider", "iaea", "confirm-provider"),
        ("request", "arm-2026", "distribute"),
        ("request", "mex-2026", "distribute"),
        ("request", "per-2026", "distribute"),
    ]


def test_due_descriptions() -> None:
    catalog = make_catalog(
        offers={
            "o": offer(
                "taken-up", history=[{"date": "2026-01-05", "action": "take-up"}]
            )
        },
        providers={
            "canada": provider(
                last_confirmed="2024-05",
                programmes=[{"name": "A", "summary": "s", "last_confirmed": "2024"}],
            )
        },
    )

    steps = list_due_steps(catalog, Timers(), date(2026, 12, 1), [date(2026, 1, 5)])

    assert [step.description for step in steps] == [
        "ask the provider to confirm programme 'A' (confirmed 2024)",
        "ask the provider to confirm its information (confirmed 2024-05)",
        "brief the Committee (last briefing 2026-01-05)",
        "ask for a progress report (none since 2026-01-05)",
    ]
