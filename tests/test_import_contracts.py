"""The import-linter layer contracts in pyproject.toml: kept by the code, and able to fail.

Each contract is broken on purpose in a copy of the source tree (one import added where the
layers forbid it), and lint-imports must then name that contract as broken: a contract that
cannot fail protects nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = {
    c["id"]: c
    for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
}

# contract id -> (module file in the copy, the forbidden import added to it)
BREAKS = {
    "core-not-edges": ("matcher/services/database.py", "import api.app"),
    "foundation": ("matcher/types.py", "import matcher.store.db"),
    "pure": ("matcher/ranking/fusion.py", "import sqlalchemy"),
    "pure-independent": ("matcher/graph/__init__.py", "import matcher.ranking"),
    "adapters": ("matcher/ingest/files.py", "import matcher.services.importing"),
    "adapters-independent": ("matcher/embeddings/cache.py", "import matcher.ingest.schema"),
    "sql-in-store": ("matcher/services/matching.py", "import sqlalchemy"),
    "models-in-embeddings": ("matcher/ranking/lexical.py", "import torch"),
    "http-in-api": ("matcher/services/records.py", "import fastapi"),
}


def _lint(cwd: Path, *contract_ids: str) -> subprocess.CompletedProcess[str]:
    args = [str(LINT_IMPORTS), "--no-cache", "--no-logo"]
    for cid in contract_ids:
        args += ["--contract", cid]
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, env={"PYTHONPATH": str(cwd)}, check=False
    )


def test_every_contract_has_a_break() -> None:
    assert set(BREAKS) == set(CONTRACTS)


def test_the_code_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("tree")
    for package in ("matcher", "api", "evaluation"):
        shutil.copytree(ROOT / package, dest / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


@pytest.mark.parametrize("contract_id", sorted(BREAKS))
def test_a_forbidden_import_breaks_the_contract(tree_copy: Path, contract_id: str) -> None:
    module, line = BREAKS[contract_id]
    path = tree_copy / module
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + f"\n{line}  # broken on purpose\n", encoding="utf-8")
        result = _lint(tree_copy, contract_id)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{CONTRACTS[contract_id]['name']} BROKEN" in " ".join(result.stdout.split())
