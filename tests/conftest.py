"""Shared pytest configuration: the hypothesis profiles.

``ci`` (the default, used by the README test command): deterministic, bounded examples, no
deadline (the machines are shared and noisy). ``thorough``: long hunts for counterexamples,
``HYPOTHESIS_PROFILE=thorough python -m pytest``. ``dev``: a quick local loop.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=15, deadline=None)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
