"""``python -m lab run``: one or many optimizer runs, iterations to eps and how each ended.

``--function`` is a zoo name or an expression (``"x**6"``); ``--method`` a built-in method or
``--rule`` a step rule in g (``"eta*gamma/(g + gamma)"``). Method parameters are given as
extra options (``--eta 0.1 --gamma 1``) or ``-p KEY=VALUE``; a comma-separated value is one
value per run (``--eta 0.01,0.1``). For the methods of the constants (eta_star, eta_si,
eta_cl, quadratic_model) given ``--L1`` alone, L0 is the smallest valid one, from the zoo's
frontier or the certifier, and the output says which.
"""

from __future__ import annotations

import click
import numpy as np

from lab.cli.options import RegistryChoice, seed_option
from lab.cli.resolve import fill_l0, resolve_function, resolve_method
from lab.engine import BACKENDS, run_batch
from lab.errors import LabInputError
from lab.methods import method_names

#: at most this many runs are listed one per line
MAX_LISTED = 20


def parse_number(text: str, what: str) -> float:
    """A float from the command line (``inf`` allowed), or a LabInputError naming ``what``.

    Examples
    --------
    >>> parse_number("inf", "--gamma")
    inf
    """
    try:
        return float(text)
    except ValueError:
        raise LabInputError(f"{what} must be a number, got {text!r}") from None


def parse_value(text: str, what: str):
    """A number, or a comma-separated list of numbers (one per run).

    Examples
    --------
    >>> parse_value("0.1", "eta"), parse_value("0.1,0.2", "eta")
    (0.1, array([0.1, 0.2]))
    """
    parts = [p for p in str(text).split(",") if p.strip()]
    if not parts:
        raise LabInputError(f"{what} needs a value")
    vals = [parse_number(p.strip(), what) for p in parts]
    return vals[0] if len(vals) == 1 else np.array(vals)


def parse_pairs(pairs, extra_args, what: str) -> dict:
    """``KEY=VALUE`` pairs plus ``--key value`` extra arguments to a dict of values.

    Examples
    --------
    >>> parse_pairs(["h=0.1"], ["--tau", "1", "--noise=ball"], "--param")
    {'h': '0.1', 'tau': '1', 'noise': 'ball'}
    """
    out: dict = {}
    for pair in pairs:
        if "=" not in pair:
            raise LabInputError(f"{what} must look like KEY=VALUE, got {pair!r}")
        k, v = pair.split("=", 1)
        out[k.strip()] = v.strip()
    args = list(extra_args)
    while args:
        key = args.pop(0)
        if not key.startswith("--") or len(key) < 3:
            raise LabInputError(f"unexpected argument {key!r}; method parameters look like "
                                "--eta 0.1 (or -p eta=0.1)")
        key = key[2:].replace("-", "_")
        if "=" in key:
            key, val = key.split("=", 1)
        else:
            if not args:
                raise LabInputError(f"option --{key} needs a value")
            val = args.pop(0)
        out[key] = val
    return out


class PointType(click.ParamType):
    """A start point ``a,b,c`` (floats; one number is repeated over the dimensions later).

    Examples
    --------
    >>> PointType().convert("1,-2.5", None, None)
    (1.0, -2.5)
    """

    name = "POINT"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            return tuple(float(p) for p in str(value).split(",") if p.strip())
        except ValueError:
            self.fail(f"{value!r} is not a point; write numbers separated by commas, "
                      "e.g. 1.5,-2", param, ctx)


class KeyNumberType(click.ParamType):
    """``KEY=NUMBER`` (a function parameter such as ``d=3``).

    Examples
    --------
    >>> key_number = KeyNumberType()
    >>> key_number.convert("d=3", None, None), key_number.convert("scale=0.5", None, None)
    (('d', 3.0), ('scale', 0.5))
    """

    name = "KEY=NUMBER"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        key, sep, text = str(value).partition("=")
        try:
            number = float(text)
        except ValueError:
            number = None
        if not sep or not key.strip() or number is None:
            self.fail(f"{value!r} is not KEY=NUMBER (e.g. d=3)", param, ctx)
        return key.strip(), number


def build_starts(points, dim: int, runs: int, spread: float, seed: int) -> np.ndarray:
    """Start points: each ``--x0`` repeated ``runs`` times, jittered uniformly by ``spread``.

    Examples
    --------
    >>> build_starts([(1.0,), (2.0, 3.0)], 2, runs=2, spread=0.0, seed=0).tolist()
    [[1.0, 1.0], [1.0, 1.0], [2.0, 3.0], [2.0, 3.0]]
    """
    base = []
    for p in points:
        vals = list(p) * dim if len(p) == 1 else list(p)
        if len(vals) != dim:
            raise LabInputError(f"--x0 needs {dim} coordinates for this {dim}-dimensional "
                                f"function (or one number), got {','.join(map(str, p))!r}")
        base.append(vals)
    X = np.repeat(np.array(base, dtype=np.float64), runs, axis=0)
    if spread > 0:
        X = X + np.random.default_rng(seed).uniform(-spread, spread, size=X.shape)
    return X


def summary_lines(result) -> list[str]:
    """The per-run table (small batches) and the summary (any batch).

    Examples
    --------
    >>> r = run_batch("cosh", "gd", [[0.0], [3.0]], eps=1e-3, max_iter=5, params={"h": 10.0})
    >>> print(summary_lines(r)[-2])
    2 runs: 1 converged, 0 budget, 1 diverged
    """
    lines = []
    n = result.n_runs
    if n <= MAX_LISTED:
        lines.append(f"{'run':>4}  {'status':<9}  {'iterations to eps':>17}  {'final f':>12}  "
                     f"{'final ||grad||':>14}  note")
        for j in range(n):
            st = result.status_names[j]
            hit = str(result.hit[j]) if result.hit[j] >= 0 else "-"
            note = (f"diverged at iteration {result.diverged_at[j]}" if st == "diverged" else
                    f"budget {result.max_iter} spent" if st == "budget" else "")
            lines.append(f"{j:>4}  {st:<9}  {hit:>17}  {result.f[j]:>12.6g}  "
                         f"{result.grad_norm[j]:>14.6g}  {note}".rstrip())
    counts = result.counts()
    parts = ", ".join(f"{v} {k}" for k, v in counts.items())
    lines.append(f"{n} run{'s' if n != 1 else ''}: {parts}")
    conv = result.hit[result.hit >= 0]
    if conv.size:
        lines.append(f"iterations to eps: min {conv.min()}, median {int(np.median(conv))}, "
                     f"max {conv.max()} (over {conv.size} converged)")
    return lines


@click.command(name="run", context_settings={"ignore_unknown_options": True,
                                             "allow_extra_args": True})
@click.option("--function", "function_name", required=True,
              help="A zoo function name, or an expression such as 'x**6'.")
@click.option("--function-param", "-F", "fparams", multiple=True, type=KeyNumberType(),
              help="A function parameter, e.g. -F d=100 (or a parameter of the expression).")
@click.option("--variables", default=None, metavar="x,y",
              help="An expression's variables in coordinate order (default: sorted names).")
@click.option("--method", "method_name", default=None,
              type=RegistryChoice(method_names(), what="method"),
              help="A built-in step-size rule (or give --rule).")
@click.option("--rule", default=None, metavar="EXPRESSION",
              help="A step rule in g (the gradient norm), e.g. 'eta*gamma/(g + gamma)'.")
@click.option("--param", "-p", "mparams", multiple=True, metavar="KEY=VALUE",
              help="A method parameter (or give it as --KEY VALUE).")
@click.option("--x0", "points", multiple=True, required=True, type=PointType(),
              help="Start point a,b,c (repeat for several).")
@click.option("--eps", required=True, type=click.FloatRange(min=0),
              help="Tolerance on ||grad f||.")
@click.option("--max-iter", default=10000, show_default=True, type=click.IntRange(min=1),
              help="Budget T per run.")
@click.option("--backend", default="numpy", show_default=True,
              type=RegistryChoice(BACKENDS, what="backend"), help="Where the runs execute.")
@click.option("--runs", default=1, show_default=True, type=click.IntRange(min=1),
              help="Runs per start point.")
@seed_option("Seed of the noise and of the jitter.")
@click.option("--spread", default=0.0, show_default=True, type=click.FloatRange(min=0),
              help="Jitter start points uniformly by +-SPREAD.")
@click.pass_context
def command(ctx, function_name, fparams, variables, method_name, rule, mparams, points, eps,
            max_iter, backend, runs, seed, spread):
    """Run METHOD (or a --rule) on FUNCTION (a zoo name or an expression) from each --x0 and
    report iterations to eps.

    Method parameters are extra options (--eta 0.1 --gamma 1) or -p KEY=VALUE; a
    comma-separated value is one value per run (--eta 0.01,0.1).

    Examples: python -m lab run --function "x**6" --method clipped --eta 0.01 --gamma 1
    --x0 2 --eps 1e-3; python -m lab run --function quartic --rule "eta*gamma/(g + gamma)"
    --eta 0.1 --gamma 1 --x0 2 --eps 1e-3
    """
    fkw = {k: int(v) if float(v).is_integer() and k in ("d", "n") else v for k, v in fparams}
    f = resolve_function(function_name, fkw, variables)
    raw = parse_pairs(mparams, ctx.args, "--param")
    mkw = {k: (v if k == "noise" else parse_value(v, f"method parameter {k}"))
           for k, v in raw.items()}
    constants = fill_l0(f, method_name, mkw)
    method = resolve_method(method_name, rule, mkw)
    X = build_starts(points, f.dim, runs, spread, seed)
    result = run_batch(f, method, X, eps=eps, max_iter=max_iter, backend=backend, seeds=seed)
    click.echo(f"{f!r}, {method!r}, eps={result.eps:g}, T={result.max_iter}, "
               f"backend={result.backend}")
    if constants:
        click.echo(constants)
    for line in summary_lines(result):
        click.echo(line)
