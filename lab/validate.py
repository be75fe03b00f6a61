"""Argument validators for every public boundary of the lab (the one place numbers are checked).

In the style of hypothesis's ``check_type`` / ``check_valid_bound``: each validator takes the
value and the name the user knows it by, returns the value in the form the lab computes with
(``float``, ``int``, a read-only float64 array), and otherwise raises
:class:`~lab.errors.LabInputError` with one line that names the bad value and says what to use
instead::

    L0 must be a finite number >= 0, got -1.0

The rules are the same everywhere:

* a *number* is a real number that ``float()`` accepts: Python and NumPy ints and floats,
  ``fractions.Fraction``, sympy numbers, 0-d arrays. Strings and bools are refused (text goes
  through :func:`lab.formula.parse_formula`; ``True`` is never a step size);
* nan is never allowed; ``inf`` only where a validator says ``allow_inf=True``;
* an *integer* is an ``int``, a NumPy integer, or a float with an integral value (``3.0``);
  bools are refused.

Examples
--------
>>> check_positive(0.5, "eta")
0.5
>>> check_positive(0, "eta")
Traceback (most recent call last):
    ...
lab.errors.LabInputError: eta must be a finite number > 0, got 0
>>> check_int(3.0, "d", minimum=1)
3
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np

from lab.errors import LabInputError

__all__ = ["check_type", "check_number", "check_finite", "check_positive",
           "check_nonnegative", "check_in_range", "check_int", "check_choice", "check_numbers",
           "describe_range"]

T = TypeVar("T")


def _shown(value: Any) -> str:
    """The value as the error shows it: its repr, cut to one readable line."""
    text = repr(value) if not isinstance(value, np.ndarray) else repr(value.tolist())
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _fail(name: str, allowed: str, value: Any, why: str = "") -> LabInputError:
    tail = f" ({why})" if why else ""
    return LabInputError(f"{name} must be {allowed}, got {_shown(value)}{tail}")


def check_type(typ: type | tuple[type, ...], value: T, name: str) -> T:
    """``value`` if it is an instance of ``typ``, else a :class:`LabInputError`.

    Parameters
    ----------
    typ : type or tuple of types
        What is allowed.
    value : object
        What was given.
    name : str
        The argument's name, as the user knows it.

    Examples
    --------
    >>> check_type(str, "quartic", "function")
    'quartic'
    >>> check_type((int, float), "3", "x0")
    Traceback (most recent call last):
        ...
    lab.errors.LabInputError: x0 must be an int or float, got '3' (a str)
    """
    types = typ if isinstance(typ, tuple) else (typ,)
    if isinstance(value, types):
        return value
    names = " or ".join(t.__name__ for t in types)
    article = "an" if names[0] in "aeiou" else "a"
    raise _fail(name, f"{article} {names}", value, f"a {type(value).__name__}")


def describe_range(low: float | None = None, high: float | None = None, *,
                   low_open: bool = False, high_open: bool = False,
                   allow_inf: bool = False) -> str:
    """The words an error uses for the allowed numbers, e.g. ``"a finite number > 0"``.

    Examples
    --------
    >>> describe_range(0, None, low_open=True)
    'a finite number > 0'
    >>> describe_range(0, 1, high_open=True)
    'a number in [0, 1)'
    >>> describe_range(0, allow_inf=True)
    'a number >= 0 (inf allowed)'
    """
    kind = "a number" if allow_inf or (low is not None and high is not None) else \
        "a finite number"
    tail = " (inf allowed)" if allow_inf else ""
    if low is not None and high is not None:
        return (f"{kind} in {'(' if low_open else '['}{_bound(low)}, {_bound(high)}"
                f"{')' if high_open else ']'}{tail}")
    if low is not None:
        return f"{kind} {'>' if low_open else '>='} {_bound(low)}{tail}"
    if high is not None:
        return f"{kind} {'<' if high_open else '<='} {_bound(high)}{tail}"
    return kind + tail


def _bound(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _as_float(value: Any, name: str, allowed: str) -> float:
    if isinstance(value, (str, bytes)):
        raise _fail(name, allowed, value, "a string; give a number")
    if isinstance(value, (bool, np.bool_)):
        raise _fail(name, allowed, value)
    if isinstance(value, np.ndarray) and value.ndim != 0:
        raise _fail(name, allowed, value, f"an array of shape {value.shape}")
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError):
        raise _fail(name, allowed, value) from None
    if isinstance(value, complex):  # pragma: no cover - float() refuses complex already
        raise _fail(name, allowed, value)
    return result


def check_number(value: Any, name: str, *, low: float | None = None,
                 high: float | None = None, low_open: bool = False, high_open: bool = False,
                 allow_inf: bool = False, hint: str = "") -> float:
    """A real number in the given range, as a ``float``.

    Parameters
    ----------
    value : object
        What was given.
    name : str
        The argument's name, as the user knows it.
    low, high : float, optional
        Bounds (None: unbounded on that side).
    low_open, high_open : bool
        Whether a bound itself is excluded.
    allow_inf : bool
        Whether ``±inf`` may be given (still subject to the bounds). nan never is.
    hint : str
        A few words appended to the error in parentheses (what the value means).

    Examples
    --------
    >>> check_number(2, "gamma", low=0, low_open=True)
    2.0
    >>> check_number(float("nan"), "eps", low=0)
    Traceback (most recent call last):
        ...
    lab.errors.LabInputError: eps must be a finite number >= 0, got nan
    >>> check_number(1.5, "beta", low=0, high=1, high_open=True, hint="momentum")
    Traceback (most recent call last):
        ...
    lab.errors.LabInputError: beta must be a number in [0, 1), got 1.5 (momentum)
    """
    allowed = describe_range(low, high, low_open=low_open, high_open=high_open,
                             allow_inf=allow_inf)
    result = _as_float(value, name, allowed)
    if not _in_range(result, low, high, low_open, high_open, allow_inf):
        raise _fail(name, allowed, value, hint)
    return result


def _in_range(x: float, low, high, low_open: bool, high_open: bool, allow_inf: bool) -> bool:
    if math.isnan(x) or (math.isinf(x) and not allow_inf):
        return False
    if low is not None and (x < low or (low_open and x == low)):
        return False
    return not (high is not None and (x > high or (high_open and x == high)))


def check_finite(value: Any, name: str, *, hint: str = "") -> float:
    """A finite real number, as a ``float``.

    Examples
    --------
    >>> check_finite(-2, "x0")
    -2.0
    """
    return check_number(value, name, hint=hint)


def check_positive(value: Any, name: str, *, allow_inf: bool = False, hint: str = "") -> float:
    """A real number ``> 0`` (finite unless ``allow_inf``), as a ``float``.

    Examples
    --------
    >>> check_positive(1e-3, "eps")
    0.001
    >>> check_positive(float("inf"), "gamma", allow_inf=True)
    inf
    """
    return check_number(value, name, low=0, low_open=True, allow_inf=allow_inf, hint=hint)


def check_nonnegative(value: Any, name: str, *, allow_inf: bool = False,
                      hint: str = "") -> float:
    """A real number ``>= 0`` (finite unless ``allow_inf``), as a ``float``.

    Examples
    --------
    >>> check_nonnegative(0, "L0")
    0.0
    >>> check_nonnegative(-1.0, "L0")
    Traceback (most recent call last):
        ...
    lab.errors.LabInputError: L0 must be a finite number >= 0, got -1.0
    """
    return check_number(value, name, low=0, allow_inf=allow_inf, hint=hint)


def check_in_range(value: Any, name: str, low: float, high: float, *, low_open: bool = False,
                   high_open: bool = False, hint: str = "") -> float:
    """A real number between ``low`` and ``high`` (closed unless said open), as a ``float``.

    Examples
    --------
    >>> check_in_range(0.9, "beta", 0, 1, high_open=True)
    0.9
    """
    return check_number(value, name, low=low, high=high, low_open=low_open,
                        high_open=high_open, hint=hint)


def check_int(value: Any, name: str, *, minimum: int | None = None,
              maximum: int | None = None, hint: str = "") -> int:
    """An integer (``int``, NumPy integer, or an integral float such as ``3.0``) in range.

    Examples
    --------
    >>> check_int(5, "max_iter", minimum=1)
    5
    >>> check_int(2.5, "d", minimum=1)
    Traceback (most recent call last):
        ...
    lab.errors.LabInputError: d must be an integer >= 1, got 2.5
    >>> check_int(True, "seed", minimum=0)
    Traceback (most recent call last):
        ...
    lab.errors.LabInputError: seed must be an integer >= 0, got True
    """
    if minimum is not None and maximum is not None:
        allowed = f"an integer in [{minimum}, {maximum}]"
    elif minimum is not None:
        allowed = f"an integer >= {minimum}"
    elif maximum is not None:
        allowed = f"an integer <= {maximum}"
    else:
        allowed = "an integer"
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise _fail(name, allowed, value, hint)
    if isinstance(value, (float, np.floating)):
        if not (math.isfinite(value) and float(value).is_integer()):
            raise _fail(name, allowed, value, hint)
        result = int(value)
    else:
        try:
            result = operator.index(value)
        except TypeError:
            raise _fail(name, allowed, value, hint) from None
    if (minimum is not None and result < minimum) or (maximum is not None and result > maximum):
        raise _fail(name, allowed, value, hint)
    return int(result)


def check_choice(value: Any, name: str, choices: Iterable[Any]) -> Any:
    """``value`` if it is one of ``choices``, else an error listing them.

    Examples
    --------
    >>> check_choice("quick", "budget", ("quick", "default"))
    'quick'
    >>> check_choice("fast", "budget", ("quick", "default"))
    Traceback (most recent call last):
        ...
    lab.errors.LabInputError: budget must be one of 'quick', 'default', got 'fast'
    """
    options = tuple(choices)
    try:
        if value in options:
            return value
    except TypeError:  # an unhashable value compared with a set-like registry
        pass
    raise _fail(name, "one of " + ", ".join(repr(c) for c in options), value)


def check_numbers(value: Any, name: str, *, low: float | None = None,
                  high: float | None = None, low_open: bool = False, high_open: bool = False,
                  allow_inf: bool = False, hint: str = "") -> float | np.ndarray:
    """One number, or a 1-D array of numbers (one per run), every entry in range.

    Returns a ``float`` for a scalar and a read-only float64 array otherwise. The error names
    the first bad entry.

    Examples
    --------
    >>> check_numbers(0.1, "eta", low=0, low_open=True)
    0.1
    >>> check_numbers([0.1, 0.2], "eta", low=0, low_open=True)
    array([0.1, 0.2])
    >>> check_numbers([0.1, -1.0], "eta", low=0, low_open=True)
    Traceback (most recent call last):
        ...
    lab.errors.LabInputError: eta must be a finite number > 0, got -1.0
    """
    allowed = describe_range(low, high, low_open=low_open, high_open=high_open,
                             allow_inf=allow_inf)
    if np.ndim(value) == 0:
        return check_number(value, name, low=low, high=high, low_open=low_open,
                            high_open=high_open, allow_inf=allow_inf, hint=hint)
    if isinstance(value, (str, bytes)):
        raise _fail(name, allowed, value, hint)
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise _fail(name, allowed, value, hint) from None
    if arr.ndim > 1:
        raise _fail(name, "a number or a 1-D array of per-run values", value,
                    f"shape {arr.shape}")
    with np.errstate(invalid="ignore"):
        bad = np.isnan(arr) | (np.isinf(arr) & (not allow_inf))
        if low is not None:
            bad |= (arr < low) | ((arr == low) & low_open)
        if high is not None:
            bad |= (arr > high) | ((arr == high) & high_open)
    if bad.any():
        raise _fail(name, allowed, float(arr[np.argmax(bad)]), hint)
    out = arr.copy()
    out.setflags(write=False)
    return out
