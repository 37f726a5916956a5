"""``matcher keys create|list|revoke``."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from matcher.cli import main
from matcher.config import Settings


def test_keys_create_list_revoke(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'k.db'}"
    db = ["--database-url", url]
    assert main(["keys", "create", "--role", "council", "--council", "cork", "--label", "ops", *db]) == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("cm_")
    assert main(["keys", "create", "--role", "sme", *db]) == 2  # an SME key needs an organisation
    assert main(["keys", "create", "--role", "council", "--council", "atlantis", *db]) == 2
    capsys.readouterr()
    assert main(["keys", "list", *db]) == 0
    listing = capsys.readouterr().out
    assert "council" in listing and "ops" in listing and key not in listing

    app = create_app(Settings(database_url=url), matcher=None)
    with TestClient(app) as client:
        assert client.get("/me", headers={"X-API-Key": key}).json()["council"] == "cork"
        assert main(["keys", "revoke", "1", *db]) == 0
        assert client.get("/me", headers={"X-API-Key": key}).status_code == 401


def test_bootstrap_admin_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = "a-long-bootstrap-admin-key-0123456789"
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", admin_key=secret), matcher=None)
    with TestClient(app) as client:
        assert client.get("/me", headers={"X-API-Key": secret}).json()["role"] == "admin"
