"""The offer procedure as pure functions: allowed steps, changes, new offers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from assist1540 import offer_workflow
from assist1540.errors import UsageError, WorkflowError
from assist1540.models import Offer, Request
from assist1540.workflow import Change, StepContext, StepOutcome
from step_helpers import make_catalog

CONTEXT = StepContext(date(2026, 3, 2), actor="Expert One", reference="S/AC.44/1")
OFFER_ID = "canada-mex-2006"

StepFunction = Callable[[str, Offer, StepContext], StepOutcome]


def make_offer(status: str = "received", **fields: object) -> Offer:
    values: dict[str, object] = {
        "request": "mex-2006",
        "items": ["1"],
        "provider": "canada",
        "received": "2026-03-01",
        "summary": "A customs training course.",
        "status": status,
    }
    values.update(fields)
    return Offer.model_validate(values)


def _report(offer_id: str, offer: Offer, context: StepContext) -> StepOutcome:
    return offer_workflow.record_report(offer_id, offer, context, "progress", "state")


def _feedback(offer_id: str, offer: Offer, context: StepContext) -> StepOutcome:
    return offer_workflow.record_feedback(
        offer_id, offer, context, "state", "Courses", "Officers trained", "More"
    )


STEPS: dict[str, StepFunction] = {
    "circulate": offer_workflow.circulate_offer,
    "inform": offer_workflow.inform_offer,
    "take-up": offer_workflow.take_up_offer,
    "decline": offer_workflow.decline_offer,
    "no-answer": offer_workflow.record_no_answer,
    "report": _report,
    "feedback": _feedback,
}


@pytest.mark.parametrize(
    ("action", "status", "allowed"),
    [
        ("circulate", "circulated", "inform, decline"),
        ("circulate", "declined", "nothing, the offer was declined"),
        ("inform", "received", "circulate, decline"),
        ("take-up", "circulated", "inform, decline"),
        ("take-up", "taken-up", "report"),
        ("decline", "completed", "feedback"),
        ("no-answer", "no-answer", "take-up, decline"),
        ("report", "informed", "take-up, decline, no-answer"),
        ("report", "completed", "feedback"),
        ("feedback", "in-progress", "report"),
        ("feedback", "declined", "nothing, the offer was declined"),
    ],
)
def test_offer_step_out_of_turn(action: str, status: str, allowed: str) -> None:
    offer = make_offer(status)
    message = (
        f"cannot {action} offer {OFFER_ID}: it is '{status}'; allowed now: {allowed}"
    )

    with pytest.raises(WorkflowError, match=f"^{re.escape(message)}$"):
        STEPS[action](OFFER_ID, offer, CONTEXT)


@pytest.mark.parametrize(
    ("action", "status", "new_status", "letter", "subject"),
    [
        ("circulate", "received", "circulated", "circulation", "Circulate offer"),
        (
            "inform",
            "circulated",
            "informed",
            "offer-information",
            "Inform the requesting State of offer",
        ),
        ("take-up", "informed", "taken-up", None, "Take up offer"),
        ("take-up", "no-answer", "taken-up", None, "Take up offer"),
        ("decline", "received", "declined", None, "Decline offer"),
        ("decline", "no-answer", "declined", None, "Decline offer"),
        ("no-answer", "informed", "no-answer", None, "Record no answer on offer"),
    ],
)
def test_offer_step_sets_status(
    action: str, status: str, new_status: str, letter: str | None, subject: str
) -> None:
    outcome = STEPS[action](OFFER_ID, make_offer(status), CONTEXT)

    assert outcome.changes == (Change(("status",), new_status),)
    assert outcome.letter == letter
    assert outcome.subject == f"{subject} {OFFER_ID}"
    assert outcome.history == {
        "date": "2026-03-02",
        "action": action,
        "actor": "Expert One",
        "reference": "S/AC.44/1",
    }


def test_offer_step_before_receipt_rejected() -> None:
    context = StepContext(date(2026, 2, 28))

    with pytest.raises(
        WorkflowError,
        match=r"^cannot circulate offer canada-mex-2006 on 2026-02-28: that is "
        r"before it was received \(2026-03-01\); check --date$",
    ):
        offer_workflow.circulate_offer(OFFER_ID, make_offer(), context)


def test_first_report_writes_list() -> None:
    outcome = offer_workflow.record_report(
        OFFER_ID, make_offer("taken-up"), CONTEXT, "progress", "provider", "Started"
    )

    assert outcome.changes == (
        Change(("status",), "in-progress"),
        Change(
            ("reports",),
            [
                {
                    "date": "2026-03-02",
                    "kind": "progress",
                    "by": "provider",
                    "summary": "Started",
                }
            ],
        ),
    )
    assert outcome.history["note"] == "progress report by the provider"
    assert outcome.letter is None
    assert outcome.subject == "Record progress report on offer canada-mex-2006"


def test_later_report_appends_entry() -> None:
    earlier = {"date": "2026-03-01", "kind": "progress", "by": "state"}
    offer = make_offer("in-progress", reports=[earlier])

    outcome = offer_workflow.record_report(
        OFFER_ID, offer, CONTEXT, "completion", "state"
    )

    assert outcome.changes == (
        Change(("status",), "completed"),
        Change(
            ("reports", 1), {"date": "2026-03-02", "kind": "completion", "by": "state"}
        ),
    )
    assert outcome.history["note"] == "completion report by the requesting State"


def test_feedback_appends_entry() -> None:
    earlier = {
        "date": "2026-03-01",
        "by": "provider",
        "activities": "A",
        "achievements": "B",
        "opportunities": "C",
    }
    offer = make_offer("feedback-received", feedback=[earlier])

    outcome = _feedback(OFFER_ID, offer, CONTEXT)

    assert outcome.changes == (
        Change(("status",), "feedback-received"),
        Change(
            ("feedback", 1),
            {
                "date": "2026-03-02",
                "by": "state",
                "activities": "Courses",
                "achievements": "Officers trained",
                "opportunities": "More",
            },
        ),
    )
    assert outcome.subject == (
        "Record feedback from the requesting State on offer canada-mex-2006"
    )


@pytest.mark.parametrize(
    ("existing_ids", "expected"),
    [
        (set(), "canada-mex-2006"),
        ({"canada-mex-2006"}, "canada-mex-2006-2"),
        ({"canada-mex-2006", "canada-mex-2006-2"}, "canada-mex-2006-3"),
        ({"canada-mex-2006-2"}, "canada-mex-2006"),
    ],
)
def test_new_offer_id(existing_ids: set[str], expected: str) -> None:
    assert offer_workflow.new_offer_id("mex-2006", "canada", existing_ids) == expected


def test_new_offer_values_shape() -> None:
    values = offer_workflow.new_offer_values(
        "mex-2006", "canada", "CTCBP", [1, 2], "Courses", "2026-03", CONTEXT
    )

    assert values == {
        "request": "mex-2006",
        "items": [1, 2],
        "provider": "canada",
        "programme": "CTCBP",
        "received": "2026-03",
        "summary": "Courses",
        "status": "received",
        "history": [
            {
                "date": "2026-03-02",
                "action": "record",
                "actor": "Expert One",
                "reference": "S/AC.44/1",
            }
        ],
    }
    assert Offer.model_validate(values).items == [1, 2]


REQUEST_VALUES: dict[str, Any] = {
    "state": "Mexico",
    "iso3": "MEX",
    "received": "2006",
    "status": "distributed",
    "items": [{"summary": "Customs training."}, {"summary": "Detection equipment."}],
}
PROVIDER_VALUES: dict[str, Any] = {
    "name": "Canada",
    "kind": "state",
    "iso3": "CAN",
    "programmes": [{"name": "CTCBP", "summary": "Training."}],
}


@pytest.mark.parametrize(
    ("status", "programme", "items", "message"),
    [
        (
            "closed",
            None,
            [],
            "request mex-2006 is 'closed', so it takes no offer; record the offer "
            "against an open request ('assist1540 list' shows them)",
        ),
        (
            "informal",
            None,
            [],
            "request mex-2006 is 'informal', so it takes no offer until the State "
            "formalises it; record that with 'assist1540 formalise mex-2006' first",
        ),
        (
            "distributed",
            None,
            [3],
            "invalid --item 3: request mex-2006 has items 1 to 2; 'assist1540 status "
            "mex-2006' lists them",
        ),
        (
            "distributed",
            None,
            [0],
            "invalid --item 0: request mex-2006 has items 1 to 2; 'assist1540 status "
            "mex-2006' lists them",
        ),
        (
            "distributed",
            None,
            [1, 1],
            "--item lists the same item twice; give each item once",
        ),
        (
            "distributed",
            "Other",
            [1],
            "provider 'canada' has no programme named 'Other'; its programmes: "
            "'CTCBP'. Give one of them, or leave --programme out",
        ),
    ],
)
def test_check_new_offer_rejects(
    status: str, programme: str | None, items: list[int], message: str
) -> None:
    catalog = make_catalog(
        requests={"mex-2006": {**REQUEST_VALUES, "status": status}},
        providers={"canada": PROVIDER_VALUES},
    )

    with pytest.raises(UsageError, match=f"^{re.escape(message)}$"):
        offer_workflow.check_new_offer(
            catalog, catalog.requests["mex-2006"], "canada", programme, items
        )


def test_check_new_offer_accepts() -> None:
    catalog = make_catalog(
        requests={"mex-2006": REQUEST_VALUES}, providers={"canada": PROVIDER_VALUES}
    )

    offer_workflow.check_new_offer(
        catalog, catalog.requests["mex-2006"], "canada", "CTCBP", [1, 2]
    )


@pytest.mark.parametrize(
    "status",
    ["received", "authenticated", "acknowledged", "matched", "closed"],
)
def test_match_request_only_when_distributed(status: str) -> None:
    request = Request.model_validate({**REQUEST_VALUES, "status": status})

    assert offer_workflow.match_request("mex-2006", request, OFFER_ID, CONTEXT) is None


def test_match_request_moves_to_matched() -> None:
    request = Request.model_validate(REQUEST_VALUES)

    outcome = offer_workflow.match_request("mex-2006", request, OFFER_ID, CONTEXT)

    assert outcome is not None
    assert outcome.changes == (Change(("status",), "matched"),)
    assert outcome.history == {
        "date": "2026-03-02",
        "action": "match",
        "actor": "Expert One",
        "reference": "S/AC.44/1",
        "note": "offer canada-mex-2006",
    }
    assert outcome.notes == ("request mex-2006 is now matched",)
