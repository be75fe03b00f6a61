"""``run_batch``: the engine's one entry point."""

from __future__ import annotations

from typing import Any

import numpy as np

from lab.engine import codegen, custom
from lab.engine.inputs import as_function, as_method, as_seeds, as_starts, batch_size
from lab.engine.namespaces import resolve_namespace
from lab.engine.noise import keys_from_seeds
from lab.engine.result import BatchResult, Trajectory
from lab.engine.vectorized import concat_outcomes, run_vectorized
from lab.errors import LabInputError
from lab.functions import ExplicitObjective, RidgeObjective
from lab.validate import check_int, check_nonnegative


#: runs per chunk on CPU array backends: each chunk's arrays stay in cache for its whole run
#: (runs are independent and the noise is counter-based, so chunking changes no bit)
CHUNK = 1 << 15


def structure_key(function) -> tuple:
    """What the generated code depends on: the shape and the symbolic definition.

    Examples
    --------
    >>> from lab.functions import get_function
    >>> structure_key(get_function("quartic"))
    ('ExplicitObjective', 1, 'x**4', ('x',))
    """
    if isinstance(function, ExplicitObjective):
        body = (str(function.expr), tuple(map(str, function.variables)))
    elif isinstance(function, RidgeObjective):
        body = (str(function.profile), tuple(function.direction.tolist()))
    else:
        body = (str(getattr(function, "profile", function.name)),)
    return (type(function).__name__, function.dim) + body


_PROGRAMS: dict = {}
_VECTOR_CACHE: dict = {}


def _program(function) -> codegen.Program:
    if custom.has_scalar_gradient(function):  # depends on the member's arrays: not cached
        return custom.custom_program(function)
    key = structure_key(function)
    prog = _PROGRAMS.get(key)
    if prog is None:
        prog = _PROGRAMS[key] = codegen.program_for(function)
    return prog


def compiled_vector(function, xp):
    """``(grad, value)`` of ``function`` for namespace ``xp`` (cached per structure).

    An objective that is not a symbolic expression (a whole-class member,
    :mod:`lab.functions.controlled`) supplies them itself through ``vector_functions(xp)``;
    otherwise one with the fused kernel's hook (``scalar_gradient()``) is evaluated through its
    vectorized ``grad``/``value`` (:mod:`lab.engine.custom`).

    Examples
    --------
    >>> from lab.functions import get_function
    >>> grad, value = compiled_vector(get_function("quartic"), np)
    >>> G, gn, ok = grad(np.array([[2.0]]))
    >>> G.tolist(), gn.tolist(), ok.tolist(), value(np.array([[2.0]])).tolist()
    ([[32.0]], [32.0], [True], [16.0])
    """
    own = getattr(function, "vector_functions", None)
    if own is not None:
        return own(xp)
    if custom.has_scalar_gradient(function):
        return custom.compile_vector(_program(function), xp)
    key = (structure_key(function), getattr(xp, "__name__", id(xp)))
    hit = _VECTOR_CACHE.get(key)
    if hit is None:
        hit = _VECTOR_CACHE[key] = codegen.compile_vector(_program(function), xp)
    return hit


def run_batch(function: Any, method: Any, x0: Any, *, eps: float, max_iter: int,
              backend: Any = "numpy", seeds: Any = None, record_every: int = 0,
              params: dict | None = None) -> BatchResult:
    """Run a batch of independent optimizer runs to ``||∇f(x_t)|| <= eps`` or ``max_iter``.

    Parameters
    ----------
    function : Objective or str
        An objective, or a zoo name (``lab.functions.function_names()``).
    method : Method or str
        A method object (parameters may be per-run arrays), or a registry name with
        ``params``.
    x0 : array_like, shape (n, d) or (d,)
        Start points (finite). For a 1-D function a 1-D ``x0`` is ``n`` runs.
    eps : float
        Tolerance ``>= 0`` on the true gradient norm.
    max_iter : int
        Budget ``T >= 1`` of iterations per run.
    backend : str or module
        ``"numpy"`` (default), ``"numba"`` (fused compiled kernel), ``"cupy"``, or any
        array-API module (``"array_api_strict"``).
    seeds : None, int or array of int
        Per-run seeds of the stochastic oracle (``None``: ``0..n-1``).
    record_every : int
        Record every k-th iterate (``0``: no trajectory, memory O(runs)).
    params : dict, optional
        Method parameters when ``method`` is a name.

    Returns
    -------
    BatchResult
        ``hit`` (-1: never), ``status`` (0 converged, 1 budget, 2 diverged),
        ``diverged_at``, ``x``, ``f``, ``grad_norm``, ``iterations``, ``trajectory``.

    Notes
    -----
    Iterate ``x_t`` counts ``t`` steps. A run whose iterate or gradient is not finite at
    iteration ``t`` is *diverged at t*: it keeps its last finite iterate ``x_{t-1}`` and
    stops. Overflow never raises, warns or leaks ``nan`` into ``hit``.

    Examples
    --------
    >>> from lab.methods import clipped
    >>> r = run_batch("quartic", clipped(eta=0.01, gamma=1.0), [[1.0], [3.0]], eps=0.1,
    ...               max_iter=10_000)
    >>> r.hit.tolist(), r.status_names.tolist()
    ([151, 351], ['converged', 'converged'])
    """
    function = as_function(function)
    method = as_method(method, params)
    eps = check_nonnegative(eps, "eps")
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    record_every = check_int(record_every, "record_every", minimum=0)
    starts = as_starts(x0, function.dim)
    n = batch_size(starts, method, seeds)
    starts = np.broadcast_to(starts, (n, function.dim))
    per_run = method.per_run(n)
    pr = {k: (np.ascontiguousarray(np.broadcast_to(v, (n,)), dtype=np.float64)
              if isinstance(v, np.ndarray) else float(v)) for k, v in per_run.items()}
    seed_arr = as_seeds(seeds, n) if method.stochastic else None
    keys = keys_from_seeds(seed_arr) if seed_arr is not None else None
    name = backend if isinstance(backend, str) else getattr(backend, "__name__", repr(backend))
    if backend == "numba" and getattr(function, "vector_functions", None) is not None \
            and not custom.has_scalar_gradient(function):
        raise LabInputError(f"{function.name} objectives have no fused kernel yet (no "
                            "scalar_gradient()); use backend='numpy'")
    if backend == "numba":
        from lab.engine.fused import run_fused

        raw = run_fused(function, _program(function), method, pr, starts, eps=eps,
                        max_iter=max_iter, keys=keys, record_every=record_every)
    else:
        raw = _run_on_namespace(function, method, pr, starts, backend, eps=eps,
                                max_iter=max_iter, keys=keys, record_every=record_every)
    f, traj = _values(function, raw, n)
    return BatchResult(hit=raw.hit, status=raw.status, diverged_at=raw.diverged_at, x=raw.x,
                       f=f, grad_norm=raw.grad_norm, iterations=raw.iterations,
                       trajectory=traj, function=repr(function), method=repr(method),
                       backend=name, eps=eps, max_iter=max_iter, seeds=seed_arr)


def _run_on_namespace(function, method, pr: dict, starts: np.ndarray, backend: Any, *,
                      eps: float, max_iter: int, keys, record_every: int):
    """The array-namespace backends: chunks of :data:`CHUNK` runs on the host, one on a GPU."""
    xp = resolve_namespace(backend)
    grad, _ = compiled_vector(function, xp)
    n = starts.shape[0]
    on_host = "cupy" not in getattr(xp, "__name__", "")
    step = CHUNK if (on_host and not record_every) else n
    parts = []
    for lo in range(0, n, step):
        sl = slice(lo, min(n, lo + step))
        X = xp.asarray(np.ascontiguousarray(starts[sl].T))
        prc = {k: (v[sl] if isinstance(v, np.ndarray) else v) for k, v in pr.items()}
        with np.errstate(all="ignore"):
            parts.append(run_vectorized(grad, method, prc, X, eps=eps, max_iter=max_iter,
                                        keys=None if keys is None else keys[sl],
                                        record_every=record_every, xp=xp))
    return parts[0] if len(parts) == 1 else concat_outcomes(parts)


def _values(function, raw, n: int):
    """``f`` at the final iterates and the recorded trajectory with its values (NumPy)."""
    _, value = compiled_vector(function, np)
    with np.errstate(all="ignore"):
        f = np.asarray(value(np.ascontiguousarray(raw.x.T)), dtype=np.float64)
        traj = None
        if raw.trajectory is not None:
            ts, tx, tg = raw.trajectory
            k = ts.size
            tf = np.asarray(value(np.ascontiguousarray(tx.reshape(-1, function.dim).T)))
            traj = Trajectory(ts, tx, tf.reshape(k, n), tg)
    return f, traj
