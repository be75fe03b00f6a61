"""Claims as data: the catalogue of theorems and facts, and three ways to check them.

Examples
--------
>>> from lab.claims import check_claim
>>> check_claim("mistake-exp-sum-l0-zero", budget="quick").verdict
'refuted'
"""

from lab.claims.catalog import catalog
from lab.claims.check import check_all, check_claim, get_claim
from lab.claims.claim import (BUDGETS, Budget, Claim, ClaimVerdict, Observation, Prove, Search,
                              Sweep)

__all__ = ["catalog", "get_claim", "check_claim", "check_all", "Claim", "ClaimVerdict",
           "Observation", "Search", "Sweep", "Prove", "Budget", "BUDGETS"]
