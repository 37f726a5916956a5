"""The API suites' fixtures, for the training and needs routes."""

from tests.api.conftest import api_pg_url, real_api  # noqa: F401
