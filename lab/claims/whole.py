"""Every catalogued claim that quantifies over functions, checked on the whole univariate class.

A claim file of the catalogue (``lab/claims/catalogue/*.toml``) states its claim on the zoo;
its *whole-class variant* is the same file with ``[class]`` replaced by ``whole = "1d"`` and
the constants of :data:`WHOLE_CLASS` (``L0 = 1``: the class scales, ``c f`` has constants
``(c L0, L1)``; three values of L1), checked by the whole-class adversary
(:mod:`lab.adversary`). The recorded expectation on the whole class is the file's
``expected`` unless ``[claim] expected_whole`` says otherwise (a finding: the zoo's verdict
does not carry over), with ``notes_whole`` explaining it. Theorem 4's lower bound (a Python
claim of :mod:`lab.claims.stochastic`) has its own variant: the same (L1, M, ε) grid, and for
every step h of a grid the hardest whole-class member instead of the two-member hard family.
The blog's first-order condition (a Python claim checked on exp) has one too: the same
inequality for every member of the class (the adversary's exact first-order supremum).

Claims about one function (the ``fact-*`` entries), about step rules, or stochastic ones have
no whole-class variant; :func:`not_covered` says why.

Examples
--------
>>> c = whole_class_variant("theorem3-clipped-gd")
>>> c.check_names, c.function_class.startswith("the whole univariate class")
(('adversary',), True)
>>> not_covered("fact-quartic").split(" (")[0]
'a fact about particular functions'
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

import numpy as np

from lab.adversary import IterationProblem, lower_bound_worst
from lab.adversary.bracket import theorem3_brackets
from lab.claims.catalog import get_claim
from lab.claims.claim import Claim, Observation, Sweep, bound_function
from lab.claims.files import catalogue_dir
from lab.claims.files.build import claim_from_tables
from lab.claims.files.reader import read_toml
from lab.claims.kinds import adversary_check
from lab.claims.stochastic import PAPER, THEOREM4_BOUND, _theorem4_grid
from lab.classes import WholeUnivariate
from lab.methods import gd
from lab.parallel import map_tasks

#: The whole class every catalogued claim is checked on (``[class]`` of the variants).
WHOLE_CLASS = {"whole": "1d", "L0": [1.0], "L1": [0.5, 1.0, 2.0]}

#: ``[check]`` keys that keep their meaning on the whole class (the rest are zoo-specific).
_KEPT_CHECK_KEYS = ("r_max",)

#: claim kinds that quantify over a class of functions
_CLASS_KINDS = ("upper-bound", "lower-bound", "descent")


def _file(name: str):
    path = catalogue_dir() / f"{name}.toml"
    return path if path.exists() else None


@lru_cache(maxsize=None)
def whole_class_variant(name: str) -> Claim | None:
    """The whole-class variant of the catalogued claim ``name`` (None if it has none)."""
    if name == "theorem4-gd-lower":
        return theorem4_whole_claim()
    if name == "blog-first-order-global":
        return first_order_whole_claim()
    path = _file(name)
    if path is None:
        return None
    data = read_toml(path)
    if data.get("claim", {}).get("kind") not in _CLASS_KINDS:
        return None
    claim = dict(data["claim"])
    expected = claim.pop("expected_whole", claim.get("expected"))
    notes = claim.pop("notes_whole", "")
    claim.update(expected=expected, notes=notes)
    data = dict(data, claim=claim, **{"class": dict(WHOLE_CLASS)})
    check = {k: v for k, v in data.get("check", {}).items() if k in _KEPT_CHECK_KEYS}
    data.pop("check", None)
    if check:
        data["check"] = check
    return claim_from_tables(data, f"{path} (on the whole univariate class)")


def not_covered(name: str) -> str:
    """Why the catalogued claim ``name`` has no whole-class variant ('' when it has one)."""
    if whole_class_variant(name) is not None:
        return ""
    if name.startswith("fact-") or name.startswith("mistake-"):
        what = get_claim(name).function_class or "one function"
        return f"a fact about particular functions ({what}), not a statement about a class"
    if name in ("theorem4-gd-lower-half", "theorem4-gd-lower-sharp"):
        return ("on the whole class the same statement as theorem4-gd-lower (half its bound, "
                "resp. the same bound): implied by its whole-class verdict")
    kind = get_claim(name).kind
    return {"step": "a statement about step rules (no function class)",
            "progress": "one-step progress on zoo members: on the whole class it follows from "
                        "the tight descent lemma (descent-exponential)",
            "stochastic": "stochastic: the adversary designs deterministic runs (not covered)",
            }.get(kind, "an observation on particular functions, not a bound over a class")


def attach_whole(verdicts: list, whole_verdicts: list, budget, *, client=None) -> list:
    """Attach each whole-class verdict (and the constant brackets) to its claim's verdict."""
    by_name = {v.claim.name: v for v in whole_verdicts}
    names = [v.claim.name for v in verdicts]
    tasks = [(name, budget.name) for name in names if name in BRACKETS]
    found = dict(zip([t[0] for t in tasks],
                     map_tasks(brackets_for, tasks, star=True, client=client,
                               name="bracket", describe=lambda t: t[0])))
    out = []
    for v in verdicts:
        w = by_name.get(v.claim.name)
        out.append(dataclasses.replace(v, whole=w, whole_note="" if w else
                                       not_covered(v.claim.name),
                                       brackets=found.get(v.claim.name, ())))
    return out


def _theorem3_brackets(budget: str) -> tuple:
    pairs = [(float(a), float(b)) for a in WHOLE_CLASS["L0"] for b in WHOLE_CLASS["L1"]]
    return tuple(b.describe() + f" (proofs/clipped_gd_complexity; adversary at "
                 f"{b.certificate.describe()})" for b in theorem3_brackets(pairs, budget=budget))


#: claims whose bound a derivation proves with explicit constants -> their brackets
BRACKETS = {"theorem3-clipped-gd": _theorem3_brackets}


def brackets_for(name: str, budget: str) -> tuple:
    """The constant brackets of claim ``name`` (one task)."""
    return BRACKETS[name](budget)


# --- Theorem 4 on the whole class ----------------------------------------------------------

#: steps h per instance, by budget
_H_POINTS = {"quick": 8, "default": 24, "thorough": 72}


def theorem4_observations(budget, seed: int = 0, factor: float = 1.0) -> list[Observation]:
    """For each (L1, M, ε) of Theorem 4's grid: the step h whose hardest whole-class member
    (M exact, L0 = 1) has the smallest certified ``T_ε/B``; ratio ``B/T_ε`` there."""
    b = bound_function(factor * THEOREM4_BOUND)
    hs = np.geomspace(1e-4, 4.0, _H_POINTS.get(budget.name, 24))
    out = []
    for l1, m, eps in _theorem4_grid(budget):
        problems = {float(h): IterationProblem(
            (lambda h: lambda L0, L1, e, d, M: gd(h=h))(float(h)),
            lambda L0, L1, e, d, M: b(L0, L1, e, d, M, 0.0),
            bound_uses=frozenset({"Delta", "M"}), name="theorem4") for h in hs}
        res = lower_bound_worst(problems, [(1.0, l1, eps, m)], budget=budget.name)
        weakest = min(res, key=lambda r: (r.ratio, r.parameter))
        confirmed = sum(r.confirmed for r in res)
        c = weakest.certificate
        ratio = math.inf if c is None else (0.0 if c.ratio == math.inf else 1.0 / c.ratio)
        label = (f"whole class, (L0, L1) = (1, {l1:g}), M = {m:g}, eps = {eps:g}: weakest step "
                 f"h = {weakest.parameter:.6g}" + ("" if c is None else f": {c.describe()}"))
        out.append(Observation(confirmed == len(res), ratio, label,
                               f"{confirmed}/{len(res)} steps h in [1e-4, 4] confirmed (a "
                               "replayed member needs >= B)"))
    return out


def theorem4_whole_claim() -> Claim:
    """theorem4-gd-lower's whole-class variant (see the module docstring)."""
    return Claim(
        name="theorem4-gd-lower", title="fixed-step GD: for every h some member of the whole "
        "class needs >= L1 M (Δ - 5ε/8)/(8 ε² (log M + 1)) iterations",
        source=f"{PAPER}, Theorem 4", tag="Q/R", kind="lower-bound", expected="holds",
        statement="L0 = 1, (L1, M, ε) of the zoo check's grid; for every h of a log grid in "
        "[1e-4, 4] the hardest whole-class member with sup |f'| = M on the sublevel set",
        checks=(Sweep(theorem4_observations, name="adversary"),),
        function_class="the whole univariate class with L0 = 1 and the grid's (L1, M)",
        method="gd(h), h on a log grid", bound=THEOREM4_BOUND,
        notes="FINDING: the zoo check refutes the [R] bound (the lab's two-member hard family "
        "is too weak), but on the whole class every step of the grid has a certified member "
        "needing >= B iterations: cycles for long steps, a long slope or a designed run for "
        "short ones. The recorded expectation 'refuted' is an artifact of the family; the "
        "bound itself is exhibited by the class")


# --- the blog's first-order condition on the whole class ---------------------------------

def blog_first_order_model(L0, L1, g, r):
    """The blog's right side ``(L0 + L1 g) r`` for ``|f'(y) - f'(x)|``."""
    return (L0 + L1 * g) * r


@dataclass(frozen=True)
class FirstOrderBound:
    """``|f'(y) - f'(x)| <= model(L0, L1, |f'(x)|, |y - x|)`` for the adversary
    (:mod:`lab.adversary.whole`, ``form = "first-order"``)."""

    kind: ClassVar[str] = "descent"
    form: ClassVar[str] = "first-order"
    model: object = blog_first_order_model
    radius: object = None


def first_order_whole_claim() -> Claim:
    """blog-first-order-global's whole-class variant."""
    cls = WholeUnivariate(**{k: v for k, v in WHOLE_CLASS.items() if k != "whole"})
    return Claim(
        name="blog-first-order-global", title="|f'(y) - f'(x)| <= (L0 + L1|f'(x)|)|y - x| for "
        "all y, on every member of the class", source=get_claim(
            "blog-first-order-global").source, tag="Q/D", kind="descent", expected="refuted",
        statement="the blog's first-order (L0,L1) condition for every member of the whole "
        "univariate class and all x, y; the exact supremum of |f'(y) - f'(x)| is "
        "(|f'(x)| + L0/L1)(e^{L1|y-x|} - 1), so the ratio is (e^{L1 r} - 1)/(L1 r), "
        "unbounded in r",
        checks=(adversary_check(FirstOrderBound(), cls),),
        function_class=cls.covers, method="", bound=None,
        notes="false for every |y - x| > 0 (the extremal ratio (e^{L1 r} - 1)/(L1 r) exceeds "
        "1); within r <= 1/L1 it holds with the factor e - 1 in front")
