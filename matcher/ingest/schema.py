"""Field specifications of every entity, derived from the dataclasses in ``matcher.types``.

One mechanism validates every entity: each dataclass field has a kind (text, int,
bool, date, enum, list of text, list of enum), a required flag (no default) and a
maximum length.  :func:`parse_record` turns one raw row (strings from CSV, JSON
values from JSON Lines) into the frozen dataclass, or raises a located
:class:`~matcher.exceptions.ValidationError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from matcher import types as t
from matcher.exceptions import Location, ValidationError
from matcher.ingest.codes import COUNTRIES, LANGUAGES
from matcher.store.limits import field_limits

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")
LANG_PATTERN = re.compile(r"^[a-z]{2}$")
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")
DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

#: Characters no text may hold, in any field of any file or request: NUL (PostgreSQL cannot
#: store it; CSV cannot carry it) and lone UTF-16 surrogates (not characters; UTF-8 cannot encode them).
FORBIDDEN_TEXT = re.compile("[\x00\ud800-\udfff]")
#: The same rule as a JSON-schema pattern for the API (which validates it with Python's ``re``).
SAFE_TEXT_PATTERN = r"^[^\x00\ud800-\udfff]*$"

#: Free-text fields, kept as written (other texts are stripped of surrounding spaces).
LONG_FIELDS = frozenset({"description", "text", "conditions"})
LIST_ITEM_MAX = 100
LIST_MAX = 100
#: How CSV cells separate list items; an item's own ``;`` or ``\\`` is escaped with ``\\``.
LIST_SEPARATOR = ";"

#: Fields whose values come from a code list: field -> (codes, what a code is).
CODE_LISTS: dict[str, tuple[frozenset[str], str]] = {
    "country": (COUNTRIES, "an ISO 3166-1 alpha-2 country code (e.g. 'ES')"),
    "language": (LANGUAGES, "an ISO 639-1 language code (e.g. 'en')"),
    "languages": (LANGUAGES, "an ISO 639-1 language code (e.g. 'en')"),
}

#: Fields that hold external ids of other records (checked against ID_PATTERN).
ID_FIELDS = {"id", "parent_id", "organisation_id", "sme_id", "host_id", "owner_id", "profile_id",
             "source_id", "target_id", "provider_id"}  # fmt: skip


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "text" | "int" | "bool" | "date" | "enum" | "list" | "enum_list"
    required: bool
    enum: type[enum.Enum] | None = None
    max_len: int = 0  # text fields: the column's limit (matcher.store.limits)

    @property
    def optional(self) -> bool:
        return not self.required


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0], True
    return tp, False


def _spec(field: dataclasses.Field[Any], hints: dict[str, Any], limits: dict[str, int]) -> FieldSpec:
    tp, _nullable = _unwrap_optional(hints[field.name])
    required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    max_len = limits.get(field.name, 0)
    if typing.get_origin(tp) is tuple:
        inner = typing.get_args(tp)[0]
        if isinstance(inner, type) and issubclass(inner, enum.Enum):
            return FieldSpec(field.name, "enum_list", required, inner)
        return FieldSpec(field.name, "list", required, max_len=LIST_ITEM_MAX)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return FieldSpec(field.name, "enum", required, tp)
    if tp is bool:
        return FieldSpec(field.name, "bool", required)
    if tp is int:
        return FieldSpec(field.name, "int", required)
    if tp is float:
        return FieldSpec(field.name, "float", required)
    if tp is dt.date:
        return FieldSpec(field.name, "date", required)
    if not max_len:
        raise AssertionError(f"text field {field.name} has no column limit")
    return FieldSpec(field.name, "text", required, max_len=max_len)


@functools.cache
def field_specs(entity: str) -> dict[str, FieldSpec]:
    """Field name -> spec for an entity of :data:`matcher.types.ENTITY_TYPES`.

    Text limits are the store's column limits (:func:`matcher.store.limits.field_limits`).
    """
    cls = t.ENTITY_TYPES.get(entity) or t.TRAINING_TYPES[entity]
    hints = typing.get_type_hints(cls)
    limits = field_limits(entity)
    return {f.name: _spec(f, hints, limits) for f in dataclasses.fields(cls)}


def text_problem(value: str) -> str | None:
    """Why ``value`` may not be stored as text (a NUL or a lone surrogate), or ``None``."""
    found = FORBIDDEN_TEXT.search(value)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character (U+0000)" if char == "\x00" else f"a lone surrogate (U+{ord(char):04X})"
    return f"contains {what} at character {found.start() + 1}; text may not hold it"


def split_list_cell(cell: str) -> list[str]:
    """The items of a CSV list cell: ``;``-separated, ``\\;`` and ``\\\\`` standing for ``;`` and ``\\``."""
    items, current, chars = [], [], iter(cell)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            if following in (LIST_SEPARATOR, "\\"):
                current.append(following)
            else:  # a backslash that escapes nothing is kept as written
                current.append(char + following)
        elif char == LIST_SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def join_list_cell(items: typing.Iterable[str]) -> str:
    """The CSV cell of a list: the inverse of :func:`split_list_cell` for stripped, non-empty items."""
    return LIST_SEPARATOR.join(
        item.replace("\\", "\\\\").replace(LIST_SEPARATOR, "\\" + LIST_SEPARATOR) for item in items
    )


_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


class _FieldProblem(Exception):
    """What is wrong with one field's value; :func:`parse_record` adds where (file, line, field).

    A :class:`~matcher.exceptions.Location` is built only for a field that fails, so a large
    import does not build eight of them a row.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _coerce(spec: FieldSpec, value: Any) -> Any:
    def fail(reason: str) -> _FieldProblem:
        return _FieldProblem(reason)

    if isinstance(value, str) and (problem := text_problem(value)):
        raise fail(problem)
    if spec.kind == "text":
        if not isinstance(value, str):
            raise fail(f"expected text, got {type(value).__name__}")
        if len(value) > spec.max_len:
            raise fail(f"too long: {len(value)} characters (at most {spec.max_len})")
        return value
    if spec.kind in ("int", "float"):
        if isinstance(value, bool):
            raise fail(f"expected a number, got {value!r}")
        if isinstance(value, str):
            try:
                value = int(value.strip()) if spec.kind == "int" else float(value.strip())
            except ValueError:
                raise fail(
                    f"expected {'a whole number' if spec.kind == 'int' else 'a number'}, got {value!r}"
                ) from None
        if spec.kind == "int" and isinstance(value, float) and value.is_integer():
            value = int(value)
        if spec.kind == "int" and not isinstance(value, int):
            raise fail(f"expected a whole number, got {value!r}")
        if not isinstance(value, int | float):
            raise fail(f"expected a number, got {type(value).__name__}")
        if abs(value) > 2_000_000_000:
            raise fail(f"number out of range: {value}")
        return value
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise fail(f"expected true or false, got {value!r}")
    if spec.kind == "date":
        if not isinstance(value, str):
            raise fail(f"expected a date YYYY-MM-DD, got {type(value).__name__}")
        if not DATE_PATTERN.match(value.strip()):
            raise fail(f"expected a date YYYY-MM-DD, got {value!r}")
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise fail(f"expected a date YYYY-MM-DD, got {value!r}") from None
    if spec.kind == "enum":
        assert spec.enum is not None
        allowed = [m.value for m in spec.enum]
        if isinstance(value, str) and value.strip().lower() in allowed:
            return spec.enum(value.strip().lower())
        raise fail(f"{value!r} is not one of: {', '.join(allowed)}")
    if spec.kind in ("list", "enum_list"):
        if isinstance(value, str):
            items = split_list_cell(value)
        elif isinstance(value, list):
            items = value
        else:
            raise fail(f"expected a list (JSON array, or ';'-separated in CSV), got {type(value).__name__}")
        if len(items) > LIST_MAX:
            raise fail(f"too many items: {len(items)} (at most {LIST_MAX})")
        out: list[Any] = []
        for item in items:
            if not isinstance(item, str):
                raise fail(f"list items must be text, got {type(item).__name__}")
            if problem := text_problem(item):
                raise fail(f"a list item {problem}")
            item = item.strip()  # one rule for CSV and JSON: items are stripped, empty ones dropped
            if not item:
                continue
            if len(item) > LIST_ITEM_MAX:
                raise fail(f"list item too long: {len(item)} characters (at most {LIST_ITEM_MAX})")
            if spec.kind == "enum_list":
                assert spec.enum is not None
                allowed = [m.value for m in spec.enum]
                if item.strip().lower() not in allowed:
                    raise fail(f"{item!r} is not one of: {', '.join(allowed)}")
                out.append(spec.enum(item.strip().lower()))
            else:
                out.append(item)
        return tuple(out)
    raise AssertionError(spec.kind)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_record(
    entity: str, data: dict[str, Any], *, file: str | None = None, line: int | None = None
) -> Any:
    """Validate one raw row and build the entity's dataclass.

    Raises
    ------
    ValidationError
        With file, line and field of the first problem found.
    """
    specs = field_specs(entity)
    unknown = sorted(set(data) - set(specs))
    if unknown:
        raise ValidationError(
            f"unknown field {unknown[0]!r}; allowed: {', '.join(specs)}", Location(file, line, unknown[0])
        )
    kwargs: dict[str, Any] = {}
    for name, spec in specs.items():
        value = data.get(name)
        if _is_blank(value):
            if spec.required:
                raise ValidationError("required field is missing or empty", Location(file, line, name))
            continue
        try:
            kwargs[name] = _field_value(name, spec, value)
            continue
        except _FieldProblem as problem:
            reason = problem.reason
        # Raised outside the handler, so the error does not carry the problem as its context.
        raise ValidationError(reason, Location(file, line, name))
    record = (t.ENTITY_TYPES.get(entity) or t.TRAINING_TYPES[entity])(**kwargs)
    _check_record(entity, record, file, line)
    return record


def _field_value(name: str, spec: FieldSpec, value: Any) -> Any:
    """One field's value, coerced and checked (code lists, ids); raises :class:`_FieldProblem`."""
    if spec.kind == "text" and isinstance(value, str):
        value = value.strip() if name not in LONG_FIELDS else value
    codes = CODE_LISTS.get(name)
    # Before the length check: "not a country code" says more than "too long".
    text_code = codes and spec.kind == "text" and isinstance(value, str) and not text_problem(value)
    if text_code and codes and value not in codes[0]:
        raise _FieldProblem(f"{value!r} is not {codes[1]}")
    value = _coerce(spec, value)
    if name in ID_FIELDS and not ID_PATTERN.fullmatch(value):
        raise _FieldProblem(f"{value!r} is not a valid id (letters, digits, . _ : -; at most 64 characters)")
    if codes and spec.kind == "list":
        bad = [x for x in value if x not in codes[0]]
        if bad:
            raise _FieldProblem(f"{bad[0]!r} is not {codes[1]}")
    return value


def _check_record(entity: str, record: Any, file: str | None, line: int | None) -> None:
    """Rules that involve more than one field."""

    def fail(field: str, reason: str) -> None:
        raise ValidationError(reason, Location(file, line, field))

    lo, hi = getattr(record, "available_from", None), getattr(record, "available_to", None)
    if lo and hi and lo > hi:
        fail("available_to", f"availability ends ({hi}) before it starts ({lo})")
    if entity == "challenges":
        if (
            record.budget_min is not None
            and record.budget_max is not None
            and record.budget_min > record.budget_max
        ):
            fail("budget_max", f"budget_max {record.budget_max} is below budget_min {record.budget_min}")
        for f in ("budget_min", "budget_max"):
            if getattr(record, f) is not None and getattr(record, f) < 0:
                fail(f, "a budget cannot be negative")
        if record.opened and record.deadline and record.deadline < record.opened:
            fail("deadline", f"deadline {record.deadline} is before the opening date {record.opened}")
        if not record.programmes:
            fail("programmes", "at least one programme is needed")
    if entity == "facilities" and record.capacity < 0:
        fail("capacity", "capacity cannot be negative")
    if entity == "organisations":
        if record.kind == t.OrgKind.RESEARCH_GROUP and not record.parent_id:
            fail("parent_id", "a research group must name its HEI in parent_id")
        if record.parent_id and record.kind != t.OrgKind.RESEARCH_GROUP:
            fail("parent_id", f"only a research group has a parent (its HEI), not a {record.kind.value}")
        if record.parent_id == record.id:
            fail("parent_id", "an organisation cannot be its own parent")
        if record.employees is not None and record.employees < 0:
            fail("employees", "employees cannot be negative")
        if record.founded is not None and not 1800 <= record.founded <= dt.date.today().year:
            fail("founded", f"founding year {record.founded} is not plausible")
    if entity == "relationships" and (record.source_type, record.source_id) == (
        record.target_type,
        record.target_id,
    ):
        fail("target_id", "a relationship needs two different ends")
    if entity == "documents" and not record.text.strip():
        fail("text", "document text is empty")
    if entity == "training_modules":
        if record.starts and record.ends and record.ends < record.starts:
            fail("ends", f"the module ends ({record.ends}) before it starts ({record.starts})")
        if record.places is not None and record.places < 0:
            fail("places", "places cannot be negative")
    if entity == "assessments" and not 1 <= record.score <= 5:
        fail("score", f"a score is 1 (weak) to 5 (strong), got {record.score}")


def to_raw(record: Any) -> dict[str, Any]:
    """The JSON-ready dict of a record (enums as values, tuples as lists, dates ISO, None dropped)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if value is None:
            continue
        if isinstance(value, tuple):
            value = [v.value if isinstance(v, enum.Enum) else v for v in value]
        elif isinstance(value, enum.Enum):
            value = value.value
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[f.name] = value
    return out
