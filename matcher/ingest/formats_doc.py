"""The field tables of ``docs/formats.md``: every entity's fields, as validation sees them.

Generated from :func:`matcher.ingest.schema.field_specs` (kinds, required flags, the store's
column limits) plus a note per field, so the documentation cannot drift from validation
(``tests/ingest/test_formats_doc.py`` compares it with the page).
"""

from __future__ import annotations

from matcher import types as t
from matcher.ingest.schema import LIST_ITEM_MAX, LIST_MAX, field_specs

__all__ = ["describe_formats"]

_NOTES = {
    "id": "external id: letters, digits, `. _ : -`, at most 64; unique per entity",
    "council": "council code: `malaga`, `alcala`, `bologna`, `cork`, `istanbul`, `paris`",
    "country": "ISO 3166 alpha-2, upper case (`ES`)",
    "language": "ISO 639-1 (`en`, `es`, `it`, `fr`, `tr`)",
    "languages": "ISO 639-1 codes",
    "parent_id": "a research group's HEI (required for research groups)",
    "organisation_id": "an organisation's id",
    "sme_id": "id of an organisation of kind `sme`",
    "host_id": "id of the organisation that offers the facility",
    "owner_id": "id of the organisation, person or facility named by `owner_type`",
    "profile_id": "a profile's id",
    "source_id": "id of a record of `source_type`",
    "target_id": "id of a record of `target_type`",
    "budget_max": "euros; not below `budget_min`",
    "available_to": "not before `available_from`",
    "deadline": "not before `opened`",
    "consent": "default `true`: may be shown to other parties",
    "visibility": "default `public`; `private`: only the owner and its council",
    "nace": "NACE Rev.2 code, e.g. `C28.4`",
}
_KIND_WORDS = {"text": "text", "int": "whole number", "float": "number", "bool": "`true`/`false`",
               "date": "date `YYYY-MM-DD`", "enum": "one of", "list": "list", "enum_list": "list of"}  # fmt: skip


def describe_formats() -> str:
    """Markdown tables of every entity's fields, as ``docs/formats.md`` shows them."""
    lines: list[str] = []
    for entity in t.ENTITY_TYPES:
        lines += [f"### `{entity}`", "", "| field | required | type | notes |", "|---|---|---|---|"]
        for name, spec in field_specs(entity).items():
            kind = _KIND_WORDS[spec.kind]
            if spec.enum is not None:
                kind += " " + ", ".join(f"`{m.value}`" for m in spec.enum)
            elif spec.kind == "text":
                kind += f" (at most {spec.max_len:,} characters)"
            elif spec.kind == "list":
                kind += f" of text (at most {LIST_MAX} items of {LIST_ITEM_MAX} characters)"
            lines.append(f"| `{name}` | {'yes' if spec.required else ''} | {kind} | {_NOTES.get(name, '')} |")
        lines.append("")
    return "\n".join(lines)
