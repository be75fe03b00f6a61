"""The fused kernels' cache: generated modules written once per source and imported.

A kernel module is keyed by the SHA-1 of its source, written atomically (:mod:`lab.writing`) to the cache directory
and imported from there, so numba's on-disk cache (``cache=True``) makes the compile a one-time
cost per machine. ``LAB_KERNEL_CACHE`` overrides the directory (default
``~/.cache/clipping-lab/kernels``; a temporary directory when that is not writable).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
import threading
from pathlib import Path

from lab.writing import write_text

_LOADED: dict[str, object] = {}
_LOCK = threading.Lock()


def cache_dir() -> Path:
    """Where generated kernel modules (and numba's cache) live."""
    env = os.environ.get("LAB_KERNEL_CACHE")
    base = Path(env) if env else Path.home() / ".cache" / "clipping-lab" / "kernels"
    try:
        base.mkdir(parents=True, exist_ok=True)
        probe = base / ".probe"
        probe.write_text("")
        probe.unlink()
        return base
    except OSError:
        fallback = Path(tempfile.gettempdir()) / "clipping-lab-kernels"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


def load_kernel(source: str, name: str = "kernel"):
    """The function ``name`` of the module whose source is ``source`` (imported once).

    Examples
    --------
    >>> twice = load_kernel("from numba import njit\\n\\n@njit(cache=True)\\n"
    ...                     "def twice(x):\\n    return 2.0 * x\\n", "twice")
    >>> twice(1.5)
    3.0"""
    digest = hashlib.sha1(source.encode()).hexdigest()[:20]
    with _LOCK:
        if digest not in _LOADED:
            module_name = f"lab_kernel_{digest}"
            path = cache_dir() / f"{module_name}.py"
            write_text(path, source)   # atomic; a file already holding the source is kept
            spec = importlib.util.spec_from_file_location(module_name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
            _LOADED[digest] = module
        return getattr(_LOADED[digest], name)
