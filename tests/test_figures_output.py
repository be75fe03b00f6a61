"""Figure files: atomic, byte-stable, complete."""

from __future__ import annotations

from pathlib import Path

from lab.figures.build import FIGURES, build_figures
from lab.figures.configs import quick_config
from lab.figures.output import csv_text, save_figure, write_bytes
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


def test_write_bytes_is_atomic_and_reports_changes(tmp_path):
    p = tmp_path / "sub" / "f.txt"
    assert write_bytes(p, b"a") is True
    assert write_bytes(p, b"a") is False
    assert write_bytes(p, b"b") is True
    assert p.read_bytes() == b"b"
    assert [q.name for q in p.parent.iterdir()] == ["f.txt"]  # no temp file left behind


def test_csv_text_formats_numbers_deterministically():
    text = csv_text([{"x": 0.1 + 0.2, "n": 3, "ok": True, "s": None}])
    assert text == "x,n,ok,s\n0.3,3,True,\n"


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
    assert [n[0] for n in FIGURES] == list("abcdefg")
    assert all(FIGURES[n] for n in FIGURES)


def test_tightness_figure_without_verdicts_says_so(tmp_path):
    (rec,) = build_figures(tmp_path, config=quick_config(), only=["g_tightness"],
                           verdict_note="claims layer unavailable")
    assert "claims layer unavailable" in rec.caption
    assert {Path(p).suffix for p in rec.files} == {".svg", ".png", ".csv", ".json"}
