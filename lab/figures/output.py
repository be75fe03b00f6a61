"""Atomic, deterministic file output: text, CSV tables and figures (SVG + PNG).

Every file is written to a temporary file in the destination folder and moved into place
with :func:`os.replace`, so a reader never sees a half-written file. Nothing written
depends on the clock: SVG metadata carries no date and a fixed hash salt, PNG metadata no
software line, and numbers are formatted with a fixed number of significant digits.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Sequence

#: significant digits of floats in data files
DIGITS = 10


def write_bytes(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return whether the content changed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_bytes(d / "a.txt", b"x"), write_bytes(d / "a.txt", b"x")
    (True, False)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() == data:
        return False
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> bool:
    """Write UTF-8 text atomically (see :func:`write_bytes`)."""
    return write_bytes(path, text.encode("utf-8"))


def fmt_value(value: Any) -> str:
    """A table cell: floats with :data:`DIGITS` significant digits, others with ``str``.

    Examples
    --------
    >>> fmt_value(1 / 3), fmt_value(float("inf")), fmt_value(7), fmt_value(True)
    ('0.3333333333', 'inf', '7', 'True')
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{DIGITS}g}"
    try:
        import numpy as np

        if isinstance(value, np.floating):
            return f"{float(value):.{DIGITS}g}"
        if isinstance(value, np.integer):
            return str(int(value))
    except ImportError:  # pragma: no cover
        pass
    return "" if value is None else str(value)


def csv_text(rows: Sequence[dict], columns: Iterable[str] | None = None) -> str:
    """Rows (dicts) as CSV text with a header; column order from ``columns`` or row 1.

    Examples
    --------
    >>> print(csv_text([{"a": 1, "b": 0.5}]), end="")
    a,b
    1,0.5
    """
    cols = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([fmt_value(row.get(c)) for c in cols])
    return buf.getvalue()


def write_csv(path: str | Path, rows: Sequence[dict], columns: Iterable[str] | None = None) -> bool:
    """Write rows as CSV atomically (see :func:`csv_text`)."""
    return write_text(path, csv_text(rows, columns))


def save_figure(fig, stem: str | Path) -> list[Path]:
    """Save ``fig`` as ``STEM.svg`` and ``STEM.png``, byte-stable and atomically.

    Returns the two paths. The figure is closed afterwards.
    """
    import matplotlib.pyplot as plt

    stem = Path(stem)
    out = []
    for ext, meta in (("svg", {"Date": None, "Creator": None}), ("png", {"Software": None})):
        buf = io.BytesIO()
        with plt.rc_context({"svg.hashsalt": "clipping-lab"}):
            fig.savefig(buf, format=ext, metadata=meta)
        path = stem.with_suffix(f".{ext}")
        write_bytes(path, buf.getvalue())
        out.append(path)
    plt.close(fig)
    return out
