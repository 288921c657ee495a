"""Batch ranking: the same result as one item at a time, ties and JSON pieces."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from assist1540 import matching, matching_report
from assist1540.candidates import REGION_ARRAYS_KEPT
from assist1540.catalog import Catalog, Entry, load_catalog
from assist1540.matching import BATCH_SIZE, ItemMatches, ItemTags, Match, Matcher
from assist1540.models import Request
from assist1540.repository import DataRepository

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    catalog = load_catalog(DataRepository.find(PROJECT_ROOT))
    assert catalog.problems == []
    return catalog


def _all_items(catalog: Catalog) -> list[tuple[Entry[Request], int]]:
    return [
        (entry, number)
        for _, entry in sorted(catalog.requests.items())
        for number in range(1, len(entry.record.items) + 1)
    ]


def test_bundled_data_spans_two_batches(bundled: Catalog) -> None:
    assert len(_all_items(bundled)) > BATCH_SIZE


@pytest.mark.parametrize(
    ("top", "kinds", "reasons"),
    [
        (None, (), True),
        (3, (), True),
        (5, ("state",), True),
        (None, ("international-organization", "other"), False),
    ],
    ids=["all", "top-3", "states", "organisations-bare"],
)
def test_rank_items_equals_rank_item(
    bundled: Catalog, top: int | None, kinds: tuple[str, ...], reasons: bool
) -> None:
    matcher = Matcher(bundled)
    items = _all_items(bundled)

    batched = matcher.rank_items(items, provider_kinds=kinds, top=top, reasons=reasons)
    single = [
        Matcher(bundled).rank_item(
            entry, number, provider_kinds=kinds, top=top, reasons=reasons
        )
        for entry, number in items
    ]

    assert batched == single


def test_rank_items_without_tags(bundled: Catalog) -> None:
    matcher = Matcher(bundled)
    items = _all_items(bundled)

    batched = matcher.rank_items(items, use_tags=False, top=5)

    for ranking, (entry, number) in zip(batched, items, strict=True):
        assert ranking == matcher.rank_item(entry, number, use_tags=False, top=5)


def test_rank_items_order_free(bundled: Catalog) -> None:
    # Reversed, the States come back after their region arrays were evicted.
    states = {entry.record.iso3 for entry, _ in _all_items(bundled)}
    assert len(states) > REGION_ARRAYS_KEPT
    matcher = Matcher(bundled)
    items = _all_items(bundled)

    forward = matcher.rank_items(items, top=5)
    backward = matcher.rank_items(items[::-1], top=5)

    assert backward[::-1] == forward


def test_rank_items_empty_list(bundled: Catalog) -> None:
    assert Matcher(bundled).rank_items([]) == []


def test_top_larger_than_providers(bundled: Catalog) -> None:
    entry = bundled.requests["mex-2006"]
    matcher = Matcher(bundled)

    everyone = matcher.rank_item(entry, 1)
    capped = matcher.rank_item(entry, 1, top=len(bundled.providers) + 10)

    others = [
        provider_id
        for provider_id, provider in bundled.providers.items()
        if provider.record.iso3 != entry.record.iso3
    ]

    assert capped == everyone
    assert len(everyone.matches) == len(others)


# --- Ties, offers and a catalog without providers ----------------------------------

_REQUEST = """\
state: Nauru
iso3: NRU
received: "2026-01-15"
language: en
items:
  - summary: "Drafting a law on twin customs courses."
    areas: [op2-legislation]
    weapons: [chemical]
"""

_TWIN_PROGRAMME = """\
  - name: Twin course {label}
    summary: Drafting help for laws on chemical weapons.
    areas: [op2-legislation]
    weapons: [chemical]
    types: [legal-drafting]
"""

_OTHER_PROGRAMME = """\
  - name: Unrelated course {label}
    summary: Radiation detection equipment for seaports.
    areas: [op3c-border-law-enforcement]
    weapons: [nuclear]
    types: [equipment]
"""


def _provider(programmes: list[str]) -> str:
    head = textwrap.dedent(
        """\
        name: Twin Foundation
        kind: other
        areas: [op2-legislation]
        weapons: [chemical, biological, nuclear]
        types: [legal-drafting]
        programmes:
        """
    )
    return head + "".join(programmes)


def _twin_repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    shutil.copy(PROJECT_ROOT / "assist1540.toml", root / "assist1540.toml")
    for path in (root / "data" / "requests").iterdir():
        path.unlink()
    for path in (root / "data" / "offers").iterdir():
        path.unlink()

    (root / "data" / "requests" / "nru-2026-01-15.yaml").write_text(
        _REQUEST, encoding="utf-8"
    )

    providers = root / "data" / "providers"
    # Equal scores: "aa-twin" has fewer candidates, so it is stored after
    # "zz-twin", but must still rank first by id.
    (providers / "aa-twin.yaml").write_text(
        _provider([_TWIN_PROGRAMME.format(label="one")]), encoding="utf-8"
    )
    (providers / "zz-twin.yaml").write_text(
        _provider(
            [
                _TWIN_PROGRAMME.format(label="one"),
                _OTHER_PROGRAMME.format(label="one"),
                _OTHER_PROGRAMME.format(label="two"),
            ]
        ),
        encoding="utf-8",
    )

    # Two programmes with equal scores: the first one listed is shown.
    (providers / "mm-twin.yaml").write_text(
        _provider(
            [_TWIN_PROGRAMME.format(label="one"), _TWIN_PROGRAMME.format(label="two")]
        ),
        encoding="utf-8",
    )
    return root


def _load(root: Path) -> Catalog:
    catalog = load_catalog(DataRepository.find(root))
    assert catalog.problems == []
    return catalog


def _scores(ranking: ItemMatches) -> dict[str, float]:
    return {match.provider: match.score for match in ranking.matches}


def test_equal_scores_rank_in_id_order(tmp_path: Path) -> None:
    catalog = _load(_twin_repository(tmp_path))
    ranking = Matcher(catalog).rank_item(catalog.requests["nru-2026-01-15"], 1)
    providers = [match.provider for match in ranking.matches]
    scores = _scores(ranking)

    assert scores["aa-twin"] == scores["zz-twin"]
    assert providers.index("aa-twin") < providers.index("zz-twin")


def test_equal_programmes_show_first(tmp_path: Path) -> None:
    catalog = _load(_twin_repository(tmp_path))
    ranking = Matcher(catalog).rank_item(catalog.requests["nru-2026-01-15"], 1)
    match = next(match for match in ranking.matches if match.provider == "mm-twin")

    assert match.programme == "Twin course one"
    assert "1 more programme in these areas" in match.reasons


def test_offer_on_file_ranks_first(tmp_path: Path) -> None:
    root = _twin_repository(tmp_path)
    (root / "data" / "offers" / "nru-2026-01-15-zz-twin.yaml").write_text(
        textwrap.dedent(
            """\
            request: nru-2026-01-15
            provider: zz-twin
            programme: Unrelated course two
            received: "2026-02-01"
            summary: Drafting help.
            """
        ),
        encoding="utf-8",
    )
    catalog = _load(root)
    before = _scores(
        Matcher(_load(_twin_repository(tmp_path / "plain"))).rank_item(
            catalog.requests["nru-2026-01-15"], 1
        )
    )
    ranking = Matcher(catalog).rank_item(catalog.requests["nru-2026-01-15"], 1)
    first = ranking.matches[0]

    assert first.provider == "zz-twin"
    assert first.offer == "nru-2026-01-15-zz-twin"
    assert first.programme == "Unrelated course two"
    assert "offer nru-2026-01-15-zz-twin on file (received)" in first.reasons
    assert first.score == pytest.approx(before["zz-twin"] + 10.0)


def test_no_providers_gives_no_matches(tmp_path: Path) -> None:
    root = _twin_repository(tmp_path)
    for path in (root / "data" / "providers").iterdir():
        path.unlink()
    catalog = _load(root)

    rankings = Matcher(catalog).rank_items(
        [(catalog.requests["nru-2026-01-15"], 1)], top=5
    )

    assert [ranking.matches for ranking in rankings] == [()]


# --- JSON in pieces ------------------------------------------------------------------


def test_json_pieces_equal_one_dump(bundled: Catalog) -> None:
    rankings = Matcher(bundled).rank_items(_all_items(bundled), top=3)
    expected = json.dumps(
        matching_report.rankings_json(rankings), ensure_ascii=False, indent=2
    )

    pieces = list(matching_report.rankings_json_pieces(rankings))

    assert "\n".join(pieces) == expected
    assert len(pieces) == len(rankings) + 2


def test_json_pieces_of_awkward_values() -> None:
    matches = (
        Match("p-1", "P", None, 0.1 + 0.2, ()),
        Match("p-2", "P", 'Say "hi"\n\\ \u00e9\u4e2d \u2028 \x00', 3.0, ("a", "")),
        Match("p-3", "P", "", 1e-07, ("tab\there",)),
    )
    tags = ItemTags(frozenset(), frozenset(), frozenset())
    rankings = [
        ItemMatches("req-1", 1, "Summary", tags, matches),
        ItemMatches("req-2", 12, "Summary", tags, ()),
    ]
    expected = json.dumps(
        matching_report.rankings_json(rankings), ensure_ascii=False, indent=2
    )

    pieces = list(matching_report.rankings_json_pieces(rankings))

    assert "\n".join(pieces) == expected


def test_json_pieces_of_no_rankings() -> None:
    assert list(matching_report.rankings_json_pieces([])) == ["[]"]
    assert json.dumps([], indent=2) == "[]"


def test_forked_ranking_equals_serial(
    bundled: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _all_items(bundled)
    monkeypatch.setattr(matching, "MIN_PARALLEL_BATCHES", 10**9)
    serial = Matcher(bundled).rank_items(items, top=5)
    monkeypatch.setattr(matching, "MIN_PARALLEL_BATCHES", 2)
    forked = Matcher(bundled).rank_items(items, top=5)

    assert forked == serial
    assert [(ranking.request, ranking.item) for ranking in forked] == [
        (entry.id, number) for entry, number in items
    ]
