"""``python -m lab reproduce [--quick]``: figures, claims, derivations, network, REPORT.md.

Exit status 1 when a claim's verdict differs from its expectation, a derivation fails or a
step could not run; 0 otherwise.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from lab.cli.options import (out_dir_option, progress_option, quick_option, scheduler_option,
                             seed_option)
from lab.cli.pipeline import reproduce
from lab.parallel import open_client


@click.command(name="reproduce")
@quick_option("Quick figures, claims budget 'quick', the quick network experiment.")
@out_dir_option("figures", "the figures and REPORT.md")
@seed_option()
@progress_option
@scheduler_option
@click.pass_context
def command(ctx: click.Context, quick: bool, out: Path, seed: int, progress: bool,
            scheduler) -> None:
    """Everything: claims, figures, derivations and the network experiment, then
    OUT/REPORT.md with every figure and every verdict (--scheduler: the claims and figures a
    and b on the workers, the same bits)."""
    start = time.perf_counter()
    with open_client(scheduler) as client:
        code = reproduce(out, quick=quick, seed=seed, progress=progress,
                         echo=lambda s: click.echo(s, err=True), client=client)
    click.echo(f"reproduce finished with exit status {code} in "
               f"{time.perf_counter() - start:.1f} s")
    ctx.exit(code)
