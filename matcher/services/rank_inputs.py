"""Read and validate the two JSONL files of ``matcher rank``: challenges and capability profiles.

Input contract (extra fields are ignored)::

    challenges.jsonl  {"id": str, "text": str, "language"?: str}
    profiles.jsonl    {"id": str, "language"?: str,
                       "documents": [{"id": str, "text": str, "language"?: str}, ...]}

Every problem is reported with its file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher.exceptions import Location, ValidationError
from matcher.formats.jsonl import read_records

__all__ = ["ChallengeInput", "DocumentInput", "ProfileInput", "read_challenges", "read_profiles"]


@dataclass(frozen=True)
class ChallengeInput:
    id: str
    text: str
    language: str | None = None


@dataclass(frozen=True)
class DocumentInput:
    id: str
    text: str
    language: str | None = None


@dataclass(frozen=True)
class ProfileInput:
    id: str
    documents: tuple[DocumentInput, ...]


def _string(obj: dict[str, Any], key: str, loc: Location, *, token: bool = False) -> str:
    if key not in obj or obj[key] is None:
        raise ValidationError("missing required field", loc)
    value = obj[key]
    if not isinstance(value, str):
        raise ValidationError(f"must be a string, got {type(value).__name__}", loc)
    if not value.strip():
        raise ValidationError("must not be empty", loc)
    if (token and value != value.strip()) or (token and any(c.isspace() for c in value)):
        raise ValidationError("an id must not contain whitespace (it is a TREC run column)", loc)
    return value


def _language(obj: dict[str, Any], loc: Location) -> str | None:
    value = obj.get("language")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError(f"must be a string, got {type(value).__name__}", loc)
    return value.strip().lower()


def read_challenges(path: Path | str) -> list[ChallengeInput]:
    """Validated challenges of a JSONL file (see the module docstring).

    Raises
    ------
    ValidationError
        With the file, line and field of the first problem.
    """
    name = str(path)
    seen: dict[str, int] = {}
    out = []
    for lineno, obj in read_records(path):
        cid = _string(obj, "id", Location(name, lineno, "id"), token=True)
        text = _string(obj, "text", Location(name, lineno, "text"))
        if cid in seen:
            raise ValidationError(
                f"duplicate id {cid!r} (first on line {seen[cid]})", Location(name, lineno, "id")
            )
        seen[cid] = lineno
        out.append(ChallengeInput(cid, text, _language(obj, Location(name, lineno, "language"))))
    return out


def read_profiles(path: Path | str) -> list[ProfileInput]:
    """Validated profiles of a JSONL file; every profile needs at least one document."""
    name = str(path)
    seen: dict[str, int] = {}
    out = []
    for lineno, obj in read_records(path):
        pid = _string(obj, "id", Location(name, lineno, "id"), token=True)
        if pid in seen:
            raise ValidationError(
                f"duplicate id {pid!r} (first on line {seen[pid]})", Location(name, lineno, "id")
            )
        seen[pid] = lineno
        plang = _language(obj, Location(name, lineno, "language"))
        out.append(ProfileInput(pid, _documents(obj, name, lineno, plang)))
    return out


def _documents(obj: dict[str, Any], name: str, lineno: int, plang: str | None) -> tuple[DocumentInput, ...]:
    """The validated ``documents`` of one profile line; a document without a language takes ``plang``."""
    docs = obj.get("documents")
    loc = Location(name, lineno, "documents")
    if docs is None:
        raise ValidationError("missing required field", loc)
    if not isinstance(docs, list):
        raise ValidationError(f"must be a list, got {type(docs).__name__}", loc)
    if not docs:
        raise ValidationError("must hold at least one document", loc)
    doc_ids: set[str] = set()
    parsed = []
    for i, d in enumerate(docs):
        where = f"documents[{i}]"
        if not isinstance(d, dict):
            raise ValidationError("expected a JSON object", Location(name, lineno, where))
        did = _string(d, "id", Location(name, lineno, f"{where}.id"))
        if did in doc_ids:
            raise ValidationError(f"duplicate document id {did!r}", Location(name, lineno, f"{where}.id"))
        doc_ids.add(did)
        text = _string(d, "text", Location(name, lineno, f"{where}.text"))
        lang = _language(d, Location(name, lineno, f"{where}.language")) or plang
        parsed.append(DocumentInput(did, text, lang))
    return tuple(parsed)
