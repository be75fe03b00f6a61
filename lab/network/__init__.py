"""The paper's real-network experiments at laptop scale (optional extra ``[nn]``).

Zhang et al. (ICLR 2020) report that along the training trajectory of an LSTM language
model the local smoothness grows with the gradient norm (their Figure 1), that default
image-classifier training shows no such relation, and that clipping speeds training (their
Figure 2). This package repeats that at CPU scale:

- a character-level LSTM on CPython's own ``pydoc_data.topics`` text, and a ReLU MLP on
  scikit-learn's bundled ``load_digits`` (nothing is downloaded);
- plain SGD with and without global-norm clipping over a few learning rates;
- along training, the paper's estimator (``lab.smoothness.local.local_smoothness``) and
  the gradient norm, both on a fixed training subset.

PyTorch is optional: this package imports it only inside :func:`run_experiment`, and
:func:`torch_available` says whether it can. The API for front ends::

    from lab import network
    if network.torch_available():
        result = network.run_experiment(network.quick_config(seed=0))
        paths = network.make_figures(result, "figures/network")
    else:
        print(network.SKIP_MESSAGE)

``result.summary_rows()`` has one dict per run (final losses, divergence, the log-log slope,
the Spearman correlation and their bootstrap intervals). The command line is
``python -m lab network [--quick] [--out DIR] [--seed N]``.

Modules: ``config`` (settings), ``data`` (the bundled data sets), ``stats`` (pure math),
``models``, ``train``, ``experiment`` (need torch), ``tables`` (data files, written through
:mod:`lab.writing`), ``figures`` (matplotlib). The estimator is :mod:`lab.smoothness.local`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from lab.errors import LabInputError
from lab.network.config import ModelConfig, NetworkConfig, RunSpec, default_config, quick_config
from lab.network.tables import write_data

__all__ = [
    "ModelConfig",
    "NetworkConfig",
    "RunSpec",
    "SKIP_MESSAGE",
    "default_config",
    "make_figures",
    "missing_requirements",
    "quick_config",
    "run_experiment",
    "torch_available",
]

SKIP_MESSAGE = (
    "network experiment skipped: it needs PyTorch and scikit-learn "
    "(install them with: python -m pip install -e \".[nn]\")"
)


def missing_requirements() -> list[str]:
    """The optional packages this experiment needs that are not installed.

    Examples
    --------
    >>> isinstance(missing_requirements(), list)
    True
    """
    return [name for name in ("torch", "sklearn") if importlib.util.find_spec(name) is None]


def torch_available() -> bool:
    """Whether the experiment can run here (PyTorch and scikit-learn importable).

    Examples
    --------
    >>> torch_available() in (True, False)
    True
    """
    return not missing_requirements()


def run_experiment(config: NetworkConfig | None = None):
    """Train every run of ``config`` (default: :func:`default_config`) and return the result.

    Parameters
    ----------
    config : NetworkConfig, optional
        What to run; :func:`quick_config` finishes in seconds.

    Returns
    -------
    lab.network.experiment.NetworkResult
        Per-run traces and log-log fits; ``summary_rows()`` tabulates them.

    Raises
    ------
    lab.errors.LabInputError
        When ``config`` is not a :class:`NetworkConfig`.
    ModuleNotFoundError
        When PyTorch or scikit-learn is missing (check :func:`torch_available` first).

    Examples
    --------
    >>> from lab import network
    >>> cfg = network.quick_config(seed=0, progress=False)
    >>> if network.torch_available():  # doctest: +SKIP
    ...     result = network.run_experiment(cfg)
    """
    config = default_config() if config is None else config
    if not isinstance(config, NetworkConfig):
        raise LabInputError(f"config={config!r} is not a NetworkConfig; build one with "
                            "default_config() or quick_config()")
    missing = missing_requirements()
    if missing:
        raise ModuleNotFoundError(f"{SKIP_MESSAGE} (missing: {', '.join(missing)})")
    from lab.network.experiment import run

    return run(config)


def make_figures(result, out_dir: str | Path = "figures/network") -> list[Path]:
    """Write the data files (CSV, JSON) and Figures 1 and 2 (SVG, PNG, caption) of ``result``.

    Parameters
    ----------
    result : lab.network.experiment.NetworkResult
        What :func:`run_experiment` returned.
    out_dir : str or Path
        Destination folder, created if needed.

    Returns
    -------
    list of Path
        Every file written.

    Examples
    --------
    >>> from lab import network
    >>> if network.torch_available():  # doctest: +SKIP
    ...     paths = network.make_figures(network.run_experiment(network.quick_config()), "out")
    """
    from lab.network.figures import draw_all

    out_dir = Path(out_dir)
    return write_data(result, out_dir) + draw_all(result, out_dir)
