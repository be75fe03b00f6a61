"""``python -m lab sweep CONFIG.toml --out FILE``: a grid sweep to a results file.

NetCDF (``.nc``) through xarray when a netCDF engine is installed (scipy's netCDF3 writer
counts), CSV otherwise (or when FILE ends in ``.csv``). The file is written atomically
through :mod:`lab.writing`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lab.errors import LabInputError
from lab.writing import atomic_path, write_csv


def netcdf_engine() -> str | None:
    """An installed xarray netCDF engine, or None."""
    import importlib.util

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
        raise LabInputError(f"--out must end in .nc or .csv, got {str(out)!r}")
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
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="Results file (.nc for NetCDF, .csv for CSV).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def command(config: str, out: str, quiet: bool) -> None:
    """Run the grid of CONFIG.toml (functions x methods x params x starts x seeds).

    See examples/sweep_quartic_exp.toml for the format; unknown keys are an error.
    """
    import tomllib

    from tqdm import tqdm

    from lab.engine.sweep import parse_config, run_sweep

    try:
        with open(config, "rb") as fh:
            cfg = tomllib.load(fh)
    except FileNotFoundError:
        raise LabInputError(f"config file {config!r} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise LabInputError(f"config file {config!r} is not valid TOML: {exc}") from None
    plan = parse_config(cfg)
    with tqdm(total=plan.n_batches, desc="sweep", unit="batch", disable=quiet,
              file=sys.stderr) as bar:
        def progress(msg: str) -> None:
            bar.set_postfix_str(msg)
            bar.update(1)

        ds = run_sweep(plan, progress)
    path = write_atomic(ds, Path(out))
    counts = ds["status"].to_series().value_counts().to_dict()
    click.echo(f"wrote {ds.sizes['run']} runs to {path} "
               f"({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))})")
