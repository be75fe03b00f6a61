"""One plotting style for every figure of the lab (matplotlib, Agg backend).

Colours and labels are fixed per method so that a method looks the same in every figure.
:func:`style_context` applies the rcParams locally (never globally) and pins what makes
SVG output byte-stable: a fixed ``svg.hashsalt`` and no date in the metadata (see
:mod:`lab.figures.output`).
"""

from __future__ import annotations

import contextlib

#: rcParams applied inside :func:`style_context`.
RC = {
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 7,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.5,
    "lines.linewidth": 1.4,
    "lines.markersize": 4.5,
    "svg.hashsalt": "clipping-lab",
    "svg.fonttype": "path",
    "path.simplify": True,
}

#: method key -> (label, colour, marker)
METHOD_STYLE: dict[str, tuple[str, str, str]] = {
    "gd_best": ("GD, best single step", "#d62728", "o"),
    "gd_thm6": ("GD, Theorem 6 step", "#ff9896", "v"),
    "clipped_thm3": ("clipped GD, Theorem 3", "#1f77b4", "s"),
    "clipped_tuned": ("clipped GD, tuned γ", "#17becf", "D"),
    "normalized": ("normalized GD (paper's map)", "#2ca02c", "^"),
    "eta_star": ("GD with η*", "#9467bd", "P"),
}

#: bound key -> (label, colour, line style)
BOUND_STYLE: dict[str, tuple[str, str, str]] = {
    "thm3": ("Theorem 3 (clipped, upper)", "#1f77b4", "--"),
    "thm4": ("Theorem 4 (fixed-step GD, lower)", "#d62728", ":"),
    "thm6": ("Theorem 6 (GD, upper)", "#ff9896", "--"),
    "later": ("2L0Δ/ε² + 3L1Δ/ε (η*, upper)", "#9467bd", "-."),
}


def method_label(key: str) -> str:
    """The legend label of a method key (the key itself if unknown).

    Examples
    --------
    >>> method_label("clipped_thm3")
    'clipped GD, Theorem 3'
    """
    return METHOD_STYLE.get(key, (key, "k", "o"))[0]


@contextlib.contextmanager
def style_context():
    """Apply the lab's rcParams inside a ``with`` block (matplotlib's Agg backend).

    Examples
    --------
    >>> import matplotlib
    >>> with style_context():
    ...     matplotlib.rcParams["svg.hashsalt"]
    'clipping-lab'
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    with plt.rc_context(RC):
        yield plt
