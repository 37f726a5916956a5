"""The one Suggestion type: its JSON shape is the ``matcher match --json`` contract."""

from __future__ import annotations

import json

from matcher import types as t
from matcher.domain.matches import Contact, Suggestion


def test_a_public_suggestion_has_the_cli_keys_in_order() -> None:
    s = Suggestion(t.NodeType.PERSON, "stu-1", 0.123456789, {"dense": 0.5}, rank=2, name="Ana", kind="student",
                   council="cork", country="IE", profile_id="prof-stu-1")  # fmt: skip
    assert list(s.to_dict()) == [
        "rank", "candidate_type", "candidate_id", "name", "kind", "council", "country", "profile_id", "score",
        "reasons",
    ]  # fmt: skip
    assert s.to_dict()["score"] == 0.123457
    assert json.dumps(s.to_dict()) == (
        '{"rank": 2, "candidate_type": "person", "candidate_id": "stu-1", "name": "Ana", "kind": "student", '
        '"council": "cork", "country": "IE", "profile_id": "prof-stu-1", "score": 0.123457, '
        '"reasons": {"dense": 0.5}}'
    )


def test_an_anonymised_fit_adds_the_match_record_and_the_contact_state_as_plain_strings() -> None:
    s = Suggestion(t.NodeType.CHALLENGE, "m-abc", 0.5, {}, rank=1, kind="challenge", anonymised=True,
                   match_id="m-abc", contact=Contact.REQUESTED, summary={"sector": "energy"})  # fmt: skip
    out = s.to_dict()
    assert out["candidate_type"] == "challenge" and type(out["candidate_type"]) is str
    assert (out["anonymised"], out["match_id"], out["contact"]) == (True, "m-abc", "requested")
    assert type(out["contact"]) is str
    assert list(out)[-4:] == ["anonymised", "match_id", "contact", "summary"]
    assert Suggestion(t.NodeType.CHALLENGE, "ch-1", 0.5, match_id="m-1").to_dict()["contact"] is None
