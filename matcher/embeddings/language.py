"""Language identification of texts, restricted to the programme's languages.

Uses py3langid (a port of langid.py: Lui & Baldwin, 2012, "langid.py: An
Off-the-shelf Language Identification Tool"), a naive Bayes classifier over byte
n-grams, with its candidate set narrowed to en, es, it, fr and tr.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

#: ISO 639-1 codes of the programme's working languages.
LANGUAGES: tuple[str, ...] = ("en", "es", "it", "fr", "tr")
#: The answer when a text is too short to tell.
DEFAULT_LANGUAGE = "en"
#: Texts with fewer letters than this are not classified.
MIN_LETTERS = 12

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language, one of :data:`LANGUAGES`.

    Returns :data:`DEFAULT_LANGUAGE` (``"en"``) for empty or very short text (fewer
    than :data:`MIN_LETTERS` letters), where a guess would be noise.
    """
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return DEFAULT_LANGUAGE
    lang, _ = _identifier().classify(text)
    return str(lang)


def detect_languages(texts: Sequence[str]) -> list[str]:
    """:func:`detect_language` of each text, in order."""
    return [detect_language(t) for t in texts]


@cache
def stop_words(languages: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """Function words of ``languages``, lower-cased and accent-stripped, for the lexical signal.

    English: scikit-learn's classic list (318 words, copied in
    :mod:`matcher.embeddings.english_stop_words`); es, it, fr, tr: the stopwords-iso
    collection (PyPI ``stopwordsiso``).  stopwords-iso's English list is not used: it
    removes content words such as "test", "research" and "line".
    """
    import stopwordsiso

    from matcher.embeddings.english_stop_words import ENGLISH_STOP_WORDS

    words: set[str] = set()
    for lang in languages:
        words |= set(ENGLISH_STOP_WORDS) if lang == "en" else set(stopwordsiso.stopwords(lang))
    # tokenised like the lexical signal's texts (words of 2+ characters), so "quelqu'un" gives
    # "quelqu" and "un": every entry can match a token
    return frozenset(
        token for w in words for token in re.findall(r"(?u)\b\w\w+\b", _strip_accents(w.lower()))
    )


def _strip_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
