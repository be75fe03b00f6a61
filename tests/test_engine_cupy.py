"""CuPy backend: skipped cleanly without CuPy or without a CUDA device."""

from __future__ import annotations

import numpy as np
import pytest

from lab.engine import run_batch
from lab.methods import clipped, sgd

cupy = pytest.importorskip("cupy")

try:
    _DEVICES = cupy.cuda.runtime.getDeviceCount()
except Exception:  # pragma: no cover - no driver
    _DEVICES = 0

pytestmark = [pytest.mark.gpu,
              pytest.mark.skipif(_DEVICES < 1, reason="CuPy installed but no CUDA device")]


def test_cupy_hitting_times_equal_numpy():
    X = np.linspace(-2, 2, 9)[:, None]
    a = run_batch("quartic", clipped(eta=0.02, gamma=0.5), X, eps=1e-3, max_iter=300)
    b = run_batch("quartic", clipped(eta=0.02, gamma=0.5), X, eps=1e-3, max_iter=300,
                  backend="cupy")
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_allclose(a.x, b.x, rtol=1e-12)


def test_cupy_divergence_and_noise():
    r = run_batch("exp_sum", "gd", [[1.0], [0.0]], eps=1e-6, max_iter=50, params={"h": 10.0},
                  backend="cupy")
    assert r.status_names.tolist() == ["diverged", "converged"]
    s = run_batch("quartic_norm", sgd(h=0.01, tau=0.1), np.ones((4, 2)), eps=0.1,
                  max_iter=500, seeds=np.arange(4), backend="cupy")
    t = run_batch("quartic_norm", sgd(h=0.01, tau=0.1), np.ones((4, 2)), eps=0.1,
                  max_iter=500, seeds=np.arange(4), backend="cupy")
    np.testing.assert_array_equal(s.x, t.x)
