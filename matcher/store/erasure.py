"""Erasure: a person and every row that names them, deleted in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from matcher.exceptions import NotFoundError
from matcher.store.models import DocumentRow, MatchRow, PersonRow, ProfileRow, RelationshipRow


def _deleted(statement: Any, *, session: Session) -> int:
    """Run a DELETE and return how many rows it removed."""
    result: Any = session.execute(statement)
    return int(result.rowcount)


def erase_person(external_id: str, *, session: Session) -> dict[str, Any]:
    """Delete a person and everything that names them.

    Removes the person row (cascading to their profiles and documents), match
    records and relationships whose end is the person.  Returns what was removed,
    including the texts of their documents so that callers can purge cached vectors.
    """
    person = session.scalar(select(PersonRow).where(PersonRow.external_id == external_id))
    if person is None:
        raise NotFoundError(f"no person with id {external_id!r}")
    texts = list(
        session.scalars(
            select(DocumentRow.text).join(DocumentRow.profile).where(ProfileRow.person_pk == person.pk)
        )
    )
    n_docs = len(texts)
    n_matches = _deleted(
        delete(MatchRow).where(MatchRow.candidate_type == "person", MatchRow.candidate_id == external_id),
        session=session,
    )
    n_rels = _deleted(
        delete(RelationshipRow).where(
            or_(
                (RelationshipRow.source_type == "person") & (RelationshipRow.source_id == external_id),
                (RelationshipRow.target_type == "person") & (RelationshipRow.target_id == external_id),
            )
        ),
        session=session,
    )
    n_profiles = _deleted(delete(ProfileRow).where(ProfileRow.person_pk == person.pk), session=session)
    session.delete(person)
    session.flush()
    return {
        "person": external_id,
        "profiles": n_profiles,
        "documents": n_docs,
        "match_records": n_matches,
        "relationships": n_rels,
        "texts": texts,
    }
