"""``python -m lab sweep CONFIG.toml --out FILE [--scheduler ...]``: a grid sweep to a file.

NetCDF (``.nc``) through xarray when a netCDF engine is installed (scipy's netCDF3 writer
counts), CSV otherwise (or when FILE ends in ``.csv``): the whole table is gathered in this
process, for small sweeps. A Zarr store (``.zarr``) is written chunk by chunk by whoever runs
the chunks, for sweeps of any size (:mod:`lab.engine.sweep_store`). Every output is written
under a temporary name through :mod:`lab.writing` and renamed into place, so an interrupted
sweep leaves nothing under the output name.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import click
from tqdm import tqdm

from lab.cli.options import progress_option, scheduler_option
from lab.engine.sweep import parse_config, run_sweep
from lab.engine.sweep_chunks import sweep_batches
from lab.engine.sweep_store import write_zarr, zarr_available
from lab.errors import LabInputError
from lab.parallel import INSTALL_HINT, open_client
from lab.writing import atomic_path, write_csv


def netcdf_engine() -> str | None:
    """An installed xarray netCDF engine, or None."""
    for module, engine in (("netCDF4", "netcdf4"), ("h5netcdf", "h5netcdf"),
                           ("scipy", "scipy")):
        if importlib.util.find_spec(module):
            return engine
    return None


def write_atomic(ds, out: Path) -> Path:
    """Write the dataset to ``out`` (NetCDF or CSV by suffix) atomically; returns the path.

    CSV goes through :func:`lab.writing.write_csv` (the lab's one number format), NetCDF
    through xarray into :func:`lab.writing.atomic_path`.
    """
    engine = netcdf_engine()
    as_csv = out.suffix.lower() == ".csv" or engine is None
    if not as_csv and out.suffix.lower() not in (".nc", ".nc4", ".cdf"):
        raise LabInputError(f"--out must end in .nc, .csv or .zarr, got {str(out)!r}")
    if as_csv and out.suffix.lower() != ".csv":
        out = out.with_suffix(".csv")
    if as_csv:
        frame = ds.to_dataframe().reset_index()
        write_csv(out, frame.to_dict("records"), list(frame.columns))
    else:
        with atomic_path(out) as tmp:
            ds.to_netcdf(tmp, engine=engine)
    return out


@click.command(name="sweep")
@click.argument("config", type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(),
              help="Results: .nc (NetCDF) or .csv for small sweeps, .zarr (a Zarr store "
                   "written chunk by chunk) for large ones.")
@scheduler_option
@progress_option
def command(config: str, out: str, scheduler, progress: bool) -> None:
    """Run the grid of CONFIG.toml (functions x methods x params x starts x seeds).

    See examples/sweep_quartic_exp.toml for the format; unknown keys are an error.
    """
    try:
        with open(config, "rb") as fh:
            cfg = tomllib.load(fh)
    except FileNotFoundError:
        raise LabInputError(f"config file {config!r} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise LabInputError(f"config file {config!r} is not valid TOML: {exc}") from None
    plan = parse_config(cfg)
    last = sweep_batches(plan)[-1]
    to_zarr = Path(out).suffix.lower() == ".zarr"
    if to_zarr and not zarr_available():
        raise LabInputError(f"--out {out!r}: a Zarr store needs zarr and dask; install them "
                            f"with {INSTALL_HINT}, or write .nc or .csv")
    with open_client(scheduler) as client, \
            tqdm(total=last.offset + last.n_runs, desc="sweep", unit="run",
                 disable=not progress, file=sys.stderr) as bar:
        if to_zarr:
            counts = write_zarr(plan, out, client=client, progress=bar.update)
            path = Path(out)
        else:
            ds = run_sweep(plan, bar.update, client=client)
            path = write_atomic(ds, Path(out))
            counts = ds["status"].to_series().value_counts().to_dict()
    runs = sum(counts.values())
    click.echo(f"wrote {runs} runs to {path} "
               f"({', '.join(f'{v} {k}' for k, v in sorted(counts.items()) if v)})")
