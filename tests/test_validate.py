"""lab.validate: one set of argument validators, the same rules at every public boundary."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from lab.errors import LabInputError
from lab.validate import (check_choice, check_finite, check_in_range, check_int,
                          check_nonnegative, check_number, check_numbers, check_positive,
                          check_type)

#: nasty floats every numeric validator is tried on
NASTY = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
         -1.7976931348623157e308, math.inf, -math.inf, math.nan]


@pytest.mark.parametrize("value", NASTY)
def test_nasty_floats_follow_the_range_rule(value):
    """check_number accepts exactly the floats inside the stated range: nan never, inf only
    when allowed, bounds per their openness (the reference is the plain comparison)."""
    for low, low_open, allow_inf in [(None, False, False), (0, False, False), (0, True, False),
                                     (0, True, True), (None, False, True)]:
        expected_ok = (not math.isnan(value)
                       and (allow_inf or math.isfinite(value))
                       and (low is None or (value > low if low_open else value >= low)))
        if expected_ok:
            assert check_number(value, "v", low=low, low_open=low_open,
                                allow_inf=allow_inf) == value
        else:
            with pytest.raises(LabInputError, match=r"^v must be .*, got "):
                check_number(value, "v", low=low, low_open=low_open, allow_inf=allow_inf)


@given(st.floats(allow_nan=True, allow_infinity=True),
       st.floats(min_value=-10, max_value=10), st.floats(min_value=-10, max_value=10),
       st.booleans(), st.booleans())
def test_in_range_agrees_with_interval_membership(x, a, b, low_open, high_open):
    """Theorem: check_in_range(x, low, high) returns x iff x is a number in the interval with
    the stated openness, and raises a one-line LabInputError otherwise."""
    low, high = min(a, b), max(a, b)
    inside = (not math.isnan(x) and (low < x if low_open else low <= x)
              and (x < high if high_open else x <= high))
    if inside:
        assert check_in_range(x, "x", low, high, low_open=low_open, high_open=high_open) == x
    else:
        with pytest.raises(LabInputError) as info:
            check_in_range(x, "x", low, high, low_open=low_open, high_open=high_open)
        assert "\n" not in str(info.value) and str(info.value).startswith("x must be")


@pytest.mark.parametrize("value", [1, np.float32(0.5), np.int64(3), Fraction(1, 4),
                                   sp.Rational(1, 2), sp.Float(0.25), np.array(2.0)])
def test_numbers_of_every_kind_are_accepted_as_float(value):
    result = check_positive(value, "eta")
    assert type(result) is float and result == float(value)


@pytest.mark.parametrize("value", ["0.5", b"1", True, np.bool_(False), None, [1.0], 1j,
                                   np.array([1.0, 2.0])])
def test_non_numbers_are_refused_with_the_value_named(value):
    with pytest.raises(LabInputError) as info:
        check_finite(value, "x0")
    message = str(info.value)
    assert message.startswith("x0 must be a finite number, got ") and "\n" not in message


def test_messages_say_what_to_use():
    with pytest.raises(LabInputError, match=r"^L0 must be a finite number >= 0, got -1$"):
        check_nonnegative(-1, "L0")
    with pytest.raises(LabInputError, match=r"eta must be a finite number > 0, got 0.0 \(step"):
        check_positive(0.0, "eta", hint="step size")
    with pytest.raises(LabInputError, match=r"gamma must be a number > 0 \(inf allowed\)"):
        check_positive(-math.inf, "gamma", allow_inf=True)
    with pytest.raises(LabInputError, match=r"'3' \(a string; give a number\)"):
        check_positive("3", "h")


@pytest.mark.parametrize("value, ok", [(0, True), (7, True), (np.int32(4), True), (3.0, True),
                                       (2.5, False), (-1, False), (True, False), ("3", False),
                                       (math.inf, False), (math.nan, False), (None, False)])
def test_integers(value, ok):
    if ok:
        result = check_int(value, "n", minimum=0)
        assert type(result) is int and result == value
    else:
        with pytest.raises(LabInputError, match=r"^n must be an integer >= 0, got "):
            check_int(value, "n", minimum=0)


def test_integer_bounds_are_inclusive():
    assert check_int(5, "k", minimum=5, maximum=5) == 5
    with pytest.raises(LabInputError, match=r"an integer in \[1, 4\], got 5"):
        check_int(5, "k", minimum=1, maximum=4)
    with pytest.raises(LabInputError, match=r"an integer <= 4, got 5"):
        check_int(5, "k", maximum=4)


def test_choice_and_type():
    assert check_choice("numpy", "backend", ["numpy", "numba"]) == "numpy"
    with pytest.raises(LabInputError, match=r"backend must be one of 'numpy', 'numba', got 'np'"):
        check_choice("np", "backend", ["numpy", "numba"])
    with pytest.raises(LabInputError, match="must be one of"):
        check_choice([1], "backend", {"numpy"})  # unhashable: still a clean error
    assert check_type(dict, {}, "params") == {}
    with pytest.raises(LabInputError, match=r"params must be a dict, got \[\] \(a list\)"):
        check_type(dict, [], "params")


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=8))
def test_per_run_arrays_report_the_first_bad_entry(values):
    """Theorem: check_numbers returns the array unchanged (read-only) iff every entry is a
    finite number > 0; otherwise the error shows the first entry that is not."""
    bad = [v for v in values if not (math.isfinite(v) and v > 0)]
    if not bad:
        out = check_numbers(values, "eta", low=0, low_open=True)
        assert out.tolist() == values and not out.flags.writeable
    else:
        with pytest.raises(LabInputError) as info:
            check_numbers(values, "eta", low=0, low_open=True)
        assert str(info.value).endswith(f"got {bad[0]!r}")


def test_per_run_arrays_must_be_one_dimensional():
    with pytest.raises(LabInputError, match=r"shape \(2, 1\)"):
        check_numbers([[1.0], [2.0]], "eta", low=0)
    assert check_numbers(np.float64(0.5), "eta", low=0) == 0.5
