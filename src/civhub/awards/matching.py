"""Balanced assignment of evaluators to submissions, with no database.

Input: for each submission s, how many evaluators it still needs (need[s]) and which
evaluators are eligible for it (eligible[s]: the conflict-of-interest rules are applied
before, by the caller); each evaluator's current load in the call; a match score
match(s, e) (topic expertise and language; higher is better).

1. Greedy, most constrained submission first (fewest spare eligible evaluators), each takes
   its need[s] evaluators among the eligible ones, preferring evaluators under the fair cap
   ceil(total load / evaluators), then the best match, then the lightest load, then the
   lowest id.
2. Rebalancing: while some evaluator h carries at least two more than some evaluator x it
   can reach, move one assignment along a path h -> e1 -> ... -> x, where each arrow moves a
   submission from one evaluator to the next one eligible for it and not already on it.
   The path is found by breadth-first search. Every move keeps every submission's count and
   every eligibility rule, and lowers the sum of squared loads, so the loop ends; when no
   such path is left, no reassignment can make the loads more even (the flow argument of
   Harvey et al., "Semi-matchings for bipartite graphs and load balancing", 2006), so the
   loads of evaluators who can take the work differ by at most one whenever that is
   possible at all.

Everything is ordered by ids, so the same input gives the same plan.
"""

import math
from collections import deque
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar

#: a submission and an evaluator (their ids; anything hashable in the tests)
S = TypeVar("S", bound=Hashable)
E = TypeVar("E", bound=Hashable)


class Infeasible(Exception):
    def __init__(self, short: dict):
        super().__init__(f"not enough eligible evaluators for {sorted(short)}")
        self.short = short  # submission -> how many eligible evaluators it has


def plan(
    need: Mapping[S, int],
    eligible: Mapping[S, Sequence[E]],
    loads: Mapping[E, int],
    match: Callable[[S, E], float] = lambda s, e: 0,
) -> dict:
    """submission -> the evaluators newly assigned to it (sorted)."""
    short = {s: len(eligible.get(s, ())) for s, n in need.items() if len(eligible.get(s, ())) < n}
    if short:
        raise Infeasible(short)
    load = dict(loads)
    for s in need:
        for e in eligible[s]:
            load.setdefault(e, 0)
    if not load:
        return {s: [] for s in need}
    cap = math.ceil((sum(load.values()) + sum(need.values())) / len(load))
    chosen: dict = {s: set() for s in need}
    order = sorted(need, key=lambda s: (len(eligible[s]) - need[s], s))
    for s in order:
        candidates = sorted(eligible[s], key=lambda e: (load[e] >= cap, -match(s, e), load[e], e))
        for e in candidates[: need[s]]:
            chosen[s].add(e)
            load[e] += 1
    _rebalance(chosen, eligible, load)
    return {s: sorted(es) for s, es in chosen.items()}


def _rebalance(chosen: dict, eligible: Mapping, load: dict) -> None:
    eligible_sets = {s: sorted(eligible[s]) for s in chosen}
    while True:
        holding: dict = {}
        for s, es in chosen.items():
            for e in es:
                holding.setdefault(e, []).append(s)
        lowest = min(load.values())
        sources = sorted((e for e in load if load[e] >= lowest + 2), key=lambda e: (-load[e], e))
        if not sources or not _improve(sources, chosen, eligible_sets, holding, load):
            return


def _improve(sources, chosen, eligible_sets, holding, load) -> bool:
    for h in sources:
        parent: dict = {h: None}
        queue = deque([h])
        while queue:
            e = queue.popleft()
            for s in sorted(holding.get(e, ())):
                for x in eligible_sets[s]:
                    if x in parent or x in chosen[s]:
                        continue
                    parent[x] = (e, s)
                    if load[x] <= load[h] - 2:
                        _apply(x, parent, chosen, load)
                        return True
                    queue.append(x)
    return False


def _apply(x, parent, chosen, load) -> None:
    """Move along the path that ends at x: each submission passes to the next evaluator."""
    load[x] += 1
    while parent[x] is not None:
        e, s = parent[x]
        chosen[s].discard(e)
        chosen[s].add(x)
        x = e
    load[x] -= 1
