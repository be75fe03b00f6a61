"""``python -m lab bench``: engine throughput against the baselines (see lab.engine.bench)."""

from __future__ import annotations

import click


@click.command(name="bench")
@click.option("--quick", is_flag=True, help="Small workloads (finishes in under 30 s).")
def command(quick: bool) -> None:
    """Throughput (run-iterations/s) of each backend and of the baselines, as ratios.

    The last line is `ratios: best_cpu/fused=X numpy/python_loop=Y best_cpu/python_loop=Z`
    on the reference workload (clipped GD on x^4); best_cpu/jax is added when JAX is installed.
    """
    from lab.engine.bench import main

    main(quick=quick, log=click.echo)
