"""Rank providers and their programmes, and offers on file, for each request item.

A candidate is a programme, or a provider as a whole. Its score adds two parts,
and each part that counts is given as a reason:

- shared tags: 3 per shared area, 2 per shared weapon category and 1 per shared
  assistance type, each weighted by how rare the term is among candidates, so
  a rare area such as laboratory capacity counts for more than awareness;
  a candidate whose weapon categories exclude the item's is scaled down;
- a mention: the item names the provider, as "Mexico-CICTE programme" names
  OAS/CICTE;
- text: BM25 of the item's words, plus the English keywords of its taxonomy
  terms so French and Spanish items reach English programme summaries, against
  the programme's name and summary, scaled so the best candidate gets 4.

When an item has no areas, weapons or types, they are inferred from its words
through the taxonomy's keywords, and each reason says so. Each provider keeps
its best candidate; ties break on the provider id, so the same input always
gives the same output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# TODO: On the bundled data (152 candidates), importing numpy takes 60-100 ms
# on a 2-core machine, more than building the index and ranking every item.
# A pure-Python path for small catalogs would avoid it, but its scores must
# match these to the last bit.
import numpy as np

from assist1540 import process_map
from assist1540.candidates import (
    BoolArray,
    Candidate,
    CandidateIndex,
    FloatArray,
    IntArray,
    build_index,
)
from assist1540.catalog import Catalog, Entry
from assist1540.models import Offer, Request, RequestItem
from assist1540.tagging import TAG_KINDS, InferredTerm, KeywordIndex
from assist1540.text import detect_language, stems, words

TAG_WEIGHTS = {"areas": 3.0, "weapons": 2.0, "types": 1.0}
TEXT_WEIGHT = 4.0
WEAPON_MISMATCH_FACTOR = 0.35
PROVIDER_LEVEL_FACTOR = 0.9
OFFER_BONUS = 10.0
MENTION_BONUS = 6.0
# Several programmes of one provider in the item's areas show depth.
DEPTH_BONUS = 0.75
DEPTH_LIMIT = 2
# Programmes that name the regions they serve: a fit earns a bonus, and a list
# of regions that leaves the State out scales the score down. A list of single
# countries may name venues rather than beneficiaries, so it counts less.
REGION_BONUS = 1.0
REGION_MISMATCH_FACTOR = 0.4
COUNTRY_MISMATCH_FACTOR = 0.5
# A provider devoted to the item's weapon categories, such as the IAEA for
# nuclear items or the OPCW for chemical ones.
SPECIALIST_BONUS = 2.0
# A programme that lists many areas is less specific to any one of them.
BREADTH_PENALTY = 0.06
# Items scored together. Each batch uses a few (items x candidates) float64
# arrays: 16 x 15,200 x 8 bytes = 1.9 MB each at 100 times the bundled data,
# which fits a typical CPU cache. On a 2-core test machine, batches of 64 and
# 256 items were slower.
BATCH_SIZE = 16
# From this many batches on, a forked worker ranks part of them (an estimate of
# where the fork and the transfer of the results start to pay).
MIN_PARALLEL_BATCHES = 24


@dataclass(frozen=True)
class Match:
    """One provider ranked for an item, with its best programme and the reasons."""

    provider: str
    provider_name: str
    programme: str | None
    score: float
    reasons: tuple[str, ...]
    offer: str | None = None


@dataclass(frozen=True)
class ItemTags:
    """The tags an item is ranked on, and which of them were inferred."""

    areas: frozenset[str]
    weapons: frozenset[str]
    types: frozenset[str]
    inferred: tuple[InferredTerm, ...] = ()

    def of(self, kind: str) -> frozenset[str]:
        tags: frozenset[str] = getattr(self, kind)
        return tags

    def inferred_keywords(self, kind: str, term_id: str) -> tuple[str, ...] | None:
        for term in self.inferred:
            if term.kind == kind and term.term_id == term_id:
                return term.keywords
        return None


@dataclass(frozen=True)
class ItemMatches:
    """The ranking for one request item."""

    request: str
    item: int
    summary: str
    tags: ItemTags
    matches: tuple[Match, ...]


@dataclass(frozen=True)
class _ItemQuery:
    """The tags, BM25 query, offers and mentions of one request item."""

    request_id: str
    number: int
    request: Request
    summary: str
    tags: ItemTags
    query: list[str]
    surface: dict[str, str]
    offers: list[Entry[Offer]]
    mentions: dict[str, str]


@dataclass
class Matcher:
    """The candidate arrays and the keyword index for one catalog."""

    catalog: Catalog
    keyword_index: KeywordIndex | None = None
    index: CandidateIndex = field(init=False)
    _offers_by_request: dict[str, list[Entry[Offer]]] = field(init=False)
    _exclusions: dict[tuple[str, tuple[str, ...]], BoolArray] = field(init=False)

    def __post_init__(self) -> None:
        self.index = build_index(self.catalog)
        self._exclusions = {}
        self._offers_by_request = {}
        for _, offer in sorted(self.catalog.offers.items()):
            if offer.record.status != "declined":
                self._offers_by_request.setdefault(offer.record.request, []).append(
                    offer
                )
        if self.catalog.taxonomy is not None:
            self.keyword_index = KeywordIndex(self.catalog.taxonomy)

    def effective_tags(
        self, request: Request, item: RequestItem, use_tags: bool = True
    ) -> ItemTags:
        """Take the item's own tags, inferring each kind that is empty."""
        inferred: list[InferredTerm] = []
        tags: dict[str, frozenset[str]] = {}
        found = (
            self.keyword_index.find_terms(
                item.summary, detect_language(item.summary, request.language)
            )
            if self.keyword_index is not None
            else []
        )
        for kind in TAG_KINDS:
            own = frozenset(getattr(item, kind)) if use_tags else frozenset()
            if own:
                tags[kind] = own
                continue
            guesses = [term for term in found if term.kind == kind]
            inferred.extend(guesses)
            tags[kind] = frozenset(term.term_id for term in guesses)
        return ItemTags(tags["areas"], tags["weapons"], tags["types"], tuple(inferred))

    def rank_item(
        self,
        entry: Entry[Request],
        number: int,
        use_tags: bool = True,
        provider_kinds: Sequence[str] = (),
        top: int | None = None,
        reasons: bool = True,
    ) -> ItemMatches:
        """Rank the providers for item `number` (1 is the first) of a request.

        Every provider is ranked; `top` keeps only the best ones, and
        `reasons=False` leaves the reasons out, which saves time at scale.
        """
        return self.rank_items(
            [(entry, number)], use_tags, provider_kinds, top, reasons
        )[0]

    def rank_items(
        self,
        items: Sequence[tuple[Entry[Request], int]],
        use_tags: bool = True,
        provider_kinds: Sequence[str] = (),
        top: int | None = None,
        reasons: bool = True,
    ) -> list[ItemMatches]:
        """Rank the providers for each (request, item number) pair, in order.

        The result is the same as `rank_item` on each pair, but the items are
        scored BATCH_SIZE at a time as (items x candidates) arrays, which
        costs far less than one set of vector operations per item.
        """
        kinds = tuple(provider_kinds)
        batches = [
            items[start : start + BATCH_SIZE]
            for start in range(0, len(items), BATCH_SIZE)
        ]

        def rank_batch(
            batch: Sequence[tuple[Entry[Request], int]],
        ) -> list[ItemMatches]:
            queries = [
                self._item_query(entry, number, use_tags) for entry, number in batch
            ]
            return self._rank_batch(queries, kinds, top, reasons)

        ranked = process_map.map_items(
            rank_batch, batches, min_items=MIN_PARALLEL_BATCHES
        )
        return [ranking for batch in ranked for ranking in batch]

    def _item_query(
        self, entry: Entry[Request], number: int, use_tags: bool
    ) -> _ItemQuery:
        """Gather what scoring needs from one item: tags, query, offers, mentions."""
        request = entry.record
        item = request.items[number - 1]
        tags = self.effective_tags(request, item, use_tags)
        query, surface = self._query(request, item, tags)
        offers = [
            offer
            for offer in self._offers_by_request.get(entry.id, [])
            if not offer.record.items or number in offer.record.items
        ]
        return _ItemQuery(
            entry.id,
            number,
            request,
            item.summary,
            tags,
            query,
            surface,
            offers,
            self.index.mentions(item.summary),
        )

    def _rank_batch(
        self,
        queries: list[_ItemQuery],
        provider_kinds: tuple[str, ...],
        top: int | None,
        reasons: bool,
    ) -> list[ItemMatches]:
        """Score a batch of items together, then pick and explain each one's best."""
        index = self.index
        scores, text_share = self._candidate_scores(queries)
        best, totals = _best_per_provider(index, scores)
        totals += self._provider_bonuses(best, queries)
        for row, query in enumerate(queries):
            for provider_id in query.mentions:
                totals[row, index.provider_position[provider_id]] += MENTION_BONUS
        # The order compares scores as displayed, to 3 decimals.
        keys = -np.round(totals, 3)

        rankings = []
        for row, query in enumerate(queries):
            excluded = self._excluded_providers(query.request.iso3, provider_kinds)
            chosen = _top_positions(keys[row], index.provider_rank, excluded, top)
            if reasons:
                matches = tuple(
                    self._match(
                        int(best[row, provider]),
                        float(totals[row, provider]),
                        query,
                        text_share[row],
                    )
                    for provider in chosen
                )
            else:
                matches = tuple(
                    self._bare_match(
                        int(best[row, provider]), float(totals[row, provider])
                    )
                    for provider in chosen
                )
            rankings.append(
                ItemMatches(
                    query.request_id, query.number, query.summary, query.tags, matches
                )
            )
        return rankings

    def _candidate_scores(
        self, queries: list[_ItemQuery]
    ) -> tuple[FloatArray, FloatArray]:
        """Score every candidate for each item: tags, text, region, offers.

        Both arrays are (items x candidates); see the module doc for the rules.
        """
        index = self.index
        scores = np.zeros((len(queries), index.size))
        weighted = np.empty(index.size)
        for row, query in enumerate(queries):
            for kind in TAG_KINDS:
                tag_scores = index.tag_scores(kind, query.tags.of(kind))
                if tag_scores is not None:
                    np.multiply(tag_scores, TAG_WEIGHTS[kind], out=weighted)
                    scores[row] += weighted

        scores /= 1 + BREADTH_PENALTY * np.maximum(0, index.area_counts - 2)

        for row, query in enumerate(queries):
            weapon_mask = index.weapon_mask(query.tags.weapons)
            factors = index.weapon_factors(weapon_mask, WEAPON_MISMATCH_FACTOR)
            if factors is not None:
                scores[row] *= factors

        text_share = index.bm25([query.query for query in queries])
        best_text = text_share.max(axis=1, initial=0.0)
        text_share /= np.where(best_text > 0, best_text, 1.0)[:, np.newaxis]
        scores += TEXT_WEIGHT * text_share

        for row, query in enumerate(queries):
            bonuses, factors = index.region_fits(
                query.request.iso3,
                REGION_BONUS,
                REGION_MISMATCH_FACTOR,
                COUNTRY_MISMATCH_FACTOR,
            )
            scores[row] *= factors
            scores[row] += bonuses
        scores[:, index.overviews] *= PROVIDER_LEVEL_FACTOR

        for row, query in enumerate(queries):
            for provider_id in {offer.record.provider for offer in query.offers}:
                if provider_id in index.provider_position:
                    candidates = index.provider_candidates(provider_id)
                    scores[row, candidates] += OFFER_BONUS
        return scores, text_share

    def _excluded_providers(
        self, iso3: str, provider_kinds: tuple[str, ...]
    ) -> BoolArray:
        """Leave out the requesting State itself and providers of other kinds."""
        key = (iso3, provider_kinds)
        cached = self._exclusions.get(key)
        if cached is None:
            cached = self.index.provider_iso3_array == iso3
            if provider_kinds:
                cached |= ~np.isin(self.index.provider_kind_array, provider_kinds)
            self._exclusions[key] = cached
        return cached

    def _provider_bonuses(
        self, best: IntArray, queries: list[_ItemQuery]
    ) -> FloatArray:
        """Add the depth and specialist bonuses, which look at the whole provider.

        `best` contains each provider's best candidate per item, and so does the
        (items x providers) result.
        """
        index = self.index
        in_areas = np.stack(
            [index.has_any_term("areas", query.tags.areas) for query in queries]
        )
        in_areas &= index.is_programme
        counts = np.zeros(best.shape, dtype=np.int64)
        for start, size in zip(index.slot_starts, index.slot_sizes, strict=True):
            counts[:, :size] += in_areas[:, start : start + size]
        others = counts - np.take_along_axis(in_areas, best, axis=1)
        bonuses = DEPTH_BONUS * np.minimum(DEPTH_LIMIT, others)

        item_bits = np.array(
            [index.weapon_mask(query.tags.weapons) for query in queries],
            dtype=np.int64,
        )
        provider_bits = index.provider_weapon_bits
        specialist = (provider_bits != 0) & (provider_bits == item_bits[:, np.newaxis])
        specialist &= index.provider_weapon_count <= 2
        total: FloatArray = (bonuses + SPECIALIST_BONUS * specialist).astype(np.float64)
        return total

    def _match(
        self, best: int, total: float, query: _ItemQuery, text_share: FloatArray
    ) -> Match:
        """Build one provider's Match, with a reason for each part of its score."""
        index = self.index
        candidate = index.candidates[best]
        candidate_tags = candidate.tags
        tags = query.tags
        reasons: list[str] = []

        provider_id = candidate.provider_id
        mentions = query.mentions
        if provider_id in mentions:
            reasons.append(f"the item names the provider: '{mentions[provider_id]}'")
        programme = candidate.programme
        offer_id = None
        for offer in query.offers:
            if offer.record.provider == provider_id:
                offer_id = offer.id
                programme = offer.record.programme or programme
                reasons.append(f"offer {offer.id} on file ({offer.record.status})")
                break

        for kind in TAG_KINDS:
            shared = sorted(tags.of(kind) & candidate_tags[kind])
            if shared:
                reasons.append(_tag_reason(kind, shared, tags))
        item_weapons = tags.of("weapons")
        weapons = candidate_tags["weapons"]
        if item_weapons and weapons and not item_weapons & weapons:
            reasons.append(
                "covers other weapon categories only: " + ", ".join(sorted(weapons))
            )

        if text_share[best] > 0:
            terms = index.document_terms(best)
            matched = [stem for stem in dict.fromkeys(query.query) if stem in terms]
            matched_words = list(
                dict.fromkeys(query.surface.get(stem, stem) for stem in matched)
            )
            reasons.append("text: " + ", ".join(matched_words[:6]))

        fit = index.region_fit(
            candidate.regions,
            query.request.iso3,
            REGION_BONUS,
            REGION_MISMATCH_FACTOR,
            COUNTRY_MISMATCH_FACTOR,
        )
        if fit.reason:
            reasons.append(fit.reason)
        reasons.extend(self._provider_reasons(candidate, tags))
        return Match(
            provider_id,
            candidate.provider.label,
            programme,
            round(total, 3),
            tuple(reasons),
            offer_id,
        )

    def _bare_match(self, best: int, total: float) -> Match:
        candidate = self.index.candidates[best]
        return Match(
            candidate.provider_id,
            candidate.provider.label,
            candidate.programme,
            round(total, 3),
            (),
        )

    def _provider_reasons(self, candidate: Candidate, tags: ItemTags) -> list[str]:
        """Explain the depth and specialist bonuses of the candidate's provider."""
        reasons = []
        in_areas = [
            programme.name
            for programme in candidate.provider.programmes
            if tags.areas & set(programme.areas)
            and programme.name != candidate.programme
        ]
        if in_areas:
            count = len(in_areas)
            reasons.append(
                f"{count} more programme{'s' if count > 1 else ''} in these areas"
            )
        weapons = set(candidate.provider.weapons)
        if weapons and len(weapons) <= 2 and weapons == tags.weapons:
            reasons.append("specialised in " + ", ".join(sorted(weapons)))
        return reasons

    def _query(
        self, request: Request, item: RequestItem, tags: ItemTags
    ) -> tuple[list[str], dict[str, str]]:
        """Build the BM25 query and map each stem back to a word of the item."""
        language = detect_language(item.summary, request.language)
        query: list[str] = []
        surface: dict[str, str] = {}
        for word in words(item.summary):
            stemmed = stems(word, language)
            # Stems of French or Spanish words can equal unrelated English
            # stems ("pays", "pay"), so only numbers and acronyms cross over.
            if language != "en" and not (
                word.isdigit() or word.upper() in item.summary
            ):
                continue
            for stem in stemmed:
                query.append(stem)
                surface.setdefault(stem, word)

        if self.keyword_index is None:
            return query, surface
        # The English keywords of the item's terms bridge French and Spanish
        # items to English programme text, and widen short English items.
        for kind in ("areas", "weapons"):
            for term_id in sorted(tags.of(kind)):
                for keyword in self.keyword_index.english_keywords(kind, term_id):
                    for stem in stems(keyword, "en"):
                        query.append(stem)
                        surface.setdefault(stem, keyword)
        return query, surface


def _best_per_provider(
    index: CandidateIndex, scores: FloatArray
) -> tuple[IntArray, FloatArray]:
    """Find each provider's best candidate per item (the first on ties).

    `scores` is (items x candidates). Returns the candidates' positions and
    their scores, both (items x providers).
    """
    providers = len(index.provider_ids)
    maxima = scores[:, :providers].copy()
    best = np.tile(np.arange(providers), (len(scores), 1))
    for start, size in zip(index.slot_starts[1:], index.slot_sizes[1:], strict=True):
        block = scores[:, start : start + size]
        current = maxima[:, :size]
        # Strictly greater, so the earlier candidate wins a tie.
        better = block > current
        np.copyto(current, block, where=better)
        np.copyto(best[:, :size], np.arange(start, start + size), where=better)
    return best, maxima


def _top_positions(
    keys: FloatArray, ranks: IntArray, excluded: BoolArray, top: int | None
) -> IntArray:
    """Return the positions of the `top` smallest keys, ties in `ranks` order.

    Excluded positions are left out; `top=None` keeps every other position.
    """
    candidates = np.flatnonzero(~excluded)
    if top is not None and top < candidates.size:
        # Only keys up to the top-th smallest can be chosen, so sort just
        # those, including every key tied with it.
        threshold = np.partition(keys[candidates], top - 1)[top - 1]
        candidates = candidates[keys[candidates] <= threshold]
    order: IntArray = candidates[np.lexsort((ranks[candidates], keys[candidates]))]
    return order if top is None else order[:top]


def _tag_reason(kind: str, shared: list[str], tags: ItemTags) -> str:
    label = {"areas": "areas", "weapons": "weapons", "types": "types"}[kind]
    parts = []
    for term_id in shared:
        keywords = tags.inferred_keywords(kind, term_id)
        if keywords:
            quoted = ", ".join(f"'{keyword}'" for keyword in keywords[:3])
            parts.append(f"{term_id} (inferred from {quoted})")
        else:
            parts.append(term_id)
    return f"{label}: " + ", ".join(parts)


def _offers_for(catalog: Catalog, request_id: str, number: int) -> list[Entry[Offer]]:
    return [
        offer
        for offer_id, offer in sorted(catalog.offers.items())
        if offer.record.request == request_id
        and (not offer.record.items or number in offer.record.items)
        and offer.record.status not in ("declined",)
    ]


def open_requests(catalog: Catalog) -> list[Entry[Request]]:
    """List requests that are not closed, in id order."""
    return [
        entry
        for request_id, entry in sorted(catalog.requests.items())
        if entry.record.status != "closed"
    ]
