"""The certifier's numeric fallback, run and checked against an independent maximiser
(issue 15, item 1).

For ``x² + sin(x)`` sympy cannot list the critical points of ``|f''| - L1|f'|`` (the
equation ``cos x = ±L1 (2 - sin x)`` is transcendental), so the univariate certifier falls
back to its numeric search (:func:`lab.smoothness.univariate.numeric_sup`). Its answer must
be labelled numeric (a lower bound, never "exact"), and must be the supremum, computed here
another way: ``f'' = 2 - sin x > 0`` and ``f' = 2x + cos x`` is increasing with one zero x*,
so ``g(x) = 2 - sin x - L1 |2x + cos x|`` has its kink at x* (found with mpmath's root
finder) and, away from it, smooth pieces whose maxima a dense grid locates to ~1e-9;
``g -> -inf`` for |x| -> inf, so [-20, 20] holds the supremum for L1 >= 0.5.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from lab.smoothness import check_smoothness, min_valid_l0

EXPR = "x^2 + sin(x)"


def _excess(x, L1):
    """g(x) = |f''(x)| - L1 |f'(x)| for f = x² + sin x (mpmath or numpy)."""
    if isinstance(x, np.ndarray):
        return np.abs(2 - np.sin(x)) - L1 * np.abs(2 * x + np.cos(x))
    return abs(2 - mpmath.sin(x)) - L1 * abs(2 * x + mpmath.cos(x))


def _independent_sup(L1: float) -> float:
    """max(g at the kink x*, the maximum of g on a dense grid refined by golden section)."""
    with mpmath.workdps(40):
        kink = mpmath.findroot(lambda x: 2 * x + mpmath.cos(x), -0.45)
        best = _excess(kink, L1)
        grid = np.linspace(-20.0, 20.0, 400_001)
        values = _excess(grid, L1)
        i = int(np.argmax(values))
        lo, hi = mpmath.mpf(grid[max(i - 1, 0)]), mpmath.mpf(grid[min(i + 1, grid.size - 1)])
        invphi = (mpmath.sqrt(5) - 1) / 2
        for _ in range(120):  # golden section on the bracket of the grid maximum
            a, b = hi - invphi * (hi - lo), lo + invphi * (hi - lo)
            if _excess(a, L1) >= _excess(b, L1):
                hi = b
            else:
                lo = a
        best = max(best, _excess((lo + hi) / 2, L1))
        return float(best)


@pytest.mark.parametrize("L1", [0.5, 1.0, 2.0])
def test_numeric_fallback_runs_is_labelled_and_finds_the_supremum(L1):
    """min_valid_l0 on x² + sin(x): not exact (the numeric fallback ran), and its value is
    the supremum of |f''| - L1|f'| found independently, to 1e-7 relative."""
    frontier = min_valid_l0(EXPR, L1)
    assert frontier.exact is False
    expected = _independent_sup(L1)
    assert frontier.value == pytest.approx(expected, rel=1e-7)


def test_numeric_verdicts_say_numeric_and_their_counterexample_is_real():
    """Below the frontier the verdict fails, labelled numeric, at a point where mpmath
    confirms |f''| > L0 + L1|f'|; above it the verdict holds, labelled numeric, never
    'proved' or 'exact'."""
    L1 = 1.0
    sup = _independent_sup(L1)
    below = check_smoothness(EXPR, 0.99 * sup, L1)
    assert not below.holds and below.method == "numeric"
    (x,) = below.point
    with mpmath.workdps(40):
        xm = mpmath.mpf(x)
        assert abs(2 - mpmath.sin(xm)) > 0.99 * sup + L1 * abs(2 * xm + mpmath.cos(xm))
    assert below.lhs == pytest.approx(abs(2 - math.sin(x)), rel=1e-9)
    above = check_smoothness(EXPR, 1.01 * sup, L1)
    assert above.holds and above.method == "numeric"
    text = above.summary().lower()
    assert "numeric" in text and "exact" not in text.replace("inexact", "")
