"""Read the CORDIS ``organization`` table (one row per project participation).

CORDIS publishes ``organization.csv`` per framework programme, ``;``-separated (with
``,`` inside quoted fields); re-exports are often ``,``-separated.  The separator is
detected from the header line; ``.gz`` files are decompressed on the fly.  Column names
are CORDIS's own (``projectID``, ``projectAcronym``, ``organisationID``, ``name``,
``shortName``, ``SME``, ``activityType``, ``city``, ``country``, ``role``, ...); other
columns are ignored.

Each row is validated with a located error (file, line, field).  :func:`read_cordis`
returns the participations of the selected countries (rows without a country --
a few associated partners -- are counted and left out); :func:`organisation_kind` maps
``activityType`` and the SME flag to an organisation kind.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from matcher.exceptions import InvalidInputError, Location, ValidationError
from matcher.types import OrgKind

REQUIRED_COLUMNS = ("projectID", "organisationID", "name", "country")
OPTIONAL_COLUMNS = ("projectAcronym", "shortName", "SME", "activityType", "city", "role")
ACTIVITY_TYPES = {"HES": OrgKind.HEI, "REC": OrgKind.RESEARCH_CENTRE, "PRC": OrgKind.COMPANY,
                  "PUB": OrgKind.PUBLIC_BODY, "OTH": OrgKind.OTHER, "": OrgKind.OTHER}  # fmt: skip
_DIGITS = re.compile(r"^[0-9]{1,12}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_TRUE, _FALSE = {"true", "1", "yes", "y", "t"}, {"false", "0", "no", "n", "f", ""}
NAME_MAX = 300
CITY_MAX = 300
ACRONYM_MAX = 100


@dataclass(frozen=True)
class Participation:
    """One validated row: an organisation taking part in a project."""

    line: int
    project_id: str
    acronym: str
    organisation_id: str
    name: str
    sme: bool
    activity_type: str
    city: str
    country: str
    role: str

    @property
    def kind(self) -> OrgKind:
        return organisation_kind(self.activity_type, self.sme)


@dataclass
class CordisTable:
    """The accepted participations and the rejected rows (with ``skip_invalid``)."""

    participations: list[Participation] = field(default_factory=list)
    rejected: list[ValidationError] = field(default_factory=list)
    rows: int = 0
    skipped_countries: int = 0
    without_country: int = 0  # participations CORDIS gives no country for: no council can take them


def organisation_kind(activity_type: str, sme: bool) -> OrgKind:
    """``sme`` when flagged SME; else from activityType: HES hei, REC research_centre, PRC company,
    PUB public_body, OTH (or empty) other."""
    if sme:
        return OrgKind.SME
    return ACTIVITY_TYPES[activity_type]


def _open_text(path: Path) -> io.TextIOBase:
    if not path.exists():
        raise InvalidInputError("file does not exist", Location(str(path)))
    if path.is_dir():
        raise InvalidInputError("is a directory, expected a CSV file", Location(str(path)))
    raw = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")  # noqa: SIM115 (closed by the caller's with)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]


def _lines(handle: io.TextIOBase, path: Path) -> Iterator[str]:
    line = 0
    try:
        for text in handle:
            line += 1
            yield text
    except UnicodeDecodeError:
        raise InvalidInputError(
            "not valid UTF-8: re-save the file as UTF-8", Location(str(path), line + 1)
        ) from None
    except (OSError, EOFError) as exc:
        raise InvalidInputError(f"cannot read the file: {exc}", Location(str(path), line + 1)) from None


def _validate(data: dict[str, str | None], line: int, file: str) -> Participation:
    def loc(name: str) -> Location:
        return Location(file, line, name)

    def text(name: str, max_len: int, required: bool = False) -> str:
        value = (data.get(name) or "").strip()
        if required and not value:
            raise ValidationError("missing value", loc(name))
        if len(value) > max_len:
            raise ValidationError(f"too long: {len(value)} characters (at most {max_len})", loc(name))
        return value

    if None in data.values():
        raise ValidationError("the row has fewer columns than the header", Location(file, line))
    project = text("projectID", 12, True)
    if not _DIGITS.match(project):
        raise ValidationError(f"expected a numeric project id, got {project!r}", loc("projectID"))
    org = text("organisationID", 12, True)
    if not _DIGITS.match(org):
        raise ValidationError(f"expected a numeric organisation id, got {org!r}", loc("organisationID"))
    country = text("country", 2).upper()
    if country and not _COUNTRY.match(country):
        raise ValidationError(f"expected a two-letter country code, got {country!r}", loc("country"))
    sme_text = text("SME", 10).lower()
    if sme_text not in _TRUE | _FALSE:
        raise ValidationError(f"expected true or false, got {sme_text!r}", loc("SME"))
    activity = text("activityType", 10).upper()
    if activity not in ACTIVITY_TYPES:
        raise ValidationError(
            f"unknown activity type {activity!r}; expected one of {', '.join(a for a in ACTIVITY_TYPES if a)}",
            loc("activityType"),
        )
    return Participation(
        line=line, project_id=project, acronym=text("projectAcronym", ACRONYM_MAX),
        organisation_id=org, name=text("name", NAME_MAX, True), sme=sme_text in _TRUE,
        activity_type=activity, city=text("city", CITY_MAX), country=country, role=text("role", 64),
    )  # fmt: skip


def read_cordis(
    path: Path, *, countries: Collection[str] | None = None, skip_invalid: bool = False
) -> CordisTable:
    """Validate every row of a CORDIS ``organization`` file; keep those of ``countries`` (all if None).

    Raises
    ------
    InvalidInputError
        Missing file, not UTF-8, no header, or a required column missing.
    ValidationError
        The first bad row (file, line, field), unless ``skip_invalid``.
    """
    file = str(path)
    wanted = {c.upper() for c in countries} if countries else None
    table = CordisTable()
    with _open_text(path) as handle:
        lines = _lines(handle, path)
        header = next(lines, None)
        if header is None or not header.strip():
            raise InvalidInputError(
                "the file is empty; expected a CORDIS organization table", Location(file, 1)
            )
        delimiter = ";" if header.count(";") > header.count(",") else ","
        columns = next(csv.reader([header], delimiter=delimiter))
        columns = [c.strip() for c in columns]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise InvalidInputError(
                f"missing CORDIS column(s) {', '.join(missing)} (found: {', '.join(columns[:8])})",
                Location(file, 1),
            )
        reader = csv.DictReader(lines, fieldnames=columns, delimiter=delimiter, restval=None)
        try:
            for data in reader:
                line = reader.line_num + 1
                if not any((v or "").strip() for v in data.values() if isinstance(v, str)):
                    continue
                table.rows += 1
                try:
                    p = _validate(data, line, file)
                except ValidationError as exc:
                    if not skip_invalid:
                        raise
                    table.rejected.append(exc)
                    continue
                if not p.country:
                    table.without_country += 1
                    continue
                if wanted is not None and p.country not in wanted:
                    table.skipped_countries += 1
                    continue
                table.participations.append(p)
        except csv.Error as exc:
            raise InvalidInputError(f"malformed CSV: {exc}", Location(file, reader.line_num + 1)) from None
    return table
