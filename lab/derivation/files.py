"""The only I/O of the derivation package: atomic writes and stale-render detection."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` atomically (temp file in the same folder, then
    ``os.replace``). Returns True when the content changed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.md"
    >>> write_atomic(p, "hi\\n"), write_atomic(p, "hi\\n")
    (True, False)
    """
    path = Path(path)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True


def is_stale(path: Path, text: str) -> bool:
    """Whether the file at ``path`` is missing or differs from ``text``."""
    path = Path(path)
    return not path.exists() or path.read_text(encoding="utf-8") != text
