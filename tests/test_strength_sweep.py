"""Every row of a sweep is the run it says it is (issue 15, item 1).

A sweep file is only useful if each row can be reproduced from its own columns. These tests
replay *every* row through :func:`lab.engine.run_batch`, one run at a time, with that row's
method parameters, start point and seed, and compare the outcome bit for bit (runs are
independent and the noise is counter-based, so a batch of one gives the same bits as the
sweep's batch). The configuration exercises both ways a sweep batches its runs: per-run
parameter arrays in one batch, and one batch per grid point when a parameter must be one
number per batch (``tau``), with several seeds and starts so that a permutation of seeds,
starts or grid points inside a batch changes some row.
"""

from __future__ import annotations

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import numpy as np
import pytest

from lab.engine import run_batch
from lab.engine.sweep import parse_config, run_sweep
from lab.functions import get_function
from lab.methods import get_method

CONFIG = """
[sweep]
eps = 1e-2
max_iter = 300
seeds = [3, 5, 11]

[[functions]]
name = "quartic"

[[functions]]
name = "quartic_norm"
params = { d = 2 }

[[methods]]
name = "clipped"
grid = { eta = [0.01, 0.05], gamma = [1.0, 4.0] }

[[methods]]
name = "sgd"
grid = { h = [0.01, 0.03], tau = [0.5] }

[[methods]]
name = "clipped_sgd_momentum"
grid = { eta = [0.02], gamma = [1.0], tau = [0.2, 0.6], momentum = [0.5] }

[starts]
values = [0.5, 2.0]
"""

#: the start values of CONFIG: start i is x0 = VALUES[i] * (1, ..., 1)
VALUES = (0.5, 2.0)
#: how the fixtures of CONFIG name functions (the sweep writes repr(function))
FUNCTIONS = {repr(get_function("quartic")): get_function("quartic"),
             repr(get_function("quartic_norm", d=2)): get_function("quartic_norm", d=2)}


@pytest.fixture(scope="module")
def swept():
    return run_sweep(parse_config(tomllib.loads(CONFIG))).to_dataframe()


def test_sweep_has_every_combination_once(swept):
    """Per function: clipped 4 grid points x 2 starts (deterministic: first seed only); sgd 2
    x 2 x 3 seeds; momentum 2 x 2 x 3; no combination twice."""
    counts = swept.groupby(["function", "method"]).size()
    for f in FUNCTIONS:
        assert counts[(f, "clipped")] == 8
        assert counts[(f, "sgd")] == 12
        assert counts[(f, "clipped_sgd_momentum")] == 12
    params = [c for c in swept.columns if c.startswith("param_")]
    keys = swept[["function", "method", "start", "seed", *params]].astype(str)
    assert not keys.duplicated().any()
    assert set(swept.loc[swept.method != "clipped", "seed"]) == {3, 5, 11}


def test_every_row_replays_with_its_own_parameters_start_and_seed(swept):
    """Each row: run_batch(function, method(row's params), [row's start], seeds=[row's seed])
    gives the row's hit, status, iterations, f and gradient norm exactly."""
    checked = 0
    for _, row in swept.iterrows():
        f = FUNCTIONS[row["function"]]
        params = {c[len("param_"):]: row[c] for c in swept.columns
                  if c.startswith("param_") and not _missing(row[c])}
        method = get_method(row["method"], **params)
        x0 = np.full((1, f.dim), VALUES[int(row["start"])])
        np.testing.assert_allclose(float(row["start_norm"]), np.linalg.norm(x0), rtol=1e-15)
        one = run_batch(f, method, x0, eps=1e-2, max_iter=300, seeds=[int(row["seed"])])
        where = f"row {dict(row)}"
        assert int(row["hit"]) == int(one.hit[0]), where
        assert row["status"] == one.status_names[0], where
        assert int(row["iterations"]) == int(one.iterations[0]), where
        assert float(row["f"]) == float(one.f[0]), where
        assert float(row["grad_norm"]) == float(one.grad_norm[0]), where
        checked += 1
    assert checked == len(swept) == 64


def test_seeds_change_stochastic_rows(swept):
    """The seeds matter: rows that differ only in their seed differ in f (else the replay
    test above could not tell seeds apart)."""
    stochastic = swept[swept.method != "clipped"]
    params = [c for c in swept.columns if c.startswith("param_")]
    groups = stochastic.groupby(["function", "method", "start", *params], dropna=False)
    # per function: sgd 2 steps x 2 starts, momentum 2 noise levels x 2 starts
    assert len(groups) == 2 * (4 + 4)
    for _, group in groups:
        assert len(group) == 3 and group["f"].nunique() == 3


def _missing(value) -> bool:
    try:
        return bool(np.isnan(value))
    except TypeError:
        return False
