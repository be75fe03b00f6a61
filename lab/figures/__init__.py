"""The lab's figures and its reproduction report.

``python -m lab figures`` writes every figure under ``figures/`` (SVG, PNG, the data as CSV
and a JSON sidecar with the caption, the exact configuration and the key numbers);
``python -m lab reproduce`` adds the claims, the derivations and the network experiment and
writes ``figures/REPORT.md``.

Modules, one job each:

* data (pure computation, tested directly): :mod:`~lab.figures.classes`,
  :mod:`~lab.figures.complexity` (figures a, b), :mod:`~lab.figures.bounds`,
  :mod:`~lab.figures.smoothness_data` (c, with :mod:`lab.smoothness.local`),
  :mod:`~lab.figures.trajectory_data` (d), :mod:`~lab.figures.frontier_data` (e),
  :mod:`~lab.figures.descent_data` (f), :mod:`~lab.figures.tightness_data` (g);
* plotting: :mod:`~lab.figures.style`, :mod:`~lab.figures.plot_complexity`,
  :mod:`~lab.figures.plot_other`;
* output: :mod:`~lab.figures.output` (atomic, byte-stable files), :mod:`~lab.figures.build`,
  :mod:`~lab.figures.report`, :mod:`~lab.figures.configs` (the orchestration of
  ``figures``/``reproduce`` is the front end's: :mod:`lab.cli.pipeline`).

Examples
--------
>>> from lab.figures.descent_data import descent_bounds, phi
>>> b = descent_bounds(0.0, 1.0, 1.0, [2.0])
>>> bool(b["quadratic"][0] < float(phi(2.0)))  # the blog's bound is below exp's true gap
True
"""

from lab.figures.build import FIGURES, FigureRecord, build_figures
from lab.figures.configs import FiguresConfig, full_config, quick_config

__all__ = ["FIGURES", "FigureRecord", "build_figures", "FiguresConfig", "full_config",
           "quick_config"]
