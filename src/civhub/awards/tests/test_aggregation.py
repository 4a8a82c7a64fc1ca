"""The consolidation arithmetic against figures worked out by hand."""

import pytest

from civhub.awards.aggregation import CriterionSpec, consolidate, icc1, kendall_w, mean_ranks

# Two criteria on a 0..10 scale: A weighs 2, B weighs 1. T = 100 * (2 a + b) / 30.
CRITERIA = {"A": CriterionSpec(2, 0, 10), "B": CriterionSpec(1, 0, 10)}

# Three evaluators (e1 harsh, e2 lenient, e3 in between), four submissions s1..s4.
#             (a, b)      T = 100 (2a + b) / 30
# e1: s1 (6, 3) -> 15/30 = 50      s2 (3, 3) ->  9/30 = 30
#     s3 (4, 4) -> 12/30 = 40      s4 (1, 1) ->  3/30 = 10
# e2: s1 (9, 9) -> 27/30 = 90      s2 (8, 5) -> 21/30 = 70
#     s3 (9, 6) -> 24/30 = 80      s4 (5, 5) -> 15/30 = 50
# e3: s1 (7, 7) -> 21/30 = 70      s2 (7, 4) -> 18/30 = 60
#     s3 (6, 3) -> 15/30 = 50      s4 (4, 1) ->  9/30 = 30
SCORES = {
    ("e1", "s1"): {"A": 6, "B": 3},
    ("e1", "s2"): {"A": 3, "B": 3},
    ("e1", "s3"): {"A": 4, "B": 4},
    ("e1", "s4"): {"A": 1, "B": 1},
    ("e2", "s1"): {"A": 9, "B": 9},
    ("e2", "s2"): {"A": 8, "B": 5},
    ("e2", "s3"): {"A": 9, "B": 6},
    ("e2", "s4"): {"A": 5, "B": 5},
    ("e3", "s1"): {"A": 7, "B": 7},
    ("e3", "s2"): {"A": 7, "B": 4},
    ("e3", "s3"): {"A": 6, "B": 3},
    ("e3", "s4"): {"A": 4, "B": 1},
}
# Weighted means M(s): s1 (50+90+70)/3 = 70; s2 (30+70+60)/3 = 53.33…;
#                      s3 (40+80+50)/3 = 56.67; s4 (10+50+30)/3 = 30.
# Ranks by M: s1 1, s3 2, s2 3, s4 4.
#
# z-scores. e1: totals 50, 30, 40, 10 -> mean 32.5; deviations 17.5, -2.5, 7.5, -22.5;
#   squares 306.25 + 6.25 + 56.25 + 506.25 = 875, /4 = 218.75, sd = 14.7902;
#   z = 1.18322, -0.16903, 0.50709, -1.52128.
# e2: totals 90, 70, 80, 50 -> mean 72.5; deviations 17.5, -2.5, 7.5, -22.5: the same
#   z as e1 (e2 is e1 made 40 points more lenient): 1.18322, -0.16903, 0.50709, -1.52128.
# e3: totals 70, 60, 50, 30 -> mean 52.5; deviations 17.5, 7.5, -2.5, -22.5; same sd;
#   z = 1.18322, 0.50709, -0.16903, -1.52128.
# Z(s): s1 1.18322; s2 (-0.16903 * 2 + 0.50709) / 3 = 0.05634; s3 (0.50709 * 2 - 0.16903) / 3
#   = 0.28172; s4 -1.52128. Ranks by Z: s1, s3, s2, s4 (the same order here).
# Corrected score C = mu + sd * Z with mu = mean of the 12 totals = 52.5 and
#   sd = sqrt(mean((T - 52.5)^2)): squares 6.25 + 506.25 + 156.25 + 1806.25 + 1406.25
#   + 306.25 + 756.25 + 6.25 + 306.25 + 56.25 + 6.25 + 506.25 = 5825, /12 = 485.4167,
#   sd = 22.0322; C(s1) = 52.5 + 22.0322 * 1.18322 = 78.5687.
#
# Kendall's W: ranks (1 = lowest) of s1..s4 by e1: 4, 2, 3, 1; e2: 4, 2, 3, 1; e3: 4, 3, 2, 1.
#   Rank sums R = 12, 7, 8, 3; Rbar = 3 * 5 / 2 = 7.5; S = 4.5^2 + 0.5^2 + 0.5^2 + 4.5^2 = 41;
#   W = 12 * 41 / (3^2 * (4^3 - 4)) = 492 / 540 = 0.91111.
#
# Spread: s1 90 - 50 = 40, s2 70 - 30 = 40, s3 80 - 40 = 40, s4 50 - 10 = 40: all above a
#   threshold of 25; with a threshold of 45 none is flagged.
#
# ICC(1): k = 3 for all, N = 12, G = 52.5. MSB = 3 * ((70-52.5)^2 + (53.33-52.5)^2
#   + (56.67-52.5)^2 + (30-52.5)^2) / 3 = 306.25 + 0.6944 + 17.3611 + 506.25 = 830.5556.
#   SSW = sum of squared deviations within each submission: s1 (400+400+0) = 800;
#   s2 (23.33^2 + 16.67^2 + 6.67^2) = 544.44 + 277.78 + 44.44 = 866.67; s3 (16.67^2 + 23.33^2
#   + 6.67^2) = 866.67; s4 (400 + 400 + 0) = 800; total 3333.33, MSW = 3333.33 / 8 = 416.667.
#   ICC = (830.5556 - 416.6667) / (830.5556 + 2 * 416.6667) = 413.8889 / 1663.8889 = 0.24875.


def test_hand_worked_consolidation():
    result = consolidate(SCORES, CRITERIA, threshold=25)
    rows = result.by_submission()
    assert rows["s1"].mean == pytest.approx(70)
    assert rows["s2"].mean == pytest.approx(53.3333, abs=1e-4)
    assert rows["s3"].mean == pytest.approx(56.6667, abs=1e-4)
    assert rows["s4"].mean == pytest.approx(30)
    assert rows["s1"].totals == pytest.approx({"e1": 50, "e2": 90, "e3": 70})
    assert result.evaluator_means == pytest.approx({"e1": 32.5, "e2": 72.5, "e3": 52.5})
    assert result.evaluator_sds["e1"] == pytest.approx(14.7902, abs=1e-4)
    assert rows["s1"].z_mean == pytest.approx(1.18322, abs=1e-5)
    assert rows["s2"].z_mean == pytest.approx(0.05634, abs=1e-5)
    assert rows["s3"].z_mean == pytest.approx(0.28172, abs=1e-5)
    assert rows["s4"].z_mean == pytest.approx(-1.52128, abs=1e-5)
    assert rows["s1"].corrected == pytest.approx(78.5687, abs=1e-3)
    assert [r.submission for r in result.results] == ["s1", "s3", "s2", "s4"]
    assert [rows[s].rank for s in ("s1", "s2", "s3", "s4")] == [1, 3, 2, 4]
    assert [rows[s].rank_corrected for s in ("s1", "s2", "s3", "s4")] == [1, 3, 2, 4]
    assert result.kendall_w == pytest.approx(492 / 540)
    assert result.icc == pytest.approx(0.24875, abs=1e-5)
    assert all(rows[s].spread == pytest.approx(40) for s in rows)
    assert all(rows[s].flagged for s in rows)
    assert not any(r.flagged for r in consolidate(SCORES, CRITERIA, threshold=45).results)


def test_bias_correction_changes_the_order():
    """A lenient evaluator scoring only one submission lifts its plain mean; the z-scores
    see through it. e1 and e2 score s1 and s2; e3 (lenient: everything 90+) scores s2, s3."""
    scores = {
        ("e1", "s1"): {"A": 8, "B": 8},  # 80
        ("e1", "s2"): {"A": 6, "B": 6},  # 60
        ("e2", "s1"): {"A": 7, "B": 7},  # 70
        ("e2", "s2"): {"A": 5, "B": 5},  # 50
        ("e3", "s2"): {"A": 10, "B": 10},  # 100
        ("e3", "s3"): {"A": 9, "B": 9},  # 90
    }
    # Means: s1 75, s2 70, s3 90 -> ranks s3, s1, s2.
    # z: e1 (80, 60) -> +1, -1; e2 (70, 50) -> +1, -1; e3 (100, 90) -> +1, -1.
    # Z: s1 (1 + 1)/2 = 1; s2 (-1 - 1 + 1)/3 = -1/3; s3 -1 -> ranks s1, s2, s3.
    result = consolidate(scores, CRITERIA, threshold=100)
    rows = result.by_submission()
    assert [rows[s].rank for s in ("s1", "s2", "s3")] == [2, 3, 1]
    assert [rows[s].rank_corrected for s in ("s1", "s2", "s3")] == [1, 2, 3]
    assert rows["s2"].z_mean == pytest.approx(-1 / 3)
    assert result.kendall_w is None  # not a complete design


def test_ties_follow_the_calls_rule():
    scores = {
        ("e1", "s1"): {"A": 5, "B": 5},
        ("e1", "s2"): {"A": 5, "B": 5},
        ("e2", "s1"): {"A": 6, "B": 6},
        ("e2", "s2"): {"A": 6, "B": 6},
    }
    order = {"s1": 2, "s2": 1}  # e.g. s2 was submitted first
    result = consolidate(scores, CRITERIA, threshold=50, tie_key=order.get)
    assert [r.submission for r in result.results] == ["s2", "s1"]
    assert result.by_submission()["s2"].rank == 1


def test_kendall_w_extremes_and_ties():
    assert kendall_w([[1, 2, 3], [1, 2, 3]]) == pytest.approx(1)
    assert kendall_w([[1, 2, 3], [3, 2, 1]]) == pytest.approx(0)
    # Ties: rater 2 ties the first two. Ranks r1 = 1, 2, 3; r2 = 1.5, 1.5, 3.
    # R = 2.5, 3.5, 6; Rbar = 4; S = 2.25 + 0.25 + 4 = 6.5; T = 2^3 - 2 = 6.
    # W = 12 * 6.5 / (4 * 24 - 2 * 6) = 78 / 84.
    assert kendall_w([[1, 2, 3], [5, 5, 9]]) == pytest.approx(78 / 84)
    assert kendall_w([[1, 2, 3]]) is None
    assert list(mean_ranks([3, 1, 3])) == [2.5, 1, 2.5]


def test_icc_perfect_agreement_and_degenerate_cases():
    assert icc1([[10, 10], [20, 20], [30, 30]]) == pytest.approx(1)
    assert icc1([[10]]) is None
    assert icc1([[10], [20]]) is None  # one rating each: no within-submission variance


def test_weighted_total_needs_every_criterion():
    with pytest.raises(ValueError):
        consolidate({("e1", "s1"): {"A": 5}}, CRITERIA, threshold=10)
