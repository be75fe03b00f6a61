"""pytest configuration for the whole repository: the docstring examples under lab/.

``python -m pytest`` collects every docstring example of every module under ``lab/``
(``--doctest-modules`` in ``pyproject.toml``): no list of modules is kept by hand. A module
that needs an optional dependency that is not installed (directly or through the lab modules
it imports at its top; the optional dependencies are the ``lazy`` list of
``[tool.clipping-lab.layers]``) is not collected, and the report header says which and why.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent

_spec = importlib.util.spec_from_file_location("code_report", ROOT / "tools" / "code_report.py")
code_report = importlib.util.module_from_spec(_spec)
sys.modules["code_report"] = code_report
_spec.loader.exec_module(code_report)


def _missing_optional() -> dict[Path, str]:
    """lab source file -> why its examples cannot run here (a missing optional dependency)."""
    config = code_report.load_config(ROOT)
    files = {code_report.module_name(p, ROOT): p for p in code_report.source_files(ROOT)}
    top: dict[str, set[str]] = {name: set() for name in files}
    for edge in code_report.imports(ROOT):
        if not edge.in_function and not edge.type_checking:
            top[edge.source].add(edge.target)
    missing = {dep for dep in config.lazy if importlib.util.find_spec(dep) is None}
    out: dict[Path, str] = {}
    for name, path in files.items():
        seen, stack = {name}, [(name, (name,))]
        while stack:
            module, chain = stack.pop()
            for target in sorted(top.get(module, ())):
                dep = target.split(".")[0]
                if dep in missing:
                    via = " -> ".join(chain)
                    out[path] = f"needs {dep} (optional, not installed), imported by {via}"
                    stack = []
                    break
                inner = code_report._resolve(target, set(files))
                if inner in files and inner not in seen:
                    seen.add(inner)
                    stack.append((inner, (*chain, inner)))
    return out


_SKIPPED = _missing_optional()


def pytest_ignore_collect(collection_path, config):
    """Leave out the modules whose optional dependency is missing (see the header)."""
    return True if Path(collection_path) in _SKIPPED else None


def pytest_report_header(config):
    """Say which modules' docstring examples are not collected here, and why."""
    if not _SKIPPED:
        return "docstring examples: every module under lab/ is collected"
    lines = ["docstring examples not collected (optional dependency missing):"]
    lines += [f"  {p.relative_to(ROOT).as_posix()}: {why}" for p, why in sorted(_SKIPPED.items())]
    return lines
