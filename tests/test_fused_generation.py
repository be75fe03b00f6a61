"""The fused kernel is generated from definitions (rule source text, sympy gradients), never
from Python source read back: every backend compiles the same rule text."""

from __future__ import annotations

import numpy as np
import pytest

from lab.engine import run_batch
from lab.engine.fused_source import kernel_source
from lab.engine.codegen import program_for
from lab.engine.namespaces import rule_namespace
from lab.engine import fused_support
from lab.functions import function_names, get_function
from lab.methods import Method, clipped, clipped_sgd_momentum, rules, sgd


def test_every_backend_implements_the_whole_vocabulary():
    """A rule may call any name of VOCABULARY; NumPy, array-API and numba provide them all."""
    xps = pytest.importorskip("array_api_strict")
    assert set(rules.NUMPY_NAMES) == set(rules.VOCABULARY)
    assert set(rule_namespace(xps)) >= set(rules.VOCABULARY)
    assert set(fused_support.__all__) >= set(rules.VOCABULARY)


@pytest.mark.parametrize("name", sorted(rules.RULES))
def test_kernel_carries_each_rule_text_verbatim(name):
    rule = rules.RULES[name]
    method = Method(name=name, rule=name, params={k: 1.0 for k in rule.params})
    src = kernel_source(program_for(get_function("quartic")), method,
                        (False,) * len(rule.params), record=False)
    for line in rule.body:
        assert line in src


def test_a_rule_made_at_run_time_runs_on_every_backend():
    """A StepRule that exists in no source file (so inspect could not read it) compiles for
    NumPy, array-API and the fused kernel, and they agree."""
    half = rules.StepRule("half_clip", ("eta", "gamma"),
                          ("s = gamma / g", "where(g <= gamma, eta, 0.5 * eta * s)"))
    method = Method(name="half_clip", rule=half, params={"eta": 0.02, "gamma": 1.0})
    X = np.linspace(-2.5, 2.5, 11)[:, None]
    ref = run_batch("quartic", method, X, eps=1e-3, max_iter=2000)
    assert (ref.status == 0).all()
    for backend in ("numba", "array_api_strict"):
        if backend == "array_api_strict":
            pytest.importorskip("array_api_strict")
        r = run_batch("quartic", method, X, eps=1e-3, max_iter=2000, backend=backend)
        np.testing.assert_array_equal(r.hit, ref.hit)
        np.testing.assert_allclose(r.x, ref.x, rtol=1e-12)
    # the clip with factor 1/2 takes more iterations than clipped GD from large starts
    full = run_batch("quartic", "clipped", X, eps=1e-3, max_iter=2000,
                     params={"eta": 0.02, "gamma": 1.0})
    assert (ref.hit >= full.hit).all() and (ref.hit > full.hit).any()


@pytest.mark.parametrize("name", function_names())
def test_fused_kernel_agrees_with_numpy_on_every_zoo_function(name):
    """The fused kernel (vectorizable exp/sinh, branch-free selects) and NumPy (np.exp ...)
    reach the same hitting times and final points within 1e-12 relative on every zoo member."""
    f = get_function(name)
    base = np.asarray(f.info.start if f.info.start is not None else
                      0.3 + 0.1 * np.arange(f.dim), dtype=float)
    X = base[None, :] + np.random.default_rng(7).uniform(-0.8, 0.8, size=(24, f.dim))
    method = clipped(eta=0.02, gamma=1.0)
    a = run_batch(f, method, X, eps=1e-3, max_iter=400)
    b = run_batch(f, method, X, eps=1e-3, max_iter=400, backend="numba")
    np.testing.assert_array_equal(a.status, b.status)
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_allclose(b.x, a.x, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("name, method", [
    ("quartic_norm", clipped(eta=0.05, gamma=1.0)), ("logistic", clipped(eta=0.05, gamma=1.0)),
    ("quartic_norm", sgd(h=0.01, tau=0.3)),
    ("quartic_norm", clipped_sgd_momentum(eta=0.02, gamma=1.0, tau=0.2))],
    ids=lambda v: getattr(v, "name", v))
def test_high_dimensional_kernels_follow_numpy(name, method):
    """d > UNROLL: the wide kernel (deterministic methods: coordinates outermost, runs
    innermost) and the per-run kernel (noise, momentum) follow NumPy, trajectories too, with
    runs that finish at different iterations."""
    f = get_function(name, d=24)
    X = np.random.default_rng(11).uniform(-1, 1, size=(70, 24)) * np.linspace(0.05, 0.6, 70)[:, None]
    a = run_batch(f, method, X, eps=0.05, max_iter=300, seeds=3, record_every=7)
    b = run_batch(f, method, X, eps=0.05, max_iter=300, seeds=3, record_every=7,
                  backend="numba")
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_array_equal(a.status, b.status)
    # the noise's normals use log and cos (NumPy's against the C library's): looser there
    rtol = 1e-12 if method.noise is None else 1e-9
    np.testing.assert_allclose(b.x, a.x, rtol=rtol, atol=1e-300)
    np.testing.assert_allclose(b.trajectory.x, a.trajectory.x, rtol=rtol, atol=1e-300)
    assert len(set(a.hit.tolist())) > 5 or name == "logistic"


@pytest.mark.parametrize("d, method", [
    (1, clipped(eta=np.linspace(0.004, 0.04, 700), gamma=1.0)),
    (2, clipped(eta=np.linspace(0.004, 0.04, 700), gamma=np.linspace(2.0, 0.5, 700))),
    (24, clipped(eta=np.linspace(0.004, 0.04, 700), gamma=1.0)),
    (24, clipped_sgd_momentum(eta=np.linspace(0.004, 0.04, 700), gamma=1.0, tau=0.0))],
    ids=["blocked-1d", "blocked-2d", "wide", "per-run"])
def test_per_run_parameters_reach_their_own_runs_in_every_block(d, method):
    """Every kernel shape reads run j's own parameters (the block's slice of each per-run
    array): with a step size that differs from run to run over several blocks, the fused
    kernel's hitting times and final points are NumPy's, and the hitting times are many."""
    f = get_function("quartic") if d == 1 else get_function("quartic_norm", d=d)
    X = np.full((700, d), 0.9 / np.sqrt(d))
    a = run_batch(f, method, X, eps=0.05, max_iter=800, seeds=1)
    b = run_batch(f, method, X, eps=0.05, max_iter=800, seeds=1, backend="numba")
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_allclose(b.x, a.x, rtol=1e-12, atol=1e-300)
    assert (a.hit > 0).all() and len(set(a.hit.tolist())) > 100


def test_wide_kernel_keeps_finished_runs_bit_for_bit():
    """A run that converged early keeps its hitting iterate's bits (signed zeros included)
    while the rest of its block goes on."""
    f = get_function("quartic_norm", d=24)
    X = np.full((9, 24), 0.3)
    X[0] = -0.0
    X[0, 3] = 1e-3      # converged at once: its -0.0 coordinates must stay -0.0
    X[1] = 1e-4
    r = run_batch(f, clipped(eta=0.05, gamma=1.0), X, eps=1e-6, max_iter=50, backend="numba",
                  record_every=7)
    assert r.hit[0] == 0 and np.signbit(r.x[0, :3]).all()
    np.testing.assert_array_equal(r.x[:2], X[:2])
    assert (r.hit[2:] == -1).all()


@pytest.mark.parametrize("name", ["witness"])
def test_generated_kernel_vectorizes_over_runs(name):
    """The blocked kernel's iteration (step, update, gradient with a branch-free Piecewise and
    exp, divergence and hit checks, event codes) compiles to packed SIMD code: the clipping
    division is a packed vdivpd and exp leaves no call to the C library (the kernel compiled
    here without numba's cache, so its assembly can be read)."""
    import re

    from lab.engine.fused_cache import load_kernel

    src = kernel_source(program_for(get_function(name)), clipped(eta=0.1, gamma=1.0),
                        (False, False), record=False)
    kernel = load_kernel(src.replace("cache=True", "cache=False") + "\n# uncached\n")
    X = np.linspace(-1.0, 1.0, 16)[None, :].copy()
    n = X.shape[1]
    out = [np.full(n, -1, dtype=np.int64), np.ones(n, dtype=np.int8),
           np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64), np.empty(n)]
    kernel(0, 1, X, 0.1, 1.0, 1e-9, 5, np.zeros(1, dtype=np.uint64), 0.0, 0.0, *out, 1,
           np.zeros((1, 1, 1)), np.zeros((1, 1)))
    asm = next(iter(kernel.inspect_asm().values()))
    assert re.search(r"vdivpd\s[^\n]*%[yz]mm", asm), "the step's division is not packed"
    assert not re.search(r"call\w*\s[^\n]*\bexp\b", asm)
