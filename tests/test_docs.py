"""The documentation's examples run: README's Python snippets and the public docstrings."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import lab

ROOT = Path(__file__).resolve().parents[1]


def test_readme_examples_run():
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


FOUNDATION = ["lab.validate", "lab.writing", "lab.formula", "lab.functions", "lab.functions.base",
              "lab.functions.frontier",
              "lab.functions.parse", "lab.smoothness", "lab.smoothness.certify",
              "lab.smoothness.univariate", "lab.smoothness.hunt", "lab.smoothness.lookup"]


@pytest.mark.parametrize("module_name", FOUNDATION)
def test_docstring_examples_run(module_name):
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
