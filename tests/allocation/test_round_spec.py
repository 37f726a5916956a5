"""The parameters of a round: every validation error, located at its field."""

from __future__ import annotations

import pytest

from matcher.exceptions import ValidationError
from matcher.services.allocation import RoundSpec


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"size": 3}, "field 'size': unknown parameter"),
        ({"k": 0}, "field 'k': must be at least 1"),
        ({"min_size": 0}, "field 'min_size': must be at least 1"),
        ({"k": True}, "field 'k': must be an integer between 0 and 10000"),
        ({"max_size": 10_001}, "field 'max_size': must be an integer between 0 and 10000"),
        ({"min_size": 6, "max_size": 5}, "field 'min_size': min_size 6 exceeds max_size 5"),
        ({"min_councils": 6, "max_size": 5}, "field 'min_councils': min_councils 6 exceeds max_size 5"),
        ({"council": 7}, "field 'council': must be a council code"),
        ({"time_limit": 0}, "field 'time_limit': must be between 0.1 and 3600 seconds"),
        ({"time_limit": "soon"}, "field 'time_limit': must be between 0.1 and 3600 seconds"),
    ],
)
def test_invalid_round_parameters(params, message) -> None:
    with pytest.raises(ValidationError) as err:
        RoundSpec.from_params(params)
    assert message in str(err.value)


def test_defaults_are_teams_of_three_to_five() -> None:
    assert RoundSpec.from_params({}) == RoundSpec(None, 20, 3, 5, 1, None)
