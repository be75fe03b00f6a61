"""Run the whole network experiment: build each task, train every run, fit Figure 1's slope.

Needs torch (imported at the top); :func:`lab.network.run_experiment` imports this module
only after checking that torch is there.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from lab.network.config import ModelConfig, NetworkConfig
from lab.network.data import (
    char_corpus,
    evenly_spaced_starts,
    load_digits_split,
    windows,
)
from lab.network.models import CharLSTM, FlatObjective, mlp
from lab.network.stats import LogLogFit, loglog_fit, partial_spearman
from lab.network.train import RunTrace, Task, train_run

_DTYPES = {"float32": torch.float32, "float64": torch.float64}


@dataclass
class NetworkResult:
    """Everything a run of the experiment produced.

    ``traces``: one :class:`~lab.network.train.RunTrace` per (model, run), in config order.
    ``fits``: for the same runs, the log-log fit of smoothness on gradient norm.
    """

    config: NetworkConfig
    traces: list[RunTrace]
    fits: list[LogLogFit]
    seconds: float
    torch_version: str

    def target_losses(self) -> dict[str, float]:
        """Per model, the best final subset loss of an unclipped run (nan if none finished).

        ``summary_rows`` reports how soon each run first reaches it: the "does clipping speed
        training" number (a measured iteration of the subset-loss curve, so it moves in steps
        of ``eval_every``).
        """
        out: dict[str, float] = {}
        for cfg in self.config.models:
            finals = [t.final["final_subset_loss"] for t in self.traces
                      if t.model == cfg.model and t.spec.clip is None]
            finals = [v for v in finals if np.isfinite(v)]
            out[cfg.model] = min(finals) if finals else float("nan")
        return out

    def summary_rows(self) -> list[dict]:
        """One flat dict per run: settings, final losses, divergence, fit statistics."""
        targets = self.target_losses()
        rows = []
        for trace, fit in zip(self.traces, self.fits):
            row = {
                "model": trace.model,
                "run": trace.spec.label,
                "lr": trace.spec.lr,
                "clip": float("nan") if trace.spec.clip is None else trace.spec.clip,
                "iterations_done": int(trace.steps["iteration"].size),
                "diverged_at": -1 if trace.diverged_at is None else trace.diverged_at,
                "seconds": trace.seconds,
            }
            row.update(trace.final)
            row.update(fit.as_dict())
            ev = trace.evals
            row["partial_spearman_given_iteration"] = partial_spearman(
                ev["grad_norm"], ev["smoothness"], ev["iteration"])
            target = targets[trace.model]
            # the measured curve plus the loss after the last step (iteration = steps done)
            losses = np.append(ev["subset_loss"], trace.final["final_subset_loss"])
            iters = np.append(ev["iteration"], row["iterations_done"])
            hits = np.flatnonzero(losses <= target) if np.isfinite(target) else []
            row["target_loss"] = target
            row["iterations_to_target"] = int(iters[hits[0]]) if len(hits) else -1
            rows.append(row)
        return rows


@contextlib.contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run the block with torch using ``n`` intra-op threads, then restore the old count."""
    old = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def _lstm_task(cfg: ModelConfig, seed: int) -> Task:
    corpus = char_corpus()
    torch.manual_seed(seed)
    model = CharLSTM(corpus.vocab_size, cfg.embed, cfg.hidden).to(_DTYPES[cfg.dtype])
    rng = np.random.default_rng(seed + 1)
    last = corpus.train.size - cfg.seq_len - 1

    def as_batch(ids: np.ndarray, starts: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = windows(ids, starts, cfg.seq_len)
        return torch.from_numpy(x), torch.from_numpy(y)

    def sample() -> tuple[torch.Tensor, torch.Tensor]:
        return as_batch(corpus.train, rng.integers(0, last + 1, size=cfg.batch_size))

    subset = as_batch(corpus.train,
                      evenly_spaced_starts(corpus.train.size, cfg.subset_size, cfg.seq_len))
    heldout = as_batch(corpus.heldout,
                       evenly_spaced_starts(corpus.heldout.size, 4 * cfg.subset_size,
                                            cfg.seq_len))
    return Task(FlatObjective(model), sample, subset, heldout)


def _mlp_task(cfg: ModelConfig, seed: int) -> Task:
    digits = load_digits_split(seed)
    dtype = _DTYPES[cfg.dtype]
    torch.manual_seed(seed)
    model = mlp(digits.x_train.shape[1], cfg.hidden, 10).to(dtype)
    x_train = torch.from_numpy(digits.x_train).to(dtype)
    y_train = torch.from_numpy(digits.y_train)
    x_test = torch.from_numpy(digits.x_test).to(dtype)
    y_test = torch.from_numpy(digits.y_test)
    rng = np.random.default_rng(seed + 1)
    n_sub = min(cfg.subset_size, x_train.shape[0])

    def sample() -> tuple[torch.Tensor, torch.Tensor]:
        idx = torch.from_numpy(rng.integers(0, x_train.shape[0], size=cfg.batch_size))
        return x_train[idx], y_train[idx]

    def accuracy() -> float:
        with torch.no_grad():
            return float((model(x_test).argmax(dim=1) == y_test).to(torch.float64).mean())

    return Task(FlatObjective(model), sample, (x_train[:n_sub], y_train[:n_sub]),
                (x_test, y_test), accuracy)


def build_task(cfg: ModelConfig, seed: int) -> Task:
    """A fresh model (initialised from ``seed``) with its data, for ``cfg.model``."""
    return _lstm_task(cfg, seed) if cfg.model == "lstm" else _mlp_task(cfg, seed)


def run(config: NetworkConfig) -> NetworkResult:
    """Train every run of every model in ``config``; see :func:`lab.network.run_experiment`."""
    start = time.perf_counter()
    traces: list[RunTrace] = []
    fits: list[LogLogFit] = []
    with torch_threads(config.threads):
        for cfg in config.models:
            for spec in cfg.runs:
                task = build_task(cfg, config.seed)
                trace = train_run(task, spec, cfg, progress=config.progress)
                traces.append(trace)
                fits.append(loglog_fit(trace.evals["grad_norm"], trace.evals["smoothness"],
                                       n_boot=config.n_boot, seed=config.seed))
    return NetworkResult(config, traces, fits, time.perf_counter() - start, torch.__version__)
