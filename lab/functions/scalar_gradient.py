"""The hook by which an objective supplies its own scalar gradient to the fused kernel.

Most objectives are sympy expressions, and the engine prints their gradients itself. An
objective that is not one expression (a whole-class member given by knots and a control, a
piecewise function with many pieces) can still run in the fused numba kernel like any other:
it defines a method ``scalar_gradient(self) -> ScalarGradient`` returning

* ``source``: Python statements (numba-compilable) computing the gradient components
  ``g0, ..., g{d-1}`` of **one** point ``v0, ..., v{d-1}`` (floats). The statements may use the
  named arrays below, ``math``, ``np`` and the step rules' vocabulary
  (:data:`lab.methods.rules.VOCABULARY`: ``exp``, ``log1p``, ``sinh``, ``cosh`` are the
  vectorizable ones of :mod:`lab.engine.fused_math`; ``where(c, a, b)``, ``minimum``,
  ``maximum``, ``sqrt``, ``log`` ...). Temporaries are private: the statements become the
  body of their own inlined function, so they cannot disturb the kernel's variables. Loops
  and ``np.searchsorted`` are allowed (a loop over pieces does not vectorize; straight-line
  code with ``where`` does).
* ``arrays``: named constant float64 arrays (knots, slopes, controls, ...), passed to the kernel
  as arguments. The kernel is compiled once per ``source`` and array names (not per values):
  a thousand members with different knots share one compiled kernel.

The NumPy and array-API backends do not use the source: they call the objective's own
vectorized ``grad`` (on the host). The objective's author keeps the two in the same
arithmetic (same operations in the same order; ``exp`` may differ in the last bit between
NumPy and the kernel), and the engine's tests hold them to 1e-12 relative on final points.
The ``source`` is lab code written by the objective's author, never user text: user formulas
become :class:`~lab.functions.ExplicitObjective` through :func:`lab.formula.parse_formula`.

Examples
--------
>>> import numpy as np
>>> hook = ScalarGradient(
...     source="i = np.searchsorted(KNOTS, v0, side='right')\\n"
...            "g0 = SLOPE[i] * (v0 - KNOTS[max(i - 1, 0)]) + LEVEL[i]",
...     arrays={"KNOTS": [0.0], "SLOPE": [1.0, 2.0], "LEVEL": [0.0, 0.0]})
>>> hook.names
('KNOTS', 'LEVEL', 'SLOPE')
>>> hook.arrays["SLOPE"]
array([1., 2.])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from lab.errors import LabInputError

__all__ = ["ScalarGradient", "RESERVED_NAMES"]

#: names an array may not take (the kernel's own names)
RESERVED_NAMES = frozenset({"X", "T", "D", "BLK", "A", "ANORM", "INF", "ACTIVE", "BUDGET",
                            "CONVERGED", "DIVERGED", "TX", "TG"})
_ARRAY_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True, kw_only=True)
class ScalarGradient:
    """An objective's scalar gradient source and constant arrays (see the module docstring).

    Attributes
    ----------
    source : str
        Statements assigning ``g0 .. g{d-1}`` from ``v0 .. v{d-1}`` and the arrays.
    arrays : mapping of str to 1-D float64 array
        Constants by name (upper case: ``KNOTS``, ``S_VALUES`` ...); stored read-only.
    """

    source: str
    arrays: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.source, str) or not self.source.strip():
            raise LabInputError(f"ScalarGradient: source must be Python statements assigning "
                                f"g0 (..g{{d-1}}), got {self.source!r}")
        frozen = {}
        for name in sorted(self.arrays):
            if not isinstance(name, str) or not _ARRAY_NAME.match(name) \
                    or name in RESERVED_NAMES:
                raise LabInputError(f"ScalarGradient: array name {name!r} must be upper case "
                                    f"(A-Z, 0-9, _) and not one of {sorted(RESERVED_NAMES)}")
            value = np.array(self.arrays[name], dtype=np.float64)
            if value.ndim != 1 or value.size == 0:
                raise LabInputError(f"ScalarGradient: array {name} must be 1-D and non-empty, "
                                    f"got shape {value.shape}")
            value.setflags(write=False)
            frozen[name] = value
        object.__setattr__(self, "arrays", MappingProxyType(frozen))

    @property
    def names(self) -> tuple[str, ...]:
        """The arrays' names, sorted (the order in which the kernel takes them)."""
        return tuple(self.arrays)
