"""Vectorizable ``exp``, ``sinh``, ``cosh`` and ``log1p`` for the fused numba kernels.

numba from PyPI has no SVML, so a kernel that calls ``math.exp`` calls the C library once per
element and its loop over runs does not vectorize. These functions are straight-line code
(range reduction, a polynomial, a power of two built from its bits, selects for the special
cases) that LLVM vectorizes like any arithmetic.

``exp(x)``
    Cody-Waite reduction ``x = k ln2 + r``, ``|r| <= ln2/2`` (``k`` rounded by adding
    1.5 * 2**52 and read from the sum's low bits; ``ln2`` split in a high part with 21
    trailing zero bits, so ``k * LN2_HI`` is exact, and a low part), the Taylor
    polynomial of degree 13 (truncation ``r**14/14! < 4.3e-18``) by Horner's rule in fused
    multiply-adds (:func:`fma`), written as ``1 + (r + r**2 q(r))``, then scaled by ``2**k`` in two exact halves
    ``2**(k>>1) * 2**(k - (k>>1))``, so the only rounding of a subnormal result is the last
    product. Inputs are clamped to ``[-745.2, 710.5]`` first (beyond, the result is 0 or inf
    anyway); nan propagates. Overflow to ``inf`` and underflow to ``0`` happen exactly where
    glibc's ``exp`` has them (``x > 709.782712893384`` and ``x < -745.1332191019411``,
    checked bit for bit on the neighbouring doubles in the tests); results are within 1 ulp of
    the exact value over the whole range (subnormal results included, measured against mpmath
    in ``tests/test_fused_math.py``).
``sinh(x)``, ``cosh(x)``
    For ``|x| < 1`` (sinh) the odd Taylor polynomial of degree 17; otherwise
    ``(e**|x| -/+ e**-|x|)/2`` with both halves scaled by ``2**-1`` inside :func:`exp_pow2` (so
    ``sinh``/``cosh`` overflow exactly at ``ln(2 DBL_MAX)``, not at ``ln DBL_MAX``).
``log1p(x)``
    fdlibm's ``s_log1p``: ``1 + x = 2**k m`` with ``m`` in ``[sqrt(2)/2, sqrt(2))``, the
    correction ``c`` for the rounding of ``1 + x``, ``log m = f - f**2/2 + s(f**2/2 + R(s**2))``
    with ``s = f/(2 + f)`` and fdlibm's minimax ``R`` (error below 2**-58.45); the branches of
    fdlibm are selects here. ``log1p(-1) = -inf``, ``nan`` below -1, ``log1p(±0) = ±0``.

All are ``inline='always'`` and compiled with numba's default (no fast-math, no contraction);
the fused multiply-adds are explicit (``llvm.fma``, one rounding by definition), so a kernel's
results are the same bits on every run and every x86-64 or ARM machine.

Examples
--------
>>> import math
>>> abs(exp(1.0) - math.e) <= math.ulp(math.e), exp(710.0), exp(-746.0)
(True, inf, 0.0)
>>> abs(log1p(1e-20) - 1e-20) < 1e-36, log1p(-1.0)
(True, -inf)
"""

from __future__ import annotations

import math

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["exp", "exp_pow2", "sinh", "cosh", "log1p", "fma", "bits_to_float", "float_to_bits",
           "prefer_wide_vectors"]


@intrinsic
def bits_to_float(typingctx, bits):
    """The float64 whose IEEE-754 bits are the int64 ``bits`` (a bit cast, vectorizable)."""
    if not isinstance(bits, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        value = context.cast(builder, args[0], signature.args[0], types.int64)
        return builder.bitcast(value, ir.DoubleType())
    return types.float64(bits), codegen


@intrinsic
def float_to_bits(typingctx, x):
    """The IEEE-754 bits of the float64 ``x`` as an int64 (a bit cast, vectorizable)."""
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, signature, args):
        value = context.cast(builder, args[0], signature.args[0], types.float64)
        return builder.bitcast(value, ir.IntType(64))
    return types.int64(x), codegen


@intrinsic
def fma(typingctx, a, b, c):
    """``a * b + c`` with one rounding (LLVM's ``llvm.fma``: an FMA instruction where the CPU
    has one, the C library's ``fma`` otherwise; the same bits either way)."""
    if not all(isinstance(v, types.Float) for v in (a, b, c)):
        return None

    def codegen(context, builder, signature, args):
        values = [context.cast(builder, v, t, types.float64)
                  for v, t in zip(args, signature.args)]
        double = ir.DoubleType()
        fn = builder.module.declare_intrinsic("llvm.fma", [double],
                                              ir.FunctionType(double, [double] * 3))
        return builder.call(fn, values)
    return types.float64(types.float64, types.float64, types.float64), codegen


#: the LLVM function attribute that lifts LLVM's default preference for 256-bit vectors
WIDE_VECTORS = '"prefer-vector-width"="512"'


@intrinsic
def prefer_wide_vectors(typingctx):
    """Let LLVM vectorize the calling function with 512-bit vectors where the CPU has them.

    LLVM's x86 targets prefer 256-bit vectors even on AVX-512 CPUs (clang's
    ``-mprefer-vector-width``); this sets the function attribute on the caller only, so the
    rest of the process's numba code is untouched. Results do not change (the same operations
    per element, no reassociation); on CPUs without AVX-512, and off x86, it does nothing. If
    llvmlite ever refuses the attribute, the call is a no-op.
    """
    def codegen(context, builder, signature, args):
        try:
            set.add(builder.function.attributes, WIDE_VECTORS)
        except Exception:  # pragma: no cover - a future llvmlite with checked attributes
            pass
        return context.get_dummy_value()
    return types.none(), codegen


LOG2E = 1.4426950408889634
LN2_HI = float.fromhex("0x1.62e42fee00000p-1")   # 21 trailing zero bits: k * LN2_HI is exact
LN2_LO = float.fromhex("0x1.a39ef35793c76p-33")  # ln 2 - LN2_HI
ROUND_SHIFT = 6755399441055744.0            # 1.5 * 2**52: x + ROUND_SHIFT rounds x to an integer
ROUND_SHIFT_BITS = 0x4338000000000000       # its bits; the integer sits in the low bits
EXP_MAX_IN = 710.5     # above: exp(x) * 2**s overflows for s in {-1, 0}
EXP_MIN_IN = -745.2    # below: exp(x) < 2**-1075 (rounds to 0)

# Taylor coefficients 1/n!, n = 2..13 (exp) and 1/(2n+1)!, n = 1..8 (sinh)
E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13 = (1.0 / math.factorial(n)
                                                       for n in range(2, 14))
S3, S5, S7, S9, S11, S13, S15, S17 = (1.0 / math.factorial(n) for n in range(3, 18, 2))

# fdlibm e_log.c: log(1+f) = f - f**2/2 + s*(f**2/2 + R(z)), z = s**2, |error| < 2**-58.45
LG1 = 6.666666666666735130e-01
LG2 = 3.999999999940941908e-01
LG3 = 2.857142874366239149e-01
LG4 = 2.222219843214978396e-01
LG5 = 1.818357216161805012e-01
LG6 = 1.531383769920937332e-01
LG7 = 1.479819860511658591e-01
SQRT_HALF_SHIFT = 0x00095F6200000000   # moves m's exponent so that m lands in [0.707, 1.414)
SQRT_HALF_BITS = 0x3FE6A09E00000000
MANTISSA = 0x000FFFFFFFFFFFFF


@njit(cache=True, inline="always", error_model="numpy")
def exp_pow2(x, s):
    """``exp(x) * 2**s`` for an integer ``s`` in {-1, 0}, with one rounding at most in the
    subnormal range (see the module docstring)."""
    y = EXP_MAX_IN if x > EXP_MAX_IN else x
    y = EXP_MIN_IN if y < EXP_MIN_IN else y
    shifted = fma(y, LOG2E, ROUND_SHIFT)      # k = round(y / ln 2) in the low mantissa bits
    kf = shifted - ROUND_SHIFT                # exact
    k = float_to_bits(shifted) - ROUND_SHIFT_BITS
    r = fma(-kf, LN2_LO, fma(-kf, LN2_HI, y))
    q = fma(E13, r, E12)
    q = fma(q, r, E11)
    q = fma(q, r, E10)
    q = fma(q, r, E9)
    q = fma(q, r, E8)
    q = fma(q, r, E7)
    q = fma(q, r, E6)
    q = fma(q, r, E5)
    q = fma(q, r, E4)
    q = fma(q, r, E3)
    q = fma(q, r, E2)
    p = 1.0 + fma(r * r, q, r)
    k = k + s
    k1 = k >> 1
    return (p * bits_to_float((k1 + 1023) << 52)) * bits_to_float((k - k1 + 1023) << 52)


@njit(cache=True, inline="always", error_model="numpy")
def exp(x):
    """``e**x``, vectorizable, within 1 ulp (see the module docstring)."""
    return exp_pow2(x, 0)


@njit(cache=True, inline="always", error_model="numpy")
def _sinh_small(x):
    """Odd Taylor polynomial of sinh, degree 17 (for |x| < 1: error below 9e-18 relative)."""
    z = x * x
    q = fma(S17, z, S15)
    q = fma(q, z, S13)
    q = fma(q, z, S11)
    q = fma(q, z, S9)
    q = fma(q, z, S7)
    q = fma(q, z, S5)
    q = fma(q, z, S3)
    return fma(x, z * q, x)


@njit(cache=True, inline="always", error_model="numpy")
def sinh(x):
    """``sinh(x)``, vectorizable (see the module docstring)."""
    a = abs(x)
    big = exp_pow2(a, -1) - exp_pow2(-a, -1)
    big = -big if x < 0.0 else big
    return _sinh_small(x) if a < 1.0 else big


@njit(cache=True, inline="always", error_model="numpy")
def cosh(x):
    """``cosh(x)``, vectorizable (see the module docstring)."""
    a = abs(x)
    return exp_pow2(a, -1) + exp_pow2(-a, -1)


@njit(cache=True, inline="always", error_model="numpy")
def log1p(x):
    """``log(1 + x)``, vectorizable (fdlibm's s_log1p without branches)."""
    u = 1.0 + x
    b = float_to_bits(u) + SQRT_HALF_SHIFT
    k = (b >> 52) - 1023
    f = bits_to_float((b & MANTISSA) + SQRT_HALF_BITS) - 1.0
    kf = float(k)
    c = (1.0 - (u - x) if u >= 2.0 else x - (u - 1.0)) / u   # both differences are exact
    s = f / (2.0 + f)
    z = s * s
    R = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))))
    hfsq = 0.5 * f * f
    out = kf * LN2_HI - ((hfsq - (s * (hfsq + R) + (kf * LN2_LO + c))) - f)
    out = x if x == 0.0 else out
    out = math.inf if x == math.inf else out
    out = -math.inf if x == -1.0 else out
    return math.nan if x < -1.0 else out
