"""Scalar helpers for the fused numba kernels: the step rules' vocabulary, and the RNG.

They mirror :data:`lab.methods.rules.NUMPY_NAMES` and :mod:`lab.engine.noise` one value at a
time, with the same operations in the same order. ``exp``, ``sinh``, ``cosh`` and ``log1p``
are the vectorizable ones of :mod:`lab.engine.fused_math` (within 2 ulp of the C library's);
the other functions call the C library. The generated kernel modules import every name of
``__all__``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from lab.engine.fused_math import cosh, exp, log1p, prefer_wide_vectors, sinh
from lab.engine.noise import _M1, _M2, GOLDEN

__all__ = ["where", "minimum", "maximum", "full_like", "absolute", "sqrt", "exp", "log",
           "log1p", "sin", "cos", "tan", "sinh", "cosh", "tanh", "atan", "asinh", "inf", "nan",
           "uniform01", "normal", "prefer_wide_vectors"]

inf = math.inf
nan = math.nan


@njit(cache=True, inline="always")
def where(c, a, b):
    """``a if c else b`` (the scalar ``np.where``)."""
    return a if c else b


@njit(cache=True, inline="always")
def minimum(a, b):
    """NaN-propagating minimum (the scalar ``np.minimum``)."""
    if a != a or b != b:
        return a + b
    return a if a <= b else b


@njit(cache=True, inline="always")
def maximum(a, b):
    """NaN-propagating maximum (the scalar ``np.maximum``)."""
    if a != a or b != b:
        return a + b
    return a if a >= b else b


@njit(cache=True, inline="always")
def absolute(a):
    """``abs``."""
    return abs(a)


@njit(cache=True, inline="always")
def sqrt(a):
    """``math.sqrt``."""
    return math.sqrt(a)


@njit(cache=True, inline="always")
def log(a):
    """``math.log``."""
    return math.log(a)


@njit(cache=True, inline="always")
def sin(a):
    """``math.sin``."""
    return math.sin(a)


@njit(cache=True, inline="always")
def cos(a):
    """``math.cos``."""
    return math.cos(a)


@njit(cache=True, inline="always")
def tan(a):
    """``math.tan``."""
    return math.tan(a)


@njit(cache=True, inline="always")
def tanh(a):
    """``math.tanh``."""
    return math.tanh(a)


@njit(cache=True, inline="always")
def atan(a):
    """``math.atan``."""
    return math.atan(a)


@njit(cache=True, inline="always")
def asinh(a):
    """``math.asinh``."""
    return math.asinh(a)


@njit(cache=True, inline="always")
def full_like(g, h):
    """The scalar broadcast: ``h``."""
    return h


@njit(cache=True, inline="always")
def mix64(z):
    """splitmix64 finalizer (uint64, wrapping)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, inline="always")
def uniform01(key, counter):
    """Output ``counter`` of the splitmix64 stream ``key``, as a float in (0, 1]."""
    z = mix64(key + (counter + np.uint64(1)) * np.uint64(GOLDEN))
    return (float(z >> np.uint64(11)) + 1.0) * (2.0 ** -53)


@njit(cache=True, inline="always")
def normal(key, counter):
    """Box-Muller (cosine branch) from outputs ``counter`` and ``counter + 1``."""
    u1 = uniform01(key, counter)
    u2 = uniform01(key, counter + np.uint64(1))
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
