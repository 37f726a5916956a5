"""VersionedMemo: an answer is reused exactly while the store's version stands, never after a write."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from matcher.services.serving import VersionedMemo
from matcher.store.changes import _WROTE, StoreVersion, corpus_generation, session_wrote, store_generation


class Version:
    def __init__(self) -> None:
        self.value = (1, 1)

    def current(self) -> tuple[int, int]:
        return self.value


def test_kept_while_the_version_stands_and_recomputed_after() -> None:
    version, calls = Version(), []
    memo = VersionedMemo(version, 8)  # type: ignore[arg-type]
    session = Session()

    def compute() -> bytes:
        calls.append(1)
        return f"answer {len(calls)}".encode()

    assert memo.get_or_compute("k", compute, session=session) == b"answer 1"
    assert memo.get_or_compute("k", compute, session=session) == b"answer 1"
    version.value = (2, 1)  # this process committed a write
    assert memo.get_or_compute("k", compute, session=session) == b"answer 2"
    version.value = (2, 2)  # another process did
    assert memo.get_or_compute("k", compute, session=session) == b"answer 3"
    assert (memo.hits, memo.misses) == (1, 3)


def test_an_answer_whose_computation_wrote_is_not_kept() -> None:
    memo, calls = VersionedMemo(Version(), 8), []  # type: ignore[arg-type]
    session = Session()

    def compute() -> bytes:
        calls.append(1)
        session.info[_WROTE] = True  # as a flush of new match records marks it
        return b"x"

    memo.get_or_compute("k", compute, session=session)
    memo.get_or_compute("k", compute, session=session)
    assert len(calls) == 2 and len(memo) == 0


def test_disabled_memo_always_computes() -> None:
    memo, calls = VersionedMemo(Version(), 0), []  # type: ignore[arg-type]
    for _ in range(3):
        memo.get_or_compute("k", lambda: calls.append(1) or b"x", session=Session())
    assert len(calls) == 3


class _Base(DeclarativeBase):
    pass


class _Row(_Base):
    __tablename__ = "rows"
    id: Mapped[int] = mapped_column(primary_key=True)


def test_a_savepoint_is_not_a_commit() -> None:
    """Writes in a released or rolled-back savepoint count when, and only when, the transaction commits."""
    engine = create_engine("sqlite://")
    _Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(_Row(id=1))
        session.flush()
        with session.begin_nested():  # as storing a new match record does
            session.add(_Row(id=2))
        with pytest.raises(IntegrityError), session.begin_nested():  # a concurrent insert won
            session.add(_Row(id=2))
        generation = store_generation()
        assert session_wrote(session) and store_generation() == generation  # nobody else can read it yet
        session.commit()
        assert store_generation() > generation and not session_wrote(session)


def test_another_writer_seen_by_the_version_is_a_corpus_change(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The matcher re-reads its corpus stamp before an answer is kept under a version that saw another writer."""
    path = tmp_path / "v.db"
    engine = create_engine(f"sqlite:///{path}")
    _Base.metadata.create_all(engine)
    version = StoreVersion(engine, interval=0)
    first = version.current()
    generation = corpus_generation()
    assert version.current() == first and corpus_generation() == generation  # nobody wrote
    other = sqlite3.connect(path)  # another process's connection: no session of ours sees it
    other.execute("INSERT INTO rows (id) VALUES (1)")
    other.commit()
    other.close()
    assert version.current()[1] > first[1] and corpus_generation() > generation
    engine.dispose()
