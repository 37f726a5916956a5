"""Fixtures of the API suites: a seeded programme, one key per role, a fake matcher.

The programme spans three councils.  Bologna holds two SMEs (one challenge public,
one private), a science park with a facility and a university; Cork holds a
university with a research group, two people and a facility; Málaga holds a private
SME with a private challenge.  Keys (by name): admin, council_bo, council_cork,
coord_cork, trainer_bo, host_cork, host_park, sme_bo1, sme_bo2, sme_ma, evaluator.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.app import create_app
from matcher import types as t
from matcher.config import Settings
from matcher.domain.matches import Suggestion
from matcher.services.access import create_key
from matcher.store import records as repo
from matcher.store import transaction
from tests.conftest import PG_SKIP_REASON, PG_URL, _pg_schema_url
from tests.factories import mini_programme

N, C = t.NodeType.ORGANISATION, t.NodeType.CHALLENGE


class FakeMatcher:
    """Ranked candidates known by construction; private records included on purpose."""

    name = "fake"

    def challenge_matches(self, challenge_id, match_type, k, *, session):  # type: ignore[no-untyped-def]
        by_type = {
            t.Programme.CONSULTANCY: [
                Suggestion(t.NodeType.PERSON, "stu-cork-1", 0.9, {"skills": ["CAD"]}),
                Suggestion(N, "rg-cork-01", 0.8),
                Suggestion(t.NodeType.PERSON, "stu-bo-1", 0.7),
            ],
            t.Programme.PLACEMENT: [Suggestion(t.NodeType.PERSON, "acad-cork-1", 0.6)],
            t.Programme.PARTNER: [Suggestion(N, "sme-ma-1", 0.7), Suggestion(N, "hei-cork", 0.5)],
            t.Programme.FACILITY: [
                Suggestion(t.NodeType.FACILITY, "fac-cork-1", 0.8),
                Suggestion(t.NodeType.FACILITY, "fac-bo-1", 0.4),
            ],
        }
        return by_type[match_type][:k]

    def profile_challenges(self, profile_id, k, *, session, reveal=None):  # type: ignore[no-untyped-def]
        # Private challenges in full on purpose: the route must drop what the caller may not read.
        return [Suggestion(C, "ch-bo-1", 0.9), Suggestion(C, "ch-bo-2", 0.8), Suggestion(C, "ch-ma-1", 0.7)][
            :k
        ]

    def partners(self, organisation_id, k, *, session):  # type: ignore[no-untyped-def]
        return [
            Suggestion(N, "hei-cork", 0.9),
            Suggestion(N, "sme-ma-1", 0.8),
            Suggestion(N, "sme-bo-2", 0.7),
        ][:k]


def programme() -> dict[str, list[object]]:
    data = mini_programme()
    data["organisations"] += [
        t.Organisation(
            "sme-bo-2", t.OrgKind.SME, "Packaging Bologna", "bologna", "IT", size_class=t.SizeClass.MICRO
        ),
        t.Organisation("park-bo", t.OrgKind.SCIENCE_PARK, "Tecnopolo Bologna", "bologna", "IT"),
        t.Organisation("hei-bo", t.OrgKind.HEI, "Università di Bologna", "bologna", "IT"),
    ]
    data["people"] += [t.Person("stu-bo-1", t.PersonKind.STUDENT, "Giulia Rossi", "hei-bo")]
    data["challenges"] += [
        t.Challenge(
            "ch-bo-2", "sme-bo-2", "Secret packaging line", "Private need.", visibility=t.Visibility.PRIVATE
        )
    ]
    data["facilities"] += [
        t.Facility(
            "fac-bo-1",
            "park-bo",
            t.FacilityKind.HOT_DESK,
            "Desks",
            "Hot desks.",
            council="bologna",
            country="IT",
        )
    ]
    data["profiles"] += [
        t.CapabilityProfile("prof-sme-bo-2", t.OwnerType.ORGANISATION, "sme-bo-2", "Packaging")
    ]
    data["documents"] += [
        t.Document("prof-sme-bo-2-d01", "prof-sme-bo-2", t.DocumentKind.DESCRIPTION, "Lines.")
    ]
    return data


KEYS = {
    "admin": ("admin", None, None),
    "council_bo": ("council", None, "bologna"),
    "council_cork": ("council", None, "cork"),
    "coord_cork": ("coordinator", "hei-cork", None),
    "trainer_bo": ("trainer", None, "bologna"),
    "host_cork": ("facility_host", "hei-cork", None),
    "host_park": ("facility_host", "park-bo", None),
    "sme_bo1": ("sme", "sme-bo-1", None),
    "sme_bo2": ("sme", "sme-bo-2", None),
    "sme_ma": ("sme", "sme-ma-1", None),
    "evaluator": ("evaluator", None, None),
}


def seed(factory) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with transaction(factory) as session:
        for entity, records in programme().items():
            repo.upsert(entity, records, session=session)
        keys = {}
        for name, (role, org, council) in KEYS.items():
            keys[name], _ = create_key(
                role, organisation_id=org, council=council, label=name, session=session
            )
    return keys


@dataclass
class Api:
    client: TestClient
    keys: dict[str, str]

    def as_(self, name: str) -> dict[str, str]:
        return {"X-API-Key": self.keys[name]}

    def call(self, name: str | None, method: str, path: str, **kwargs):  # type: ignore[no-untyped-def]
        headers = {**(self.as_(name) if name else {}), **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)


def _start(url: str, folder: Path, matcher: object | None = None) -> Iterator[Api]:
    settings = Settings(database_url=url, env="test", cache_path=folder / "embeddings.sqlite")
    app = create_app(settings, matcher=matcher or FakeMatcher())
    with TestClient(app) as client:
        yield Api(client, reseed(app.state.sessions))


def reseed(factory) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Empty every table but the councils (a PostgreSQL schema is shared by the suites), then seed."""
    from matcher.store.models import Base

    with factory() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "councils":
                session.execute(table.delete())
        session.commit()
    return seed(factory)


BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres", marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)]
    ),
]


@pytest.fixture(scope="session")
def api_pg_url() -> Iterator[str]:
    """A PostgreSQL schema of the API suites' own (migrated by the app's lifespan)."""
    from matcher.store.db import make_engine

    schema = f"cm_api_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)  # type: ignore[arg-type]
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _pg_schema_url(schema)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _url(request: pytest.FixtureRequest, folder) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{folder / 'api.db'}"
    return request.getfixturevalue("api_pg_url")


@pytest.fixture(scope="module", params=BACKENDS)
def shared_api(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Api]:  # type: ignore[no-untyped-def]
    """One seeded app per module and backend, for tests that do not change the seeded records."""
    folder = tmp_path_factory.mktemp("api")
    yield from _start(_url(request, folder), folder)


@pytest.fixture(params=BACKENDS)
def api(request: pytest.FixtureRequest, tmp_path) -> Iterator[Api]:  # type: ignore[no-untyped-def]
    """A freshly seeded app, for tests that write."""
    yield from _start(_url(request, tmp_path), tmp_path)


@pytest.fixture(params=BACKENDS)
def real_api(request: pytest.FixtureRequest, tmp_path) -> Iterator[Api]:  # type: ignore[no-untyped-def]
    """A freshly seeded app whose matcher is the real ProgrammeMatcher with the deterministic fake encoder."""
    from api.matching import ProgrammeMatcherAdapter
    from matcher.embeddings import FakeEncoder
    from matcher.services.matching import ProgrammeMatcher

    matcher = ProgrammeMatcherAdapter(ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk"))
    yield from _start(_url(request, tmp_path), tmp_path, matcher)
