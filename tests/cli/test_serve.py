"""``matcher serve`` refuses what uvicorn cannot do, before it binds a port."""

from __future__ import annotations

import pytest

from matcher.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reload", "--workers", "2"], "--reload serves with one process"),
        (["--workers", "0"], "--workers"),
        (["--workers", "65"], "--workers"),
    ],
)
def test_serve_refuses_bad_worker_options(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--port", "1", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
