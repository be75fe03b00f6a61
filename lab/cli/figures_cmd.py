"""``python -m lab figures [--quick] [--out DIR] [--seed N]``: regenerate every figure."""

from __future__ import annotations

import time
from pathlib import Path

import click

from lab.cli.options import (out_dir_option, progress_option, quick_option, scheduler_option,
                             seed_option)
from lab.cli.pipeline import figures
from lab.parallel import open_client


@click.command(name="figures")
@quick_option("Reduced grids (for CI; well under 2 minutes).")
@out_dir_option("figures", "the figures and their data files")
@seed_option()
@progress_option
@scheduler_option
def command(quick: bool, out: Path, seed: int, progress: bool, scheduler) -> None:
    """Regenerate every figure (SVG + PNG + CSV data + JSON caption) under --out.

    Figure g (tightness) needs the claims: they are checked with budget 'quick' under
    --quick and 'default' otherwise. With --scheduler the claims (one task each) and the
    points of figures a and b run on the workers; the figures are the same bits.
    """
    start = time.perf_counter()
    with open_client(scheduler) as client:
        records = figures(out, quick=quick, seed=seed, progress=progress,
                          echo=lambda s: click.echo(s, err=True), client=client)
    n = sum(len(r.files) for r in records)
    for r in records:
        click.echo(f"{r.name}: {', '.join(Path(p).name for p in r.files)}")
    click.echo(f"wrote {n} files for {len(records)} figures to {out} in "
               f"{time.perf_counter() - start:.1f} s")
