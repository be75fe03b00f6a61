"""Atomic writes of the experiment's data files (CSV, JSON, text); no torch, no plotting.

Every file is written to a temporary file in the destination folder and moved into place
with :func:`os.replace`, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then rename).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write_bytes(p, b"hi").read_bytes()
    b'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        with _suppress_missing():
            os.unlink(tmp)
        raise
    return path


class _suppress_missing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:
        return exc_type is not None and issubclass(exc_type, FileNotFoundError)


def atomic_write_text(path: Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def _cell(value: object) -> object:
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    return value


def csv_text(rows: Sequence[Mapping[str, object]], columns: Iterable[str] | None = None) -> str:
    """Rows of dicts as CSV text (floats written with full precision, nan as ``nan``).

    Examples
    --------
    >>> print(csv_text([{"a": 1, "b": 0.5}]).strip())
    a,b
    1,0.5
    """
    columns = list(columns if columns is not None else (rows[0].keys() if rows else []))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return buffer.getvalue()


def write_csv(path: Path, rows: Sequence[Mapping[str, object]],
              columns: Iterable[str] | None = None) -> Path:
    """Write rows to a CSV file atomically."""
    return atomic_write_text(path, csv_text(rows, columns))


def write_json(path: Path, payload: object) -> Path:
    """Write ``payload`` as indented JSON atomically (non-finite floats as null)."""

    def clean(v: object) -> object:
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        return v

    return atomic_write_text(path, json.dumps(clean(payload), indent=2) + "\n")
