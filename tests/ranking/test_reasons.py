"""Match reasons for one pair, with native types at the boundary."""

from __future__ import annotations

import json

import numpy as np

from matcher.embeddings import l2_normalise
from matcher.ranking import LexicalScorer, best_sentence, explain, key_terms, skill_overlap


def test_skill_overlap_normalises_case_and_accents():
    got = skill_overlap(
        ["Análisis de Datos", "CAD", "python", "Python"], ["analisis de datos", " cad ", "java"]
    )
    assert got == ("Análisis de Datos", "CAD")


def test_best_sentence_is_the_model_free_twin():
    v = l2_normalise(np.array([[1.0, 0, 0], [0, 1.0, 0], [0.6, 0.8, 0]]))
    assert best_sentence(np.array([0, 1.0, 0]), v) == (1, 1.0)


def test_key_terms_shared_by_both_sides():
    lex = LexicalScorer().fit(["laser welding of aluminium", "solar panels"])
    terms = key_terms(lex.transform(["aluminium welding robots"]), lex.doc_matrix_[0], lex.terms_)
    assert set(terms) == {"aluminium", "welding"}


def test_explain_pair_to_dict_is_json_native():
    lex = LexicalScorer().fit(["laser welding of aluminium", "solar panels", "welding robots"])
    doc_scores = np.array([0.5, 2.0, 1.5], dtype=np.float32)
    r = explain(
        doc_scores=doc_scores,
        dense_part=np.float32(0.7) * doc_scores,
        lexical_part=np.float32(0.3) * doc_scores,
        doc_profile=np.array([0, 1, 0]),
        profile=0,
        score=np.float32(1.2),
        doc_ids=["d0", "d1", "d2"],
        query_language="es",
        doc_languages=["en", "it", "en"],
        query_tfidf=lex.transform(["welding robots"]),
        doc_tfidf=lex.doc_matrix_,
        terms=lex.terms_,
        query_vector=np.array([1.0, 0.0], dtype=np.float32),
        sentence_vectors=np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32),
        sentences=["first", "second"],
        query_skills=["Robótica"],
        profile_skills=["robotica"],
        filters_applied=["cross_border"],
    )
    assert r.best_document == 2 and r.best_document_id == "d2"
    assert r.best_sentence == 1 and r.best_sentence_text == "second"
    assert set(r.key_terms) == {"welding", "robots"}
    assert r.profile_languages == ("en",)
    d = r.to_dict()
    json.dumps(d)
    assert type(d["score"]) is float and type(d["dense"]) is float and type(d["best_document"]) is int
    assert d["filters_applied"] == ["cross_border"] and d["skill_overlap"] == ["Robótica"]


def test_key_terms_skip_words_that_many_profiles_share():
    import scipy.sparse as sp

    from matcher.ranking.reasons import generic_terms, key_terms

    terms = ["gearbox", "study", "europe", "lidar"]
    # 10 profiles of one document: "europe" in all, "study" in 6, "gearbox" and "lidar" in one each
    rows = [[1, 1, 1, 0]] + [[0, 1, 1, 0]] * 5 + [[0, 0, 1, 0]] * 3 + [[0, 0, 1, 1]]
    docs = sp.csr_matrix(np.array(rows, dtype=float))
    generic = generic_terms(docs, max_share=0.5, min_count=1)
    assert generic.tolist() == [False, True, True, False]
    query = sp.csr_matrix(np.array([[1.0, 1.0, 1.0, 1.0]]))
    assert key_terms(query, docs[0], terms) == ("gearbox", "study", "europe")  # equal weights: by index
    assert key_terms(query, docs[0], terms, exclude=generic) == ("gearbox",)
    # counted once per profile: one profile repeating "lidar" over 9 of its documents is not common
    groups = np.array([0] * 9 + [1])
    lidar = sp.csr_matrix(np.array([[0, 0, 0, 1]] * 9 + [[1, 0, 0, 0]], dtype=float))
    assert generic_terms(lidar, groups, max_share=0.5, min_count=1).tolist() == [False] * 4
    # without a minimum count, a word of two profiles out of three counts; with it, not
    small = sp.csr_matrix(np.array([[1, 0, 0, 0]] * 2 + [[0, 1, 0, 0]], dtype=float))
    assert generic_terms(small, max_share=0.5, min_count=1)[0]
    assert not generic_terms(small, max_share=0.5, min_count=20)[0]


def test_frame_words_are_never_key_terms():
    import scipy.sparse as sp

    from matcher.ranking.reasons import generic_terms

    docs = sp.csr_matrix(np.eye(3))
    terms = ["employees", "python", "Empleados"]
    got = generic_terms(docs, terms=terms, frame_words={"employees", "empleados"}, max_share=0.9, min_count=1)
    assert got.tolist() == [True, False, True]  # compared case-folded and accent-stripped
    assert generic_terms(docs, frame_words={"employees"}, max_share=0.9, min_count=1).tolist() == [False] * 3
