"""Progress while embedding: a rich bar on a terminal, or log lines for a long job without one."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("matcher.embeddings")

#: Jobs of at least this many steps report progress in the log when no bar is drawn
#: (a server warming up embeds thousands of documents before ``/ready``).
LOG_THRESHOLD = 256
#: Seconds between two log lines.
LOG_EVERY = 10.0


@contextmanager
def progress_bar(
    total: int, description: str, *, enabled: bool, unit: str = "texts"
) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``, which moves a transient rich progress bar by ``n`` steps.

    When ``enabled`` is false no bar is drawn; a job of ``LOG_THRESHOLD`` steps or more
    then logs one INFO line on ``matcher.embeddings`` every ``LOG_EVERY`` seconds and
    one at the end (done, rate, time), so a log shows a long embedding is alive.
    """
    if total <= 0:
        yield lambda n: None
        return
    if not enabled:
        if total < LOG_THRESHOLD:
            yield lambda n: None
            return
        with _log_lines(total, description, unit) as advance:
            yield advance
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


@contextmanager
def _log_lines(total: int, description: str, unit: str) -> Iterator[Callable[[int], None]]:
    start = time.monotonic()
    state = {"done": 0, "last": start}
    log.info("%s: %d %s to embed", description, total, unit)

    def advance(n: int) -> None:
        state["done"] += n
        now = time.monotonic()
        if now - state["last"] >= LOG_EVERY and state["done"] < total:
            state["last"] = now
            done, elapsed = int(state["done"]), now - start
            left = elapsed / done * (total - done) if done else float("nan")
            log.info(
                "%s: %d/%d %s (%.0f %%), %.0f s elapsed, ~%.0f s left",
                description,
                done,
                total,
                unit,
                100 * done / total,
                elapsed,
                left,
            )

    yield advance
    elapsed = time.monotonic() - start
    log.info(
        "%s: %d %s in %.0f s (%.0f/s)",
        description,
        int(state["done"]),
        unit,
        elapsed,
        state["done"] / max(elapsed, 1e-9),
    )
