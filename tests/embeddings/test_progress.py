"""Progress of a long embedding job shows in the log when no bar is drawn (server warm-up)."""

from __future__ import annotations

import logging

import pytest

from matcher.embeddings import _progress
from matcher.embeddings._progress import progress_bar


def test_long_job_without_bar_logs_progress_and_a_summary(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_progress, "LOG_EVERY", 0.0)
    with (
        caplog.at_level(logging.INFO, logger="matcher.embeddings"),
        progress_bar(400, "Embedding (m)", enabled=False, unit="windows") as advance,
    ):
        for _ in range(4):
            advance(100)
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == "Embedding (m): 400 windows to embed"
    assert "Embedding (m): 100/400 windows (25 %)" in lines[1]
    assert lines[-1].startswith("Embedding (m): 400 windows in ")
    assert len(lines) == 5  # start, 25 %, 50 %, 75 %, summary (no "400/400" line)


def test_short_job_without_bar_is_silent(caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.INFO, logger="matcher.embeddings"),
        progress_bar(_progress.LOG_THRESHOLD - 1, "Embedding (m)", enabled=False) as advance,
    ):
        advance(10)
    assert caplog.records == []
