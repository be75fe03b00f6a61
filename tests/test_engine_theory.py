"""Property tests: the engine's runs against the iteration bounds of the theorems.

Each test states the theorem it checks. Bounds tagged [R] in PAPER.md are reconstructions:
a failure here would be a finding about the bound, reported with the shrunk example.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.engine import CONVERGED, run_batch
from lab.methods import eta_cl, eta_si, eta_star, normalized_from_clipped, theorem3_clipped

# x^4 is (L0, L1)-smooth on the frontier L0 L1^2 = 16; take L1 = 2, L0 = 4.
L0, L1 = 4.0, 2.0
starts = st.lists(st.floats(min_value=-4.0, max_value=4.0, allow_nan=False), min_size=1,
                  max_size=8)
tolerances = st.floats(min_value=0.02, max_value=2.0)


def gaps(x0: np.ndarray) -> np.ndarray:
    return x0[:, 0] ** 4  # f(x0) - f*, f* = 0


@settings(max_examples=25)
@given(x=starts, eps=tolerances)
def test_theorem3_clipped_gd_iteration_bound(x, eps):
    """Theorem 3 [Q parameters, R bound]: clipped GD with eta_c = 1/(10 L0),
    gamma = min{1/eta_c, 1/(10 L1 eta_c)} reaches ||grad f|| <= eps within
    20 L0 (f(x0)-f*)/eps^2 + 20 max{1, L1^2} (f(x0)-f*)/L0 iterations (x^4, L0 = 4, L1 = 2)."""
    x0 = np.array(x)[:, None]
    delta = gaps(x0)
    bound = 20 * L0 * delta / eps**2 + 20 * max(1.0, L1**2) * delta / L0
    r = run_batch("quartic", theorem3_clipped(L0, L1), x0, eps=eps,
                  max_iter=int(bound.max()) + 1, backend="numba")
    assert (r.status == CONVERGED).all()
    assert (r.hit <= bound).all()


@settings(max_examples=25)
@given(x=starts, eps=tolerances)
def test_exponential_model_steps_iteration_bounds(x, eps):
    """Vankov et al. 2024 [F]: GD with eta* or eta_si reaches eps within
    2 L0 D/eps^2 + 3 L1 D/eps iterations; with eta_cl within 4 L0 D/eps^2 + 6 L1 D/eps."""
    x0 = np.array(x)[:, None]
    delta = gaps(x0)
    for method, (a, b) in ((eta_star(L0=L0, L1=L1), (2, 3)), (eta_si(L0=L0, L1=L1), (2, 3)),
                           (eta_cl(L0=L0, L1=L1), (4, 6))):
        bound = a * L0 * delta / eps**2 + b * L1 * delta / eps
        r = run_batch("quartic", method, x0, eps=eps, max_iter=int(bound.max()) + 1,
                      backend="numba")
        assert (r.status == CONVERGED).all(), method
        assert (r.hit <= bound).all(), method


@settings(max_examples=20)
@given(x=starts, eps=tolerances)
def test_metamorphic_normalized_equals_smoothed_clipping(x, eps):
    """Paper, Methods (PEPit-style metamorphic check): normalized GD with eta_n = gamma eta_c,
    beta = gamma is the blog's smoothed clipping eta_c gamma/(||g|| + gamma) written
    differently; both runs give the same hitting times."""
    from lab.methods import smoothed_clipping

    x0 = np.array(x)[:, None]
    a = run_batch("quartic", normalized_from_clipped(eta=0.02, gamma=2.0), x0, eps=eps,
                  max_iter=20_000)
    b = run_batch("quartic", smoothed_clipping(eta=0.02, gamma=2.0), x0, eps=eps,
                  max_iter=20_000)
    assert (np.abs(a.hit - b.hit) <= 1).all()
