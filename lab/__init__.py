"""clipping-lab: verify the theory of gradient clipping under (L0,L1)-smoothness.

The import name is ``lab``; the command line is ``python -m lab`` (or ``clipping-lab``).
Layers, top to bottom: ``lab.functions`` (the zoo, defined once in sympy), ``lab.smoothness``
(certified (L0, L1) constants), ``lab.methods`` and ``lab.engine`` (batched runs),
``lab.claims`` (theorems as data), ``lab.derivation`` (machine-checked derivations),
and the front ends in ``lab.cli``.
"""

__version__ = "0.1.0"
