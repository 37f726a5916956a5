"""Why a team assignment is impossible, and why each student is where they are.

Infeasibility is explained by *elastic relaxation* (Chinneck, 2008, "Feasibility and
Infeasibility in Optimization", ch. 7): each relaxable group of constraints (a required
skill of a challenge, its size bounds, its council mix, a student's one-team rule, a
required pair) gets a binary violation variable, and a MILP finds the fewest groups whose
relaxation makes the instance feasible.  Those groups are the binding ones, said in words.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from matcher.allocation.teams import TeamInstance, _run, build_model

__all__ = ["explain_infeasible", "explain_unstaffed", "precheck", "team_reasons"]

_WEIGHT = {"required": 2.0}  # prefer naming a structural reason over "drop this required pair"


def precheck(instance: TeamInstance) -> list[str]:
    """Contradictions visible without solving: required pairs that can never hold."""
    s_id = [s.id for s in instance.students]
    c_id = [c.id for c in instance.challenges]
    problems = []
    required_on: dict[int, list[int]] = defaultdict(list)
    per_challenge: dict[int, list[int]] = defaultdict(list)
    for s, c in instance.required:
        required_on[s].append(c)
        per_challenge[c].append(s)
        if (s, c) in instance.forbidden:
            problems.append(f"student {s_id[s]} is required on {c_id[c]} but also forbidden from it")
        elif (s, c) not in instance.scored:
            problems.append(
                f"student {s_id[s]} is required on {c_id[c]} but has no affinity row for it, so may not join it"
            )
    for s, cs in required_on.items():
        if len(cs) > 1:
            problems.append(
                f"student {s_id[s]} is required on {', '.join(c_id[c] for c in cs)}; a student joins one team"
            )
    for c, ss in per_challenge.items():
        if len(ss) > instance.challenges[c].max_size:
            problems.append(
                f"challenge {c_id[c]} has {len(ss)} required students but takes at most {instance.challenges[c].max_size} (binding: team size {instance.challenges[c].max_size})"
            )
    return problems


def _holders(instance: TeamInstance, c: int) -> list[int]:
    return [int(s) for s in instance.edge_student[instance.edge_challenge == c]]


def explain_infeasible(instance: TeamInstance) -> list[str]:
    """The fewest constraint groups whose relaxation makes the instance feasible, in words."""
    model = build_model(instance)
    groups: list[tuple[str, Any]] = []
    group_of: dict[tuple[str, Any], int] = {}
    extra_rows = []
    relax = []  # (row index, big-M sign) per relaxed row
    for i, (kind, key, _, lb, _) in enumerate(model.rows):
        if kind == "council_member":
            continue
        g = group_of.setdefault((kind, key), len(groups))
        if g == len(groups):
            groups.append((kind, key))
        big = sum(abs(a) for _, a in model.rows[i][2]) + 1.0
        relax.append((i, g, big if np.isfinite(lb) else -big))
    index = instance.edge_index()
    for pair in instance.required:
        g = len(groups)
        groups.append(("required", pair))
        extra_rows.append((index[pair], g))
    n0 = model.n_vars
    rows = [list(r[2]) for r in model.rows]
    for i, g, big in relax:
        rows[i].append((n0 + g, big))
    lbs = [r[3] for r in model.rows]
    ubs = [r[4] for r in model.rows]
    for e, g in extra_rows:
        rows.append([(e, 1.0), (n0 + g, 1.0)])
        lbs.append(1.0)
        ubs.append(np.inf)
    for e in range(model.n_x):  # x[e] <= y[c], not relaxable: relaxing a size must not unstaff a team
        rows.append([(e, 1.0), (model.n_x + int(instance.edge_challenge[e]), -1.0)])
        lbs.append(-np.inf)
        ubs.append(0.0)
    model.rows = [("", None, coeffs, lb, ub) for coeffs, lb, ub in zip(rows, lbs, ubs, strict=True)]
    model.c = np.concatenate([np.zeros(n0), [_WEIGHT.get(k, 1.0) for k, _ in groups]])
    model.lower = np.concatenate([model.lower, np.zeros(len(groups))])
    model.lower[: model.n_x] = 0.0  # required pairs are rows now, so they can be relaxed
    model.upper = np.concatenate([model.upper, np.ones(len(groups))])
    result = _run(model, time_limit=60.0, mip_rel_gap=0.0)
    if result.x is None:
        return ["no assignment satisfies the constraints, and the relaxation could not be solved"]
    relaxed = [groups[g] for g in np.flatnonzero(result.x[n0:] > 0.5)]
    return [_describe(instance, kind, key) for kind, key in relaxed] or [
        "no assignment satisfies the constraints"
    ]


def _describe(instance: TeamInstance, kind: str, key: Any) -> str:
    s_id = [s.id for s in instance.students]
    ch = instance.challenges
    required_on = {s: c for s, c in instance.required}
    if kind == "skill":
        c, skill = key
        who = [s for s in _holders(instance, c) if skill in instance.students[s].skills]
        if not who:
            return f"challenge {ch[c].id} needs {skill}; no available student has it"
        elsewhere = [
            f"{s_id[s]} (required on {ch[required_on[s]].id})" for s in who if required_on.get(s, c) != c
        ]
        tail = (
            f": {', '.join(elsewhere)}"
            if elsewhere
            else f" ({', '.join(s_id[s] for s in who)}) but the team cannot take them within size {ch[c].max_size}"
        )
        return f"challenge {ch[c].id} needs {skill}; the students who have it are needed elsewhere{tail}"
    if kind == "min_size":
        c = int(key)
        n = len(_holders(instance, c))
        return f"challenge {ch[c].id} must be staffed but needs at least {ch[c].min_size} students; only {n} may join it (binding: team size {ch[c].min_size})"
    if kind == "max_size":
        c = int(key)
        return f"challenge {ch[c].id} takes at most {ch[c].max_size} students (binding: team size {ch[c].max_size})"
    if kind == "councils":
        c = int(key)
        councils = sorted({instance.students[s].council for s in _holders(instance, c)})
        return f"challenge {ch[c].id} needs members from {ch[c].min_councils} councils; its available students come from {len(councils)} ({', '.join(councils) or 'none'})"
    if kind == "one_team":
        return f"student {s_id[int(key)]} would have to join two teams"
    s, c = key
    return (
        f"student {s_id[s]} cannot be placed on {ch[c].id} as required together with the other requirements"
    )


def explain_unstaffed(instance: TeamInstance, teams: dict[int, list[int]]) -> list[str]:
    """For each challenge left unstaffed, the first reason that rules it out (or competition)."""
    out = []
    for c, ch in enumerate(instance.challenges):
        if c in teams:
            continue
        who = _holders(instance, c)
        skills = {sk for s in who for sk in instance.students[s].skills}
        missing = [sk for sk in ch.required_skills if sk not in skills]
        councils = {instance.students[s].council for s in who}
        if not who:
            why = "no student may join it"
        elif len(who) < ch.min_size:
            why = f"needs at least {ch.min_size} students; only {len(who)} may join it (binding: team size {ch.min_size})"
        elif missing:
            why = f"needs {', '.join(missing)}; no available student has it"
        elif len(councils) < ch.min_councils:
            why = f"needs members from {ch.min_councils} councils; its available students come from {len(councils)}"
        else:
            why = "its students add more affinity on other teams (binding: each student joins one team)"
        out.append(f"{ch.id} not staffed: {why}")
    return out


def team_reasons(instance: TeamInstance, teams: dict[int, list[int]]) -> dict[int, str]:
    """A line per assigned student: what they bring and which constraint binds, e.g.
    ``"assigned: covers NDT; choice 1 of 4 (affinity 0.82); binding: team size 5"``."""
    score = {
        (int(s), int(c)): float(w)
        for s, c, w in zip(instance.edge_student, instance.edge_challenge, instance.edge_score, strict=True)
    }
    options: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (s, c), w in score.items():
        options[s].append((w, c))
    out = {}
    for c, members in teams.items():
        ch = instance.challenges[c]
        councils: dict[str, int] = defaultdict(int)
        for s in members:
            councils[instance.students[s].council] += 1
        for s in members:
            st = instance.students[s]
            covers = [k for k in ch.required_skills if k in st.skills]
            sole = [k for k in covers if not any(k in instance.students[o].skills for o in members if o != s)]
            ranked = sorted(options[s], reverse=True)
            place = next((i for i, (_, cc) in enumerate(ranked) if cc == c), None)
            parts = [f"assigned: covers {', '.join(covers)}" if covers else "assigned"]
            if place is not None:
                parts.append(f"choice {place + 1} of {len(ranked)} (affinity {score[(s, c)]:.3f})")
            binding = []
            if len(members) >= ch.max_size:
                binding.append(f"team size {ch.max_size}")
            elif len(members) <= ch.min_size:
                binding.append(f"minimum team size {ch.min_size}")
            binding.extend(f"only member with {k}" for k in sole)
            if councils[st.council] == 1 and len(councils) <= ch.min_councils and ch.min_councils >= 2:
                binding.append(f"{ch.min_councils} councils (only member from {st.council})")
            if place:
                better = ranked[0][1]
                state = (
                    "full"
                    if better in teams and len(teams[better]) >= instance.challenges[better].max_size
                    else ("not staffed" if better not in teams else "kept for the total")
                )
                binding.append(f"first choice {instance.challenges[better].id} {state}")
            if binding:
                parts.append("binding: " + ", ".join(binding))
            out[s] = "; ".join(parts)
    return out
