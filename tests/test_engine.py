"""The engine: one step equals the update formula, hitting times equal a scalar reference
loop on every backend, divergence is a result, bad inputs are one clear error."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from lab.engine import BUDGET, CONVERGED, DIVERGED, run_batch
from lab.errors import LabInputError
from lab.functions import function_names, get_function
from lab.methods import (clipped, clipped_sgd, clipped_sgd_momentum, eta_cl, eta_si, eta_star,
                         gd, normalized, quadratic_model, sgd, smoothed_clipping)

BACKENDS = ["numpy", "array_api_strict", "numba"]

DETERMINISTIC = [gd(h=0.01), clipped(eta=0.05, gamma=1.0), normalized(eta=0.05, beta=1.0),
                 quadratic_model(L0=4.0, L1=2.0), eta_star(L0=4.0, L1=2.0),
                 eta_si(L0=4.0, L1=2.0), eta_cl(L0=4.0, L1=2.0),
                 smoothed_clipping(eta=0.05, gamma=1.0)]


def backend_param(name):
    if name == "array_api_strict":
        pytest.importorskip("array_api_strict")
    return name


def start_for(f, k: int = 0) -> np.ndarray:
    """A start point with a nonzero gradient."""
    if f.info.start is not None:
        return np.asarray(f.info.start, dtype=float)
    return 0.3 + 0.1 * np.arange(f.dim) + 0.05 * k


def reference_loop(f, method, x0, eps, T):
    """A straightforward scalar loop, one run, with the lab's Objective gradient."""
    x = np.array(x0, dtype=float)
    with np.errstate(all="ignore"):
        for t in range(T + 1):
            g = f.grad(x[None, :])[0]
            gn = float(f.grad_norm(x[None, :])[0])
            if not (np.isfinite(gn) and np.isfinite(x).all()):
                return -1, "diverged", t
            if gn <= eps:
                return t, "converged", -1
            if t == T:
                return -1, "budget", -1
            h = float(method.step([gn])[0])
            x = x - h * g
    raise AssertionError


def reference_runs(f, method, X, eps, T, every=0):
    """The scalar loop for every start of ``X``, as the engine reports runs: (hit, status,
    diverged_at, final x, [x at t = 0, every, 2 every, ...]); a diverged run keeps its last
    finite iterate, and a finished run repeats its final iterate in the trajectory."""
    runs = []
    for x0 in np.asarray(X, dtype=float):
        x, prev, path = x0.copy(), x0.copy(), []
        with np.errstate(all="ignore"):
            for t in range(T + 1):
                gn = float(f.grad_norm(x[None, :])[0])
                if not (np.isfinite(gn) and np.isfinite(x).all()):
                    out = (-1, DIVERGED, t, prev)
                    break
                if every and t % every == 0:
                    path.append(x.copy())
                if gn <= eps:
                    out = (t, CONVERGED, -1, x)
                    break
                if t == T:
                    out = (-1, BUDGET, -1, x)
                    break
                h = float(method.step([gn])[0])
                prev, x = x, x - h * f.grad(x[None, :])[0]
        runs.append((*out, path))
    return runs


def assert_matches_reference(r, ref, rtol=1e-12):
    """A BatchResult against :func:`reference_runs`."""
    np.testing.assert_array_equal(r.hit, [run[0] for run in ref])
    np.testing.assert_array_equal(r.status, [run[1] for run in ref])
    np.testing.assert_array_equal(r.diverged_at, [run[2] for run in ref])
    np.testing.assert_allclose(r.x, [run[3] for run in ref], rtol=rtol, atol=1e-300)


@pytest.mark.parametrize("name", function_names())
@pytest.mark.parametrize("method", DETERMINISTIC, ids=lambda m: m.name)
def test_one_engine_step_is_the_update_formula(name, method):
    f = get_function(name)
    x0 = start_for(f)
    r = run_batch(f, method, x0[None, :], eps=0.0, max_iter=1)
    g = f.grad(x0[None, :])[0]
    h = method.step(f.grad_norm(x0[None, :]))[0]
    expected = x0 - h * g
    if r.status[0] == DIVERGED:
        assert not np.isfinite(expected).all() or not np.isfinite(f.grad(expected[None])).all()
        return
    np.testing.assert_allclose(r.x[0], expected, rtol=1e-12, atol=1e-300)
    assert r.iterations[0] == (0 if r.hit[0] == 0 else 1)


REFERENCE_CASES = [
    ("quartic", clipped(eta=0.01, gamma=1.0), 0.05),
    ("quartic", gd(h=0.05), 0.05),
    ("exp", clipped(eta=0.5, gamma=1.0), 0.01),
    ("cosh", gd(h=1.2), 1e-6),
    ("double_well", eta_star(L0=8.0, L1=3.0), 1e-8),
    ("witness", normalized(eta=0.2, beta=0.5), 1e-4),
    ("hard_steep", gd(h=0.05), 0.1),
    ("phase_retrieval", eta_si(L0=20.0, L1=5.0), 1e-3),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name, method, eps", REFERENCE_CASES, ids=lambda v: getattr(v, "name", str(v)))
def test_hitting_times_equal_the_scalar_reference(backend, name, method, eps):
    backend_param(backend)
    f = get_function(name)
    rng = np.random.default_rng(1)
    base = start_for(f)
    X = base[None, :] + rng.uniform(-1.5, 1.5, size=(6, f.dim))
    T = 300
    r = run_batch(f, method, X, eps=eps, max_iter=T, backend=backend)
    for j in range(X.shape[0]):
        hit, status, div = reference_loop(f, method, X[j], eps, T)
        assert r.hit[j] == hit, (j, X[j])
        assert r.status_names[j] == status
        assert r.diverged_at[j] == div
    assert (r.hit >= -1).all() and np.isfinite(r.x).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_backends_agree_on_final_points(backend):
    """Every backend (NumPy included) against the scalar reference loop."""
    backend_param(backend)
    X = np.linspace(-2, 2, 9)[:, None]
    method = clipped(eta=0.02, gamma=0.5)
    b = run_batch("quartic", method, X, eps=1e-3, max_iter=200, backend=backend)
    assert_matches_reference(b, reference_runs(get_function("quartic"), method, X, 1e-3, 200))


@pytest.mark.parametrize("backend", BACKENDS)
def test_divergence_is_a_result_without_warnings(backend):
    backend_param(backend)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = run_batch("exp_sum", gd(h=10.0), [[1.0], [0.0], [2.0]], eps=1e-6, max_iter=100,
                      backend=backend)
    assert r.status.tolist() == [DIVERGED, CONVERGED, DIVERGED]
    assert r.diverged_at[0] >= 1 and r.hit[0] == -1
    assert r.iterations[0] == r.diverged_at[0] - 1
    assert np.isfinite(r.x).all() and np.isfinite(r.grad_norm).all()
    assert r.hit.dtype == np.int64


def test_overflow_at_the_start_is_divergence_at_zero():
    r = run_batch("exp", gd(h=0.1), [[800.0]], eps=1e-3, max_iter=5)
    assert r.status[0] == DIVERGED and r.diverged_at[0] == 0


def test_budget_and_already_converged():
    r = run_batch("quartic", gd(h=1e-6), [[0.0], [1.0]], eps=1e-3, max_iter=3)
    assert r.hit.tolist() == [0, -1]
    assert r.status.tolist() == [CONVERGED, BUDGET]
    assert r.iterations.tolist() == [0, 3]


@pytest.mark.parametrize("backend", ["numpy", "numba", "array_api_strict"])
def test_the_starts_are_read_never_written_or_returned(backend):
    """run_batch reads the caller's float64 x0 without copying it: it must leave it as it
    was and return final iterates in memory of their own (runs that never move included)."""
    x0 = np.array([[0.0], [0.5], [3.0], [800.0]])
    before = x0.copy()
    r = run_batch("quartic", clipped(eta=0.1, gamma=1.0), x0, eps=0.1, max_iter=3,
                  backend=backend)
    np.testing.assert_array_equal(x0, before)
    assert not np.shares_memory(np.asarray(r.x), x0) and r.x.flags.writeable
    assert r.x[0, 0] == 0.0 and r.x[2, 0] != 3.0


def test_per_run_parameters_and_broadcast_start():
    etas = np.array([0.001, 0.01, 0.05])
    r = run_batch("quartic", clipped(eta=etas, gamma=1.0), [1.0], eps=0.05, max_iter=10_000)
    assert r.n_runs == 3
    for j, eta in enumerate(etas):
        one = run_batch("quartic", clipped(eta=float(eta), gamma=1.0), [1.0], eps=0.05,
                        max_iter=10_000)
        assert r.hit[j] == one.hit[0]
    assert r.hit[0] > r.hit[1] > r.hit[2]


@pytest.mark.parametrize("method", [sgd(h=0.01, tau=0.5), clipped_sgd(eta=0.01, L1=1.0, tau=0.5),
                                    clipped_sgd_momentum(eta=0.01, gamma=1.0, tau=0.5),
                                    sgd(h=0.01, tau=0.5, noise="gaussian"),
                                    sgd(h=0.01, tau=0.5, noise="sphere"),
                                    sgd(h=0.01, tau=0.5, noise="adversarial")],
                         ids=lambda m: f"{m.name}-{m.noise}")
def test_stochastic_runs_are_reproducible_and_batch_independent(method):
    f = get_function("quartic_norm", d=3)
    X = np.random.default_rng(2).normal(size=(5, 3))
    seeds = np.array([11, 12, 13, 14, 15])
    a = run_batch(f, method, X, eps=0.05, max_iter=3000, seeds=seeds)
    b = run_batch(f, method, X, eps=0.05, max_iter=3000, seeds=seeds)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.hit, b.hit)
    sub = run_batch(f, method, X[2:4], eps=0.05, max_iter=3000, seeds=seeds[2:4])
    np.testing.assert_array_equal(sub.x, a.x[2:4])
    assert (a.status == CONVERGED).any() or method.noise == "adversarial"


def test_adversarial_noise_slows_descent():
    """Bounded noise aligned against the gradient shortens every step's progress."""
    X = np.linspace(0.5, 2.0, 5)[:, None]
    plain = run_batch("quartic", gd(h=0.01), X, eps=0.2, max_iter=10_000)
    adv = run_batch("quartic", sgd(h=0.01, tau=0.1, noise="adversarial"), X, eps=0.2,
                    max_iter=10_000)
    assert (adv.hit >= plain.hit).all() and (adv.hit > plain.hit).any()


def test_trajectory_records_every_kth_iterate_and_freezes():
    r = run_batch("quartic", clipped(eta=0.05, gamma=1.0), [[1.0], [2.0]], eps=0.1,
                  max_iter=200, record_every=5)
    tr = r.trajectory
    assert tr.t[0] == 0 and (np.diff(tr.t) == 5).all()
    assert tr.x.shape == (tr.t.size, 2, 1)
    np.testing.assert_array_equal(tr.x[0], [[1.0], [2.0]])
    last = tr.t >= r.iterations[0]
    np.testing.assert_array_equal(tr.x[last, 0], np.repeat(r.x[None, 0], last.sum(), axis=0))
    assert np.isfinite(tr.f).all() and np.isfinite(tr.grad_norm).all()


def test_labelled_outputs():
    r = run_batch("quartic", "clipped", [[1.0], [-1.0]], eps=0.1, max_iter=500,
                  params={"eta": 0.01, "gamma": 1.0})
    ds = r.to_xarray()
    assert ds["hit"].dims == ("run",) and ds.attrs["method"] == "clipped(eta=0.01, gamma=1.0)"
    df = r.to_frame()
    assert list(df["status"]) == ["converged", "converged"]
    assert "converged=2" in repr(r)


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(x0=[[math.nan]]), "x0 must be finite"),
    (dict(x0=[[1.0, 2.0]]), "shape (n, 1)"),
    (dict(max_iter=0), "max_iter must be an integer >= 1"),
    (dict(max_iter=2.5), "max_iter must be an integer"),
    (dict(eps=-1.0), "eps must be a finite number >= 0"),
    (dict(method="newton"), "unknown method 'newton'"),
    (dict(function="quartik"), "did you mean 'quartic'"),
    (dict(backend="torchx"), "backend 'torchx' is not installed"),
    (dict(seeds=[1, 2, 3]), "x0 has 2 values but the batch has 3 runs"),
    (dict(method=clipped(eta=np.array([0.1, 0.2, 0.3]), gamma=1.0)), "the batch has 3 runs"),
])
def test_bad_inputs_raise_one_clear_error(kwargs, fragment):
    args = dict(function="quartic", method=sgd(h=0.1, tau=0.1), x0=[[1.0], [2.0]], eps=0.1,
                max_iter=10)
    args.update(kwargs)
    with pytest.raises(LabInputError) as info:
        run_batch(args.pop("function"), args.pop("method"), args.pop("x0"), **args)
    assert fragment in str(info.value)


def test_zero_step_is_rejected_before_running():
    with pytest.raises(LabInputError, match=r"gd: h must be a finite number > 0, got 0.0"):
        run_batch("quartic", "gd", [[1.0]], eps=0.1, max_iter=10, params={"h": 0.0})


@pytest.mark.parametrize("name, params", [("quartic_norm", {"d": 20}), ("logistic", {"d": 12}),
                                          ("quartic_norm", {"d": 3}), ("exp_ridge", {"d": 2})])
def test_fused_kernel_matches_numpy_in_several_dimensions(name, params):
    """The fused kernel (unrolled for small d, coordinate-major for large d) follows the
    vectorized engine operation for operation."""
    f = get_function(name, **params)
    X = np.random.default_rng(3).uniform(-1, 1, size=(40, f.dim)) / np.sqrt(f.dim)
    m = eta_si(L0=1.0, L1=2.0)
    a = run_batch(f, m, X, eps=1e-3, max_iter=400)
    b = run_batch(f, m, X, eps=1e-3, max_iter=400, backend="numba")
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_allclose(a.x, b.x, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("method", [sgd(h=0.01, tau=0.3), sgd(h=0.01, tau=0.3, noise="gaussian"),
                                    sgd(h=0.01, tau=0.3, noise="adversarial"),
                                    clipped_sgd_momentum(eta=0.01, gamma=1.0, tau=0.3)],
                         ids=lambda m: f"{m.name}-{m.noise}")
def test_fused_stochastic_runs_follow_the_same_streams(method):
    """Counter-based noise: the fused kernel draws the same variates as NumPy (same seeds)."""
    f = get_function("quartic_norm", d=2)
    X = np.random.default_rng(4).normal(size=(6, 2))
    seeds = np.arange(100, 106)
    a = run_batch(f, method, X, eps=0.1, max_iter=2000, seeds=seeds)
    b = run_batch(f, method, X, eps=0.1, max_iter=2000, seeds=seeds, backend="numba")
    c = run_batch(f, method, X, eps=0.1, max_iter=2000, seeds=seeds, backend="numba")
    np.testing.assert_array_equal(b.x, c.x)
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_allclose(a.x, b.x, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_trajectories_agree_across_backends(backend):
    backend_param(backend)
    """Every backend (NumPy included) records the iterates of the scalar reference loop at
    t = 0, 7, 14, ..., each run frozen at its final iterate once finished."""
    method, X = clipped(eta=0.05, gamma=1.0), [[1.0], [2.0], [0.01]]
    b = run_batch("quartic", method, X, eps=0.1, max_iter=200, record_every=7,
                  backend=backend)
    f = get_function("quartic")
    ref = reference_runs(f, method, X, 0.1, 200, every=7)
    assert_matches_reference(b, ref)
    slots = b.trajectory.t.size
    assert b.trajectory.t.tolist() == [7 * k for k in range(slots)]
    last = max(run[0] if run[1] == CONVERGED else 200 for run in ref)  # no run diverges
    assert slots == last // 7 + 1
    for j, run in enumerate(ref):
        path = run[4] + [run[3]] * (slots - len(run[4]))
        np.testing.assert_allclose(b.trajectory.x[:, j], path, rtol=1e-12)
        np.testing.assert_allclose(b.trajectory.grad_norm[:, j],
                                   f.grad_norm(np.asarray(path)), rtol=1e-12)


def test_chunked_numpy_runs_equal_one_batch(monkeypatch):
    """Chunking a batch (cache blocking on CPU) changes no bit: runs are independent and the
    noise is counter-based."""
    from lab.engine import api

    X = np.random.default_rng(5).uniform(-2, 2, size=(50, 1))
    m = sgd(h=0.01, tau=0.3)
    whole = run_batch("quartic", m, X, eps=0.05, max_iter=300, seeds=9)
    monkeypatch.setattr(api, "CHUNK", 7)
    chunked = run_batch("quartic", m, X, eps=0.05, max_iter=300, seeds=9)
    np.testing.assert_array_equal(whole.x, chunked.x)
    np.testing.assert_array_equal(whole.hit, chunked.hit)
    np.testing.assert_array_equal(whole.status, chunked.status)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("method", [eta_cl(L0=0.0, L1=1.0), eta_star(L0=0.0, L1=1.0),
                                    normalized(eta=0.1, beta=0.0)], ids=lambda m: m.name)
def test_steps_with_infinite_limits_run_on_every_backend(backend, method):
    """L0 = 0 (valid for exp) or beta = 0: the step's 1/0 is +inf, never an exception."""
    backend_param(backend)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = run_batch("exp", method, [[1.0], [-1.0]], eps=1e-2, max_iter=500, backend=backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference loop's own 1/0 is not under test
        ref = reference_runs(get_function("exp"), method, [[1.0], [-1.0]], 1e-2, 500)
    assert_matches_reference(r, ref)
    assert (r.status == CONVERGED).all()


NASTY_STARTS = [0.0, -0.0, 5e-324, 2.2250738585072014e-308, 1e-160, 1e154, -1e200,
                1.7976931348623157e308]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["quartic", "exp", "cosh", "witness"])
def test_nasty_starts_end_cleanly_without_warnings(backend, name):
    """Signed zeros, subnormals and huge starts: converged, budget or diverged - never nan in
    the hitting times, never a warning, and every backend agrees."""
    backend_param(backend)
    X = np.array(NASTY_STARTS)[:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = run_batch(name, clipped(eta=0.1, gamma=1.0), X, eps=1e-3, max_iter=50,
                      backend=backend)
    ref = reference_runs(get_function(name), clipped(eta=0.1, gamma=1.0), X, 1e-3, 50)
    assert_matches_reference(r, ref)
    assert np.isfinite(r.x).all()
    assert ((r.status == DIVERGED) == (r.diverged_at >= 0)).all()
