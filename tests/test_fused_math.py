"""The fused kernel's vectorizable exp, sinh, cosh and log1p: ulp error against mpmath on a
grid and at the edges, overflow and underflow exactly where the C library's functions have
them, and loops over them vectorize (no call left, packed arithmetic)."""

from __future__ import annotations

import math
import re

import mpmath
import numpy as np
import pytest
from numba import njit

from lab.engine import fused_math as fm

TINY = 2.0 ** -1074
EXP_OVERFLOW = 709.782712893384      # largest double whose exp is finite (glibc)
EXP_UNDERFLOW = -745.1332191019411   # smallest double whose exp is not 0 (glibc)
EXP_SUBNORMAL = -708.3964185322641   # below: exp(x) < 2**-1022 (subnormal results)
SINH_OVERFLOW = 710.4758600739439    # about ln(2 DBL_MAX)


def _vectorized(fn):
    @njit(error_model="numpy")
    def run(x):
        out = np.empty_like(x)
        for i in range(x.size):
            out[i] = fn(x[i])
        return out
    return run


OURS = {name: _vectorized(getattr(fm, name)) for name in ("exp", "sinh", "cosh", "log1p")}


@njit(error_model="numpy")
def _libm(x, which):
    out = np.empty_like(x)
    for i in range(x.size):
        v = x[i]
        out[i] = (math.exp(v) if which == 0 else math.sinh(v) if which == 1 else
                  math.cosh(v) if which == 2 else math.log1p(v))
    return out


def libm(name, x):
    return _libm(np.asarray(x, dtype=np.float64), ("exp", "sinh", "cosh", "log1p").index(name))


REFERENCE = {"exp": mpmath.exp, "sinh": mpmath.sinh, "cosh": mpmath.cosh,
             "log1p": mpmath.log1p}


def ulp_errors(name: str, xs: np.ndarray) -> np.ndarray:
    """|ours - exact| in units of the last place of the exact value (2**-1074 when subnormal);
    0 where both are the same inf/nan, inf where only one is."""
    ys = OURS[name](xs)
    out = np.empty(xs.size)
    with mpmath.workprec(160):
        for i, (x, y) in enumerate(zip(xs.tolist(), ys.tolist())):
            exact = REFERENCE[name](mpmath.mpf(x))
            ef = float(exact)
            if not math.isfinite(ef) or not math.isfinite(y):
                same = (y == ef) or (math.isnan(y) and math.isnan(ef))
                out[i] = 0.0 if same else math.inf
                continue
            unit = TINY if abs(ef) < 2.0 ** -1022 else math.ulp(abs(ef))
            out[i] = float(abs(mpmath.mpf(y) - exact) / unit)
    return out


def grid(name: str, n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    if name == "exp":
        parts = [np.linspace(-746.0, 710.0, n), rng.uniform(-1.0, 1.0, n // 4),
                 rng.uniform(-745.2, EXP_SUBNORMAL, n // 4),
                 np.logspace(-310, 0, n // 8), -np.logspace(-310, 0, n // 8)]
    elif name == "log1p":
        parts = [-1.0 + np.logspace(-16, -1e-4, n // 4), np.logspace(-310, 308, n // 2),
                 -np.logspace(-310, -1e-3, n // 4), rng.uniform(-0.5, 3.0, n // 2)]
    else:
        parts = [np.linspace(-711.0, 711.0, n), rng.uniform(-3.0, 3.0, n // 2),
                 np.logspace(-310, 0.5, n // 4)]
    return np.concatenate(parts)


@pytest.mark.parametrize("name", sorted(OURS))
def test_ulp_error_against_mpmath_on_a_grid(name):
    """Over the whole range (and densely near 0 and in the subnormal results), every result
    is within 2 ulp of the exact value (exp: within 1)."""
    errors = ulp_errors(name, grid(name, 1600))
    assert errors.max() <= (1.0 if name == "exp" else 2.0), errors.max()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(OURS))
def test_ulp_error_against_mpmath_on_a_dense_grid(name):
    errors = ulp_errors(name, grid(name, 100_000))
    assert errors.max() <= (1.0 if name == "exp" else 2.0), errors.max()


def neighbours(x: float, k: int = 64) -> np.ndarray:
    """The 2k+1 doubles around x."""
    return x + np.arange(-k, k + 1) * np.spacing(abs(x))


@pytest.mark.parametrize("name, edge", [("exp", EXP_OVERFLOW), ("exp", EXP_UNDERFLOW),
                                        ("sinh", SINH_OVERFLOW), ("sinh", -SINH_OVERFLOW),
                                        ("cosh", SINH_OVERFLOW), ("cosh", -SINH_OVERFLOW)])
def test_overflow_and_underflow_exactly_where_libm_has_them(name, edge):
    xs = neighbours(edge)
    ours, theirs = OURS[name](xs), libm(name, xs)
    np.testing.assert_array_equal(np.isinf(ours), np.isinf(theirs))
    np.testing.assert_array_equal(ours == 0.0, theirs == 0.0)
    assert np.isinf(theirs).any() or (theirs == 0).any()     # the edge is inside the window
    assert np.isfinite(theirs).any() and (theirs != 0).any()
    assert ulp_errors(name, xs[np.isfinite(ours) & (ours != 0)]).max() <= 2.0


def test_exp_subnormal_results_are_within_one_subnormal_ulp():
    xs = np.concatenate([neighbours(EXP_SUBNORMAL), np.linspace(-745.13, -708.4, 400),
                         neighbours(EXP_UNDERFLOW + 1e-12)])
    assert ulp_errors("exp", xs).max() <= 1.0
    assert (OURS["exp"](xs) == libm("exp", xs)).mean() > 0.9


NASTY = np.array([0.0, -0.0, TINY, -TINY, 2.2250738585072014e-308, 1e-300, -1e-300, 1e-17,
                  0.5, -0.5, 1.0, -1.0, 700.0, -700.0, 1e300, -1e300, 1.7976931348623157e308,
                  -1.7976931348623157e308, math.inf, -math.inf, math.nan])


@pytest.mark.parametrize("name", sorted(OURS))
def test_nasty_inputs_follow_the_c_library(name):
    """Signed zeros, subnormals, huge values, infinities and nan: the same as libm's (bits
    for zeros, infinities and nan; within 1 ulp otherwise)."""
    ours, theirs = OURS[name](NASTY), libm(name, NASTY)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    special = (np.isinf(theirs) | (theirs == 0.0)) & ~np.isnan(theirs)
    np.testing.assert_array_equal(ours[special], theirs[special])
    np.testing.assert_array_equal(np.signbit(ours[special]), np.signbit(theirs[special]))
    special |= np.isnan(theirs)
    assert ulp_errors(name, NASTY[~special]).max() <= 1.0


def test_log1p_near_minus_one_and_below():
    xs = np.array([-1.0, -1.0 + 2.0 ** -53, -0.9999999, -1.0000000000000002, -2.0, -math.inf])
    ours = OURS["log1p"](xs)
    assert ours[0] == -math.inf
    assert np.isnan(ours[3:]).all()
    assert ulp_errors("log1p", xs[1:3]).max() <= 1.0


@njit(error_model="numpy")
def _exp_loop(x, out):
    for i in range(x.size):
        out[i] = fm.exp(x[i]) * 0.5


@njit(error_model="numpy")
def _log1p_loop(x, out):
    for i in range(x.size):
        out[i] = fm.log1p(x[i]) * 0.5


@pytest.mark.parametrize("loop", [_exp_loop, _log1p_loop], ids=["exp", "log1p"])
def test_loops_over_the_functions_vectorize(loop):
    """The compiled loop calls nothing (no libm) and uses packed double arithmetic."""
    x = np.linspace(-5.0, 5.0, 64)
    loop(x, np.empty_like(x))
    asm = next(iter(loop.inspect_asm().values()))
    assert not re.search(r"\bcall\w*\s+[^\n]*\b(exp|log1p)\b", asm)
    assert re.search(r"\bv?mulpd\b", asm), "no packed multiply: the loop did not vectorize"


@njit(error_model="numpy")
def _wide_loop(x, out):
    fm.prefer_wide_vectors()
    for i in range(x.size):
        out[i] = fm.exp(x[i]) * 0.5


def test_kernels_may_use_the_widest_vectors_without_changing_results():
    """prefer_wide_vectors sets LLVM's prefer-vector-width=512 on the calling function only;
    the results are the same bits as the 256-bit loop's (no reassociation either way)."""
    x = np.linspace(-700.0, 700.0, 1001)
    wide, narrow = np.empty_like(x), np.empty_like(x)
    _wide_loop(x, wide)
    _exp_loop(x, narrow)
    np.testing.assert_array_equal(wide, narrow)
    llvm = next(iter(_wide_loop.inspect_llvm().values()))
    assert '"prefer-vector-width"="512"' in llvm
    assert '"prefer-vector-width"' not in next(iter(_exp_loop.inspect_llvm().values()))
    import llvmlite.binding as ll
    if ll.get_host_cpu_features().get("avx512f"):
        assert "zmm" in next(iter(_wide_loop.inspect_asm().values()))
