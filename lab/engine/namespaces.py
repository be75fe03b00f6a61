"""Array namespaces for the vectorized engine: resolution, host transfer, rule re-binding."""

from __future__ import annotations

import importlib
import math
import types
from typing import Any

import array_api_compat
import numpy as np

from lab.errors import LabInputError
from lab.methods import rules

#: backend names understood by :func:`lab.engine.run_batch` (any importable array-API module
#: name, or a module object, is accepted too)
BACKENDS = ("numpy", "numba", "cupy", "array_api_strict")


def resolve_namespace(backend: Any):
    """The array namespace for a vectorized backend name or module.

    Raises
    ------
    LabInputError
        When the backend cannot be imported or is not an array namespace.

    Examples
    --------
    >>> resolve_namespace("numpy") is np
    True
    >>> resolve_namespace("array_api_strict").__name__
    'array_api_strict'
    """
    if backend == "numpy" or backend is np:
        return np
    if isinstance(backend, types.ModuleType):
        mod = backend
    else:
        if not isinstance(backend, str):
            raise LabInputError(f"backend must be a name ({', '.join(BACKENDS)}) or an "
                                f"array-API module, got {backend!r}")
        try:
            mod = importlib.import_module(backend)
        except ImportError:
            raise LabInputError(f"backend {backend!r} is not installed; available: "
                                f"numpy, numba, or an installed array-API module "
                                f"(array_api_strict, cupy)") from None
    if getattr(mod, "__name__", "") == "cupy":
        check_cupy_device(mod)
    try:
        return array_api_compat.array_namespace(mod.asarray(0.0))
    except Exception:
        raise LabInputError(f"backend {backend!r} is not an array-API namespace") from None


def check_cupy_device(cupy) -> None:
    """Raise a clear error when CuPy is installed but no CUDA device is usable.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> no_gpu = NS(cuda=NS(runtime=NS(getDeviceCount=lambda: 0)))
    >>> check_cupy_device(no_gpu)
    Traceback (most recent call last):
        ...
    lab.errors.LabInputError: backend 'cupy' needs a CUDA GPU; none was found
    """
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # pragma: no cover - depends on the machine
        raise LabInputError(f"backend 'cupy' needs a CUDA GPU: {exc}") from None
    if count < 1:  # pragma: no cover
        raise LabInputError("backend 'cupy' needs a CUDA GPU; none was found")


def to_numpy(a: Any) -> np.ndarray:
    """Copy an array of any namespace to a NumPy array on the host.

    Examples
    --------
    >>> import array_api_strict as xp
    >>> to_numpy(xp.asarray([1.0, 2.0]))
    array([1., 2.])
    """
    if isinstance(a, np.ndarray):
        return a
    if hasattr(a, "get") and type(a).__module__.startswith("cupy"):
        return a.get()
    try:
        return np.from_dlpack(a)
    except Exception:
        return np.asarray(a)


def rule_namespace(xp) -> dict[str, Any]:
    """The step rules' vocabulary (:data:`lab.methods.rules.VOCABULARY`) implemented with
    ``xp``; Python scalars are promoted to float64 arrays of ``xp`` (so ``1/0`` is ``inf``).

    Examples
    --------
    >>> import array_api_strict as xp
    >>> sorted(rule_namespace(xp))[:5]
    ['absolute', 'asinh', 'atan', 'cos', 'cosh']
    """
    if xp is np:
        return dict(rules.NUMPY_NAMES)

    def arr(v):
        if isinstance(v, (bool, int, float)):
            return xp.asarray(v, dtype=xp.bool if isinstance(v, bool) else xp.float64)
        return v

    def where(c, a, b):
        return xp.where(arr(c), arr(a), arr(b))

    def full_like(g, h):
        return xp.zeros_like(g) + h

    def lift(fn):
        return lambda *args: fn(*(arr(a) for a in args))

    names = {"where": where, "full_like": full_like, "minimum": lift(xp.minimum),
             "maximum": lift(xp.maximum), "absolute": lift(xp.abs), "inf": math.inf,
             "nan": math.nan}
    for name in ("sqrt", "exp", "log", "log1p", "sin", "cos", "tan", "sinh", "cosh", "tanh",
                 "atan", "asinh"):
        names[name] = lift(getattr(xp, name))
    return names


_COMPILED: dict = {}


def compiled_rule(rule: rules.StepRule, xp):
    """``step(g, *params)`` of ``rule`` for namespace ``xp`` (compiled once per pair).

    Examples
    --------
    >>> step = compiled_rule(rules.RULES["clipped"], np)
    >>> step(np.array([0.5, 10.0]), 0.1, 1.0).round(12).tolist()  # min(eta, gamma eta / g)
    [0.1, 0.01]
    """
    key = (rule, getattr(xp, "__name__", id(xp)))
    step = _COMPILED.get(key)
    if step is None:
        step = _COMPILED[key] = rules.compile_rule(rule, rule_namespace(xp))
    return step
