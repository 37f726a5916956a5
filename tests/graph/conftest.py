"""The API suites' fixtures (a seeded programme, one key per role), for the graph routes' tests."""

from tests.api.conftest import api, api_pg_url  # noqa: F401
