"""The examples in the network package's docstrings run (the torch ones only with torch)."""

from __future__ import annotations

import doctest
import importlib

import pytest

import lab.network

PURE = ["lab.network", "lab.network.config", "lab.network.data",
        "lab.network.stats", "lab.network.tables"]
TORCH = ["lab.network.models", "lab.network.train", "lab.network.experiment",
         "lab.network.figures"]


@pytest.mark.parametrize("name", PURE + TORCH)
def test_docstring_examples(name):
    if name in TORCH and not lab.network.torch_available():
        pytest.skip("needs torch and scikit-learn (the [nn] extra)")
    if name == "lab.network.data":
        pytest.importorskip("sklearn")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
