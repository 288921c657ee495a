"""Letters and notes verbales: their kinds, rendering and output formats."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from markupsafe import Markup

from assist1540.catalog import Catalog, Entry
from assist1540.errors import UsageError
from assist1540.models import LANGUAGES
from assist1540.references import next_reference
from assist1540.rendering.environment import Templates
from assist1540.rendering.letter_context import LetterError, build_letter_context
from assist1540.rendering.markdown import markdown_to_html
from assist1540.repository import DataRepository

__all__ = [
    "LETTER_FORMATS",
    "LETTER_KINDS",
    "LetterError",
    "LetterFormat",
    "LetterKind",
    "RenderedLetter",
    "render_letter",
]

logger = logging.getLogger(__name__)

LetterFormat = Literal["md", "html", "docx"]
LETTER_FORMATS: tuple[LetterFormat, ...] = ("md", "html", "docx")
RecordKind = Literal["requests", "offers", "providers"]


@dataclass(frozen=True)
class LetterKind:
    """A kind of letter, the record it is written for, and who receives it."""

    name: str
    record_kind: RecordKind
    description: str


LETTER_KINDS: dict[str, LetterKind] = {
    kind.name: kind
    for kind in (
        LetterKind("acknowledgement", "requests", "acknowledge receipt of a request"),
        LetterKind(
            "distribution",
            "requests",
            "note verbale distributing a request to potential providers",
        ),
        LetterKind(
            "circulation", "offers", "circulate an offer to the Committee members"
        ),
        LetterKind(
            "offer-information",
            "requests",
            "inform the requesting State of offers and ask whether it takes them up",
        ),
        LetterKind(
            "report-request",
            "offers",
            "ask the provider for progress and completion reports",
        ),
        LetterKind(
            "feedback-request",
            "offers",
            "ask the requesting State for feedback on the assistance",
        ),
        LetterKind(
            "follow-up", "requests", "ask, a year on, whether the request was met"
        ),
        LetterKind(
            "provider-confirmation",
            "providers",
            "ask a provider to confirm its programme information",
        ),
    )
}


@dataclass(frozen=True)
class RenderedLetter:
    """A letter rendered from its template, in Markdown and print-ready HTML."""

    kind: str
    record_id: str
    language: str
    reference: str
    date: date
    markdown: str
    html: str

    def docx_bytes(self) -> bytes:
        """Build the editable Word document; the same letter gives the same bytes."""
        # Importing python-docx took about 30 ms (python -X importtime, 2 cores),
        # which Markdown and HTML letters do not need.
        from assist1540.rendering.docx import markdown_to_docx

        return markdown_to_docx(
            self.markdown, title=self.reference, language=self.language, on=self.date
        )

    def content(self, letter_format: LetterFormat) -> bytes:
        """Return the letter in one format, as the bytes of its file."""
        if letter_format == "docx":
            return self.docx_bytes()
        text = self.html if letter_format == "html" else self.markdown
        return text.encode("utf-8")

    def file_name(self, letter_format: LetterFormat) -> str:
        """Name the letter's file, e.g. mex-2012-acknowledgement.es.docx."""
        return f"{self.record_id}-{self.kind}.{self.language}.{letter_format}"


def render_letter(
    repo: DataRepository,
    catalog: Catalog,
    kind: str,
    record_id: str,
    *,
    on: date,
    language: str | None = None,
    reference: str | None = None,
) -> RenderedLetter:
    """Render one letter for a record, numbering it with the next free reference."""
    letter_kind = _check_kind(kind)
    if language is not None and language not in LANGUAGES:
        raise UsageError(
            f"invalid language '{language}'; use one of {', '.join(LANGUAGES)}"
        )
    entry = _find_entry(catalog, letter_kind, record_id)
    context = build_letter_context(repo, catalog, kind, entry, language, on)
    if reference is None:
        reference = next_reference(catalog, on, repo.config.letters.reference_pattern)
    context["reference"] = reference

    templates = Templates(repo.root, repo.templates_dir)
    chosen_language = context["language"]
    markdown = _tidy_markdown(
        templates.render_markdown(f"letters/{chosen_language}/{kind}.md.j2", context)
    )
    html = templates.render_html(
        "letters/letter.html.j2",
        {
            "language": chosen_language,
            "title": f"{reference} ({letter_kind.description})",
            "body": Markup(markdown_to_html(markdown)),
        },
    )
    logger.debug("rendered %s letter %s for %s", kind, reference, record_id)
    return RenderedLetter(
        kind, record_id, chosen_language, reference, on, markdown, html
    )


def _tidy_markdown(markdown: str) -> str:
    """Drop trailing spaces and the blank lines that template tags leave behind."""
    lines = [line.rstrip() for line in markdown.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _check_kind(kind: str) -> LetterKind:
    letter_kind = LETTER_KINDS.get(kind)
    if letter_kind is None:
        raise UsageError(
            f"unknown letter kind '{kind}'; use one of {', '.join(LETTER_KINDS)}"
        )
    return letter_kind


def _find_entry(catalog: Catalog, kind: LetterKind, record_id: str) -> Entry[Any]:
    entries = catalog.entries(kind.record_kind)
    entry = entries.get(record_id)
    if entry is not None:
        return entry
    singular = kind.record_kind.removesuffix("s")
    unreadable = [
        problem
        for problem in catalog.problems
        if problem.path.rsplit("/", 1)[-1].rsplit(".", 1)[0] == record_id
    ]
    if unreadable:
        raise LetterError(
            f"the {singular} '{record_id}' cannot be read; fix these problems first",
            unreadable,
        )
    raise LetterError(
        f"no {singular} '{record_id}' in data/{kind.record_kind}; a {kind.name} "
        f"letter is written for a {singular}, so give the id of one"
    )
