"""Step-size methods: pure step rules, method records with a registry, theorem parameters.

Examples
--------
>>> from lab.methods import get_method, theorem3_clipped
>>> m = get_method("clipped", eta=0.1, gamma=1.0)
>>> m.step([0.5, 4.0])
array([0.1  , 0.025])
>>> theorem3_clipped(L0=2.0, L1=1.0)
clipped(eta=0.05, gamma=2.0)
"""

from lab.methods.catalog import (
    METHODS,
    clipped,
    clipped_sgd,
    clipped_sgd_momentum,
    eta_cl,
    eta_si,
    eta_star,
    gd,
    get_method,
    method_from_spec,
    method_names,
    normalized,
    quadratic_model,
    sgd,
    smoothed_clipping,
)
from lab.methods.method import NOISE_MODELS, Method
from lab.methods.rules import RULES, StepRule
from lab.methods.theory import (
    normalized_from_clipped,
    theorem3_clipped,
    theorem6_gd,
    theorem7_clipped_sgd,
    theorem8_sgd,
)
from lab.methods.user_rule import user_rule

__all__ = [
    "Method", "METHODS", "RULES", "NOISE_MODELS", "get_method", "method_names", "gd", "clipped",
    "normalized", "quadratic_model", "eta_star", "eta_si", "eta_cl", "smoothed_clipping", "sgd",
    "clipped_sgd", "clipped_sgd_momentum", "theorem3_clipped", "theorem6_gd",
    "theorem7_clipped_sgd", "theorem8_sgd", "normalized_from_clipped", "StepRule", "user_rule", "method_from_spec",
]
