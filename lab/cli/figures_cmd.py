"""``python -m lab figures [--quick] [--out DIR] [--seed N]``: regenerate every figure."""

from __future__ import annotations

import time
from pathlib import Path

import click

from lab.cli.options import scheduler_option
from lab.cli.pipeline import check_out_dir, figures
from lab.parallel import open_client


@click.command(name="figures")
@click.option("--quick", is_flag=True, help="Reduced grids (for CI; well under 2 minutes).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("figures"),
              show_default=True, help="Folder for the figures and their data files.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of every random choice (>= 0).")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Progress bars on stderr.")
@scheduler_option
def command(quick: bool, out: Path, seed: int, progress: bool, scheduler) -> None:
    """Regenerate every figure (SVG + PNG + CSV data + JSON caption) under --out.

    Figure g (tightness) needs the claims: they are checked with budget 'quick' under
    --quick and 'default' otherwise. With --scheduler the claims (one task each) and the
    points of figures a and b run on the workers; the figures are the same bits.
    """
    out = check_out_dir(out)
    start = time.perf_counter()
    with open_client(scheduler) as client:
        records = figures(out, quick=quick, seed=seed, progress=progress,
                          echo=lambda s: click.echo(s, err=True), client=client)
    n = sum(len(r.files) for r in records)
    for r in records:
        click.echo(f"{r.name}: {', '.join(Path(p).name for p in r.files)}")
    click.echo(f"wrote {n} files for {len(records)} figures to {out} in "
               f"{time.perf_counter() - start:.1f} s")
