"""Quality figures and rule checks of a team assignment (the solver's, or one edited by hand)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from matcher.allocation.teams import TeamInstance

__all__ = ["team_quality", "team_violations"]


def team_violations(instance: TeamInstance, teams: dict[int, list[int]]) -> list[str]:
    """Every rule of the instance that ``teams`` breaks, in words (empty when all hold)."""
    s_id = [s.id for s in instance.students]
    acceptable = set(zip(instance.edge_student.tolist(), instance.edge_challenge.tolist(), strict=True))
    out = []
    seen: dict[int, int] = {}
    for c, members in sorted(teams.items()):
        ch = instance.challenges[c]
        if not members:
            continue
        for s in members:
            if s in seen:
                out.append(f"student {s_id[s]} is on {instance.challenges[seen[s]].id} and {ch.id}")
            seen[s] = c
            if (s, c) in instance.forbidden:
                out.append(f"student {s_id[s]} is forbidden from {ch.id}")
            elif (s, c) not in acceptable:
                out.append(f"student {s_id[s]} has no affinity row for {ch.id}, so may not join it")
        if not ch.min_size <= len(members) <= ch.max_size:
            out.append(f"{ch.id} has {len(members)} members; it takes {ch.min_size} to {ch.max_size}")
        have = {k for s in members for k in instance.students[s].skills}
        out.extend(f"{ch.id} needs {k}; no member has it" for k in ch.required_skills if k not in have)
        councils = {instance.students[s].council for s in members}
        if len(councils) < ch.min_councils:
            out.append(f"{ch.id} has members from {len(councils)} councils; it needs {ch.min_councils}")
    for s, c in instance.required:
        if s not in teams.get(c, []):
            out.append(f"student {s_id[s]} is required on {instance.challenges[c].id} but is not on it")
    return out


def team_quality(instance: TeamInstance, teams: dict[int, list[int]]) -> dict[str, Any]:
    """Total and minimum affinity, skill coverage, envy and slack of an assignment.

    - ``skill_coverage``: covered / required skills over the staffed teams (1.0 when every
      staffed team covers its skills);
    - ``envy``: students who prefer (higher affinity) a staffed team that still has room;
    - ``slack``: free seats in staffed teams and students left unassigned.
    """
    score = {
        (int(s), int(c)): float(w)
        for s, c, w in zip(instance.edge_student, instance.edge_challenge, instance.edge_score, strict=True)
    }
    where = {s: c for c, members in teams.items() for s in members}
    values = [score.get((s, c), 0.0) for s, c in where.items()]
    required = covered = 0
    for c, members in teams.items():
        have = {k for s in members for k in instance.students[s].skills}
        skills = set(instance.challenges[c].required_skills)
        required += len(skills)
        covered += len(skills & have)
    room = {c for c, members in teams.items() if members and len(members) < instance.challenges[c].max_size}
    options: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (s, c), w in score.items():
        options[s].append((w, c))
    envious = []
    for s, opts in options.items():
        own = score.get((s, where[s]), float("-inf")) if s in where else float("-inf")
        if any(w > own and c in room and c != where.get(s) for w, c in opts):
            envious.append(instance.students[s].id)
    return {
        "total_affinity": round(sum(values), 9),
        "min_affinity": round(min(values), 9) if values else None,
        "mean_affinity": round(sum(values) / len(values), 9) if values else None,
        "assigned": len(where),
        "unassigned": len(instance.students) - len(where),
        "staffed_challenges": sum(1 for m in teams.values() if m),
        "unstaffed_challenges": len(instance.challenges) - sum(1 for m in teams.values() if m),
        "skill_coverage": round(covered / required, 6) if required else 1.0,
        "envy": len(envious),
        "envious_students": sorted(envious),
        "free_seats": sum(instance.challenges[c].max_size - len(m) for c, m in teams.items() if m),
        "violations": team_violations(instance, teams),
    }
