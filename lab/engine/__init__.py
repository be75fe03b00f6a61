"""The simulation engine: batches of independent optimizer runs as arrays.

Examples
--------
>>> from lab.engine import run_batch
>>> r = run_batch("cosh", "gd", [[0.0], [3.0]], eps=1e-3, max_iter=50, params={"h": 10.0})
>>> r.status_names.tolist(), r.hit.tolist(), r.diverged_at.tolist()
(['converged', 'diverged'], [0, -1], [-1, 2])
"""

from lab.engine.api import run_batch
from lab.engine.namespaces import BACKENDS
from lab.engine.result import BUDGET, CONVERGED, DIVERGED, STATUS_NAMES, BatchResult, Trajectory

__all__ = ["run_batch", "BatchResult", "Trajectory", "STATUS_NAMES", "CONVERGED", "BUDGET",
           "DIVERGED", "BACKENDS"]
