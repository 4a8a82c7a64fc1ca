"""The arithmetic of consolidation, with no database: weighted totals, bias-corrected means,
ranks, agreement between evaluators and disagreement flags.

Notation: evaluator e scored submission s on criterion c with value x(e,s,c), on the
criterion's scale [lo_c, hi_c], with weight w_c > 0.

Weighted total of one evaluator for one submission, in percent of the scale:

    T(e,s) = 100 * sum_c w_c * (x(e,s,c) - lo_c) / (hi_c - lo_c)  /  sum_c w_c

Weighted mean of a submission over its evaluators E(s):

    M(s) = (1 / |E(s)|) * sum_{e in E(s)} T(e,s)

Harshness or leniency correction (per-evaluator z-scores). Over the submissions S(e) that
evaluator e scored in the call, with the population standard deviation:

    mu_e = mean_{s in S(e)} T(e,s),   sd_e = sqrt(mean_{s in S(e)} (T(e,s) - mu_e)^2)
    z(e,s) = (T(e,s) - mu_e) / sd_e          (0 when sd_e = 0: the evaluator did not
                                              distinguish, so says nothing about order)
    Z(s) = mean_{e in E(s)} z(e,s)

Z(s) is shown on the percent scale too, as  C(s) = mu + sd * Z(s), where mu and sd are the
mean and the population standard deviation of all the T(e,s) of the call. C orders the
submissions exactly as Z does.

Ranks: 1 is the best. Submissions are ordered by the score, highest first; equal scores
(equal to 1e-9) are ordered by the call's tie-break key, then by the submission's id, so that
every rank is distinct and the order is reproducible.

Agreement between evaluators:

* Kendall's W, for a complete design (m evaluators each scored the same n submissions).
  Each evaluator's totals are turned into ranks (1 = lowest, ties get the mean rank);
  R_i is the sum of the ranks of submission i, Rbar = m (n + 1) / 2,
  S = sum_i (R_i - Rbar)^2, and with tie groups of sizes t in each evaluator's ranking,
  T_e = sum (t^3 - t):

      W = 12 S / (m^2 (n^3 - n) - m sum_e T_e)

  W is 1 when the evaluators order the submissions identically and 0 when there is no
  common order. It is undefined (None) for n < 2 or m < 2.

* ICC(1), the one-way random-effects intraclass correlation, which allows each submission
  its own evaluators (the usual design of a call). With n submissions, k_s evaluators of
  submission s, N = sum k_s, grand mean G:

      MSB = sum_s k_s (M(s) - G)^2 / (n - 1)
      MSW = sum_s sum_e (T(e,s) - M(s))^2 / (N - n)
      k0  = (N - sum_s k_s^2 / N) / (n - 1)
      ICC = (MSB - MSW) / (MSB + (k0 - 1) MSW)

  None when n < 2 or N = n.

Disagreement of a submission: the range max_e T(e,s) - min_e T(e,s) of its evaluators'
totals (and their standard deviation, for information). The submission is flagged for the
panel when the range is above the call's threshold (in percentage points).
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

#: a criterion's key (its id, or a name in the tests)
K = TypeVar("K", bound=Hashable)

EPS = 1e-9


@dataclass(frozen=True)
class CriterionSpec:
    weight: float
    low: float
    high: float


@dataclass
class SubmissionResult:
    submission: Hashable
    totals: dict  # evaluator -> T(e,s)
    mean: float  # M(s)
    z_mean: float  # Z(s)
    corrected: float  # C(s)
    spread: float  # range of T(e,s)
    std: float  # population std of T(e,s)
    flagged: bool
    rank: int = 0
    rank_corrected: int = 0


@dataclass
class Consolidation:
    results: list[SubmissionResult]  # ordered by rank (weighted mean)
    kendall_w: float | None
    icc: float | None
    evaluator_means: dict = field(default_factory=dict)  # mu_e
    evaluator_sds: dict = field(default_factory=dict)  # sd_e

    def by_submission(self) -> dict:
        return {r.submission: r for r in self.results}


def weighted_total(values: Mapping[K, float], criteria: Mapping[K, CriterionSpec]):
    """T(e,s): one evaluator's scores of one submission, criterion -> value, in percent."""
    missing = set(criteria) - set(values)
    if missing:
        raise ValueError(f"scores missing for criteria {sorted(map(str, missing))}")
    weights = sum(spec.weight for spec in criteria.values())
    total = sum(
        spec.weight * (values[c] - spec.low) / (spec.high - spec.low)
        for c, spec in criteria.items()
    )
    return 100.0 * total / weights


def mean_ranks(values: Iterable[float]) -> np.ndarray:
    """Ranks from 1 (lowest) with ties sharing their mean rank."""
    values = np.asarray(list(values), dtype=float)
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and abs(values[order[j + 1]] - values[order[i]]) <= EPS:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def kendall_w(matrix) -> float | None:
    """Kendall's W of an m x n matrix: m evaluators' scores (not ranks) of n submissions."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2:
        raise ValueError("a matrix of evaluators by submissions is needed")
    m, n = matrix.shape
    if m < 2 or n < 2:
        return None
    ranks = np.vstack([mean_ranks(row) for row in matrix])
    tie_sum = 0.0
    for row in matrix:
        _values, counts = np.unique(np.round(row, 9), return_counts=True)
        tie_sum += float(np.sum(counts**3 - counts))
    rank_sums = ranks.sum(axis=0)
    s = float(np.sum((rank_sums - m * (n + 1) / 2) ** 2))
    denominator = m**2 * (n**3 - n) - m * tie_sum
    if denominator <= 0:
        return None  # every evaluator gave every submission the same score
    return 12 * s / denominator


def icc1(groups: Iterable[Iterable[float]]) -> float | None:
    """ICC(1) from the totals of each submission (one list per submission)."""
    arrays = [np.asarray(list(g), dtype=float) for g in groups]
    arrays = [g for g in arrays if len(g)]
    n = len(arrays)
    sizes = np.array([len(g) for g in arrays], dtype=float)
    big_n = sizes.sum()
    if n < 2 or big_n <= n:
        return None
    grand = np.concatenate(arrays).mean()
    means = np.array([g.mean() for g in arrays])
    msb = float(np.sum(sizes * (means - grand) ** 2) / (n - 1))
    msw = float(sum(np.sum((g - g.mean()) ** 2) for g in arrays) / (big_n - n))
    k0 = (big_n - float(np.sum(sizes**2)) / big_n) / (n - 1)
    denominator = msb + (k0 - 1) * msw
    if abs(denominator) <= EPS:
        return None
    return (msb - msw) / denominator


def _rank(results: list[SubmissionResult], score, tie_key) -> list[SubmissionResult]:
    """Order best first: higher score; equal scores by the tie-break key (lower is better),
    then by the submission's id."""
    return sorted(
        results,
        key=lambda r: (-round(score(r), 9), tie_key(r.submission), str(r.submission)),
    )


def consolidate(
    scores: Mapping[tuple[Hashable, Hashable], Mapping[K, float]],
    criteria: Mapping[K, CriterionSpec],
    *,
    threshold: float,
    tie_key=lambda submission: 0,
) -> Consolidation:
    """Consolidate a call's scores.

    `scores` maps (evaluator, submission) to that evaluator's complete scores of the
    submission (criterion -> value); `criteria` gives each criterion's weight and scale;
    `tie_key(submission)` orders equal scores (lower first); `threshold` flags disagreement.
    """
    totals: dict = defaultdict(dict)  # submission -> evaluator -> T
    by_evaluator: dict = defaultdict(dict)  # evaluator -> submission -> T
    for (evaluator, submission), criterion_values in scores.items():
        t = weighted_total(criterion_values, criteria)
        totals[submission][evaluator] = t
        by_evaluator[evaluator][submission] = t

    mu: dict[Hashable, float] = {}
    sd: dict[Hashable, float] = {}
    z: defaultdict[Hashable, dict[Hashable, float]] = defaultdict(dict)
    for evaluator, row in by_evaluator.items():
        values = np.array(list(row.values()))
        mu[evaluator] = float(values.mean())
        sd[evaluator] = float(values.std())
        for submission, t in row.items():
            z[submission][evaluator] = (
                (t - mu[evaluator]) / sd[evaluator] if sd[evaluator] > EPS else 0.0
            )
    every = np.array([t for row in totals.values() for t in row.values()]) if totals else None
    grand_mean = float(every.mean()) if every is not None else 0.0
    grand_sd = float(every.std()) if every is not None else 0.0

    results = []
    for submission, row in totals.items():
        values = np.array(list(row.values()))
        z_mean = float(np.mean(list(z[submission].values())))
        spread = float(values.max() - values.min())
        results.append(
            SubmissionResult(
                submission=submission,
                totals=dict(row),
                mean=float(values.mean()),
                z_mean=z_mean,
                corrected=grand_mean + grand_sd * z_mean,
                spread=spread,
                std=float(values.std()),
                flagged=len(values) > 1 and spread > threshold + EPS,
            )
        )
    for position, result in enumerate(_rank(results, lambda r: r.z_mean, tie_key), start=1):
        result.rank_corrected = position
    ordered = _rank(results, lambda r: r.mean, tie_key)
    for position, result in enumerate(ordered, start=1):
        result.rank = position

    # Kendall's W over the evaluators who scored every submission (a complete design).
    submissions = list(totals)
    complete = [e for e, row in by_evaluator.items() if set(row) == set(submissions)]
    w = None
    if complete and len(complete) == len(by_evaluator):  # none when nothing is scored yet
        w = kendall_w([[by_evaluator[e][s] for s in submissions] for e in complete])
    return Consolidation(
        results=ordered,
        kendall_w=w,
        icc=icc1(list(row.values()) for row in totals.values()),
        evaluator_means=mu,
        evaluator_sds=sd,
    )
