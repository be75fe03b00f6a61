"""The types of the claim layer: a claim as data, its checks, budgets and verdicts.

A :class:`Claim` states *what* is claimed (a function class, method parameters as formulas,
a bound as a sympy expression, the kind of statement, the source and its provenance tag) and
*what the lab expects* (``"holds"`` or ``"refuted"``). How it is checked is one or more
:class:`Check` objects:

* :class:`Search` - hypothesis draws instances (class member, parameters, start point, ε)
  and hunts for one where the statement fails, then shrinks it;
* :class:`Sweep` - a deterministic grid, run through the engine in batches;
* :class:`Prove` - the machine-checked derivation ``proofs/NAME.py``.

Each check evaluates instances into :class:`Observation` records. The *ratio* of an
observation is always oriented so that **ratio > 1 means the statement is violated**:

* upper bounds (iterations, descent models, smoothness): ``observed / bound``;
* lower bounds (Theorem 4, one-step progress): ``bound / observed``;
* step orderings: ``smaller step / larger step`` for the ordering that is claimed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Literal, get_args

import sympy as sp

from lab.errors import LabInputError
from lab.validate import check_choice

#: The kind of a claim (what sort of statement it is).
Kind = Literal["smoothness", "descent", "step", "upper-bound", "lower-bound", "progress",
               "stochastic", "observation"]

#: A claim's recorded expectation.
Expectation = Literal["holds", "refuted"]

#: A stochastic claim's form of guarantee.
StochasticForm = Literal["expectation", "high-probability"]

#: Kinds of claim, in the order of :data:`Kind`.
KINDS: tuple[str, ...] = get_args(Kind)

#: Recorded expectations, in the order of :data:`Expectation`.
EXPECTATIONS: tuple[str, ...] = get_args(Expectation)


@dataclass(frozen=True, kw_only=True)
class Budget:
    """How much work one check may do.

    Attributes
    ----------
    name : str
        ``"quick"``, ``"default"`` or ``"thorough"``.
    examples : int
        Hypothesis ``max_examples`` of a search.
    seconds : float
        Wall-clock budget of one search (examples after it are skipped, not failed).
    grid : int
        Points per axis of a sweep (sweeps scale their grids with it).
    max_iter : int
        Cap on the iterations of one engine run (instances whose bound exceeds it are only
        counted when the run hits within the cap).
    seeds : int
        Seeds per instance of a stochastic claim.
    """

    name: str
    examples: int
    seconds: float
    grid: int
    max_iter: int
    seeds: int


#: The three named budgets. ``quick``: the whole catalogue in well under a minute on 2 cores;
#: ``default``: under five minutes; ``thorough``: long hunts. ``quick`` and ``default`` are
#: bounded by example counts only (no wall-clock cap), so their verdicts, ratios and the
#: figures built from them are the same bits on every machine; ``thorough`` also stops a
#: search after 120 s.
BUDGETS: dict[str, Budget] = {
    "quick": Budget(name="quick", examples=25, seconds=math.inf, grid=3, max_iter=20_000,
                    seeds=200),
    "default": Budget(name="default", examples=150, seconds=math.inf, grid=6,
                      max_iter=100_000, seeds=1000),
    "thorough": Budget(name="thorough", examples=2000, seconds=120.0, grid=12,
                       max_iter=1_000_000, seeds=5000),
}


def as_budget(budget: Any) -> Budget:
    """A :class:`Budget` from a name or a Budget.

    Examples
    --------
    >>> as_budget("quick").examples
    25
    """
    if isinstance(budget, Budget):
        return budget
    return BUDGETS[check_choice(budget, "budget", BUDGETS)]


@dataclass(frozen=True)
class Observation:
    """The outcome of checking a claim on one instance.

    Attributes
    ----------
    ok : bool
        Whether the statement holds on this instance.
    ratio : float or None
        Oriented so that ``ratio > 1`` means violated (see the module docstring); ``None``
        when the instance says nothing quantitative (e.g. inconclusive).
    label : str
        The instance, readable: function, parameters, start point, ε.
    detail : str
        Both sides of the inequality (used in counterexample reports).
    """

    ok: bool
    ratio: float | None
    label: str
    detail: str = ""


@dataclass(frozen=True)
class Search:
    """A hypothesis search: ``strategy()`` draws instances, ``evaluate(instance, budget)``
    judges one.

    ``examples`` are instances always tried first (recorded counterexamples and edge cases),
    as with hypothesis's ``@example``.
    """

    strategy: Callable[[], Any]
    evaluate: Callable[[Any], Observation]
    examples: tuple = ()
    name: str = "search"


@dataclass(frozen=True)
class Sweep:
    """A deterministic sweep: ``run(budget, seed)`` returns a list of observations.

    ``distributes = True`` marks a sweep that cuts its own tasks (the whole-class adversary):
    :func:`lab.claims.check.check_claim` then calls ``run(budget, seed, client=client)`` in
    the calling process instead of shipping the whole sweep to one worker.
    """

    run: Callable[..., list]
    name: str = "sweep"
    distributes: bool = False


@dataclass(frozen=True)
class Prove:
    """The machine-checked derivation ``proofs/<derivation>.py`` (run by its checker)."""

    derivation: str
    name: str = "prove"


@dataclass(frozen=True, kw_only=True)
class Claim:
    """A theorem, lemma or fact as data (every field is a keyword argument).

    Attributes
    ----------
    name : str
        Slug, e.g. ``"theorem3-clipped-gd"`` (``python -m lab check NAME``).
    title : str
        One line for people.
    source : str
        Where it comes from (paper, section, follow-up).
    tag : str
        Provenance (PAPER.md): ``Q`` quoted, ``R`` reconstructed, ``D`` derived here,
        ``F`` follow-up; combinations such as ``"Q/R"``.
    kind : str
        One of :data:`KINDS`.
    expected : str
        The recorded expectation, ``"holds"`` or ``"refuted"``.
    statement : str
        The statement in words and formulas.
    function_class : str
        The class of functions (and start points) it quantifies over.
    method : str
        The method and its parameters as formulas in (L0, L1, ε, Δ, M, τ).
    bound : sympy.Expr or None
        The bound, in the symbols of :data:`SYMBOLS`.
    checks : tuple of Search / Sweep / Prove
        The ways to check it; the first one is the default.
    stochastic : str or None
        ``"expectation"`` or ``"high-probability"`` for stochastic claims.
    notes : str
        Findings, corrections, recorded counterexamples.
    """

    name: str
    title: str
    source: str
    tag: str
    kind: Kind
    expected: Expectation
    statement: str
    checks: tuple
    function_class: str = ""
    method: str = ""
    bound: sp.Expr | None = None
    stochastic: StochasticForm | None = None
    notes: str = ""

    def __post_init__(self):
        check_choice(self.kind, f"claim {self.name!r}: kind", KINDS)
        check_choice(self.expected, f"claim {self.name!r}: expected", EXPECTATIONS)
        if self.stochastic is not None:
            check_choice(self.stochastic, f"claim {self.name!r}: stochastic",
                         get_args(StochasticForm))
        if not self.checks:
            raise LabInputError(f"claim {self.name!r} has no check")
        bad = set(self.tag.replace("/", "")) - set("QRDF")
        if bad or not self.tag:
            raise LabInputError(f"claim {self.name!r}: tag must be made of Q, R, D, F "
                                f"(e.g. 'Q/R'), got {self.tag!r}")

    @property
    def check_names(self) -> tuple[str, ...]:
        """Names of the available checks, default first."""
        return tuple(c.name for c in self.checks)

    def __repr__(self) -> str:
        return f"Claim({self.name!r}, tag={self.tag!r}, expected={self.expected!r})"


#: How a verdict was established.
CheckMethod = Literal["search", "sweep", "prove", "adversary"]


@dataclass(kw_only=True)
class ClaimVerdict:
    """The result of checking one claim.

    Attributes
    ----------
    claim : Claim
    verdict : str
        ``"holds"`` (no counterexample found / proved) or ``"refuted"``.
    matches_expectation : bool
        ``verdict == claim.expected``.
    worst_ratio : float or None
        The largest observed ratio (``> 1`` means violated; for upper bounds
        observed/bound, for lower bounds bound/observed: see :mod:`lab.claims.claim`).
    where : str
        The instance of the worst ratio (or of the counterexample).
    counterexample : str or None
        The shrunk counterexample, readable, when refuted.
    method : str
        ``"search"``, ``"sweep"`` or ``"prove"``.
    evaluations : int
        Instances evaluated.
    seconds : float
        Wall-clock time of the check.
    ratios : list of (str, float)
        Every (instance label, ratio) pair evaluated (sweep grid points, or the instances a
        search tried, shrinking included), for tightness figures.
    whole : ClaimVerdict or None
        The same claim checked on the whole univariate class (:mod:`lab.claims.whole`), when
        asked for and the claim has a whole-class variant.
    whole_note : str
        Why there is no whole-class verdict (when asked for and there is none).
    brackets : tuple of str
        ``term: [adversary's value, derived value]`` for each constant of a derived bound
        (:mod:`lab.adversary.bracket`), when asked for and a derivation exists.
    """

    claim: Claim
    verdict: Expectation
    worst_ratio: float | None
    where: str
    counterexample: str | None
    method: CheckMethod
    evaluations: int
    seconds: float
    ratios: list = field(default_factory=list)
    whole: "ClaimVerdict | None" = None
    whole_note: str = ""
    brackets: tuple = ()

    @property
    def matches_expectation(self) -> bool:
        """Whether the verdict is the recorded expectation."""
        return self.verdict == self.claim.expected

    def summary(self) -> str:
        """A few lines for people.

        Examples
        --------
        >>> from lab.claims import check_claim
        >>> print(check_claim("clip-normalized-factor2", budget="quick").summary()
        ...       .splitlines()[0])
        clip-normalized-factor2: holds (expected holds) by search
        """
        c = self.claim
        lines = [f"{c.name}: {self.verdict} (expected {c.expected}) by {self.method}",
                 f"  {c.title} [{c.tag}] - {c.source}"]
        # the adversary returns its best certified candidates, not every evaluation: their
        # number is in the detail ("N candidates"), not in ``evaluations``
        searched = ("found by the whole-class adversary" if self.method == "adversary"
                    else f"in {self.evaluations} evaluations")
        if self.counterexample:
            lines.append(f"  counterexample: {self.counterexample}")
            lines.append(f"  {searched if self.method == 'adversary' else 'found ' + searched}")
        elif self.method == "prove":
            lines.append(f"  {self.where}")
        else:
            ratio = "n/a" if self.worst_ratio is None else f"{self.worst_ratio:.4g}"
            lines.append(f"  no counterexample {searched}; worst "
                         f"ratio {ratio} at {self.where or 'n/a'}")
        lines.append(f"  {self.seconds:.2f} s")
        if self.whole is not None:
            w = self.whole
            lines.append(f"  on the whole univariate class: {w.verdict} (expected "
                         f"{w.claim.expected}), worst ratio "
                         f"{'n/a' if w.worst_ratio is None else f'{w.worst_ratio:.4g}'}"
                         f" ({w.seconds:.1f} s)")
        for b in self.brackets:
            lines.append(f"  constant bracket {b}")
        return "\n".join(lines)


#: The symbols in which parameters and bounds are written.
L0, L1, EPS, DELTA, M, TAU = sp.symbols("L0 L1 epsilon Delta M tau", nonnegative=True)
SYMBOLS = (L0, L1, EPS, DELTA, M, TAU)


@lru_cache(maxsize=512)
def bound_function(expr: sp.Expr):
    """Compile a bound in :data:`SYMBOLS` to a float function ``(L0, L1, eps, Delta, M, tau)``.

    Cached per expression: checks evaluate a bound at thousands of instances, and ``lambdify``
    costs milliseconds each time.

    Examples
    --------
    >>> b = bound_function(2 * L0 * DELTA / EPS**2 + 3 * L1 * DELTA / EPS)
    >>> b(1.0, 1.0, 0.5, 1.0, 0.0, 0.0)
    14.0
    """
    fn = sp.lambdify(SYMBOLS, expr, modules="math")

    def value(*args) -> float:
        try:
            return float(fn(*(float(a) for a in args)))
        except ZeroDivisionError:
            return math.inf

    return value
