"""Figure g: a refuted instance whose run never reached eps is drawn (as a lower bound at the
axis edge), and the legend lists exactly the markers drawn."""

from __future__ import annotations

import math
from types import SimpleNamespace as NS

import numpy as np

from lab.figures.plot_other import TIGHTNESS_MARKERS, plot_tightness
from lab.figures.style import style_context
from lab.figures.tightness_data import tightness_rows


def _verdict(name, verdict, *, ratios=None, worst=None):
    claim = NS(name=name, title=name, tag="D", expected=verdict, kind="upper-bound")
    return NS(claim=claim, verdict=verdict, ratios=ratios, worst_ratio=worst, where="x^4")


SWEPT = _verdict("theorem3", "holds", ratios=[("a", 0.1), ("b", 0.2)])
NEVER = _verdict("theorem3-weakened", "refuted", worst=math.inf)
SEARCHED = _verdict("vankov", "holds", worst=0.3)


def _drawn(fig):
    """(marker path vertex count, x positions) of every scatter, and the legend labels."""
    ax = fig.axes[0]
    points = [(c.get_paths()[0].vertices.shape[0], c.get_offsets()[:, 0].data)
              for c in ax.collections]
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()] if legend else []
    return ax, points, labels


def test_never_reached_is_drawn_at_the_edge_as_a_lower_bound():
    rows = tightness_rows([SWEPT, NEVER])
    never = [r for r in rows if r["claim"] == "theorem3-weakened"]
    assert len(never) == 1 and never[0]["lower_bound"] and never[0]["ratio"] == math.inf
    with style_context() as plt:
        fig = plot_tightness(rows, plt)
        ax, points, labels = _drawn(fig)
        right = ax.get_xlim()[1]
        xs = np.concatenate([x for _, x in points])
        assert right in xs  # the unbounded ratio sits on the right edge
        assert max(x for x in xs if x != right) < right
        plt.close(fig)
    assert labels == [TIGHTNESS_MARKERS["sweep"][0], TIGHTNESS_MARKERS["never reached"][0]]


def test_legend_lists_only_markers_that_are_drawn():
    with style_context() as plt:
        fig = plot_tightness(tightness_rows([SWEPT]), plt)
        _, _, only_dots = _drawn(fig)
        plt.close(fig)
        fig = plot_tightness(tightness_rows([SEARCHED]), plt)
        _, _, only_diamonds = _drawn(fig)
        plt.close(fig)
    assert only_dots == [TIGHTNESS_MARKERS["sweep"][0]]
    assert only_diamonds == [TIGHTNESS_MARKERS["search worst"][0]]


def test_nan_ratios_are_left_out():
    rows = tightness_rows([_verdict("c", "holds", ratios=[("a", math.nan), ("b", 0.5)])])
    assert [r["ratio"] for r in rows] == [0.5]
