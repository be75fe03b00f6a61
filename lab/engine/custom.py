"""Custom programs: objectives that supply their own scalar gradient to the fused kernel.

An objective with a ``scalar_gradient()`` method (returning a
:class:`~lab.functions.scalar_gradient.ScalarGradient`) is reduced to a :class:`Program` of
kind ``"custom"``. The fused kernel compiles its source as an inlined function
``_gradient(v0, .., v{d-1}, *arrays) -> g0 (or (g0, .., g{d-1}))`` and takes the arrays as
arguments (:mod:`lab.engine.fused_source`); the vectorized backends call the objective's own
vectorized gradient on the host (:func:`compile_vector`), with the engine's norm and
finiteness rules (``|g|`` in one dimension, ``sqrt(g0*g0 + g1*g1 + ...)`` left to right
otherwise; not finite iterate or norm -> diverged).
"""

from __future__ import annotations

import numpy as np

from lab.engine.codegen import Program
from lab.engine.namespaces import to_numpy
from lab.functions import Objective
from lab.functions.scalar_gradient import ScalarGradient


def has_scalar_gradient(obj: Objective) -> bool:
    """Whether ``obj`` supplies its own scalar gradient (the custom hook)."""
    return callable(getattr(obj, "scalar_gradient", None))


def custom_program(obj: Objective) -> Program:
    """The custom :class:`Program` of an objective with the hook."""
    hook = obj.scalar_gradient()
    if not isinstance(hook, ScalarGradient):
        raise TypeError(f"{obj!r}.scalar_gradient() must return a ScalarGradient, "
                        f"got {type(hook).__name__}")
    return Program("custom", obj.dim, (), (), None, custom=hook, objective=obj)


def gradient_function_source(prog: Program) -> list[str]:
    """``_gradient``: the hook's statements as one inlined numba function.

    Examples
    --------
    >>> from lab.functions.scalar_gradient import ScalarGradient
    >>> hook = ScalarGradient(source="g0 = SLOPE[0] * v0", arrays={"SLOPE": [2.0]})
    >>> prog = Program("custom", 1, (), (), None, custom=hook)
    >>> print("\\n".join(gradient_function_source(prog)))
    @njit(cache=True, inline='always', error_model='numpy')
    def _gradient(v0, SLOPE):
        g0 = SLOPE[0] * v0
        return g0
    <BLANKLINE>
    >>> gradient_call(prog)
    'g0 = _gradient(v0, SLOPE)'"""
    args = [f"v{i}" for i in range(prog.dim)] + list(prog.custom.names)
    outs = ", ".join(f"g{i}" for i in range(prog.dim))
    body = prog.custom.source.strip("\n").splitlines()
    return ["@njit(cache=True, inline='always', error_model='numpy')",
            f"def _gradient({', '.join(args)}):",
            *["    " + line for line in body],
            f"    return {outs if prog.dim == 1 else '(' + outs + ')'}", ""]


def gradient_call(prog: Program) -> str:
    """The kernel's statement computing ``g0..`` at ``v0..`` through ``_gradient``."""
    args = [f"v{i}" for i in range(prog.dim)] + list(prog.custom.names)
    return ", ".join(f"g{i}" for i in range(prog.dim)) + f" = _gradient({', '.join(args)})"


def compile_vector(prog: Program, xp) -> tuple:
    """``(grad, value)`` for namespace ``xp`` through the objective's vectorized methods
    (evaluated on the host with NumPy; points ``X`` of shape (d, n))."""
    obj, d = prog.objective, prog.dim

    def grad(X):
        P = np.ascontiguousarray(to_numpy(X).T)
        with np.errstate(all="ignore"):
            G = np.ascontiguousarray(obj.grad(P).T)
            if d == 1:
                gn = np.abs(G[0])
            else:
                total = G[0] * G[0]
                for i in range(1, d):
                    total = total + G[i] * G[i]
                gn = np.sqrt(total)
            ok = np.isfinite(gn) & np.isfinite(P).all(axis=1)
        return xp.asarray(G), xp.asarray(gn), xp.asarray(ok)

    def value(X):
        return xp.asarray(obj.value(np.ascontiguousarray(to_numpy(X).T)))

    return grad, value
