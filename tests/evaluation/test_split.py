"""Deterministic dev/test split."""

from __future__ import annotations

import pytest

from evaluation.split import split_queries
from matcher.exceptions import ValidationError

IDS = [f"C{i:03d}" for i in range(40)]


def test_split_is_deterministic_disjoint_and_complete():
    dev, test = split_queries(IDS)
    assert (dev, test) == split_queries(IDS, dev_fraction=0.5, seed=13)
    assert not set(dev) & set(test)
    assert sorted(dev + test) == IDS
    assert len(dev) == 20


def test_split_is_stable_under_reordering_and_duplicates():
    assert split_queries(list(reversed(IDS)) + IDS[:3]) == split_queries(IDS)


def test_seed_and_fraction_matter():
    assert split_queries(IDS, seed=1) != split_queries(IDS, seed=2)
    dev, test = split_queries(IDS, dev_fraction=0.25)
    assert (len(dev), len(test)) == (10, 30)
    with pytest.raises(ValidationError):
        split_queries(IDS, dev_fraction=1.5)
