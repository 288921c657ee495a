"""Tokens, stems and language detection for request and programme text in en, fr, es."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_WORD_SEPARATOR = re.compile(r"[-']")

_STEMMER_NAMES = {"en": "english", "fr": "french", "es": "spanish"}

# Short function words; content words such as "control" or "security" stay.
_STOPWORDS = {
    "en": set(
        """a an and are as at be been by for from has have in into is it its of on or
        that the their them these this those to under was were which who will with
        within without help support need needs assistance technical request including
        such other also more new""".split()
    ),
    "fr": set(
        """a au aux avec ce ces dans de des du elle en et il ils la le les leur leurs
        mais ne ni nos notre ou par pas pour qu que qui sa se ses son sont sur un une
        d l à afin être aide appui besoin besoins assistance technique
        demande""".split()
    ),
    "es": set(
        """a al con de del el en es esta este la las lo los para por que se sin sobre
        su sus un una y o e u ayuda apoyo necesidad necesidades asistencia técnica
        solicitud""".split()
    ),
}


def fold_accents(text: str) -> str:
    """Drop combining accents: composed and decomposed `sécurité` give `securite`."""
    if text.isascii():
        # NFKD leaves ASCII text as it is.
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        character for character in decomposed if not unicodedata.combining(character)
    )


@lru_cache(maxsize=3)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMER_NAMES.get(language, "english"))


def words(text: str) -> list[str]:
    """Split text into lower-case words.

    Hyphenated words split into their parts, and French elisions drop their
    article, so "l'application" gives "application".
    """
    normalized = unicodedata.normalize("NFC", text).lower().replace("’", "'")
    tokens: list[str] = []
    for token in _WORD.findall(normalized):
        if "-" not in token and "'" not in token:
            tokens.append(token)
            continue
        # French elision: l'application -> application, d'équipements -> équipements.
        if "'" in token and len(token.split("'")[0]) <= 2:
            token = token.split("'", 1)[1]
        tokens.extend(part for part in _WORD_SEPARATOR.split(token) if part)
    return tokens


def stems(text: str, language: str, keep_stopwords: bool = False) -> list[str]:
    """Stem the words of `text` in its language, dropping stopwords unless asked."""
    return list(_cached_stems(text, language, keep_stopwords))


@lru_cache(maxsize=65536)
def _cached_stems(text: str, language: str, keep_stopwords: bool) -> tuple[str, ...]:
    return tuple(stem_text(text, language, keep_stopwords))


def stem_text(text: str, language: str, keep_stopwords: bool = False) -> list[str]:
    """Stem like `stems`, without keeping the result in its cache.

    Use it for text stemmed once, such as every programme summary, where the
    cache would only hold memory.
    """
    stopwords = set() if keep_stopwords else _STOPWORDS.get(language, set())
    tokens = [token for token in words(text) if token not in stopwords]
    return [fold_accents(stem) for stem in _stemmer(language).stemWords(tokens)]


@dataclass(frozen=True)
class Phrase:
    """A keyword as a sequence of stems, for matching inside stemmed text."""

    text: str
    stems: tuple[str, ...]

    @classmethod
    def of(cls, text: str, language: str) -> Phrase:
        return cls(text, tuple(stems(text, language, keep_stopwords=True)))

    def occurs_in(self, tokens: Sequence[str]) -> bool:
        size = len(self.stems)
        if size == 0:
            return False
        # Compare only where the first stem occurs, found by the C-level
        # list.index, instead of at every position.
        first = self.stems[0]
        start = -1
        while True:
            try:
                start = tokens.index(first, start + 1)
            except ValueError:
                return False
            if tuple(tokens[start : start + size]) == self.stems:
                return True


# Function words that mark a language. An item written in another language
# than its request's (a French item in an English record) is read in its own.
_MARKERS = {
    "en": frozenset("the and of for to in on with from by an".split()),
    "fr": frozenset("le la les des du et pour au aux dans sur une un d l".split()),
    "es": frozenset("el la los las del y para en con por una un al".split()),
}


@lru_cache(maxsize=4096)
def detect_language(text: str, declared: str) -> str:
    """Return the language whose function words `text` uses most, else `declared`.

    Another language wins only with at least two marker words and more of them
    than the declared language, so short or ambiguous text keeps `declared`.
    """
    tokens = words(text)
    counts = {
        language: sum(token in markers for token in tokens)
        for language, markers in _MARKERS.items()
    }
    best = max(counts, key=lambda language: (counts[language], language == declared))
    if (
        best != declared
        and counts[best] >= 2
        and counts[best] > counts.get(declared, 0)
    ):
        return best
    return declared
