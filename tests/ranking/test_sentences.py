"""The rule-based sentence splitter of the match reasons."""

from __future__ import annotations

from matcher.ranking import split_sentences


def test_splits_on_sentence_ends_and_line_breaks():
    text = (
        "Robotic welding.\nWe present a study of seams. Results show 3.5 mm gaps! Is it worth it? Yes, it is."
    )
    assert split_sentences(text) == [
        "Robotic welding.",
        "We present a study of seams.",
        "Results show 3.5 mm gaps!",
        "Is it worth it? Yes, it is.",  # "Yes, it is." is shorter than min_chars: merged
    ]


def test_abbreviations_initials_decimals_and_lower_case_do_not_split():
    text = "Shown by J. Smith et al. in Fig. 3, e.g. for aluminium at www.site.es today. Then more follows."
    assert split_sentences(text) == [
        "Shown by J. Smith et al. in Fig. 3, e.g. for aluminium at www.site.es today.",
        "Then more follows.",
    ]


def test_other_languages_and_limits():
    assert split_sentences("¿Qué pasa con las bombas? Élan vital: İstanbul hatları tıkanıyor.") == [
        "¿Qué pasa con las bombas?",
        "Élan vital: İstanbul hatları tıkanıyor.",
    ]
    assert split_sentences("") == [] and split_sentences("  \n ") == []
    long = split_sentences("word " * 200, max_chars=50)
    assert len(long) == 1 and len(long[0]) <= 50 and long[0].endswith("…")
