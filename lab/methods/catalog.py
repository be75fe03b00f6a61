"""Constructors of every method, and the registry by name used by the CLI.

Each constructor validates its parameters up front (a zero or negative step is a
:class:`~lab.errors.LabInputError` saying what is allowed) and returns a :class:`Method`.
Parameters may be arrays with one value per run: the engine broadcasts them over the batch.
"""

from __future__ import annotations

import difflib
import inspect
from typing import Any, Callable

import numpy as np

from lab.errors import LabInputError
from lab.methods.method import NOISE_MODELS, Method, check_param
from lab.methods.user_rule import user_rule
from lab.validate import check_choice, check_in_range

__all__ = ["gd", "clipped", "normalized", "quadratic_model", "eta_star", "eta_si", "eta_cl",
           "smoothed_clipping", "sgd", "clipped_sgd", "clipped_sgd_momentum", "METHODS",
           "method_names", "get_method"]


def _smooth_pair(name: str, L0: Any, L1: Any, *, l0_zero: bool = True):
    L0 = check_param(name, "L0", L0, zero=l0_zero)
    L1 = check_param(name, "L1", L1, zero=True)
    if l0_zero and np.any((np.asarray(L0) == 0) & (np.asarray(L1) == 0)):
        raise LabInputError(f"{name}: L0 and L1 cannot both be 0 (the step would be infinite)")
    return L0, L1


def _noise(name: str, noise: Any, tau: Any) -> tuple[str, float]:
    check_choice(noise, f"{name}: noise model", NOISE_MODELS)
    tau = check_param(name, "tau", tau, zero=True, what="noise level")
    if not isinstance(tau, float):
        raise LabInputError(f"{name}: tau must be one number for the batch, got an array")
    return noise, tau


def gd(h: Any) -> Method:
    """Gradient descent with a fixed step ``h > 0``.

    Examples
    --------
    >>> gd(h=0.1)
    gd(h=0.1)
    """
    return Method(name="gd", rule="gd",
                  params={"h": check_param("gd", "h", h, what="the step size")})


def clipped(eta: Any, gamma: Any) -> Method:
    """Clipped GD, ``h = min{eta, gamma*eta/||g||}``; ``gamma = inf`` is plain GD.

    Examples
    --------
    >>> clipped(eta=0.1, gamma=1.0).step([0.5, 10.0])
    array([0.1 , 0.01])
    """
    return Method(name="clipped", rule="clipped", params={
        "eta": check_param("clipped", "eta", eta, what="the step size eta_c"),
        "gamma": check_param("clipped", "gamma", gamma, inf=True, what="the clipping threshold"),
    })


def normalized(eta: Any, beta: Any = 0.0) -> Method:
    """Normalized GD, ``h = eta / (||g|| + beta)`` with ``beta >= 0``.

    Examples
    --------
    >>> normalized(eta=1.0, beta=1.0).step([1.0])
    array([0.5])
    """
    return Method(name="normalized", rule="normalized", params={
        "eta": check_param("normalized", "eta", eta, what="the step size eta_n"),
        "beta": check_param("normalized", "beta", beta, zero=True),
    })


def quadratic_model(L0: Any, L1: Any) -> Method:
    """The quadratic-model step ``1/(L0 + L1 ||g||)`` (the blog's "optimal" step).

    Examples
    --------
    >>> quadratic_model(L0=1.0, L1=1.0).step([1.0])
    array([0.5])
    """
    L0, L1 = _smooth_pair("quadratic_model", L0, L1)
    return Method(name="quadratic_model", rule="quadratic_model", params={"L0": L0, "L1": L1})


def eta_star(L0: Any, L1: Any) -> Method:
    """The exponential-model step ``ln(1 + L1 g/(L0 + L1 g))/(L1 g)`` (limit ``1/L0`` at 0).

    Examples
    --------
    >>> float(eta_star(L0=1.0, L1=1.0).step([0.0])[0])
    1.0
    """
    L0, L1 = _smooth_pair("eta_star", L0, L1)
    return Method(name="eta_star", rule="eta_star", params={"L0": L0, "L1": L1})


def eta_si(L0: Any, L1: Any) -> Method:
    """The simplified exponential-model step ``1/(L0 + 1.5 L1 ||g||)``.

    Examples
    --------
    >>> eta_si(L0=1.0, L1=2.0).step([1.0])
    array([0.25])
    """
    L0, L1 = _smooth_pair("eta_si", L0, L1)
    return Method(name="eta_si", rule="eta_si", params={"L0": L0, "L1": L1})


def eta_cl(L0: Any, L1: Any) -> Method:
    """The clipping-like step ``min{1/(2 L0), 1/(3 L1 ||g||)}``.

    Examples
    --------
    >>> eta_cl(L0=1.0, L1=1.0).step([1.0])
    array([0.33333333])
    """
    L0, L1 = _smooth_pair("eta_cl", L0, L1)
    return Method(name="eta_cl", rule="eta_cl", params={"L0": L0, "L1": L1})


def smoothed_clipping(eta: Any, gamma: Any) -> Method:
    """Smoothed clipping ``h = eta * gamma / (||g|| + gamma)``.

    Examples
    --------
    >>> smoothed_clipping(eta=1.0, gamma=1.0).step([1.0])
    array([0.5])
    """
    return Method(name="smoothed_clipping", rule="smoothed_clipping", params={
        "eta": check_param("smoothed_clipping", "eta", eta, what="the step size"),
        "gamma": check_param("smoothed_clipping", "gamma", gamma, what="the threshold"),
    })


def sgd(h: Any, tau: Any = 1.0, noise: str = "ball") -> Method:
    """SGD with a fixed step on the oracle ``∇f(x) + ξ``, ``||ξ|| <= tau``.

    Examples
    --------
    >>> sgd(h=0.01, tau=0.5)
    sgd(h=0.01, tau=0.5, noise='ball')
    """
    noise, tau = _noise("sgd", noise, tau)
    return Method(name="sgd", rule="gd",
                  params={"h": check_param("sgd", "h", h, what="the step size")},
                  noise=noise, tau=tau)


def clipped_sgd(eta: Any, L1: Any, tau: Any = 1.0, noise: str = "ball") -> Method:
    """Clipped SGD with Theorem 7's step ``h = min{1/(16 eta L1 (||g̃|| + tau)), eta}``.

    See :func:`lab.methods.theorem7_clipped_sgd` for Theorem 7's choice of ``eta``.

    Examples
    --------
    >>> clipped_sgd(eta=0.01, L1=1.0, tau=0.5)
    clipped_sgd(eta=0.01, L1=1.0, tau=0.5, noise='ball')
    """
    noise, tau = _noise("clipped_sgd", noise, tau)
    return Method(name="clipped_sgd", rule="clipped_sgd_theorem7", params={
        "eta": check_param("clipped_sgd", "eta", eta, what="the step size"),
        "L1": check_param("clipped_sgd", "L1", L1, zero=True),
        "tau": tau,
    }, noise=noise, tau=tau)


def clipped_sgd_momentum(eta: Any, gamma: Any, momentum: Any = 0.9, tau: Any = 1.0,
                         noise: str = "ball") -> Method:
    """Clipped SGD with momentum: ``m+ = b m + (1-b) g̃`` (``m_0 = g̃_0``), clipped step on ``m``.

    Examples
    --------
    >>> clipped_sgd_momentum(eta=0.1, gamma=1.0, momentum=0.5, tau=0.1)
    clipped_sgd_momentum(eta=0.1, gamma=1.0, tau=0.1, noise='ball', momentum=0.5)
    """
    noise, tau = _noise("clipped_sgd_momentum", noise, tau)
    b = check_in_range(momentum, "clipped_sgd_momentum: momentum", 0, 1, high_open=True)
    return Method(name="clipped_sgd_momentum", rule="clipped", params={
        "eta": check_param("clipped_sgd_momentum", "eta", eta, what="the step size"),
        "gamma": check_param("clipped_sgd_momentum", "gamma", gamma, inf=True),
    }, noise=noise, tau=tau, momentum=b)


#: name -> constructor (the CLI's ``--method`` choices)
METHODS: dict[str, Callable[..., Method]] = {
    "gd": gd, "clipped": clipped, "normalized": normalized, "quadratic_model": quadratic_model,
    "eta_star": eta_star, "eta_si": eta_si, "eta_cl": eta_cl,
    "smoothed_clipping": smoothed_clipping, "sgd": sgd, "clipped_sgd": clipped_sgd,
    "clipped_sgd_momentum": clipped_sgd_momentum,
}


def method_names() -> list[str]:
    """Names of every registered method."""
    return list(METHODS)


def get_method(name: Any, **params: Any) -> Method:
    """Build a method by registry name.

    Raises
    ------
    LabInputError
        For an unknown name, an unknown or missing parameter, or a bad value.

    Examples
    --------
    >>> get_method("clipped", eta=0.1, gamma=2.0)
    clipped(eta=0.1, gamma=2.0)
    """
    if isinstance(name, Method):
        if params:
            raise LabInputError("give parameters either in the Method object or as params")
        return name
    if not isinstance(name, str) or name not in METHODS:
        close = difflib.get_close_matches(str(name), METHODS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise LabInputError(f"unknown method {name!r}{hint}; choose one of: {', '.join(METHODS)}")
    sig = inspect.signature(METHODS[name])
    unknown = sorted(set(params) - set(sig.parameters))
    if unknown:
        raise LabInputError(f"method {name!r} has no parameter {unknown[0]!r}; its parameters: "
                            f"{', '.join(sig.parameters)}")
    missing = [p.name for p in sig.parameters.values()
               if p.default is inspect.Parameter.empty and p.name not in params]
    if missing:
        raise LabInputError(f"method {name!r} needs parameter {missing[0]!r}; its parameters: "
                            f"{', '.join(sig.parameters)}")
    return METHODS[name](**params)


def method_from_spec(spec: str, **params: Any) -> Method:
    """A built-in method by name, or the user step rule ``spec`` (an expression in g).

    Examples
    --------
    >>> method_from_spec("gd", h=0.1)
    gd(h=0.1)
    >>> method_from_spec("eta/(1 + g)", eta=0.5)
    user_rule('eta/(1 + g)', eta=0.5)
    """
    if isinstance(spec, str) and spec in METHODS:
        return get_method(spec, **params)

    return user_rule(spec, **params)
