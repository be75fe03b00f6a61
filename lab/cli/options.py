"""Click options and types shared by several commands, each declared once.

This module imports nothing of the lab's heavy layers (a registry a choice is built from is
passed in by the command, which imports it anyway; :mod:`lab.parallel` is layer 0 and imports
dask only when a scheduler is used), so every command can use it. A command
stacks the decorators it needs; a new shared option (``--scheduler``, ...) is one
more decorator here. Values are typed by click (``IntRange``, ``FloatRange``, ``Choice``
built from the lab's registries, ``Path``), so a bad value is a one-line usage error naming
the option, the value and what is allowed (exit code 2).

Examples
--------
>>> @click.command()
... @seed_option()
... @budget_option(["quick", "default"])
... @scheduler_option
... def demo(seed, budget, scheduler):
...     click.echo(f"{seed} {budget} {scheduler}")
>>> from click.testing import CliRunner
>>> CliRunner().invoke(demo, ["--seed", "3", "--budget", "quick", "--scheduler", "local:2"]
...                    ).output
'3 quick local:2\\n'
>>> print(CliRunner().invoke(demo, ["--seed", "-1"]).output.splitlines()[-1])
Error: Invalid value for '--seed': -1 is not in the range x>=0.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from lab.parallel import SCHEDULER_FORMS, parse_scheduler

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class RegistryChoice(click.Choice):
    """A ``click.Choice`` over a registry's names whose error suggests the closest name.

    Examples
    --------
    >>> kind = RegistryChoice(["quartic", "exp"], what="function")
    >>> kind.convert("quartc", None, None)
    Traceback (most recent call last):
        ...
    click.exceptions.BadParameter: unknown function 'quartc' (did you mean 'quartic'?); ...
    """

    def __init__(self, names: Iterable[str], *, what: str) -> None:
        super().__init__(list(names))
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if value in self.choices:
            return value
        close = difflib.get_close_matches(str(value), list(self.choices), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        self.fail(f"unknown {self.what} {value!r}{hint}; choose one of: "
                  f"{', '.join(self.choices)}", param, ctx)


def out_dir_option(default: str, what: str) -> Decorator:
    """``--out DIR``: a folder (created if missing; an existing file is refused)."""
    return click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
                        default=Path(default), show_default=True, help=f"Folder for {what}.")


def seed_option(help: str = "Seed of every random choice.") -> Decorator:
    """``--seed N``: an integer >= 0 (default 0)."""
    return click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
                        help=help)


#: ``--progress/--no-progress`` (``--quiet`` = ``--no-progress``): progress bars on stderr.
progress_option: Decorator = click.option(
    "--progress/--no-progress", " /--quiet", default=True, show_default=True,
    help="Progress bars on stderr (--quiet: none).")

def quick_option(help: str = "The quick configuration (small grids and budgets).") -> Decorator:
    """``--quick``: the reduced, CI-sized configuration."""
    return click.option("--quick", is_flag=True, help=help)

def budget_option(budgets: Iterable[str]) -> Decorator:
    """``--budget NAME``: how hard the claims are checked, one of ``budgets``
    (:data:`lab.claims.BUDGETS`: the caller passes the registry it already imports)."""
    return click.option("--budget", type=click.Choice(list(budgets)), default="default",
                        show_default=True, help="How hard to look.")


def _scheduler(ctx: click.Context, param: click.Parameter, value: str):
    return parse_scheduler(value)


#: ``--scheduler none|local[:N]|ADDRESS``: where the work runs (see :mod:`lab.parallel`).
scheduler_option: Decorator = click.option(
    "--scheduler", default="none", show_default=True, callback=_scheduler,
    metavar="none|local[:N]|ADDRESS",
    help=f"Where the work runs: {SCHEDULER_FORMS}. Results are the same bits everywhere; "
         "needs the [dask] extra unless 'none'.")
