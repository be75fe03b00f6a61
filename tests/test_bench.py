"""The benchmark's pieces: baselines compute the same thing as the engine; the summary line."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from lab.engine import baselines, run_batch
from lab.engine.bench import ETA, GAMMA, ratios_line
from lab.functions import get_function
from lab.methods import clipped


@pytest.mark.parametrize("profile, which", [("quartic", 0), ("exp", 1)])
def test_hand_kernels_and_python_loop_match_the_engine(profile, which):
    X = np.random.default_rng(0).uniform(-3, 3, size=(64, 1))
    eps, T = 0.05, 300
    r = run_batch(profile, clipped(eta=ETA, gamma=GAMMA), X, eps=eps, max_iter=T)
    for kern in (baselines.fused_per_run, baselines.fused_blocked):
        x, hit = X[:, 0].copy(), np.full(64, -1, dtype=np.int64)
        kern(x, which, ETA, GAMMA, eps, T, hit)
        np.testing.assert_array_equal(hit, r.hit)
        np.testing.assert_allclose(x, r.x[:, 0], rtol=1e-12)
    assert baselines.python_loop(profile, X, ETA, GAMMA, eps, T) == int(r.iterations.sum())


def test_radial_hand_kernel_matches_the_engine():
    X = np.random.default_rng(1).uniform(-1, 1, size=(16, 10))
    f = get_function("quartic_norm", d=10)
    r = run_batch(f, clipped(eta=ETA, gamma=GAMMA), X, eps=0.05, max_iter=200)
    Xc, hit = X.copy(), np.full(16, -1, dtype=np.int64)
    baselines.fused_radial_per_run(Xc, ETA, GAMMA, 0.05, 200, hit)
    np.testing.assert_array_equal(hit, r.hit)


def test_ratios_line_format():
    rates = {"numpy": 2e7, "numba": 4e8, "python_loop": 2e6, "fused_per_run": 1e8,
             "fused_blocked": 5e8}
    line, r = ratios_line(rates)
    assert line == "ratios: best_cpu/fused=0.8 numpy/python_loop=10 best_cpu/python_loop=200"
    rates["jax"] = 4e8
    assert ratios_line(rates)[0].endswith("best_cpu/jax=1 numba/jax=1")
    rates.update(limit=8e8, div_limit=1.6e9)
    assert ratios_line(rates)[0].endswith("numba/jax=1 numba/limit=0.5 numba/div_limit=0.25")


def test_limit_kernels_do_the_update_arithmetic():
    """The hardware-limit estimates compute what they claim: T plain clipped-GD steps
    (compared with the engine run with eps = 0), and T divisions x <- gamma/x."""
    X = np.random.default_rng(2).uniform(-3, 3, size=(40, 1))
    for profile, which in (("quartic", 0), ("exp", 1)):
        x = X[:, 0].copy()
        assert baselines.limit_arithmetic(x, which, ETA, GAMMA, 50) == 40 * 50
        r = run_batch(profile, clipped(eta=ETA, gamma=GAMMA), X, eps=0.0, max_iter=50)
        np.testing.assert_allclose(x, r.x[:, 0], rtol=1e-12)
    x = X[:, 0].copy()
    assert baselines.limit_division(x, 2.0, 3) == 120
    np.testing.assert_allclose(x, 2.0 / X[:, 0], rtol=1e-15)
    Y = np.random.default_rng(3).uniform(-1, 1, size=(6, 10)) / 3
    Z = Y.copy()
    assert baselines.limit_radial(Z, ETA, GAMMA, 20) == 120
    r = run_batch(get_function("quartic_norm", d=10), clipped(eta=ETA, gamma=GAMMA), Y,
                  eps=0.0, max_iter=20)
    np.testing.assert_allclose(Z, r.x, rtol=1e-12)


@pytest.mark.skipif(importlib.util.find_spec("jax") is not None, reason="JAX is installed")
def test_jax_baseline_skips_cleanly_without_jax():
    assert baselines.jax_clipped("quartic", np.zeros((2, 1)), ETA, GAMMA, 1e-3, 10) is None
