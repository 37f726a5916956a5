"""A live server for the browser tests and the screenshot script: uvicorn on 127.0.0.1, a free port.

The database is a small demo programme (``generate(scale=0.05)``: 33 organisations, 21
challenges, 217 documents), matched by the real :class:`ProgrammeMatcher` with the
deterministic fake encoder, so pages show real rankings and reasons without a model.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from api.app import create_app
from api.matching import ProgrammeMatcherAdapter
from matcher import types as t
from matcher.config import Settings
from matcher.demo import generate
from matcher.embeddings import FakeEncoder
from matcher.ingest.files import iter_entity_files
from matcher.services.access import create_key
from matcher.services.database import open_database
from matcher.services.importing import import_file
from matcher.services.matching import ProgrammeMatcher
from matcher.services.training import load_areas
from matcher.store import records as repo
from matcher.store import training as training_store
from matcher.store import transaction

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


@dataclass
class Live:
    url: str
    keys: dict[str, str]  # name -> API key
    private_challenge: str  # a private challenge of sme_a's, with consultancy suggestions
    other_challenge: str  # a challenge of sme_b's
    sessions: object


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_demo(url: str, folder: Path) -> tuple[dict[str, str], str, str]:
    """Load the small demo programme; returns keys by name, sme_a's private challenge and one of sme_b's."""
    generate(folder / "demo", seed=7, scale=0.05)
    _, factory = open_database(url)
    # The demo also writes training_modules / assessments files: not programme entity files, left out.
    training = [folder / "demo" / f"{e}{x}" for e in t.TRAINING_TYPES for x in (".csv", ".jsonl")]
    for entity, path in iter_entity_files(folder / "demo", ignore=training):
        with transaction(factory) as session:
            import_file(path, session=session, entity=entity)
    with transaction(factory) as session:
        load_training(folder / "demo", session=session)
    with transaction(factory) as session:
        challenges = repo.list_records("challenges", session=session)
        organisations = repo.list_records("organisations", session=session)
        private = next(
            c for c in challenges
            if c.visibility is t.Visibility.PRIVATE and t.Programme.CONSULTANCY in c.programmes
        )  # fmt: skip
        other = next(c for c in challenges if c.sme_id != private.sme_id)
        sme_a = next(o for o in organisations if o.id == private.sme_id)
        facility = repo.list_records("facilities", session=session)[0]
        host = next(o for o in organisations if o.id == facility.host_id)
        hei = next(o for o in organisations if o.kind is t.OrgKind.HEI and o.council == sme_a.council)
        wanted = {
            "sme_a": ("sme", private.sme_id, None),
            "sme_b": ("sme", other.sme_id, None),
            "coordinator": ("coordinator", hei.id, None),
            "council": ("council", None, sme_a.council),
            "host": ("facility_host", host.id, None),
            "admin": ("admin", None, None),
            "trainer": ("trainer", None, sme_a.council),
        }
        keys = {}
        for name, (role, org, council) in wanted.items():
            keys[name], _ = create_key(
                role, organisation_id=org, council=council, label=name, session=session
            )
    return keys, private.id, other.id


def load_training(folder: Path, *, session: Any) -> None:
    """The demo's training catalogue and self-assessments, stored through the training repository.

    (Not ``import_training_file``: on today's main its parser fails for the training entities,
    ``field_limits`` not knowing them.)
    """
    areas = frozenset(a.code for a in load_areas())
    for entity, kind in t.TRAINING_TYPES.items():
        rows = [json.loads(line) for line in (folder / f"{entity}.jsonl").read_text().splitlines() if line]
        records = []
        for row in rows:
            for key in ("skills", "areas"):
                if key in row:
                    row[key] = tuple(row[key])
            for key in ("starts", "ends", "assessed_on"):
                if row.get(key):
                    row[key] = dt.date.fromisoformat(row[key])
            if "format" in row:
                row["format"] = t.TrainingFormat(row["format"])
            records.append(kind(**row))
        training_store.upsert(entity, records, session=session, areas=areas)


@contextmanager
def live_server(folder: Path) -> Iterator[Live]:
    """Serve the app on 127.0.0.1 in a thread until the block ends."""
    url = f"sqlite:///{folder / 'ui.db'}"
    keys, private, other = load_demo(url, folder)
    settings = Settings(
        database_url=url, env="test", cache_path=folder / "embeddings.sqlite", warm_start=False
    )
    matcher = ProgrammeMatcherAdapter(ProgrammeMatcher(encoder=FakeEncoder()))
    app = create_app(settings, matcher=matcher)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="ui-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", keys, private, other, app.state.sessions)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
