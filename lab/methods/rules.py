"""Step-size rules as data: source text over a small vocabulary, compiled for every backend.

A rule maps an array ``g`` of gradient norms (any shape) and parameters (scalars or arrays
broadcasting against ``g``) to the step ``h`` of the update ``x+ = x - h ∇f(x)``. Each rule is a
:class:`StepRule`: its parameter names and a few lines of source written against the names of
:data:`VOCABULARY` only (``where``, ``minimum``, ``log1p``, ``full_like``, ``exp`` ...). Every
backend compiles that *same text* against its own implementation of the vocabulary: NumPy
(:data:`NUMPY_NAMES`), an array-API namespace or CuPy (:mod:`lab.engine.namespaces`), or scalar
numba functions pasted into the fused kernel (:mod:`lab.engine.fused_support`). So every backend
runs the same formula with the same order of floating-point operations, and the kernel never
reads Python source back with ``inspect`` (a decorator or an instrumented copy cannot break it).
A user's rule (:func:`lab.methods.user_rule`) is printed from its expression into the same form.

Conventions (decided once, followed on every backend)
-----------------------------------------------------
* No epsilon is added to the norm (optax's choice; PyTorch's ``clip_grad_norm_`` adds 1e-6).
* ``g = 0``: a rule returns its limit as ``g -> 0+``, which may be ``+inf`` (for example
  ``normalized`` with ``beta = 0``, or ``eta_star`` with ``L0 = 0``). The engine never applies
  a step at ``g = 0``: such a run has already reached ``||∇f|| <= eps`` (``eps >= 0``).
* ``g = +inf``: the limit (``0`` for the clipped, normalized and model steps; the fixed step
  ``h`` for ``gd``). The engine marks a run whose gradient overflows as diverged first.
* ``g = nan``: the step is ``nan`` (``gd``: ``h``).
* No warning is ever emitted: the public wrappers evaluate under a local ``np.errstate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

__all__ = ["StepRule", "RULES", "VOCABULARY", "NUMPY_NAMES", "compile_rule", "numpy_rule",
           "get_rule", "evaluate"]

#: the names a rule's source may use (functions, and the constants inf and nan); every
#: backend provides all of them
VOCABULARY = ("where", "minimum", "maximum", "full_like", "absolute", "sqrt", "exp", "log",
              "log1p", "sin", "cos", "tan", "sinh", "cosh", "tanh", "atan", "asinh", "inf", "nan")


def _full_like(g, h):
    """``h`` broadcast to the shape of ``g``."""
    return h + np.zeros(np.shape(g))


#: the vocabulary implemented with NumPy
NUMPY_NAMES: dict[str, Callable] = {
    "where": np.where, "minimum": np.minimum, "maximum": np.maximum, "full_like": _full_like,
    "absolute": np.abs, "sqrt": np.sqrt, "exp": np.exp, "log": np.log, "log1p": np.log1p,
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "sinh": np.sinh, "cosh": np.cosh,
    "tanh": np.tanh, "atan": np.arctan, "asinh": np.arcsinh, "inf": np.inf, "nan": np.nan,
}


@dataclass(frozen=True)
class StepRule:
    """A step rule as source text: ``params`` in call order and the body's lines.

    Attributes
    ----------
    name : str
        The rule's name (a key of :data:`RULES` for the built-in rules).
    params : tuple of str
        Parameter names, in call order after ``g``.
    body : tuple of str
        Statements assigning temporaries; the last line is the step as an expression. Only
        ``g``, the parameters, the temporaries, float literals and :data:`VOCABULARY` appear.
    doc : str
        One line: the formula and its edge cases.

    Examples
    --------
    >>> print(RULES["clipped"].source("step"))
    def step(g, eta, gamma):
        return where(g <= gamma, eta, eta * (gamma / g))
    """

    name: str
    params: tuple[str, ...]
    body: tuple[str, ...]
    doc: str = ""

    def source(self, function_name: str = "step") -> str:
        """The rule as the source of one Python function called ``function_name``."""
        lines = [f"def {function_name}(g, {', '.join(self.params)}):"]
        lines += ["    " + line for line in self.body[:-1]]
        lines.append("    return " + self.body[-1])
        return "\n".join(lines)


def compile_rule(rule: StepRule, names: Mapping[str, Any]) -> Callable:
    """The rule as a function ``step(g, *params)`` with the vocabulary bound to ``names``.

    Examples
    --------
    >>> step = compile_rule(RULES["smoothed_clipping"], NUMPY_NAMES)
    >>> float(step(1.0, 0.5, 1.0))
    0.25
    """
    namespace = dict(names)
    exec(compile(rule.source("step"), f"<step rule {rule.name}>", "exec"), namespace)
    step = namespace["step"]
    step.__doc__ = rule.doc
    return step


_NUMPY_RULES: dict[StepRule, Callable] = {}


def numpy_rule(rule: StepRule) -> Callable:
    """The rule compiled against NumPy (cached)."""
    step = _NUMPY_RULES.get(rule)
    if step is None:
        step = _NUMPY_RULES[rule] = compile_rule(rule, NUMPY_NAMES)
    return step


def _rule(name: str, params: str, *body: str, doc: str) -> StepRule:
    return StepRule(name, tuple(params.split()), tuple(body), doc)


#: rule name -> built-in :class:`StepRule`
RULES: dict[str, StepRule] = {rule.name: rule for rule in (
    _rule("gd", "h", "full_like(g, h)", doc="Fixed step: ``h`` whatever the gradient norm."),
    _rule("clipped", "eta gamma", "where(g <= gamma, eta, eta * (gamma / g))",
          doc="Clipped GD: ``min{eta, gamma*eta/g}``; ``eta`` for ``g <= gamma`` (also g = 0)."),
    _rule("normalized", "eta beta", "eta / (g + beta)", doc="Normalized GD: ``eta/(g + beta)``."),
    _rule("quadratic_model", "L0 L1", "1.0 / (L0 + where(L1 > 0.0, L1 * g, 0.0))",
          doc="The quadratic-model (the blog's 'optimal') step ``1/(L0 + L1 g)``."),
    _rule("eta_star", "L0 L1",
          "lg = where(L1 > 0.0, L1 * g, 0.0)",
          "den = L0 + lg",
          "u = 1.0 / (1.0 + L0 / lg)",
          "phi = where(u > 0.0, log1p(u) / u, 1.0)",
          "phi / den",
          doc="The exponential-model step ``ln(1 + L1 g/(L0 + L1 g))/(L1 g)``, written as "
              "``phi(u)/(L0 + L1 g)`` with ``u = L1 g/(L0 + L1 g)`` and ``phi(u) = "
              "log1p(u)/u`` (``phi(0) = 1``): ``1/L0`` at ``g -> 0`` or ``L1 = 0`` (``+inf`` "
              "when ``L0 = 0``), ``0`` at ``g = inf``."),
    _rule("eta_si", "L0 L1", "1.0 / (L0 + where(L1 > 0.0, 1.5 * L1 * g, 0.0))",
          doc="The simplified exponential-model step ``1/(L0 + 1.5 L1 g)``."),
    _rule("eta_cl", "L0 L1",
          "minimum(1.0 / (2.0 * L0), 1.0 / where(L1 > 0.0, 3.0 * L1 * g, 0.0))",
          doc="The clipping-like step ``min{1/(2 L0), 1/(3 L1 g)}`` (``1/0 = +inf``)."),
    _rule("smoothed_clipping", "eta gamma", "eta * (gamma / (g + gamma))",
          doc="Smoothed clipping ``eta * gamma/(g + gamma)`` (the blog's normalized form)."),
    _rule("clipped_sgd_theorem7", "eta L1 tau",
          "minimum(1.0 / (16.0 * eta * where(L1 > 0.0, L1 * (g + tau), 0.0)), eta)",
          doc="Theorem 7's clipped-SGD step ``min{1/(16 eta L1 (g + tau)), eta}``."),
)}


def get_rule(rule: str | StepRule) -> StepRule:
    """A :class:`StepRule` from itself or from the name of a built-in rule."""
    return rule if isinstance(rule, StepRule) else RULES[rule]


def evaluate(rule: str | StepRule, g: Any, **params: Any) -> np.ndarray:
    """Evaluate a rule with NumPy, without warnings.

    Examples
    --------
    >>> evaluate("clipped", np.array([0.0, 1.0, 4.0]), eta=0.5, gamma=2.0)
    array([0.5 , 0.5 , 0.25])
    """
    rule = get_rule(rule)
    g = np.asarray(g, dtype=np.float64)
    with np.errstate(all="ignore"):
        args = (np.asarray(params[k], dtype=np.float64) for k in rule.params)
        return np.asarray(numpy_rule(rule)(g, *args), dtype=np.float64)
