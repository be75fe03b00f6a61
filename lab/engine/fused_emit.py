"""Statement emitters for the fused kernel: per-coordinate code, the gradient, the direction.

The generated kernel handles each run's ``d`` coordinates either *unrolled* into scalars
(``v0, v1, ...``; small ``d``, the blocked kernel with the runs of a block innermost) or as
loops over ``i`` (large ``d``, the per-run kernel, one run at a time). :class:`Emitter` writes one template either way; the functions below
write the gradient and the search direction with it. Names used in the emitted code:

* ``v*`` the point being evaluated, ``g*`` its gradient, ``gnn`` its norm, ``ok`` whether it
  is finite; ``x*``/``gb*`` a run's current iterate and gradient (the block's arrays);
* ``d*`` the search direction (gradient, plus noise, plus momentum) and ``dn`` its norm.
"""

from __future__ import annotations

from lab.engine.codegen import Program, scalar_source
from lab.engine.custom import gradient_call


def indent(lines: list[str], depth: int) -> list[str]:
    """``lines`` indented by ``depth`` levels of four spaces."""
    return ["    " * depth + line for line in lines]


#: name of each per-coordinate quantity -> (unrolled form, per-run loop form)
_NAMES = {
    "d": ("d{i}", "dv[i]"), "v": ("v{i}", "vv[i]"), "g": ("g{i}", "gw[i]"),
    "n": ("n{i}", "nv[i]"), "A": ("A{i}", "A[i]"), "x": ("xb[{i}, j]", "xv[i]"),
    "gb": ("gb[{i}, j]", "gv[i]"), "m": ("mb[{i}, j]", "mv[i]"),
    "X": ("X[{i}, lo + j]", "X[lo + j, i]"),
}


class Emitter:
    """Per-coordinate statements, unrolled into scalars or written as loops over ``i``.

    Examples
    --------
    >>> Emitter(2, unrolled=True).each("{x} = {v}")
    ['xb[0, j] = v0', 'xb[1, j] = v1']
    >>> Emitter(5, unrolled=False).each("{x} = {v}")
    ['for i in range(D):', '    xv[i] = vv[i]']
    """

    def __init__(self, dim: int, unrolled: bool):
        self.dim, self.unrolled = dim, unrolled
        self._form = 0 if unrolled else 1

    def names(self, i) -> dict:
        """Template field -> the name of coordinate ``i`` (an int, or ``"i"`` in a loop)."""
        return {key: forms[self._form].format(i=i) for key, forms in _NAMES.items()} | \
            {"i": str(i)}

    def each(self, template: str) -> list[str]:
        """``template`` for every coordinate."""
        if self.unrolled:
            return [template.format(**self.names(i)) for i in range(self.dim)]
        return ["for i in range(D):", "    " + template.format(**self.names("i"))]

    def total(self, target: str, term: str) -> list[str]:
        """``target = term_0 + term_1 + ...`` left to right (as NumPy's axis-0 sum)."""
        if self.unrolled:
            out = [f"{target} = " + term.format(**self.names(0))]
            out += [f"{target} = {target} + " + term.format(**self.names(i))
                    for i in range(1, self.dim)]
            return out
        first = {k: v.replace("[i", "[0") for k, v in self.names("i").items()}
        return [f"{target} = " + term.format(**first),
                "for i in range(1, D):",
                f"    {target} = {target} + " + term.format(**self.names("i"))]


def finite(norm: str, others: list[str]) -> str:
    """``norm`` (>= 0 or nan) and every one of ``others`` finite, in one comparison:
    ``x * 0.0`` is ``±0`` for finite ``x`` and ``nan`` otherwise, so the sum below is a finite
    number exactly when all are finite (``nan < INF`` and ``inf < INF`` are False).

    Examples
    --------
    >>> finite("gnn", ["v0", "v1"])
    'ok = (v0 * 0.0 + v1 * 0.0 + gnn) < INF'"""
    return "ok = (" + " + ".join([f"{name} * 0.0" for name in others] + [norm]) + ") < INF"


def grad_lines(prog: Program, em: Emitter) -> list[str]:
    """Gradient at the point ``v`` -> components ``g``, norm ``gnn``, finiteness ``ok``."""
    d = prog.dim
    if prog.kind == "custom":
        body = [gradient_call(prog)]
    else:
        body = scalar_source(prog)["body"].splitlines()
    if prog.kind in ("explicit", "custom"):
        gnn = "abs(g0)" if d == 1 else "math.sqrt(" + " + ".join(
            f"g{i}*g{i}" for i in range(d)) + ")"
        return body + [f"gnn = {gnn}", finite("gnn", [f"v{i}" for i in range(d)])]
    if prog.kind == "ridge":
        lines = em.total("z", "{v} * {A}") + body
        lines += ["gnn = abs(hp) * ANORM", finite("gnn", ["z"])]
        return lines + em.each("{g} = hp * {A}")
    lines = em.total("z", "{v} * {v}") + body
    lines += ["c = 2.0 * hp", "gnn = abs(c) * math.sqrt(z)", finite("gnn", ["z"])]
    return lines + em.each("{g} = c * {v}")


def _noise(noise: str, em: Emitter, gn: str) -> list[str]:
    """Add the noise ``ξ`` of iteration ``t`` (counter-based, see lab.engine.noise) to ``d``."""
    lines = ["key = keys[lo + j]", "base = np.uint64(2 * (D + 1)) * np.uint64(t - 1)"]
    if noise == "adversarial":
        return lines + [f"scale = -tau / {gn} if {gn} > 0 else 0.0"] + \
            em.each("{d} = {d} + {gb} * scale")
    lines += em.each("{n} = normal(key, base + np.uint64(2) * np.uint64({i}))")
    if noise == "gaussian":
        return lines + ["sd = tau / math.sqrt(D)"] + em.each("{d} = {d} + {n} * sd")
    lines += em.total("zn", "{n} * {n}") + ["zn = math.sqrt(zn)"]
    lines += (["r = tau"] if noise == "sphere" else
              ["r = tau * uniform01(key, base + np.uint64(2 * D)) ** (1.0 / D)"])
    return lines + em.each("{d} = {d} + ({n} / zn) * r")


def direction_lines(method, em: Emitter, gn: str = "gnb[j]") -> list[str]:
    """Direction ``d`` = gradient (+ noise, + momentum) and its norm ``dn``."""
    lines = em.each("{d} = {gb}") + [f"dn = {gn}"]
    if method.noise is None:
        return lines
    lines += _noise(method.noise, em, gn)
    if method.momentum is not None:
        lines += ["if t == 1:"] + indent(em.each("{m} = {d}"), 1)
        lines += ["else:"] + indent(em.each("{m} = mom * {m} + (1.0 - mom) * {d}"), 1)
        lines += em.each("{d} = {m}")
    lines += (["dn = abs(d0)"] if em.unrolled and em.dim == 1 else
              em.total("dn", "{d} * {d}") + ["dn = math.sqrt(dn)"])
    return lines


def param_views(pargs: list[str]) -> list[str]:
    """The block's slice ``q{k} = p{k}[lo:lo + m]`` of every per-run parameter (named
    ``q{k}[j]`` in ``pargs``): indexed by the block-local ``j >= 0``, its loads are contiguous
    and vectorize (``p{k}[lo + j]`` may be negative for numba, whose wraparound turns the
    load into a gather).

    Examples
    --------
    >>> param_views(["q0[j]", "p1"])
    ['q0 = p0[lo:lo + m]']
    """
    return [f"{a[:-3]} = p{a[1:-3]}[lo:lo + m]" for a in pargs if a.endswith("[j]")]


def decode_lines(e: str, at: str) -> list[str]:
    """Write run ``at``'s status, hit, divergence and final iteration from its event code
    (every one of them, for every run: the output arrays come uninitialized)."""
    return [f"if {e} >= 0.0:",
            f"    status[{at}] = CONVERGED",
            f"    hit[{at}] = int({e})",
            f"    div_at[{at}] = -1",
            f"    iters[{at}] = int({e})",
            f"elif {e} <= -2.0:",
            f"    status[{at}] = DIVERGED",
            f"    hit[{at}] = -1",
            f"    div_at[{at}] = int(-{e}) - 2",
            f"    iters[{at}] = max(int(-{e}) - 3, 0)",
            "else:",
            f"    status[{at}] = BUDGET",
            f"    hit[{at}] = -1",
            f"    div_at[{at}] = -1",
            f"    iters[{at}] = T"]
