"""Tokens, stems, accent folding and keyword phrases."""

from __future__ import annotations

import pytest

from assist1540.text import (
    Phrase,
    detect_language,
    fold_accents,
    stem_text,
    stems,
    words,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Border control", ["border", "control"]),
        ("dual-use goods", ["dual", "use", "goods"]),
        ("l'application de la loi", ["application", "de", "la", "loi"]),
        ("d’équipements", ["équipements"]),
        ("State's law", ["state", "s", "law"]),
        ("snake_case and 1540", ["snake", "case", "and", "1540"]),
        ("", []),
    ],
)
def test_words_split(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sécurité", "securite"),
        ("se\u0301curite\u0301", "securite"),
        ("security", "security"),
        ("", ""),
    ],
)
def test_fold_accents(text: str, expected: str) -> None:
    assert fold_accents(text) == expected


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("keep_stopwords", [True, False])
def test_stem_text_equals_stems(language: str, keep_stopwords: bool) -> None:
    text = "Les contrôles aux frontières and the export-control laws of Mexico"

    uncached = stem_text(text, language, keep_stopwords)

    assert uncached == stems(text, language, keep_stopwords)
    assert isinstance(uncached, list)


@pytest.mark.parametrize(
    ("phrase", "tokens", "expected"),
    [
        (("border", "control"), ["border", "control"], True),
        (("border", "control"), ["strict", "border", "control"], True),
        (("border", "control"), ["border", "guard", "border", "control"], True),
        (("border", "control"), ["border", "guard", "control"], False),
        (("border", "control"), ["control", "border"], False),
        (("border", "control"), ["border"], False),
        (("border",), ["strict", "border"], True),
        ((), ["border"], False),
        (("border",), [], False),
    ],
)
def test_phrase_occurs_in(
    phrase: tuple[str, ...], tokens: list[str], expected: bool
) -> None:
    assert Phrase("keyword", phrase).occurs_in(tokens) is expected
    assert Phrase("keyword", phrase).occurs_in(tuple(tokens)) is expected


def test_detect_language_repeats() -> None:
    text = "Formation des douaniers et des policiers pour la détection"

    assert detect_language(text, "en") == "fr"
    assert detect_language(text, "en") == "fr"
    assert detect_language(text, "fr") == "fr"
