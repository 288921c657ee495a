"""Briefing report: events of a period counted by hand, order, formats and DOCX.

The period is 2026-01-01 to 2026-02-28, the day after the briefing recorded
on 2025-12-31 to the end of February. ecu-2026 was distributed on 2026-03-02,
after the period, so on 2026-02-28 it was still acknowledged and its
distribution, due 2026-02-09, was 19 days overdue.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from assist1540.catalog import load_catalog
from assist1540.config import Timers
from assist1540.errors import UsageError
from assist1540.reports.briefing import (
    Briefing,
    BriefingEvent,
    NewRequest,
    briefing_period,
    build_briefing,
)
from assist1540.repository import DataRepository
from conftest import PROVIDER, commit_all, make_repo, run_cli

SINCE = date(2026, 1, 1)
UNTIL = date(2026, 2, 28)

WCG = """\
name: World Customs Group
short_name: WCG
kind: international-organization
last_confirmed: 2025-06-01
programmes:
  - name: Customs border control training
    summary: Training for customs officers.
    areas: [op3c-border-law-enforcement]
"""

BRIEFING_FILES = {
    "data/briefings.yaml": "briefings: [2025-12-31]\n",
    "data/providers/canada.yaml": PROVIDER,
    "data/providers/customs-org.yaml": WCG,
    "data/requests/mex-2026.yaml": """\
        state: Mexico
        iso3: MEX
        received: 2026-01-05
        status: matched
        consent: {status: granted, date: 2026-01-21}
        items:
          - summary: Train customs officers.
            areas: [op3c-border-law-enforcement]
        history:
          - {date: 2026-01-06, action: authenticate}
          - {date: 2026-01-07, action: acknowledge, reference: S/AC.44/2026/001}
          - {date: 2026-01-20, action: distribute}
          - {date: 2026-01-21, action: consent}
          - {date: 2026-01-25, action: match, note: offer canada-mex-2026}
        """,
    "data/requests/per-2025.yaml": """\
        state: Peru
        iso3: PER
        received: 2025-11-03
        status: closed
        items:
          - summary: Draft a penal code.
            areas: [op2-legislation]
        history:
          - {date: 2025-11-04, action: authenticate}
          - {date: 2025-11-10, action: acknowledge}
          - {date: 2025-12-01, action: distribute}
          - {date: 2026-02-10, action: close, note: "closed: met"}
        """,
    "data/requests/bfa-2025-12.yaml": """\
        state: Burkina Faso
        iso3: BFA
        received: 2025-12-15
        language: fr
        items:
          - summary: Fourniture de matériel.
        """,
    "data/requests/ecu-2026.yaml": """\
        state: Ecuador
        iso3: ECU
        received: 2026-02-02
        language: es
        status: distributed
        items:
          - summary: Formación del personal.
            areas: [op3c-border-law-enforcement]
        history:
          - {date: 2026-02-03, action: authenticate}
          - {date: 2026-02-04, action: acknowledge}
          - {date: 2026-03-02, action: distribute}
        """,
    "data/requests/arm-2026-03.yaml": """\
        state: Armenia
        iso3: ARM
        received: 2026-03
        items:
          - summary: Export control training.
        """,
    "data/offers/canada-mex-2026.yaml": """\
        request: mex-2026
        items: [1]
        provider: canada
        received: 2026-01-25
        summary: A customs course in Ottawa.
        status: in-progress
        history:
          - {date: 2026-01-26, action: circulate}
          - {date: 2026-01-28, action: inform}
          - {date: 2026-02-05, action: take-up}
          - {date: 2026-02-20, action: report}
        reports:
          - date: 2026-02-20
            kind: progress
            by: provider
            summary: First course held.
        """,
    "data/offers/canada-per-2025.yaml": """\
        request: per-2025
        provider: canada
        received: 2025-12-10
        summary: Legal drafting help.
        status: feedback-received
        history:
          - {date: 2025-12-11, action: circulate}
          - {date: 2025-12-12, action: inform}
          - {date: 2025-12-20, action: take-up}
        reports:
          - {date: 2026-01-30, kind: completion, by: state}
        feedback:
          - date: 2026-02-15
            by: state
            activities: Two drafting workshops.
            achievements: A draft penal code.
            opportunities: Training for prosecutors.
        """,
    "data/offers/customs-org-bfa-2025-12.yaml": """\
        request: bfa-2025-12
        provider: customs-org
        received: 2026-02-01
        summary: Equipment.
        status: declined
        history:
          - {date: 2026-02-02, action: circulate}
          - {date: 2026-02-25, action: decline, note: the State has other plans}
        """,
    "data/offers/canada-bfa-2025-12.yaml": """\
        request: bfa-2025-12
        provider: canada
        received: 2025-12-20
        summary: Training.
        status: informed
        history:
          - {date: 2025-12-21, action: circulate}
          - {date: 2026-01-05, action: inform}
        """,
}


@pytest.fixture
def briefing_repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path, BRIEFING_FILES)
    commit_all(root)
    return root


def _briefing(root: Path) -> Briefing:
    catalog = load_catalog(DataRepository.open(root, "test"))
    assert catalog.problems == []
    return build_briefing(catalog, Timers(), SINCE, UNTIL, [date(2025, 12, 31)])


def _counts(briefing: Briefing) -> dict[str, int]:
    return {title: count for title, count in briefing.counts()}


def test_briefing_new_requests(briefing_repo: Path) -> None:
    briefing = _briefing(briefing_repo)

    assert briefing.new_requests == (
        NewRequest(
            "mex-2026",
            "Mexico",
            "2026-01-05",
            "not-stated",
            1,
            ("op3c-border-law-enforcement",),
        ),
        NewRequest(
            "ecu-2026",
            "Ecuador",
            "2026-02-02",
            "not-stated",
            1,
            ("op3c-border-law-enforcement",),
        ),
    )


def test_briefing_counts(briefing_repo: Path) -> None:
    assert _counts(_briefing(briefing_repo)) == {
        "New requests": 2,
        "Formalised": 0,
        "Authenticated": 2,
        "Acknowledged": 2,
        "Distributed to potential providers": 1,
        "Consent recorded": 1,
        "Matched with an offer": 1,
        "Followed up": 0,
        "Closed": 1,
        "Offers added": 2,
        "Circulated to the Committee": 2,
        "Requesting State informed": 2,
        "Taken up": 1,
        "Declined": 1,
        "No answer from the requesting State": 0,
        "Progress reports": 1,
        "Completion reports": 1,
        "Feedback": 1,
        "Steps overdue": 3,
    }


def test_briefing_request_steps(briefing_repo: Path) -> None:
    steps = {g.key: g.events for g in _briefing(briefing_repo).request_steps}

    assert steps["authenticate"] == (
        BriefingEvent(date(2026, 1, 6), "mex-2026", "Mexico", ""),
        BriefingEvent(date(2026, 2, 3), "ecu-2026", "Ecuador", ""),
    )
    assert steps["acknowledge"][0].detail == "S/AC.44/2026/001"
    assert steps["close"] == (
        BriefingEvent(date(2026, 2, 10), "per-2025", "Peru", "closed: met"),
    )


def test_briefing_offer_events(briefing_repo: Path) -> None:
    events = {g.key: g.events for g in _briefing(briefing_repo).offer_events}

    assert [e.record for e in events["added"]] == [
        "canada-mex-2026",
        "customs-org-bfa-2025-12",
    ]
    assert [e.record for e in events["inform"]] == [
        "canada-bfa-2025-12",
        "canada-mex-2026",
    ]
    assert events["decline"] == (
        BriefingEvent(
            date(2026, 2, 25),
            "customs-org-bfa-2025-12",
            "Burkina Faso",
            "WCG on request bfa-2025-12; the State has other plans",
        ),
    )
    assert events["progress"][0].detail == (
        "Canada on request mex-2026, by the provider; First course held."
    )
    assert events["completion"][0].record == "canada-per-2025"
    assert events["feedback"][0].detail == (
        "Canada on request per-2025, from the requesting State: A draft penal code."
    )


def test_briefing_overdue_at_end_of_period(briefing_repo: Path) -> None:
    briefing = _briefing(briefing_repo)
    overdue = [(s.record, s.step, s.days_overdue) for s in briefing.overdue]

    assert overdue == [
        ("bfa-2025-12", "distribute", 68),
        ("canada-bfa-2025-12", "answer-reminder", 24),
        ("ecu-2026", "distribute", 19),
    ]
    # Canada never confirmed its information.
    assert briefing.unconfirmed == 1


@pytest.mark.parametrize(
    ("since", "briefings", "expected"),
    [
        (None, [date(2025, 12, 31)], date(2026, 1, 1)),
        (None, [date(2025, 10, 1), date(2025, 12, 31)], date(2026, 1, 1)),
        # A briefing on the last day itself starts no period.
        (None, [date(2025, 12, 31), date(2026, 2, 28)], date(2026, 1, 1)),
        (None, [], date(2025, 12, 30)),
        (date(2026, 2, 1), [date(2025, 12, 31)], date(2026, 2, 1)),
    ],
)
def test_briefing_period(
    since: date | None, briefings: list[date], expected: date
) -> None:
    assert briefing_period(since, UNTIL, briefings, Timers()) == (expected, UNTIL)


def test_briefing_period_start_after_end() -> None:
    with pytest.raises(UsageError, match="^invalid period: --since 2026-03-01 is"):
        briefing_period(date(2026, 3, 1), UNTIL, [], Timers())


def test_briefing_cli_markdown_order(briefing_repo: Path) -> None:
    result = run_cli(["report", "briefing", "--until", "2026-02-28"], briefing_repo)

    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Briefing of the Committee, 2026-01-01 to 2026-02-28\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## New requests",
        "## Progress on requests",
        "## Offers",
        "## Overdue",
    ]
    assert "| 2026-02-10 | per-2025 | Peru | closed: met |" in text
    assert "| 2025-12-22 | 68 | request bfa-2025-12 | distribute" in text


def test_briefing_cli_html(briefing_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefing.html"

    result = run_cli(
        ["report", "briefing", "--until", "2026-02-28", "--out", str(out)],
        briefing_repo,
    )

    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<h3>Taken up (1)</h3>" in html
    assert html.count("<svg ") == 2


def test_briefing_docx_sections(briefing_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefing.docx"

    result = run_cli(
        [
            "report",
            "briefing",
            "--since",
            "2026-01-01",
            "--until",
            "2026-02-28",
            "--out",
            str(out),
        ],
        briefing_repo,
    )

    assert result.exit_code == 0, result.stderr
    document = Document(io.BytesIO(out.read_bytes()))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[0] == "Briefing of the Committee, 2026-01-01 to 2026-02-28"
    for section in ("New requests", "Progress on requests", "Offers", "Overdue"):
        assert section in headings
    assert "Feedback (1)" in headings
    new_requests = document.tables[0]
    assert [cell.text for cell in new_requests.rows[1].cells] == [
        "mex-2026",
        "Mexico",
        "2026-01-05",
        "not-stated",
        "1",
        "op3c-border-law-enforcement",
    ]
    assert document.core_properties.created.date() == UNTIL


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "docx"],
            "error: a docx briefing is binary and cannot go to stdout; write it "
            "with --out FILE.docx",
        ),
        (
            ["--since", "2026-03-01", "--until", "2026-02-28"],
            "error: invalid period: --since 2026-03-01 is after --until 2026-02-28; "
            "give a start on or before the end",
        ),
        (
            ["--until", "28/02/2026"],
            "error: invalid --until '28/02/2026'; write the day as YYYY-MM-DD, e.g. "
            "2026-03-02",
        ),
    ],
)
def test_briefing_cli_usage_errors(
    briefing_repo: Path, args: list[str], message: str
) -> None:
    result = run_cli(["report", "briefing", *args], briefing_repo)

    assert result.exit_code == 2
    assert result.stderr.strip() == message
