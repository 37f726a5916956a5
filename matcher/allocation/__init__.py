"""Team formation, stable placements and capacity-constrained bookings (pure computation).

numpy and scipy only (HiGHS through :func:`scipy.optimize.milp`): no files, no database,
no environment variables.  See ``docs/allocation.md``.
"""

from matcher.allocation.explain import explain_infeasible, explain_unstaffed, team_reasons
from matcher.allocation.facilities import (
    FacilityInstance,
    FacilitySolution,
    parse_facility_instance,
    solve_facilities,
)
from matcher.allocation.placements import (
    PlacementInstance,
    blocking_pairs,
    matching_from_json,
    parse_placement_instance,
    placements_to_json,
    preference_lists,
    preferences_from_scores,
    stable_placements,
)
from matcher.allocation.quality import team_quality, team_violations
from matcher.allocation.teams import (
    Student,
    TeamChallenge,
    TeamInstance,
    TeamSolution,
    parse_team_instance,
    solve_teams,
    teams_from_json,
)

__all__ = [
    "FacilityInstance",
    "FacilitySolution",
    "PlacementInstance",
    "Student",
    "TeamChallenge",
    "TeamInstance",
    "TeamSolution",
    "blocking_pairs",
    "explain_infeasible",
    "explain_unstaffed",
    "matching_from_json",
    "parse_facility_instance",
    "parse_placement_instance",
    "parse_team_instance",
    "placements_to_json",
    "preference_lists",
    "preferences_from_scores",
    "solve_facilities",
    "solve_teams",
    "stable_placements",
    "team_quality",
    "team_reasons",
    "team_violations",
    "teams_from_json",
]
