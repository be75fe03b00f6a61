"""Plain SGD, with or without global-norm clipping, measuring smoothness along the way.

One run = one :class:`~lab.network.config.RunSpec` on one task. Every run of a model starts
from the same initialisation (``torch.manual_seed(seed)``) and sees the same minibatches
(a NumPy generator seeded with ``seed + 1``), so runs differ only in the optimiser. Taking a
smoothness estimate never changes the trajectory: it reads the parameters, probes along the
step just taken, and puts them back.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from tqdm.auto import tqdm

from lab.network.config import ModelConfig, RunSpec
from lab.smoothness.local import local_smoothness
from lab.network.models import FlatObjective, global_norm

Batch = tuple[torch.Tensor, torch.Tensor]


@dataclass
class Task:
    """A model with its data: minibatch sampler, fixed training subset, held-out set."""

    objective: FlatObjective
    sample: Callable[[], Batch]
    subset: Batch
    heldout: Batch
    accuracy: Callable[[], float] | None = None


@dataclass(kw_only=True)
class RunTrace:
    """What one run recorded.

    ``steps``: one entry per iteration (``iteration``, ``batch_loss``, ``batch_grad_norm``,
    ``step_scale`` = min(1, clip/||g||) or 1, ``update_norm`` = ||x_{k+1} - x_k||).
    ``evals``: one entry per measured iteration (``iteration``, ``subset_loss``,
    ``grad_norm`` = ||∇f_S(x_k)|| on the fixed subset, ``smoothness`` = L̂_k, ``update_norm``).
    ``diverged_at``: the iteration whose loss or gradient was not finite (the run stops), or
    None. ``final``: losses after the budget (nan when diverged).
    """

    model: str
    spec: RunSpec
    steps: dict[str, np.ndarray]
    evals: dict[str, np.ndarray]
    diverged_at: int | None
    seconds: float
    final: dict[str, float] = field(default_factory=dict)


STEP_COLUMNS = ("iteration", "batch_loss", "batch_grad_norm", "step_scale", "update_norm")
EVAL_COLUMNS = ("iteration", "subset_loss", "grad_norm", "smoothness", "update_norm")


def sgd_step(params: list[torch.Tensor], grads: list[torch.Tensor], lr: float, scale: float
             ) -> None:
    """In place: ``p <- p - lr * scale * g`` for every parameter."""
    with torch.no_grad():
        for p, g in zip(params, grads):
            p.add_(g, alpha=-lr * scale)


def clip_scale(grad_norm: float, clip: float | None) -> float:
    """The factor min(1, clip / ||g||) of global-norm clipping (1 when unclipped or g = 0).

    Examples
    --------
    >>> clip_scale(2.0, 0.5), clip_scale(0.1, 0.5), clip_scale(0.0, 0.5), clip_scale(9.0, None)
    (0.25, 1.0, 1.0, 1.0)
    """
    if clip is None or grad_norm <= clip:
        return 1.0
    return clip / grad_norm


def train_run(task: Task, spec: RunSpec, cfg: ModelConfig, *, progress: bool = False
              ) -> RunTrace:
    """Train ``task`` with ``spec`` for ``cfg.iterations`` steps, recording traces.

    Examples
    --------
    >>> from lab.network.config import ModelConfig, RunSpec
    >>> from lab.network.experiment import build_task
    >>> cfg = ModelConfig(model="mlp", runs=(RunSpec(0.5, clip=1.0),), iterations=6,
    ...                   batch_size=8, eval_every=3, subset_size=32, hidden=8, dtype="float64")
    >>> trace = train_run(build_task(cfg, seed=0), cfg.runs[0], cfg)
    >>> trace.evals["iteration"].tolist(), trace.diverged_at
    ([0.0, 3.0], None)
    >>> bool((trace.steps["update_norm"] <= 0.5 * 1.0 + 1e-12).all())
    True
    """
    obj = task.objective
    sub_x, sub_y = task.subset
    steps: dict[str, list[float]] = {c: [] for c in STEP_COLUMNS}
    evals: dict[str, list[float]] = {c: [] for c in EVAL_COLUMNS}
    diverged_at = None
    start = time.perf_counter()
    bar = tqdm(total=cfg.iterations, desc=f"{cfg.model} {spec.label}", disable=not progress,
               leave=False, mininterval=0.5)
    for k in range(cfg.iterations):
        xb, yb = task.sample()
        measure = k % cfg.eval_every == 0
        x_k = obj.flat()
        if measure:
            subset_loss, sub_grads = obj.loss_and_grads(sub_x, sub_y)
            g0 = torch.cat([g.reshape(-1) for g in sub_grads]).to(torch.float64).numpy()
        loss, grads = obj.loss_and_grads(xb, yb)
        gnorm = global_norm(grads)
        if not (math.isfinite(loss) and math.isfinite(gnorm)):
            diverged_at = k
            break
        scale = clip_scale(gnorm, spec.clip)
        sgd_step(obj.params, grads, spec.lr, scale)
        x_next = obj.flat()
        d64 = x_next.to(torch.float64) - x_k.to(torch.float64)
        update_norm = float(torch.linalg.vector_norm(d64))
        if not (math.isfinite(update_norm) and bool(torch.isfinite(x_next).all())):
            diverged_at = k  # the step itself overflowed
            break
        d = d64.numpy()
        for name, value in zip(STEP_COLUMNS, (k, loss, gnorm, scale, update_norm)):
            steps[name].append(value)
        if measure:
            smooth = local_smoothness(
                lambda v: obj.grad_numpy(v, sub_x, sub_y),
                x_k.to(torch.float64).numpy(), d, n_alpha=cfg.n_alpha, grad_x=g0,
            )
            obj.set_flat(x_next)
            row = (k, subset_loss, float(torch.linalg.vector_norm(torch.from_numpy(g0))), smooth,
                   update_norm)
            for name, value in zip(EVAL_COLUMNS, row):
                evals[name].append(value)
        bar.update(1)
    bar.close()
    final = {"final_subset_loss": float("nan"), "final_heldout_loss": float("nan"),
             "final_test_accuracy": float("nan")}
    if diverged_at is None:
        final["final_subset_loss"] = obj.loss(sub_x, sub_y)
        final["final_heldout_loss"] = obj.loss(*task.heldout)
        if task.accuracy is not None:
            final["final_test_accuracy"] = task.accuracy()
        tail = max(1, cfg.iterations // 10)
        final["mean_batch_loss_last_10pct"] = float(np.mean(steps["batch_loss"][-tail:]))
    else:
        final["mean_batch_loss_last_10pct"] = float("nan")
    return RunTrace(
        model=cfg.model,
        spec=spec,
        steps={c: np.asarray(v, dtype=np.float64) for c, v in steps.items()},
        evals={c: np.asarray(v, dtype=np.float64) for c, v in evals.items()},
        diverged_at=diverged_at,
        seconds=time.perf_counter() - start,
        final=final,
    )
