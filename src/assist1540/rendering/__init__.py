"""Render letters and the public website from the templates of a data repository.

Letters. A workflow step that sends a letter renders it, then records the step
with the letter's reference::

    from assist1540.catalog import load_catalog
    from assist1540.rendering import render_letter

    catalog = load_catalog(repo)
    letter = render_letter(repo, catalog, "acknowledgement", "mex-2012", on=today)
    atomic_write(path, letter.content("docx"))  # or letter.markdown, letter.html
    # record HistoryEntry(date=today, action=..., reference=letter.reference)

`render_letter(repo, catalog, kind, record_id, *, on, language=None,
reference=None)` returns a `RenderedLetter` with `.markdown`, `.html` (a
print-ready page), `.docx_bytes()`, `.content(format)`, `.file_name(format)`,
`.reference`, `.language` and `.date`. `LETTER_KINDS` maps each kind to the
record it is written for (request, offer or provider). Without `reference`, the
letter takes `references.next_reference(catalog, on, pattern)`: one past the
highest serial in any record's `history[].reference`, with the pattern from
`[assist1540.letters] reference_pattern`. The caller must record that reference
in a history entry, or the next letter gets the same number.

The language is `language` if given, else the State's entry in
`[assist1540.languages]`, else the request's `language`, else English. Letters
to the Committee members and to organisations default to English.

The site. `site.render_site(repo, catalog, out, "html" | "markdown")` writes the
public listing (published, consented, authenticated requests and the providers)
and replaces the folder `out` whole. `public.build_public_listing(catalog)` is
the allow-list of what may be published.

Errors. A template problem raises `TemplateError` with the template's path and
line; a letter that cannot be written for a record raises `LetterError`; both
are `Assist1540Error`s.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assist1540.rendering.environment import TemplateError
    from assist1540.rendering.letters import (
        LETTER_FORMATS,
        LETTER_KINDS,
        LetterError,
        LetterFormat,
        RenderedLetter,
        render_letter,
    )

__all__ = [
    "LETTER_FORMATS",
    "LETTER_KINDS",
    "LetterError",
    "LetterFormat",
    "RenderedLetter",
    "TemplateError",
    "render_letter",
]

# The module that defines each exported name. Importing the package loads none
# of them, so `render site` does not pay for the letter modules.
_EXPORTS = {
    "TemplateError": "assist1540.rendering.environment",
    **{
        name: "assist1540.rendering.letters"
        for name in __all__
        if name != "TemplateError"
    },
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
