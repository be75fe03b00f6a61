"""``python -m lab derive NAME|--all [--format md|tex] [--stdout] [--check]``.

Without ``--check``: check each derivation and re-render it to ``proofs/NAME.md``
(atomically; with ``--all`` also the index ``proofs/README.md``), or print the render with
``--stdout`` (``--format tex`` always prints a standalone LaTeX document). With ``--check``: write nothing; exit 1
naming the failing step if a derivation fails, or naming the file if a committed render is
stale.
"""

from __future__ import annotations

import click

from lab.derivation import check, registry
from lab.derivation.files import is_stale
from lab.derivation.render import render_index, render_latex, render_markdown
from lab.errors import LabInputError
from lab.writing import write_text


@click.command(name="derive")
@click.argument("name", required=False)
@click.option("--all", "all_", is_flag=True, help="Every derivation in proofs/.")
@click.option("--format", "fmt", type=click.Choice(["md", "tex"]), default="md",
              show_default=True, help="Render format; tex is printed to stdout, not written.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the render, write nothing.")
@click.option("--check", "check_only", is_flag=True,
              help="Only check the steps and that proofs/NAME.md is fresh; exit 1 if not.")
def command(name, all_, fmt, to_stdout, check_only):
    """Print, re-render or check the machine-checked derivations in proofs/.

    \b
    Examples:
      python -m lab derive --all --check        # CI: every step verified, renders fresh
      python -m lab derive blog_derivation      # re-render proofs/blog_derivation.md
      python -m lab derive frontiers --stdout   # print the Markdown
      python -m lab derive frontiers --format tex > frontiers.tex
    """
    if bool(name) == bool(all_):
        raise LabInputError("give exactly one of NAME or --all; known derivations: "
                            + ", ".join(registry.names()))
    if fmt == "tex" and check_only:
        raise LabInputError("--format tex cannot be combined with --check: the committed "
                            "renders are Markdown")
    if fmt == "tex":
        to_stdout = True  # LaTeX is printed, never committed
    selected = registry.names() if all_ else [name]
    failed = False
    checked = []
    for item in selected:
        derivation = registry.load(item)
        report = check(derivation)
        checked.append((derivation, report))
        if not report.ok:
            click.echo(report.summary(), err=True)
            failed = True
            continue
        markdown = render_markdown(derivation, report)
        path = registry.render_path(item)
        if check_only:
            if is_stale(path, markdown):
                click.echo(f"{item}: proofs/{path.name} is stale; re-render with "
                           f"`python -m lab derive {item}`", err=True)
                failed = True
            else:
                click.echo(report.summary())
        elif to_stdout:
            click.echo(render_latex(derivation, report) if fmt == "tex" else markdown, nl=False)
        else:
            changed = write_text(path, markdown)
            click.echo(f"{item}: {'wrote' if changed else 'unchanged'} proofs/{path.name}")
    if all_ and not failed and not to_stdout:
        index, path = render_index(checked), registry.index_path()
        if check_only:
            if is_stale(path, index):
                click.echo("proofs/README.md (the index) is stale; re-render with "
                           "`python -m lab derive --all`", err=True)
                failed = True
        else:
            changed = write_text(path, index)
            click.echo(f"index: {'wrote' if changed else 'unchanged'} proofs/{path.name}")
    if failed:
        raise click.exceptions.Exit(1)
