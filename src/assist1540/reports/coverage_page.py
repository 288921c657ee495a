"""Shape a coverage report as a page: summary, coverage tables, gaps, loose ends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assist1540.models import Taxonomy
from assist1540.reports.coverage import CoverageReport, GroupCoverage
from assist1540.reports.page import Page, Section, table_section

GROUP_HEADERS = (
    "open items",
    "gaps",
    "providers at or above threshold",
    "ranked first most often",
    "programmes tagged",
)


def coverage_page(
    report: CoverageReport,
    taxonomy: Taxonomy | None,
    charts: Mapping[str, str] | None = None,
) -> Page:
    """Lay the report out in the order the Committee reads it.

    With `charts`, the HTML page shows the heat map and open items by region
    after the tables they summarise, and the other charts at the end.
    """
    charts = charts or {}
    sections = [
        _group_section("By area", "area", report.areas),
        _group_section("By weapon category", "weapon category", report.weapons),
        _cell_section(report, taxonomy, charts),
        *_gap_sections(report, charts),
        _repeated_section(report),
        _untaken_section(report),
        _stale_section(report),
    ]
    overview = [
        name for name in ("requests-by-year-area", "step-times") if name in charts
    ]
    if overview:
        sections.append(Section("Requests over time", charts=tuple(overview)))
    return Page(
        "Coverage of open requests for assistance",
        (_summary(report),),
        tuple(sections),
        charts,
    )


def _summary(report: CoverageReport) -> str:
    return (
        f"On {report.on.isoformat()}, {_count(len(report.items), 'open item')} in "
        f"{_count(report.open_requests, 'open request')}; "
        f"{_count(len(report.gaps), 'item')} without a candidate scoring "
        f"{report.threshold:g} or more (gaps). An item counts under each area and "
        "weapon category it is tagged with, or that is inferred from its text."
    )


def _group_section(title: str, noun: str, groups: Sequence[GroupCoverage]) -> Section:
    rows = [
        (
            group.label,
            group.items,
            group.gaps,
            group.providers,
            ", ".join(f"{name} ({count})" for name, count in group.first),
            "" if group.programmes is None else group.programmes,
        )
        for group in groups
    ]
    return table_section(title, (noun, *GROUP_HEADERS), rows, "lrrrlr")


def _cell_section(
    report: CoverageReport, taxonomy: Taxonomy | None, charts: Mapping[str, str]
) -> Section:
    weapons = taxonomy.ids("weapons") if taxonomy else []
    areas = taxonomy.ids("areas") if taxonomy else []
    cells = {(cell.area, cell.weapon): cell for cell in report.cells}
    rows = [
        (
            area,
            *(
                _cell_text(cells[area, weapon].items, cells[area, weapon].gaps)
                + f" / {cells[area, weapon].programmes}"
                for weapon in weapons
            ),
        )
        for area in areas
    ]
    section = table_section(
        "By area and weapon category",
        ("area", *weapons),
        rows,
        "l" + "r" * len(weapons),
        paragraphs=(
            "Each cell: open items (gaps among them) / programmes tagged with both "
            "the area and the weapon category. A programme without weapon "
            "categories takes its provider's.",
        ),
    )
    return _with_charts(section, charts, "coverage-heat-map")


def _cell_text(items: int, gaps: int) -> str:
    return f"{items} ({gaps})" if gaps else str(items)


def _gap_sections(report: CoverageReport, charts: Mapping[str, str]) -> list[Section]:
    rows = [
        (
            item.request,
            item.item,
            item.state,
            item.region,
            item.year,
            item.best.provider_name if item.best else "",
            f"{item.best.score:.1f}" if item.best else "",
            item.summary,
        )
        for item in report.gaps
    ]
    gaps = table_section(
        "Gaps",
        (
            "request",
            "item",
            "State",
            "region",
            "year",
            "best candidate",
            "score",
            "summary",
        ),
        rows,
        "lrllrlrl",
        paragraphs=(
            f"Open items whose best candidate scores under {report.threshold:g}.",
        ),
    )
    by_region = table_section(
        "Gaps by region",
        ("region", "open items", "gaps"),
        [(t.label, t.items, t.gaps) for t in report.by_region],
        "lrr",
        level=3,
    )
    by_year = table_section(
        "Gaps by year received",
        ("year", "open items", "gaps"),
        [(t.label, t.items, t.gaps) for t in report.by_year],
        "lrr",
        level=3,
    )
    return [gaps, _with_charts(by_region, charts, "open-items-by-region"), by_year]


def _repeated_section(report: CoverageReport) -> Section:
    rows = [
        (pair.state, pair.earlier, pair.later, ", ".join(pair.shared_areas))
        for pair in report.repeated
    ]
    return table_section(
        "Repeated requests",
        ("State", "earlier request", "later request", "shared areas"),
        rows,
        paragraphs=("Requests of one State, open or closed, whose areas overlap.",),
    )


def _untaken_section(report: CoverageReport) -> Section:
    rows = [
        (
            offer.offer,
            offer.request,
            offer.state,
            offer.provider,
            offer.status,
            offer.received,
            offer.age_days,
        )
        for offer in report.untaken_offers
    ]
    return table_section(
        "Offers never taken up",
        ("offer", "request", "State", "provider", "status", "received", "days"),
        rows,
        "llllllr",
        paragraphs=(
            "Offers received more than "
            f"{_count(report.offer_age_days, 'day')} ago that are still "
            "received, circulated, informed, without an answer, or declined.",
        ),
    )


def _stale_section(report: CoverageReport) -> Section:
    rows = [
        (
            provider.provider,
            provider.name,
            provider.programme or "(whole provider)",
            provider.last_confirmed or "never",
            "" if provider.days_overdue is None else provider.days_overdue,
        )
        for provider in report.stale_providers
    ]
    return table_section(
        "Providers whose information is stale",
        ("provider", "name", "programme", "last confirmed", "days overdue"),
        rows,
        "llllr",
        paragraphs=(
            "Providers and programmes never confirmed, or confirmed longer ago "
            "than provider_confirmation_days in assist1540.toml.",
        ),
    )


def _with_charts(section: Section, charts: Mapping[str, str], name: str) -> Section:
    if name not in charts:
        return section
    return Section(
        section.title, section.level, section.paragraphs, section.table, (name,)
    )


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
