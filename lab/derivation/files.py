"""The derivation package's file check: is a committed render stale?

Renders are written by the front end through :func:`lab.writing.write_text` (atomic, one
permission rule); this module only compares.
"""

from __future__ import annotations

from pathlib import Path


def is_stale(path: Path, text: str) -> bool:
    """Whether the file at ``path`` is missing or differs from ``text``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.md"
    >>> is_stale(p, "hi\\n"), p.write_text("hi\\n") and is_stale(p, "hi\\n")
    (True, False)
    """
    path = Path(path)
    return not path.exists() or path.read_text(encoding="utf-8") != text
