"""``matcher demo-data`` stores the demo's training modules and assessments with the programme; ``--if-empty`` twice is a no-op."""

from __future__ import annotations

from sqlalchemy import func, select

from matcher.cli import main
from matcher.services.database import open_database
from matcher.store.models import AssessmentRow, OrganisationRow, TrainingModuleRow


def _lines(path) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def _counts(url: str) -> tuple[int, int, int]:
    engine, factory = open_database(url)
    with factory() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(row)) or 0
                       for row in (OrganisationRow, TrainingModuleRow, AssessmentRow))  # fmt: skip
    engine.dispose()
    return counts  # type: ignore[return-value]


def test_demo_data_loads_training_and_if_empty_keeps_it(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    args = [
        "demo-data",
        "--scale",
        "0.05",
        "--out",
        str(tmp_path / "demo"),
        "--database-url",
        url,
        "--if-empty",
    ]
    assert main(args) == 0
    modules, assessments = (
        _lines(tmp_path / "demo" / "training_modules.jsonl"),
        _lines(tmp_path / "demo" / "assessments.jsonl"),
    )
    assert modules > 0 and assessments > 0
    first = _counts(url)
    assert first[1:] == (modules, assessments)  # every line of the files, once
    # the console wraps long lines (a long tmp path moves the break): compare words, not layout
    assert f"{modules} training modules stored" in " ".join(capsys.readouterr().out.split())
    assert main(args) == 0
    assert "demo data not loaded again" in " ".join(capsys.readouterr().out.split())
    assert _counts(url) == first
