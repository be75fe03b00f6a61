"""The paper's real-network experiments at laptop scale (optional: needs ``[nn]``).

Placeholder while the package is being built; see the final docstring in later commits.
"""
