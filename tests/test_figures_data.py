"""Figure *data* (not pixels): the numbers each figure shows, checked against theory."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lab.figures import bounds
from lab.figures.classes import get_class
from lab.figures.complexity import SearchConfig, best_over_grid, measure_point, worst_case
from lab.figures.descent_data import descent_bounds, figure_f_data, phi, true_gap
from lab.smoothness.local import local_smoothness, local_smoothness_batch
from lab.figures.frontier_data import figure_e_data, sampled_lower_bound
from lab.functions import get_function
from lab.smoothness import frontier_l0

TINY = SearchConfig(h_grid=tuple(2.0 ** (np.arange(-24, 4) / 2.0)),
                    gamma_grid=tuple(2.0 ** np.arange(-4, 8, dtype=float)), cap=200_000)


# --- figure a: the hard family -------------------------------------------------------------

@pytest.fixture(scope="module")
def hard_rows():
    pclass = get_class("hard")
    return {M: {r["method"]: r for r in measure_point(pclass, M, 1.0, TINY)}
            for M in (10.0, 100.0, 400.0)}


def test_gd_over_clipped_ratio_grows_with_M(hard_rows):
    ratios = [hard_rows[M]["gd_best"]["iterations"] / hard_rows[M]["clipped_thm3"]["iterations"]
              for M in sorted(hard_rows)]
    assert all(b > a for a, b in zip(ratios, ratios[1:])), ratios
    tuned = [hard_rows[M]["gd_best"]["iterations"] / hard_rows[M]["clipped_tuned"]["iterations"]
             for M in sorted(hard_rows)]
    assert tuned[-1] > 2.0 and tuned[-1] > tuned[0]


def test_clipped_gd_stays_under_theorem3(hard_rows):
    for rows in hard_rows.values():
        r = rows["clipped_thm3"]
        assert 0 < r["iterations"] <= r["bound_thm3"]
        assert not r["censored"]


def test_eta_star_under_later_bound_and_gd_above_theorem4(hard_rows):
    for M, rows in hard_rows.items():
        assert 0 < rows["eta_star"]["iterations"] <= rows["eta_star"]["bound_later"]
        # the hard family is built to attain Theorem 4's lower bound (a reconstruction [R])
        assert rows["gd_best"]["iterations"] >= rows["gd_best"]["bound_thm4"]


def test_tuned_methods_no_worse_than_theorem_parameters(hard_rows):
    for rows in hard_rows.values():
        assert rows["clipped_tuned"]["iterations"] <= rows["clipped_thm3"]["iterations"]
        assert rows["gd_best"]["iterations"] <= rows["gd_thm6"]["iterations"]


def test_growing_budget_search_equals_brute_force():
    from lab.methods import gd

    pclass = get_class("hard")
    grid = [0.02, 0.05, 0.1, 0.2, 0.4]
    got = best_over_grid(pclass, 30.0, 1.0, lambda h: gd(h=h), grid, cap=50_000, start_budget=4)
    brute = []
    for h in grid:
        o = worst_case(pclass, 30.0, 1.0, gd(h=h), 50_000)
        brute.append(math.inf if (o.diverged or o.censored) else o.iterations)
    best = int(np.argmin(brute))
    assert got.iterations == brute[best]
    assert got.params == f"h={grid[best]:.6g}"


def test_class_constants_are_valid_for_every_member():
    for name in ("hard", "quartic", "exp"):
        pclass = get_class(name)
        for fn, _ in pclass.members(100.0, 0.5):
            assert frontier_l0(fn, pclass.L1) <= pclass.L0 + 1e-12, (name, fn)


def test_class_starts_have_the_stated_gradient_and_gap():
    pclass = get_class("hard")
    (steep, xs), (flat, x0) = pclass.members(100.0, 1.0)
    np.testing.assert_allclose(steep.grad_norm(xs), [100.0, 25.0, 6.25], rtol=1e-12)
    gap = pclass.gap(100.0, 1.0)
    np.testing.assert_allclose(steep.value(xs[:1]), [gap], rtol=1e-12)
    np.testing.assert_allclose(flat.value(x0), [gap], rtol=1e-9)
    q = get_class("quartic")
    (fn, xs), = q.members(100.0, 0.1)
    np.testing.assert_allclose(fn.grad_norm(xs)[0], 100.0, rtol=1e-12)
    np.testing.assert_allclose(fn.value(xs[:1])[0], q.gap(100.0, 0.1), rtol=1e-12)


def test_bound_formulas_by_hand():
    # Theorem 3 with L0 = 2, L1 = 3, Δ = 5, ε = 0.5: 20·2·5/0.25 + 20·9·5/2 = 800 + 450
    assert float(bounds.theorem3_bound(2.0, 3.0, 5.0, 0.5)) == pytest.approx(1250.0)
    # Theorem 6: 4 (M L1 + L0) Δ/ε² = 4·(10·3 + 2)·5/0.25
    assert float(bounds.theorem6_bound(2.0, 3.0, 10.0, 5.0, 0.5)) == pytest.approx(2560.0)
    # later: 2·2·5/0.25 + 3·3·5/0.5
    assert float(bounds.later_bound(2.0, 3.0, 5.0, 0.5)) == pytest.approx(170.0)
    # Theorem 4: L1 M (Δ - 5ε/8)/(8 ε² (log M + 1)) at M = e²: 3e²(5 - 5/16)/(8·0.25·3)
    M = math.exp(2.0)
    assert float(bounds.theorem4_bound(3.0, M, 5.0, 0.5)) == pytest.approx(
        M * (5.0 - 5.0 / 16.0) / 2.0)
    assert math.isnan(float(bounds.theorem4_bound(1.0, 1.0, 5.0, 0.5)))


# --- figure c: the paper's estimator -------------------------------------------------------

def test_estimator_on_a_quadratic_is_the_rayleigh_like_ratio():
    rng = np.random.default_rng(1)
    B = rng.standard_normal((4, 4))
    A = B @ B.T
    X = rng.standard_normal((6, 4))
    est = local_smoothness_batch(lambda Y: Y @ A.T, X, n_alpha=5)
    D = np.diff(X, axis=0)
    expect = np.linalg.norm(D @ A.T, axis=1) / np.linalg.norm(D, axis=1)
    np.testing.assert_allclose(est, expect, rtol=1e-12)


def test_batched_estimator_matches_the_one_step_form_on_a_nonquadratic():
    """The trajectory form (one batched gradient call) and the one-step form (one call per
    probe, as the network uses it) give the same numbers."""
    fn = get_function("phase_retrieval")
    rng = np.random.default_rng(2)
    X = rng.standard_normal((5, 3))
    est = local_smoothness_batch(fn.grad, X, n_alpha=4)
    for k in range(4):
        one = local_smoothness(lambda v: fn.grad(v[None, :])[0], X[k], X[k + 1] - X[k],
                               n_alpha=4)
        assert est[k] == pytest.approx(one, rel=1e-12)


def test_estimator_zero_step_is_nan_and_bad_shape_refused():
    from lab.errors import LabInputError

    est = local_smoothness_batch(lambda Y: 2 * Y, np.array([[1.0], [1.0], [0.5]]))
    assert math.isnan(est[0]) and est[1] == pytest.approx(2.0)
    with pytest.raises(LabInputError):
        local_smoothness_batch(lambda Y: Y, np.zeros((1, 2)))


# --- figure f: the descent lemma ----------------------------------------------------------

def test_blog_bound_falls_below_true_gap_for_exp():
    rows = [r for r in figure_f_data(3.0, 30) if r["function"] == "exp"]
    assert all(r["quadratic"] < r["true_gap"] for r in rows)
    # closed form of exp's gap at 0: e^Δ - 1 - Δ
    for r in rows:
        assert r["true_gap"] == pytest.approx(math.expm1(r["r"]) - r["r"], rel=1e-12)


def test_exponential_bound_is_tight_and_trust_region_holds():
    for r in figure_f_data(3.0, 30):
        assert r["exponential"] == pytest.approx(r["true_gap"], rel=1e-10)
        if not math.isnan(r["trust_region"]):
            assert r["trust_region"] >= r["true_gap"]
        assert r["loose_exponential"] >= r["true_gap"]


def test_descent_bounds_on_quartic_are_upper_bounds():
    fn = get_function("quartic")  # (L0, L1) = (1, 4) is valid
    r = np.linspace(0.01, 2.0, 50)
    for x in (-1.0, 0.3, 2.0):
        g = abs(float(fn.grad([[x]])[0, 0]))
        direction = -np.sign(x) if x else 1.0
        gap = fn.value((x + direction * r)[:, None]) - fn.value([[x]])[0] \
            - fn.grad([[x]])[0, 0] * direction * r
        b = descent_bounds(1.0, 4.0, g, r)
        assert np.all(b["exponential"] >= gap - 1e-12)
    assert float(phi(1e-8)) == pytest.approx(5e-17, rel=1e-6)
    assert true_gap(fn, 0.0, np.array([2.0]))[0] == pytest.approx(16.0)


# --- figure e: frontiers -----------------------------------------------------------------

def test_sampled_lower_bound_agrees_with_closed_forms():
    for name, L1, expect in (("quartic", 2.0, 4.0), ("cosh", 1.5, 1.0), ("exp_sum", 1.0, 2.0),
                             ("exp", 1.0, 0.0)):
        got = float(sampled_lower_bound(get_function(name), [L1])[0])
        assert expect - 1e-4 * max(1.0, expect) <= got <= expect + 1e-12, name


def test_frontier_rows_flag_no_contradiction_on_closed_forms():
    rows = figure_e_data([0.5, 1.0, 4.0], names=["quartic", "cubic", "cosh", "witness",
                                                  "logistic", "xy_squared"])
    assert not any(r["contradiction"] for r in rows)
    assert all(math.isinf(r["L0_min"]) for r in rows if r["function"] == "xy_squared")
