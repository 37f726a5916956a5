"""Property-based run of every operation against the live OpenAPI schema (bounded: a few examples each).

Checks: no 5xx, and every response conforms to its documented schema, status code and
content type.  Runs on SQLite over the seeded programme, with the admin key and an SME key.
(The operations are walked by hand: ``schemathesis.pytest.from_fixture`` does not work
with pytest 9 yet.)
"""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from matcher.config import Settings
from tests.api.conftest import FakeMatcher, seed

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
EXAMPLES = 4


def test_every_operation_conforms_to_the_schema(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'st.db'}", env="test"), matcher=FakeMatcher()
    )
    with TestClient(app):
        keys = seed(app.state.sessions)
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        failures: dict[str, str] = {}
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 30

        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case) -> None:  # type: ignore[no-untyped-def]
                for key in ("admin", "sme_bo1"):
                    case.call_and_validate(headers={"X-API-Key": keys[key]}, checks=CHECKS)

            try:
                run()
            except Exception as exc:  # collect every operation's failure, then report them together
                failures[operation.label] = str(exc)[:2000]
        assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
