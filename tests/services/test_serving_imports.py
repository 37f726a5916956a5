"""A serving process (the app imported, a matcher fitted, a request answered) loads no scikit-learn.

scikit-learn pulls in pandas: about 100 MB of RSS per server process.  The lexical signal's
TF-IDF is in-house (matcher.ranking.tfidf) and the offline-only features import scikit-learn
when they run, so neither library is needed to serve.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SERVE = """
import sys
import api.app  # noqa: F401  the whole app, its routers and the UI
from matcher.embeddings import FakeEncoder
from matcher.services.database import open_database
from matcher.services.matching import ProgrammeMatcher
from matcher.store import records as repo
from matcher.store.db import transaction
from tests.factories import mini_programme

_, sessions = open_database(sys.argv[1])
with transaction(sessions) as session:
    for entity, records in mini_programme().items():
        repo.upsert(entity, records, session=session)
matcher = ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk")
with sessions() as session:
    out = matcher.suggest("ch-bo-1", "consultancy", session=session, k=5)
assert out and matcher.ranker_.lexical_ is not None, "the lexical signal was not fitted"
print(sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "pandas"}))
"""


def test_serving_imports_neither_sklearn_nor_pandas(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MATCHER_EMBEDDING_BACKEND": "fake",
        "MATCHER_VAR_DIR": str(tmp_path / "var"),
    }
    url = f"sqlite:///{tmp_path / 'm.db'}"
    run = subprocess.run(
        [sys.executable, "-c", SERVE, url], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
