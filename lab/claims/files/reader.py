"""Reading a claim file: TOML in, validated plain values out, every mistake one line.

:class:`FileReader` wraps the parsed tables of one file and checks each key as it is read;
a mistake raises :class:`ClaimFileError` (a :class:`~lab.errors.LabInputError`, exit code 2
in the CLI) whose one line names the file, the key and what is allowed::

    claim file mine.toml, key [class] L1: must be a list of numbers >= 0, got 'one'

Examples
--------
>>> r = FileReader({"claim": {"name": "x", "kind": "descent"}}, "mine.toml")
>>> r.choice("claim", "kind", ("descent", "smoothness"))
'descent'
>>> r.choice("claim", "expected", ("holds", "refuted"))
Traceback (most recent call last):
...
lab.claims.files.reader.ClaimFileError: claim file mine.toml, key [claim] expected: missing; allowed: 'holds', 'refuted'
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

from lab.errors import LabInputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class ClaimFileError(LabInputError):
    """A mistake in a claim file (one line: file, key, what is allowed)."""


def read_toml(path: str | Path) -> dict:
    """The tables of a TOML file, or a :class:`ClaimFileError` naming the file.

    Examples
    --------
    >>> read_toml("no/such/file.toml")
    Traceback (most recent call last):
    ...
    lab.claims.files.reader.ClaimFileError: claim file no/such/file.toml does not exist
    """
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ClaimFileError(f"claim file {path} does not exist") from None
    except IsADirectoryError:
        raise ClaimFileError(f"claim file {path} is a folder; give a .toml file") from None
    except UnicodeDecodeError:
        raise ClaimFileError(f"claim file {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ClaimFileError(f"claim file {path} is not valid TOML: {exc}") from None


def _shown(value: Any) -> str:
    text = " ".join(repr(value).split())
    return text if len(text) <= 60 else text[:57] + "..."


class FileReader:
    """Checked access to the tables of one claim file (``name`` is the file, for errors)."""

    def __init__(self, data: dict, name: str):
        self.data = data
        self.name = name

    def fail(self, table: str, key: str | None, problem: str,
             allowed: str | None = None) -> ClaimFileError:
        """The one-line error for ``[table] key``."""
        where = f"[{table}]" + (f" {key}" if key else "") if table else (key or "top level")
        tail = f"; allowed: {allowed}" if allowed else ""
        return ClaimFileError(f"claim file {self.name}, key {where}: {problem}{tail}")

    def what(self, table: str, key: str) -> str:
        """How formula errors name a key (``claim file x.toml, key [bound] T``)."""
        return f"claim file {self.name}, key [{table}] {key}"

    def keys(self, allowed: dict[str, tuple[str, ...]]) -> None:
        """Every top-level key is a known table, and every table has only known keys."""
        for table, value in self.data.items():
            if table not in allowed:
                raise self.fail(table, None, "unknown table",
                                ", ".join(f"[{t}]" for t in allowed))
            if not isinstance(value, dict):
                raise self.fail(table, None, f"must be a table, got {_shown(value)}")
            if allowed[table] == ("*",):
                continue
            for key in value:
                if key not in allowed[table]:
                    raise self.fail(table, key, "unknown key", ", ".join(allowed[table]))

    def table(self, table: str) -> dict:
        """The table (empty when absent)."""
        return self.data.get(table, {})

    def has(self, table: str, key: str) -> bool:
        return key in self.table(table)

    def get(self, table: str, key: str, default: Any = None) -> Any:
        return self.table(table).get(key, default)

    def text(self, table: str, key: str, default: str | None = None) -> str:
        """A non-empty string."""
        value = self.get(table, key, default)
        if value is None:
            raise self.fail(table, key, "missing", "a string")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(table, key, f"must be a non-empty string, got {_shown(value)}")
        return value.strip()

    def choice(self, table: str, key: str, choices: tuple, default: Any = None) -> Any:
        """One of ``choices``."""
        value = self.get(table, key, default)
        allowed = ", ".join(repr(c) for c in choices)
        if value is None:
            raise self.fail(table, key, "missing", allowed)
        if value not in choices:
            raise self.fail(table, key, f"got {_shown(value)}", allowed)
        return value

    def number(self, table: str, key: str, value: Any, *, low: float = -math.inf) -> float:
        """A finite number ``>= low``."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                math.isfinite(value) and value >= low):
            lim = "" if low == -math.inf else f" >= {low:g}"
            raise self.fail(table, key, f"must be a finite number{lim}, got {_shown(value)}")
        return float(value)

    def numbers(self, table: str, key: str, *, low: float = 0.0) -> list[float] | None:
        """A list of finite numbers ``>= low`` (a single number is a list of one)."""
        value = self.get(table, key)
        if value is None:
            return None
        if not isinstance(value, list):
            value = [value]
        if not value:
            raise self.fail(table, key, "must list at least one number")
        try:
            return [self.number(table, key, v, low=low) for v in value]
        except ClaimFileError:
            raise self.fail(table, key, f"must be a list of finite numbers >= {low:g}, got "
                            f"{_shown(self.get(table, key))}") from None

    def interval(self, table: str, key: str) -> tuple[float, float] | None:
        """``[low, high]`` with finite ``low < high``."""
        value = self.get(table, key)
        if value is None:
            return None
        if not (isinstance(value, list) and len(value) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                        and math.isfinite(v) for v in value) and value[0] < value[1]):
            raise self.fail(table, key, f"must be [low, high] with finite low < high, got "
                            f"{_shown(value)}")
        return float(value[0]), float(value[1])
