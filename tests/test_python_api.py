"""The public Python API: every advertised name resolves, and importing matcher stays light."""

import subprocess
import sys

import matcher


def test_every_exported_name_resolves():
    for name in matcher.__all__:
        assert getattr(matcher, name) is not None, name


def test_import_matcher_loads_no_database_layer_or_model():
    code = "import sys, matcher; print(sorted(m for m in ('sqlalchemy', 'torch', 'sentence_transformers', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_python_api_matches_the_documented_example(tmp_path):
    from matcher import FakeEncoder, ProgrammeMatcher, open_database, transaction
    from matcher.store import records as repo
    from tests.factories import mini_programme

    _, sessions = open_database(f"sqlite:///{tmp_path / 'm.db'}")
    with transaction(sessions) as session:
        for entity, records in mini_programme().items():
            repo.upsert(entity, records, session=session)
    with sessions() as session:
        out = ProgrammeMatcher(encoder=FakeEncoder()).suggest("ch-bo-1", "consultancy", session=session, k=5)
    assert out and out[0].rank == 1 and "key_terms" in out[0].reasons
