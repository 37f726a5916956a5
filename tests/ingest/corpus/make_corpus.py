"""Writes the bad-input corpus next to this file and its manifest (``manifest.json``).

Each file is imported on top of ``tests.factories.mini_programme`` (hei-cork with its research
group rg-cork-01, the SME sme-bo-1 with challenge ch-bo-1, ...).  The manifest gives each file's
entity and its expected outcome: ``{"stored": n}`` (rows stored), or ``{"line": L, "field": F,
"contains": words}`` (rejected with that location; the database is left as it was).
Run ``python tests/ingest/corpus/make_corpus.py`` after changing a case.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORG_HEADER = "id,kind,name,council,country,parent_id,nace,employees\n"
CASES: dict[str, tuple[str, bytes, dict[str, object]]] = {}


def case(name: str, entity: str, content: str | bytes, **outcome: object) -> None:
    CASES[name] = (entity, content.encode("utf-8") if isinstance(content, str) else content, outcome)


def org(**fields: object) -> str:
    base: dict[str, object] = {"id": "sme-new", "kind": "sme", "name": "New SME", "council": "cork",
                               "country": "IE"}  # fmt: skip
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not None}, ensure_ascii=False)


def person(**fields: object) -> str:
    base: dict[str, object] = {
        "id": "stu-new",
        "kind": "student",
        "name": "Ana",
        "organisation_id": "hei-cork",
    }
    base.update(fields)
    return json.dumps(base, ensure_ascii=False)


FAC = "id,host_id,kind,name,description\nfac-new,hei-cork,lab,Lab,A lab.\n"

# --- accepted
case("facility_without_council.csv", "facilities", FAC, stored=1)
case(
    "facility_without_council.jsonl",
    "facilities",
    '{"id":"fac-new","host_id":"hei-cork","kind":"lab","name":"Lab","description":"A lab."}\n',
    stored=1,
)
case("u2028_in_text.jsonl", "organisations", org(name="Line\u2028separator") + "\n", stored=1)
case("u2029_in_text.jsonl", "organisations", org(name="Para\u2029separator") + "\n", stored=1)
case("u0085_in_text.jsonl", "organisations", org(name="Next\u0085line") + "\n", stored=1)
case("crlf_lines.jsonl", "organisations", org() + "\r\n" + org(id="sme-new-2") + "\r\n", stored=2)
case(
    "escaped_separators.jsonl",
    "organisations",
    json.dumps({**json.loads(org()), "name": "a\u2028b\u0085"}) + "\n",
    stored=1,
)
case(
    "list_cell_escapes.csv",
    "people",
    "id,kind,name,organisation_id,skills\nstu-new,student,Ana,hei-cork,C\\;C++;Python;'=HYPERLINK(x)\n",
    stored=1,
)
case("formula_text.csv", "organisations", ORG_HEADER + "sme-new,sme,'=1+1,cork,IE,,,\n", stored=1)
case(
    "utf8_bom.csv",
    "organisations",
    b"\xef\xbb\xbf" + (ORG_HEADER + "sme-new,sme,New,cork,IE,,,\n").encode(),
    stored=1,
)
case(
    "nace_at_limit.csv",
    "organisations",
    ORG_HEADER + "sme-new,sme,New,cork,IE,," + "C" * 16 + ",\n",
    stored=1,
)

# --- text that may not be stored
case("nul_escape.jsonl", "organisations", org(name="a\u0000b") + "\n", line=1, field="name", contains="NUL")
case(
    "nul_in_list.jsonl",
    "people",
    person(skills=["ok", "b\u0000d"]) + "\n",
    line=1,
    field="skills",
    contains="NUL",
)
case(
    "lone_surrogate.jsonl",
    "organisations",
    '{"id":"sme-new","kind":"sme","name":"x\\ud800","council":"cork","country":"IE"}\n',
    line=1,
    field="name",
    contains="surrogate",
)
case(
    "lone_low_surrogate_in_list.jsonl",
    "people",
    person()[:-1] + ',"skills":["\\udfff"]}\n',
    line=1,
    field="skills",
    contains="surrogate",
)
case(
    "raw_nul_byte.csv",
    "organisations",
    ORG_HEADER + "sme-new,sme,a\x00b,cork,IE,,,\n",
    line=2,
    contains="NUL bytes",
)

# --- column limits
case(
    "nace_too_long.csv",
    "organisations",
    ORG_HEADER + "sme-new,sme,New,cork,IE,," + "C" * 17 + ",\n",
    line=2,
    field="nace",
    contains="at most 16",
)
case(
    "name_too_long.jsonl",
    "organisations",
    org(name="n" * 301) + "\n",
    line=1,
    field="name",
    contains="at most 300",
)
case("id_too_long.jsonl", "organisations", org(id="a" * 65) + "\n", line=1, field="id", contains="at most 64")

# --- JSON the parser refuses
case(
    "nested_100000.jsonl",
    "organisations",
    "[" * 100_000 + "]" * 100_000 + "\n",
    line=1,
    contains="nested too deeply",
)
case(
    "int_5000_digits.jsonl",
    "organisations",
    org()[:-1] + ',"employees":' + "9" * 5000 + "}\n",
    line=1,
    contains="invalid JSON",
)
case(
    "int_4000_digits.jsonl",
    "organisations",
    org()[:-1] + ',"employees":' + "9" * 4000 + "}\n",
    line=1,
    field="employees",
    contains="out of range",
)
case(
    "duplicate_key.jsonl",
    "organisations",
    org()[:-1] + ',"name":"Other"}\n',
    line=1,
    contains="appears twice",
)
case("bad_json.jsonl", "organisations", org() + '\n{"id": \n', line=2, contains="invalid JSON")
case("array_line.jsonl", "organisations", "[1, 2]\n", line=1, contains="expected a JSON object")
case(
    "unknown_key.jsonl",
    "organisations",
    org(colour="red") + "\n",
    line=1,
    field="colour",
    contains="unknown field",
)

# --- codes and dates
case(
    "country_xx.jsonl",
    "organisations",
    org(country="XX") + "\n",
    line=1,
    field="country",
    contains="ISO 3166",
)
case(
    "country_lower.jsonl",
    "organisations",
    org(country="ie") + "\n",
    line=1,
    field="country",
    contains="ISO 3166",
)
case(
    "language_zz.jsonl",
    "challenges",
    '{"id":"ch-new","sme_id":"sme-bo-1","title":"T","description":"D","language":"zz"}\n',
    line=1,
    field="language",
    contains="ISO 639-1",
)
case(
    "languages_zz.jsonl",
    "people",
    person(languages=["en", "zz"]) + "\n",
    line=1,
    field="languages",
    contains="ISO 639-1",
)
case(
    "date_basic_format.jsonl",
    "people",
    person(available_from="20250101") + "\n",
    line=1,
    field="available_from",
    contains="YYYY-MM-DD",
)
case(
    "date_impossible.jsonl",
    "people",
    person(available_from="2025-02-30") + "\n",
    line=1,
    field="available_from",
    contains="YYYY-MM-DD",
)

# --- organisations: parents and kinds
case(
    "group_parent_is_sme.jsonl",
    "organisations",
    org(id="rg-new", kind="research_group", parent_id="sme-bo-1") + "\n",
    line=1,
    field="parent_id",
    contains="not an HEI",
)
case(
    "hei_with_parent_cycle.jsonl",
    "organisations",
    org(id="hei-cork", kind="hei", name="UCC", parent_id="rg-cork-01") + "\n",
    line=1,
    field="parent_id",
    contains="only a research group",
)
case(
    "sme_with_challenges_to_hei.jsonl",
    "organisations",
    org(id="sme-bo-1", kind="hei", name="S", council="bologna", country="IT") + "\n",
    line=1,
    field="kind",
    contains="stays an SME",
)
case(
    "hei_with_groups_to_sme.jsonl",
    "organisations",
    org(id="hei-cork", kind="sme", name="UCC") + "\n",
    line=1,
    field="kind",
    contains="stays an HEI",
)
case(
    "group_without_parent.jsonl",
    "organisations",
    org(id="rg-new", kind="research_group") + "\n",
    line=1,
    field="parent_id",
    contains="must name its HEI",
)
case(
    "own_parent.jsonl",
    "organisations",
    org(id="rg-new", kind="research_group", parent_id="rg-new") + "\n",
    line=1,
    field="parent_id",
    contains="own parent",
)

# --- encodings
case(
    "utf16_bom.csv",
    "organisations",
    (ORG_HEADER + "sme-new,sme,New,cork,IE,,,\n").encode("utf-16"),
    contains="UTF-16",
)
case(
    "utf16le_no_bom.csv",
    "organisations",
    (ORG_HEADER + "sme-new,sme,New,cork,IE,,,\n").encode("utf-16-le"),
    contains="UTF-16",
)
case("utf32.jsonl", "organisations", (org() + "\n").encode("utf-32"), contains="UTF-32")
case(
    "latin1.csv",
    "organisations",
    (ORG_HEADER + "sme-new,sme,Málaga,cork,IE,,,\n").encode("latin-1"),
    line=2,
    contains="Latin-1",
)

# --- file structure
case("empty.csv", "organisations", "", contains="empty")
case("header_only.csv", "organisations", ORG_HEADER, contains="no records")
case(
    "unknown_column.csv",
    "organisations",
    "id,kind,name,council,country,colour\nx,sme,X,cork,IE,red\n",
    line=1,
    field="colour",
    contains="unknown column",
)
case(
    "missing_column.csv",
    "organisations",
    "id,kind,name,council\nx,sme,X,cork\n",
    line=1,
    field="country",
    contains="missing required column",
)
case(
    "duplicate_column.csv",
    "organisations",
    "id,kind,name,council,country,name\nx,sme,X,cork,IE,Y\n",
    line=1,
    contains="appears twice",
)
case("wrong_cell_count.csv", "organisations", ORG_HEADER + "sme-new,sme,New\n", line=2, contains="cells")

# --- rows
case(
    "bad_enum.jsonl", "organisations", org(kind="startup") + "\n", line=1, field="kind", contains="not one of"
)
case(
    "bad_bool.jsonl",
    "people",
    person(willing_abroad="perhaps") + "\n",
    line=1,
    field="willing_abroad",
    contains="true or false",
)
case(
    "unknown_reference.jsonl",
    "people",
    person(organisation_id="nowhere") + "\n",
    line=1,
    field="organisation_id",
    contains="not a known id",
)
case(
    "challenge_of_hei.jsonl",
    "challenges",
    '{"id":"ch-new","sme_id":"hei-cork","title":"T","description":"D"}\n',
    line=1,
    field="sme_id",
    contains="not an SME",
)
case(
    "duplicate_id.jsonl",
    "organisations",
    org() + "\n" + org() + "\n",
    line=2,
    field="id",
    contains="duplicate id",
)
case(
    "negative_capacity.csv",
    "facilities",
    "id,host_id,kind,name,description,capacity\nfac-new,hei-cork,lab,Lab,A lab.,-1\n",
    line=2,
    field="capacity",
    contains="negative",
)
case(
    "budget_inverted.jsonl",
    "challenges",
    '{"id":"ch-new","sme_id":"sme-bo-1","title":"T","description":"D","budget_min":10,"budget_max":5}\n',
    line=1,
    field="budget_max",
    contains="below",
)
case(
    "unknown_council.jsonl",
    "organisations",
    org(council="atlantis") + "\n",
    line=1,
    field="council",
    contains="unknown council",
)
case(
    "facility_unknown_host.csv",
    "facilities",
    FAC.replace("hei-cork", "nowhere"),
    line=2,
    field="host_id",
    contains="not a known id",
)


def main() -> None:
    manifest = {}
    for name, (entity, content, outcome) in CASES.items():
        (HERE / name).write_bytes(content)
        manifest[name] = {"entity": entity, **outcome}
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{len(CASES)} files")


if __name__ == "__main__":
    main()
