"""Scalar helpers for the fused numba kernels: the step rules' four names, and the RNG.

They mirror :mod:`lab.methods.rules`' NumPy names and :mod:`lab.engine.noise` one value at a
time, with the same operations in the same order.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from lab.engine.noise import _M1, _M2, GOLDEN


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
def log1p(a):
    """``math.log1p``."""
    return math.log1p(a)


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
