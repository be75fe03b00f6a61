"""The engine's and the methods' docstring examples run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["lab.methods", "lab.methods.rules", "lab.methods.user_rule", "lab.methods.rule_printer", "lab.methods.method", "lab.methods.catalog",
           "lab.methods.theory", "lab.engine", "lab.engine.api", "lab.engine.noise",
           "lab.engine.result", "lab.engine.fused_emit", "lab.engine.fused_source",
           "lab.engine.fused_math", "lab.engine.fused_wide", "lab.engine.custom",
           "lab.engine.fused_cache", "lab.functions.scalar_gradient"]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name):
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
