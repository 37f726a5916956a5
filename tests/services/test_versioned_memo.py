"""VersionedMemo: an answer is reused exactly while the store's version stands, never after a write."""

from __future__ import annotations

from sqlalchemy.orm import Session

from matcher.services.serving import VersionedMemo
from matcher.store.changes import _WROTE


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
