"""Step-size rules: pure functions of (gradient norm, parameters) -> step.

Each rule maps an array ``g`` of gradient norms (any shape) and parameters (scalars or arrays
broadcasting against ``g``) to the step ``h`` of the update ``x+ = x - h ∇f(x)``. Rules are
written once, against the four names :func:`where`, :func:`log1p`, :func:`minimum` and
:func:`full_like` below. The engine re-binds those names per backend (NumPy, an array-API
namespace, CuPy, or scalar numba functions for the fused kernel), so every backend runs the
*same* formula with the same order of floating-point operations.

Conventions (decided once, followed on every backend)
-----------------------------------------------------
* No epsilon is added to the norm (optax's choice; PyTorch's ``clip_grad_norm_`` adds 1e-6).
* ``g = 0``: a rule returns its limit as ``g -> 0+``, which may be ``+inf`` (for example
  ``normalized`` with ``beta = 0``, or ``eta_star`` with ``L0 = 0``). The engine never applies
  a step at ``g = 0``: such a run has already reached ``||∇f|| <= eps`` (``eps >= 0``).
* ``g = +inf``: the limit (``0`` for the clipped, normalized and model steps; the fixed step
  ``h`` for ``gd``). The engine marks a run whose gradient overflows as diverged first.
* ``g = nan``: the step is ``nan`` (``gd``: ``h``).
* No warning is ever emitted: the public wrappers evaluate under a local ``np.errstate``.
"""

from __future__ import annotations

import numpy as np
from numpy import log1p, minimum, where  # re-bound per backend by lab.engine

__all__ = ["RULES", "gd", "clipped", "normalized", "quadratic_model", "eta_star", "eta_si",
           "eta_cl", "smoothed_clipping", "clipped_sgd_theorem7"]


def full_like(g, h):
    """``h`` broadcast to the shape of ``g`` (re-bound per backend)."""
    return h + np.zeros(np.shape(g))


def gd(g, h):
    """Fixed step: ``h`` whatever the gradient norm."""
    return full_like(g, h)


def clipped(g, eta, gamma):
    """Clipped GD: ``min{eta, gamma*eta/g}``; ``eta`` for ``g <= gamma`` (also ``g = 0``)."""
    return where(g <= gamma, eta, eta * (gamma / g))


def normalized(g, eta, beta):
    """Normalized GD: ``eta / (g + beta)``."""
    return eta / (g + beta)


def quadratic_model(g, L0, L1):
    """The quadratic-model ("optimal" in the blog) step ``1 / (L0 + L1 g)``."""
    return 1.0 / (L0 + where(L1 > 0.0, L1 * g, 0.0))


def eta_star(g, L0, L1):
    """The exponential-model step ``ln(1 + L1 g/(L0 + L1 g)) / (L1 g)``.

    Written as ``phi(u) / (L0 + L1 g)`` with ``u = L1 g/(L0 + L1 g)`` and
    ``phi(u) = log1p(u)/u`` (``phi(0) = 1``): at ``g -> 0`` (or ``L1 = 0``) the limit is
    ``1/L0`` (``+inf`` when ``L0 = 0``); at ``g = inf`` it is ``0``.
    """
    lg = where(L1 > 0.0, L1 * g, 0.0)
    den = L0 + lg
    u = 1.0 / (1.0 + L0 / lg)
    phi = where(u > 0.0, log1p(u) / u, 1.0)
    return phi / den


def eta_si(g, L0, L1):
    """The simplified exponential-model step ``1 / (L0 + 1.5 L1 g)``."""
    return 1.0 / (L0 + where(L1 > 0.0, 1.5 * L1 * g, 0.0))


def eta_cl(g, L0, L1):
    """The clipping-like step ``min{1/(2 L0), 1/(3 L1 g)}`` (``1/0 = +inf``)."""
    return minimum(1.0 / (2.0 * L0), 1.0 / where(L1 > 0.0, 3.0 * L1 * g, 0.0))


def smoothed_clipping(g, eta, gamma):
    """Smoothed clipping ``eta * gamma / (g + gamma)`` (the blog's normalized form)."""
    return eta * (gamma / (g + gamma))


def clipped_sgd_theorem7(g, eta, L1, tau):
    """Theorem 7's clipped-SGD step ``min{1/(16 eta L1 (g + tau)), eta}``."""
    return minimum(1.0 / (16.0 * eta * where(L1 > 0.0, L1 * (g + tau), 0.0)), eta)


#: rule name -> (function, parameter names in call order)
RULES = {
    "gd": (gd, ("h",)),
    "clipped": (clipped, ("eta", "gamma")),
    "normalized": (normalized, ("eta", "beta")),
    "quadratic_model": (quadratic_model, ("L0", "L1")),
    "eta_star": (eta_star, ("L0", "L1")),
    "eta_si": (eta_si, ("L0", "L1")),
    "eta_cl": (eta_cl, ("L0", "L1")),
    "smoothed_clipping": (smoothed_clipping, ("eta", "gamma")),
    "clipped_sgd_theorem7": (clipped_sgd_theorem7, ("eta", "L1", "tau")),
}


def evaluate(rule: str, g, **params):
    """Evaluate a rule with NumPy, without warnings.

    Examples
    --------
    >>> evaluate("clipped", np.array([0.0, 1.0, 4.0]), eta=0.5, gamma=2.0)
    array([0.5 , 0.5 , 0.25])
    """
    fn, names = RULES[rule]
    g = np.asarray(g, dtype=np.float64)
    with np.errstate(all="ignore"):
        return np.asarray(fn(g, *(np.asarray(params[k], dtype=np.float64) for k in names)),
                          dtype=np.float64)
