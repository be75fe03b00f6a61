"""clipping-lab: verify the theory of gradient clipping under (L0,L1)-smoothness.

The import name is ``lab``; the command line is ``python -m lab`` (or ``clipping-lab``).
Layers, lowest first (the README's "Architecture" and ``[tool.clipping-lab.layers]`` of
pyproject.toml): infrastructure (``lab.errors``, ``lab.formula``, ``lab.validate``,
``lab.writing``), ``lab.functions`` (the zoo, defined once in sympy), ``lab.smoothness``
(certified (L0, L1) constants), ``lab.classes``, ``lab.methods``, ``lab.engine`` (batched runs),
``lab.adversary``, ``lab.derivation`` (machine-checked derivations), ``lab.claims`` (theorems as
data), ``lab.figures`` and ``lab.network``, and the front end ``lab.cli``.
"""

__version__ = "0.1.0"
