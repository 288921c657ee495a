"""Charts: the figures behind each, valid SVG, the same bytes on every render.

The figures use the briefing tests' repository. Requests received on a known
day, with their days from receipt to each step:

- mex-2026 (2026-01-05): authenticated 1, acknowledged 2, distributed 15,
  first offer 20 (2026-01-25), taken up 31 (2026-02-05);
- per-2025 (2025-11-03): 1, 7, 28, first offer 37, taken up 47, closed 99;
- ecu-2026 (2026-02-02): 1, 2, 28;
- bfa-2025-12 (2025-12-15): first offer 5 (2025-12-20).

arm-2026-03 is known to the month only and does not count.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from assist1540.catalog import Catalog, load_catalog
from assist1540.config import Timers
from assist1540.reports.charts import (
    CHART_TITLES,
    StepTime,
    count_requests_by_year_area,
    median_step_days,
    render_charts,
)
from assist1540.reports.coverage import NO_AREA, build_coverage
from assist1540.reports.svg import Series, bar_chart, heat_map
from assist1540.repository import DataRepository
from conftest import commit_all, make_repo, run_cli
from test_reports_briefing import BRIEFING_FILES

SVG = "{http://www.w3.org/2000/svg}"
ON = date(2026, 2, 28)


@pytest.fixture
def charts_repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path, BRIEFING_FILES)
    commit_all(root)
    return root


@pytest.fixture
def catalog(charts_repo: Path) -> Catalog:
    loaded = load_catalog(DataRepository.open(charts_repo, "test"))
    assert loaded.problems == []
    return loaded


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_median_step_days(catalog: Catalog) -> None:
    assert median_step_days(catalog) == [
        StepTime("authenticate", "authenticated", 1.0, 3),
        StepTime("acknowledge", "acknowledged", 2.0, 3),
        StepTime("distribute", "distributed", 28.0, 3),
        StepTime("offer", "first offer received", 20.0, 3),
        StepTime("take-up", "first offer taken up", 39.0, 2),
        StepTime("close", "closed", 99.0, 1),
    ]


def test_requests_by_year_area(catalog: Catalog) -> None:
    coverage = build_coverage(catalog, Timers(), ON)

    # The French item of bfa-2025-12 has no tag and no keyword. The test
    # taxonomy gives op3d no keywords, so arm-2026-03 has no area either.
    assert count_requests_by_year_area(coverage) == {
        2025: Counter({"op2-legislation": 1, NO_AREA: 1}),
        2026: Counter({"op3c-border-law-enforcement": 2, NO_AREA: 1}),
    }


def test_every_chart_is_valid_svg(catalog: Catalog) -> None:
    charts = render_charts(catalog, on=ON)

    assert list(charts) == list(CHART_TITLES)
    for name, svg in charts.items():
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg", name
        assert root.find(f"{SVG}title").text == CHART_TITLES[name]  # type: ignore[union-attr]
        assert root.get("role") == "img"
        assert float(root.get("width", "0")) > 0
        assert float(root.get("height", "0")) > 0


def test_charts_same_bytes_twice(catalog: Catalog) -> None:
    assert render_charts(catalog, on=ON) == render_charts(catalog, on=date(2030, 1, 1))


def test_step_times_chart_labels(catalog: Catalog) -> None:
    texts = _texts(render_charts(catalog, on=ON)["step-times"])

    assert "first offer taken up" in texts
    assert "39 days (2 requests)" in texts
    assert "99 days (1 request)" in texts


def test_open_items_chart_labels(catalog: Catalog) -> None:
    texts = _texts(render_charts(catalog, on=ON)["open-items-by-region"])

    # Open: mex-2026, ecu-2026, bfa-2025-12 and arm-2026-03; per-2025 is
    # closed. bfa-2025-12 has no tag, but Canada's offer on file, which adds
    # 10 to Canada's score; arm-2026-03 has neither: a gap.
    assert texts[1:] == [
        "Central America",
        "1 (0 below threshold)",
        "South America",
        "1 (0 below threshold)",
        "Western Africa",
        "1 (0 below threshold)",
        "Western Asia",
        "1 (1 below threshold)",
        "covered",
        "best score below 6",
        "Regions are UN M49 groups of the requesting State.",
    ]


def test_heat_map_cells(catalog: Catalog) -> None:
    texts = _texts(render_charts(catalog, on=ON)["coverage-heat-map"])

    # WCG's programme is op3c without weapon categories, on it or on WCG, so it
    # counts for all three; Canada's programme is op2 and takes Canada's
    # three. The open items name no weapon category, so no cell has one.
    assert texts[:17] == [
        CHART_TITLES["coverage-heat-map"],
        "nuclear",
        "chemical",
        "biological",
        "op2-legislation",
        "0 / 1",
        "0 / 1",
        "0 / 1",
        "op3c-border-law-enforcement",
        "0 / 1",
        "0 / 1",
        "0 / 1",
        "op3d-export-control",
        "0 / 0",
        "0 / 0",
        "0 / 0",
        "Each cell: open items / programmes tagged with both. The shade follows "
        "the programmes.",
    ]


def test_empty_repository_charts(tmp_path: Path) -> None:
    root = make_repo(tmp_path, {})
    empty = load_catalog(DataRepository.open(root, "test"))

    for svg in render_charts(empty, on=ON).values():
        ET.fromstring(svg)
    assert "no data" in _texts(render_charts(empty, on=ON)["step-times"])


def test_svg_escapes_text() -> None:
    svg = bar_chart(
        "x", "a < b & c", ["<row>"], [Series("s", (1.0,), "#000000")], ["\"q\" 'q'"]
    )

    assert _texts(svg)[:3] == ["a < b & c", "<row>", "\"q\" 'q'"]


def test_heat_map_outlines_gaps() -> None:
    svg = heat_map(
        "h",
        "t",
        ["r1", "r2"],
        ["c1"],
        [[1.0], [0.0]],
        [["1"], ["0"]],
        [[True], [False]],
    )
    outlines = [
        rect
        for rect in ET.fromstring(svg).iter(f"{SVG}rect")
        if rect.get("stroke-width") == "3"
    ]

    assert len(outlines) == 1


def test_charts_cli_writes_files(charts_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "charts"

    result = run_cli(["report", "charts", "--out", str(out)], charts_repo)

    assert result.exit_code == 0, result.stderr
    assert sorted(path.name for path in out.iterdir()) == sorted(
        f"{name}.svg" for name in CHART_TITLES
    )
    for path in out.iterdir():
        ET.fromstring(path.read_text(encoding="utf-8"))
    assert result.stderr.startswith(f"Wrote 4 charts to {out}: ")


def test_charts_cli_out_is_file(charts_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "charts.svg"
    out.write_text("", encoding="utf-8")

    result = run_cli(["report", "charts", "--out", str(out)], charts_repo)

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: --out {out} is a file; give a folder for the charts"
    )
