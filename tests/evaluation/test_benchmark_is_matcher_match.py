"""The built-in benchmark measures exactly what ``matcher match`` returns (issue #8 item 3).

A small demo programme is generated and loaded into SQLite by ``matcher demo-data``; the
benchmark reads the same programme from its files (``load_benchmark(..., demo=True)``, the
code path of ``matcher evaluate benchmark``) and :class:`ProgrammeMatcher` from the database.
The right answer is known by construction: one programme, one method, one encoder, so for
every challenge and match type both must give the same top 10, in the same order, with the
same scores.  Anything else means the two read different candidates, texts or corpus order.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from evaluation.builtin import MATCH_TYPES, BenchmarkInputs, load_benchmark
from matcher.cli import main
from matcher.embeddings import FakeEncoder
from matcher.ranking import DEFAULT_METHOD
from matcher.services.database import open_database
from matcher.services.matching import ProgrammeMatcher

K = 10
METHODS = (DEFAULT_METHOD, "hybrid-topk")


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``(benchmark inputs, session factory)`` of one demo programme, files and database."""
    root = tmp_path_factory.mktemp("benchsame")
    data, url = root / "demo", f"sqlite:///{root / 'matcher.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MATCHER_EMBEDDING_BACKEND", "fake")
        mp.setenv("MATCHER_VAR_DIR", str(root / "var"))
        mp.delenv("MATCHER_CACHE_PATH", raising=False)
        assert main(["demo-data", "--scale", "0.1", "--out", str(data), "--database-url", url]) == 0
        bench = load_benchmark(data, root / "var", demo=True)
    engine, factory = open_database(url, initialise=False)
    yield bench, factory
    engine.dispose()


def _benchmark_top(
    bench: BenchmarkInputs, method: str, match_type: str
) -> dict[str, list[tuple[str, float]]]:
    run = bench.rank(method, bench.challenges, bench.profiles, settings={}, match_type=match_type)
    return {cid: list(run.get(cid, {}).items())[:K] for cid in bench.challenges}


@pytest.mark.parametrize("method", METHODS)
def test_benchmark_ranking_is_matcher_match(programme: Any, method: str) -> None:
    bench, sessions = programme
    matcher = ProgrammeMatcher(encoder=FakeEncoder(), method=method, answer_cache=0)
    compared, mismatched, nonempty = 0, [], 0
    with sessions() as session:
        for match_type in MATCH_TYPES:
            expected = _benchmark_top(bench, method, match_type)
            for cid in bench.challenges:
                got = [
                    (s.profile_id, s.score) for s in matcher.suggest(cid, match_type, session=session, k=K)
                ]
                want = expected[cid]
                compared += 1
                nonempty += bool(got)
                same = [p for p, _ in got] == [p for p, _ in want] and all(
                    math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)  # float32 cosines: ~6e-7 relative
                    for (_, a), (_, b) in zip(got, want, strict=True)
                )
                if not same:
                    mismatched.append((match_type, cid, want[:3], got[:3]))
    assert compared == len(MATCH_TYPES) * len(bench.challenges) > 0
    assert nonempty > compared // 2  # the comparison is not between empty lists
    assert not mismatched, f"{len(mismatched)} of {compared} rankings differ, e.g. {mismatched[:2]}"


def test_the_programme_exercises_the_rules(programme: Any) -> None:
    """Every match type excludes some profiles, so equal rankings also mean equal candidate sets."""
    bench, _ = programme
    for match_type in MATCH_TYPES:
        run = bench.rank(DEFAULT_METHOD, bench.challenges, bench.profiles, settings={}, match_type=match_type)
        assert all(len(run[c]) < len(bench.profiles) for c in bench.challenges), match_type


def test_the_demo_files_are_what_the_database_holds(programme: Any) -> None:
    """Both sides read one programme: the same profiles, in the same order."""
    from matcher.store.corpus import load_corpus

    bench, sessions = programme
    with sessions() as session:
        corpus = load_corpus(session=session)
    assert [c.profile_id for c in corpus.candidates] == bench.profiles


def test_build_corpus_fixes_order_and_language_whatever_the_input_order() -> None:
    """The store and the benchmark hand records over in different orders; the corpus is one."""
    from matcher.store.corpus import Candidate, CorpusDocument, build_corpus

    def cand(pid: str) -> Candidate:
        return Candidate(pid, "organisation", pid, pid, "sme", "cork", "IE", pid, "public", True)

    entries = [
        (
            cand("p-b"),
            [CorpusDocument("d-2", "p-b", "zwei", "de"), CorpusDocument("d-1", "p-b", "one", "en")],
        ),
        (cand("p-none"), []),
        (cand("p-a"), [CorpusDocument("d-9", "p-a", "nueve", "es")]),
    ]
    forward, backward = build_corpus(entries), build_corpus([(c, d[::-1]) for c, d in entries[::-1]])
    assert forward == backward
    assert [c.profile_id for c in forward.candidates] == ["p-a", "p-b"]  # no documents: no candidate
    assert [d.id for d in forward.documents] == ["d-9", "d-1", "d-2"]
    assert [c.language for c in forward.candidates] == ["es", "en"]  # a tie: the first document's
