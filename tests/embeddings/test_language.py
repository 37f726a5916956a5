"""Language identification restricted to the programme's languages."""

from __future__ import annotations

import pytest

from matcher.embeddings import LANGUAGES, detect_language, detect_languages


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We need a partner to design a lightweight bracket for drone frames.", "en"),
        ("Buscamos un socio para desarrollar sensores de humedad para invernaderos.", "es"),
        ("Gruppo di ricerca in meccatronica e controllo di macchine automatiche.", "it"),
        ("Nous cherchons un laboratoire pour tester la compatibilité de nos capteurs.", "fr"),
        ("Havacılık parçaları için kompozit malzeme üretiminde iş birliği arıyoruz.", "tr"),
    ],
)
def test_programme_languages(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "   ", "CNC", "ok 123 !!", "5G"])
def test_empty_or_very_short_text_is_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_answers_stay_within_the_programme_languages() -> None:
    texts = ["Das Unternehmen sucht einen Partner für Robotik und Automatisierung.", "", "Ciao mondo bello"]
    out = detect_languages(texts)
    assert len(out) == 3 and set(out) <= set(LANGUAGES)
    assert detect_languages([]) == []


def test_stop_words_cover_the_programme_languages_and_keep_content_words() -> None:
    from matcher.embeddings.language import stop_words

    words = stop_words()
    for function_word in ("the", "con", "une", "della", "bir", "para"):
        assert function_word in words
    for content_word in ("control", "welding", "sensor", "energia", "robot"):
        assert content_word not in words
    assert "ademas" in words and "además" not in words  # accent-stripped like the texts


def test_stop_words_are_those_built_on_sklearns_english_list() -> None:
    """The copied English list gives exactly the set stop_words() gave when it imported sklearn."""
    import re

    import stopwordsiso
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, strip_accents_unicode

    from matcher.embeddings.english_stop_words import ENGLISH_STOP_WORDS as COPIED
    from matcher.embeddings.language import LANGUAGES, stop_words

    assert COPIED == ENGLISH_STOP_WORDS
    words = set(ENGLISH_STOP_WORDS).union(
        *(stopwordsiso.stopwords(lang) for lang in LANGUAGES if lang != "en")
    )
    old = frozenset(t for w in words for t in re.findall(r"(?u)\b\w\w+\b", strip_accents_unicode(w.lower())))
    assert stop_words() == old
