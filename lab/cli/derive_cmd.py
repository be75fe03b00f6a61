"""``python -m lab derive NAME|--all [--format md|tex] [--stdout] [--check] [--planted]``.

Without ``--check``: check each derivation and re-render it to ``proofs/NAME.md``
(atomically; with ``--all`` also the index ``proofs/README.md``), or print the render with
``--stdout`` (``--format tex`` always prints a standalone LaTeX document). With ``--check``: write nothing; exit 1
naming the failing step if a derivation fails, naming the file if a committed render is
stale, or naming the lemma whose proof link does not hold (with ``--all``). With
``--planted``: plant errors in every verified step and report which the checker rejects
(each changed step's check stops after ``--time-limit`` seconds of CPU time and is reported
"out of time"; a progress bar counts the changes judged).
"""

from __future__ import annotations

import click
from tqdm import tqdm

from lab.cli.options import progress_option
from lab.derivation import check, registry
from lab.derivation.files import is_stale
from lab.derivation.links import LINKED, check_lemma_links
from lab.derivation.planted import plant_errors, tally
from lab.derivation.render import render_index, render_latex, render_markdown
from lab.errors import LabInputError
from lab.writing import write_text


#: CPU seconds one changed step's check may take in ``--planted`` (the longest that finished
#: in a sweep of exponential_steps took 11 s; three others ran for hours)
PLANTED_TIME_LIMIT = 60.0


@click.command(name="derive")
@click.argument("name", required=False)
@click.option("--all", "all_", is_flag=True, help="Every derivation in proofs/.")
@click.option("--format", "fmt", type=click.Choice(["md", "tex"]), default="md",
              show_default=True, help="Render format; tex is printed to stdout, not written.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the render, write nothing.")
@click.option("--check", "check_only", is_flag=True,
              help="Only check the steps, the lemma links (with --all) and that "
                   "proofs/NAME.md is fresh; exit 1 if not.")
@click.option("--planted", is_flag=True,
              help="Plant errors in every verified step (constants nudged, ranges widened, "
                   "lemma arguments changed) and report what the checker rejects; exit 1 "
                   "if it accepts a false claim. Slow (minutes per derivation).")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS",
              help="With --planted: stop the check of one changed step after this much CPU "
                   "time and report it 'out of time' (sympy's simplification of some changed "
                   f"claims runs for hours). [default: {PLANTED_TIME_LIMIT:g}]")
@progress_option
def command(name, all_, fmt, to_stdout, check_only, planted, time_limit, progress):
    """Print, re-render or check the machine-checked derivations in proofs/.

    \b
    Examples:
      python -m lab derive --all --check        # CI: every step checked, renders fresh
      python -m lab derive blog_derivation      # re-render proofs/blog_derivation.md
      python -m lab derive frontiers --stdout   # print the Markdown
      python -m lab derive frontiers --format tex > frontiers.tex
      python -m lab derive frontiers --planted  # try to fool the checker
      python -m lab derive frontiers --planted --time-limit 10
    """
    if bool(name) == bool(all_):
        raise LabInputError("give exactly one of NAME or --all; known derivations: "
                            + ", ".join(registry.names()))
    if fmt == "tex" and check_only:
        raise LabInputError("--format tex cannot be combined with --check: the committed "
                            "renders are Markdown")
    if planted and (check_only or to_stdout or fmt == "tex"):
        raise LabInputError("--planted runs alone: drop --check, --stdout and --format tex")
    if time_limit is not None and not planted:
        raise LabInputError("--time-limit limits the checks of --planted; add --planted or "
                            "drop --time-limit")
    selected = registry.names() if all_ else [name]
    if planted:
        failed = _planted(selected, time_limit or PLANTED_TIME_LIMIT, progress)
    else:
        failed = _render_all(selected, all_, fmt, to_stdout or fmt == "tex", check_only)
    if failed:
        raise click.exceptions.Exit(1)


def _render_all(selected, all_, fmt, to_stdout, check_only) -> bool:
    """Check, then write / print / compare each render (and the index); True on a failure."""
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
        failed = _index(checked, check_only)
    return failed


def _index(checked, check_only) -> bool:
    """Write or compare the index; with --check also verify the lemma links."""
    index, path = render_index(checked), registry.index_path()
    if not check_only:
        changed = write_text(path, index)
        click.echo(f"index: {'wrote' if changed else 'unchanged'} proofs/{path.name}")
        return False
    failed = False
    if is_stale(path, index):
        click.echo("proofs/README.md (the index) is stale; re-render with "
                   "`python -m lab derive --all`", err=True)
        failed = True
    reports = {derivation.name: report for derivation, report in checked}
    problems = check_lemma_links(registry.load, lambda d: reports.get(d.name) or check(d))
    for problem in problems:
        click.echo(problem, err=True)
    if not problems:
        click.echo(f"lemma links: ok ({len(LINKED)} lemmas, each concluded under its "
                   "hypotheses where it says it is proved)")
    return failed or bool(problems)


def _planted(selected, time_limit: float, progress: bool) -> bool:
    """Plant errors in each derivation; print the tally and every change not caught."""
    missed = False
    for item in selected:
        derivation = registry.load(item)
        report = check(derivation)
        if not report.ok:
            click.echo(report.summary(), err=True)
            missed = True
            continue
        with tqdm(desc=f"{item}: planted changes judged", unit="change", leave=False,
                  disable=not progress) as bar:
            results = plant_errors(derivation, report, time_limit=time_limit,
                                   on_result=lambda _: bar.update())
        counts = tally(results)
        click.echo(f"{item}: {len(results)} planted; " + "; ".join(
            f"{outcome} {n}" for outcome, n in counts.items()))
        for result in results:
            if result.outcome == "caught":
                continue
            plant = result.plant
            click.echo(f"  {result.outcome}: step {plant.label}, {plant.kind} "
                       f"{plant.change}" + (f" (false at {result.point})" if result.point
                                            else "") + f": {result.detail}")
        if counts["out of time"]:
            click.echo(f"  {counts['out of time']} changed steps ran out of time "
                       f"({time_limit:g} s of CPU time each): neither caught nor missed; judge "
                       "them with a larger --time-limit")
        missed = missed or counts["MISSED"] > 0
    return missed
