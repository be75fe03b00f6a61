"""Method parameters prescribed by the paper's theorems, built from (L0, L1, M, tau, T).

Each helper validates its inputs and returns a :class:`~lab.methods.Method`; the formulas are
the quoted ones of PAPER.md (tags [Q]).
"""

from __future__ import annotations

import math
from typing import Any

from lab.errors import LabInputError
from lab.methods.catalog import clipped, clipped_sgd, gd, normalized, sgd
from lab.methods.method import Method
from lab.validate import check_int, check_nonnegative, check_positive

__all__ = ["theorem3_clipped", "theorem6_gd", "theorem7_clipped_sgd", "theorem8_sgd",
           "normalized_from_clipped"]


def theorem3_clipped(L0: Any, L1: Any) -> Method:
    """Theorem 3: ``eta_c = 1/(10 L0)``, ``gamma = min{1/eta_c, 1/(10 L1 eta_c)}``.

    Examples
    --------
    >>> theorem3_clipped(L0=1.0, L1=2.0)
    clipped(eta=0.1, gamma=0.5)
    """
    L0, L1 = check_positive(L0, "L0"), check_nonnegative(L1, "L1")
    eta = 1.0 / (10.0 * L0)
    gamma = min(1.0 / eta, 1.0 / (10.0 * L1 * eta)) if L1 > 0 else 1.0 / eta
    return clipped(eta=eta, gamma=gamma)


def theorem6_gd(L0: Any, L1: Any, M: Any) -> Method:
    """Theorem 6: fixed step ``h = 1/(2(M L1 + L0))``, M the sup of ``||∇f||`` on the sublevel set.

    Examples
    --------
    >>> theorem6_gd(L0=1.0, L1=1.0, M=4.0)
    gd(h=0.1)
    """
    L0, L1, M = (check_nonnegative(L0, "L0"), check_nonnegative(L1, "L1"),
                 check_nonnegative(M, "M"))
    if M * L1 + L0 == 0:
        raise LabInputError("theorem6_gd: M*L1 + L0 must be positive")
    return gd(h=1.0 / (2.0 * (M * L1 + L0)))


def theorem7_clipped_sgd(L0: Any, L1: Any, tau: Any, T: Any, noise: str = "ball") -> Method:
    """Theorem 7: ``eta = min{1/(20 L0), 1/(128 L1 tau), 1/sqrt(T)}``, clipped-SGD step.

    Examples
    --------
    >>> theorem7_clipped_sgd(L0=1.0, L1=1.0, tau=0.1, T=10000)
    clipped_sgd(eta=0.01, L1=1.0, tau=0.1, noise='ball')
    """
    L0, L1, tau = (check_positive(L0, "L0"), check_nonnegative(L1, "L1"),
                   check_nonnegative(tau, "tau"))
    T = check_int(T, "T", minimum=1, hint="the iteration budget")
    cands = [1.0 / (20.0 * L0), 1.0 / math.sqrt(T)]
    if L1 * tau > 0:
        cands.append(1.0 / (128.0 * L1 * tau))
    return clipped_sgd(eta=min(cands), L1=L1, tau=tau, noise=noise)


def theorem8_sgd(L1: Any, M: Any, tau: Any, T: Any, noise: str = "ball") -> Method:
    """Theorem 8: SGD with ``h = min{1/sqrt(T), 1/(L1 (M + tau))}``.

    Examples
    --------
    >>> theorem8_sgd(L1=1.0, M=9.0, tau=1.0, T=4)
    sgd(h=0.1, tau=1.0, noise='ball')
    """
    L1, M, tau = (check_nonnegative(L1, "L1"), check_nonnegative(M, "M"),
                  check_nonnegative(tau, "tau"))
    T = check_int(T, "T", minimum=1, hint="the iteration budget")
    h = 1.0 / math.sqrt(T)
    if L1 * (M + tau) > 0:
        h = min(h, 1.0 / (L1 * (M + tau)))
    return sgd(h=h, tau=tau, noise=noise)


def normalized_from_clipped(eta: Any, gamma: Any) -> Method:
    """The paper's parameter map: ``eta_n = gamma*eta_c`` and ``beta = eta_n/eta_c = gamma``.

    Under it ``h_c/2 <= h_n <= 2 h_c`` for every gradient norm.

    Examples
    --------
    >>> normalized_from_clipped(eta=0.1, gamma=2.0)
    normalized(eta=0.2, beta=2.0)
    """
    c = clipped(eta=eta, gamma=gamma)
    e, g = c.params["eta"], c.params["gamma"]
    return normalized(eta=g * e, beta=g)
