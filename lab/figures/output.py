"""Figure files (SVG + PNG), byte-stable and atomic.

Nothing written depends on the clock: SVG metadata carries no date and a fixed hash salt,
PNG metadata no software line. The bytes go through :func:`lab.writing.write_bytes`
(atomic; data files use :mod:`lab.writing` directly).
"""

from __future__ import annotations

import io
from pathlib import Path

from lab.writing import write_bytes


def save_figure(fig, stem: str | Path) -> list[Path]:
    """Save ``fig`` as ``STEM.svg`` and ``STEM.png``, byte-stable and atomically.

    Returns the two paths. The figure is closed afterwards.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from lab.figures.style import style_context
    >>> with style_context() as plt:
    ...     fig, ax = plt.subplots()
    ...     paths = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "empty")
    >>> [p.name for p in paths]
    ['empty.svg', 'empty.png']
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
