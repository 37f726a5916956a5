"""The public Python API: every advertised name resolves, and importing matcher stays light."""

import subprocess
import sys

import matcher


def test_every_exported_name_resolves_to_the_project_object_of_that_name():
    aliases = {"generate_demo": "generate"}  # exported under a clearer name than its module's
    for name in matcher.__all__:
        obj = getattr(matcher, name)
        if not callable(obj):  # constants: __version__, DEFAULT_METHOD, METHODS
            assert obj, name
            continue
        assert obj.__name__ == aliases.get(name, name), name
        assert obj.__module__.startswith("matcher."), (name, obj.__module__)


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
    # Consultancy candidates of the mini programme: the research group and the student, whose
    # window overlaps the challenge's; never the facility (wrong kind) nor the SME itself.
    assert {s.candidate_id for s in out} == {"rg-cork-01", "stu-cork-1"}
    assert [s.rank for s in out] == [1, 2]
    assert out[0].score >= out[1].score
    student = next(s for s in out if s.candidate_id == "stu-cork-1")
    assert student.reasons["availability"] == "within the challenge's window"
