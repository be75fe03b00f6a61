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
