"""The needs map on a stored programme (SQLite and PostgreSQL) with the fake encoder."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import Image

from matcher.embeddings import FakeEncoder
from matcher.exceptions import NotFoundError
from matcher.services.matching import ProgrammeMatcher
from matcher.services.needs_map import build_needs_map, quarter
from matcher.services.needs_report import write_needs_report
from matcher.store import records as repo
from matcher.store.db import transaction
from tests.needs.programme import needs_programme


@pytest.fixture
def stored(sessions):
    with transaction(sessions) as session:
        for entity, records in needs_programme().items():
            repo.upsert(entity, records, session=session)
    return sessions


@pytest.fixture
def matcher():
    return ProgrammeMatcher(encoder=FakeEncoder(), method="hybrid-topk")


def test_quarter():
    assert quarter(None) is None
    assert [quarter(dt.date(2026, m, 1)) for m in (1, 3, 4, 12)] == ["2026Q1", "2026Q1", "2026Q2", "2026Q4"]


def test_programme_map_finds_both_needs_and_the_uncovered_one(stored, matcher):
    with transaction(stored) as session:
        needs = build_needs_map(matcher, session=session)
    assert needs.n_challenges == 12
    assert len(needs.clusters) == 2
    weld, solar = sorted(needs.clusters, key=lambda c: "welding" not in c.skills)
    assert sorted(weld.members) == sorted(f"ch-weld-{i}" for i in range(6))
    assert weld.councils == {"bologna": 6} and solar.councils == {"malaga": 6}
    assert weld.sectors == {"metalworking": 6} and weld.skills == {"robotics": 6, "welding": 6}
    assert weld.quarters == {"2026Q1": 2, "2026Q2": 2, "2026Q3": 2}
    # the welding lab is in Bologna: local for welding, cross-border for Málaga's solar needs
    assert weld.local is not None and weld.best_council == "bologna"
    assert solar.local is not None and solar.cross_border is not None
    # nothing covers solar: its gap is wider than welding's, and positive
    assert solar.gap > weld.gap and solar.gap > 0
    # the private welding challenge is anonymised among the examples
    shown = [e for c in needs.clusters for e in c.examples]
    private = [e for e in shown if e["anonymised"]]
    assert all("id" not in e and "title" not in e for e in private)
    assert not any(e.get("id") == "ch-weld-0" for e in shown)


def test_reveal_shows_the_private_challenge(stored, matcher):
    with transaction(stored) as session:
        hidden = build_needs_map(matcher, session=session)
        shown = build_needs_map(matcher, session=session, reveal=lambda o: o.council == "bologna")
    # the examples are the three most recent of each cluster: ch-weld-0 (private) is not among them,
    # so compare the member lists and that reveal leaves nothing anonymised
    assert [c.members for c in hidden.clusters] == [c.members for c in shown.clusters]
    assert not any(e["anonymised"] for c in shown.clusters for e in c.examples)


def test_council_map_counts_only_its_challenges(stored, matcher):
    with transaction(stored) as session:
        needs = build_needs_map(matcher, session=session, council="malaga")
        with pytest.raises(NotFoundError):
            build_needs_map(matcher, session=session, council="paris")
    assert needs.n_challenges == 6
    assert [c.councils for c in needs.clusters] == [{"malaga": 6}]


def test_report_files_and_plots(stored, matcher, tmp_path):
    with transaction(stored) as session:
        needs = build_needs_map(matcher, session=session)
    paths = write_needs_report(needs, tmp_path / "map")
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "| id | label | size |" in md and "welding" in md and "ch-weld-0" not in md
    page = paths["html"].read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 3 and "ch-weld-0" not in page
    for name in ("map", "gaps", "trends"):
        with Image.open(paths[name]) as img:
            assert img.size[0] > 300 and img.size[1] > 200
