"""lab.writing: atomic writes with one permission rule, one number format, one table style."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import stat

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lab.writing import (atomic_directory, atomic_path, csv_text, format_cell, format_float,
                         json_ready, markdown_table,
                         text_table, write_bytes, write_csv, write_json, write_text)

NASTY = [0.0, -0.0, 5e-324, 2.2250738585072014e-308, 1 / 3, 1e16 + 1, 1.7976931348623157e308,
         math.inf, -math.inf, math.nan]


@pytest.fixture
def umask():
    """Set the process umask for one test and restore it afterwards."""
    saved = os.umask(0o022)
    os.umask(saved)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(saved)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_permissions_are_what_open_gives(tmp_path, umask, mask):
    """Every writer's file has the mode a plain open(path, "w") file gets (0o666 & ~umask):
    the reference file is made by open() under the same umask, not computed by the module."""
    umask(mask)
    reference = tmp_path / "reference.txt"
    with open(reference, "w") as handle:
        handle.write("x")
    write_text(tmp_path / "a.txt", "x")
    write_csv(tmp_path / "b.csv", [{"a": 1}])
    write_json(tmp_path / "c.json", {"a": 1})
    with atomic_path(tmp_path / "d.bin") as tmp:
        tmp.write_bytes(b"x")
    want = stat.S_IMODE(reference.stat().st_mode)
    for name in ("a.txt", "b.csv", "c.json", "d.bin"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == want, name


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "data.nc"
    write_text(target, "old\n")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("the writer broke")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.nc"]


@pytest.mark.parametrize("mask", [0o022, 0o077])
def test_atomic_directory_has_the_mode_mkdir_gives(tmp_path, umask, mask):
    """A folder written through atomic_directory gets what os.mkdir gives under the umask
    (the reference folder is made by mkdir, not computed), never mkdtemp's 0o700."""
    umask(mask)
    (tmp_path / "reference").mkdir()
    with atomic_directory(tmp_path / "store.zarr") as tmp:
        (tmp / "part").write_text("1")
    want = stat.S_IMODE((tmp_path / "reference").stat().st_mode)
    assert stat.S_IMODE((tmp_path / "store.zarr").stat().st_mode) == want


def test_atomic_directory_replaces_a_folder_only_when_complete(tmp_path):
    target = tmp_path / "s.zarr"
    with atomic_directory(target) as tmp:
        (tmp / "a").write_text("old")
    for error in (RuntimeError("the writer broke"), KeyboardInterrupt()):
        with pytest.raises(type(error)):
            with atomic_directory(target) as tmp:
                (tmp / "a").write_text("half")
                raise error
        assert (target / "a").read_text() == "old"
    with atomic_directory(target) as tmp:
        (tmp / "b").write_text("new")
    assert [p.name for p in target.iterdir()] == ["b"]
    assert [p.name for p in tmp_path.iterdir()] == ["s.zarr"]


def test_unchanged_content_is_not_rewritten(tmp_path):
    target = tmp_path / "x.md"
    assert write_text(target, "a\n") is True
    os.utime(target, (1_000_000, 1_000_000))
    assert write_text(target, "a\n") is False
    assert target.stat().st_mtime == 1_000_000
    assert write_text(target, "b\n") is True and target.read_text() == "b\n"
    assert write_bytes(tmp_path / "new" / "deep.bin", b"\x00") is True  # folders created


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=20))
@example([1.7976931348623157e308])  # rounding to 10 digits would overflow to inf
def test_csv_floats_read_back_to_ten_digits(values):
    """Theorem: every float written to CSV reads back with float() to within 10 significant
    digits (relative error <= 5e-10), with inf, -inf and nan read back exactly."""
    text = csv_text([{"v": v} for v in values])
    cells = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert len(cells) == len(values)
    for value, cell in zip(values, cells):
        back = float(cell)
        if math.isnan(value):
            assert math.isnan(back)
        elif math.isinf(value):
            assert back == value
        else:
            assert abs(back - value) <= 5e-10 * abs(value)
            if abs(value) < 1e308:  # near the largest float all digits are kept
                digits = cell.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
                assert len(digits) <= 10


@pytest.mark.parametrize("value", NASTY)
def test_json_and_csv_follow_one_rule_for_nasty_floats(value, tmp_path):
    """The CSV cell and the JSON value of a float are the same number (JSON strings for
    non-finite values), and the JSON file is strict JSON (no bare NaN/Infinity)."""
    write_json(tmp_path / "v.json", {"v": value, "arr": np.array([value])})
    text = (tmp_path / "v.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    loaded = json.loads(text)
    cell = format_cell(value)
    assert float(csv_text([{"v": value}]).split()[1]) == pytest.approx(value, rel=5e-10,
                                                                        nan_ok=True)
    assert loaded["arr"] == [loaded["v"]]
    if math.isfinite(value):
        assert loaded["v"] == float(cell)
    else:
        assert loaded["v"] == cell and cell in ("inf", "-inf", "nan")


def test_json_turns_numpy_and_tuples_into_plain_json():
    assert json_ready({"n": np.int64(2), "b": np.bool_(True), "t": (1, 2.5), 3: None}) == \
        {"n": 2, "b": True, "t": [1, 2.5], "3": None}
    assert json_ready("text") == "text"


def test_csv_header_order_and_missing_cells():
    text = csv_text([{"a": 1, "b": None}, {"a": 2}], columns=["b", "a"])
    assert text == "b,a\n,1\n,2\n"
    assert csv_text([]) == "\n"
    assert csv_text([{"s": "x,y"}]) == 's\n"x,y"\n'


def test_markdown_table_cells():
    table = markdown_table([{"a": None, "b": math.nan, "c": 123456.0, "d": "p|q\nr"}])
    assert table.splitlines()[2] == "| - | - | 1.235e+05 | p\\|q r |"
    assert markdown_table([]) == "(none)"
    assert markdown_table([{"a": 1, "b": 2}], ["b"]) == "| b |\n|---|\n| 2 |"


def test_text_table_aligns_columns():
    lines = text_table([("a", "bbb"), ("cccc", "d")], ("x", "y")).splitlines()
    assert lines == ["x     y", "----  ---", "a     bbb", "cccc  d"]


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(min_value=1, max_value=17))
@example(10.2251, 4)                       # nearest rounds up: the lower end must not
@example(1.7976931348623157e308, 4)        # up: 1.798e+308, above the largest float
@example(9 / 80, 4)                        # an exact constant: 0.1125 both ways
@example(-2.2250738585072014e-308, 3)
def test_outward_rounding_brackets_the_exact_value(x, digits):
    """Theorem checked: with rounding 'down' the decimal shown is <= the number the float
    stands for (its shortest repr, the lab's exact_decimal rule) and with 'up' it is >= it,
    each within one step of the last digit shown (so that a bracket [lower down, upper up]
    always contains the interval computed); both read back as floats on the right side."""
    from decimal import Decimal

    lo, hi = format_float(x, digits, "down"), format_float(x, digits, "up")
    value = Decimal(repr(x))
    assert Decimal(lo) <= value <= Decimal(hi)
    assert float(lo) <= x <= float(hi)
    if x != 0:
        step = Decimal(1).scaleb(value.adjusted() - digits + 1)
        assert Decimal(hi) - Decimal(lo) <= step
        assert lo == hi or Decimal(lo) < value < Decimal(hi)


def test_outward_rounding_needs_a_known_direction():
    with pytest.raises(ValueError, match="rounding must be"):
        format_float(1.0, 4, "outward")


@given(st.integers(min_value=-10**6, max_value=10**6), st.integers(min_value=-8, max_value=8),
       st.integers(min_value=7, max_value=15))
@example(1234, 1, 7)        # 12340.0 with 4..7 digits: fixed or exponent form as floats have it
@example(10, 0, 7)          # 10.0: no trailing zeros
@example(1, -5, 7)          # 1e-05: exponent form below 1e-4, as floats have it
def test_outward_rounding_of_a_short_number_is_its_usual_text(mantissa, exponent, digits):
    """A float whose shortest repr has at most ``digits`` significant digits has nothing to
    round: the three roundings show the same text, the usual one (up to 15 digits, where the
    usual text of a float is its shortest repr's digits)."""
    x = float(f"{mantissa}e{exponent}")
    assert format_float(x, digits, "down") == format_float(x, digits, "up") == \
        format_float(x, digits)
    assert format_float(12340.0, 4, "down") == format_float(12340.0, 4) == "1.234e+04"
