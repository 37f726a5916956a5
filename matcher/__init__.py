"""Cluster Match: a matchmaking engine for university-industry programmes.

The Python API, for scripts, notebooks, the HTTP service and the evaluation tools::

    from matcher import load_settings, open_database, make_programme_matcher

    settings = load_settings()                       # MATCHER_* environment variables
    engine, sessions = open_database(settings.resolved_database_url)
    matcher = make_programme_matcher(settings)       # encoders load on first use
    with sessions() as session:
        for s in matcher.suggest("ch-bologna-0001", "consultancy", session=session, k=5):
            print(s.rank, s.candidate_id, round(s.score, 3), s.reasons["key_terms"])

    from matcher import rank_files, make_encoder     # files in, TREC run out; no database
    rank_files("challenges.jsonl", "profiles.jsonl", "run.trec", encoder=make_encoder())

Names are imported on first use (PEP 562), so ``import matcher`` stays instant and loads
neither the database layer nor a model.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public name -> module that defines it.
_EXPORTS = {
    # configuration and errors
    "Settings": "matcher.config",
    "load_settings": "matcher.config",
    "MatcherError": "matcher.exceptions",
    "ValidationError": "matcher.exceptions",
    "NotFoundError": "matcher.exceptions",
    # the database
    "open_database": "matcher.services.database",
    "transaction": "matcher.store.db",
    # import and export
    "import_file": "matcher.services.importing",
    "validate_file": "matcher.services.importing",
    "export_all": "matcher.services.importing",
    # matching on the stored programme
    "ProgrammeMatcher": "matcher.services.matching",
    "MatchFilters": "matcher.services.matching",
    "Suggestion": "matcher.domain.matches",
    "make_programme_matcher": "matcher.services.engine",
    "make_encoders": "matcher.services.engine",
    # ranking files (no database) and the model-free ranker
    "rank_files": "matcher.services.rank_files",
    "ProfileRanker": "matcher.ranking",
    "RankingConfig": "matcher.ranking",
    "METHODS": "matcher.ranking",
    "DEFAULT_METHOD": "matcher.ranking",
    # embeddings
    "make_encoder": "matcher.embeddings",
    "FakeEncoder": "matcher.embeddings",
    # erasure and the demo programme
    "erase_person": "matcher.services.erasure",
    "generate_demo": "matcher.demo",
}
_RENAMED = {"generate_demo": "generate"}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'matcher' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), _RENAMED.get(name, name))
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return __all__
