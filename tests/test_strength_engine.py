"""The engine's stopping rule at its boundary, on every backend (issue 15, item 1).

The engine stops a run at the first t with ``||∇f(x_t)|| <= ε`` (README, DESIGN.md). These
tests put a gradient norm *exactly* equal to ε, in exact float arithmetic, at t = 0 and at
t = 1, through every code path of every backend: one variable, a few (the fused kernel's
unrolled block path), many (its per-run path), deterministic and stochastic rules (with
τ = 0, so the stochastic path is taken and the iterates are still exact), with and without
a trajectory. A strict ``<`` anywhere would run past the hit.

Exactness: for f = ||x||⁴ (x⁴ in one variable), ∇f = 4||x||² x; at x0 = e1, ∇f = 4 e1
(norm 4), and one GD step with h = 1/8 gives x1 = e1/2, ∇f(x1) = e1/2 (norm 1/2). Every
number is a power of two, so every backend computes them exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

from lab.engine import CONVERGED, run_batch
from lab.functions import get_function
from lab.methods import clipped, gd, sgd

BACKENDS = ["numpy", "array_api_strict", "numba", "cupy"]


def _backend(name: str) -> str:
    if name == "array_api_strict":
        pytest.importorskip("array_api_strict")
    if name == "cupy":
        cupy = pytest.importorskip("cupy")
        try:
            if cupy.cuda.runtime.getDeviceCount() < 1:
                pytest.skip("CuPy installed but no CUDA device")
        except Exception:  # pragma: no cover - no driver
            pytest.skip("CuPy installed but no CUDA driver")
    return name


def _objective(d: int):
    return get_function("quartic") if d == 1 else get_function("quartic_norm", d=d)


def _e1(d: int) -> np.ndarray:
    x = np.zeros((1, d))
    x[0, 0] = 1.0
    return x


#: (method, dimension, record_every): h = 1/8 steps through each path of the fused kernel
#: (d = 1 and 2: blocked; d = 20: per run), deterministic and stochastic (SGD with τ = 0),
#: with and without a trajectory; a clipped rule below its threshold as a second rule
CASES = [(gd(h=0.125), 1, 0), (gd(h=0.125), 2, 0), (gd(h=0.125), 20, 0),
         (sgd(h=0.125, tau=0.0), 1, 0), (sgd(h=0.125, tau=0.0), 2, 0),
         (sgd(h=0.125, tau=0.0), 20, 0), (gd(h=0.125), 1, 1), (gd(h=0.125), 20, 1),
         (clipped(eta=0.125, gamma=10.0), 2, 0)]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("method, d, record_every", CASES,
                         ids=lambda v: getattr(v, "name", str(v)))
def test_gradient_norm_equal_to_eps_stops_the_run(backend, method, d, record_every):
    """||∇f(x0)|| = ε = 4: hit at t = 0. From the same start with ε = 1/2 = ||∇f(x1)||:
    hit at t = 1, at x1 = e1/2. With ε just below 1/2 the run goes on past t = 1."""
    _backend(backend)
    f = _objective(d)
    x0 = _e1(d)
    assert float(f.grad_norm(x0)[0]) == 4.0  # the premise, in the lab's own numerics
    kw = dict(max_iter=50, backend=backend, record_every=record_every, seeds=[0])
    at_start = run_batch(f, method, x0, eps=4.0, **kw)
    assert (at_start.hit[0], at_start.status[0], at_start.iterations[0]) == (0, CONVERGED, 0)
    np.testing.assert_array_equal(at_start.x, x0)
    after_one = run_batch(f, method, x0, eps=0.5, **kw)
    assert (after_one.hit[0], after_one.status[0]) == (1, CONVERGED)
    np.testing.assert_array_equal(after_one.x, x0 / 2)
    assert after_one.grad_norm[0] == 0.5
    below = run_batch(f, method, x0, eps=float(np.nextafter(0.5, 0.0)), **kw)
    assert below.hit[0] > 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_eps_zero_stops_only_at_an_exact_stationary_point(backend):
    """ε = 0: a start at the minimizer (∇f = 0 exactly) hits at 0; any other start runs
    to its budget (x⁴ with a small step never reaches 0 exactly)."""
    _backend(backend)
    r = run_batch("quartic", gd(h=0.01), [[0.0], [0.5]], eps=0.0, max_iter=20,
                  backend=backend)
    assert r.hit.tolist() == [0, -1]
    assert r.iterations.tolist() == [0, 20]
