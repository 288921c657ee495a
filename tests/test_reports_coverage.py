"""Coverage report: figures checked against a small repository counted by hand.

The repository has five requests. Four are open, with six items:

- mex-2006 (Central America, 2006): item 1 op3c/nuclear/training, which the
  WCG customs programme fits; item 2 op2/chemical/legal-drafting, which
  Canada's programme fits.
- per-2017-03-07 (South America, 2017): item 1 has no tag and no taxonomy
  keyword, so only words can score (at most 5): a gap. Item 2 op3c/chemical/
  training: WCG.
- bfa-2013-11-12 (Western Africa, 2013): one untagged French item: a gap.
- per-2019 (South America, 2019): op3d/biological, which no programme is
  tagged with; Canada's provider-level tags share only biological: a gap.

mex-2011 is closed and shares op3c with mex-2006: a repeated request.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assist1540.catalog import load_catalog
from assist1540.config import Timers
from assist1540.reports.coverage import (
    DEFAULT_THRESHOLD,
    NO_AREA,
    NO_WEAPON,
    CoverageReport,
    RepeatedRequest,
    StaleProvider,
    Tally,
    UntakenOffer,
    build_coverage,
)
from assist1540.repository import DataRepository
from conftest import PROVIDER, commit_all, make_repo, run_cli

ON = date(2026, 1, 1)

WCG = """\
name: World Customs Group
short_name: WCG
kind: international-organization
areas: [op3c-border-law-enforcement]
weapons: [nuclear, chemical]
types: [training]
last_confirmed: 2025-06-01
programmes:
  - name: Customs border control training
    summary: Training for customs officers on border control of nuclear materials.
    areas: [op3c-border-law-enforcement]
    weapons: [nuclear, chemical]
    types: [training]
    last_confirmed: 2024-01-15
"""

FILES = {
    "data/providers/canada.yaml": PROVIDER,
    "data/providers/customs-org.yaml": WCG,
    "data/requests/mex-2006.yaml": """\
        state: Mexico
        iso3: MEX
        received: "2006"
        items:
          - summary: Train customs officers in border control of nuclear materials.
            areas: [op3c-border-law-enforcement]
            weapons: [nuclear]
            types: [training]
          - summary: Draft a penal code on chemical weapons.
            areas: [op2-legislation]
            weapons: [chemical]
            types: [legal-drafting]
        """,
    "data/requests/mex-2011.yaml": """\
        state: Mexico
        iso3: MEX
        received: "2011"
        status: closed
        items:
          - summary: Train customs officers again.
            areas: [op3c-border-law-enforcement]
        history:
          - {date: 2012-05-01, action: close, note: "closed: met"}
        """,
    "data/requests/per-2017-03-07.yaml": """\
        state: Peru
        iso3: PER
        received: 2017-03-07
        status: distributed
        items:
          - summary: Strengthen the institutions that implement the resolution.
          - summary: Train border officials on customs procedures for chemical goods.
            areas: [op3c-border-law-enforcement]
            weapons: [chemical]
            types: [training]
        """,
    "data/requests/per-2019.yaml": """\
        state: Peru
        iso3: PER
        received: "2019"
        items:
          - summary: Rules on biological agents.
            areas: [op3d-export-control]
            weapons: [biological]
        """,
    "data/requests/bfa-2013-11-12.yaml": """\
        state: Burkina Faso
        iso3: BFA
        received: 2013-11-12
        language: fr
        status: acknowledged
        items:
          - summary: Fourniture de matériel pour les services.
        """,
    "data/offers/customs-org-mex-2006.yaml": """\
        request: mex-2006
        items: [1]
        provider: customs-org
        received: 2024-03-01
        summary: A course for customs officers.
        status: informed
        history:
          - {date: 2024-03-10, action: circulate}
          - {date: 2024-04-01, action: inform}
        """,
    "data/offers/canada-bfa-2013-11-12.yaml": """\
        request: bfa-2013-11-12
        provider: canada
        received: 2014-01-10
        summary: Equipment for the services.
        status: declined
        """,
    "data/offers/customs-org-per-2017-03-07.yaml": """\
        request: per-2017-03-07
        items: [2]
        provider: customs-org
        received: 2025-10-01
        summary: A course in Lima.
        """,
}


@pytest.fixture
def coverage_repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path, FILES)
    commit_all(root)
    return root


def _report(root: Path, **options: object) -> CoverageReport:
    catalog = load_catalog(DataRepository.open(root, "test"))
    assert catalog.problems == []
    return build_coverage(catalog, Timers(), ON, **options)  # type: ignore[arg-type]


def _gaps(report: CoverageReport) -> list[tuple[str, int]]:
    return [(item.request, item.item) for item in report.gaps]


def test_coverage_counts_open_items_and_gaps(coverage_repo: Path) -> None:
    report = _report(coverage_repo)

    assert report.open_requests == 4
    assert len(report.items) == 6
    assert _gaps(report) == [
        ("bfa-2013-11-12", 1),
        ("per-2017-03-07", 1),
        ("per-2019", 1),
    ]


def test_coverage_best_candidates(coverage_repo: Path) -> None:
    report = _report(coverage_repo)
    best = {(i.request, i.item): i.best.provider for i in report.items if i.best}

    assert best[("mex-2006", 1)] == "customs-org"
    assert best[("mex-2006", 2)] == "canada"
    assert best[("per-2017-03-07", 2)] == "customs-org"
    assert best[("per-2019", 1)] == "canada"


def test_coverage_by_area(coverage_repo: Path) -> None:
    report = _report(coverage_repo)
    rows = {
        g.key: (g.items, g.gaps, g.providers, g.first, g.programmes)
        for g in report.areas
    }

    assert list(rows) == [
        "op2-legislation",
        "op3c-border-law-enforcement",
        "op3d-export-control",
        NO_AREA,
    ]
    assert rows["op2-legislation"] == (1, 0, 1, (("Canada", 1),), 1)
    assert rows["op3c-border-law-enforcement"] == (2, 0, 1, (("WCG", 2),), 1)
    assert rows["op3d-export-control"] == (1, 1, 0, (), 0)
    assert rows[NO_AREA] == (2, 2, 0, (), None)


def test_coverage_by_weapon_category(coverage_repo: Path) -> None:
    report = _report(coverage_repo)
    rows = {
        g.key: (g.items, g.gaps, g.providers, g.first, g.programmes)
        for g in report.weapons
    }

    # Canada's programme has no weapon categories and takes Canada's three.
    assert rows["nuclear"] == (1, 0, 1, (("WCG", 1),), 2)
    assert rows["chemical"] == (2, 0, 2, (("Canada", 1), ("WCG", 1)), 2)
    assert rows["biological"] == (1, 1, 0, (), 1)
    assert rows[NO_WEAPON] == (2, 2, 0, (), None)


def test_coverage_cells(coverage_repo: Path) -> None:
    report = _report(coverage_repo)
    cells = {(c.area, c.weapon): (c.items, c.gaps, c.programmes) for c in report.cells}

    assert len(cells) == 9
    assert cells[("op2-legislation", "chemical")] == (1, 0, 1)
    assert cells[("op2-legislation", "nuclear")] == (0, 0, 1)
    assert cells[("op3c-border-law-enforcement", "nuclear")] == (1, 0, 1)
    assert cells[("op3c-border-law-enforcement", "chemical")] == (1, 0, 1)
    assert cells[("op3c-border-law-enforcement", "biological")] == (0, 0, 0)
    assert cells[("op3d-export-control", "biological")] == (1, 1, 0)


def test_coverage_by_region_and_year(coverage_repo: Path) -> None:
    report = _report(coverage_repo)

    assert report.by_region == (
        Tally("Central America", 2, 0),
        Tally("South America", 3, 2),
        Tally("Western Africa", 1, 1),
    )
    assert report.by_year == (
        Tally("2006", 2, 0),
        Tally("2013", 1, 1),
        Tally("2017", 2, 1),
        Tally("2019", 1, 1),
    )


def test_coverage_repeated_requests(coverage_repo: Path) -> None:
    report = _report(coverage_repo)

    assert report.repeated == (
        RepeatedRequest(
            "MEX", "Mexico", "mex-2006", "mex-2011", ("op3c-border-law-enforcement",)
        ),
    )


def test_coverage_offers_never_taken_up(coverage_repo: Path) -> None:
    report = _report(coverage_repo)

    # The Lima offer is only 92 days old; the default period is 365 days.
    assert report.untaken_offers == (
        UntakenOffer(
            "canada-bfa-2013-11-12",
            "bfa-2013-11-12",
            "Burkina Faso",
            "canada",
            "declined",
            "2014-01-10",
            4374,
        ),
        UntakenOffer(
            "customs-org-mex-2006",
            "mex-2006",
            "Mexico",
            "customs-org",
            "informed",
            "2024-03-01",
            671,
        ),
    )


def test_coverage_offer_age_option(coverage_repo: Path) -> None:
    report = _report(coverage_repo, offer_age_days=90)

    assert [offer.offer for offer in report.untaken_offers] == [
        "canada-bfa-2013-11-12",
        "customs-org-mex-2006",
        "customs-org-per-2017-03-07",
    ]


def test_coverage_stale_providers(coverage_repo: Path) -> None:
    report = _report(coverage_repo)

    # WCG confirmed itself on 2025-06-01, but its programme on 2024-01-15:
    # due 2025-01-14, 352 days before 2026-01-01.
    assert report.stale_providers == (
        StaleProvider("canada", "Canada", None, None, None),
        StaleProvider(
            "customs-org", "WCG", "Customs border control training", "2024-01-15", 352
        ),
    )


def test_coverage_threshold_moves_gaps(coverage_repo: Path) -> None:
    assert len(_report(coverage_repo, threshold=0.0).gaps) == 0
    assert len(_report(coverage_repo, threshold=1000.0).gaps) == 6


def test_default_threshold_is_six() -> None:
    assert DEFAULT_THRESHOLD == 6.0


def test_coverage_cli_json(coverage_repo: Path) -> None:
    result = run_cli(
        ["report", "coverage", "--json", "--on", "2026-01-01"], coverage_repo
    )

    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["open_items"] == 6
    assert report["gaps"] == 3
    assert report["threshold"] == 6.0
    assert report["by_region"] == [
        {"label": "Central America", "items": 2, "gaps": 0},
        {"label": "South America", "items": 3, "gaps": 2},
        {"label": "Western Africa", "items": 1, "gaps": 1},
    ]
    assert [o["offer"] for o in report["offers_not_taken_up"]] == [
        "canada-bfa-2013-11-12",
        "customs-org-mex-2006",
    ]


def test_coverage_cli_tables(coverage_repo: Path) -> None:
    result = run_cli(["report", "coverage", "--on", "2026-01-01"], coverage_repo)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "On 2026-01-01, 6 open items in 4 open requests; 3 items without a "
        "candidate scoring 6 or more (gaps)."
    )
    for title in ("By area", "Gaps by region", "Repeated requests"):
        assert f"\n{title}\n" in result.stdout
    assert result.stderr == ""


def test_coverage_cli_markdown_rows(coverage_repo: Path) -> None:
    result = run_cli(
        ["report", "coverage", "--on", "2026-01-01", "--format", "md"], coverage_repo
    )

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# Coverage of open requests for assistance"
    assert "| op3d-export-control (OP3(d)) | 1 | 1 | 0 |  | 0 |" in lines
    assert "| (no area) | 2 | 2 | 0 |  |  |" in lines
    assert "| South America | 3 | 2 |" in lines
    assert "| Mexico | mex-2006 | mex-2011 | op3c-border-law-enforcement |" in lines


def test_coverage_cli_html_file(coverage_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "coverage.html"

    result = run_cli(
        ["report", "coverage", "--on", "2026-01-01", "--out", str(out)], coverage_repo
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == f"Wrote {out}"
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg ") == 4
    assert "<h2>Gaps</h2>" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--json", "--format", "md"],
            "error: --json and --format cannot be combined; choose one",
        ),
        (["--format", "pdf"], "error: invalid --format 'pdf'; use md, html or json"),
        (
            ["--out", "coverage.txt"],
            "error: cannot tell the format of --out coverage.txt; give --format md "
            "or html, or --json, or a file ending in .md, .html or .json",
        ),
        (
            ["--on", "1 May"],
            "error: invalid --on '1 May'; write the day as YYYY-MM-DD, e.g. 2026-03-02",
        ),
    ],
)
def test_coverage_cli_usage_errors(
    coverage_repo: Path, args: list[str], message: str
) -> None:
    result = run_cli(["report", "coverage", *args], coverage_repo)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == message


def test_coverage_help_names_default_threshold() -> None:
    result = run_cli(["report", "coverage", "--help"])

    assert f"default: {DEFAULT_THRESHOLD:g}," in result.stdout
