"""``python -m lab check-smoothness``: is an expression (L0,L1)-smooth with given constants?

Exit codes: 0 holds, 1 fails (with the counterexample point and both sides), 2 usage error.
"""

from __future__ import annotations

import math

import click

from lab.errors import LabInputError
from lab.functions import get_function
from lab.functions.parse import parse_expression
from lab.smoothness import check_smoothness, min_valid_l0


def parse_domain(spec: str | None, variables: list[str] | None) -> list[tuple[float, float]] | None:
    """Parse ``"-5:5"`` (every variable) or ``"x=-5:5,y=0:1"`` into (low, high) pairs.

    ``inf``/``-inf`` are allowed (for example ``"0:inf"``).
    """
    if spec is None:
        return None

    def interval(text: str) -> tuple[float, float]:
        try:
            lo_text, hi_text = text.split(":")
            lo, hi = float(lo_text), float(hi_text)
        except ValueError:
            raise LabInputError(f"bad domain interval {text!r}: write LOW:HIGH, e.g. -5:5") from None
        if math.isnan(lo) or math.isnan(hi) or not lo < hi:
            raise LabInputError(f"bad domain interval {text!r}: need LOW < HIGH")
        return lo, hi

    if "=" not in spec:
        return [interval(spec.strip())]
    named = {}
    for part in spec.split(","):
        if "=" not in part:
            raise LabInputError(f"bad domain part {part!r}: write NAME=LOW:HIGH")
        name, text = part.split("=", 1)
        named[name.strip()] = interval(text.strip())
    if variables is None:
        raise LabInputError("a per-variable --domain needs the variable names: give --vars")
    missing = [v for v in variables if v not in named]
    unknown = [n for n in named if n not in variables]
    if unknown:
        raise LabInputError(f"--domain names unknown variable {unknown[0]!r} "
                            f"(variables: {', '.join(variables)})")
    if missing:
        raise LabInputError(f"--domain gives no interval for variable {missing[0]!r}")
    return [named[v] for v in variables]


def _floats(text: str, option: str) -> list[float]:
    try:
        return [float(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise LabInputError(f"{option} must be a number or a comma-separated list, got {text!r}") from None


@click.command(name="check-smoothness", context_settings={"ignore_unknown_options": True})
@click.argument("expr", required=False)
@click.option("--function", "function_name", default=None,
              help="Check a zoo member (see `python -m lab functions`) instead of EXPR.")
@click.option("--L0", "l0", default=None, help="The constant L0 >= 0.")
@click.option("--L1", "l1", default=None,
              help="The constant L1 >= 0 (with --frontier: a comma-separated list).")
@click.option("--vars", "variables", default=None,
              help="Variables in order, comma-separated (default: the expression's, sorted).")
@click.option("--domain", default=None,
              help="Narrow the check to a box: LOW:HIGH for every variable, or "
                   "NAME=LOW:HIGH,... (ends may be inf/-inf). Default: all of R^d; the "
                   "verdict says which.")
@click.option("--frontier", is_flag=True,
              help="Print the smallest valid L0 for each L1 instead of checking.")
@click.option("--samples", default=20000, show_default=True, type=click.IntRange(min=100),
              help="Start points of the numeric hunt (several variables).")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the numeric hunt.")
@click.pass_context
def command(ctx, expr, function_name, l0, l1, variables, domain, frontier, samples, seed):
    """Is EXPR (L0,L1)-smooth: ||∇²f(x)|| <= L0 + L1 ||∇f(x)|| for all x?

    \b
    Examples:
      python -m lab check-smoothness "x^4" --L0 16 --L1 1
      python -m lab check-smoothness "exp(x)+exp(-x)" --L0 0 --L1 1
      python -m lab check-smoothness "x^2*y^2" --L0 100 --L1 100
      python -m lab check-smoothness "x^4" --frontier --L1 0.5,1,2
      python -m lab check-smoothness --function logistic --L0 0 --L1 1

    The question is about all of R^d unless --domain narrows it to a box. Univariate
    expressions (and the zoo's ridge and radial functions, on R^d or on a box) are decided
    exactly with sympy; several variables are searched numerically, on boxes of growing
    radius, and the verdict says how far.
    """
    if (expr is None) == (function_name is None):
        raise LabInputError("give either an EXPR or --function NAME (not both)")
    var_list = [v.strip() for v in variables.split(",")] if variables else None
    if function_name is not None:
        if var_list is not None:
            raise LabInputError("--vars applies to an EXPR, not to --function")
        target = get_function(function_name)
        var_names = [str(v) for v in getattr(target, "variables", [])] or None
    else:
        target = expr
        var_names = var_list or [str(v) for v in parse_expression(expr)[1]]
    pairs = parse_domain(domain, var_names)
    if frontier:
        if l0 is not None:
            raise LabInputError("--frontier computes L0: drop --L0")
        l1_values = _floats(l1, "--L1") if l1 is not None else [0.5, 1.0, 2.0, 4.0]
        click.echo("L1          smallest L0        how")
        for value in l1_values:
            fv = min_valid_l0(target, value, variables=var_list, domain=pairs, samples=samples,
                              seed=seed)
            how = "exact" if fv.exact else (
                f"numeric lower bound ({fv.searched})" if fv.searched else "numeric lower bound")
            shown = "none (no L0 works)" if fv.value == math.inf else fv.text
            click.echo(f"{value:<11g} {shown:<18} {how}; {fv.where}")
        return
    if l0 is None or l1 is None:
        raise LabInputError("give both --L0 and --L1 (or --frontier with --L1 values)")
    (l0_value,), (l1_value,) = _single(l0, "--L0"), _single(l1, "--L1")
    verdict = check_smoothness(target, l0_value, l1_value, variables=var_list, domain=pairs,
                               samples=samples, seed=seed)
    click.echo(verdict.summary())
    ctx.exit(0 if verdict.holds else 1)


def _single(text: str, option: str) -> list[float]:
    values = _floats(text, option)
    if len(values) != 1:
        raise LabInputError(f"{option} takes one number here, got {text!r}")
    return values
