"""The iteration bounds drawn in the complexity figures (pure math, no I/O).

Each function takes the class constants and returns a number of iterations (float, NumPy
broadcasting allowed). Sources and provenance tags follow PAPER.md: the constants of
Theorems 3, 4 and 6 are reconstructions [R] that the lab *checks*; the later bound is [F].
"""

from __future__ import annotations

import numpy as np


def theorem3_bound(L0, L1, gap, eps):
    """Theorem 3 (clipped GD, upper): ``20 L0 Δ/ε² + 20 max{1, L1²} Δ/L0``.

    Examples
    --------
    >>> float(theorem3_bound(1.0, 2.0, 10.0, 1.0))
    1000.0
    """
    L0, L1, gap, eps = map(np.asarray, (L0, L1, gap, eps))
    return 20.0 * L0 * gap / eps**2 + 20.0 * np.maximum(1.0, L1**2) * gap / L0


def theorem4_bound(L1, M, gap, eps):
    """Theorem 4 (fixed-step GD, lower): ``L1 M (Δ - 5ε/8) / (8 ε² (log M + 1))``.

    Stated for ``L0 >= 1``, ``L1 >= 1``, ``M > 1``; ``nan`` where ``M <= 1``.

    Examples
    --------
    >>> round(float(theorem4_bound(1.0, np.e, 1.625, 1.0)), 12)
    0.169892614279
    """
    L1, M, gap, eps = (np.asarray(v, dtype=np.float64) for v in (L1, M, gap, eps))
    with np.errstate(all="ignore"):
        out = L1 * M * (gap - 5.0 * eps / 8.0) / (8.0 * eps**2 * (np.log(M) + 1.0))
    return np.where(M > 1.0, out, np.nan)


def theorem6_bound(L0, L1, M, gap, eps):
    """Theorem 6 (GD with ``h = 1/(2(M L1 + L0))``, upper): ``4 (M L1 + L0) Δ/ε²``.

    Examples
    --------
    >>> float(theorem6_bound(1.0, 1.0, 9.0, 2.0, 0.5))
    320.0
    """
    L0, L1, M, gap, eps = map(np.asarray, (L0, L1, M, gap, eps))
    return 4.0 * (M * L1 + L0) * gap / eps**2


def later_bound(L0, L1, gap, eps):
    """GD with η* or η_si (Vankov et al. 2024, upper): ``2 L0 Δ/ε² + 3 L1 Δ/ε``.

    Examples
    --------
    >>> float(later_bound(1.0, 1.0, 1.0, 0.5))
    14.0
    """
    L0, L1, gap, eps = map(np.asarray, (L0, L1, gap, eps))
    return 2.0 * L0 * gap / eps**2 + 3.0 * L1 * gap / eps


def all_bounds(L0, L1, M, gap, eps) -> dict:
    """Every bound at once: ``{"thm3", "thm4", "thm6", "later"} -> value``."""
    return {
        "thm3": theorem3_bound(L0, L1, gap, eps),
        "thm4": theorem4_bound(L1, M, gap, eps),
        "thm6": theorem6_bound(L0, L1, M, gap, eps),
        "later": later_bound(L0, L1, gap, eps),
    }
