"""Training catalogue and self-assessments: import, access-checked edits, and suggestions.

Suggestions (:mod:`matcher.needs.recommend`):

- SME -> modules, each with the need it answers: one of the SME's open challenges, or a weak
  area of its latest self-assessment (score <= 2), and ``mobility`` when the module is in another
  council (training abroad);
- trainer -> the need clusters of its council that no module of the catalogue covers (best module
  cosine below :data:`COVERED`), the SMEs most likely to benefit from each of its council's
  modules, and groups of SMEs whose challenges fall in one cluster (they could train together).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matcher import types as t
from matcher.embeddings.base import Encoder
from matcher.embeddings.language import stop_words
from matcher.exceptions import Location, NotFoundError, PermissionDeniedError, ValidationError
from matcher.ingest.files import read_rows
from matcher.ingest.schema import parse_record, to_raw
from matcher.needs import best_modules, cluster_needs, uncovered_clusters
from matcher.services.access import WRITABLE, Principal, Role, can_read, can_write, read_scope
from matcher.store import Session
from matcher.store import training as training_store
from matcher.store.challenges import all_challenges

AREAS_CSV = Path(__file__).resolve().parents[2] / "data" / "assessment_areas.csv"
WEAK = 2  # an area scored at most this is a weak area
AREA_WEIGHT = 0.3  # bonus for a module that trains a weak area, times (5 - score) / 4
COVERED = 0.35  # a cluster whose best module cosine is below this is uncovered

__all__ = ["Area", "import_training_file", "load_areas", "recommend_for_sme", "trainer_view"]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    description: str
    keywords: tuple[str, ...]

    @property
    def text(self) -> str:
        return f"{self.name}. {self.description}. {', '.join(self.keywords)}"


def load_areas(path: Path = AREAS_CSV) -> list[Area]:
    """The assessment areas (reference data, ``data/assessment_areas.csv``)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [Area(r["code"], r["name"], r["description"], tuple(k for k in r["keywords"].split(";") if k))
                for r in csv.DictReader(fh)]  # fmt: skip


def _codes() -> frozenset[str]:
    return frozenset(a.code for a in load_areas())


def import_training_file(path: Path | str, entity: str | None = None, *, session: Session) -> dict[str, int]:
    """Validate and store a CSV / JSONL file of ``training_modules`` or ``assessments`` (all or nothing).

    Raises
    ------
    ValidationError
        With file, line and field; nothing is stored (the caller rolls back).
    """
    path = Path(path)
    entity = entity or path.name.split(".")[0]
    if entity not in t.TRAINING_TYPES:
        raise ValidationError(
            "cannot tell the entity from the file name; name it training_modules.csv or assessments.csv "
            "(or .jsonl), or pass --entity", Location(str(path)),
        )  # fmt: skip
    seen: dict[str, int] = {}
    batch: list[Any] = []
    where: list[Location] = []
    stored = 0

    def store() -> None:  # one lookup of references and existing rows per batch, not per row
        nonlocal stored
        training_store.upsert(entity, batch, session=session, areas=_codes(), locations=where)
        stored += len(batch)
        batch.clear()
        where.clear()

    for row in read_rows(path, entity):
        rec = parse_record(entity, row.data, file=str(path), line=row.line)
        if rec.id in seen:
            raise ValidationError(f"duplicate id {rec.id!r} (first on line {seen[rec.id]})",
                                  Location(str(path), row.line, "id"))  # fmt: skip
        seen[rec.id] = row.line
        batch.append(rec)
        where.append(Location(str(path), row.line))
        if len(batch) >= _IMPORT_BATCH:
            store()
    if batch:
        store()
    return {"rows": stored}


_IMPORT_BATCH = 1_000  # rows per upsert: ~4 queries each, whatever its size


# --------------------------------------------------------------------------- edits over the API
def _ownership(entity: str, payload: t.TrainingModule | t.Assessment, *, session: Session):
    from matcher.domain.access import Ownership

    org = payload.provider_id if isinstance(payload, t.TrainingModule) else payload.sme_id
    council = (
        payload.council
        if isinstance(payload, t.TrainingModule)
        else training_store.sme_councils(session=session).get(org)
    )
    return Ownership(org, council, entity == "training_modules")


def read_record(principal: Principal, entity: str, external_id: str, *, session: Session) -> dict[str, Any]:
    """The record as JSON; not found when the caller may not read it."""
    owner = training_store.ownership(entity, external_id, session=session)
    if not can_read(principal, entity, owner):
        raise NotFoundError(f"no record with id {external_id!r}")
    rec, version = training_store.get(entity, external_id, session=session)
    return {**to_raw(rec), "version": version}


def write_record(
    principal: Principal, entity: str, data: dict[str, Any], *, session: Session
) -> dict[str, Any]:
    """Create or replace a record; the caller must manage the provider / SME of both old and new."""
    if entity not in WRITABLE[principal.role]:
        raise PermissionDeniedError(f"a {principal.role.value} key cannot change {entity}")
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise ValidationError("text must not contain NUL bytes", Location(field=str(name)))
    rec = parse_record(entity, data)
    try:
        old = training_store.ownership(entity, rec.id, session=session)
    except NotFoundError:
        old = None
    if old is not None and not can_read(principal, entity, old):
        raise NotFoundError(f"no record with id {rec.id!r}")  # another owner's id: as if unknown
    new = _ownership(entity, rec, session=session)
    if old is not None and not can_write(principal, entity, old):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot change {rec.id}")
    if not can_write(principal, entity, new):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot write this {entity} record")
    training_store.upsert(entity, [rec], session=session, areas=_codes())
    return read_record(principal, entity, rec.id, session=session)


def delete_record(principal: Principal, entity: str, external_id: str, *, session: Session) -> None:
    owner = training_store.ownership(entity, external_id, session=session)
    if not can_read(principal, entity, owner):
        raise NotFoundError(f"no record with id {external_id!r}")
    if not can_write(principal, entity, owner):
        raise PermissionDeniedError(f"a {principal.role.value} key cannot delete {external_id}")
    training_store.delete(entity, external_id, session=session)


def list_records(principal: Principal, entity: str, *, session: Session) -> list[dict[str, Any]]:
    """The records the caller may read (the evaluator reads none: permission denied)."""
    read_scope(principal, entity)
    rows: Sequence[t.TrainingModule | t.Assessment]
    if entity == "training_modules":
        rows = training_store.list_modules(session=session)
        return [
            to_raw(r) for r in rows if can_read(principal, entity, _ownership(entity, r, session=session))
        ]
    councils = training_store.sme_councils(session=session)
    from matcher.domain.access import Ownership

    return [to_raw(r) for r in training_store.list_assessments(session=session)
            if can_read(principal, entity, Ownership(r.sme_id, councils.get(r.sme_id), False))]  # fmt: skip


# --------------------------------------------------------------------------- suggestions
def module_text(m: t.TrainingModule) -> str:
    skills = f"\n{', '.join(m.skills)}." if m.skills else ""
    return f"{m.title}.\n{m.description}{skills}"


def latest_assessment(rows: Sequence[t.Assessment]) -> dict[str, dict[str, Any]]:
    """Per area: the latest score, its date and the change since the SME's previous assessment."""
    by_area: dict[str, list[t.Assessment]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r.assessed_on):
        by_area[r.area].append(r)
    return {
        area: {"score": rs[-1].score, "assessed_on": rs[-1].assessed_on.isoformat(),
               "change": rs[-1].score - rs[-2].score if len(rs) > 1 else None}
        for area, rs in sorted(by_area.items())
    }  # fmt: skip


def recommend_for_sme(encoder: Encoder, sme_id: str, *, session: Session, k: int = 10) -> dict[str, Any]:
    """Ranked modules for an SME with the need each answers (a challenge or a weak area).

    Raises
    ------
    NotFoundError
        Unknown SME, or no module in the catalogue.
    """
    councils = training_store.sme_councils(session=session)
    if sme_id not in councils:
        raise NotFoundError(f"no SME with id {sme_id!r}")
    modules = training_store.list_modules(session=session)
    if not modules:
        raise NotFoundError("the training catalogue is empty; import training_modules first")
    areas = {a.code: a for a in load_areas()}
    state = latest_assessment(training_store.list_assessments(session=session, sme_id=sme_id))
    challenges = [
        c for c in all_challenges(session=session, statuses=("open",)) if c.organisation_id == sme_id
    ]
    needs: list[dict[str, Any]] = [{"challenge": c.challenge_id, "title": c.title} for c in challenges]
    texts = [c.text for c in challenges]
    weak = [(code, s["score"]) for code, s in state.items() if s["score"] <= WEAK and code in areas]
    needs += [{"area": code, "name": areas[code].name, "score": score} for code, score in weak]
    texts += [areas[code].text for code, _ in weak]
    if not needs:
        return {"sme": sme_id, "assessment": state, "suggestions": []}
    vectors = encoder.encode(texts + [module_text(m) for m in modules])
    need_v, mod_v = vectors[: len(texts)], vectors[len(texts) :]
    bonus = np.zeros((len(needs), len(modules)))
    for i, need in enumerate(needs):
        if "area" in need:
            for j, m in enumerate(modules):
                if need["area"] in m.areas:
                    bonus[i, j] = AREA_WEIGHT * (5 - need["score"]) / 4
    home = councils[sme_id]
    out = []
    for s in best_modules(need_v, mod_v, area_bonus=bonus, k=k):
        m = modules[s.module]
        out.append({
            "module": m.id, "title": m.title, "provider": m.provider_id, "council": m.council,
            "format": m.format.value, "language": m.language, "score": round(s.score, 4),
            "reasons": {"answers": needs[s.need], "similarity": round(s.similarity, 4),
                        "area_bonus": round(s.area_bonus, 4)},
            "mobility": m.council != home,
        })  # fmt: skip
    return {"sme": sme_id, "assessment": state, "suggestions": out}


def trainer_view(encoder: Encoder, council: str, *, session: Session, k: int = 5) -> dict[str, Any]:
    """A trainer's region: uncovered need clusters, who benefits from each local module, SME groups.

    Raises
    ------
    NotFoundError
        The council has no open challenges.
    """
    challenges = [c for c in all_challenges(session=session, statuses=("open",)) if c.council == council]
    if not challenges:
        raise NotFoundError(f"council {council!r} has no open challenges")
    modules = training_store.list_modules(session=session)
    texts = [c.text for c in challenges]
    vectors = encoder.encode(texts + [module_text(m) for m in modules])
    ch_v, mod_v = vectors[: len(texts)], vectors[len(texts) :]
    clusters, labels = cluster_needs(
        [c.challenge_id for c in challenges], texts, ch_v, stop_words=stop_words()
    )
    centroids = np.vstack([ch_v[labels == i].mean(axis=0) for i in range(len(clusters))])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    best, uncovered = uncovered_clusters(centroids, mod_v, threshold=COVERED)
    sme_of = np.array([c.organisation_id for c in challenges], dtype=object)
    view_clusters: list[dict[str, Any]] = []
    for i, c in enumerate(clusters):
        smes = sorted(set(sme_of[labels == i].tolist()))
        view_clusters.append({**c.to_dict(), "smes": smes, "best_module_similarity": round(float(best[i]), 4),
                              "uncovered": bool(uncovered[i])})  # fmt: skip
    local = [j for j, m in enumerate(modules) if m.council == council]
    beneficiaries = []
    for j in local:
        sim = ch_v @ mod_v[j]
        per_sme: dict[str, tuple[float, str]] = {}
        for i in np.argsort(-sim, kind="stable"):
            s = str(sme_of[i])
            if s not in per_sme:
                per_sme[s] = (float(sim[i]), challenges[int(i)].challenge_id)
        top = sorted(per_sme.items(), key=lambda kv: (-kv[1][0], kv[0]))[:k]
        beneficiaries.append({"module": modules[j].id, "title": modules[j].title,
                              "smes": [{"sme": s, "score": round(v, 4), "challenge": ch} for s, (v, ch) in top]})  # fmt: skip
    return {
        "council": council,
        "uncovered": [c for c in view_clusters if c["uncovered"]],
        "clusters": view_clusters,
        "beneficiaries": beneficiaries,
        "groups": [
            {"cluster": c["id"], "label": c["label"], "smes": c["smes"]}
            for c in view_clusters
            if len(c["smes"]) >= 2
        ],
    }


def principal_council(principal: Principal, council: str | None) -> str:
    """The council a needs / trainer request is about: a council or trainer key's own; admins name one."""
    if principal.role in (Role.COUNCIL, Role.TRAINER):
        if council not in (None, principal.council):
            raise PermissionDeniedError(f"a {principal.role.value} key sees only its own council")
        assert principal.council is not None
        return principal.council
    if principal.role == Role.ADMIN:
        if not council:
            raise ValidationError("an admin names the council", Location(field="council"))
        return council
    raise PermissionDeniedError(f"a {principal.role.value} key cannot read needs maps")
