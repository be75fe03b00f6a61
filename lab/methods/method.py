"""The :class:`Method` record: a named step rule with validated parameters.

A method is data: a registry name, the step rule it uses, its parameters (scalars, or arrays
with one value per run), and for stochastic methods the noise model. Its ``repr`` reproduces
the call that built it, e.g. ``clipped(eta=0.1, gamma=1.0)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np

from lab.errors import LabInputError
from lab.methods import rules
from lab.validate import check_numbers

#: A noise model of the stochastic oracle ``∇f(x) + ξ``: see :mod:`lab.engine.noise`.
NoiseModel = Literal["ball", "sphere", "adversarial", "gaussian"]

#: The noise models, in the order of :data:`NoiseModel`.
NOISE_MODELS: tuple[str, ...] = get_args(NoiseModel)


def _fmt(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r})"
    return repr(value)


@dataclass(frozen=True, eq=False, kw_only=True)
class Method:
    """A step-size method: ``x+ = x - h(||d||, params) d``.

    ``d`` is the gradient (deterministic methods), the stochastic gradient (``sgd``,
    ``clipped_sgd``) or the momentum average (``clipped_sgd_momentum``).

    Attributes
    ----------
    name : str
        Registry name (``python -m lab run --method NAME``).
    rule : str or StepRule
        Key of a built-in step rule in :data:`lab.methods.rules.RULES`, or the rule itself
        (a user's rule, :func:`lab.methods.user_rule`).
    params : dict
        Rule parameters: float, or float64 array of shape ``(n,)`` (one value per run).
    noise : str or None
        Noise model for stochastic methods (one of :data:`NOISE_MODELS`).
    tau : float
        Noise level: ``||ξ|| <= tau`` almost surely (``gaussian``: ``E||ξ||² = tau²``).
    momentum : float or None
        ``beta`` of the momentum average ``m+ = beta m + (1 - beta) g̃`` (``m_0 = g̃_0``).
    args : tuple
        Positional arguments of the constructor, shown first by ``repr`` (a user rule's
        expression).
    """

    name: str
    rule: str | rules.StepRule
    params: dict = field(default_factory=dict)
    noise: NoiseModel | None = None
    tau: float = 0.0
    momentum: float | None = None
    extra: dict = field(default_factory=dict)
    args: tuple = ()

    @property
    def stochastic(self) -> bool:
        """Whether the method queries a noisy gradient oracle."""
        return self.noise is not None

    @property
    def step_rule(self) -> rules.StepRule:
        """The :class:`~lab.methods.rules.StepRule` this method steps with."""
        return rules.get_rule(self.rule)

    @property
    def param_names(self) -> tuple[str, ...]:
        """The rule's parameter names, in call order."""
        return self.step_rule.params

    def step(self, g: Any) -> np.ndarray:
        """Steps for an array of gradient norms (NumPy, no warnings).

        Examples
        --------
        >>> from lab.methods import clipped
        >>> clipped(eta=0.5, gamma=2.0).step([1.0, 8.0])
        array([0.5  , 0.125])
        """
        return rules.evaluate(self.step_rule, g, **self.params)

    def per_run(self, n: int) -> dict[str, Any]:
        """Parameters with arrays checked against the batch size ``n``."""
        out = {}
        for key, value in self.params.items():
            if isinstance(value, np.ndarray) and value.ndim == 1 and value.shape[0] not in (1, n):
                raise LabInputError(
                    f"{self.name}: parameter {key} has {value.shape[0]} values but the batch "
                    f"has {n} runs; give one value or one per run"
                )
            out[key] = float(value[0]) if isinstance(value, np.ndarray) and value.size == 1 \
                else value
        return out

    def __repr__(self) -> str:
        args = dict(self.params)
        args.update(self.extra)
        if self.noise is not None:
            args["tau"] = self.tau
            args["noise"] = self.noise
        if self.momentum is not None:
            args["momentum"] = self.momentum
        shown = [_fmt(a) for a in self.args] + [f"{k}={_fmt(v)}" for k, v in args.items()]
        return f"{self.name}({', '.join(shown)})"


def check_param(method: str, name: str, value: Any, *, zero: bool = False, inf: bool = False,
                what: str = "") -> float | np.ndarray:
    """Validate one parameter: a positive (or non-negative) float or 1-D float array.

    A scalar comes back as ``float``, per-run values as a read-only float64 array
    (:func:`lab.validate.check_numbers`).

    Raises
    ------
    LabInputError
        Naming the method, the parameter, the bad value and what is allowed.

    Examples
    --------
    >>> check_param("gd", "h", 0.5)
    0.5
    >>> check_param("clipped", "gamma", float("inf"), inf=True)
    inf
    """
    return check_numbers(value, f"{method}: {name}", low=0, low_open=not zero, allow_inf=inf,
                         hint=what)
