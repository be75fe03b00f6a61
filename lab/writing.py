"""Writing results: the one module every file the lab writes goes through.

One rule for each thing:

* **atomic**: a file is written to a temporary file in the destination folder and moved into
  place with :func:`os.replace`, so a reader sees the old file or the new one, never half;
  a failed write leaves no temporary file behind;
* **permissions**: the temporary file is created with mode ``0o666`` and the process umask
  applied by the kernel, exactly what ``open(path, "w")`` gives a new file (``0o644`` under
  the usual umask ``022``); never mkstemp's private ``0o600``;
* **unchanged files are not rewritten**: every writer returns whether the content changed;
* **numbers**: floats are written with :data:`FLOAT_DIGITS` significant digits (``{:.10g}``),
  so a data file is the same bytes on every machine even when the last bits of a float differ;
  non-finite floats as ``inf``, ``-inf``, ``nan`` (in CSV cells and, as strings, in JSON, so
  ``float(cell)`` reads every one of them back); ``None`` as an empty CSV cell and JSON ``null``;
* **tables**: :func:`markdown_table` for reports, :func:`text_table` for the terminal.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_csv(folder / "runs.csv", [{"run": 0, "ratio": 1 / 3}])
True
>>> print((folder / "runs.csv").read_text(), end="")
run,ratio
0,0.3333333333
>>> write_csv(folder / "runs.csv", [{"run": 0, "ratio": 1 / 3}])  # same content: untouched
False
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FLOAT_DIGITS", "format_float", "format_cell", "json_ready", "atomic_path",
           "atomic_directory", "write_bytes", "write_text", "csv_text", "write_csv", "json_text", "write_json",
           "markdown_table", "text_table"]

#: Significant digits of every float the lab writes to a data file.
FLOAT_DIGITS = 10

#: Mode of a new file before the umask (what ``open(path, "w")`` uses).
_FILE_MODE = 0o666


def format_float(value: float, digits: int = FLOAT_DIGITS, rounding: str = "nearest") -> str:
    """A float as data files write it: ``digits`` significant digits, ``inf``/``-inf``/``nan``.

    ``rounding="down"`` or ``"up"`` rounds toward -inf or +inf instead of to nearest the
    number the float stands for (its shortest repr, the lab's rule for a float's exact
    value, :func:`lab.formula.exact_decimal`: 0.1125 is 9/80): the number shown is then a
    valid lower (upper) end of an interval that contains the value (a bracket of constants).

    Examples
    --------
    >>> format_float(1 / 3), format_float(2.0), format_float(float("-inf"))
    ('0.3333333333', '2', '-inf')
    >>> format_float(123456.789, digits=4)
    '1.235e+05'
    >>> format_float(1.7976931348623157e308)  # rounding up would overflow: all digits kept
    '1.7976931348623157e+308'
    >>> [format_float(10.2251, 4, r) for r in ("down", "nearest", "up")]
    ['10.22', '10.23', '10.23']
    >>> format_float(9 / 80, 4, "up")  # 0.1125 (its binary value is 1.7e-18 above)
    '0.1125'
    """
    value = float(value)
    if rounding not in ("nearest", "down", "up"):
        raise ValueError(f"rounding must be 'nearest', 'down' or 'up', got {rounding!r}")
    if rounding != "nearest" and math.isfinite(value) and value != 0:
        exact = Decimal(repr(value))
        step = Decimal(1).scaleb(exact.adjusted() - digits + 1)
        return _decimal_g(exact.quantize(step, ROUND_FLOOR if rounding == "down"
                                         else ROUND_CEILING), digits)
    text = f"{value:.{digits}g}"
    if abs(value) > 1e308 and math.isfinite(value) and math.isinf(float(text)):
        return repr(value)
    return text


def _decimal_g(number: Decimal, digits: int) -> str:
    """An exact decimal written as ``{:.{digits}g}`` writes a float (its digits kept)."""
    exponent = number.adjusted()
    if -4 <= exponent < digits:
        mantissa, suffix = format(number, "f"), ""
    else:
        mantissa, suffix = format(number.scaleb(-exponent), "f"), f"e{exponent:+03d}"
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + suffix


def format_cell(value: Any) -> str:
    """One CSV cell: floats by :func:`format_float`, ``None`` empty, the rest by ``str``.

    Examples
    --------
    >>> import numpy as np
    >>> [format_cell(v) for v in (0.1 + 0.2, np.float32(0.5), np.int64(7), True, None, "x")]
    ['0.3', '0.5', '7', 'True', '', 'x']
    """
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        return format_float(value)
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def json_ready(obj: Any) -> Any:
    """``obj`` with the lab's number rule applied, ready for :func:`json.dumps`.

    Floats are rounded to :data:`FLOAT_DIGITS` significant digits; non-finite floats become
    the strings ``"inf"``, ``"-inf"``, ``"nan"``; NumPy scalars and arrays become Python
    numbers and lists; tuples become lists; mapping keys become strings.

    Examples
    --------
    >>> json_ready({"a": (1 / 3, float("inf")), 2: [np.int64(3), None]})
    {'a': [0.3333333333, 'inf'], '2': [3, None]}
    """
    if isinstance(obj, Mapping):
        return {str(k): json_ready(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return json_ready(obj.tolist())
    if isinstance(obj, (list, tuple)):
        return [json_ready(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        v = float(obj)
        return float(format_float(v)) if math.isfinite(v) else format_float(v)
    return obj


def _temporary(path: Path) -> Path:
    """Create an empty temporary file next to ``path`` (mode 0o666 minus the umask)."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE)
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"no free temporary name next to {path}")  # pragma: no cover


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path to write to; moved onto ``path`` when the block ends without error.

    For writers that want a file name (xarray's ``to_netcdf``, a library's ``save``). The
    folder is created; on an error the temporary file is removed and ``path`` is untouched.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "sub" / "data.bin"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_bytes(b"abc")
    >>> target.read_bytes(), sorted(p.name for p in target.parent.iterdir())
    (b'abc', ['data.bin'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@contextlib.contextmanager
def atomic_directory(path: str | Path) -> Iterator[Path]:
    """A temporary folder to fill; moved onto ``path`` when the block ends without error.

    For outputs that are folders (a Zarr store). The temporary folder is created next to
    ``path`` (mode ``0o777`` minus the umask, like ``mkdir``); on an error or an interrupt it
    is removed with everything in it and ``path`` is untouched. An existing folder at
    ``path`` is replaced: moved aside, the new one renamed in, the old one removed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "store.zarr"
    >>> with atomic_directory(target) as tmp:
    ...     _ = (tmp / "part").write_text("1")
    >>> [p.name for p in target.iterdir()], sorted(p.name for p in target.parent.iterdir())
    (['part'], ['store.zarr'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(4)
    tmp = path.with_name(f".{path.name}.{token}.tmp")
    tmp.mkdir()
    try:
        yield tmp
        if path.is_dir() and not path.is_symlink():
            old = path.with_name(f".{path.name}.{token}.old")
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_bytes(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return whether the content changed.

    A file that already holds exactly ``data`` is left as it is (its time stamp too).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.bin"
    >>> write_bytes(p, b"x"), write_bytes(p, b"x"), write_bytes(p, b"y")
    (True, False, True)
    """
    path = Path(path)
    if path.is_file() and path.read_bytes() == data:
        return False
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)
    return True


def write_text(path: str | Path, text: str) -> bool:
    """Write ``text`` as UTF-8 with ``\\n`` line ends, atomically (see :func:`write_bytes`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "note.md"
    >>> write_text(p, "hi\\n"), p.read_text()
    (True, 'hi\\n')
    """
    return write_bytes(path, text.encode("utf-8"))


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Iterable[str] | None = None) -> str:
    """Rows (mappings) as CSV text with a header; column order from ``columns`` or row 1.

    Cells follow :func:`format_cell`; a column missing from a row is an empty cell.

    Examples
    --------
    >>> print(csv_text([{"a": 1, "b": 0.5}, {"a": 2, "b": float("nan")}]), end="")
    a,b
    1,0.5
    2,nan
    """
    cols = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([format_cell(row.get(c)) for c in cols])
    return buffer.getvalue()


def write_csv(path: str | Path, rows: Sequence[Mapping[str, Any]],
              columns: Iterable[str] | None = None) -> bool:
    """Write rows as CSV atomically (see :func:`csv_text`); return whether it changed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_csv(p, [{"x": 2.0}]), p.read_text()
    (True, 'x\\n2\\n')
    """
    return write_text(path, csv_text(rows, columns))


def json_text(payload: Any) -> str:
    """``payload`` as the lab's JSON: :func:`json_ready`, sorted keys, indent 1, UTF-8 text.

    Examples
    --------
    >>> print(json_text({"b": float("nan"), "a": 0.1 + 0.2}), end="")
    {
     "a": 0.3,
     "b": "nan"
    }
    """
    return json.dumps(json_ready(payload), indent=1, sort_keys=True, ensure_ascii=False,
                      allow_nan=False) + "\n"


def write_json(path: str | Path, payload: Any) -> bool:
    """Write ``payload`` as JSON (see :func:`json_text`) atomically; return whether it changed.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "meta.json"
    >>> write_json(p, {"ratio": float("inf")}), json.loads(p.read_text())
    (True, {'ratio': 'inf'})
    """
    return write_text(path, json_text(payload))


def _markdown_cell(value: Any, digits: int) -> str:
    if value is None:
        return "-"
    if isinstance(value, (float, np.floating)):
        return "-" if math.isnan(value) else format_float(value, digits)
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(rows: Sequence[Mapping[str, Any]], columns: Iterable[str] | None = None, *,
                   digits: int = 4, empty: str = "(none)") -> str:
    """A Markdown table of mapping rows (columns from ``columns`` or row 1).

    Floats get ``digits`` significant digits; ``None`` and nan show as ``-``; a ``|`` inside a
    cell is escaped. No rows give ``empty``.

    Examples
    --------
    >>> print(markdown_table([{"a": 1, "b": "x|y", "c": 2 / 3}]))
    | a | b | c |
    |---|---|---|
    | 1 | x\\|y | 0.6667 |
    """
    if not rows:
        return empty
    cols = list(columns) if columns is not None else list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_markdown_cell(r.get(c), digits) for c in cols) + " |"
              for r in rows]
    return "\n".join(lines)


def text_table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """An aligned plain-text table: the header, a rule of dashes, one line per row.

    Cells are strings (format them first); columns are separated by two spaces and trailing
    blanks are stripped.

    Examples
    --------
    >>> print(text_table([("quartic", "x**4"), ("exp", "exp(x)")], ("name", "formula")))
    name     formula
    -------  -------
    quartic  x**4
    exp      exp(x)
    """
    table = [tuple(header), *(tuple(r) for r in rows)]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
