"""``matcher import-cordis``: CORDIS participants as organisations and ``joint_eu_project`` ties.

Each organisation of the selected countries is stored once, as ``cordis-<organisationID>``
(kind from ``activityType`` and the SME flag, :func:`matcher.ingest.cordis.organisation_kind`),
and each pair of imported organisations sharing a project gets one ``joint_eu_project``
relationship per project, id ``cordis-<projectID>-<orgA>-<orgB>`` (``orgA < orgB``), with the
project id and acronym as provenance.  Re-running the import on the same file changes
nothing; the caller's transaction holds the whole file (all or nothing).

Councils: an organisation in a country with one programme council belongs to it; in Spain,
to Alcalá de Henares (Madrid) when its city is in the Comunidad de Madrid, else to Málaga;
organisations of other countries go to the council ``external`` (outside the programme's
regions; created on first use, no council key answers for it).  CORDIS gives no NUTS
code in this table, so the Spanish split is by city name.

Projects have up to ~200 participants (about 20,000 pairs): pairs are generated per project
and written with executemany batches (:mod:`matcher.store.graph`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.exceptions import ValidationError
from matcher.ingest.cordis import Participation, read_cordis
from matcher.store import Session
from matcher.store import graph as graph_store

log = logging.getLogger(__name__)

COUNTRY_COUNCIL = {"IT": "bologna", "IE": "cork", "TR": "istanbul", "FR": "paris"}
EXTERNAL_COUNCIL = "external"
_MADRID_REGION = frozenset(
    {"madrid", "alcala de henares", "getafe", "leganes", "mostoles", "alcobendas", "tres cantos",
     "pozuelo de alarcon", "las rozas", "las rozas de madrid", "majadahonda", "fuenlabrada", "alcorcon",
     "san sebastian de los reyes", "boadilla del monte", "colmenar viejo", "arganda del rey",
     "torrejon de ardoz", "villaviciosa de odon", "coslada", "rivas-vaciamadrid", "parla", "aranjuez",
     "villanueva de la canada", "san lorenzo de el escorial", "getafe (madrid)"}
)  # fmt: skip
DEFAULT_COUNTRIES = ("ES", "IT", "IE", "TR", "FR")
ID_PREFIX = "cordis-"


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip().lower()


def council_for(country: str, city: str) -> str:
    """The council an organisation of ``country`` and ``city`` belongs to (see the module docstring)."""
    if country == "ES":
        return "alcala" if _plain(city) in _MADRID_REGION else "malaga"
    return COUNTRY_COUNCIL.get(country, EXTERNAL_COUNCIL)


@dataclass
class CordisReport:
    path: str
    rows: int = 0
    participations: int = 0
    skipped_countries: int = 0
    without_country: int = 0
    projects: int = 0
    organisations: dict[str, int] = field(default_factory=dict)
    relationships_created: int = 0
    relationships_unchanged: int = 0
    rejected: list[ValidationError] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        o = self.organisations
        text = (
            f"{self.path}: {self.rows} rows ({self.participations} of the selected countries, "
            f"{self.projects} projects); organisations {o.get('created', 0)} created, "
            f"{o.get('updated', 0)} updated, {o.get('unchanged', 0)} unchanged; joint_eu_project "
            f"relationships {self.relationships_created} created, {self.relationships_unchanged} unchanged"
        )
        if self.without_country:
            text += f"; {self.without_country} rows without a country left out"
        if self.rejected:
            text += f"; {len(self.rejected)} rejected rows"
        return text + f" ({self.seconds:.1f} s)"


def _organisations(parts: list[Participation]) -> list[dict[str, Any]]:
    """One row per organisation: its first participation names it (the file's order)."""
    seen: dict[str, dict[str, Any]] = {}
    for p in parts:
        oid = ID_PREFIX + p.organisation_id
        if oid in seen:
            continue
        seen[oid] = {
            "external_id": oid, "kind": p.kind.value, "name": p.name, "council": council_for(p.country, p.city),
            "country": p.country, "city": p.city,
        }  # fmt: skip
    return list(seen.values())


def project_pairs(parts: list[Participation]) -> Iterator[tuple[str, str, str, str]]:
    """``(project_id, acronym, org_a, org_b)`` for each pair of distinct organisations per project (a < b)."""
    members: dict[str, set[str]] = defaultdict(set)
    acronym: dict[str, str] = {}
    for p in parts:
        members[p.project_id].add(p.organisation_id)
        acronym.setdefault(p.project_id, p.acronym)
    for project in sorted(members, key=int):
        orgs = sorted(members[project], key=int)
        for a, b in itertools.combinations(orgs, 2):
            yield project, acronym[project], a, b


def import_cordis(
    path: Path,
    *,
    session: Session,
    countries: Collection[str] | None = DEFAULT_COUNTRIES,
    skip_invalid: bool = False,
    date: dt.date | None = None,
) -> CordisReport:
    """Import a CORDIS ``organization`` table into the caller's transaction (see the module docstring).

    ``countries=None`` imports every country.  ``date``: the date given to the ties
    (CORDIS's organization table has no project dates; ``None`` leaves them undated --
    projectID orders projects in time, see :func:`project_order`).
    """
    import time

    start = time.perf_counter()
    table = read_cordis(path, countries=countries, skip_invalid=skip_invalid)
    report = CordisReport(str(path), rows=table.rows, participations=len(table.participations),
                          skipped_countries=table.skipped_countries, without_country=table.without_country, rejected=table.rejected)  # fmt: skip
    orgs = _organisations(table.participations)
    if any(o["council"] == EXTERNAL_COUNCIL for o in orgs):
        graph_store.ensure_council(
            EXTERNAL_COUNCIL, name="Outside the programme's regions", country="EU", session=session
        )
    report.organisations = graph_store.bulk_upsert_organisations(orgs, session=session)
    existing = graph_store.relationship_ids_with_prefix(ID_PREFIX, session=session)
    report.projects = len({p.project_id for p in table.participations})

    def rows() -> Iterator[dict[str, Any]]:
        for project, acronym, a, b in project_pairs(table.participations):
            rid = f"{ID_PREFIX}{project}-{a}-{b}"
            if rid in existing:
                report.relationships_unchanged += 1
                continue
            yield {
                "external_id": rid, "kind": "joint_eu_project", "source_type": "organisation",
                "source_id": ID_PREFIX + a, "target_type": "organisation", "target_id": ID_PREFIX + b,
                "date": date, "provenance": f"CORDIS project {project} ({acronym})"[:300],
            }  # fmt: skip

    report.relationships_created = graph_store.bulk_insert_relationships(rows(), session=session)
    report.seconds = time.perf_counter() - start
    log.info(report.summary())
    return report


def project_order(relationship_id: str) -> int | None:
    """The CORDIS projectID of a ``cordis-<projectID>-...`` relationship id (grows with the grant date)."""
    if not relationship_id.startswith(ID_PREFIX):
        return None
    head = relationship_id[len(ID_PREFIX) :].split("-", 1)[0]
    return int(head) if head.isdigit() else None
