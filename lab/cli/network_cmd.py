"""``python -m lab network``: the paper's real-network experiments at laptop scale.

Trains a character LSTM (on CPython's ``pydoc_data.topics`` text) and a ReLU MLP (on
scikit-learn's digits) with plain SGD, clipped and unclipped, measures the local smoothness
along the way and writes the data files and Figures 1-2 to ``--out``. Without PyTorch it
says that the experiment is skipped and exits 0.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from pathlib import Path

import click

from lab import network
from lab.cli.options import out_dir_option, progress_option, quick_option, seed_option


def _fmt(value: float, digits: int = 3) -> str:
    return "-" if isinstance(value, float) and math.isnan(value) else f"{value:.{digits}f}"


@click.command(name="network")
@quick_option("Smaller models and budgets (under a minute).")
@out_dir_option("figures/network", "the CSV/JSON data and the figures")
@seed_option("Seed of the initialisation, minibatch order and bootstrap.")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True,
              help="torch intra-op threads (results are reproducible for a fixed count).")
@progress_option
def command(quick: bool, out: Path, seed: int, threads: int, progress: bool) -> None:
    """The paper's real-network experiments at laptop scale."""
    make = network.quick_config if quick else network.default_config
    config = make(seed, progress=progress)
    if threads != config.threads:
        config = replace(config, threads=threads)
    if not network.torch_available():
        click.echo(network.SKIP_MESSAGE, err=True)
        return
    start = time.perf_counter()
    result = network.run_experiment(config)
    paths = network.make_figures(result, out)
    click.echo(f"{'model':6} {'run':18} {'subset loss':>11} {'heldout':>8} {'diverged':>8} "
               f"{'to target':>9} {'spearman':>8} {'slope [95% CI]':>22}")
    for row in result.summary_rows():
        ci = f"{_fmt(row['slope'], 2)} [{_fmt(row['slope_ci_lo'], 2)}, {_fmt(row['slope_ci_hi'], 2)}]"
        diverged = "-" if row["diverged_at"] < 0 else str(row["diverged_at"])
        click.echo(f"{row['model']:6} {row['run']:18} {_fmt(row['final_subset_loss']):>11} "
                   f"{_fmt(row['final_heldout_loss']):>8} {diverged:>8} "
                   f"{row['iterations_to_target'] if row['iterations_to_target'] >= 0 else '-':>9} "
                   f"{_fmt(row['spearman'], 2):>8} {ci:>22}")
    click.echo("to target: first iteration whose training-subset loss is at or below the best "
               "unclipped run's final loss")
    click.echo(f"wrote {len(paths)} files to {out} in {time.perf_counter() - start:.1f} s "
               f"(config '{config.name}', seed {seed})")
