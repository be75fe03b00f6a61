"""The checker: verify every step of a :class:`~lab.derivation.steps.Derivation`.

Pure symbolic/numeric code, no I/O. :func:`check` returns a :class:`Report` with one
:class:`StepResult` per step; a step that cannot be verified fails (naming the step), unless
it is an :class:`~lab.derivation.steps.Assumption` or a
:class:`~lab.derivation.steps.Cited` fact, which pass but are recorded as unverified.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import sympy as sp

from lab.derivation import steps as S
from lab.derivation.numeric import certify_sign
from lab.derivation.signs import prove_sign


class DerivationError(AssertionError):
    """A derivation failed its check; the message names the failing step."""


@dataclass(frozen=True)
class StepResult:
    """The verdict on one step: ``ok``, the ``kind`` of justification, and ``detail``."""

    index: int
    label: str
    ok: bool
    kind: str
    detail: str


@dataclass(frozen=True)
class Report:
    """The verdicts on all steps of one derivation, plus what was taken without proof here:
    assumptions, cited standard facts, numeric certificates, and lemmas imported from other
    derivations."""

    name: str
    results: tuple
    assumptions: tuple = ()
    cited: tuple = ()
    numeric: tuple = field(default=())
    imported: tuple = field(default=())

    @property
    def ok(self) -> bool:
        """True when every step passed."""
        return all(r.ok for r in self.results)

    @property
    def failures(self) -> tuple:
        """The failing steps' results."""
        return tuple(r for r in self.results if not r.ok)

    def summary(self) -> str:
        """One line per failing step (or ``NAME: ok (n steps)``)."""
        if self.ok:
            return f"{self.name}: ok ({len(self.results)} steps)"
        return "\n".join(f"{self.name}: step {r.index} ({r.label}) FAILED: {r.detail}"
                         for r in self.failures)

    def raise_if_failed(self) -> None:
        """Raise :class:`DerivationError` naming the first failing step."""
        if not self.ok:
            raise DerivationError(self.summary())


class _Fail(Exception):
    """Internal: a justification did not verify."""


# ---------------------------------------------------------------- relations


def normal_form(claim):
    """Return ``(kind, F)`` with kind in {"eq", "ge", "gt", "ne"} and the claim equivalent to
    ``F == 0``, ``F >= 0``, ``F > 0`` or ``F != 0``.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> normal_form(S.rel(x, "<=", 1))
    ('ge', 1 - x)
    """
    if isinstance(claim, sp.Eq):
        return "eq", claim.lhs - claim.rhs
    if isinstance(claim, sp.Ne):
        return "ne", claim.lhs - claim.rhs
    if isinstance(claim, sp.Ge):
        return "ge", claim.lhs - claim.rhs
    if isinstance(claim, sp.Gt):
        return "gt", claim.lhs - claim.rhs
    if isinstance(claim, sp.Le):
        return "ge", claim.rhs - claim.lhs
    if isinstance(claim, sp.Lt):
        return "gt", claim.rhs - claim.lhs
    raise _Fail(f"the claim {claim!r} is not a sympy relation (use lab.derivation.rel)")


@functools.lru_cache(maxsize=8192)
def _is_zero(expr) -> bool:
    """Whether sympy can show ``expr == 0`` (cached: derivations repeat their checks)."""
    expr = sp.sympify(expr)
    if expr == 0:
        return True
    # cheapest rewritings first; simplify only when they do not settle it
    for simp in (lambda e: e.doit(), lambda e: sp.expand(e.doit()),
                 lambda e: sp.cancel(sp.together(e.doit())), sp.simplify,
                 lambda e: sp.simplify(e.doit()),
                 lambda e: sp.simplify(sp.expand(e.doit())),
                 lambda e: sp.simplify(e.rewrite(sp.exp)), sp.expand_log):
        try:
            if simp(expr) == 0:
                return True
        except Exception:  # noqa: BLE001 - a simplifier that fails does not prove anything
            continue
    return False


def same_claim(a, b) -> bool:
    """Whether two relations say the same thing up to simplification (and orientation)."""
    ka, fa = normal_form(a)
    kb, fb = normal_form(b)
    if ka != kb:
        return False
    if _is_zero(fa - fb):
        return True
    return ka in ("eq", "ne") and _is_zero(fa + fb)


def _check_subs_assumptions(pairs, where: str) -> None:
    """A value substituted for a symbol must satisfy that symbol's sympy assumptions."""
    for old, new in pairs:
        new = sp.sympify(new)
        if getattr(old, "is_real", None) is True and new.is_real is False:
            raise _Fail(f"{where}: {sp.sstr(new)} (substituted for {old}) is not real")
        for prop in ("positive", "nonnegative", "negative"):
            if getattr(old, f"is_{prop}", None) is True:
                verdict = getattr(new, f"is_{prop}")
                if verdict is not True:
                    if prop in ("positive", "nonnegative"):
                        ok, _ = prove_sign(new, strict=(prop == "positive"))
                        if ok:
                            continue
                    raise _Fail(f"{where}: cannot show that {sp.sstr(new)} (substituted for "
                                f"{old}) is {prop}: a hypothesis is missing")


def _step_domain(why) -> dict:
    """The variable ranges on which a step's claim was proved (empty: wherever the symbols'
    own assumptions allow)."""
    if isinstance(why, S.NoCounterexample):
        return {why.var: why.domain}
    if isinstance(why, S.Monotone):
        return {why.var: sp.Interval.open(sp.sympify(why.start), sp.sympify(why.end))}
    if isinstance(why, S.Numeric):
        return {why.var: sp.Interval(sp.sympify(why.lo), sp.sympify(why.hi))}
    return {}


def _check_in_domain(pairs, domain: dict, where: str) -> None:
    """A value substituted for a variable proved only on a range must lie in that range."""
    for old, new in pairs:
        interval = domain.get(old)
        if interval is None or not isinstance(interval, sp.Interval):
            continue
        new = sp.sympify(new)
        if interval.start.is_finite:
            ok, _ = prove_sign(new - interval.start, strict=bool(interval.left_open))
            if not ok:
                raise _Fail(f"{where}: cannot show {sp.sstr(new)} lies in "
                            f"{sp.sstr(interval)}, where step was proved for {old}")
        if interval.end.is_finite:
            ok, _ = prove_sign(interval.end - new, strict=bool(interval.right_open))
            if not ok:
                raise _Fail(f"{where}: cannot show {sp.sstr(new)} lies in "
                            f"{sp.sstr(interval)}, where step was proved for {old}")


# ---------------------------------------------------------------- justifications


def _check_claim(claim, why, proven, domain, ledger):
    """Verify ``claim`` by ``why``; return a one-line detail or raise :class:`_Fail`."""
    if isinstance(why, S.Assumption):
        ledger["assumptions"].append((sp.latex(claim) if claim is not None else "", why.reason))
        return "assumption (not verified)"
    if isinstance(why, S.Cited):
        ledger["cited"].append(why.fact)
        return "cited standard fact (not machine-checked)"
    kind, F = normal_form(claim)
    if isinstance(why, S.Algebra):
        if kind == "eq":
            if _is_zero(F):
                return "sympy: simplify(lhs - rhs) = 0"
            lhs, rhs = (sp.simplify(side.doit()) for side in claim.args)
            if lhs == rhs and lhs is not sp.nan:
                return "sympy: both sides evaluate to " + sp.sstr(lhs)
            raise _Fail("lhs - rhs does not simplify to 0: " + sp.sstr(sp.simplify(F)))
        if kind == "ne":
            for strict_sign in (F, -F):
                ok, how = prove_sign(strict_sign, strict=True, domain=domain)
                if ok:
                    return how
            raise _Fail("cannot show lhs != rhs")
        ok, how = prove_sign(F, strict=(kind == "gt"), domain=domain)
        if ok:
            return how
        raise _Fail(how)
    if isinstance(why, S.SumOfTerms):
        if kind not in ("ge", "gt"):
            raise _Fail("SumOfTerms proves an inequality, not " + kind)
        if not _is_zero(F - sp.Add(*why.terms)):
            raise _Fail("the difference is not the sum of the given terms: remainder "
                        + sp.sstr(sp.simplify(F - sp.Add(*why.terms))))
        any_strict = False
        for i, term in enumerate(why.terms):
            sub = why.proofs[i] if i < len(why.proofs) else None
            if sub is None:
                ok, _ = prove_sign(term, strict=False, domain=domain)
                if not ok:
                    raise _Fail(f"term {i + 1} ({sp.sstr(term)}) not shown nonnegative")
                if kind == "gt" and not any_strict:
                    any_strict = prove_sign(term, strict=True, domain=domain)[0]
            else:
                sub_claim = S.rel(term, ">=", 0)
                if kind == "gt" and not any_strict:
                    try:
                        _check_claim(S.rel(term, ">", 0), sub, proven, domain, ledger)
                        any_strict = True
                        continue
                    except _Fail:
                        pass
                _check_claim(sub_claim, sub, proven, domain, ledger)
        if kind == "gt" and not any_strict:
            raise _Fail("no term is shown strictly positive")
        return f"sum of {len(why.terms)} nonnegative terms"
    if isinstance(why, S.NoCounterexample):
        outer = domain.get(why.var)
        if outer is not None and isinstance(outer, sp.Interval) \
                and isinstance(why.domain, sp.Interval):
            if not (prove_sign(outer.start - why.domain.start, strict=False)[0]
                    and prove_sign(why.domain.end - outer.end, strict=False)[0]):
                raise _Fail(f"the range {sp.sstr(why.domain)} does not cover the required "
                            f"range {sp.sstr(outer)} of {why.var}")
        negation = {"eq": sp.Ne(F, 0), "ne": sp.Eq(F, 0), "ge": F < 0, "gt": F <= 0}[kind]
        found = sp.solveset(negation, why.var, why.domain)
        if found is sp.S.EmptySet:
            return f"solveset: the negation has no solution for {why.var} in " \
                   f"{sp.sstr(why.domain)}"
        raise _Fail(f"solveset of the negation on {sp.sstr(why.domain)} gives "
                    f"{sp.sstr(found)}, not the empty set")
    if isinstance(why, S.Monotone):
        if kind not in ("ge", "gt"):
            raise _Fail("Monotone proves an inequality")
        var, start, end = why.var, sp.sympify(why.start), sp.sympify(why.end)
        outer = domain.get(var)
        if outer is not None:
            # the monotonicity argument covers (start, end): it must contain the context range
            if not (prove_sign(outer.start - start, strict=False)[0]
                    and prove_sign(end - outer.end, strict=False)[0]
                    if end.is_finite else prove_sign(outer.start - start, strict=False)[0]):
                raise _Fail(f"the range ({start}, {end}) does not cover the required range "
                            f"{sp.sstr(outer)} of {var}")
        value = _left_value(F, var, start)
        value_pos = prove_sign(value, strict=True, domain=domain)[0]
        if not value_pos and not prove_sign(value, strict=False, domain=domain)[0]:
            raise _Fail(f"at the left end {var} = {start} the value {sp.sstr(value)} is "
                        "not shown nonnegative")
        strict_derivative = kind == "gt" and not value_pos
        inner = dict(domain)
        inner[var] = sp.Interval.open(start, end)
        dF = sp.diff(F, var)
        d_claim = S.rel(dF, ">" if strict_derivative else ">=", 0)
        try:
            _check_claim(d_claim, why.derivative, proven, inner, ledger)
        except _Fail as exc:
            raise _Fail(f"derivative {sp.sstr(dF)}: {exc}") from None
        closed = not strict_derivative
        # the claim also holds at a finite right end, by continuity
        ledger["_domain"] = {var: sp.Interval(start, end, not closed, not end.is_finite)}
        return (f"monotone in {var} on ({start}, {end}): value {sp.sstr(value)} at the left "
                f"end, derivative {'>' if strict_derivative else '>='} 0")
    if isinstance(why, S.Rewrite):
        if why.source not in proven:
            raise _Fail(f"source step {why.source!r} is not an earlier verified step")
        source = proven[why.source]
        rules = []
        for label in why.using:
            rule = proven.get(label)
            if not isinstance(rule, sp.Eq):
                raise _Fail(f"rewrite rule {label!r} is not an earlier verified equality")
            rules.append(rule)

        def rewrite(side):
            for rule in rules:
                # structural replacement, also under integrals over the rule's variable
                side = side.xreplace({rule.lhs: rule.rhs}).subs(rule.lhs, rule.rhs)
            return side

        lhs, rhs = source.args
        candidates = [(rewrite(lhs), rewrite(rhs)), (lhs, rewrite(rhs)), (rewrite(lhs), rhs)]
        for new_lhs, new_rhs in candidates:
            if same_claim(source.func(new_lhs, new_rhs, evaluate=False), claim):
                return f"step {why.source!r} rewritten with " + ", ".join(map(repr, why.using))
        raise _Fail("the rewriting gives "
                    + sp.sstr(source.func(*candidates[0], evaluate=False)) + ", not the claim")
    if isinstance(why, S.Given):
        if why.source not in proven:
            raise _Fail(f"step {why.source!r} is not an earlier verified step")
        for var, interval in ledger["domains"].get(why.source, {}).items():
            needed = domain.get(var)
            covered = needed is not None and isinstance(needed, sp.Interval) and (
                prove_sign(needed.start - interval.start, strict=False)[0]
                and (not interval.end.is_finite
                     or prove_sign(interval.end - needed.end, strict=False)[0]))
            if not covered:
                raise _Fail(f"step {why.source!r} was proved only for {var} in "
                            f"{sp.sstr(interval)}, which does not cover the range needed here")
        if same_claim(proven[why.source], claim):
            return f"this is step {why.source!r}"
        raise _Fail(f"step {why.source!r} states {sp.sstr(proven[why.source])}, not "
                    f"{sp.sstr(claim)}")
    if isinstance(why, S.PositiveFactor):
        if kind not in ("ge", "gt"):
            raise _Fail("PositiveFactor proves an inequality")
        ok, _ = prove_sign(why.factor, strict=True, domain=domain)
        if not ok:
            raise _Fail(f"the factor {sp.sstr(why.factor)} is not shown positive")
        rest = sp.simplify(F / why.factor)
        try:
            detail = _check_claim(S.rel(rest, ">" if kind == "gt" else ">=", 0), why.rest,
                                  proven, domain, ledger)
        except _Fail as exc:
            raise _Fail(f"after removing the positive factor {sp.sstr(why.factor)}: "
                        f"{exc}") from None
        return f"positive factor {sp.sstr(why.factor)} removed; then {detail}"
    if isinstance(why, S.Substitution):
        if why.source not in proven:
            raise _Fail(f"source step {why.source!r} is not an earlier verified step")
        for old, _ in why.subs:
            if not isinstance(old, sp.Symbol):
                raise _Fail(f"substitution replaces symbols only, not {sp.sstr(old)}; use "
                            "Rewrite with a verified equality")
        _check_subs_assumptions(why.subs, f"substitution into {why.source!r}")
        _check_in_domain(why.subs, ledger["domains"].get(why.source, {}),
                         f"substitution into {why.source!r}")
        source = proven[why.source]
        inst = source.func(*(side.subs(dict(why.subs)) for side in source.args),
                           evaluate=False)
        if same_claim(inst, claim):
            return f"substitution into step {why.source!r}"
        raise _Fail(f"step {why.source!r} with the substitution gives {sp.sstr(inst)}, "
                    f"not the claim")
    if isinstance(why, S.Chain):
        return _check_chain(claim, why, proven)
    if isinstance(why, S.FromLemma):
        lemma = why.lemma
        _check_subs_assumptions(why.subs, f"lemma {lemma.name!r}")
        mapping = dict(why.subs)
        concl = lemma.conclusion.func(*(s.subs(mapping) for s in lemma.conclusion.args),
                                      evaluate=False)
        if not same_claim(concl, claim):
            raise _Fail(f"lemma {lemma.name!r} concludes {sp.sstr(concl)}, not the claim")
        for i, hyp in enumerate(lemma.hypotheses):
            inst = hyp.func(*(s.subs(mapping) for s in hyp.args), evaluate=False)
            if i >= len(why.hypotheses) or why.hypotheses[i] is None:
                raise _Fail(f"hypothesis {i + 1} of lemma {lemma.name!r} ({sp.sstr(inst)}) "
                            "is not justified")
            hyp_domain = dict(domain)
            hyp_domain.update({var: interval.subs(mapping)
                               for var, interval in lemma.domain})
            try:
                _check_claim(inst, why.hypotheses[i], proven, hyp_domain, ledger)
            except _Fail as exc:
                raise _Fail(f"hypothesis {i + 1} of lemma {lemma.name!r} "
                            f"({sp.sstr(inst)}): {exc}") from None
        if lemma.proved_in is None:
            ledger["cited"].append(f"{lemma.name}: {lemma.statement}")
        else:
            ledger["imported"].append(f"{lemma.name} (proved in `{lemma.proved_in}`, under "
                                      f"the assumptions listed there): {lemma.statement}")
        return (f"lemma {lemma.name!r}" + (f" (proved in {lemma.proved_in})"
                                           if lemma.proved_in else " (cited)")
                + f", {len(lemma.hypotheses)} hypotheses checked")
    if isinstance(why, S.Numeric):
        if kind not in ("ge", "gt"):
            raise _Fail("Numeric certifies inequalities only")
        expr = F.subs(dict(why.subs))
        ok, how = certify_sign(expr, why.var, why.lo, why.hi, strict=(kind == "gt"),
                               prec=why.prec, max_pieces=why.max_pieces)
        if not ok:
            raise _Fail(how)
        ledger["numeric"].append(how)
        return "NUMERIC " + how
    raise _Fail(f"unknown justification {why!r}")


def _left_value(F, var, start):
    """F at the left end of a monotonicity range: F(start) when F is finite there (F is
    continuous on the closed range in every use), else the one-sided limit."""
    if start.is_finite:
        value = sp.simplify(F.subs(var, start).doit())
        if value.is_finite:
            return value
        return sp.simplify(sp.limit(F, var, start, "+"))
    return sp.simplify(sp.limit(F, var, start))


def _check_chain(claim, why, proven):
    links = []
    for label in why.sources:
        if label not in proven:
            raise _Fail(f"chain link {label!r} is not an earlier verified step")
        links.append(proven[label])
    direction, strict = None, False
    oriented = []
    for link in links:
        if isinstance(link, sp.Eq):
            oriented.append((link.lhs, link.rhs))
            continue
        if isinstance(link, (sp.Le, sp.Lt)):
            d = "le"
        elif isinstance(link, (sp.Ge, sp.Gt)):
            d = "ge"
        else:
            raise _Fail(f"chain link {sp.sstr(link)} is not =, <=, <, >=, >")
        if direction not in (None, d):
            raise _Fail("chain mixes <= and >= links")
        direction = d
        strict = strict or isinstance(link, (sp.Lt, sp.Gt))
        oriented.append((link.lhs, link.rhs))
    for i in range(len(oriented) - 1):
        b, c = oriented[i][1], oriented[i + 1][0]
        if _is_zero(b - c):
            continue
        if isinstance(links[i + 1], sp.Eq) and _is_zero(b - oriented[i + 1][1]):
            oriented[i + 1] = oriented[i + 1][::-1]
            continue
        raise _Fail(f"chain broken: {sp.sstr(b)} is not {sp.sstr(c)}")
    first, last = oriented[0][0], oriented[-1][1]
    target = {None: sp.Eq, "le": sp.Lt if strict else sp.Le,
              "ge": sp.Gt if strict else sp.Ge}[direction](first, last, evaluate=False)
    weaker = {sp.Lt: sp.Le, sp.Gt: sp.Ge}
    candidates = [target]
    if type(target) in weaker:
        candidates.append(weaker[type(target)](first, last, evaluate=False))
    if any(same_claim(c, claim) for c in candidates):
        return "chain of steps " + ", ".join(repr(s) for s in why.sources)
    raise _Fail(f"the chain proves {sp.sstr(target)}, not the claim")


def check(derivation: S.Derivation) -> Report:
    """Check every step of ``derivation`` (results are cached: checking is deterministic and
    a :class:`~lab.derivation.steps.Derivation` is immutable).

    Parameters
    ----------
    derivation : Derivation

    Returns
    -------
    Report
        ``report.ok`` is True when every step verified; ``report.failures`` names the rest.

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation import Derivation, Step, Algebra, rel
    >>> x = sp.Symbol("x", positive=True)
    >>> d = Derivation("demo", "Demo", "x+x=2x", (Step("s", rel(x + x, "==", 2 * x),
    ...     Algebra()),), "done", (("D", "by hand"),))
    >>> check(d).ok
    True
    """
    try:
        return _check_cached(derivation)
    except TypeError:  # an unhashable field: check without the cache
        return _check(derivation)


@functools.lru_cache(maxsize=64)
def _check_cached(derivation: S.Derivation) -> Report:
    return _check(derivation)


def _check(derivation: S.Derivation) -> Report:
    """The uncached checker behind :func:`check`."""
    proven: dict = {}
    results = []
    ledger = {"assumptions": [], "cited": [], "numeric": [], "imported": [], "domains": {}}
    labels = set()
    for index, step in enumerate(derivation.steps, start=1):
        if step.label in labels:
            results.append(StepResult(index, step.label, False, "duplicate",
                                      f"duplicate step label {step.label!r}"))
            continue
        labels.add(step.label)
        kind = type(step.why).__name__
        try:
            detail = _check_claim(step.claim, step.why, proven, {}, ledger)
            ok = True
        except _Fail as exc:
            ok, detail = False, str(exc)
        except Exception as exc:  # noqa: BLE001 - a crash in sympy is a failed step, named
            ok, detail = False, f"error while checking: {type(exc).__name__}: {exc}"
        monotone_domain = ledger.pop("_domain", None)
        if ok and step.claim is not None:
            proven[step.label] = step.claim
            ledger["domains"][step.label] = (monotone_domain if isinstance(step.why, S.Monotone)
                                             else _step_domain(step.why))
        results.append(StepResult(index, step.label, ok, kind, detail))
    return Report(derivation.name, tuple(results), tuple(ledger["assumptions"]),
                  tuple(dict.fromkeys(ledger["cited"])), tuple(ledger["numeric"]),
                  tuple(dict.fromkeys(ledger["imported"])))
