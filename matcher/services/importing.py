"""Import and export: files <-> validated records <-> the store.

One transaction per file: the caller commits :func:`import_file`'s session only when
it returns, so a file with a bad row stores nothing -- unless ``skip_invalid`` is set,
in which case the good rows are stored and the rejected ones are reported (and
written with their reasons to a rejects file by the caller's choice).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher import types as t
from matcher.exceptions import InvalidInputError, Location, ValidationError
from matcher.ingest.files import RawRow, entity_for, read_rows, write_records
from matcher.ingest.schema import parse_record
from matcher.store import Session
from matcher.store import records as repo


@dataclass
class ImportReport:
    """What one file's import did."""

    path: str
    entity: str
    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    rejected: list[tuple[RawRow, ValidationError]] = field(default_factory=list)

    def summary(self) -> str:
        c = self.counts
        text = (
            f"{self.path}: {self.entity}: {self.rows} rows, {c['created']} created, "
            f"{c['updated']} updated, {c['unchanged']} unchanged"
        )
        if self.rejected:
            text += f", {len(self.rejected)} rejected"
        return text


def reference_checks(entity: str, records: list[tuple[RawRow, Any]], path: str, *, session: Session):
    """Yield ``(row, error)`` for records whose references do not resolve."""
    councils = repo.council_codes(session=session)
    in_file = {rec.id for _, rec in records}

    def known(target: str, ids: list[str]) -> set[str]:
        return set(repo.id_map(target, ids, session=session))

    refs: dict[str, set[str]] = {}
    for ref_field, (target, _attr) in repo.REFERENCES.get(entity, {}).items():
        ids = [getattr(r, ref_field) for _, r in records if getattr(r, ref_field)]
        refs[ref_field] = known(target, ids) | (in_file if target == entity else set())
    smes: set[str] = set()
    if entity == "challenges":
        smes = repo.organisation_ids_of_kind(t.OrgKind.SME, [r.sme_id for _, r in records], session=session)
    owners: dict[str, set[str]] = {}
    if entity == "profiles":
        for owner_type, target in (
            ("organisation", "organisations"),
            ("person", "people"),
            ("facility", "facilities"),
        ):
            owners[owner_type] = known(target, [r.owner_id for _, r in records if r.owner_type == owner_type])
    ends: dict[str, set[str]] = {}
    if entity == "relationships":
        targets = {
            "organisation": "organisations",
            "person": "people",
            "facility": "facilities",
            "challenge": "challenges",
        }
        for node_type, target in targets.items():
            ids = [r.source_id for _, r in records if r.source_type == node_type]
            ids += [r.target_id for _, r in records if r.target_type == node_type]
            ends[node_type] = known(target, ids) if ids else set()

    kinds: dict[str, str] = {}
    dependants: dict[str, tuple[int, int]] = {}
    if entity == "organisations":
        parents = [r.parent_id for _, r in records if r.parent_id]
        kinds = {ext: place[0] for ext, place in repo.organisation_places(parents, session=session).items()}
        kinds |= {r.id: r.kind.value for _, r in records}
        dependants = repo.organisation_dependants([r.id for _, r in records], session=session)

    for row, rec in records:
        line = row.line

        def loc(f: str, line: int | None = line) -> Location:
            return Location(path, line, f)

        if entity == "organisations":
            problem = _organisation_problem(rec, kinds, dependants)
            if problem:
                yield row, ValidationError(problem[1], loc(problem[0]))
                continue

        council = getattr(rec, "council", None)
        if council and council not in councils:
            yield (
                row,
                ValidationError(
                    f"unknown council {council!r}; known: {', '.join(sorted(councils))}", loc("council")
                ),
            )
            continue
        bad = next(
            (f for f in refs if getattr(rec, f) and getattr(rec, f) not in refs[f]),
            None,
        )
        if bad:
            target = repo.REFERENCES[entity][bad][0]
            yield row, ValidationError(f"{getattr(rec, bad)!r} is not a known id in {target}", loc(bad))
            continue
        if entity == "challenges" and rec.sme_id not in smes:
            yield (
                row,
                ValidationError(f"{rec.sme_id!r} is not an SME (organisation of kind 'sme')", loc("sme_id")),
            )
            continue
        if entity == "profiles" and rec.owner_id not in owners[rec.owner_type.value]:
            yield (
                row,
                ValidationError(
                    f"{rec.owner_id!r} is not a known {rec.owner_type.value} id", loc("owner_id")
                ),
            )
            continue
        if entity == "relationships":
            for side in ("source", "target"):
                node_type, node_id = getattr(rec, f"{side}_type"), getattr(rec, f"{side}_id")
                if node_id not in ends[node_type.value]:
                    yield (
                        row,
                        ValidationError(
                            f"{node_id!r} is not a known {node_type.value} id", loc(f"{side}_id")
                        ),
                    )
                    break


def _organisation_problem(
    rec: t.Organisation, kinds: dict[str, str], dependants: dict[str, tuple[int, int]]
) -> tuple[str, str] | None:
    """``(field, reason)`` when an organisation's kind does not fit what refers to it, or its parent.

    A research group's parent is an HEI (so parents never form a cycle: only research groups
    have one); an organisation that posts challenges stays an SME, and one that is the parent
    of research groups stays an HEI.
    """
    parent_kind = kinds.get(rec.parent_id) if rec.parent_id else None
    if parent_kind is not None and parent_kind != t.OrgKind.HEI.value:
        return "parent_id", f"parent {rec.parent_id!r} is a {parent_kind}, not an HEI"
    posts, groups = dependants.get(rec.id, (0, 0))
    if posts and rec.kind != t.OrgKind.SME:
        return "kind", f"{rec.id!r} posts {posts} challenges, so it stays an SME (not {rec.kind.value})"
    if groups and rec.kind != t.OrgKind.HEI:
        return "kind", f"{rec.id!r} is the parent of {groups} research groups, so it stays an HEI"
    return None


def inherit_from_host(entity: str, records: list[tuple[RawRow, Any]], *, session: Session):  # type: ignore[no-untyped-def]
    """Facilities without ``council`` or ``country`` (both optional) take their host organisation's."""
    if entity != "facilities":
        return records
    wanted = [r.host_id for _, r in records if not (r.council and r.country)]
    places = repo.organisation_places(wanted, session=session) if wanted else {}
    out = []
    for row, rec in records:
        place = places.get(rec.host_id)
        if place is not None and not (rec.council and rec.country):
            rec = dataclasses.replace(rec, council=rec.council or place[1], country=rec.country or place[2])
        out.append((row, rec))
    return out


@contextlib.contextmanager
def _cycle_collector_paused():  # type: ignore[no-untyped-def]
    """Pause Python's cycle collector while a file's rows are parsed.

    Parsing makes only acyclic objects (rows, records, errors without tracebacks), so the
    collector finds nothing; left on, it re-walks every row kept so far each time the young
    generation fills, a third of an all-bad file's CPU (measured: docs/performance.md, "Imports").
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_file(
    path: Path, *, session: Session, entity: str | None = None, max_rows: int | None = None
) -> tuple[str, list[tuple[RawRow, Any]], list[tuple[RawRow, ValidationError]]]:
    """Parse and check a whole file against itself and the store; stores nothing.

    Returns ``(entity, good, rejected)``; ``good`` holds ``(row, record)`` pairs.
    File-level problems (and more than ``max_rows`` records) raise
    :class:`~matcher.exceptions.InvalidInputError`.
    """
    path = Path(path)
    entity = entity_for(path, entity)
    with _cycle_collector_paused():
        rows = read_rows(path, entity, max_rows=max_rows)
        good, rejected = _parse_rows(path, entity, rows)
    good = inherit_from_host(entity, good, session=session)
    # A record that refers to a rejected one in the same file is rejected too: iterate to a fixpoint.
    while True:
        bad = list(reference_checks(entity, good, str(path), session=session))
        if not bad:
            break
        bad_lines = {row.line for row, _ in bad}
        rejected.extend(bad)
        good = [(row, rec) for row, rec in good if row.line not in bad_lines]
    rejected.sort(key=lambda pair: pair[0].line)
    return entity, good, rejected


def _parse_rows(
    path: Path, entity: str, rows: list[RawRow]
) -> tuple[list[tuple[RawRow, Any]], list[tuple[RawRow, ValidationError]]]:
    """``(good, rejected)``: each row parsed on its own, and ids unique within the file."""
    good: list[tuple[RawRow, Any]] = []
    rejected: list[tuple[RawRow, ValidationError]] = []
    seen: dict[str, int] = {}
    for row in rows:
        try:
            record = parse_record(entity, row.data, file=str(path), line=row.line)
        except ValidationError as exc:
            rejected.append((row, exc.with_traceback(None)))  # a kept traceback pins the frame: ~2 kB a row
            continue
        if record.id in seen:
            rejected.append(
                (row, ValidationError(f"duplicate id {record.id!r} (first on line {seen[record.id]})",
                                      Location(str(path), row.line, "id")))
            )  # fmt: skip
            continue
        seen[record.id] = row.line
        good.append((row, record))
    return good, rejected


def import_file(
    path: Path, *, session: Session, entity: str | None = None, skip_invalid: bool = False
) -> ImportReport:
    """Validate ``path`` and upsert its records in ``session`` (the caller commits).

    Raises
    ------
    ValidationError
        The first bad row (with file, line, field), unless ``skip_invalid``.
    """
    entity, good, rejected = validate_file(path, session=session, entity=entity)
    report = ImportReport(str(path), entity, rows=len(good) + len(rejected), rejected=rejected)
    if rejected and not skip_invalid:
        first = rejected[0][1]
        more = f" (and {len(rejected) - 1} more problems)" if len(rejected) > 1 else ""
        raise ValidationError(first.reason + more + "; nothing from this file was stored", first.location)
    if good:
        report.counts = repo.upsert(entity, [rec for _, rec in good], session=session)
    return report


def check_rejects_path(rejects: Path, inputs: Iterable[Path]) -> None:
    """Refuse a rejects file that is one of the inputs (writing it would destroy that input)."""
    target = Path(rejects).resolve()
    for path in inputs:
        if Path(path).resolve() == target:
            raise InvalidInputError(
                "the rejects file is one of the input files; choose another --rejects path",
                Location(str(rejects)),
            )


def write_rejects(reports: Iterable[ImportReport], out: Path) -> int:
    """Write every rejected row of ``reports`` to ``out``, atomically; returns how many.

    One JSON object per row: file, line, field, reason and the row as read.  The rows go to
    a temporary file in the same folder that replaces ``out`` at the end, so ``out`` holds
    either its previous content or the whole new list, never a part of it.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for report in reports:
                for row, err in report.rejected:
                    record = {"file": report.path, "line": row.line, "field": err.location.field,
                              "reason": err.reason, "row": row.data}  # fmt: skip
                    # ASCII escapes: a row may hold lone surrogates, which UTF-8 cannot encode.
                    fh.write(json.dumps(record, default=str) + "\n")
                    n += 1
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def export_all(folder: Path, *, session: Session, fmt: str = "jsonl") -> dict[str, int]:
    """Write every entity to ``folder/<entity>.<fmt>``; returns counts per entity."""
    counts = {}
    for entity in t.ENTITY_TYPES:
        records = repo.list_records(entity, session=session)
        counts[entity] = write_records(Path(folder) / f"{entity}.{fmt}", entity, records)
    return counts


def load_councils_csv(path: Path) -> list[t.Council]:
    import csv

    with Path(path).open(encoding="utf-8") as fh:
        return [
            t.Council(r["code"], r["name"], r["city"], r["nuts2"], r["region"], r["country"],
                      tuple(r["languages"].split(";")))
            for r in csv.DictReader(fh)
        ]  # fmt: skip
