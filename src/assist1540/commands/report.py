"""`assist1540 report coverage|briefing|charts`: reports for the Committee."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assist1540 import console
from assist1540.commands._app import RepoOption, app, find_repository, user_errors
from assist1540.errors import UsageError

if TYPE_CHECKING:
    from assist1540.catalog import Catalog
    from assist1540.reports.coverage import CoverageReport
    from assist1540.reports.page import Page
    from assist1540.repository import DataRepository

logger = logging.getLogger(__name__)

report_app = typer.Typer(
    name="report",
    help="Reports for the Committee: coverage, briefings and charts.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(report_app)

OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="File to write (default: print on stdout).",
        show_default=False,
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        help="Day the report is for, YYYY-MM-DD (default: today).",
        show_default=False,
    ),
]


@report_app.command("coverage")
@user_errors
def report_coverage(
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0,
            help="Score an item's best candidate must reach for the item to count "
            "as covered (default: 6, one more than words alone can score).",
            show_default=False,
        ),
    ] = None,
    offer_age: Annotated[
        int | None,
        typer.Option(
            "--offer-age",
            min=0,
            help="Days after which an offer not taken up is listed (default: "
            "follow_up_days in assist1540.toml).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print or write JSON.")
    ] = False,
    page_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="md or html: a page instead of terminal tables; json is the same "
            "as --json (default: from the --out suffix).",
            show_default=False,
        ),
    ] = None,
    out: OutOption = None,
    on: OnOption = None,
    repo: RepoOption = None,
) -> None:
    """Show open request items by area and weapon category, the gaps and loose ends.

    Example: assist1540 report coverage --format html --out coverage.html
    """
    from datetime import date

    from assist1540.reports.coverage import (
        DEFAULT_THRESHOLD,
        build_coverage,
        coverage_json,
    )
    from assist1540.reports.coverage_page import coverage_page
    from assist1540.reports.output import choose_format, parse_day

    if as_json and page_format is not None:
        raise UsageError("--json and --format cannot be combined; choose one")
    allowed = ("md", "html", "json")
    chosen = "json" if as_json else choose_format(page_format, out, allowed, None)
    if chosen is None and out is not None:
        raise UsageError(
            f"cannot tell the format of --out {out}; give --format md or html, or "
            "--json, or a file ending in .md, .html or .json"
        )
    day = parse_day("--on", on) or date.today()

    repository = find_repository(repo)
    catalog = _load_catalog(repository)
    report = build_coverage(
        catalog,
        repository.config.timers,
        day,
        DEFAULT_THRESHOLD if threshold is None else threshold,
        offer_age,
    )

    if chosen == "json":
        text = json.dumps(coverage_json(report), ensure_ascii=False, indent=2) + "\n"
        _emit(text.encode("utf-8"), out)
        return
    if chosen is None:
        _print_tables(coverage_page(report, catalog.taxonomy))
        return
    charts = _charts(catalog, report) if chosen == "html" else {}
    _emit_page(coverage_page(report, catalog.taxonomy, charts), chosen, out)


@report_app.command("briefing")
@user_errors
def report_briefing(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="First day of the period, YYYY-MM-DD (default: the day after the "
            "last briefing in data/briefings.yaml, else briefing_days before "
            "--until).",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="Last day of the period, YYYY-MM-DD (default: today).",
            show_default=False,
        ),
    ] = None,
    page_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="md, html or docx (default: from the --out suffix, else md).",
            show_default=False,
        ),
    ] = None,
    out: OutOption = None,
    repo: RepoOption = None,
) -> None:
    """Write what happened in a period: new requests, progress, offers, overdue steps.

    Example: assist1540 report briefing --since 2026-01-01 --format docx --out b.docx
    """
    from datetime import date

    from assist1540.briefings import load_briefings
    from assist1540.reports.briefing import briefing_period, build_briefing
    from assist1540.reports.briefing_page import briefing_page
    from assist1540.reports.output import choose_format, parse_day

    chosen = choose_format(page_format, out, ("md", "html", "docx"), "md")
    if chosen == "docx" and out is None:
        raise UsageError(
            "a docx briefing is binary and cannot go to stdout; write it with "
            "--out FILE.docx"
        )
    last_day = parse_day("--until", until) or date.today()
    first_day = parse_day("--since", since)

    repository = find_repository(repo)
    briefings = load_briefings(repository).briefings
    timers = repository.config.timers
    first_day, last_day = briefing_period(first_day, last_day, briefings, timers)
    catalog = _load_catalog(repository)
    briefing = build_briefing(catalog, timers, first_day, last_day, briefings)

    charts = _charts(catalog, None) if chosen == "html" else {}
    page = briefing_page(briefing, charts)
    if chosen == "docx":
        from assist1540.reports.docx_page import page_docx

        assert out is not None
        _emit(page_docx(page, last_day), out)
        return
    _emit_page(page, str(chosen), out)


@report_app.command("charts")
@user_errors
def report_charts(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder for the SVG files; it is created if missing, and files of "
            "the same names are replaced.",
            show_default=False,
        ),
    ],
    repo: RepoOption = None,
) -> None:
    """Write the report charts as SVG files, one per chart.

    Example: assist1540 report charts --out charts
    """
    from assist1540.reports.output import OutputError, write_output

    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is a file; give a folder for the charts")
    repository = find_repository(repo)
    catalog = _load_catalog(repository)
    charts = _charts(catalog, None)

    for name, svg in charts.items():
        write_output(out / f"{name}.svg", svg.encode("utf-8"))
    files = ", ".join(f"{name}.svg" for name in charts)
    console.print_message(f"Wrote {len(charts)} charts to {out}: {files}")


# --- Shared -----------------------------------------------------------------------


def _load_catalog(repository: DataRepository) -> Catalog:
    """Load the records, warning that records with errors are left out."""
    from assist1540.catalog import load_catalog

    catalog = load_catalog(repository)
    if catalog.problems:
        logger.warning(
            "%d problems in the records: the records that could not be read are "
            "left out of the report; 'assist1540 validate' lists the problems",
            len(catalog.problems),
        )
    return catalog


def _charts(catalog: Catalog, coverage: CoverageReport | None) -> dict[str, str]:
    from assist1540.reports.charts import render_charts

    return render_charts(catalog, coverage=coverage)


def _emit_page(page: Page, page_format: str, out: Path | None) -> None:
    from assist1540.reports.page import render_page

    text = render_page(page, "html" if page_format == "html" else "md")
    _emit(text.encode("utf-8"), out)


def _emit(content: bytes, out: Path | None) -> None:
    """Write to --out, or print text on stdout exactly as it is."""
    from assist1540.reports.output import write_output

    if out is None:
        typer.echo(content.decode("utf-8"), nl=False)
        return
    write_output(out, content)
    console.print_message(f"Wrote {out}")


def _print_tables(page: Page) -> None:
    for paragraph in page.paragraphs:
        console.print_data(paragraph)
    for section in page.sections:
        if section.table is None:
            if section.paragraphs:
                console.print_data(f"{section.title}: {' '.join(section.paragraphs)}")
            continue
        columns = list(zip(section.table.headers, section.table.align, strict=True))
        caption = " ".join(section.paragraphs) or None
        console.print_table(section.title, columns, section.table.rows, caption)
