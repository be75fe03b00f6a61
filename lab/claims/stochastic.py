"""Stochastic claims and lower bounds (filled in below)."""

from __future__ import annotations


def claims() -> list:
    """The stochastic and lower-bound claims."""
    return []
