"""The report charts, with the figures behind each, rendered as SVG text by name."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date

from assist1540.catalog import Catalog
from assist1540.config import Timers
from assist1540.models import Taxonomy
from assist1540.reports.coverage import NO_AREA, CoverageReport, build_coverage
from assist1540.reports.svg import GAP_COLOUR, Series, bar_chart, heat_map

CHART_TITLES: dict[str, str] = {
    "requests-by-year-area": "Requests by year received and area",
    "step-times": "Median days from receipt of a request to each step",
    "open-items-by-region": "Open request items by region",
    "coverage-heat-map": "Open items and programmes by area and weapon category",
}

# One colour per taxonomy area, in taxonomy order, so an area keeps its colour in
# every chart. Areas past the sixteenth reuse the list from the start.
AREA_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#2f4b7c",
    "#a05195",
    "#d45087",
    "#665191",
    "#ffa600",
    "#008080",
    "#6b8e23",
)
NO_AREA_COLOUR = "#bdbdbd"
COVERED_COLOUR = "#4e79a7"

# Steps timed from the receipt of a request: its own history steps, and the
# first offer on it received and taken up.
TIMED_STEPS: tuple[tuple[str, str], ...] = (
    ("authenticate", "authenticated"),
    ("acknowledge", "acknowledged"),
    ("distribute", "distributed"),
    ("offer", "first offer received"),
    ("take-up", "first offer taken up"),
    ("close", "closed"),
)


@dataclass(frozen=True)
class StepTime:
    """The median days from receipt to a step, over the requests that took it."""

    step: str
    label: str
    median_days: float
    requests: int


def render_charts(
    catalog: Catalog,
    *,
    coverage: CoverageReport | None = None,
    timers: Timers | None = None,
    on: date | None = None,
) -> dict[str, str]:
    """Render every chart, keyed by the names in CHART_TITLES.

    Without `coverage`, the coverage is computed with the default threshold,
    `timers` (default: the built-in timers) and `on` (default: today). The
    charts do not depend on the day or the timers.
    """
    if coverage is None:
        coverage = build_coverage(catalog, timers or Timers(), on or date.today())
    taxonomy = catalog.taxonomy
    return {
        "requests-by-year-area": requests_by_year_chart(coverage, taxonomy),
        "step-times": step_times_chart(catalog),
        "open-items-by-region": open_items_by_region_chart(coverage),
        "coverage-heat-map": coverage_heat_map(coverage, taxonomy),
    }


def count_requests_by_year_area(coverage: CoverageReport) -> dict[int, Counter[str]]:
    """Count requests per year received and area; one per area a request names."""
    counts: dict[int, Counter[str]] = {}
    for request in coverage.requests:
        counts.setdefault(request.year, Counter()).update(request.areas or [NO_AREA])
    return counts


def requests_by_year_chart(coverage: CoverageReport, taxonomy: Taxonomy | None) -> str:
    counts = count_requests_by_year_area(coverage)
    years = list(range(min(counts), max(counts) + 1)) if counts else []
    area_ids = [*(taxonomy.ids("areas") if taxonomy else []), NO_AREA]
    series = []
    for index, area in enumerate(area_ids):
        values = tuple(float(counts.get(year, Counter())[area]) for year in years)
        colour = (
            NO_AREA_COLOUR
            if area == NO_AREA
            else AREA_COLOURS[index % len(AREA_COLOURS)]
        )
        series.append(Series(area, values, colour))
    requests_per_year = Counter(request.year for request in coverage.requests)
    annotations = [_plural(requests_per_year[year], "request") for year in years]
    return bar_chart(
        "requests-by-year-area",
        CHART_TITLES["requests-by-year-area"],
        [str(year) for year in years],
        series,
        annotations,
        note="A request counts once in each area its items name, given or "
        "inferred from their text.",
    )


def median_step_days(catalog: Catalog) -> list[StepTime]:
    """Take the median days from receipt to each step in TIMED_STEPS.

    Only requests received on a known day count, and each request counts with
    the first time it took the step. Steps no request took are left out.
    """
    days: dict[str, list[int]] = {step: [] for step, _ in TIMED_STEPS}
    for request_id, entry in catalog.requests.items():
        request = entry.record
        if request.received.precision != "day":
            continue
        received = request.received.earliest()
        for step, taken in _first_steps(catalog, request_id).items():
            if taken >= received:
                days[step].append((taken - received).days)
    return [
        StepTime(step, label, float(statistics.median(days[step])), len(days[step]))
        for step, label in TIMED_STEPS
        if days[step]
    ]


def _first_steps(catalog: Catalog, request_id: str) -> dict[str, date]:
    request = catalog.requests[request_id].record
    first: dict[str, date] = {}
    for entry in request.history:
        if entry.action not in first or entry.date < first[entry.action]:
            first[entry.action] = entry.date
    offers = [
        o.record for o in catalog.offers.values() if o.record.request == request_id
    ]
    received = [o.received.earliest() for o in offers if o.received.precision == "day"]
    taken = [
        step.date for o in offers for step in o.history if step.action == "take-up"
    ]
    if received:
        first["offer"] = min(received)
    if taken:
        first["take-up"] = min(taken)
    return {step: first[step] for step, _ in TIMED_STEPS if step in first}


def step_times_chart(catalog: Catalog) -> str:
    times = median_step_days(catalog)
    values = tuple(time.median_days for time in times)
    annotations = [
        f"{_number(time.median_days)} days ({_plural(time.requests, 'request')})"
        for time in times
    ]
    return bar_chart(
        "step-times",
        CHART_TITLES["step-times"],
        [time.label for time in times],
        [Series("median days", values, COVERED_COLOUR)],
        annotations,
        note="Only requests received on a known day count, each with the first "
        "time it took the step.",
    )


def open_items_by_region_chart(coverage: CoverageReport) -> str:
    tallies = coverage.by_region
    covered = tuple(float(t.items - t.gaps) for t in tallies)
    gaps = tuple(float(t.gaps) for t in tallies)
    annotations = [f"{t.items} ({t.gaps} below threshold)" for t in tallies]
    return bar_chart(
        "open-items-by-region",
        CHART_TITLES["open-items-by-region"],
        [t.label for t in tallies],
        [
            Series("covered", covered, COVERED_COLOUR),
            Series(f"best score below {_number(coverage.threshold)}", gaps, GAP_COLOUR),
        ],
        annotations,
        note="Regions are UN M49 groups of the requesting State.",
    )


def coverage_heat_map(coverage: CoverageReport, taxonomy: Taxonomy | None) -> str:
    areas = taxonomy.ids("areas") if taxonomy else []
    weapons = taxonomy.ids("weapons") if taxonomy else []
    cells = {(cell.area, cell.weapon): cell for cell in coverage.cells}
    shades = [[float(cells[a, w].programmes) for w in weapons] for a in areas]
    labels = [
        [f"{cells[a, w].items} / {cells[a, w].programmes}" for w in weapons]
        for a in areas
    ]
    outlined = [[cells[a, w].gaps > 0 for w in weapons] for a in areas]
    return heat_map(
        "coverage-heat-map",
        CHART_TITLES["coverage-heat-map"],
        areas,
        weapons,
        shades,
        labels,
        outlined,
        note="Each cell: open items / programmes tagged with both. The shade "
        "follows the programmes.\nAn orange border marks a cell with an item whose "
        f"best score is below {_number(coverage.threshold)}.",
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _number(value: float) -> str:
    return f"{value:g}"
