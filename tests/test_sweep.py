"""``python -m lab sweep``: grid sweeps from TOML, strict keys, atomic NetCDF/CSV output."""

from __future__ import annotations

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lab.cli import main
from lab.engine import run_batch
from lab.engine.sweep import parse_config, run_sweep
from lab.errors import LabInputError
from lab.methods import clipped

CONFIG = """
[sweep]
eps = 1e-2
max_iter = 500
seeds = [0, 1]

[[functions]]
name = "quartic"

[[methods]]
name = "clipped"
grid = { eta = [0.01, 0.05], gamma = [1.0] }

[[methods]]
name = "sgd"
grid = { h = [0.01], tau = [0.1, 0.2] }

[starts]
values = [0.5, 2.0]
"""


def run_cli(capsys, *args):
    with pytest.raises(SystemExit) as info:
        main(["sweep", *args])
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def test_sweep_writes_a_tidy_csv_atomically(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG)
    out = tmp_path / "res" / "out.csv"
    code, stdout, _ = run_cli(capsys, str(cfg), "--out", str(out), "--quiet")
    assert code == 0 and "wrote 12 runs" in stdout
    table = pd.read_csv(out)
    # clipped: 2 grid points x 2 starts (deterministic: one seed); sgd: 2 x 2 x 2 seeds
    assert len(table) == 4 + 8
    assert sorted(p.name for p in out.parent.iterdir()) == ["out.csv"]  # no temp file left
    row = table[(table.method == "clipped") & (table.param_eta == 0.05) & (table.start == 1)]
    one = run_batch("quartic", clipped(eta=0.05, gamma=1.0), [[2.0]], eps=1e-2, max_iter=500)
    assert int(row.hit.iloc[0]) == int(one.hit[0])


def test_sweep_writes_netcdf(tmp_path, capsys):
    pytest.importorskip("scipy")
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG)
    out = tmp_path / "out.nc"
    code, _, _ = run_cli(capsys, str(cfg), "--out", str(out), "--quiet")
    assert code == 0
    import xarray as xr

    with xr.open_dataset(out) as ds:
        assert ds.sizes["run"] == 12 and ds.attrs["max_iter"] == 500


@pytest.mark.parametrize("edit, fragment", [
    (("[sweep]", "[sweep]\nepsilon = 1"), "unknown key 'epsilon' in [sweep]"),
    (("name = \"clipped\"", "name = \"clipped\"\nsteps = 3"), "unknown key 'steps'"),
    (("eta = [0.01, 0.05]", "eta = [0.01, -0.05]"), "got -0.05"),
    (("name = \"quartic\"", "name = \"quartik\""), "did you mean 'quartic'"),
    (("max_iter = 500", "max_iter = 0"), "max_iter must be an integer >= 1"),
])
def test_config_mistakes_are_one_line_errors(tmp_path, capsys, edit, fragment):
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG.replace(*edit, 1))
    code, _, err = run_cli(capsys, str(cfg), "--out", str(tmp_path / "o.csv"))
    assert code == 2 and fragment in err and "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()


def test_example_config_parses():

    path = Path(__file__).resolve().parents[1] / "examples" / "sweep_quartic_exp.toml"
    plan = parse_config(tomllib.loads(path.read_text()))
    assert plan.n_batches == 12


def test_run_sweep_returns_dataset():

    ds = run_sweep(parse_config(tomllib.loads(CONFIG)))
    assert set(np.unique(ds["method"].values)) == {"clipped", "sgd"}
    assert (ds["hit"].values >= -1).all()


def test_missing_section_is_an_error():
    with pytest.raises(LabInputError, match="missing \\[starts\\]"):
        parse_config({"sweep": {"eps": 1, "max_iter": 1}, "functions": [{"name": "exp"}],
                      "methods": [{"name": "gd", "grid": {"h": [1]}}]})
