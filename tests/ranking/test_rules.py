"""The match rules, on a hand-built table whose allowed pairs are known by construction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from matcher.ranking.rules import CandidateTable, MatchFilters, QueryRules, candidate_mask, challenge_text_of
from matcher.types import Programme


@dataclass(frozen=True)
class C:
    kind: str
    council: str = "bologna"
    country: str = "IT"
    organisation_id: str = "org-x"
    owner_id: str = "x"
    visibility: str = "public"
    language: str = "en"
    consent: bool = True
    available_from: dt.date | None = None
    available_to: dt.date | None = None
    capacity: int | None = None


D = dt.date
ROWS = [
    C("research_group", owner_id="rg-ok", organisation_id="hei-it"),  # 0 allowed everywhere it may go
    C("academic", owner_id="ac-no-consent", consent=False),  # 1 never: no consent
    C(
        "academic", owner_id="ac-private", visibility="private", council="malaga"
    ),  # 2 private, query's council
    C("student", owner_id="st-gone", available_to=D(2025, 1, 31)),  # 3 ended before the challenge opened
    C("academic", owner_id="ac-own", organisation_id="sme-q"),  # 4 the query's own organisation
    C("sme", owner_id="sme-es", organisation_id="sme-es", country="ES"),  # 5 same country as the query
    C("sme", owner_id="sme-fr", organisation_id="sme-fr", country="FR"),  # 6 related to the query
    C("hei", owner_id="hei-ie", organisation_id="hei-ie", country="IE"),  # 7 a cross-border HEI
    C("lab", owner_id="lab-2", capacity=2, available_from=D(2025, 9, 1)),  # 8 small lab, opens in time
    C("lab", owner_id="lab-9", capacity=9, available_from=D(2027, 1, 1)),  # 9 opens after the deadline
]
TABLE = CandidateTable.from_records(ROWS)
QUERY = QueryRules("malaga", "ES", "sme-q", frozenset({"sme-fr"}), D(2025, 6, 1), D(2026, 1, 31))


def allowed(match_type, filters=None):
    out = candidate_mask(match_type, [QUERY], TABLE, filters)
    return [int(j) for j in np.flatnonzero(out.mask[0])], out


def test_each_match_type_keeps_exactly_the_candidates_its_rules_allow():
    assert allowed(Programme.CONSULTANCY)[0] == [0]  # 1 no consent, 2 private, 3 gone, 4 own org
    assert allowed(Programme.PLACEMENT)[0] == []  # academics 1, 2, 4 are all excluded
    assert allowed(Programme.PARTNER)[0] == [0, 7]  # 5 same country, 6 existing relationship
    assert allowed(Programme.FACILITY)[0] == [8, 9]  # by default availability only ends a candidate


def test_caller_filters_narrow_the_rules():
    assert allowed(Programme.PLACEMENT, MatchFilters(include_private=True))[0] == [2]
    assert allowed(Programme.FACILITY, MatchFilters(min_capacity=3))[0] == [9]
    assert allowed(Programme.FACILITY, MatchFilters(strict_availability=True))[0] == [8]
    assert allowed(Programme.PARTNER, MatchFilters(kinds={"hei"}))[0] == [7]
    _, out = allowed(Programme.PARTNER)
    assert {"consent", "visibility", "same_organisation", "cross_border", "existing_relationship"} <= set(
        out.applied
    )


def test_many_queries_at_once_equal_one_at_a_time():
    other = QueryRules("bologna", "IT", "hei-it", frozenset(), None, None)
    both = candidate_mask(Programme.PARTNER, [QUERY, other], TABLE).mask
    for i, q in enumerate([QUERY, other]):
        np.testing.assert_array_equal(both[i], candidate_mask(Programme.PARTNER, [q], TABLE).mask[0])


def test_challenge_text_carries_skills_without_a_label():
    assert challenge_text_of("Title", "Text", ["CAD", "python"]) == "Title.\nText\nCAD, python."
    assert challenge_text_of("Title", "Text", []) == "Title.\nText"


def test_boilerplate_shared_by_many_profiles_is_dropped_and_only_it():
    boiler = "We supply customers across Europe and are open to joint projects."
    texts = [f"Company {i} machines gearbox part {i}. {boiler}" for i in range(6)]
    texts.append("A lab that tests gearboxes. We certify drones for customers.")  # a different sentence
    groups = list(range(7))
    from matcher.ranking.rules import common_sentences, strip_common_sentences

    common = common_sentences(texts, groups, min_count=5)
    # the boilerplate's windows of three words; every window of "Company i machines ..." names its i
    assert "to joint projects" in common and "customers across europe" in common
    assert not any("lab" in w or "drones" in w for w in common)
    stripped = strip_common_sentences(texts, common)
    assert stripped[0] == "Company 0 machines gearbox part 0." and stripped[6] == texts[6]
    # one profile repeating a sentence in many of its own documents is not boilerplate
    assert common_sentences([boiler] * 6, [0] * 6, min_count=5) == frozenset()
    # a text made only of boilerplate is kept whole rather than emptied
    assert strip_common_sentences([boiler], common) == [boiler]


def test_templated_sentences_keep_only_their_specific_words():
    from matcher.ranking.rules import common_sentences, strip_common_sentences

    topics = ["laser welding", "composite layup", "gear grinding", "battery packs", "lidar mapping"] * 2
    texts = [f"Future work will address integration with {t} for plant {i}." for i, t in enumerate(topics)]
    common = common_sentences(texts, range(10), min_count=5)
    frame = {"future work will", "work will address", "will address integration", "address integration with"}
    assert common == frozenset(frame)
    stripped = strip_common_sentences(texts, common)
    assert stripped[0] == "integration with laser welding for plant 0."  # as written
    # a query carrying the same frame loses it too; a text that is only the frame is kept whole
    query = [
        "Future work will address integration with gear grinding.",
        "Future work will address integration with:",
    ]
    assert strip_common_sentences(query, common) == [
        "integration with gear grinding.",
        "Future work will address integration with:",
    ]


def test_frame_words_are_those_mostly_inside_common_windows():
    from matcher.ranking.rules import common_sentences, frame_words

    skills = ["python", "welding", "lidar", "composites", "python"] * 2
    texts = [f"Our know-how covers {s} and more. Skills: {s}, item{i}." for i, s in enumerate(skills)]
    common = common_sentences(texts, range(10), min_count=5)
    frames = frame_words(texts, common)
    assert {"our", "know", "how"} <= frames  # only ever inside "our know how", "know how covers"
    assert "python" not in frames and "skills" not in frames  # each python/skills window differs


def test_specific_sentences_quote_as_written_and_leave_out_pure_boilerplate() -> None:
    from matcher.ranking.rules import common_sentences, specific_sentences
    from matcher.ranking.sentences import split_sentences

    frame = "We supply customers across Europe and are open to joint projects."
    texts = [f"{frame} Firm {i} makes widgets." for i in range(8)] + [
        f"{frame} We mill titanium gearbox housings for drones."
    ]
    common = common_sentences(texts, np.arange(len(texts)))
    pairs = specific_sentences(texts[-1], common)
    # the boilerplate sentence is gone; the specific one is quoted whole and scored on its own words
    assert [written for written, _ in pairs] == ["We mill titanium gearbox housings for drones."]
    assert "titanium gearbox housings" in pairs[0][1]
    # a text with nothing specific keeps every sentence, as itself
    assert specific_sentences(frame, common) == [(frame, frame)]
    # without common text, every sentence is its own specific part
    two = "We weld aluminium frames for bicycles. We also test them for fatigue."
    assert specific_sentences(two, frozenset()) == [(s, s) for s in split_sentences(two)]
