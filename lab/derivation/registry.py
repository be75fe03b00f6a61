"""Discovery of the derivations: one module per derivation in the top-level ``proofs/``
folder beside the ``lab`` package, each defining ``DERIVATION`` (a
:class:`~lab.derivation.steps.Derivation`). Module names starting with ``_`` are helpers.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import lab
from lab.errors import LabInputError


def proofs_dir() -> Path:
    """The ``proofs/`` folder of the repository holding the ``lab`` package.

    Raises
    ------
    LabInputError
        When the folder is missing (e.g. a non-editable install without the repository).

    Examples
    --------
    >>> proofs_dir().name
    'proofs'
    """
    path = Path(lab.__file__).resolve().parent.parent / "proofs"
    if not path.is_dir():
        raise LabInputError(f"no proofs/ folder at {path}: the derivations ship with the "
                            "repository; run from an editable install (pip install -e .)")
    return path


def names() -> list[str]:
    """Sorted names of the derivations in ``proofs/``.

    Examples
    --------
    >>> "blog_derivation" in names()
    True
    """
    return sorted(p.stem for p in proofs_dir().glob("*.py") if not p.stem.startswith("_"))


def load(name: str):
    """Import ``proofs/NAME.py`` and return its ``DERIVATION``.

    Raises
    ------
    LabInputError
        For an unknown name (the message lists the known ones).

    Examples
    --------
    >>> load("clipping_vs_normalized").name
    'clipping_vs_normalized'
    """
    known = names()
    if name not in known:
        raise LabInputError(f"unknown derivation {name!r}; known: {', '.join(known)}")
    module_name = f"proofs.{name}"
    module = sys.modules.get(module_name)
    if module is None:
        path = proofs_dir() / f"{name}.py"
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[module_name]
            raise
    derivation = getattr(module, "DERIVATION", None)
    if derivation is None:
        raise LabInputError(f"proofs/{name}.py defines no DERIVATION")
    return derivation


def render_path(name: str) -> Path:
    """Where the committed Markdown render of ``name`` lives: ``proofs/NAME.md``."""
    return proofs_dir() / f"{name}.md"


def index_path():
    """Where the committed index of the derivations lives: ``proofs/README.md``."""
    return proofs_dir() / "README.md"
