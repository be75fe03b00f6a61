"""Engine throughput against the baselines: the same as ``python -m lab bench``.

Usage::

    python benchmarks/bench_engine.py            # full: 10^6 runs x 10^3 iterations
    python benchmarks/bench_engine.py --quick    # < 30 s smoke run

JAX is timed when it is installed (``pip install "clipping-lab[jax]"``); CuPy when a GPU is.
"""

from __future__ import annotations

import sys

from lab.engine.bench import main

if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
