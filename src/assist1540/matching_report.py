"""Select request items for `match`, rank them, and shape the output."""

from __future__ import annotations

import difflib
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _string
from typing import Any

from assist1540.catalog import Catalog, Entry, load_catalog
from assist1540.errors import UsageError
from assist1540.matching import ItemMatches, Match, Matcher, open_requests
from assist1540.models import Request
from assist1540.repository import DataRepository

logger = logging.getLogger(__name__)

PROVIDER_KINDS = (
    "state",
    "international-organization",
    "regional-organization",
    "other",
)


@dataclass
class ItemSelection:
    """The items to rank, with the matcher built for their catalog."""

    matcher: Matcher
    items: list[tuple[Entry[Request], int]]
    provider_kinds: tuple[str, ...]


def check_provider_kinds(kinds: Sequence[str]) -> None:
    for kind in kinds:
        if kind not in PROVIDER_KINDS:
            raise UsageError(
                f"invalid --provider-kind '{kind}'; use one of "
                f"{', '.join(PROVIDER_KINDS)}"
            )


def select_items(
    repo: DataRepository,
    request_ids: Sequence[str],
    area: str | None,
    provider_kinds: tuple[str, ...],
) -> ItemSelection:
    """Load the catalog and pick the items of the named (or all open) requests."""
    catalog = load_catalog(repo)
    _warn_about_problems(catalog)
    if area is not None:
        _check_area(catalog, area)

    entries = [_find_request(catalog, request_id) for request_id in request_ids]
    if not request_ids:
        entries = open_requests(catalog)

    matcher = Matcher(catalog)
    items = []
    for entry in entries:
        for number, item in enumerate(entry.record.items, start=1):
            if area is not None:
                tags = matcher.effective_tags(entry.record, item)
                if area not in tags.areas:
                    continue
            items.append((entry, number))
    return ItemSelection(matcher, items, provider_kinds)


def rank(selection: ItemSelection, top: int) -> list[ItemMatches]:
    return selection.matcher.rank_items(
        selection.items, provider_kinds=selection.provider_kinds, top=top
    )


def rankings_json(rankings: Sequence[ItemMatches]) -> list[dict[str, Any]]:
    """Shape rankings as one object per item, best match first."""
    return [_ranking_json(ranking) for ranking in rankings]


def rankings_json_pieces(rankings: Sequence[ItemMatches]) -> Iterator[str]:
    """Yield the text of `rankings_json` as JSON indented by 2, one item at a time.

    Joined with newlines, the pieces equal `json.dumps(rankings_json(rankings),
    ensure_ascii=False, indent=2)`, but the whole text, several MB for
    thousands of items, is never in memory at once.
    """
    if not rankings:
        yield "[]"
        return
    yield "["
    last = len(rankings) - 1
    for position, ranking in enumerate(rankings):
        yield _ranking_text(ranking) + ("," if position < last else "")
    yield "]"


def _ranking_text(ranking: ItemMatches) -> str:
    """Write one ranking as json.dumps(..., indent=2) would, indented by 2 more.

    json.dumps with an indent runs its pure-Python encoder, which took about
    0.2 s for the 3,100 items of the 100x benchmark repository. Here only the
    strings go through the encoder's C function, and the fixed layout is
    written directly.
    """
    matches = [_match_text(match) for match in ranking.matches]
    listed = "[\n" + ",\n".join(matches) + "\n    ]" if matches else "[]"
    return (
        "  {\n"
        f'    "request": {_string(ranking.request)},\n'
        f'    "item": {ranking.item!r},\n'
        f'    "matches": {listed}\n'
        "  }"
    )


def _match_text(match: Match) -> str:
    reasons = ",\n".join("          " + _string(reason) for reason in match.reasons)
    listed = "[\n" + reasons + "\n        ]" if match.reasons else "[]"
    programme = "null" if match.programme is None else _string(match.programme)
    return (
        "      {\n"
        f'        "provider": {_string(match.provider)},\n'
        f'        "programme": {programme},\n'
        f'        "score": {json.dumps(match.score)},\n'
        f'        "reasons": {listed}\n'
        "      }"
    )


def _ranking_json(ranking: ItemMatches) -> dict[str, Any]:
    return {
        "request": ranking.request,
        "item": ranking.item,
        "matches": [
            {
                "provider": match.provider,
                "programme": match.programme,
                "score": match.score,
                "reasons": list(match.reasons),
            }
            for match in ranking.matches
        ],
    }


def ranking_tables(
    selection: ItemSelection, rankings: Sequence[ItemMatches]
) -> Iterator[tuple[str, list[list[str]], str | None]]:
    """Yield a (title, rows, caption) table per item."""
    states = {entry.id: entry.record.state for entry, _ in selection.items}
    for ranking in rankings:
        title = (
            f"{ranking.request} item {ranking.item} "
            f"({states.get(ranking.request, '')}): "
            f"{ranking.summary}"
        )
        rows = [
            [
                str(position),
                match.provider_name,
                match.programme or "(provider as a whole)",
                f"{match.score:.1f}",
                "\n".join(match.reasons),
            ]
            for position, match in enumerate(ranking.matches, start=1)
        ]
        caption = None
        if ranking.tags.inferred:
            caption = "inferred from the text: " + ", ".join(
                f"{term.term_id} ('{term.keywords[0]}')"
                for term in ranking.tags.inferred
            )
        yield title, rows, caption


def summary_line(rankings: Sequence[ItemMatches]) -> str:
    requests = len({ranking.request for ranking in rankings})
    items = len(rankings)
    return (
        f"{items} item{'s' if items != 1 else ''} of {requests} "
        f"request{'s' if requests != 1 else ''} ranked"
    )


def suggest_tags(selection: ItemSelection) -> list[dict[str, Any]]:
    """Infer tags from each item's text alone, beside the tags on file."""
    suggestions = []
    for entry, number in selection.items:
        item = entry.record.items[number - 1]
        inferred = selection.matcher.effective_tags(entry.record, item, use_tags=False)
        suggestions.append(
            {
                "request": entry.id,
                "item": number,
                "summary": item.summary,
                "on_file": {
                    kind: list(getattr(item, kind))
                    for kind in ("areas", "weapons", "types")
                },
                "suggested": [
                    {
                        "kind": term.kind,
                        "id": term.term_id,
                        "keywords": list(term.keywords),
                    }
                    for term in inferred.inferred
                ],
            }
        )
    return suggestions


def format_suggestions(suggestions: Sequence[dict[str, Any]]) -> Iterator[str]:
    for suggestion in suggestions:
        yield (
            f"{suggestion['request']} item {suggestion['item']}: "
            f"{suggestion['summary']}"
        )
        if not suggestion["suggested"]:
            yield "  no taxonomy keyword found in the text"
        for term in suggestion["suggested"]:
            on_file = term["id"] in suggestion["on_file"][term["kind"]]
            status = "on file" if on_file else "new"
            keywords = ", ".join(f"'{keyword}'" for keyword in term["keywords"])
            yield f"  {term['kind']}: {term['id']} ({status}; from {keywords})"


def _find_request(catalog: Catalog, request_id: str) -> Entry[Request]:
    entry = catalog.requests.get(request_id)
    if entry is not None:
        return entry
    broken = catalog.invalid["requests"].get(request_id)
    if broken is not None:
        raise UsageError(
            f"request '{request_id}' ({broken}) has errors, so it cannot be "
            "ranked; run 'assist1540 validate' to see them"
        )
    close = difflib.get_close_matches(request_id, list(catalog.requests), n=3)
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else ("; list the ids with 'ls data/requests'")
    )
    raise UsageError(f"request '{request_id}' not found{hint}")


def _check_area(catalog: Catalog, area: str) -> None:
    if catalog.taxonomy is None:
        return
    known = catalog.taxonomy.ids("areas")
    if area not in known:
        close = difflib.get_close_matches(area, known, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "use an area id from taxonomy.yaml"
        )
        raise UsageError(f"unknown area '{area}'; {hint}")


def _warn_about_problems(catalog: Catalog) -> None:
    files = {
        problem.path for problem in catalog.problems if problem.severity == "error"
    }
    if files:
        logger.warning(
            "%d file%s errors and %s left out of the ranking; run "
            "'assist1540 validate' to see them",
            len(files),
            " has" if len(files) == 1 else "s have",
            "is" if len(files) == 1 else "are",
        )
