"""The blocked kernel's hoisted finiteness test (one dimension): sweeps without the test, a
check every ACTIVE_CHECK iterations, a replay from the last check when a stored state is not
finite. It must give exactly what the per-iteration test gives: the NumPy engine's results,
and the bits of the kernel that tests in every iteration (the one used with trajectories)."""

from __future__ import annotations

import numpy as np
import pytest

from lab.engine import CONVERGED, DIVERGED, run_batch
from lab.engine.codegen import program_for
from lab.engine.fused_source import ACTIVE_CHECK, BLOCK, hoists_finiteness
from lab.functions import get_function
from lab.functions.expression import expression
from lab.methods import clipped, clipped_sgd_momentum, gd, sgd

H = 0.05


def escaping_starts() -> np.ndarray:
    """Starts around the unstable 2-cycle ``±1/sqrt(2h)`` of GD on x^4 (the map's slope there
    is -5): a start ``delta`` away escapes after about ``log5(1/delta)`` iterations, so these
    runs diverge at every iteration from 7 to 28; plus runs inside (budget or converged)."""
    delta = np.logspace(-1, -15.5, 500)
    edge = 1.0 / np.sqrt(2.0 * H)
    return np.concatenate([edge * (1 + delta), -edge * (1 + delta[::3]),
                           np.linspace(-1.0, 1.0, 40)])[:, None]


def assert_same_runs(a, b, exact: bool):
    for name in ("hit", "status", "diverged_at", "iterations"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    if exact:
        np.testing.assert_array_equal(a.x, b.x)
        np.testing.assert_array_equal(a.grad_norm, b.grad_norm)
    else:
        np.testing.assert_allclose(a.x, b.x, rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(a.grad_norm, b.grad_norm, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("T, per_run", [(21, False), (200, True)])
def test_runs_diverging_between_checks_are_found_exactly(T, per_run):
    """Theorem checked: with the finiteness test hoisted out of the sweep, every run's hit,
    status, divergence iteration, iteration count, final iterate and gradient norm are those
    of the NumPy engine (which tests every iteration), and bit for bit those of the kernel
    that tests every iteration. The batch spans several blocks and diverges at every
    iteration from 7 to 28, between checks, on a check, and (T = 21) at the budget itself."""
    X = escaping_starts()
    h = np.full(X.shape[0], H) if per_run else H   # per_run: one value per run (an array)
    assert hoists_finiteness(program_for(get_function("quartic")), gd(h=h), record=False)
    fused = run_batch("quartic", gd(h=h), X, eps=1e-3, max_iter=T, backend="numba")
    assert_same_runs(fused, run_batch("quartic", gd(h=h), X, eps=1e-3, max_iter=T), False)
    checked = run_batch("quartic", gd(h=h), X, eps=1e-3, max_iter=T, backend="numba",
                        record_every=T)
    assert_same_runs(fused, checked, True)
    times = set(fused.diverged_at[fused.status == DIVERGED].tolist())
    assert X.shape[0] > BLOCK and len(times) >= 10
    assert any(t % ACTIVE_CHECK for t in times) and (T != 21 or T in times)
    assert (fused.status == CONVERGED).any() and np.isfinite(fused.x).all()


TIMES = np.arange(1, 101)   # every iteration of a budget of 100: on the checks and between


def interleaved(ends: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Runs that end (``ends``) interleaved with runs that never end (``others``), so that a
    block holds both kinds and keeps running to the budget."""
    both = np.empty(2 * ends.size)
    both[0::2], both[1::2] = ends, others
    return both


@pytest.mark.parametrize("per_run", [False, True])
def test_divergence_at_every_iteration_including_the_checks(per_run):
    """Theorem checked: GD with h = 10 on f(x) = -x^2/2 maps x to 11 x, so from
    x0 = 2 DBL_MAX / 11^k the iterate x_k overflows while x_{k-1} < DBL_MAX / 5: the run is
    diverged at exactly k and keeps x_{k-1}. Block 0 holds k = 1..100 (divergences on the
    checks, multiples of ACTIVE_CHECK and T = 100, and between them); block 1 only k >= 40,
    so its first replay starts from a check that passed (the snapshot taken there, not at
    the start). The fused kernel gives each k, the NumPy engine's results, and the bits of
    the kernel that tests every iteration."""
    f = expression("-x**2/2")
    start = np.finfo(float).max / 11.0 ** TIMES * 2.0     # x0 = 2 DBL_MAX / 11^k
    never = 1e-300                                       # 11^100 * 1e-300 stays finite
    block0 = np.concatenate([interleaved(start, np.full(100, never)),
                             np.full(BLOCK - 200, never)])
    late = TIMES >= 40
    X = np.concatenate([block0, interleaved(start[late], np.full(late.sum(), never))])[:, None]
    expected = np.full(X.shape[0], -1)
    expected[0:200:2] = TIMES
    expected[BLOCK::2] = TIMES[late]
    h = np.full(X.shape[0], 10.0) if per_run else 10.0
    fused = run_batch(f, gd(h=h), X, eps=0.0, max_iter=100, backend="numba")
    np.testing.assert_array_equal(fused.diverged_at, expected)
    assert {ACTIVE_CHECK, 2 * ACTIVE_CHECK, 100} <= set(fused.diverged_at.tolist())
    assert_same_runs(fused, run_batch(f, gd(h=h), X, eps=0.0, max_iter=100), False)
    assert_same_runs(fused, run_batch(f, gd(h=h), X, eps=0.0, max_iter=100,
                                      backend="numba", record_every=100), True)


def test_convergence_at_every_iteration_including_the_checks():
    """Theorem checked: GD with h = 1/2 on f(x) = x^2/2 halves x exactly (powers of two), so
    from x0 = 0.75 * 2^k the gradient |x_t| = 0.75 * 2^(k - t) is <= 1 first at t = k: the
    run converges at exactly k (k = 0..100: at the start, on the checks, between them and at
    the budget), with x_k = 0.75 and |f'(x_k)| = 0.75 as its final state."""
    f = expression("x**2/2")
    k = np.arange(0, 101)
    X = np.tile(interleaved(0.75 * 2.0 ** k, np.full(k.size, 2.0 ** 300)), 2)[:, None]
    fused = run_batch(f, gd(h=0.5), X, eps=1.0, max_iter=100, backend="numba")
    np.testing.assert_array_equal(fused.hit[0::2], np.tile(k, 2))
    assert X.shape[0] > BLOCK
    assert (fused.status[0::2] == CONVERGED).all() and (fused.hit[1::2] == -1).all()
    np.testing.assert_array_equal(fused.x[0::2, 0], 0.75)
    np.testing.assert_array_equal(fused.grad_norm[0::2], 0.75)
    np.testing.assert_array_equal(fused.grad_norm[1::2], 2.0 ** 200)
    assert_same_runs(fused, run_batch(f, gd(h=0.5), X, eps=1.0, max_iter=100,
                                      backend="numba", record_every=100), True)


def test_a_step_to_minus_infinity_is_divergence_not_convergence():
    """GD on exp with h = 1e308: from x0 > ln(DBL_MAX / 1e308) ~ 0.586 the first step
    overflows to x1 = -inf, where exp's gradient is 0 <= eps; the unchecked sweep marks such
    a run converged, the check must turn it into diverged at 1 at x0 (NumPy's verdict);
    from smaller starts x1 is finite and the run does converge at 1."""
    X = np.linspace(0.0, 1.0, 301)[:, None]
    fused = run_batch("exp", gd(h=1e308), X, eps=1e-6, max_iter=5, backend="numba")
    assert_same_runs(fused, run_batch("exp", gd(h=1e308), X, eps=1e-6, max_iter=5), False)
    big = X[:, 0] > 0.6
    assert (fused.status[big] == DIVERGED).all() and (fused.diverged_at[big] == 1).all()
    np.testing.assert_array_equal(fused.x[big], X[big])
    assert (fused.status[X[:, 0] < 0.58] == CONVERGED).all()


def test_the_hoisted_test_is_used_only_where_its_proof_holds():
    """One dimension (norm |g|), no noise, no momentum, no trajectory: elsewhere the kernel
    tests finiteness in every iteration (the momentum buffer is not part of the replayed
    state; with d > 1 a norm can overflow while its components and the next step stay
    finite)."""
    quartic = program_for(get_function("quartic"))
    assert hoists_finiteness(quartic, clipped(eta=0.1, gamma=1.0), record=False)
    assert not hoists_finiteness(quartic, clipped(eta=0.1, gamma=1.0), record=True)
    assert not hoists_finiteness(quartic, sgd(h=0.1, tau=0.1), record=False)
    assert not hoists_finiteness(quartic, clipped_sgd_momentum(eta=0.1, gamma=1.0,
                                                               momentum=0.9), record=False)
    assert not hoists_finiteness(program_for(get_function("quartic_norm", d=2)),
                                 clipped(eta=0.1, gamma=1.0), record=False)
