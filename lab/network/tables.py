"""The experiment's data files: a result turned into tidy rows and written as CSV/JSON.

Written through :mod:`lab.writing` (atomic; floats with 10 significant digits).

Files (all under one output folder):

- ``network_<model>_steps.csv``: every iteration of every run (``model, run, lr, clip,
  iteration, batch_loss, batch_grad_norm, step_scale, update_norm``);
- ``network_<model>_smoothness.csv``: every measured iteration (``model, run, lr, clip,
  iteration, subset_loss, grad_norm, smoothness, update_norm``);
- ``network_summary.csv``: one row per run (final losses, divergence, fit statistics);
- ``network_config.json``: the configuration, seed, torch version and wall time.

``clip`` is ``nan`` for unclipped runs.
"""

from __future__ import annotations

from pathlib import Path

from lab.writing import write_csv, write_json

ID_COLUMNS = ("model", "run", "lr", "clip")


def trace_rows(result, model: str, table: str) -> list[dict]:
    """Tidy rows of ``table`` ("steps" or "evals") for every run of ``model``."""
    rows = []
    for trace in result.traces:
        if trace.model != model:
            continue
        ids = {"model": model, "run": trace.spec.label, "lr": float(trace.spec.lr),
               "clip": float("nan") if trace.spec.clip is None else float(trace.spec.clip)}
        columns = getattr(trace, table)
        n = len(columns["iteration"])
        for i in range(n):
            row = dict(ids)
            for name, values in columns.items():
                row[name] = int(values[i]) if name == "iteration" else float(values[i])
            rows.append(row)
    return rows


def write_data(result, out_dir: Path) -> list[Path]:
    """Write every data file of ``result`` into ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    paths = []
    for cfg in result.config.models:
        for table, stem in (("steps", "steps"), ("evals", "smoothness")):
            rows = trace_rows(result, cfg.model, table)
            first = next(t for t in result.traces if t.model == cfg.model)
            columns = list(ID_COLUMNS) + list(getattr(first, table))
            path = out_dir / f"network_{cfg.model}_{stem}.csv"
            write_csv(path, rows, columns)
            paths.append(path)
    write_csv(out_dir / "network_summary.csv", result.summary_rows())
    meta = {"config": result.config.as_dict(), "torch_version": result.torch_version,
            "wall_seconds": result.seconds}
    write_json(out_dir / "network_config.json", meta)
    return [*paths, out_dir / "network_summary.csv", out_dir / "network_config.json"]
