"""`assist1540 render`: write a letter, or the public website."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assist1540 import console
from assist1540.commands._app import RepoOption, app, find_repository, user_errors
from assist1540.errors import UsageError

if TYPE_CHECKING:
    from assist1540.rendering.letters import LetterFormat
    from assist1540.rendering.site import SiteFormat

render_app = typer.Typer(
    name="render",
    help="Write letters and the public website from the templates.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(render_app)

_LETTER_FORMATS: dict[str, LetterFormat] = {"md": "md", "html": "html", "docx": "docx"}
_SUFFIX_FORMATS: dict[str, LetterFormat] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
}
_SITE_FORMATS: dict[str, SiteFormat] = {
    "html": "html",
    "markdown": "markdown",
    "md": "markdown",
}


@render_app.command("letter")
@user_errors
def render_letter(
    kind: Annotated[
        str,
        typer.Argument(
            help="Letter kind: acknowledgement, distribution, circulation, "
            "offer-information, report-request, feedback-request, follow-up or "
            "provider-confirmation.",
            show_default=False,
        ),
    ],
    record_id: Annotated[
        str,
        typer.Argument(
            help="Id of the request, offer or provider the letter is about.",
            show_default=False,
        ),
    ],
    letter_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="md, html (print-ready) or docx (editable Word document); "
            "default: from the --out suffix, else md.",
            show_default=False,
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="en, fr or es (default: the State's language in assist1540.toml, "
            "else the request's language, else en).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File to write (default: RECORD-KIND.LANGUAGE.FORMAT in the "
            "current folder).",
            show_default=False,
        ),
    ] = None,
    to_stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the letter on stdout (md or html).")
    ] = False,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            help="Reference number to print (default: the next free one).",
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Date of the letter, YYYY-MM-DD (default: today).",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """Write one letter or note verbale for a request, offer or provider.

    Example: assist1540 render letter acknowledgement mex-2012 --format docx
    """
    from assist1540.catalog import load_catalog
    from assist1540.references import find_reference_owner
    from assist1540.rendering import LETTER_KINDS
    from assist1540.rendering import render_letter as run_render
    from assist1540.writer import atomic_write

    chosen_format = _letter_format(letter_format, out, to_stdout)
    letter_date = _parse_day(on) if on is not None else date.today()
    if kind not in LETTER_KINDS:
        raise UsageError(
            f"unknown letter kind '{kind}'; use one of {', '.join(LETTER_KINDS)}"
        )

    repository = find_repository(repo)
    catalog = load_catalog(repository)
    letter = run_render(
        repository,
        catalog,
        kind,
        record_id,
        on=letter_date,
        language=language,
        reference=reference,
    )

    if reference is not None:
        owner = find_reference_owner(catalog, reference)
        if owner is not None:
            console.print_message(
                f"warning: reference {reference} is already recorded in {owner}; "
                "reuse it only to print that letter again",
                style="yellow",
            )
    if to_stdout:
        console.print_data(letter.content(chosen_format).decode("utf-8").rstrip("\n"))
        return
    path = out if out is not None else Path(letter.file_name(chosen_format))
    atomic_write(path, letter.content(chosen_format))
    console.print_message(
        f"Wrote {path} ({kind}, {letter.language}, reference {letter.reference})"
    )


@render_app.command("site")
@user_errors
def render_site(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder for the site; a folder from an earlier render is replaced "
            "whole.",
            show_default=False,
        ),
    ],
    site_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="html (static site with filters) or markdown (pages for MkDocs, "
            "Jekyll or Hugo).",
        ),
    ] = "html",
    repo: RepoOption = None,
) -> None:
    """Write the public listing of requests and providers as a static site.

    Example: assist1540 render site --out site
    """
    from assist1540.catalog import load_catalog
    from assist1540.rendering.site import check_site_folder
    from assist1540.rendering.site import render_site as run_render

    chosen_format = _SITE_FORMATS.get(site_format)
    if chosen_format is None:
        raise UsageError(f"invalid --format '{site_format}'; use html or markdown")
    check_site_folder(out)

    repository = find_repository(repo)
    catalog = load_catalog(repository)
    report = run_render(repository, catalog, out, chosen_format)

    console.print_message(
        f"Wrote {report.files} files to {report.out}: {report.requests} published "
        f"requests, {report.providers} providers"
    )


def _letter_format(
    letter_format: str | None, out: Path | None, to_stdout: bool
) -> LetterFormat:
    if out is not None and to_stdout:
        raise UsageError("--out and --stdout cannot be combined; choose one")
    if letter_format is None:
        suffix = out.suffix.lower() if out is not None else ""
        chosen = _SUFFIX_FORMATS.get(suffix, "md")
    else:
        found = _LETTER_FORMATS.get(letter_format)
        if found is None:
            raise UsageError(
                f"invalid --format '{letter_format}'; use md, html or docx"
            )
        chosen = found
    if chosen == "docx" and to_stdout:
        raise UsageError(
            "a docx letter is binary and cannot go to stdout; write it with --out "
            "PATH instead"
        )
    return chosen


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"invalid --date '{text}'; write the day as YYYY-MM-DD, e.g. 2026-12-04"
        ) from None
