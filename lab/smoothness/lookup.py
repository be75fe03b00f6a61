"""The frontier lookup: the smallest valid L0 of a function for one L1.

A zoo member states its frontier (:class:`lab.functions.frontier.Frontier`): a closed form,
"none" (no constants work), or "certifier" (no closed form stated: computed here). This lookup
lives in :mod:`lab.smoothness` so that :mod:`lab.functions` (layer 1) never imports the
certifier (layer 2).
"""

from __future__ import annotations

from lab.functions.base import Objective
from lab.smoothness.certify import min_valid_l0


def frontier_l0(function: Objective, L1: float) -> float:
    """Smallest L0 such that ``function`` is (L0, L1)-smooth (``inf`` if none).

    The closed-form frontier when one is stated, the certifier otherwise.

    Examples
    --------
    >>> from lab.functions import get_function
    >>> frontier_l0(get_function("quartic"), 2.0)
    4.0
    >>> frontier_l0(get_function("exp"), 0.5)
    inf
    """
    frontier = function.info.frontier
    if frontier.kind == "certifier":
        return min_valid_l0(function, L1).value
    return frontier.l0_for(L1)
