"""The procedure as pure functions: allowed steps, changes, timers."""

from __future__ import annotations

from datetime import date

import pytest

from assist1540 import workflow
from assist1540.config import Timers
from assist1540.errors import WorkflowError
from assist1540.models import Request
from assist1540.workflow import Change, StepContext

CONTEXT = StepContext(date(2026, 3, 2), actor="Expert One", reference="NV/1")


def make_request(status: str = "received", **fields: object) -> Request:
    values: dict[str, object] = {
        "state": "Mexico",
        "iso3": "MEX",
        "received": "2026-03-01",
        "status": status,
        "items": [{"summary": "Customs training."}],
    }
    values.update(fields)
    return Request.model_validate(values)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("informal", "formalise, consent, close"),
        ("received", "authenticate, consent, close"),
        ("acknowledged", "distribute, consent, close"),
        ("distributed", "consent, close"),
        ("closed", "nothing, the request is closed"),
    ],
)
def test_acknowledge_out_of_turn(status: str, allowed: str) -> None:
    request = make_request(status)

    with pytest.raises(WorkflowError, match=f"allowed now: {allowed}$"):
        workflow.acknowledge("mex-2026-03-01", request, CONTEXT)


def test_authenticate_sets_status_and_record() -> None:
    outcome = workflow.authenticate(
        "mex-2026-03-01", make_request(), CONTEXT, method="with the Mission"
    )

    assert Change(("status",), "authenticated") in outcome.changes
    assert (
        Change(
            ("authentication",),
            {"date": "2026-03-02", "method": "with the Mission", "reference": "NV/1"},
        )
        in outcome.changes
    )
    assert outcome.history == {
        "date": "2026-03-02",
        "action": "authenticate",
        "actor": "Expert One",
        "reference": "NV/1",
    }
    assert outcome.subject == "Authenticate request mex-2026-03-01"


def test_authenticate_before_receipt_rejected() -> None:
    context = StepContext(date(2026, 2, 1))

    with pytest.raises(WorkflowError, match="before it was received"):
        workflow.authenticate("mex-2026-03-01", make_request(), context)


def test_acknowledge_names_its_letter() -> None:
    outcome = workflow.acknowledge("x", make_request("authenticated"), CONTEXT)

    assert outcome.letter == "acknowledgement"
    assert outcome.changes == (Change(("status",), "acknowledged"),)


@pytest.mark.parametrize(
    ("acknowledged", "on", "allowed"),
    [
        # Acknowledged on a Monday: five working days end the next Monday.
        (date(2026, 3, 2), date(2026, 3, 6), False),
        (date(2026, 3, 2), date(2026, 3, 9), True),
        # Acknowledged on a Friday: the period skips the weekend.
        (date(2026, 3, 6), date(2026, 3, 12), False),
        (date(2026, 3, 6), date(2026, 3, 13), True),
    ],
)
def test_distribute_waits_for_objection_period(
    acknowledged: date, on: date, allowed: bool
) -> None:
    request = make_request(
        "acknowledged",
        history=[{"date": acknowledged.isoformat(), "action": "acknowledge"}],
    )
    context = StepContext(on)

    if allowed:
        outcome = workflow.distribute("x", request, context, Timers(), ["iaea"])
        assert Change(("status",), "distributed") in outcome.changes
    else:
        with pytest.raises(WorkflowError, match="the State may object until"):
            workflow.distribute("x", request, context, Timers(), ["iaea"])


def test_distribute_early_skips_period() -> None:
    request = make_request(
        "acknowledged", history=[{"date": "2026-03-02", "action": "acknowledge"}]
    )

    outcome = workflow.distribute(
        "x", request, StepContext(date(2026, 3, 3)), Timers(), [], early=True
    )

    assert Change(("status",), "distributed") in outcome.changes


@pytest.mark.parametrize(
    ("consent", "publish", "posted"),
    [
        ("granted", True, True),
        ("granted", False, False),
        ("unknown", True, False),
        ("refused", True, False),
        ("not-asked", True, False),
    ],
)
def test_distribute_posts_only_with_consent(
    consent: str, publish: bool, posted: bool
) -> None:
    request = make_request("acknowledged", consent={"status": consent})

    outcome = workflow.distribute(
        "x", request, CONTEXT, Timers(), [], publish=publish, early=True
    )

    assert (Change(("published",), True) in outcome.changes) is posted


def test_distribute_lists_providers_in_note() -> None:
    request = make_request("acknowledged")

    outcome = workflow.distribute(
        "x", request, CONTEXT, Timers(), ["iaea", "opcw"], early=True
    )

    assert outcome.history["note"] == "distributed to iaea, opcw"


@pytest.mark.parametrize("status", ["refused", "withdrawn", "not-asked", "unknown"])
def test_consent_loss_unpublishes(status: str) -> None:
    request = make_request("distributed", consent={"status": "granted"}, published=True)

    outcome = workflow.record_consent("x", request, CONTEXT, status, "NV 9")  # type: ignore[arg-type]

    assert Change(("published",), False) in outcome.changes


def test_consent_granted_after_distribution_publishes() -> None:
    request = make_request("distributed")

    outcome = workflow.record_consent("x", request, CONTEXT, "granted", None)

    assert Change(("published",), True) in outcome.changes
    assert (
        Change(("consent",), {"status": "granted", "date": "2026-03-02"})
        in outcome.changes
    )


def test_consent_granted_before_distribution_waits() -> None:
    outcome = workflow.record_consent("x", make_request(), CONTEXT, "granted", None)

    assert all(change.path != ("published",) for change in outcome.changes)


@pytest.mark.parametrize("reason", ["met", "withdrawn", "lapsed"])
def test_close_records_reason(reason: str) -> None:
    outcome = workflow.close("x", make_request("matched"), CONTEXT, reason)  # type: ignore[arg-type]

    assert outcome.changes == (Change(("status",), "closed"),)
    assert outcome.history["note"] == f"closed: {reason}"
    assert outcome.subject == f"Close request x as {reason}"


def test_formalise_informal_request() -> None:
    outcome = workflow.formalise("x", make_request("informal", formal=False), CONTEXT)

    assert Change(("status",), "received") in outcome.changes
    assert Change(("formal",), True) in outcome.changes


def test_informal_request_cannot_authenticate() -> None:
    with pytest.raises(WorkflowError, match="allowed now: formalise, consent, close"):
        workflow.authenticate("x", make_request("informal", formal=False), CONTEXT)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 3, 2), 5, date(2026, 3, 9)),
        (date(2026, 3, 6), 1, date(2026, 3, 9)),
        (date(2026, 3, 7), 1, date(2026, 3, 9)),
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
    ],
)
def test_add_working_days(start: date, days: int, expected: date) -> None:
    assert workflow.add_working_days(start, days) == expected
