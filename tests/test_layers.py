"""The layer order is a contract: lower layers never import higher ones, no cycles between
packages or modules, imports at the module top unless a listed reason allows otherwise.

The order lives in one place, ``[tool.clipping-lab.layers]`` of ``pyproject.toml`` (the README's
architecture section states it in words); the import graph is read from the source by
``tools/code_report.py`` (``python tools/code_report.py`` prints the same findings).
"""

from __future__ import annotations

import subprocess
import sys

import code_report  # loaded from tools/ by the repository's conftest.py

#: imports inside functions that another helper's open work removes (file, target), while
#: that work is in flight (empty: the lead deletes this list at the end)
PENDING_LAZY: set[tuple[str, str]] = set()


def _edges():
    return code_report.imports(code_report.ROOT)


def test_no_lower_layer_imports_a_higher_one():
    config = code_report.load_config(code_report.ROOT)
    problems = code_report.layer_violations(_edges(), config)
    assert not problems, "layer order broken:\n" + "\n".join(problems)


def test_every_package_has_a_layer():
    """A new package under lab/ must be placed in the layer order before it is imported."""
    config = code_report.load_config(code_report.ROOT)
    modules = [code_report.module_name(p) for p in code_report.source_files()]
    missing = sorted(m for m in modules if config.layer_of(m) is None)
    assert not missing, ("add these to [tool.clipping-lab.layers] in pyproject.toml: "
                         + ", ".join(missing))


def test_no_cycle_between_packages():
    cycles = code_report.package_cycles(_edges())
    assert not cycles, "\n".join(f"cycle {' <-> '.join(c)} through: {'; '.join(e)}"
                                 for c, e in cycles)


def test_no_cycle_between_modules():
    cycles = code_report.module_cycles(_edges())
    assert not cycles, "\n".join(f"cycle {' <-> '.join(c)} through: {'; '.join(e)}"
                                 for c, e in cycles)


def test_imports_sit_at_the_module_top():
    config = code_report.load_config(code_report.ROOT)
    lazy = [e for e in _edges() if (e.path, e.target) not in PENDING_LAZY]
    problems = code_report.imports_in_functions(lazy, config)
    assert not problems, ("imports inside functions (allowed only for the optional "
                          "dependencies and the modules listed with a reason in "
                          "[tool.clipping-lab.layers]):\n" + "\n".join(problems))


def test_the_checker_sees_a_violation(tmp_path):
    """The rules can fail: a small tree with an upward import, a cycle and a lazy import."""
    (tmp_path / "lab" / "functions").mkdir(parents=True)
    (tmp_path / "lab" / "engine").mkdir()
    (tmp_path / "lab" / "__init__.py").write_text("")
    (tmp_path / "lab" / "functions" / "__init__.py").write_text("from lab.engine import run\n")
    (tmp_path / "lab" / "engine" / "__init__.py").write_text(
        "from lab.functions import f\n\ndef run():\n    import lab.functions\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clipping-lab.layers]\norder = [["lab"], ["lab.functions"], ["lab.engine"]]\n'
        'lazy = []\n')
    edges = code_report.imports(tmp_path)
    config = code_report.load_config(tmp_path)
    (violation,) = code_report.layer_violations(edges, config)
    assert violation.startswith("lab/functions/__init__.py:1: lab.functions (layer 1")
    assert "imports lab.engine (layer 2" in violation
    assert [c for c, _ in code_report.package_cycles(edges)] == [["lab.engine", "lab.functions"]]
    assert [c for c, _ in code_report.module_cycles(edges, tmp_path)] == \
        [["lab.engine", "lab.functions"]]
    (lazy,) = code_report.imports_in_functions(edges, config)
    assert lazy.startswith("lab/engine/__init__.py:4: lab.engine imports lab.functions")


def test_the_report_command_runs():
    out = subprocess.run([sys.executable, str(code_report.ROOT / "tools" / "code_report.py")],
                         capture_output=True, text=True, check=True).stdout
    assert "layer violations:" in out and "docstring examples:" in out
