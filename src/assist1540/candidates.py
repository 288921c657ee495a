"""Arrays over every candidate (programme, or provider as a whole) for fast ranking.

The scoring rules live in `matching`. This module keeps what they need as numpy
arrays built once per catalog, so ranking one item costs a few vector
operations over all candidates instead of a Python loop per candidate.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import numpy.typing as npt
import pycountry

from assist1540.catalog import Catalog
from assist1540.models import Programme, Provider
from assist1540.regions import covers
from assist1540.tagging import TAG_KINDS
from assist1540.text import stem_text, stems, words

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

BM25_K1 = 1.2
BM25_B = 0.75
# States whose region arrays (two float64 per candidate) stay cached.
REGION_ARRAYS_KEPT = 8


@dataclass(frozen=True)
class Candidate:
    """A programme, or a provider as a whole when `programme` is None.

    `source` is the record the tags and text come from: the programme, or the
    provider itself. Tags and text are read from it on each access, because
    keeping them per candidate costs tens of MB at scale.
    """

    provider_id: str
    provider: Provider
    source: Programme | Provider
    regions: tuple[str, ...]

    @property
    def programme(self) -> str | None:
        if isinstance(self.source, Programme):
            return self.source.name
        return None

    @property
    def tags(self) -> dict[str, frozenset[str]]:
        return _tags(self.source)

    @property
    def document(self) -> str:
        """Text that BM25 scores: a programme's name and summary, or a
        provider's names and notes."""
        if isinstance(self.source, Programme):
            return f"{self.source.name} {self.source.summary}"
        provider = self.provider
        return f"{provider.name} {provider.short_name or ''} {provider.notes or ''}"


@dataclass(frozen=True)
class RegionFit:
    """The fit of a candidate's regions to one State: a bonus or a factor, and why."""

    bonus: float = 0.0
    factor: float = 1.0
    reason: str | None = None


@dataclass
class CandidateIndex:
    """Candidates by slot, with their tags, text and regions as arrays.

    The candidates of a provider are its programmes in file order, then the
    provider as a whole. They are stored slot by slot: the first candidate of
    every provider, then the second of every provider that has one, and so on.
    Providers are ordered by their number of candidates, most first, so the
    providers with a k-th candidate are the first `slot_sizes[k]`, and the
    k-th candidate of provider p is at `slot_starts[k] + p`. Finding each
    provider's best candidate then takes a few passes over contiguous slices.
    """

    candidates: list[Candidate]
    # In the index's order; `provider_rank` gives each one's place in id order.
    provider_ids: list[str]
    provider_rank: IntArray
    slot_starts: list[int]
    slot_sizes: list[int]
    is_programme: BoolArray
    term_ids: dict[str, list[str]]
    # Per kind, a (terms x candidates) array: one row per term, so the rows
    # of an item's few terms can be read without a matrix product.
    has_term: dict[str, BoolArray]
    term_weights: dict[tuple[str, str], float]
    weighted_terms: dict[str, FloatArray]
    weapon_bits: IntArray
    provider_weapon_bits: IntArray
    provider_iso3: list[str | None]
    provider_kind: list[str]
    # Candidates share few distinct lists of regions. `regional` contains the
    # positions of the candidates with regions, and `regional_group` the
    # index in `region_lists` of each one's list.
    region_lists: list[tuple[str, ...]]
    regional: IntArray
    regional_group: IntArray
    postings: dict[str, tuple[IntArray, FloatArray]]
    acronyms: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    longest_name: int = 0
    # The first word of each name in `names`: a phrase can only match a name
    # where one of these words starts it.
    name_first_words: set[str] = field(default_factory=set)
    _region_cache: dict[tuple[tuple[str, ...], str], RegionFit] = field(
        default_factory=dict
    )
    _region_arrays: dict[str, tuple[FloatArray, FloatArray]] = field(
        default_factory=dict
    )
    _term_positions: dict[str, dict[str, int]] = field(default_factory=dict)
    _weapon_factors: dict[tuple[int, float], FloatArray] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.candidates)

    @cached_property
    def provider_position(self) -> dict[str, int]:
        return {
            provider_id: index for index, provider_id in enumerate(self.provider_ids)
        }

    @cached_property
    def overviews(self) -> IntArray:
        """Positions of the candidates that are providers as a whole."""
        positions: IntArray = np.flatnonzero(~self.is_programme)
        return positions

    @cached_property
    def area_counts(self) -> IntArray:
        counts: IntArray = self.has_term["areas"].sum(axis=0)
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

    def term_rows(self, kind: str, term_ids: Iterable[str]) -> list[int]:
        """Return the rows of the known terms among `term_ids`, in ascending order."""
        positions = self._term_positions.get(kind)
        if positions is None:
            positions = {term: i for i, term in enumerate(self.term_ids[kind])}
            self._term_positions[kind] = positions
        return sorted(positions[term] for term in term_ids if term in positions)

    def tag_scores(self, kind: str, term_ids: Iterable[str]) -> FloatArray | None:
        """Return each candidate's summed weights of the terms, or None for none.

        The rows are added in ascending term order.
        """
        rows = self.term_rows(kind, term_ids)
        if not rows:
            return None
        if len(rows) == 1:
            # A view: the caller must not write to it.
            row: FloatArray = self.weighted_terms[kind][rows[0]]
            return row
        scores: FloatArray = self.weighted_terms[kind][rows].sum(axis=0)
        return scores

    def has_any_term(self, kind: str, term_ids: Iterable[str]) -> BoolArray:
        """Return True for each candidate that has at least one of the terms."""
        rows = self.term_rows(kind, term_ids)
        found: BoolArray = np.any(self.has_term[kind][rows], axis=0)
        return found

    def weapon_factors(self, weapon_mask: int, factor: float) -> FloatArray | None:
        """Return `factor` for each candidate whose weapon categories all differ
        from the mask's and 1.0 for the others, or None for an empty mask."""
        if not weapon_mask:
            return None
        cached = self._weapon_factors.get((weapon_mask, factor))
        if cached is None:
            mismatch = (self.weapon_bits != 0) & ((self.weapon_bits & weapon_mask) == 0)
            cached = np.where(mismatch, factor, 1.0)
            self._weapon_factors[(weapon_mask, factor)] = cached
        return cached

    def bm25(self, queries: Sequence[Sequence[str]]) -> FloatArray:
        """Score every candidate's text for the distinct stems of each query.

        Returns one row per query. Each score adds the query's stems in their
        order, as adding one posting at a time would.
        """
        scores = np.zeros((len(queries), self.size))
        for row, query in enumerate(queries):
            postings = [
                self.postings[term]
                for term in dict.fromkeys(query)
                if term in self.postings
            ]
            if postings:
                # np.bincount adds the weights in input order, per candidate.
                # One row at a time keeps its output small enough for the
                # CPU cache: at 100 times the bundled data this measured about
                # twice as fast as one call for the whole batch.
                scores[row] = np.bincount(
                    np.concatenate([ids for ids, _ in postings]),
                    weights=np.concatenate([weights for _, weights in postings]),
                    minlength=self.size,
                )
        return scores

    def region_fits(
        self, iso3: str, bonus: float, region_factor: float, country_factor: float
    ) -> tuple[FloatArray, FloatArray]:
        """Return each candidate's region bonus and factor for the State `iso3`.

        Candidates without regions get no bonus and a factor of 1. The arrays
        of the last few States are kept, because items come in request order
        and each State's requests are adjacent.
        """
        cached = self._region_arrays.get(iso3)
        if cached is not None:
            return cached
        fits = [
            self.region_fit(regions, iso3, bonus, region_factor, country_factor)
            for regions in self.region_lists
        ]
        bonuses = np.zeros(self.size)
        factors = np.ones(self.size)
        bonuses[self.regional] = np.array([fit.bonus for fit in fits])[
            self.regional_group
        ]
        factors[self.regional] = np.array([fit.factor for fit in fits])[
            self.regional_group
        ]
        if len(self._region_arrays) >= REGION_ARRAYS_KEPT:
            del self._region_arrays[next(iter(self._region_arrays))]
        self._region_arrays[iso3] = (bonuses, factors)
        return bonuses, factors

    def provider_candidates(self, provider_id: str) -> list[int]:
        """Return the positions of the provider's candidates, in slot order."""
        provider = self.provider_position[provider_id]
        return [
            start + provider
            for start, size in zip(self.slot_starts, self.slot_sizes, strict=True)
            if provider < size
        ]

    def document_terms(self, position: int) -> frozenset[str]:
        """Return the stems of the candidate's text, as BM25 indexed them."""
        return frozenset(stems(self.candidates[position].document, "en"))

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
            if lowered[start] not in self.name_first_words:
                continue
            for end in range(
                start + 1, min(len(lowered), start + self.longest_name) + 1
            ):
                phrase = " ".join(lowered[start:end])
                for provider_id in self.names.get(phrase, ()):
                    found[provider_id] = self._provider_name(provider_id)
        return dict(sorted(found.items()))

    def _provider_name(self, provider_id: str) -> str:
        # The first slot starts at 0, so a provider's first candidate is at
        # its own position.
        return self.candidates[self.provider_position[provider_id]].provider.name


def build_index(catalog: Catalog) -> CandidateIndex:
    """Build the arrays for every programme and provider of `catalog`."""
    alphabetical = sorted(catalog.providers)
    sizes = [len(catalog.providers[i].record.programmes) + 1 for i in alphabetical]
    # A stable sort, so providers with as many candidates stay in id order.
    order = sorted(range(len(alphabetical)), key=lambda rank: -sizes[rank])
    provider_ids = [alphabetical[rank] for rank in order]
    providers = [catalog.providers[provider_id].record for provider_id in provider_ids]

    candidates, slot_starts, slot_sizes = _candidates_by_slot(provider_ids, providers)

    term_ids = _term_ids(catalog, candidates)
    has_term = {kind: _has_term(candidates, kind, term_ids[kind]) for kind in TAG_KINDS}
    term_weights = _term_weights(term_ids, has_term)
    weighted_terms = {
        kind: has_term[kind]
        * np.array([term_weights.get((kind, term), 1.0) for term in term_ids[kind]])[
            :, np.newaxis
        ]
        for kind in TAG_KINDS
    }
    region_lists, regional, regional_group = _region_groups(candidates)

    index = CandidateIndex(
        candidates=candidates,
        provider_ids=provider_ids,
        provider_rank=np.array(order, dtype=np.int64),
        slot_starts=slot_starts,
        slot_sizes=slot_sizes,
        is_programme=np.array(
            [c.programme is not None for c in candidates], dtype=bool
        ),
        term_ids=term_ids,
        has_term=has_term,
        term_weights=term_weights,
        weighted_terms=weighted_terms,
        weapon_bits=_weapon_bits(has_term["weapons"]),
        provider_weapon_bits=np.array(
            [_bits(term_ids["weapons"], p.weapons) for p in providers], dtype=np.int64
        ),
        provider_iso3=[p.iso3 for p in providers],
        provider_kind=[p.kind for p in providers],
        # Stemming without the cache: each document is stemmed once here, and
        # again only when a reason lists the words it shares with an item.
        postings=_postings(
            stem_text(candidate.document, "en") for candidate in candidates
        ),
        region_lists=region_lists,
        regional=regional,
        regional_group=regional_group,
    )
    _index_names(
        index, alphabetical, [catalog.providers[i].record for i in alphabetical]
    )
    return index


def _candidates_by_slot(
    provider_ids: list[str], providers: list[Provider]
) -> tuple[list[Candidate], list[int], list[int]]:
    """Lay out the candidates slot by slot, as `CandidateIndex` describes.

    `providers` must be ordered by their number of candidates, most first.
    Returns the candidates, and the start and size of each slot.
    """
    candidates: list[Candidate] = []
    slot_starts: list[int] = []
    slot_sizes: list[int] = []
    slots = max((len(provider.programmes) + 1 for provider in providers), default=0)
    for slot in range(slots):
        slot_starts.append(len(candidates))
        for provider_id, provider in zip(provider_ids, providers, strict=True):
            if slot < len(provider.programmes):
                programme = provider.programmes[slot]
                regions = tuple(programme.regions or provider.regions)
                candidates.append(Candidate(provider_id, provider, programme, regions))
            elif slot == len(provider.programmes):
                regions = tuple(provider.regions)
                candidates.append(Candidate(provider_id, provider, provider, regions))
            else:
                # Every later provider has fewer candidates still.
                break
        slot_sizes.append(len(candidates) - slot_starts[-1])
    return candidates, slot_starts, slot_sizes


def _region_groups(
    candidates: list[Candidate],
) -> tuple[list[tuple[str, ...]], IntArray, IntArray]:
    """Group candidates by their list of regions, which many of them share.

    Returns the distinct lists, the positions of the candidates with regions,
    and the index of each one's list.
    """
    region_lists: dict[tuple[str, ...], int] = {}
    positions = []
    groups = []
    for position, candidate in enumerate(candidates):
        if candidate.regions:
            positions.append(position)
            groups.append(region_lists.setdefault(candidate.regions, len(region_lists)))
    return (
        list(region_lists),
        np.array(positions, dtype=np.int64),
        np.array(groups, dtype=np.int64),
    )


def _tags(tagged: object) -> dict[str, frozenset[str]]:
    return {kind: frozenset(getattr(tagged, kind)) for kind in TAG_KINDS}


def _term_ids(catalog: Catalog, candidates: list[Candidate]) -> dict[str, list[str]]:
    """List the terms of each kind: the taxonomy's, then any others in use."""
    term_ids: dict[str, list[str]] = {}
    for kind in TAG_KINDS:
        known = list(catalog.taxonomy.ids(kind)) if catalog.taxonomy else []
        used = {term for c in candidates for term in getattr(c.source, kind)}
        term_ids[kind] = known + sorted(used - set(known))
    return term_ids


def _has_term(candidates: list[Candidate], kind: str, term_ids: list[str]) -> BoolArray:
    """Return a (terms x candidates) array, True where a candidate has the term."""
    rows = {term: row for row, term in enumerate(term_ids)}
    has_term = np.zeros((len(term_ids), len(candidates)), dtype=bool)
    for column, candidate in enumerate(candidates):
        for term in getattr(candidate.source, kind):
            has_term[rows[term], column] = True
    return has_term


def _weapon_bits(has_weapon: BoolArray) -> IntArray:
    """Return each candidate's weapon categories as bits, 1 << row per category."""
    bits = np.left_shift(1, np.arange(len(has_weapon), dtype=np.int64))
    mask: IntArray = (has_weapon * bits[:, np.newaxis]).sum(axis=0, dtype=np.int64)
    return mask


def _term_weights(
    term_ids: dict[str, list[str]], has_term: dict[str, BoolArray]
) -> dict[tuple[str, str], float]:
    """Weight each term by its rarity among candidates, with a mean of 1 per kind.

    Terms no candidate has get no weight.
    """
    weights: dict[tuple[str, str], float] = {}
    for kind in TAG_KINDS:
        total = has_term[kind].shape[1]
        counts = has_term[kind].sum(axis=1).tolist()
        raw = {
            term: math.log(1 + total / found)
            for term, found in zip(term_ids[kind], counts, strict=True)
            if found
        }
        if not raw:
            continue
        # math.fsum is exact, so the mean does not depend on the order of terms.
        mean = math.fsum(raw.values()) / len(raw)
        for term, value in raw.items():
            weights[(kind, term)] = value / mean
    return weights


def _postings(
    documents: Iterable[list[str]],
) -> dict[str, tuple[IntArray, FloatArray]]:
    """Build Okapi BM25 postings: for each stem, the documents and their weights.

    Documents are read one at a time and only their (stem, document,
    frequency) entries are kept, in compact arrays, so the stemmed text of
    every candidate is never in memory at once.
    """
    vocabulary: dict[str, int] = {}
    entry_terms = array("q")
    entry_documents = array("q")
    entry_frequencies = array("d")
    document_lengths = array("d")
    for index, document in enumerate(documents):
        document_lengths.append(len(document))
        frequencies = Counter(document)
        entry_terms.extend(
            [vocabulary.setdefault(term, len(vocabulary)) for term in frequencies]
        )
        entry_documents.extend([index] * len(frequencies))
        entry_frequencies.extend(frequencies.values())

    count = len(document_lengths)
    lengths = np.array(document_lengths, dtype=np.float64)
    average = float(lengths.mean()) if count else 0.0
    terms = np.array(entry_terms, dtype=np.int64)
    # A stable sort keeps each stem's documents in ascending order.
    order = np.argsort(terms, kind="stable")
    ids = np.array(entry_documents, dtype=np.int64)[order]
    tf = np.array(entry_frequencies, dtype=np.float64)[order]
    found = np.bincount(terms, minlength=len(vocabulary))
    # math.log per stem, as before: np.log may differ in the last bit.
    idf = np.array(
        [math.log(1 + (count - docs + 0.5) / (docs + 0.5)) for docs in found.tolist()],
        dtype=np.float64,
    )
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[ids] / (average or 1.0))
    weights = idf[terms[order]] * tf * (BM25_K1 + 1) / (tf + norm)

    ends = np.cumsum(found).tolist()
    starts = [0, *ends[:-1]]
    return {
        term: (
            ids[starts[number] : ends[number]],
            weights[starts[number] : ends[number]],
        )
        for term, number in vocabulary.items()
    }


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


# pycountry's lookup scans its records, and the same region names come up for
# every State.
@lru_cache(maxsize=1024)
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
            if name_words:
                index.name_first_words.add(name_words[0])
