"""Infer an item's areas, weapon categories and assistance types from its text.

Each taxonomy term carries keywords in English, French and Spanish. A keyword
is found when its stems occur in a row in the item's stemmed text, so
"contrôles aux frontières" finds the keyword "contrôle aux frontières".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assist1540.models import Taxonomy
from assist1540.text import Phrase, stems

TAG_KINDS = ("areas", "weapons", "types")


@dataclass(frozen=True)
class InferredTerm:
    """A taxonomy term found in text, with the keywords that found it."""

    kind: str
    term_id: str
    keywords: tuple[str, ...]


@dataclass
class KeywordIndex:
    """Stemmed keywords of every taxonomy term, per language."""

    taxonomy: Taxonomy
    phrases: dict[tuple[str, str, str], list[Phrase]] = field(default_factory=dict)
    # Per language and first stem, the (kind, term id) of the phrases that
    # start with it, so a text is scanned once instead of once per phrase.
    _starts: dict[tuple[str, str], set[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind in TAG_KINDS:
            for term in getattr(self.taxonomy, kind):
                for language in ("en", "fr", "es"):
                    phrases = [
                        Phrase.of(keyword, language)
                        for keyword in term.keywords.for_language(language)
                    ]
                    self.phrases[(kind, term.id, language)] = phrases
                    for phrase in phrases:
                        if phrase.stems:
                            key = (language, phrase.stems[0])
                            self._starts.setdefault(key, set()).add((kind, term.id))

    def find_terms(self, text: str, language: str) -> list[InferredTerm]:
        """Find every term whose keywords occur in `text`, in taxonomy order."""
        languages = [language] if language == "en" else [language, "en"]
        token_lists = {
            code: stems(text, code, keep_stopwords=True) for code in languages
        }
        possible = {
            term
            for code, tokens in token_lists.items()
            for token in tokens
            for term in self._starts.get((code, token), ())
        }
        found = []
        for kind in TAG_KINDS:
            for term in getattr(self.taxonomy, kind):
                if (kind, term.id) not in possible:
                    continue
                keywords = self._keywords_found(kind, term.id, token_lists)
                if keywords:
                    found.append(InferredTerm(kind, term.id, keywords))
        return found

    def _keywords_found(
        self, kind: str, term_id: str, token_lists: Mapping[str, Sequence[str]]
    ) -> tuple[str, ...]:
        keywords: list[str] = []
        for language, tokens in token_lists.items():
            present = set(tokens)
            for phrase in self.phrases[(kind, term_id, language)]:
                # A phrase whose first stem is absent cannot occur, so a set
                # lookup skips most phrases before the position search.
                if not phrase.stems or phrase.stems[0] not in present:
                    continue
                if phrase.occurs_in(tokens) and phrase.text not in keywords:
                    keywords.append(phrase.text)
        return tuple(keywords)

    def english_keywords(self, kind: str, term_id: str) -> list[str]:
        return [phrase.text for phrase in self.phrases.get((kind, term_id, "en"), [])]
