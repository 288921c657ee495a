"""Arrays over every candidate (programme, or provider as a whole) for fast ranking.

The scoring rules live in `matching`. This module keeps what they need as numpy
arrays built once per catalog, so ranking one item costs a few vector
operations over all candidates instead of a Python loop per candidate.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pycountry

from assist1540.catalog import Catalog
from assist1540.models import Provider
from assist1540.regions import covers
from assist1540.tagging import TAG_KINDS
from assist1540.text import stems, words

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

BM25_K1 = 1.2
BM25_B = 0.75


@dataclass(frozen=True)
class Candidate:
    """A programme, or a provider as a whole when `programme` is None."""

    provider_id: str
    provider: Provider
    programme: str | None
    tags: dict[str, frozenset[str]]
    regions: tuple[str, ...]
    terms: frozenset[str]


@dataclass(frozen=True)
class RegionFit:
    """The fit of a candidate's regions to one State: a bonus or a factor, and why."""

    bonus: float = 0.0
    factor: float = 1.0
    reason: str | None = None


@dataclass
class CandidateIndex:
    """Candidates in provider order, with their tags, text and regions as arrays."""

    candidates: list[Candidate]
    provider_ids: list[str]
    owner: IntArray
    group_starts: IntArray
    is_programme: BoolArray
    term_ids: dict[str, list[str]]
    has_term: dict[str, BoolArray]
    term_weights: dict[tuple[str, str], float]
    weighted_terms: dict[str, FloatArray]
    weapon_bits: IntArray
    provider_weapon_bits: IntArray
    provider_iso3: list[str | None]
    provider_kind: list[str]
    region_groups: dict[tuple[str, ...], IntArray]
    postings: dict[str, tuple[IntArray, FloatArray]]
    acronyms: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    longest_name: int = 0
    _region_cache: dict[tuple[tuple[str, ...], str], RegionFit] = field(
        default_factory=dict
    )
    _region_arrays: dict[str, tuple[FloatArray, FloatArray]] = field(
        default_factory=dict
    )

    @property
    def size(self) -> int:
        return len(self.candidates)

    @cached_property
    def provider_position(self) -> dict[str, int]:
        return {
            provider_id: index for index, provider_id in enumerate(self.provider_ids)
        }

    @cached_property
    def area_counts(self) -> IntArray:
        counts: IntArray = self.has_term["areas"].sum(axis=1)
        return counts

    @cached_property
    def provider_iso3_array(self) -> npt.NDArray[np.object_]:
        return np.array(self.provider_iso3, dtype=object)

    @cached_property
    def provider_kind_array(self) -> npt.NDArray[np.str_]:
        return np.array(self.provider_kind)

    @cached_property
    def provider_weapon_count(self) -> IntArray:
        return np.array(
            [bin(int(bits)).count("1") for bits in self.provider_weapon_bits],
            dtype=np.int64,
        )

    def weapon_mask(self, weapons: Iterable[str]) -> int:
        return _bits(self.term_ids["weapons"], weapons)

    def term_vector(self, kind: str, term_ids: Iterable[str]) -> FloatArray:
        vector = np.zeros(len(self.term_ids[kind]))
        for term_id in term_ids:
            if term_id in self.term_ids[kind]:
                vector[self.term_ids[kind].index(term_id)] = 1.0
        return vector

    def bm25(self, query: Sequence[str]) -> FloatArray:
        """Score every candidate's text for the distinct stems of `query`."""
        scores = np.zeros(self.size)
        for term in dict.fromkeys(query):
            posting = self.postings.get(term)
            if posting is not None:
                scores[posting[0]] += posting[1]
        return scores

    def region_fits(
        self, iso3: str, bonus: float, region_factor: float, country_factor: float
    ) -> tuple[FloatArray, FloatArray]:
        """Return each candidate's region bonus and factor for the State `iso3`."""
        cached = self._region_arrays.get(iso3)
        if cached is not None:
            return cached
        bonuses = np.zeros(self.size)
        factors = np.ones(self.size)
        for regions, members in self.region_groups.items():
            fit = self.region_fit(regions, iso3, bonus, region_factor, country_factor)
            bonuses[members] = fit.bonus
            factors[members] = fit.factor
        self._region_arrays[iso3] = (bonuses, factors)
        return bonuses, factors

    def region_fit(
        self,
        regions: tuple[str, ...],
        iso3: str,
        bonus: float,
        region_factor: float,
        country_factor: float,
    ) -> RegionFit:
        key = (regions, iso3)
        cached = self._region_cache.get(key)
        if cached is None:
            cached = _region_fit(regions, iso3, bonus, region_factor, country_factor)
            self._region_cache[key] = cached
        return cached

    def mentions(self, text: str) -> dict[str, str]:
        """Find providers named in `text` by acronym (case-sensitive) or full name."""
        found: dict[str, str] = {}
        tokens = set(_acronym_tokens(text))
        for token in sorted(tokens):
            for provider_id in self.acronyms.get(token, ()):
                found.setdefault(provider_id, token)
        lowered = words(text)
        for start in range(len(lowered)):
            for end in range(
                start + 1, min(len(lowered), start + self.longest_name) + 1
            ):
                phrase = " ".join(lowered[start:end])
                for provider_id in self.names.get(phrase, ()):
                    found[provider_id] = self._provider_name(provider_id)
        return dict(sorted(found.items()))

    def _provider_name(self, provider_id: str) -> str:
        index = self.provider_position[provider_id]
        start = int(self.group_starts[index])
        return self.candidates[start].provider.name


def build_index(catalog: Catalog) -> CandidateIndex:
    """Build the arrays for every programme and provider of `catalog`."""
    candidates: list[Candidate] = []
    documents: list[list[str]] = []
    owner: list[int] = []
    group_starts: list[int] = []
    provider_ids = sorted(catalog.providers)

    for provider_index, provider_id in enumerate(provider_ids):
        provider = catalog.providers[provider_id].record
        group_starts.append(len(candidates))
        for programme in provider.programmes:
            document = stems(f"{programme.name} {programme.summary}", "en")
            documents.append(document)
            candidates.append(
                Candidate(
                    provider_id,
                    provider,
                    programme.name,
                    _tags(programme),
                    tuple(programme.regions or provider.regions),
                    frozenset(document),
                )
            )
            owner.append(provider_index)
        overview = f"{provider.name} {provider.short_name or ''} {provider.notes or ''}"
        document = stems(overview, "en")
        documents.append(document)
        candidates.append(
            Candidate(
                provider_id,
                provider,
                None,
                _tags(provider),
                tuple(provider.regions),
                frozenset(document),
            )
        )
        owner.append(provider_index)

    term_ids = _term_ids(catalog, candidates)
    has_term = {
        kind: np.array(
            [
                [term in candidate.tags[kind] for term in term_ids[kind]]
                for candidate in candidates
            ],
            dtype=bool,
        ).reshape(len(candidates), len(term_ids[kind]))
        for kind in TAG_KINDS
    }
    term_weights = _term_weights(candidates)
    weighted_terms = {
        kind: has_term[kind]
        * np.array([term_weights.get((kind, term), 1.0) for term in term_ids[kind]])
        for kind in TAG_KINDS
    }
    providers = [catalog.providers[provider_id].record for provider_id in provider_ids]

    index = CandidateIndex(
        candidates=candidates,
        provider_ids=provider_ids,
        owner=np.array(owner, dtype=np.int64),
        group_starts=np.array(group_starts, dtype=np.int64),
        is_programme=np.array(
            [c.programme is not None for c in candidates], dtype=bool
        ),
        term_ids=term_ids,
        has_term=has_term,
        term_weights=term_weights,
        weighted_terms=weighted_terms,
        weapon_bits=np.array(
            [_bits(term_ids["weapons"], c.tags["weapons"]) for c in candidates],
            dtype=np.int64,
        ),
        provider_weapon_bits=np.array(
            [_bits(term_ids["weapons"], p.weapons) for p in providers], dtype=np.int64
        ),
        provider_iso3=[p.iso3 for p in providers],
        provider_kind=[p.kind for p in providers],
        postings=_postings(documents),
        region_groups=_region_groups(candidates),
    )
    _index_names(index, provider_ids, providers)
    return index


def _region_groups(candidates: list[Candidate]) -> dict[tuple[str, ...], IntArray]:
    """Group candidates by their list of regions, which many of them share."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for position, candidate in enumerate(candidates):
        if candidate.regions:
            groups.setdefault(candidate.regions, []).append(position)
    return {
        regions: np.array(members, dtype=np.int64)
        for regions, members in groups.items()
    }


def _tags(tagged: object) -> dict[str, frozenset[str]]:
    return {kind: frozenset(getattr(tagged, kind)) for kind in TAG_KINDS}


def _term_ids(catalog: Catalog, candidates: list[Candidate]) -> dict[str, list[str]]:
    """List the terms of each kind: the taxonomy's, then any others in use."""
    term_ids: dict[str, list[str]] = {}
    for kind in TAG_KINDS:
        known = list(catalog.taxonomy.ids(kind)) if catalog.taxonomy else []
        used = sorted({term for c in candidates for term in c.tags[kind]} - set(known))
        term_ids[kind] = known + used
    return term_ids


def _term_weights(candidates: Iterable[Candidate]) -> dict[tuple[str, str], float]:
    """Weight each term by its rarity among candidates, with a mean of 1 per kind."""
    pool = list(candidates)
    weights: dict[tuple[str, str], float] = {}
    for kind in TAG_KINDS:
        counts: Counter[str] = Counter()
        for candidate in pool:
            counts.update(candidate.tags[kind])
        if not counts:
            continue
        raw = {term: math.log(1 + len(pool) / found) for term, found in counts.items()}
        mean = sum(raw.values()) / len(raw)
        for term, value in raw.items():
            weights[(kind, term)] = value / mean
    return weights


def _postings(documents: list[list[str]]) -> dict[str, tuple[IntArray, FloatArray]]:
    """Build Okapi BM25 postings: for each stem, the documents and their weights."""
    count = len(documents)
    lengths = np.array([len(document) for document in documents], dtype=np.float64)
    average = float(lengths.mean()) if count else 0.0
    frequencies: dict[str, list[tuple[int, int]]] = {}
    for index, document in enumerate(documents):
        for term, frequency in Counter(document).items():
            frequencies.setdefault(term, []).append((index, frequency))

    postings: dict[str, tuple[IntArray, FloatArray]] = {}
    for term, entries in frequencies.items():
        found = len(entries)
        idf = math.log(1 + (count - found + 0.5) / (found + 0.5))
        ids = np.array([index for index, _ in entries], dtype=np.int64)
        tf = np.array([frequency for _, frequency in entries], dtype=np.float64)
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[ids] / (average or 1.0))
        postings[term] = (ids, idf * tf * (BM25_K1 + 1) / (tf + norm))
    return postings


def _bits(terms: list[str], chosen: Iterable[str]) -> int:
    mask = 0
    for term in chosen:
        if term in terms:
            mask |= 1 << terms.index(term)
    return mask


def _region_fit(
    regions: tuple[str, ...],
    iso3: str,
    bonus: float,
    region_factor: float,
    country_factor: float,
) -> RegionFit:
    if not regions:
        return RegionFit()
    verdicts = [covers(name, iso3) for name in regions]
    served = [name for name, verdict in zip(regions, verdicts, strict=True) if verdict]
    if served:
        if any(name.lower() in ("global", "worldwide") for name in served):
            return RegionFit()
        return RegionFit(bonus=bonus, reason="serves " + ", ".join(served))
    if any(verdict is None for verdict in verdicts):
        return RegionFit()
    listed = ", ".join(regions[:4])
    if all(_is_country(name) for name in regions):
        return RegionFit(
            factor=country_factor, reason=f"held for other States: {listed}"
        )
    return RegionFit(factor=region_factor, reason=f"serves other regions: {listed}")


def _is_country(name: str) -> bool:
    try:
        pycountry.countries.lookup(name)
    except LookupError:
        return False
    return True


def _acronym_tokens(text: str) -> list[str]:
    import re

    return re.findall(r"[A-Za-z]+", text)


def _index_names(
    index: CandidateIndex, provider_ids: list[str], providers: list[Provider]
) -> None:
    import re

    for provider_id, provider in zip(provider_ids, providers, strict=True):
        for acronym in re.findall(r"[A-Z][A-Za-z]*[A-Z]", provider.short_name or ""):
            index.acronyms.setdefault(acronym, []).append(provider_id)
        if provider.kind != "state":
            name_words = words(provider.name)
            index.names.setdefault(" ".join(name_words), []).append(provider_id)
            index.longest_name = max(index.longest_name, len(name_words))
