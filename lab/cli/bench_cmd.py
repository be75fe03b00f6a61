"""``python -m lab bench``: engine throughput against the baselines (see lab.engine.bench)."""

from __future__ import annotations

import click

from lab.engine.bench import main
from lab.engine.bench_scale import measure_scale


@click.command(name="bench")
@click.option("--quick", is_flag=True, help="Small workloads (finishes in under 30 s).")
@click.option("--scale", is_flag=True,
              help="Instead: speedup of a local Dask cluster over one process on a NumPy "
                   "sweep, and the overhead per task (needs the [dask] extra).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes of the local cluster (--scale).")
def command(quick: bool, scale: bool, workers: int) -> None:
    """Throughput (run-iterations/s) of each backend and of the baselines, as ratios.

    The last line is `ratios: best_cpu/fused=X numpy/python_loop=Y best_cpu/python_loop=Z`
    on the reference workload (clipped GD on x^4); best_cpu/jax is added when JAX is installed.
    With --scale the last line is `scale: local:N/in-process speedup=X overhead/chunk=Y`.
    """
    if scale:
        measure_scale(workers=workers, quick=quick, log=click.echo)
        return
    main(quick=quick, log=click.echo)
