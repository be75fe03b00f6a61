"""Figure files: byte-stable and complete (the atomic writes are tested in test_writing)."""

from __future__ import annotations

from pathlib import Path

from lab.figures.build import FIGURES, build_figures
from lab.figures.configs import quick_config
from lab.figures.output import save_figure
from lab.figures.style import style_context


def _figure(plt):
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [1, 4, 9], label="x²")
    ax.legend()
    return fig


def test_save_figure_is_byte_stable_and_dateless(tmp_path):
    with style_context() as plt:
        a = save_figure(_figure(plt), tmp_path / "one")
        b = save_figure(_figure(plt), tmp_path / "two")
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes()
    svg = a[0].read_text()
    assert "<dc:date>" not in svg


def test_build_is_deterministic(tmp_path):
    only = ["c_smoothness_vs_gradient", "f_descent_lemma", "g_tightness"]
    cfg = quick_config()
    build_figures(tmp_path / "a", config=cfg, only=only)
    build_figures(tmp_path / "b", config=cfg, only=only)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 4 * len(only)
    for n in names:
        assert (tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes(), n


def test_every_figure_has_a_title_and_a_letter():
    assert [n[0] for n in FIGURES] == list("abcdefgh")
    assert all(FIGURES[n] for n in FIGURES)


def test_tightness_figure_without_verdicts_says_so(tmp_path):
    (rec,) = build_figures(tmp_path, config=quick_config(), only=["g_tightness"],
                           verdict_note="claims layer unavailable")
    assert "claims layer unavailable" in rec.caption
    assert {Path(p).suffix for p in rec.files} == {".svg", ".png", ".csv", ".json"}
