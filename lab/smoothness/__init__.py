"""Certified (L0, L1) constants: exact where sympy can decide, numeric (and labelled) otherwise.

Examples
--------
>>> from lab.smoothness import check_smoothness
>>> print(check_smoothness("exp(x)", 0, 1).summary().splitlines()[0])
holds: (L0,L1)-smooth with (L0, L1) = (0, 1) on R
"""

from lab.smoothness.certify import check_smoothness, min_valid_l0
from lab.smoothness.lookup import frontier_l0
from lab.smoothness.verdict import FrontierValue, SmoothnessVerdict

__all__ = ["check_smoothness", "min_valid_l0", "frontier_l0", "SmoothnessVerdict",
           "FrontierValue"]
