"""Validation of run_batch's inputs: every user mistake is one clear LabInputError."""

from __future__ import annotations

from typing import Any

import numpy as np

from lab.errors import LabInputError
from lab.functions import Objective, get_function
from lab.methods import Method, get_method
from lab.validate import check_int


def as_function(function: Any) -> Objective:
    """An :class:`Objective` from an objective or a zoo name.

    Examples
    --------
    >>> as_function("exp").name
    'exp'
    """
    if isinstance(function, Objective):
        return function
    return get_function(function)


def as_method(method: Any, params: dict | None) -> Method:
    """A :class:`Method` from a method object, or a registry name plus ``params``.

    Examples
    --------
    >>> as_method("clipped", {"eta": 0.1, "gamma": 1.0})
    clipped(eta=0.1, gamma=1.0)
    """
    if isinstance(method, Method):
        if params:
            raise LabInputError("params= is for a method given by name; this method object "
                                "already carries its parameters")
        return method
    return get_method(method, **(params or {}))


def as_starts(x0: Any, dim: int) -> np.ndarray:
    """Start points as float64 (n, dim); a 1-D ``x0`` is n runs for dim 1, one run otherwise.

    Examples
    --------
    >>> as_starts([1.0, 2.0], 1).tolist()  # two runs of a 1-D function
    [[1.0], [2.0]]
    >>> as_starts([1.0, 2.0], 2).tolist()  # one run in 2-D
    [[1.0, 2.0]]
    """
    try:  # no copy of a float64 array: run_batch only reads it (a read-only broadcast view)
        arr = np.asarray(x0, dtype=np.float64)
    except (TypeError, ValueError):
        raise LabInputError(f"x0 must be numbers of shape (n, {dim}), got {x0!r}") from None
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = arr[:, None] if dim == 1 else arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != dim or arr.shape[0] == 0:
        raise LabInputError(f"x0 must have shape (n, {dim}) (or ({dim},)) for this "
                            f"{dim}-dimensional function, got shape {np.shape(x0)}")
    if not np.isfinite(arr).all():
        i = int(np.argmax(~np.isfinite(arr).all(axis=1)))
        raise LabInputError(f"x0 must be finite; run {i} starts at {arr[i].tolist()}")
    return arr


def as_seeds(seeds: Any, n: int) -> np.ndarray:
    """Per-run non-negative integer seeds (uint64, shape (n,)).

    ``None`` gives ``0..n-1``; one integer ``s`` gives ``n`` seeds drawn from
    ``numpy.random.SeedSequence(s)``.

    Examples
    --------
    >>> as_seeds(None, 3).tolist()
    [0, 1, 2]
    >>> as_seeds([7], 2).tolist()
    [7, 7]
    """
    if seeds is None:
        return np.arange(n, dtype=np.uint64)
    if np.ndim(seeds) == 0:
        s = check_int(seeds, "seeds", minimum=0)
        return np.random.SeedSequence(s).generate_state(n, dtype=np.uint64)
    arr = np.asarray(seeds)
    if arr.ndim != 1 or arr.dtype.kind not in "iu" or (arr < 0).any():
        raise LabInputError("seeds must be None, one integer >= 0, or a 1-D array of integers "
                            f">= 0 (one per run), got {seeds!r}")
    if arr.shape[0] not in (1, n):
        raise LabInputError(f"seeds has {arr.shape[0]} values for {n} runs; give one per run")
    return np.broadcast_to(arr.astype(np.uint64), (n,)).copy()


def batch_size(x0: np.ndarray, method: Method, seeds: Any) -> int:
    """The number of runs: the longest of x0, per-run parameters and seeds (others are 1).

    Examples
    --------
    >>> from lab.methods import clipped
    >>> batch_size(np.zeros((1, 1)), clipped(eta=[0.1, 0.2, 0.3], gamma=1.0), None)
    3
    """
    sizes = {"x0": x0.shape[0]}
    for k, v in method.params.items():
        if isinstance(v, np.ndarray):
            sizes[f"parameter {k}"] = v.shape[0]
    if seeds is not None and np.ndim(seeds) == 1:
        sizes["seeds"] = len(seeds)
    n = max(sizes.values())
    for name, size in sizes.items():
        if size not in (1, n):
            raise LabInputError(f"{name} has {size} values but the batch has {n} runs; "
                                "give one value or one per run")
    return n
