"""The ``python -m lab`` command line, built on click.

Each subcommand lives in its own module under ``lab.cli`` and is imported only when it is
invoked (``python -m lab --help`` lists them from :data:`SUBCOMMANDS` without importing),
so ``python -m lab functions`` does not pay for numba, matplotlib or torch. A module named in
:data:`SUBCOMMANDS` defines a click command called ``command``.

Usage errors (a :class:`lab.errors.LabInputError` raised anywhere below a command, or a
value click's option types refuse) become one line on stderr and exit code 2; a task that
failed twice on a Dask cluster (:class:`lab.parallel.TaskFailed`) is one line naming the task
and exit code 1. Options shared by several commands are declared once in
:mod:`lab.cli.options`.
"""

from __future__ import annotations

import importlib
import sys

import click

from lab.errors import LabInputError
from lab.parallel import TaskFailed

#: subcommand name -> (module under lab.cli, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "functions": ("functions_cmd", "The function zoo as a table."),
    "check-smoothness": ("smoothness_cmd", "Is EXPR (L0,L1)-smooth with these constants?"),
    "run": ("run_cmd", "Run one or many optimizer runs and report iterations to eps."),
    "sweep": ("sweep_cmd", "A grid sweep from a TOML config to a results file."),
    "bench": ("bench_cmd", "Engine throughput against the baselines."),
    "claims": ("claims_cmd", "The claim catalogue with verdicts."),
    "check": ("check_cmd", "Check one catalogued claim."),
    "derive": ("derive_cmd", "Print, re-render or check the machine-checked derivations."),
    "figures": ("figures_cmd", "Regenerate every figure under figures/."),
    "reproduce": ("reproduce_cmd", "Figures, claims and derivations, with a report."),
    "network": ("network_cmd", "The paper's real-network experiments at laptop scale."),
}


class _LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(SUBCOMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the subcommands from :data:`SUBCOMMANDS` without importing them."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_) for name, (_, help_) in SUBCOMMANDS.items()])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in SUBCOMMANDS:
            return None
        module_name, short_help = SUBCOMMANDS[name]
        try:
            module = importlib.import_module(f"lab.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"lab.cli.{module_name}":
                raise

            @click.command(name=name, short_help=short_help + " (not built yet)")
            def missing() -> None:
                raise click.UsageError(f"'{name}' is not available in this version of the lab")

            return missing
        return module.command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clipping-lab")
def cli() -> None:
    """clipping-lab: check claims about gradient clipping under (L0,L1)-smoothness."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user mistakes into one line and exit code 2."""
    try:
        # standalone_mode=False: a command's ctx.exit(code) comes back as the return value
        code = cli.main(args=argv, prog_name="python -m lab", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.NoArgsIsHelpError as exc:  # no command given: the help
        exc.show()
        sys.exit(exc.exit_code)
    except click.UsageError as exc:  # a bad option value: one line, like LabInputError
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except LabInputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except TaskFailed as exc:
        click.echo("error: " + " ".join(str(exc).split()), err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
