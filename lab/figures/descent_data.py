"""Data of figure f: the descent lemma, true gap against three upper bounds (pure math).

Along a direction Δ from x, the true gap is ``D(r) = f(x + r u) - f(x) - <∇f(x), r u>``
(u a unit vector, r = ||Δ||). The bounds, with ``g = ||∇f(x)||``:

* the blog's quadratic bound ``(L0 + L1 g) r²/2`` (from the global first-order condition,
  which exp does not satisfy: the curve falls *below* the true gap);
* the trust-region bound ``(A L0 + B L1 g) r²/2`` for ``r <= c/L1`` (c = 1: A = 2, B = e - 1);
* the exponential bound ``(L0 + L1 g)/L1² φ(L1 r)``, ``φ(t) = e^t - t - 1`` (tight: equality
  for exp at x = 0 with (L0, L1) = (0, 1) and for the witness along +x);
* the looser ``(L0 + L1 g)/2 e^{L1 r} r²``.
"""

from __future__ import annotations

import math

import numpy as np

from lab.functions import get_function

#: the largest distance ||Δ|| shown
R_MAX = 3.0

#: (zoo name, params, x, (L0, L1))
CASES = (
    ("exp", {}, 0.0, (0.0, 1.0)),
    ("witness", {"L0": 1.0, "L1": 1.0}, 0.5, (1.0, 1.0)),
)


def phi(t):
    """``φ(t) = e^t - t - 1``, accurate for small t (``expm1``).

    Examples
    --------
    >>> float(phi(0.0)), round(float(phi(1.0)), 12)
    (0.0, 0.718281828459)
    """
    t = np.asarray(t, dtype=np.float64)
    return np.expm1(t) - t


def descent_bounds(L0: float, L1: float, g: float, r, *, c: float = 1.0) -> dict:
    """The four upper bounds on the gap at distances ``r`` (trust region: nan for r > c/L1).

    Examples
    --------
    >>> b = descent_bounds(0.0, 1.0, 1.0, [1.0])
    >>> round(float(b["quadratic"][0]), 6), round(float(b["exponential"][0]), 6)
    (0.5, 0.718282)
    """
    r = np.asarray(r, dtype=np.float64)
    A = 1.0 + math.exp(c) - (math.exp(c) - 1.0) / c
    B = (math.exp(c) - 1.0) / c
    s = L0 + L1 * g
    trust = np.where(r <= c / L1, (A * L0 + B * L1 * g) * r**2 / 2.0, np.nan)
    return {
        "quadratic": s * r**2 / 2.0,
        "trust_region": trust,
        "exponential": s / L1**2 * phi(L1 * r),
        "loose_exponential": s / 2.0 * np.exp(L1 * r) * r**2,
    }


def true_gap(fn, x: float, r) -> np.ndarray:
    """``f(x + r) - f(x) - f'(x) r`` for a 1-D objective, from its value and gradient.

    Examples
    --------
    >>> from lab.functions import get_function
    >>> round(float(true_gap(get_function("exp"), 0.0, [1.0])[0]), 12)
    0.718281828459
    """
    r = np.asarray(r, dtype=np.float64)
    f0 = float(fn.value([[x]])[0])
    g0 = float(fn.grad([[x]])[0, 0])
    return fn.value((x + r)[:, None]) - f0 - g0 * r


def figure_f_data(r_max: float = R_MAX, n: int = 121) -> list[dict]:
    """Rows (function, r, true gap, each bound) for every case; r in (0, r_max]."""
    r = np.linspace(r_max / n, r_max, n)
    rows = []
    for name, params, x, (L0, L1) in CASES:
        fn = get_function(name, **params)
        g = float(fn.grad_norm([[x]])[0])
        gap = true_gap(fn, x, r)
        b = descent_bounds(L0, L1, g, r)
        for i in range(r.size):
            rows.append({"function": name, "x": x, "L0": L0, "L1": L1, "g": g, "r": float(r[i]),
                         "true_gap": float(gap[i]),
                         **{k: float(v[i]) for k, v in b.items()}})
    return rows
