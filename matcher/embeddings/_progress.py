"""A progress bar (rich) that costs nothing when it is switched off."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(total: int, description: str, *, enabled: bool) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``, which moves a transient rich progress bar by ``n`` steps.

    When ``enabled`` is false no bar is drawn and ``advance`` does nothing.
    """
    if not enabled or total <= 0:
        yield lambda n: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)
