"""Click options shared by several commands, each declared once.

Examples
--------
>>> import click
>>> from click.testing import CliRunner
>>> @click.command()
... @scheduler_option
... def where(scheduler):
...     click.echo(scheduler)
>>> CliRunner().invoke(where, ["--scheduler", "local:2"]).output
'local:2\\n'
"""

from __future__ import annotations

import click

from lab.parallel import SCHEDULER_FORMS, parse_scheduler


def _scheduler(ctx: click.Context, param: click.Parameter, value: str):
    return parse_scheduler(value)


#: ``--scheduler none|local[:N]|ADDRESS``: where the work runs (see :mod:`lab.parallel`).
scheduler_option = click.option(
    "--scheduler", default="none", show_default=True, callback=_scheduler,
    metavar="none|local[:N]|ADDRESS",
    help=f"Where the work runs: {SCHEDULER_FORMS}. Results are the same bits everywhere; "
         "needs the [dask] extra unless 'none'.")
