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

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from assist1540.catalog import Catalog, Entry
from assist1540.models import Offer, Provider, Request, RequestItem
from assist1540.regions import covers
from assist1540.tagging import TAG_KINDS, InferredTerm, KeywordIndex
from assist1540.text import BM25Index, detect_language, stems, words

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
COUNTRY_MISMATCH_FACTOR = 0.8
# A provider devoted to the item's weapon categories, such as the IAEA for
# nuclear items or the OPCW for chemical ones.
SPECIALIST_BONUS = 2.0
# A programme that lists many areas is less specific to any one of them.
BREADTH_PENALTY = 0.06


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
class _Candidate:
    provider_id: str
    provider: Provider
    programme: str | None
    tags: dict[str, frozenset[str]]
    document: int
    regions: tuple[str, ...] = ()


@dataclass
class Matcher:
    """Candidates, text index and keyword index for one catalog."""

    catalog: Catalog
    candidates: list[_Candidate] = field(default_factory=list)
    keyword_index: KeywordIndex | None = None
    _index: BM25Index | None = None
    _term_weights: dict[tuple[str, str], float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        documents: list[list[str]] = []
        for provider_id in sorted(self.catalog.providers):
            provider = self.catalog.providers[provider_id].record
            for programme in provider.programmes:
                text = f"{programme.name} {programme.summary}"
                documents.append(stems(text, "en"))
                self.candidates.append(
                    _Candidate(
                        provider_id,
                        provider,
                        programme.name,
                        _tags(programme),
                        len(documents) - 1,
                        tuple(programme.regions or provider.regions),
                    )
                )
            overview = (
                f"{provider.name} {provider.short_name or ''} {provider.notes or ''}"
            )
            documents.append(stems(overview, "en"))
            self.candidates.append(
                _Candidate(
                    provider_id,
                    provider,
                    None,
                    _tags(provider),
                    len(documents) - 1,
                    tuple(provider.regions),
                )
            )
        self._index = BM25Index(documents)
        self._term_weights = _term_weights(self.candidates)
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
    ) -> ItemMatches:
        """Rank every provider for item `number` (1 is the first) of a request."""
        request = entry.record
        item = request.items[number - 1]
        tags = self.effective_tags(request, item, use_tags)
        query, surface = self._query(request, item, tags)
        assert self._index is not None

        text_scores = [self._index.score(query, c.document) for c in self.candidates]
        best_text = max((score for score, _ in text_scores), default=0.0) or 1.0
        offers = _offers_for(self.catalog, entry.id, number)

        best: dict[str, Match] = {}
        for candidate, (text_score, matched) in zip(
            self.candidates, text_scores, strict=True
        ):
            if (
                candidate.provider.iso3 is not None
                and candidate.provider.iso3 == request.iso3
            ):
                continue
            if provider_kinds and candidate.provider.kind not in provider_kinds:
                continue
            matched_words = list(
                dict.fromkeys(surface.get(stem, stem) for stem in matched)
            )
            match = self._score(
                candidate,
                request.iso3,
                tags,
                text_score / best_text,
                matched_words,
                offers,
            )
            current = best.get(candidate.provider_id)
            if current is None or match.score > current.score:
                best[candidate.provider_id] = match

        self._add_provider_evidence(best, tags)
        mentions = _mentions(item.summary, self.catalog)
        for provider_id, word in mentions.items():
            if provider_id in best:
                current = best[provider_id]
                best[provider_id] = Match(
                    current.provider,
                    current.provider_name,
                    current.programme,
                    round(current.score + MENTION_BONUS, 3),
                    (f"the item names the provider: '{word}'", *current.reasons),
                    current.offer,
                )

        ranked = sorted(best.values(), key=lambda m: (-m.score, m.provider))
        return ItemMatches(entry.id, number, item.summary, tags, tuple(ranked))

    def _add_provider_evidence(self, best: dict[str, Match], tags: ItemTags) -> None:
        """Add the depth and specialist bonuses, which look at the whole provider."""
        for provider_id, current in list(best.items()):
            provider = self.catalog.providers[provider_id].record
            bonus = 0.0
            reasons = []
            in_areas = [
                programme.name
                for programme in provider.programmes
                if tags.areas & set(programme.areas)
                and programme.name != current.programme
            ]
            if in_areas:
                bonus += DEPTH_BONUS * min(DEPTH_LIMIT, len(in_areas))
                count = len(in_areas)
                reasons.append(
                    f"{count} more programme{'s' if count > 1 else ''} in these areas"
                )
            weapons = set(provider.weapons)
            if weapons and len(weapons) <= 2 and weapons == tags.weapons:
                bonus += SPECIALIST_BONUS
                reasons.append("specialised in " + ", ".join(sorted(weapons)))
            if bonus:
                best[provider_id] = Match(
                    current.provider,
                    current.provider_name,
                    current.programme,
                    round(current.score + bonus, 3),
                    (*current.reasons, *reasons),
                    current.offer,
                )

    def _query(
        self, request: Request, item: RequestItem, tags: ItemTags
    ) -> tuple[list[str], dict[str, str]]:
        """Build the BM25 query and a map from each stem to a word a reader knows."""
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

    def _score(
        self,
        candidate: _Candidate,
        request_iso3: str,
        tags: ItemTags,
        text_share: float,
        matched_words: list[str],
        offers: list[Entry[Offer]],
    ) -> Match:
        score = 0.0
        reasons: list[str] = []
        for kind in TAG_KINDS:
            shared = sorted(tags.of(kind) & candidate.tags[kind])
            for term_id in shared:
                score += TAG_WEIGHTS[kind] * self._term_weights.get(
                    (kind, term_id), 1.0
                )
            if shared:
                reasons.append(_tag_reason(kind, shared, tags))

        breadth = len(candidate.tags["areas"])
        score /= 1 + BREADTH_PENALTY * max(0, breadth - 2)

        item_weapons = tags.of("weapons")
        if (
            item_weapons
            and candidate.tags["weapons"]
            and not item_weapons & candidate.tags["weapons"]
        ):
            score *= WEAPON_MISMATCH_FACTOR
            reasons.append(
                "covers other weapon categories only: "
                + ", ".join(sorted(candidate.tags["weapons"]))
            )

        if text_share > 0:
            score += TEXT_WEIGHT * text_share
            reasons.append("text: " + ", ".join(matched_words[:6]))

        score, region_reason = _apply_region_fit(score, candidate, request_iso3)
        if region_reason:
            reasons.append(region_reason)

        if candidate.programme is None:
            score *= PROVIDER_LEVEL_FACTOR

        offer_id = None
        programme = candidate.programme
        for offer in offers:
            if offer.record.provider == candidate.provider_id:
                offer_id = offer.id
                programme = offer.record.programme or programme
                score += OFFER_BONUS
                reasons.insert(0, f"offer {offer.id} on file ({offer.record.status})")
                break

        return Match(
            candidate.provider_id,
            candidate.provider.label,
            programme,
            round(score, 3),
            tuple(reasons),
            offer_id,
        )


def _apply_region_fit(
    score: float, candidate: _Candidate, iso3: str
) -> tuple[float, str | None]:
    """Scale a score by whether the candidate's regions include the State."""
    if not candidate.regions:
        return score, None
    verdicts = [covers(name, iso3) for name in candidate.regions]
    served = [
        name
        for name, verdict in zip(candidate.regions, verdicts, strict=True)
        if verdict
    ]
    if served:
        if any(name.lower() in ("global", "worldwide") for name in served):
            return score, None
        return score + REGION_BONUS, "serves " + ", ".join(served)
    if any(verdict is None for verdict in verdicts):
        return score, None
    listed = ", ".join(candidate.regions[:4])
    if all(_is_country(name) for name in candidate.regions):
        return score * COUNTRY_MISMATCH_FACTOR, f"held for other States: {listed}"
    return score * REGION_MISMATCH_FACTOR, f"serves other regions: {listed}"


@lru_cache(maxsize=1024)
def _is_country(name: str) -> bool:
    try:
        pycountry.countries.lookup(name)
    except LookupError:
        return False
    return True


def _tags(tagged: object) -> dict[str, frozenset[str]]:
    return {kind: frozenset(getattr(tagged, kind)) for kind in TAG_KINDS}


def _term_weights(candidates: Iterable[_Candidate]) -> dict[tuple[str, str], float]:
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


def _mentions(text: str, catalog: Catalog) -> dict[str, str]:
    """Find providers named in `text` by acronym (case-sensitive) or full name."""
    tokens = set(re.findall(r"[A-Za-z]+", text))
    lowered = " ".join(words(text))
    found: dict[str, str] = {}
    for provider_id, entry in sorted(catalog.providers.items()):
        provider = entry.record
        for acronym in re.findall(r"[A-Z][A-Za-z]*[A-Z]", provider.short_name or ""):
            if acronym in tokens:
                found[provider_id] = acronym
        name = " ".join(words(provider.name))
        if provider.kind != "state" and re.search(rf"\b{re.escape(name)}\b", lowered):
            found[provider_id] = provider.name
    return found


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
