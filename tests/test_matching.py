"""Ranking quality on the bundled real data, with and without the items' tags."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from assist1540.catalog import Catalog, Entry, load_catalog
from assist1540.matching import Matcher
from assist1540.models import Provider, Request
from assist1540.repository import DataRepository
from ranking_expectations import EXPECTED_PROVIDERS

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    catalog = load_catalog(DataRepository.find(PROJECT_ROOT))
    assert catalog.problems == []
    return catalog


@pytest.fixture(scope="module")
def matcher(bundled: Catalog) -> Matcher:
    return Matcher(bundled)


def _baseline_ranking(
    catalog: Catalog, entry: Entry[Request], number: int
) -> list[str]:
    """Rank by plain tag overlap: 3 per area, 2 per weapon, 1 per type."""
    item = entry.record.items[number - 1]
    scores = {}
    for provider_id, provider_entry in catalog.providers.items():
        provider: Provider = provider_entry.record
        scores[provider_id] = max(
            3 * len(set(item.areas) & set(part.areas))
            + 2 * len(set(item.weapons) & set(part.weapons))
            + len(set(item.types) & set(part.types))
            for part in [provider, *provider.programmes]
        )
    return [
        provider_id
        for provider_id, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))
    ]


def _hit_rates(rank: object) -> tuple[float, float, float]:
    first = top3 = precision = 0.0
    for (request_id, number), expected in EXPECTED_PROVIDERS.items():
        ranked = rank(request_id, number)[:3]  # type: ignore[operator]
        first += ranked[0] in expected
        top3 += any(provider in expected for provider in ranked)
        precision += sum(provider in expected for provider in ranked) / 3
    count = len(EXPECTED_PROVIDERS)
    return first / count, top3 / count, precision / count


def test_expectations_cover_every_tagged_item(bundled: Catalog) -> None:
    tagged = {
        (request_id, number)
        for request_id, entry in bundled.requests.items()
        for number, item in enumerate(entry.record.items, start=1)
        if item.areas
    }

    assert set(EXPECTED_PROVIDERS) == tagged


@pytest.mark.parametrize("use_tags", [True, False], ids=["tags", "text-only"])
def test_ranking_beats_tag_overlap(
    bundled: Catalog, matcher: Matcher, use_tags: bool
) -> None:
    def ours(request_id: str, number: int) -> list[str]:
        ranking = matcher.rank_item(
            bundled.requests[request_id], number, use_tags=use_tags
        )
        return [match.provider for match in ranking.matches]

    def baseline(request_id: str, number: int) -> list[str]:
        return _baseline_ranking(bundled, bundled.requests[request_id], number)

    first, top3, precision = _hit_rates(ours)
    base_first, base_top3, base_precision = _hit_rates(baseline)

    assert first >= base_first + 0.15
    assert top3 >= base_top3
    assert precision >= base_precision + 0.05


def test_ranking_with_tags_hit_rates(bundled: Catalog, matcher: Matcher) -> None:
    first, top3, precision = _hit_rates(
        lambda request_id, number: [
            m.provider
            for m in matcher.rank_item(bundled.requests[request_id], number).matches
        ]
    )

    assert first >= 0.8
    assert top3 >= 0.9
    assert precision >= 0.6


def test_ranking_without_tags_hit_rates(bundled: Catalog, matcher: Matcher) -> None:
    first, top3, precision = _hit_rates(
        lambda request_id, number: [
            m.provider
            for m in matcher.rank_item(
                bundled.requests[request_id], number, use_tags=False
            ).matches
        ]
    )

    assert first >= 0.75
    assert top3 >= 0.9
    assert precision >= 0.55


def test_ranking_is_deterministic(bundled: Catalog) -> None:
    first = Matcher(bundled).rank_item(bundled.requests["mex-2006"], 1)
    second = Matcher(bundled).rank_item(bundled.requests["mex-2006"], 1)

    assert first == second


def test_requesting_state_never_ranked(bundled: Catalog, matcher: Matcher) -> None:
    for entry in bundled.requests.values():
        for number in range(1, len(entry.record.items) + 1):
            ranking = matcher.rank_item(entry, number)
            iso3_codes = {
                bundled.providers[match.provider].record.iso3
                for match in ranking.matches
            }
            assert entry.record.iso3 not in iso3_codes


# --- Items written for these tests, ranked against the real providers ------------

_SUBJECT_CASES = [
    # (language, summary, areas, weapons, expected provider among the first three)
    (
        "en",
        "Physical protection of nuclear material at a research reactor.",
        ["op3b-physical-protection"],
        ["nuclear"],
        "iaea",
    ),
    (
        "en",
        "Draft national legislation implementing the Chemical Weapons Convention.",
        ["op2-legislation"],
        ["chemical"],
        "opcw",
    ),
    (
        "en",
        "Biosafety and biosecurity of pathogen collections in veterinary labs.",
        ["op3a-accounting-securing", "laboratory-capacity"],
        ["biological"],
        "woah",
    ),
    (
        "en",
        "Controls on exports of missile technology and components.",
        ["op3d-export-control"],
        ["delivery-means"],
        "mtcr",
    ),
    (
        "fr",
        "Protection physique des matières nucléaires dans une installation.",
        ["op3b-physical-protection"],
        ["nuclear"],
        "iaea",
    ),
    (
        "es",
        "Legislación nacional para aplicar la Convención sobre las Armas Químicas.",
        ["op2-legislation"],
        ["chemical"],
        "opcw",
    ),
]

# (language, summary, providers of which at least one is expected in the first three)
_UNTAGGED_CASES = [
    ("en", "Physical protection of nuclear material and facilities.", {"iaea"}),
    (
        "fr",
        "Protection physique des matières nucléaires et des installations.",
        {"iaea"},
    ),
    (
        "es",
        "Legislación penal sobre armas químicas y la autoridad nacional "
        "de la Convención.",
        {"opcw"},
    ),
    (
        "en",
        "Customs detection of chemical weapons precursors at borders.",
        {"wco", "united-states", "european-union"},
    ),
]


def _write_request(
    root: Path, language: str, summary: str, areas: list[str], weapons: list[str]
) -> None:
    text = textwrap.dedent(
        f"""\
        state: Nauru
        iso3: NRU
        received: "2026-01-15"
        language: {language}
        items:
          - summary: "{summary}"
            areas: [{", ".join(areas)}]
            weapons: [{", ".join(weapons)}]
        """
    )
    (root / "data" / "requests" / "nru-2026-01-15.yaml").write_text(
        text, encoding="utf-8"
    )


def _repository_with_request(
    tmp_path: Path, language: str, summary: str, areas: list[str], weapons: list[str]
) -> Catalog:
    root = tmp_path / "repo"
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    shutil.copy(PROJECT_ROOT / "assist1540.toml", root / "assist1540.toml")
    for path in (root / "data" / "requests").iterdir():
        path.unlink()
    _write_request(root, language, summary, areas, weapons)
    catalog = load_catalog(DataRepository.find(root))
    assert catalog.problems == []
    return catalog


@pytest.mark.parametrize(
    ("language", "summary", "areas", "weapons", "expected"), _SUBJECT_CASES
)
def test_subject_ranks_expert_choice(
    tmp_path: Path,
    language: str,
    summary: str,
    areas: list[str],
    weapons: list[str],
    expected: str,
) -> None:
    catalog = _repository_with_request(tmp_path, language, summary, areas, weapons)
    ranking = Matcher(catalog).rank_item(catalog.requests["nru-2026-01-15"], 1)

    assert expected in [match.provider for match in ranking.matches[:3]]


@pytest.mark.parametrize(("language", "summary", "expected"), _UNTAGGED_CASES)
def test_untagged_item_ranks_expert_choice(
    tmp_path: Path, language: str, summary: str, expected: set[str]
) -> None:
    catalog = _repository_with_request(tmp_path, language, summary, [], [])
    ranking = Matcher(catalog).rank_item(catalog.requests["nru-2026-01-15"], 1)

    assert ranking.tags.inferred != ()
    assert expected & {match.provider for match in ranking.matches[:3]}


def test_inferred_tag_reason_names_keyword(tmp_path: Path) -> None:
    catalog = _repository_with_request(
        tmp_path, "fr", "Formation des douaniers à la détection.", [], []
    )
    ranking = Matcher(catalog).rank_item(catalog.requests["nru-2026-01-15"], 1)
    reasons = " ".join(ranking.matches[0].reasons)

    assert "op3c-border-law-enforcement" in ranking.tags.areas
    assert "inferred from 'douane" in reasons or "inferred from 'détection'" in reasons
